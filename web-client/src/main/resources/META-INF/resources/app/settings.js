// Settings: avatar, password, what to be told about (per notification target), and notifications in this browser
// through a service worker and Web Push.

import { byId, h, replace } from './dom.js';

const SWITCHES = /** @type {Array<[string, string]>} */ ([
  ['postMentionedMe', 'Someone mentions me'], ['postAfterMe', 'Someone replies to my post'],
  ['postOnMyChannel', 'Someone posts in my channel'], ['postOnSubscribedChannel', 'Any post in channels I follow'],
  ['followMyChannel', 'Someone follows my channel'], ['followRequest', 'Follow requests and their answers'],
]);

export class SettingsView {
  /** @param {import('./main.js').App} app */
  constructor(app) {
    this.app = app;
  }

  async show() {
    const targets = h('div', { id: 'notification-targets' }, h('p', { class: 'empty' }, 'Loading…'));
    replace(byId('content'), h('section', { id: 'settings' }, h('h1', null, 'Settings'),
      this.avatarForm(), this.passwordForm(), h('h2', null, 'Notifications'), this.browserPush(), targets));
    try {
      const settings = await this.app.bc.notificationSettings();
      replace(targets, settings.length ? settings.map((/** @type {any} */ t) => this.target(t))
        : h('p', { class: 'empty' }, 'No e-mail address or device gets notifications yet.'));
    } catch (error) {
      replace(targets, h('p', { class: 'empty' }, /** @type {Error} */ (error).message));
    }
  }

  avatarForm() {
    const file = /** @type {HTMLInputElement} */ (h('input', { id: 'avatar-file', type: 'file', accept: 'image/*', required: true }));
    return h('form', { class: 'card', onsubmit: async (/** @type {Event} */ e) => {
      e.preventDefault();
      const image = file.files?.[0];
      if (!image) return this.app.notice('Choose an image first.', 'error');
      try {
        await this.app.bc.setAvatar(image);
        this.app.avatarChanged();
        this.app.notice('Your avatar is changed.');
      } catch (error) {
        this.app.error(error);
      }
      return undefined;
    } }, h('h2', null, 'Avatar'), h('label', { for: 'avatar-file' }, 'Image'), file,
    h('button', { type: 'submit', id: 'avatar-save' }, 'Save avatar'));
  }

  passwordForm() {
    const current = /** @type {HTMLInputElement} */ (h('input', { id: 'pw-current', type: 'password', autocomplete: 'current-password', required: true }));
    const next = /** @type {HTMLInputElement} */ (h('input', { id: 'pw-new', type: 'password', autocomplete: 'new-password', minlength: 8, required: true }));
    return h('form', { class: 'card', onsubmit: async (/** @type {Event} */ e) => {
      e.preventDefault();
      if (next.value.length < 8) return this.app.notice('A new password has at least 8 characters.', 'error');
      try {
        await this.app.bc.changePassword(current.value, next.value);
        current.value = '';
        next.value = '';
        this.app.notice('Your password is changed; your other sessions were logged out.');
      } catch (error) {
        this.app.error(/** @type {any} */ (error).status === 401 || /** @type {any} */ (error).status === 403
          ? new Error('The current password is not right.') : error);
      }
      return undefined;
    } }, h('h2', null, 'Password'), h('label', { for: 'pw-current' }, 'Current password'), current,
    h('label', { for: 'pw-new' }, 'New password'), next, h('button', { type: 'submit', id: 'pw-save' }, 'Change password'));
  }

  browserPush() {
    const state = h('span', { id: 'webpush-state', role: 'status' });
    const supported = 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;
    const button = h('button', { type: 'button', id: 'webpush-enable', disabled: !supported, onclick: async () => {
      state.textContent = 'Asking…';
      try {
        const permission = await Notification.requestPermission();
        if (permission !== 'granted') {
          state.textContent = 'Notifications are blocked for this site in the browser\'s settings.';
          return;
        }
        const registration = await navigator.serviceWorker.ready;
        // a push service out of reach may leave the browser's subscribe waiting: give up in words after 20 s
        await Promise.race([this.app.bc.enableWebPush(registration, { postMentionedMe: true, postAfterMe: true, followRequest: true }),
          new Promise((resolve, reject) => setTimeout(() => reject(new Error('the browser\'s push service did not answer')), 20000))]);
        state.textContent = 'This browser will be notified.';
      } catch (error) {
        state.textContent = `This browser cannot be notified: ${/** @type {Error} */ (error).message}`;
      }
    } }, 'Notify me in this browser');
    return h('div', { class: 'card' }, h('h3', null, 'This browser'), button, ' ',
      supported ? state : h('span', null, 'This browser has no Web Push.'));
  }

  /** One target (an e-mail address, a phone, a browser) with its switches. @param {any} target */
  target(target) {
    const label = target.type === 'email' ? `E-mail ${target.target}${target.confirmed === false ? ' (not confirmed yet)' : ''}`
      : target.type === 'webpush' ? 'A browser' : 'A phone';
    return h('fieldset', { class: 'card target', dataset: { type: target.type } }, h('legend', null, label),
      SWITCHES.map(([key, text]) => {
        const box = /** @type {HTMLInputElement} */ (h('input', { type: 'checkbox', name: key, checked: Boolean(target[key]) }));
        box.addEventListener('change', async () => {
          try {
            await this.app.bc.updateNotificationSettings({ type: target.type, target: target.target, [key]: box.checked });
          } catch (error) {
            box.checked = !box.checked;
            this.app.error(error);
          }
        });
        return h('label', { class: 'check' }, box, ` ${text}`);
      }));
  }
}
