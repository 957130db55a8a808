// The Buddycloud JavaScript SDK: the whole HTTP API of a Buddycloud gateway (accounts and tokens, channels, posts and
// threads, followers and approvals, media, live updates, search, recommendations, notifications) plus XMPP over
// WebSocket for direct messages. Plain ES modules, no dependencies; runs in browsers and in Node 20+.
// See web-client/README.md for a tour with examples.

import { LiveStream } from './live.js';
import { XmppClient } from './xmpp.js';

export { LiveStream } from './live.js';
export { XmppClient, bareJid } from './xmpp.js';

/**
 * @typedef {object} Session
 * @property {string} jid
 * @property {string} accessToken
 * @property {string} refreshToken
 * @property {number} expiresAt  milliseconds since the epoch
 *
 * @typedef {object} MediaRef
 * @property {string} id
 * @property {string} channel
 *
 * @typedef {object} Post
 * @property {string} id
 * @property {string} author
 * @property {string} published  ISO-8601
 * @property {string} updated
 * @property {string} [title]
 * @property {string} content
 * @property {string} [replyTo]  the parent post's id, for replies
 * @property {MediaRef[]} [media]
 *
 * @typedef {object} Page
 * @property {Post[]} items  newest first
 * @property {string|null} first
 * @property {string|null} last   pass as `after` for the next, older page
 * @property {number} count      how many there are in all
 *
 * @typedef {object} Media
 * @property {string} id
 * @property {string} fileName
 * @property {string} mimeType
 * @property {number} size
 * @property {number} [width]
 * @property {number} [height]
 */

/** An answer the API refused, with its reason in words (`message`) and the machine-readable rest. */
export class BuddycloudError extends Error {
  /**
   * @param {string} message
   * @param {{status?: number, condition?: string, appCondition?: string, retryAfter?: number}} [details]
   */
  constructor(message, { status = 0, condition, appCondition, retryAfter } = {}) {
    super(message);
    this.name = 'BuddycloudError';
    this.status = status;
    this.condition = condition;
    this.appCondition = appCondition;
    this.retryAfter = retryAfter;
  }
}

/** Words for the statuses whose problem body may say too little for a person. */
const PLAIN = /** @type {Record<number,string>} */ ({
  401: 'Please log in again.', 403: 'You are not allowed to do that.', 404: 'Not found.', 409: 'That exists already.',
  413: 'That is too large.', 429: 'Too many requests; wait a moment.', 502: 'A service broke off; try again.',
  503: 'That service is not available right now.', 504: 'A service took too long to answer.',
});

const enc = encodeURIComponent;

/**
 * A client of one Buddycloud gateway. Events (CustomEvent.detail): 'session' (the new {@link Session}, or null when
 * logged out or when the session could not be renewed).
 *
 * @example
 * import { Buddycloud } from '/sdk/buddycloud.js';
 * const bc = new Buddycloud({ baseUrl: 'https://buddycloud.example.com' });
 * await bc.login('juliet', 'wherefore-art-thou');
 * await bc.publish('juliet@example.com', { content: 'Wherefore art thou?' });
 * const { items } = await bc.posts('juliet@example.com', { max: 10 });
 */
export class Buddycloud extends EventTarget {
  /**
   * @param {{baseUrl?: string, session?: Session|null, fetchImpl?: typeof fetch}} [options]
   *   baseUrl: the gateway (default: this page's origin); session: one kept from an earlier login
   */
  constructor({ baseUrl, session = null, fetchImpl } = {}) {
    super();
    this.baseUrl = (baseUrl ?? globalThis.location.origin).replace(/\/$/, '');
    /** @type {Session|null} */
    this.session = session;
    this.fetchImpl = fetchImpl ?? globalThis.fetch.bind(globalThis);
    /** @type {Promise<Session|null>|null} one refresh at a time */
    this.refreshing = null;
    /** @type {Promise<Session|null>|null} while a password change logs in again: the new session (null if none) */
    this.relogin = null;
  }

  /** The logged-in user's JID, or null. */
  get jid() {
    return this.session?.jid ?? null;
  }

  /** The domain part of a JID. @param {string} jid */
  static domainOf(jid) {
    return jid.slice(jid.indexOf('@') + 1).split('/')[0];
  }

  // ---- accounts and tokens ----

