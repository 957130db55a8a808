// Live updates from the gateway's Server-Sent Events stream, read with fetch rather than EventSource: fetch sends the
// token in a header (not in the URL, where logs keep it), works in Node too, and lets us choose how to resume. Each
// event's id is a position the gateway understands on every replica; reconnecting with Last-Event-ID delivers what
// was missed and nothing twice.

/**
 * @typedef {object} LiveEvent
 * @property {string|null} id    the stream position (resume from here)
 * @property {string} type       post, post-updated, retract, subscription, affiliation, node-deleted, channel-deleted
 * @property {any} data          the event's JSON: {type, channel, node, source, post?, id?, jid?, subscription?, affiliation?}
 */

const EVENT_TYPES = new Set(['post', 'post-updated', 'retract', 'subscription', 'affiliation', 'node-deleted', 'channel-deleted']);

/**
 * A live stream that keeps itself connected. Events (CustomEvent.detail): 'status' ('connecting' | 'open' |
 * 'reconnecting' | 'closed'), 'event' ({@link LiveEvent}), 'reset' (the gateway could not resume: reload what you show).
 *
 * @example
 * const live = client.live();
 * live.addEventListener('event', (e) => { if (e.detail.type === 'post') show(e.detail.data.post); });
 * live.start();
 */
export class LiveStream extends EventTarget {
  /**
   * @param {import('./buddycloud.js').Buddycloud} client
   * @param {{channels?: string[], since?: string}} [options] channels: listen to these (anonymous callers must name them)
   */
  constructor(client, { channels = [], since } = {}) {
    super();
    this.client = client;
    this.channels = channels;
    /** @type {string|null} */
    this.lastEventId = since ?? null;
    this.status = 'closed';
    this.stopped = true;
    this.failures = 0;
    /** @type {AbortController|null} */
    this.abort = null;
  }

  start() {
    if (!this.stopped) return this;
    this.stopped = false;
    this.run();
    return this;
  }

  stop() {
    this.stopped = true;
    this.abort?.abort();
    this.setStatus('closed');
  }

  async run() {
    while (!this.stopped) {
      this.setStatus(this.failures === 0 && this.status !== 'open' && this.status !== 'reconnecting' ? 'connecting' : 'reconnecting');
      let refresh = false;
      try {
        refresh = await this.readOnce();
      } catch (error) {
        if (this.stopped) return;
        this.dispatchEvent(new CustomEvent('error', { detail: error }));
      }
      if (this.stopped) return;
      if (refresh) {
        await this.client.refresh().catch(() => undefined);
        continue;
      }
      this.failures += 1;
      this.setStatus('reconnecting');
      const delay = Math.min(15000, 250 * 2 ** Math.min(this.failures, 6)) * (0.5 + Math.random() / 2);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }

  /** Reads one connection to its end. @returns {Promise<boolean>} whether the token must be refreshed first */
  async readOnce() {
    const query = new URLSearchParams();
    for (const channel of this.channels) query.append('channel', channel);
    const headers = /** @type {Record<string,string>} */ ({ Accept: 'text/event-stream' });
    if (this.lastEventId) headers['Last-Event-ID'] = this.lastEventId;
    const token = await this.client.freshAccessToken();
    if (token) headers.Authorization = `Bearer ${token}`;
    this.abort = new AbortController();
    const response = await this.client.fetchImpl(`${this.client.baseUrl}/notifications/stream${query.size ? `?${query}` : ''}`,
      { headers, signal: this.abort.signal, cache: 'no-store' });
    if (response.status === 401 && token) return true;
    if (!response.ok || !response.body) throw new Error(`the live stream answered ${response.status}`);
    this.failures = 0;
    this.setStatus('open');
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    let frame = { id: /** @type {string|null} */ (null), type: 'message', data: [] };
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return false;
      buffer += value;
      let newline;
      while ((newline = buffer.search(/\r?\n/)) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + (buffer[newline] === '\r' ? 2 : 1));
        if (line === '') {
          if (this.dispatch(frame)) {
            this.abort.abort();
            return true;
          }
          frame = { id: null, type: 'message', data: [] };
        } else if (!line.startsWith(':')) {
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          const content = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (field === 'id') frame.id = content;
          else if (field === 'event') frame.type = content;
          else if (field === 'data') frame.data.push(content);
        }
      }
    }
  }

  /** @returns {boolean} whether the stream ended for a token that expired (reconnect with a fresh one) */
  dispatch(/** @type {{id: string|null, type: string, data: string[]}} */ frame) {
    if (!frame.data.length) return false;
    let data;
    try {
      data = JSON.parse(frame.data.join('\n'));
    } catch {
      return false;
    }
    if (frame.id) this.lastEventId = frame.id;
    if (frame.type === 'token-expired') return true;
    if (frame.type === 'reset') {
      this.dispatchEvent(new CustomEvent('reset', { detail: data }));
      return false;
    }
    if (EVENT_TYPES.has(frame.type)) {
      this.dispatchEvent(new CustomEvent('event', { detail: { id: frame.id, type: frame.type, data } }));
    }
    return false;
  }

  /** @param {string} status */
  setStatus(status) {
    if (this.status === status) return;
    this.status = status;
    this.dispatchEvent(new CustomEvent('status', { detail: status }));
  }
}
