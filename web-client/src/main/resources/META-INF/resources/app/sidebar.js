// The sidebar: my channel, the channels I follow (people and topics apart) with unread counts, a way to open any
// channel by its address, a form for a new topic channel, and discovery (channels you may like, most active).

import { byId, h, replace } from './dom.js';
import { shortName } from './format.js';

export class Sidebar {
  /** @param {import('./main.js').App} app */
  constructor(app) {
    this.app = app;
    this.discovery = h('div', { id: 'discovery' });
    this.discoveredAt = 0;
    this.lists = h('div', { id: 'channel-lists' });
    /** @type {string|null} whose sidebar is built: the forms are made once, so live updates never wipe what is typed */
    this.builtFor = null;
  }

  render() {
    const { app } = this;
    const me = app.bc.jid;
    if (!me) return;
    if (this.builtFor !== me) {
      this.builtFor = me;
      this.discoveredAt = 0;
      replace(byId('sidebar'), this.lists, this.openForm(), this.createForm(), this.discovery);
    }
    const people = [];
    const topics = [];
    for (const [channel, state] of app.follows) {
      if (channel === me) continue;
      (channel.includes('@topics.') ? topics : people).push([channel, state]);
    }
    replace(this.lists,
      h('h2', null, 'My channel'),
      h('ul', { id: 'my-channel', class: 'channel-list' }, this.item(me, 'owner')),
      h('h2', null, 'Following'),
      h('ul', { id: 'followed-channels', class: 'channel-list' }, people.length ? people.map(([c, s]) => this.item(c, s))
        : h('li', { class: 'empty' }, 'Nobody yet')),
      h('h2', null, 'Topic channels'),
      h('ul', { id: 'topic-channels', class: 'channel-list' }, topics.length ? topics.map(([c, s]) => this.item(c, s))
        : h('li', { class: 'empty' }, 'None yet')));
    if (Date.now() - this.discoveredAt > 60000) this.discover();
  }

  /** @param {string} channel @param {string} state */
  item(channel, state) {
    const unread = this.app.unread.get(channel) ?? 0;
    const current = this.app.view === this.app.channelView && this.app.channelView.channel === channel;
    return h('li', { dataset: { channel } },
      h('a', { href: `#/channel/${channel}`, 'aria-current': current ? 'page' : null },
        this.app.avatar(channel), h('span', { class: 'name' }, shortName(channel)),
        state === 'pending' ? h('span', { class: 'badge pending' }, 'requested') : null,
        unread ? h('span', { class: 'unread', 'aria-label': `${unread} unread` }, String(unread)) : null));
  }

  openForm() {
    const input = /** @type {HTMLInputElement} */ (h('input', { id: 'open-channel', type: 'text', placeholder: 'name@domain',
      autocomplete: 'off', required: true }));
    return h('form', { class: 'side-form', onsubmit: (/** @type {Event} */ e) => {
      e.preventDefault();
      const jid = input.value.trim();
      if (!/^[^@\s/]+@[^@\s/]+$/.test(jid)) {
        this.app.notice('A channel address looks like name@domain.', 'error');
        return;
      }
      input.value = '';
      location.hash = `#/channel/${jid}`;
    } }, h('label', { for: 'open-channel' }, 'Open a channel'), h('div', { class: 'row' }, input, h('button', { type: 'submit' }, 'Open')));
  }

  createForm() {
    const name = /** @type {HTMLInputElement} */ (h('input', { id: 'new-channel-name', placeholder: 'e.g. verona',
      pattern: '[a-z0-9._\\-]+', required: true, autocomplete: 'off' }));
    const closed = /** @type {HTMLInputElement} */ (h('input', { id: 'new-channel-private', type: 'checkbox' }));
    return h('form', { class: 'side-form', id: 'create-channel-form', onsubmit: async (/** @type {Event} */ e) => {
      e.preventDefault();
      const wanted = name.value.trim().toLowerCase();
      if (!/^[a-z0-9._-]+$/.test(wanted)) {
        this.app.notice('A topic name uses letters, digits, dots, dashes and underscores.', 'error');
        return;
      }
      try {
        const jid = await this.app.bc.createTopicChannel(wanted, { private: closed.checked });
        name.value = '';
        closed.checked = false;
        await this.app.refreshFollows();
        location.hash = `#/channel/${jid}`;
      } catch (error) {
        this.app.error(error);
      }
    } },
    h('label', { for: 'new-channel-name' }, 'New topic channel'),
    h('div', { class: 'row' }, name, h('button', { type: 'submit', id: 'create-channel' }, 'Create')),
    h('label', { class: 'check' }, closed, ' Private (followers need approval)'));
  }

  /** Channels you may like (the taste engine, or the most active while there is none) and the most active. */
  async discover() {
    this.discoveredAt = Date.now();
    try {
      const [liked, active] = await Promise.all([this.app.bc.recommendations({ max: 5 }), this.app.bc.mostActive({ max: 5 })]);
      const list = (/** @type {string} */ id, /** @type {any[]} */ items, /** @type {Function} */ note) => h('ul', { id, class: 'channel-list' },
        items.length ? items.map((c) => h('li', { dataset: { channel: c.jid } }, h('a', { href: `#/channel/${c.jid}` },
          this.app.avatar(c.jid), h('span', { class: 'name' }, c.title || shortName(c.jid)), note(c))))
          : h('li', { class: 'empty' }, 'Nothing yet'));
      replace(this.discovery,
        h('h2', null, 'Channels you may like'), list('suggestions', liked.items, () => null),
        h('h2', null, 'Most active'), list('most-active', active.items, (/** @type {any} */ c) => h('span', { class: 'count' }, `${c.posts}`)));
    } catch (error) {
      replace(this.discovery, h('p', { class: 'empty' }, `Discovery is not available: ${/** @type {Error} */ (error).message}`));
    }
  }
}