  /**
   * Creates an account; does not log in.
   * @param {{username: string, password: string, email?: string}} account
   * @returns {Promise<{jid: string}>}
   */
  register(account) {
    return this.request('POST', '/account', { json: account, anonymous: true });
  }

  /**
   * Logs in with a user name (or bare JID) and password: a 15-minute access token, renewed with the refresh token.
   * @param {string} username @param {string} password @returns {Promise<Session>}
   */
  async login(username, password) {
    const basic = btoa(String.fromCharCode(...new TextEncoder().encode(`${username}:${password}`)));
    const tokens = await this.request('POST', '/auth/token', { headers: { Authorization: `Basic ${basic}` }, anonymous: true });
    const who = await this.request('GET', '/whoami', { headers: { Authorization: `Bearer ${tokens.access_token}` }, anonymous: true });
    return this.adopt(tokens, who.jid);
  }

  /** Renews the access token with the refresh token; null (and logged out) when that is no longer accepted. */
  refresh() {
    if (!this.session) return Promise.resolve(null);
    if (!this.refreshing) {
      const { refreshToken, jid } = this.session;
      this.refreshing = this.request('POST', '/auth/refresh', { json: { refresh_token: refreshToken }, anonymous: true })
        .then((tokens) => this.adopt(tokens, jid))
        .catch(async (error) => {
          if (!(error instanceof BuddycloudError && error.status >= 400 && error.status < 500)) throw error;
          // a password change ends every earlier token, this one too: its new login is the renewed session
          const renewed = await this.relogin;
          if (renewed) return renewed;
          // only the session whose token was refused ends; one logged in meanwhile stays
          if (this.session?.refreshToken === refreshToken) this.setSession(null);
          return this.session;
        })
        .finally(() => { this.refreshing = null; });
    }
    return this.refreshing;
  }

  /** An access token that is good for at least another 30 seconds (renewed if needed), or null when logged out. */
  async freshAccessToken() {
    if (this.session && this.session.expiresAt - Date.now() < 30000) await this.refresh();
    return this.session?.accessToken ?? null;
  }

  /** Logs out: both tokens are revoked at the server. */
  async logout() {
    const session = this.session;
    this.setSession(null);
    if (!session) return;
    await Promise.allSettled([session.refreshToken, session.accessToken].map((token) =>
      this.request('POST', '/auth/revoke', { json: { token }, headers: { Authorization: `Bearer ${session.accessToken}` }, anonymous: true })));
  }

  /**
   * Changes the password; every earlier token ends, so this logs in again with the new one. Whatever finds its token
   * refused in between (the live stream, a request in flight) waits for that login instead of logging out.
   */
  async changePassword(/** @type {string} */ currentPassword, /** @type {string} */ newPassword) {
    const jid = this.requireJid();
    const username = jid.split('@')[0];
    const token = await this.freshAccessToken();
    /** @type {(session: Session|null) => void} */
    let settle = () => {};
    const relogin = this.relogin = new Promise((resolve) => { settle = resolve; });
    try {
      // sent as is: a refusal here must not wait for the very login it holds up
      await this.request('POST', '/account/pw/change', { json: { username, password: newPassword, currentPassword },
        headers: { Authorization: `Bearer ${token}` }, anonymous: true });
      const session = await this.login(username, newPassword);
      settle(session);
      return session;
    } catch (error) {
      settle(null);
      throw error;
    } finally {
      if (this.relogin === relogin) this.relogin = null;
    }
  }

  /** @returns {Promise<{jid: string}>} */
  whoami() {
    return this.request('GET', '/whoami');
  }

  // ---- channels, posts and threads ----

  /**
   * What the caller follows: "channel/node" → affiliation, or "pending" while a private channel has not answered.
   * @returns {Promise<Record<string,string>>}
   */
  subscriptions() {
    return this.request('GET', '/subscribed');
  }

  /** Follows a channel; private channels answer "pending" until an owner approves. @returns {Promise<string>} the state */
  async follow(/** @type {string} */ channel, node = 'posts') {
    const answer = await this.request('POST', '/subscribed', { json: { [`${channel}/${node}`]: 'subscribed' } });
    return answer[`${channel}/${node}`];
  }

  /** Stops following (or withdraws a request). */
  async unfollow(/** @type {string} */ channel, node = 'posts') {
    const answer = await this.request('POST', '/subscribed', { json: { [`${channel}/${node}`]: 'none' } });
    return answer[`${channel}/${node}`];
  }

