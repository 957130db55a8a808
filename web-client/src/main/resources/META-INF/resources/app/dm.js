// Direct messages over XMPP in the browser (XMPP over WebSocket through the gateway). XMPP logs in with the password
// (SCRAM), which the page holds in memory only: after a reload it asks for it again before going online.

import { h, replace, byId } from './dom.js';
import { timeElement } from './format.js';

export class DirectMessages {
  /** @param {import('./main.js').App} app */
  constructor(app) {
    this.app = app;
    /** @type {import('/sdk/xmpp.js').XmppClient|null} */
    this.xmpp = null;
  }

  /** @param {string} [password] known right after a log-in */
  start(password) {
    this.render();
    if (password) this.connect(password);
  }

  render() {
    this.state = h('span', { id: 'dm-state', role: 'status' }, 'offline');
    this.log = h('ol', { id: 'dm-log', 'aria-live': 'polite' });
    const to = /** @type {HTMLInputElement} */ (h('input', { id: 'dm-to', placeholder: 'name@domain', autocomplete: 'off', required: true }));
    const text = /** @type {HTMLInputElement} */ (h('input', { id: 'dm-text', autocomplete: 'off', required: true }));
    this.to = to;
    const password = /** @type {HTMLInputElement} */ (h('input', { id: 'dm-password', type: 'password', autocomplete: 'current-password' }));
    this.login = h('form', { id: 'dm-login', onsubmit: (/** @type {Event} */ e) => { e.preventDefault(); this.connect(password.value); password.value = ''; } },
      h('label', { for: 'dm-password' }, 'Your password, to go online for direct messages'), h('div', { class: 'row' }, password,
        h('button', { type: 'submit' }, 'Go online')));
    replace(byId('dm-panel'), h('h2', null, 'Direct messages ', this.state), this.login, this.log,
      h('form', { id: 'dm-form', onsubmit: (/** @type {Event} */ e) => {
        e.preventDefault();
        this.send(to.value.trim(), text.value);
        text.value = '';
      } }, h('label', { for: 'dm-to' }, 'To'), to, h('label', { for: 'dm-text' }, 'Message'),
      h('div', { class: 'row' }, text, h('button', { type: 'submit', id: 'dm-send' }, 'Send'))));
  }

  /** @param {string} password */
  async connect(password) {
    this.stop();
    const xmpp = this.app.bc.xmpp();
    this.xmpp = xmpp;
    xmpp.addEventListener('status', (e) => {
      const status = /** @type {CustomEvent} */ (e).detail;
      if (this.state) this.state.textContent = status;
      if (this.login) this.login.hidden = status === 'online' || status === 'reconnecting';
    });
    xmpp.addEventListener('message', (e) => this.show(/** @type {CustomEvent} */ (e).detail, false));
    try {
      await xmpp.connect(/** @type {string} */ (this.app.bc.jid), password);
    } catch (error) {
      this.app.error(new Error(`Direct messages are offline: ${/** @type {Error} */ (error).message}`));
    }
  }

  /** @param {string} to @param {string} body */
  send(to, body) {
    if (!/^[^@\s/]+@[^@\s/]+$/.test(to)) return this.app.notice('Send to an address like name@domain.', 'error');
    if (!body.trim()) return undefined;
    if (!this.xmpp || this.xmpp.status !== 'online') return this.app.notice('Direct messages are offline.', 'error');
    try {
      const id = this.xmpp.sendMessage(to, body);
      this.show({ id, from: /** @type {string} */ (this.app.bc.jid), to, body, at: new Date(), delayed: false }, true);
    } catch (error) {
      this.app.error(error);
    }
    return undefined;
  }

  /** @param {import('/sdk/xmpp.js').ChatMessage} message @param {boolean} mine */
  show(message, mine) {
    if (!mine && this.to && !this.to.value) this.to.value = message.from;
    this.log?.append(h('li', { class: mine ? 'dm-message mine' : 'dm-message', dataset: { from: message.from } },
      h('strong', null, mine ? `To ${message.to}` : message.from), ' ', timeElement(message.at.toISOString()),
      h('p', null, message.body)));
    this.log?.lastElementChild?.scrollIntoView({ block: 'nearest' });
    if (!mine && document.hidden) this.app.notice(`Message from ${message.from}`);
  }

  stop() {
    this.xmpp?.close();
    this.xmpp = null;
  }
}
