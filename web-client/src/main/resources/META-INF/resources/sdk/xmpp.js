// A small XMPP client over WebSocket (RFC 7395) for direct messages and presence: no XMPP library for browsers is
// on Maven Central, and this much of the protocol fits in a page. SASL SCRAM-SHA-256 on WebCrypto, resource binding,
// one-to-one chat and presence; the server keeps chat for users who are away and hands it over when they log in.

import { parseElements, build, child, textOf, localName } from './xml.js';
import { ScramSha256, toBase64, fromBase64 } from './scram.js';

const FRAMING = 'urn:ietf:params:xml:ns:xmpp-framing';
const SASL = 'urn:ietf:params:xml:ns:xmpp-sasl';
const BIND = 'urn:ietf:params:xml:ns:xmpp-bind';
const STANZAS = 'urn:ietf:params:xml:ns:xmpp-stanzas';
/** RFC 7395 §3.3.3: over WebSocket every stanza names its namespace itself. */
const CLIENT = 'jabber:client';

/**
 * @typedef {object} ChatMessage
 * @property {string} id
 * @property {string} from   bare JID of the sender
 * @property {string} to     bare JID of the recipient
 * @property {string} body
 * @property {Date} at       when it was sent (a delayed message carries its original time, XEP-0203)
 * @property {boolean} delayed  kept by the server while the recipient was away
 */

/** @param {string} jid */
export const bareJid = (jid) => jid.split('/')[0];

/**
 * XMPP over WebSocket. Events (CustomEvent.detail): 'status' ('connecting' | 'online' | 'reconnecting' | 'offline'),
 * 'message' ({@link ChatMessage}), 'presence' ({from, available, show, status}), 'error' (Error).
 *
 * @example
 * const xmpp = new XmppClient({ url: 'wss://example.com/xmpp-websocket', domain: 'example.com' });
 * xmpp.addEventListener('message', (e) => console.log(e.detail.from, e.detail.body));
 * await xmpp.connect('juliet', 'wherefore-art-thou');
 * xmpp.sendMessage('romeo@example.com', 'Parting is such sweet sorrow');
 */
export class XmppClient extends EventTarget {
  /** @param {{url: string, domain: string, resource?: string, reconnect?: boolean, WebSocketImpl?: typeof WebSocket}} options */
  constructor({ url, domain, resource = 'web', reconnect = true, WebSocketImpl }) {
    super();
    this.url = url;
    this.domain = domain;
    this.resource = resource;
    this.reconnect = reconnect;
    this.WebSocketImpl = WebSocketImpl ?? globalThis.WebSocket;
    /** @type {string|null} the full JID once bound */
    this.jid = null;
    this.status = 'offline';
    /** @type {WebSocket|null} */
    this.socket = null;
    /** @type {Array<{match: (e: import('./xml.js').XmlElement) => boolean, resolve: Function, reject: Function}>} */
    this.waiting = [];
    this.closing = false;
    this.attempt = 0;
    this.counter = 0;
  }

  /**
   * Logs in and goes online; resolves with the bound full JID. A dropped connection is taken up again (with back-off)
   * until close() is called.
   * @param {string} username the local part (or a bare JID of this domain) @param {string} password
   * @returns {Promise<string>}
   */
  async connect(username, password) {
    this.credentials = { username: username.split('@')[0], password };
    this.closing = false;
    return this.session();
  }

  /** @returns {Promise<string>} */
  async session() {
    this.setStatus(this.attempt > 0 ? 'reconnecting' : 'connecting');
    const socket = await this.open();
    try {
      let features = await this.startStream(socket);
      const mechanisms = child(features, 'mechanisms', SASL);
      const offered = mechanisms ? mechanisms.children.filter((c) => typeof c !== 'string').map((c) => textOf(c)) : [];
      if (!offered.includes('SCRAM-SHA-256')) throw new Error(`the server offers no SCRAM-SHA-256 (only ${offered.join(', ')})`);
      await this.authenticate(socket);
      features = await this.startStream(socket);
      if (!child(features, 'bind', BIND)) throw new Error('the server offers no resource binding');
      const bound = await this.iq('set', build('bind', { xmlns: BIND }, build('resource', {}, this.resource)));
      this.jid = textOf(child(/** @type {any} */ (child(bound, 'bind', BIND)), 'jid'));
      this.send(build('presence', { xmlns: CLIENT }));
      this.attempt = 0;
      this.setStatus('online');
      return this.jid;
    } catch (error) {
      this.closing = true;
      socket.close();
      throw error;
    }
  }