  /**
   * Creates a topic channel name@topics.<domain> owned by the caller and configures it.
   * @param {string} name
   * @param {{title?: string, description?: string, private?: boolean, defaultAffiliation?: 'member'|'publisher'}} [options]
   *   private: only approved followers read it (access model "authorize"); followers publish by default
   * @returns {Promise<string>} the channel's JID
   */
  async createTopicChannel(name, { title, description, private: closed = false, defaultAffiliation = 'publisher' } = {}) {
    const domain = Buddycloud.domainOf(this.requireJid());
    const jid = name.includes('@') ? name : `${name.trim().toLowerCase()}@topics.${domain}`;
    const created = await this.request('POST', `/${enc(jid)}`);
    await this.configure(created.channel, {
      title: title ?? name, description, access_model: closed ? 'authorize' : 'open', default_affiliation: defaultAffiliation,
    });
    return created.channel;
  }

  /** A node's configuration: title, description, access_model, default_affiliation, channel_type, creator, … */
  metadata(/** @type {string} */ channel, node = 'posts') {
    return this.request('GET', `/${enc(channel)}/metadata/${enc(node)}`);
  }

  /** Changes a node's configuration (owners); fields left out stay. @param {string} channel @param {object} fields */
  configure(channel, fields, node = 'posts') {
    return this.request('POST', `/${enc(channel)}/metadata/${enc(node)}`, { json: fields });
  }

  /**
   * A page of posts, newest first; pass `after: page.last` for the next older page.
   * @param {string} channel
   * @param {{node?: string, max?: number, after?: string, before?: string, parentOnly?: boolean}} [options]
   * @returns {Promise<Page>}
   */
  async posts(channel, { node = 'posts', max = 20, after, before, parentOnly = false } = {}) {
    return this.page(`/${enc(channel)}/content/${enc(node)}`, { max, after, before, parentOnly: parentOnly || undefined });
  }

  /** The replies to a post, newest first. @returns {Promise<Page>} */
  replies(/** @type {string} */ channel, /** @type {string} */ postId, { node = 'posts', max = 50, after = undefined } = {}) {
    return this.page(`/${enc(channel)}/content/${enc(node)}/${enc(postId)}/replyto`, { max, after });
  }

  /** One post. @returns {Promise<Post>} */
  getPost(/** @type {string} */ channel, /** @type {string} */ postId, node = 'posts') {
    return this.request('GET', `/${enc(channel)}/content/${enc(node)}/${enc(postId)}`);
  }

  /**
   * Publishes a post, or a reply with `replyTo`. Media: files uploaded to a channel first ({@link uploadMedia}).
   * @param {string} channel
   * @param {{content: string, replyTo?: string, media?: MediaRef[], title?: string}} post
   * @returns {Promise<Post>}
   */
  publish(channel, post, node = 'posts') {
    return this.request('POST', `/${enc(channel)}/content/${enc(node)}`, { json: post });
  }

  /** Edits one's own post (its id stays; replies keep their parent). @returns {Promise<Post>} */
  editPost(/** @type {string} */ channel, /** @type {Post} */ post, /** @type {string} */ content, node = 'posts') {
    return this.publish(channel, { id: post.id, content, replyTo: post.replyTo, media: post.media, title: post.title }, node);
  }

  /** Deletes a post (its author, owners and moderators); its replies go with it. */
  deletePost(/** @type {string} */ channel, /** @type {string} */ postId, node = 'posts') {
    return this.request('DELETE', `/${enc(channel)}/content/${enc(node)}/${enc(postId)}`);
  }

  // ---- followers and approvals ----

  /** Followers → affiliation (owners and moderators also see pending and banned JIDs). @returns {Promise<Record<string,string>>} */
  followers(/** @type {string} */ channel, node = 'posts') {
    return this.request('GET', `/${enc(channel)}/subscribers/${enc(node)}`);
  }

  /** Follow requests waiting for an owner or moderator. @returns {Promise<Array<{jid: string, subscription: string}>>} */
  pendingRequests(/** @type {string} */ channel, node = 'posts') {
    return this.request('GET', `/${enc(channel)}/subscribers/${enc(node)}/approve`);
  }

