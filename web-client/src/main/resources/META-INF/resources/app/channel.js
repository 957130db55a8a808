// A channel: its posts newest first with their replies, a composer with attachments (drag and drop, upload
// progress), edit and delete, older posts as you scroll, follow / unfollow / "request sent", and for owners and
// moderators the follow requests waiting for an answer. Live events add, change and remove posts as they happen.

import { byId, h, replace, append } from './dom.js';
import { richText, timeElement, shortName } from './format.js';

const PAGE = 10;

export class ChannelView {
  /** @param {import('./main.js').App} app */
  constructor(app) {
    this.app = app;
    /** @type {string|null} */
    this.channel = null;
    /** @type {any} */
    this.metadata = null;
    /** @type {string|null} the id to page older from, null when all are shown */
    this.older = null;
    /** @type {Map<string, HTMLElement>} post id → its article */
    this.articles = new Map();
    /** @type {IntersectionObserver|null} */
    this.observer = null;
    this.generation = 0;
  }

  get bc() {
    return this.app.bc;
  }

  /** My standing here: owner, moderator, publisher, member, pending, outcast, or none. */
  get standing() {
    return this.app.follows.get(/** @type {string} */ (this.channel)) ?? 'none';
  }

  /** @param {string} channel */
  async open(channel) {
    this.channel = channel;
    this.generation += 1;
    const generation = this.generation;
    this.articles.clear();
    this.older = null;
    this.posts = h('div', { id: 'posts', 'aria-live': 'polite' });
    this.header = h('div', { class: 'channel-header' });
    this.requests = h('section', { id: 'requests', hidden: true });
    this.composerSlot = h('div');
    this.footer = h('div', { class: 'load-more' });
    const content = byId('content');
    replace(content, h('section', { id: 'channel', dataset: { channel } }, this.header, this.requests, this.composerSlot,
      this.posts, this.footer));
    const metadata = this.bc.metadata(channel).catch(() => null);
    // my own channel is always mine to read: its posts are asked for beside its configuration, not after it
    const posts = channel === this.bc.jid ? this.loadPosts(generation) : null;
    this.metadata = await metadata;
    if (generation !== this.generation) return;
    this.renderHeader();
    await (posts ?? this.loadPosts(generation));
  }

  show() {
    if (this.channel) this.open(this.channel);
  }

  hide() {
    this.observer?.disconnect();
  }

  /** Follows changed (approved, refused, banned): the header and, when reading became possible, the posts. */
  followStateChanged() {
    const before = this.readable;
    this.renderHeader();
    if (!before && this.canRead()) this.loadPosts(this.generation);
  }

  canRead() {
    if (this.channel === this.bc.jid) return true;
    const access = this.metadata?.access_model ?? 'open';
    const s = this.standing;
    if (s === 'outcast') return false;
    return access === 'open' || access === 'local' || ['owner', 'moderator', 'publisher', 'member'].includes(s);
  }

  renderHeader() {
    const channel = /** @type {string} */ (this.channel);
    const m = this.metadata ?? {};
    const s = this.standing;
    const mine = s === 'owner';
    const privateChannel = m.access_model === 'authorize' || m.access_model === 'whitelist';
    const followButton = mine || channel === this.bc.jid ? null : h('button', {
      id: 'follow-button', type: 'button', class: s === 'none' ? '' : 'secondary',
      onclick: () => this.toggleFollow(),
    }, s === 'pending' ? 'Request sent' : s === 'none' ? (privateChannel ? 'Ask to follow' : 'Follow') : 'Unfollow');
    replace(/** @type {HTMLElement} */ (this.header),
      this.app.avatar(channel),
      h('div', { class: 'titles' },
        h('h1', { id: 'channel-title' }, m.title || shortName(channel)),
        h('p', { class: 'jid' }, channel, privateChannel ? h('span', { class: 'badge' }, 'private') : null,
          s !== 'none' ? h('span', { class: 'badge', id: 'my-standing' }, s) : null),
        m.description ? h('p', { class: 'description' }, m.description) : null),
      followButton);
    // the composer is made again only when publishing became possible or impossible: never under someone's typing
    const slot = /** @type {HTMLElement} */ (this.composerSlot);
    if (this.canPublish() !== Boolean(slot.firstChild)) replace(slot, this.canPublish() ? this.composer() : null);
    if (mine || s === 'moderator') this.loadRequests();
  }