  /** @returns {Promise<WebSocket>} */
  open() {
    return new Promise((resolve, reject) => {
      const socket = new this.WebSocketImpl(this.url, 'xmpp');
      this.socket = socket;
      socket.onopen = () => resolve(socket);
      socket.onerror = () => reject(new Error(`cannot reach the XMPP service at ${this.url}`));
      socket.onmessage = (event) => this.receive(String(event.data));
      socket.onclose = () => this.closed(socket);
    });
  }

  /** Opens (or restarts) the stream and waits for its features. @param {WebSocket} socket */
  async startStream(socket) {
    const features = this.next((e) => localName(e) === 'features');
    socket.send(build('open', { xmlns: FRAMING, to: this.domain, version: '1.0' }).xml);
    return features;
  }

  /** @param {WebSocket} socket */
  async authenticate(socket) {
    const scram = new ScramSha256(this.credentials.username, this.credentials.password);
    const decode = (/** @type {import('./xml.js').XmlElement} */ e) => new TextDecoder().decode(fromBase64(textOf(e)));
    const encode = (/** @type {string} */ s) => toBase64(new TextEncoder().encode(s));
    const sasl = (/** @type {import('./xml.js').XmlElement} */ e) => e.attrs.xmlns === SASL;
    let reply = this.next(sasl);
    socket.send(build('auth', { xmlns: SASL, mechanism: 'SCRAM-SHA-256' }, encode(scram.first())).xml);
    let answer = await reply;
    if (localName(answer) !== 'challenge') throw saslFailure(answer);
    const final = await scram.answer(decode(answer));
    reply = this.next(sasl);
    socket.send(build('response', { xmlns: SASL }, encode(final)).xml);
    answer = await reply;
    if (localName(answer) !== 'success') throw saslFailure(answer);
    scram.verify(decode(answer));
  }

  /**
   * Sends a chat message; returns its id.
   * @param {string} to a bare JID @param {string} body
   */
  sendMessage(to, body) {
    const id = this.nextId('m');
    this.send(build('message', { xmlns: CLIENT, to, type: 'chat', id }, build('body', {}, body)));
    return id;
  }

  /**
   * Presence: available (optionally with show/status), or unavailable; to a JID for directed presence.
   * @param {{available?: boolean, show?: 'away'|'chat'|'dnd'|'xa', status?: string, to?: string}} [presence]
   */
  sendPresence({ available = true, show, status, to } = {}) {
    const children = [];
    if (show) children.push(build('show', {}, show));
    if (status) children.push(build('status', {}, status));
    this.send(build('presence', { xmlns: CLIENT, to, type: available ? undefined : 'unavailable' }, ...children));
  }

  /** Ends the session (the server sends what arrives meanwhile to other resources or keeps it). */
  close() {
    this.closing = true;
    if (this.socket && this.socket.readyState === 1) {
      this.socket.send(build('close', { xmlns: FRAMING }).xml);
      this.socket.close();
    }
    this.setStatus('offline');
  }

  /**
   * An IQ request; resolves with the result, rejects with the error's condition and text.
   * @param {'get'|'set'} type @param {{xml: string}} payload @param {string} [to]
   * @returns {Promise<import('./xml.js').XmlElement>}
   */
  iq(type, payload, to) {
    const id = this.nextId('iq');
    const answer = this.next((e) => localName(e) === 'iq' && e.attrs.id === id);
    this.send(build('iq', { xmlns: CLIENT, type, id, to }, payload));
    return answer.then((reply) => {
      if (reply.attrs.type === 'error') throw stanzaError(reply);
      return reply;
    });
  }

  /** @param {{xml: string}} element */
  send(element) {
    if (!this.socket || this.socket.readyState !== 1) throw new Error('not connected to the XMPP service');
    this.socket.send(element.xml);
  }

  /** @param {string} frame */
  receive(frame) {
    let elements;
    try {
      elements = parseElements(frame);
    } catch (error) {
      this.dispatchEvent(new CustomEvent('error', { detail: new Error(`unreadable frame from the server: ${error.message}`) }));
      return;
    }
    for (const element of elements) this.handle(element);
  }

  /** @param {import('./xml.js').XmlElement} element */
  handle(element) {
    if (localName(element) === 'error' && element.name.startsWith('stream')) {
      const text = textOf(child(element, 'text'));
      this.dispatchEvent(new CustomEvent('error', { detail: new Error(`the server ended the session: ${text || 'stream error'}`) }));
      return;
    }
    const waiter = this.waiting.findIndex((w) => w.match(element));
    if (waiter >= 0) {
      this.waiting.splice(waiter, 1)[0].resolve(element);
      return;
    }
    switch (localName(element)) {
      case 'message': return this.onMessage(element);
      case 'presence': return this.onPresence(element);
      case 'iq': return this.onIq(element);
      default: return undefined;
    }
  }