  /** Approves or refuses a follow request. */
  answerRequest(/** @type {string} */ channel, /** @type {string} */ jid, /** @type {boolean} */ approve, node = 'posts') {
    return this.request('POST', `/${enc(channel)}/subscribers/${enc(node)}/approve`,
      { json: [{ jid, subscription: approve ? 'subscribed' : 'none' }] });
  }

  /** Sets affiliations (owner, moderator, publisher, member, outcast, none). @param {string} channel @param {Record<string,string>} affiliations */
  setAffiliations(channel, affiliations, node = 'posts') {
    return this.request('POST', `/${enc(channel)}/subscribers/${enc(node)}`, { json: affiliations });
  }

  // ---- media ----

  /**
   * Uploads a file to a channel's media (owners, moderators and publishers). onProgress gets (sent, total) bytes.
   * @param {string} channel @param {Blob & {name?: string}} file
   * @param {{title?: string, description?: string, onProgress?: (sent: number, total: number) => void}} [options]
   * @returns {Promise<Media>}
   */
  async uploadMedia(channel, file, { title, description, onProgress } = {}) {
    const form = new FormData();
    form.append('file', file, file.name ?? 'file');
    if (file.name) form.append('filename', file.name);
    if (title) form.append('title', title);
    if (description) form.append('description', description);
    const path = `/${enc(channel)}/media`;
    if (onProgress && typeof XMLHttpRequest !== 'undefined') return this.uploadWithProgress(path, form, onProgress);
    const media = await this.request('POST', path, { body: form });
    onProgress?.(file.size, file.size);
    return media;
  }

