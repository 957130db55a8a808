// Search results: posts (with the matching words highlighted) and channels from the directory, side by side.

import { byId, h, replace } from './dom.js';
import { highlighted, timeElement, shortName } from './format.js';

export class SearchView {
  /** @param {import('./main.js').App} app */
  constructor(app) {
    this.app = app;
  }

  /** @param {string} q */
  async open(q) {
    /** @type {HTMLInputElement} */ (byId('search-input')).value = q;
    const posts = h('ol', { id: 'search-posts', class: 'results' }, h('li', { class: 'empty' }, 'Searching…'));
    const channels = h('ol', { id: 'search-channels', class: 'results' });
    replace(byId('content'), h('section', { id: 'search-results' },
      h('h1', null, 'Search: ', h('q', null, q)),
      h('h2', null, 'Posts'), posts, h('h2', null, 'Channels'), channels));
    const [found, directory] = await Promise.allSettled([this.app.bc.searchPosts(q, { max: 20 }), this.app.bc.searchChannels(q, { max: 10 })]);
    if (found.status === 'fulfilled') {
      replace(posts, found.value.items.length ? found.value.items.map((p) => h('li', { class: 'result', dataset: { id: p.id, channel: p.channel } },
        h('a', { href: `#/channel/${p.channel}` }, h('strong', null, p.author), ' in ', shortName(p.channel)), ' ', timeElement(p.published),
        h('p', null, p.highlights?.length ? highlighted(p.highlights[0]) : p.content)))
        : h('li', { class: 'empty' }, 'No posts match.'));
    } else {
      replace(posts, h('li', { class: 'empty' }, found.reason.message));
    }
    if (directory.status === 'fulfilled') {
      replace(channels, directory.value.items.length ? directory.value.items.map((/** @type {any} */ c) => h('li', { class: 'result', dataset: { channel: c.jid } },
        h('a', { href: `#/channel/${c.jid}` }, this.app.avatar(c.jid), h('strong', null, c.title || shortName(c.jid)), ` ${c.jid}`),
        c.description ? h('p', null, c.description) : null))
        : h('li', { class: 'empty' }, 'No channels match.'));
    } else {
      replace(channels, h('li', { class: 'empty' }, directory.reason.message));
    }
  }

  show() {
    this.open(/** @type {HTMLInputElement} */ (byId('search-input')).value);
  }
}