  /** @param {import('./xml.js').XmlElement} element */
  onMessage(element) {
    const body = child(element, 'body');
    if (!body || element.attrs.type === 'error') return;
    const delay = child(element, 'delay', 'urn:xmpp:delay');
    /** @type {ChatMessage} */
    const message = {
      id: element.attrs.id ?? '', from: bareJid(element.attrs.from ?? this.domain), to: bareJid(element.attrs.to ?? ''),
      body: textOf(body), at: delay ? new Date(delay.attrs.stamp) : new Date(), delayed: Boolean(delay),
    };
    this.dispatchEvent(new CustomEvent('message', { detail: message }));
  }

  /** @param {import('./xml.js').XmlElement} element */
  onPresence(element) {
    const type = element.attrs.type;
    if (type && type !== 'unavailable') return;
    this.dispatchEvent(new CustomEvent('presence', { detail: {
      from: element.attrs.from, available: type !== 'unavailable', show: textOf(child(element, 'show')) || null,
      status: textOf(child(element, 'status')) || null } }));
  }

  /** Pings are answered; other requests this client does not serve get service-unavailable (RFC 6120 §8.4). */
  onIq(/** @type {import('./xml.js').XmlElement} */ element) {
    const { type, id, from } = element.attrs;
    if (type !== 'get' && type !== 'set') return;
    if (child(element, 'ping', 'urn:xmpp:ping')) {
      this.send(build('iq', { xmlns: CLIENT, type: 'result', id, to: from }));
      return;
    }
    this.send(build('iq', { xmlns: CLIENT, type: 'error', id, to: from }, build('error', { type: 'cancel' },
      build('service-unavailable', { xmlns: STANZAS }))));
  }

  /** @param {WebSocket} socket */
  closed(socket) {
    if (socket !== this.socket) return;
    for (const w of this.waiting.splice(0)) w.reject(new Error('the XMPP connection closed'));
    if (this.closing || !this.reconnect || !this.credentials || this.status !== 'online') {
      this.setStatus('offline');
      return;
    }
    this.retry();
  }

  retry() {
    this.attempt += 1;
    this.setStatus('reconnecting');
    const delay = Math.min(30000, 500 * 2 ** Math.min(this.attempt, 6)) * (0.5 + Math.random() / 2);
    setTimeout(() => {
      if (this.closing) return;
      this.session().catch((error) => {
        this.dispatchEvent(new CustomEvent('error', { detail: error }));
        this.closing = false;
        this.retry();
      });
    }, delay);
  }

  /** @param {(e: import('./xml.js').XmlElement) => boolean} match @returns {Promise<import('./xml.js').XmlElement>} */
  next(match) {
    return new Promise((resolve, reject) => {
      const entry = { match, resolve, reject };
      this.waiting.push(entry);
      setTimeout(() => {
        const at = this.waiting.indexOf(entry);
        if (at >= 0) {
          this.waiting.splice(at, 1);
          reject(new Error('the XMPP service did not answer in time'));
        }
      }, 15000);
    });
  }

  /** @param {string} status */
  setStatus(status) {
    if (this.status === status) return;
    this.status = status;
    this.dispatchEvent(new CustomEvent('status', { detail: status }));
  }

  /** @param {string} prefix */
  nextId(prefix) {
    this.counter += 1;
    return `${prefix}${this.counter}-${Math.random().toString(36).slice(2, 8)}`;
  }
}

/** @param {import('./xml.js').XmlElement} failure */
function saslFailure(failure) {
  const condition = failure.children.find((c) => typeof c !== 'string' && localName(c) !== 'text');
  const text = textOf(child(failure, 'text'));
  const name = condition && typeof condition !== 'string' ? localName(condition) : 'failure';
  return new Error(name === 'not-authorized' ? 'wrong user name or password' : `login refused: ${text || name}`);
}

/** @param {import('./xml.js').XmlElement} reply */
function stanzaError(reply) {
  const error = child(reply, 'error');
  const condition = error?.children.find((c) => typeof c !== 'string' && c.attrs.xmlns === STANZAS && localName(c) !== 'text');
  const text = error ? textOf(child(error, 'text')) : '';
  const name = condition && typeof condition !== 'string' ? localName(condition) : 'undefined-condition';
  return Object.assign(new Error(text || name), { condition: name });
}