  /** XMLHttpRequest is the one browser API that reports upload progress. */
  async uploadWithProgress(/** @type {string} */ path, /** @type {FormData} */ form, /** @type {Function} */ onProgress) {
    const token = await this.freshAccessToken();
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', this.baseUrl + path);
      if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
      xhr.upload.onprogress = (e) => onProgress(e.loaded, e.total);
      xhr.onerror = () => reject(new BuddycloudError('Cannot reach the server; check your connection.'));
      xhr.onload = () => {
        const text = xhr.responseText;
        if (xhr.status >= 200 && xhr.status < 300) resolve(text ? JSON.parse(text) : null);
        else reject(problem(xhr.status, text, xhr.getResponseHeader('Retry-After')));
      };
      xhr.send(form);
    });
  }

  /** A channel's files, newest first. @returns {Promise<Media[]>} */
  mediaList(/** @type {string} */ channel, { max = 20, after = undefined } = {}) {
    return this.request('GET', `/${enc(channel)}/media${query({ max, after })}`);
  }

  /**
   * A file's bytes (or a preview that fits maxWidth × maxHeight) as a Blob, with the caller's token: a private
   * channel's files are not readable by a plain <img src>. Make an object URL of it to show it.
   * @param {string} channel @param {string} id @param {{maxWidth?: number, maxHeight?: number}} [preview]
   * @returns {Promise<Blob>}
   */
  async mediaBlob(channel, id, { maxWidth, maxHeight } = {}) {
    const response = await this.send('GET', `/${enc(channel)}/media/${enc(id)}${query({ maxwidth: maxWidth, maxheight: maxHeight })}`,
      { headers: { Accept: '*/*' } });
    return response.blob();
  }

  /** A file's metadata. @returns {Promise<Media>} */
  mediaMetadata(/** @type {string} */ channel, /** @type {string} */ id) {
    return this.request('GET', `/${enc(channel)}/media/${enc(id)}/metadata`);
  }

  /** Deletes a file (its uploader, owners and moderators). */
  deleteMedia(/** @type {string} */ channel, /** @type {string} */ id) {
    return this.request('DELETE', `/${enc(channel)}/media/${enc(id)}`);
  }

  /** Replaces a channel's avatar (the caller's own by default). @param {Blob & {name?: string}} image */
  setAvatar(image, channel = this.requireJid()) {
    const form = new FormData();
    form.append('file', image, image.name ?? 'avatar');
    return this.request('PUT', `/${enc(channel)}/media/avatar`, { body: form });
  }

  /**
   * Where a channel's avatar is (public). It answers 204 with no image when the channel has none, so an <img> of
   * it fires 'error' without a failed request in the console: show a placeholder then.
   * @param {string} channel
   */
  avatarUrl(channel, { size = 64 } = {}) {
    return `${this.baseUrl}/${enc(channel)}/media/avatar?maxwidth=${size}&maxheight=${size}&default=none`;
  }

  // ---- live updates ----

  /**
   * A live stream of what happens in the caller's channels (or in `channels`), as far as the caller may read them.
   * Call start() on it.
   * @param {{channels?: string[], since?: string}} [options] @returns {LiveStream}
   */
  live(options) {
    return new LiveStream(this, options);
  }

  // ---- search and discovery ----

  /**
   * Full-text search of posts (open ones, and what the caller may read), with `<em>` highlights.
   * @param {string} q @param {{max?: number, index?: number, channel?: string, author?: string, order?: 'relevance'|'newest', followed?: boolean}} [options]
   * @returns {Promise<{items: Array<Post & {channel: string, highlights: string[]}>, rsm: {index: number, count: number}}>}
   */
  searchPosts(q, options = {}) {
    return this.request('GET', `/search${query({ type: 'content', q, ...options })}`);
  }

  /** The channel directory: channels by title, description, JID and owner. */
  searchChannels(/** @type {string} */ q, { max = 20, index = undefined } = {}) {
    return this.request('GET', `/search${query({ type: 'metadata', q, max, index })}`);
  }

  /** Channels about a place, nearest first. */
  nearby(/** @type {number} */ lat, /** @type {number} */ lon, { radius = 50, max = 20 } = {}) {
    return this.request('GET', `/search/nearby${query({ lat, lon, radius, max })}`);
  }

  /** The channels with the most posts in the last `period` days. @returns {Promise<{items: Array<{jid: string, posts: number, title?: string, description?: string}>}>} */
  mostActive({ period = 7, domain = undefined, max = 10 } = {}) {
    return this.request('GET', `/search/most_active${query({ period, domain, max })}`);
  }

  /**
   * Channels the caller might like, from the taste engine. While no taste engine runs (503), the most active
   * channels the caller does not follow stand in, and `source` says so.
   * @returns {Promise<{items: Array<{jid: string, title?: string, description?: string}>, source: 'taste-engine'|'most-active'}>}
   */
  async recommendations({ max = 5 } = {}) {
    try {
      const answer = await this.request('GET', `/recommendations${query({ max })}`);
      return { items: answer.items ?? answer, source: 'taste-engine' };
    } catch (error) {
      if (!(error instanceof BuddycloudError) || (error.status !== 503 && error.status !== 404)) throw error;
      const [active, followed] = await Promise.all([this.mostActive({ max: max * 3 }),
        this.session ? this.subscriptions() : Promise.resolve({})]);
      const mine = new Set(Object.keys(followed).map((key) => key.split('/')[0]));
      return { items: active.items.filter((c) => !mine.has(c.jid) && c.jid !== this.jid).slice(0, max), source: 'most-active' };
    }
  }

  // ---- notifications ----

  /** The caller's notification targets and their switches (postMentionedMe, postAfterMe, followRequest, …). */
  notificationSettings() {
    return this.request('GET', '/notification_settings');
  }

  /**
   * Changes switches of one target, e.g. {type: 'email', target: 'juliet@example.com', postMentionedMe: true}.
   * @param {{type: 'gcm'|'webpush'|'email', target: string} & Record<string, any>} settings
   */
  updateNotificationSettings(settings) {
    return this.request('POST', '/notification_settings', { json: settings });
  }

  /** Quiet hours, muted channels, digest. */
  notificationPreferences() {
    return this.request('GET', '/notification_preferences');
  }

  /** @param {object} preferences the fields to change */
  updateNotificationPreferences(preferences) {
    return this.request('PUT', '/notification_preferences', { json: preferences });
  }

  /**
   * Notifications in this browser: subscribes the service worker's PushManager with the server's VAPID key and
   * registers the subscription. Needs a service worker registration and the person's permission.
   * @param {ServiceWorkerRegistration} registration @param {Record<string, boolean>} [switches]
   * @returns {Promise<{id: number}>} the device
   */
  async enableWebPush(registration, switches) {
    const { publicKey } = await this.request('GET', '/vapid_public_key', { anonymous: true });
    const key = Uint8Array.from(atob(publicKey.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
    const subscription = await registration.pushManager.getSubscription()
      ?? await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
    return this.request('POST', '/devices', { json: { type: 'webpush', subscription: subscription.toJSON(), settings: switches } });
  }

  /** The devices (FCM tokens, Web Push subscriptions) registered for the caller. */
  devices() {
    return this.request('GET', '/devices');
  }

  /** @param {number} id */
  removeDevice(id) {
    return this.request('DELETE', `/devices/${enc(id)}`);
  }

  // ---- XMPP ----

  /**
   * An XMPP client over the gateway's WebSocket for direct messages and presence; log in with connect(user, password).
   * @param {{resource?: string}} [options] @returns {XmppClient}
   */
  xmpp({ resource = 'web' } = {}) {
    const url = `${this.baseUrl.replace(/^http/, 'ws')}/xmpp-websocket`;
    return new XmppClient({ url, domain: Buddycloud.domainOf(this.requireJid()), resource });
  }

  // ---- plumbing ----

  /**
   * A request whose JSON answer is returned (null for an empty one); a refusal throws {@link BuddycloudError}.
   * @param {string} method @param {string} path
   * @param {{json?: any, body?: BodyInit, headers?: Record<string,string>, anonymous?: boolean}} [options]
   */
  async request(method, path, options = {}) {
    const response = await this.send(method, path, options);
    const text = await response.text();
    return text ? JSON.parse(text) : null;
  }

  /** @param {string} path */
  async page(path, /** @type {Record<string, any>} */ params) {
    const response = await this.send('GET', path + query(params));
    const items = await response.json();
    return { items, first: response.headers.get('X-RSM-First'), last: response.headers.get('X-RSM-Last'),
      count: Number(response.headers.get('X-RSM-Count') ?? items.length) };
  }

  /**
   * Sends with the caller's token (renewed first when about to expire, and once more on a 401).
   * @param {string} method @param {string} path
   * @param {{json?: any, body?: BodyInit, headers?: Record<string,string>, anonymous?: boolean}} [options]
   * @returns {Promise<Response>}
   */
  async send(method, path, { json, body, headers = {}, anonymous = false } = {}) {
    for (let attempt = 0; ; attempt += 1) {
      const all = { Accept: 'application/json', ...headers };
      const token = anonymous ? null : await this.freshAccessToken();
      if (token && !all.Authorization) all.Authorization = `Bearer ${token}`;
      if (json !== undefined) all['Content-Type'] = 'application/json';
      let response;
      try {
        response = await this.fetchImpl(this.baseUrl + path, { method, headers: all, body: json !== undefined ? JSON.stringify(json) : body });
      } catch {
        throw new BuddycloudError('Cannot reach the server; check your connection.');
      }
      if (response.ok) return response;
      const refusal = problem(response.status, await response.text(), response.headers.get('Retry-After'));
      // a token refused at the edge is renewed once; a 401 with a buddycloud condition (a follow request still
      // pending) is about the channel, not the token
      if (response.status === 401 && token && attempt === 0 && !refusal.appCondition && await this.refresh()) continue;
      throw refusal;
    }
  }

  /** @param {any} tokens @param {string} jid @returns {Session} */
  adopt(tokens, jid) {
    const session = { jid, accessToken: tokens.access_token, refreshToken: tokens.refresh_token ?? this.session?.refreshToken,
      expiresAt: Date.now() + Number(tokens.expires_in ?? 900) * 1000 };
    this.setSession(session);
    return session;
  }

  /** @param {Session|null} session */
  setSession(session) {
    this.session = session;
    this.dispatchEvent(new CustomEvent('session', { detail: session }));
  }

  requireJid() {
    if (!this.session) throw new BuddycloudError('Please log in first.', { status: 401 });
    return this.session.jid;
  }
}

/** A query string of the defined parameters. @param {Record<string, any>} params */
function query(params) {
  const q = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== null) q.append(key, String(value));
  const text = q.toString();
  return text ? `?${text}` : '';
}

/** A refusal in words: the problem's detail when it has one, else a plain sentence for the status. */
function problem(/** @type {number} */ status, /** @type {string} */ text, /** @type {string|null} */ retryAfter) {
  let body = {};
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    body = {};
  }
  const b = /** @type {any} */ (body);
  const detail = typeof b.detail === 'string' && b.detail ? b.detail : null;
  const message = detail ? detail.charAt(0).toUpperCase() + detail.slice(1) : PLAIN[status] ?? `The server answered ${status}.`;
  return new BuddycloudError(message, { status, condition: b.condition, appCondition: b.appCondition,
    retryAfter: retryAfter ? Number(retryAfter) : undefined });
}
