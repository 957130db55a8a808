// The web client: a Flow-like app for people, built only on the SDK. One page; the hash says what is shown
// (#/channel/<jid>, #/search?q=…, #/settings). The session (tokens, never the password) is kept in localStorage so a
// reload stays logged in; the strict Content-Security-Policy the gateway sends keeps scripts to our own files.

import { Buddycloud, BuddycloudError } from '/sdk/buddycloud.js';
import { byId, replace, h } from './dom.js';
import { AuthView } from './auth.js';
import { Sidebar } from './sidebar.js';
import { ChannelView } from './channel.js';
import { SearchView } from './search.js';
import { SettingsView } from './settings.js';
import { DirectMessages } from './dm.js';

const SESSION_KEY = 'buddycloud.session';

export class App {
  constructor() {
    this.bc = new Buddycloud({ session: loadSession() });
    this.bc.addEventListener('session', (e) => this.sessionChanged(/** @type {CustomEvent} */ (e).detail));
    /** @type {Map<string, string>} channel → my state in its posts node (owner, publisher, member, pending, …) */
    this.follows = new Map();
    /** @type {Map<string, number>} channel → posts arrived while it was not shown */
    this.unread = new Map();
    /** @type {import('/sdk/live.js').LiveStream|null} */
    this.live = null;
    this.auth = new AuthView(this);
    this.sidebar = new Sidebar(this);
    this.channelView = new ChannelView(this);
    this.searchView = new SearchView(this);
    this.settingsView = new SettingsView(this);
    this.dms = new DirectMessages(this);
    /** @type {{show(): void, hide?(): void, onLive?(e: any): void}|null} */
    this.view = null;
    window.addEventListener('hashchange', () => this.route());
    window.addEventListener('unhandledrejection', (e) => { e.preventDefault(); this.error(e.reason); });
    byId('logout').addEventListener('click', () => this.logout());
    byId('search-form').addEventListener('submit', (e) => {
      e.preventDefault();
      const q = /** @type {HTMLInputElement} */ (byId('search-input')).value.trim();
      if (q) location.hash = `#/search?q=${encodeURIComponent(q)}`;
    });
    const toggle = byId('menu-toggle');
    toggle.addEventListener('click', () => {
      const open = document.body.classList.toggle('menu-open');
      toggle.setAttribute('aria-expanded', String(open));
    });
  }

  start() {
    if (this.bc.session) this.enter();
    else this.auth.show();
  }

  /** Logged in (by the form, or a session kept from before): the shell, the follows, the live stream. */
  async enter(/** @type {string|undefined} */ password) {
    this.auth.hide();
    for (const id of ['app-view', 'search-form', 'settings-link', 'logout', 'menu-toggle']) byId(id).hidden = false;
    this.showMe();
    this.startLive();
    // the channel shows as soon as it can: what I follow arrives beside it and refines it (composer, follow button)
    const follows = this.refreshFollows();
    this.route();
    this.dms.start(password);
    await follows;
  }

  startLive() {
    this.live?.stop();
    this.live = this.bc.live();
    const state = byId('live-state');
    this.live.addEventListener('status', (e) => {
      const status = /** @type {CustomEvent} */ (e).detail;
      state.dataset.state = status;
      state.textContent = { connecting: 'Connecting…', open: 'Live', reconnecting: 'Reconnecting…', closed: '' }[status] ?? status;
    });
    this.live.addEventListener('event', (e) => this.onLive(/** @type {CustomEvent} */ (e).detail));
    this.live.addEventListener('reset', () => this.view?.show());
    this.live.start();
  }

  /** One live event: the open view shows it, the sidebar counts it, follows follow it. */
  onLive(/** @type {{type: string, data: any}} */ event) {
    const { type, data } = event;
    if ((type === 'subscription' || type === 'affiliation') && data.jid === this.bc.jid && data.node === 'posts') {
      this.refreshFollows();
    }
    if (type === 'channel-deleted') this.refreshFollows();
    const shown = this.view === this.channelView && this.channelView.channel === data.channel;
    if (type === 'post' && !shown && data.post?.author !== this.bc.jid) {
      this.unread.set(data.channel, (this.unread.get(data.channel) ?? 0) + 1);
      this.sidebar.render();
    }
    this.view?.onLive?.(event);
  }