  canPublish() {
    return ['owner', 'moderator', 'publisher'].includes(this.standing);
  }

  async toggleFollow() {
    const channel = /** @type {string} */ (this.channel);
    try {
      const state = this.standing === 'none' ? await this.bc.follow(channel) : await this.bc.unfollow(channel);
      if (state === 'pending') this.app.notice('Request sent: an owner of the channel will answer it.');
      await this.app.refreshFollows();
    } catch (error) {
      this.app.error(error);
    }
  }

  async loadRequests() {
    const section = /** @type {HTMLElement} */ (this.requests);
    try {
      const pending = await this.bc.pendingRequests(/** @type {string} */ (this.channel));
      section.hidden = pending.length === 0;
      replace(section, h('h2', null, 'Follow requests'), h('ul', null, pending.map((p) => h('li', { dataset: { jid: p.jid } },
        this.app.avatar(p.jid), h('span', { class: 'name' }, p.jid),
        h('button', { type: 'button', class: 'approve', onclick: () => this.answer(p.jid, true) }, 'Approve'),
        h('button', { type: 'button', class: 'deny secondary', onclick: () => this.answer(p.jid, false) }, 'Refuse')))));
    } catch (error) {
      section.hidden = true;
    }
  }

  /** @param {string} jid @param {boolean} approve */
  async answer(jid, approve) {
    try {
      await this.bc.answerRequest(/** @type {string} */ (this.channel), jid, approve);
      this.app.notice(approve ? `${jid} follows now.` : `${jid} was refused.`);
      this.loadRequests();
    } catch (error) {
      this.app.error(error);
    }
  }

  /** The first page, or the next older one. @param {number} generation */
  async loadPosts(generation, older = false) {
    const channel = /** @type {string} */ (this.channel);
    this.readable = this.canRead();
    if (!this.readable) {
      replace(/** @type {HTMLElement} */ (this.posts), h('p', { class: 'empty', id: 'not-readable' },
        this.standing === 'pending' ? 'Your request to follow is waiting for an owner.'
          : this.standing === 'outcast' ? 'You are banned from this channel.'
            : 'This channel is private: ask to follow it to read its posts.'));
      replace(/** @type {HTMLElement} */ (this.footer));
      return;
    }
    let page;
    try {
      page = await this.bc.posts(channel, { max: PAGE, parentOnly: true, after: older ? this.older ?? undefined : undefined });
    } catch (error) {
      if (generation !== this.generation) return;
      replace(/** @type {HTMLElement} */ (this.posts), h('p', { class: 'empty' }, /** @type {Error} */ (error).message));
      return;
    }
    if (generation !== this.generation) return;
    if (!older) replace(/** @type {HTMLElement} */ (this.posts));
    if (!older && page.items.length === 0) {
      append(/** @type {HTMLElement} */ (this.posts), h('p', { class: 'empty', id: 'no-posts' }, 'No posts yet.'));
    }
    for (const post of page.items) this.posts?.append(this.article(post));
    this.older = page.items.length === PAGE && page.last ? page.last : null;
    this.renderFooter(generation);
    await Promise.all(page.items.map((post) => this.loadReplies(post.id, generation)));
  }

