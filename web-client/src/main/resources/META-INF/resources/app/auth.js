// Sign up and log in. A sign-up logs in at once; the password is handed to the direct messages (XMPP needs it for
// SCRAM) and otherwise forgotten.

import { byId } from './dom.js';

export class AuthView {
  /** @param {import('./main.js').App} app */
  constructor(app) {
    this.app = app;
    this.form = /** @type {HTMLFormElement} */ (byId('auth-form'));
    this.form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.submit(false);
    });
    byId('signup-button').addEventListener('click', () => this.submit(true));
  }

  show() {
    byId('auth-view').hidden = false;
    byId('auth-error').textContent = '';
    byId('auth-username').focus();
  }

  hide() {
    byId('auth-view').hidden = true;
  }

  /** @param {boolean} signUp */
  async submit(signUp) {
    const value = (/** @type {string} */ id) => /** @type {HTMLInputElement} */ (byId(id)).value.trim();
    const username = value('auth-username').split('@')[0];
    const password = /** @type {HTMLInputElement} */ (byId('auth-password')).value;
    const email = value('auth-email');
    const error = byId('auth-error');
    error.textContent = '';
    if (!username) return this.refuse('Please enter a user name.');
    if (password.length < 8) return this.refuse('Passwords have at least 8 characters.');
    if (signUp && !/^[^@\s]+@[^@\s]+$/.test(email)) return this.refuse('Please enter your e-mail address to sign up.');
    const buttons = [byId('login-button'), byId('signup-button')];
    buttons.forEach((b) => b.setAttribute('disabled', ''));
    try {
      if (signUp) await this.app.bc.register({ username, password, email });
      await this.app.bc.login(username, password);
      this.form.reset();
      await this.app.enter(password);
    } catch (e) {
      this.refuse(signUp && /** @type {any} */ (e).status === 409 ? 'That user name is taken.'
        : /** @type {any} */ (e).status === 401 ? 'Wrong user name or password.' : /** @type {Error} */ (e).message);
    } finally {
      buttons.forEach((b) => b.removeAttribute('disabled'));
    }
    return undefined;
  }

  /** @param {string} message */
  refuse(message) {
    byId('auth-error').textContent = message;
  }
}