  async refreshFollows() {
    const subscribed = await this.bc.subscriptions();
    this.follows = new Map(Object.entries(subscribed).filter(([key]) => key.endsWith('/posts'))
      .map(([key, state]) => [key.slice(0, -'/posts'.length), state]));
    this.sidebar.render();
    if (this.view === this.channelView) this.channelView.followStateChanged();
  }

  route() {
    if (!this.bc.session) return;
    const hash = decodeURIComponent(location.hash.slice(1));
    this.view?.hide?.();
    document.body.classList.remove('menu-open');
    if (hash.startsWith('/channel/')) {
      const channel = hash.slice('/channel/'.length);
      this.unread.delete(channel);
      this.channelView.open(channel);
      this.view = this.channelView;
    } else if (hash.startsWith('/search')) {
      this.view = this.searchView;
      this.searchView.open(new URLSearchParams(location.hash.split('?')[1] ?? '').get('q') ?? '');
    } else if (hash === '/settings') {
      this.view = this.settingsView;
      this.settingsView.show();
    } else {
      location.replace(`#/channel/${this.bc.jid}`);
      return;
    }
    this.sidebar.render();
  }

  async logout() {
    this.live?.stop();
    this.dms.stop();
    await this.bc.logout();
  }

  /** @param {import('/sdk/buddycloud.js').Session|null} session */
  sessionChanged(session) {
    if (session) {
      localStorage.setItem(SESSION_KEY, JSON.stringify(session));
      return;
    }
    localStorage.removeItem(SESSION_KEY);
    this.live?.stop();
    this.dms.stop();
    for (const id of ['app-view', 'search-form', 'settings-link', 'logout', 'menu-toggle']) byId(id).hidden = true;
    replace(byId('me'));
    byId('live-state').textContent = '';
    this.view = null;
    this.auth.show();
  }

  /** Who is logged in, in the top bar. */
  showMe() {
    replace(byId('me'), h('span', { class: 'avatar-wrap' }, this.avatar(this.bc.jid ?? '')), this.bc.jid ?? '');
  }

  /** My avatar changed: show the new one wherever mine is shown (its URL changes, so no cache keeps the old one). */
  avatarChanged() {
    this.avatarVersion = Date.now();
    this.showMe();
    this.sidebar.render();
  }

  /** A small avatar of a channel; a letter when it has none. @param {string} jid */
  avatar(jid) {
    const letter = h('span', { class: 'avatar letter', 'aria-hidden': 'true' }, (jid[0] ?? '?').toUpperCase());
    const version = jid === this.bc.jid && this.avatarVersion ? `&v=${this.avatarVersion}` : '';
    const image = /** @type {HTMLImageElement} */ (h('img', { class: 'avatar', alt: '', src: this.bc.avatarUrl(jid) + version, hidden: true }));
    // a channel without an avatar answers 204 (default=none): the image fails quietly and the letter stays
    image.addEventListener('load', () => { image.hidden = false; letter.remove(); });
    return h('span', { class: 'avatar-box' }, letter, image);
  }

  /** Tells the person what went wrong, in words. @param {unknown} error */
  error(error) {
    const message = error instanceof BuddycloudError || error instanceof Error ? error.message : String(error);
    this.notice(message, 'error');
  }

  /** @param {string} message @param {'error'|'info'} [kind] */
  notice(message, kind = 'info') {
    const notice = byId('notice');
    notice.textContent = message;
    notice.dataset.kind = kind;
    notice.hidden = false;
    clearTimeout(this.noticeTimer);
    this.noticeTimer = setTimeout(() => { notice.hidden = true; }, kind === 'error' ? 8000 : 4000);
  }
}

function loadSession() {
  try {
    const stored = JSON.parse(localStorage.getItem(SESSION_KEY) ?? 'null');
    return stored && stored.jid && stored.refreshToken ? stored : null;
  } catch {
    return null;
  }
}

const app = new App();
/** @type {any} */ (window).buddycloudApp = app;
app.start();
if ('serviceWorker' in navigator) {
  // the worker only shows Web Push notifications; the page works without it
  navigator.serviceWorker.register('/sw.js').catch(() => undefined);
}