  /** @param {number} generation */
  renderFooter(generation) {
    this.observer?.disconnect();
    if (!this.older) {
      replace(/** @type {HTMLElement} */ (this.footer));
      return;
    }
    const more = h('button', { type: 'button', id: 'load-more', class: 'secondary',
      onclick: () => this.loadPosts(generation, true) }, 'Older posts');
    replace(/** @type {HTMLElement} */ (this.footer), more);
    this.observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) {
        this.observer?.disconnect();
        this.loadPosts(generation, true);
      }
    });
    this.observer.observe(more);
  }

  /** @param {string} postId @param {number} generation */
  async loadReplies(postId, generation) {
    try {
      const replies = await this.bc.replies(/** @type {string} */ (this.channel), postId);
      if (generation !== this.generation) return;
      for (const reply of replies.items.reverse()) this.addReply(reply);
    } catch {
      // the post went away meanwhile; a live retract removes it
    }
  }

  /** @param {any} post @returns {HTMLElement} */
  article(post) {
    const me = this.bc.jid;
    const mayChange = post.author === me;
    const mayDelete = mayChange || ['owner', 'moderator'].includes(this.standing);
    const body = h('div', { class: 'post-content' }, richText(post.content ?? '', me));
    const isReply = Boolean(post.replyTo);
    const article = h('article', { class: isReply ? 'reply' : 'post', dataset: { id: post.id, author: post.author }, tabindex: '-1' },
      h('header', null, this.app.avatar(post.author), h('strong', { class: 'author' }, post.author), ' ',
        timeElement(post.published), post.updated && post.updated !== post.published ? h('span', { class: 'edited' }, ' (edited)') : null),
      body,
      this.attachments(post),
      h('div', { class: 'actions' },
        !isReply && this.canReply() ? h('button', { type: 'button', class: 'link reply-button',
          onclick: () => this.openReply(article, post) }, 'Reply') : null,
        mayChange ? h('button', { type: 'button', class: 'link edit-button', onclick: () => this.edit(article, post) }, 'Edit') : null,
        mayDelete ? h('button', { type: 'button', class: 'link delete-button', onclick: (/** @type {Event} */ e) => this.remove(post,
          /** @type {HTMLButtonElement} */ (e.currentTarget)) }, 'Delete') : null));
    if (!isReply) append(article, h('div', { class: 'replies' }));
    this.articles.set(post.id, article);
    return article;
  }

  /** Replies are posts: members read, publishers (and above) also write. */
  canReply() {
    return this.canPublish();
  }

  /** Images as previews (fetched with the token: a private channel's files are not public), other files as links. */
  attachments(/** @type {any} */ post) {
    if (!post.media?.length) return null;
    const box = h('div', { class: 'post-media' });
    for (const ref of post.media) {
      const figure = h('figure', { class: 'media-item', dataset: { media: ref.id } }, h('span', { class: 'loading' }, 'Loading attachment…'));
      box.append(figure);
      this.showAttachment(figure, ref);
    }
    return box;
  }

  /** @param {HTMLElement} figure @param {{id: string, channel: string}} ref */
  async showAttachment(figure, ref) {
    try {
      const meta = await this.bc.mediaMetadata(ref.channel, ref.id);
      if (/^image\//.test(meta.mimeType ?? '')) {
        const preview = await this.bc.mediaBlob(ref.channel, ref.id, { maxWidth: 480, maxHeight: 360 });
        const url = URL.createObjectURL(preview);
        replace(figure, h('button', { type: 'button', class: 'image-button', title: `Open ${meta.fileName}`,
          onclick: () => this.openFull(ref, meta.fileName) }, h('img', { class: 'media-preview', src: url, alt: meta.title || meta.fileName })));
      } else {
        replace(figure, h('button', { type: 'button', class: 'link file-link', onclick: () => this.openFull(ref, meta.fileName) },
          `📎 ${meta.fileName} (${Math.ceil((meta.size ?? 0) / 1024)} KB)`));
      }
    } catch (error) {
      replace(figure, h('span', { class: 'empty' }, `Attachment not available: ${/** @type {Error} */ (error).message}`));
    }
  }

  /** @param {{id: string, channel: string}} ref @param {string} name */
  async openFull(ref, name) {
    try {
      const blob = await this.bc.mediaBlob(ref.channel, ref.id);
      const url = URL.createObjectURL(blob);
      const link = h('a', { href: url, download: name, target: '_blank', rel: 'noopener' });
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 60000);
    } catch (error) {
      this.app.error(error);
    }
  }

  /** @param {any} reply */
  addReply(reply) {
    if (this.articles.has(reply.id)) return;
    const parent = this.articles.get(reply.replyTo);
    parent?.querySelector('.replies')?.append(this.article(reply));
  }

  /** The composer for posts, with attachments. */
  composer() {
    const text = /** @type {HTMLTextAreaElement} */ (h('textarea', { id: 'post-text', rows: 3, placeholder: 'Write a post…',
      'aria-label': 'Write a post' }));
    const files = /** @type {HTMLInputElement} */ (h('input', { id: 'post-file', type: 'file', multiple: true,
      'aria-label': 'Attach files' }));
    const chosen = h('ul', { class: 'chosen-files', id: 'chosen-files' });
    const progress = /** @type {HTMLProgressElement} */ (h('progress', { id: 'upload-progress', max: 100, value: 0, hidden: true }));
    /** @type {File[]} */
    let attached = [];
    const listFiles = () => replace(chosen, attached.map((f) => h('li', null, f.name)));
    files.addEventListener('change', () => {
      attached = [...(files.files ?? [])];
      listFiles();
    });
    const form = h('form', { id: 'composer', class: 'composer', onsubmit: async (/** @type {Event} */ e) => {
      e.preventDefault();
      const content = text.value.trim();
      if (!content && attached.length === 0) return this.app.notice('Write something or attach a file.', 'error');
      const submit = /** @type {HTMLButtonElement} */ (form.querySelector('#post-submit'));
      submit.disabled = true;
      try {
        const media = await this.upload(attached, progress);
        await this.bc.publish(/** @type {string} */ (this.channel), { content: content || attached.map((f) => f.name).join(', '), media });
        text.value = '';
        files.value = '';
        attached = [];
        listFiles();
      } catch (error) {
        this.app.error(error);
      } finally {
        submit.disabled = false;
        progress.hidden = true;
      }
      return undefined;
    } },
    text, h('div', { class: 'row' }, h('label', { class: 'file-label' }, files, 'Attach files'), chosen, progress,
      h('button', { type: 'submit', id: 'post-submit' }, 'Post')));
    // drop files anywhere on the composer
    form.addEventListener('dragover', (e) => { e.preventDefault(); form.classList.add('dropping'); });
    form.addEventListener('dragleave', () => form.classList.remove('dropping'));
    form.addEventListener('drop', (e) => {
      e.preventDefault();
      form.classList.remove('dropping');
      attached = [...attached, ...(e.dataTransfer?.files ?? [])];
      listFiles();
    });
    text.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) form.requestSubmit();
    });
    return form;
  }

  /** Uploads the files one after the other with one progress bar over all of them. */
  async upload(/** @type {File[]} */ files, /** @type {HTMLProgressElement} */ progress) {
    const total = files.reduce((sum, f) => sum + f.size, 0) || 1;
    let done = 0;
    const refs = [];
    if (files.length) progress.hidden = false;
    for (const file of files) {
      const media = await this.bc.uploadMedia(/** @type {string} */ (this.channel), file, {
        onProgress: (sent) => { progress.value = Math.round(((done + sent) / total) * 100); },
      });
      done += file.size;
      refs.push({ id: media.id, channel: /** @type {string} */ (this.channel) });
    }
    return refs;
  }

  /** @param {HTMLElement} article @param {any} post */
  openReply(article, post) {
    if (article.querySelector('.reply-form')) return;
    const text = /** @type {HTMLTextAreaElement} */ (h('textarea', { class: 'reply-text', rows: 2, 'aria-label': `Reply to ${post.author}` }));
    const form = h('form', { class: 'reply-form', onsubmit: async (/** @type {Event} */ e) => {
      e.preventDefault();
      if (!text.value.trim()) return;
      try {
        await this.bc.publish(/** @type {string} */ (this.channel), { content: text.value.trim(), replyTo: post.id });
        form.remove();
      } catch (error) {
        this.app.error(error);
      }
    } }, text, h('div', { class: 'row' }, h('button', { type: 'submit', class: 'reply-submit' }, 'Reply'),
      h('button', { type: 'button', class: 'secondary', onclick: () => form.remove() }, 'Cancel')));
    article.querySelector('.actions')?.after(form);
    text.focus();
  }

  /** @param {HTMLElement} article @param {any} post */
  edit(article, post) {
    const body = /** @type {HTMLElement} */ (article.querySelector('.post-content'));
    const text = /** @type {HTMLTextAreaElement} */ (h('textarea', { class: 'edit-text', rows: 3, 'aria-label': 'Edit post' }));
    text.value = post.content ?? '';
    const form = h('form', { class: 'edit-form', onsubmit: async (/** @type {Event} */ e) => {
      e.preventDefault();
      try {
        const saved = await this.bc.editPost(/** @type {string} */ (this.channel), post, text.value.trim());
        this.updated(saved);
      } catch (error) {
        this.app.error(error);
      }
    } }, text, h('div', { class: 'row' }, h('button', { type: 'submit', class: 'edit-save' }, 'Save'),
      h('button', { type: 'button', class: 'secondary', onclick: () => form.replaceWith(body) }, 'Cancel')));
    body.replaceWith(form);
    text.focus();
  }

  /** A second press confirms: deleting takes the replies too. @param {any} post @param {HTMLButtonElement} button */
  async remove(post, button) {
    if (button.dataset.confirm !== 'yes') {
      button.dataset.confirm = 'yes';
      button.textContent = post.replyTo ? 'Really delete?' : 'Delete with its replies?';
      setTimeout(() => { button.dataset.confirm = ''; button.textContent = 'Delete'; }, 5000);
      return;
    }
    try {
      await this.bc.deletePost(/** @type {string} */ (this.channel), post.id);
      this.removed(post.id);
    } catch (error) {
      this.app.error(error);
    }
  }

  /** @param {any} post */
  updated(post) {
    const old = this.articles.get(post.id);
    if (!old) return;
    const replies = old.querySelector('.replies');
    this.articles.delete(post.id);
    const fresh = this.article(post);
    if (replies) fresh.querySelector('.replies')?.replaceWith(replies);
    old.replaceWith(fresh);
  }

  /** @param {string} id */
  removed(id) {
    const article = this.articles.get(id);
    article?.querySelectorAll('article').forEach((a) => this.articles.delete(/** @type {string} */ (a.dataset.id)));
    article?.remove();
    this.articles.delete(id);
  }

  /** @param {{type: string, data: any}} event */
  onLive({ type, data }) {
    if (data.channel !== this.channel) return;
    if (data.node !== 'posts') return;
    if (type === 'post' && data.post) {
      if (this.articles.has(data.post.id)) return;
      if (data.post.replyTo) this.addReply(data.post);
      else {
        byId('no-posts')?.remove();
        this.posts?.prepend(this.article(data.post));
      }
    } else if (type === 'post-updated' && data.post) {
      this.updated(data.post);
    } else if (type === 'retract') {
      this.removed(data.id);
    } else if (type === 'subscription' && data.subscription === 'pending' && ['owner', 'moderator'].includes(this.standing)) {
      this.loadRequests();
    } else if ((type === 'affiliation' || type === 'subscription') && data.jid !== this.bc.jid && this.requests && !this.requests.hidden) {
      this.loadRequests();
    }
  }
}
