// How posts read: mentions of people (JIDs, with or without @) stand out, links can be followed, times are human.

import { h } from './dom.js';

const TOKENS = /(@?[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*)|(https?:\/\/[^\s<>"]+[^\s<>".,;:!?)])/gu;

/**
 * A post's text as nodes: mentions in <mark class="mention">, http(s) links as links, the rest as text.
 * @param {string} text @param {string|null} me the reader's JID: a mention of them is marked as such
 * @returns {DocumentFragment}
 */
export function richText(text, me) {
  const fragment = document.createDocumentFragment();
  let at = 0;
  for (const match of (text ?? '').matchAll(TOKENS)) {
    fragment.append(text.slice(at, match.index));
    if (match[1]) {
      const jid = match[1].replace(/^@/, '');
      fragment.append(h('mark', { class: jid === me ? 'mention mention-me' : 'mention', title: jid }, match[1]));
    } else {
      fragment.append(h('a', { href: match[2], rel: 'noopener noreferrer', target: '_blank' }, match[2]));
    }
    at = (match.index ?? 0) + match[0].length;
  }
  fragment.append(text.slice(at));
  return fragment;
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

/** "2 minutes ago", "yesterday". @param {string|Date} when */
export function ago(when) {
  const seconds = (new Date(when).getTime() - Date.now()) / 1000;
  const steps = /** @type {Array<[number, Intl.RelativeTimeFormatUnit]>} */ ([[60, 'second'], [60, 'minute'], [24, 'hour'], [7, 'day'], [4.35, 'week'], [12, 'month'], [Infinity, 'year']]);
  let value = seconds;
  for (const [size, unit] of steps) {
    if (Math.abs(value) < size) return relative.format(Math.round(value), unit);
    value /= size;
  }
  return '';
}

/** <time> with a human text and the exact time on hover. @param {string} when */
export function timeElement(when) {
  const date = new Date(when);
  return h('time', { datetime: date.toISOString(), title: date.toLocaleString() }, ago(date));
}

/** The short name of a channel: the local part, or the title when known. @param {string} jid */
export function shortName(jid) {
  return jid.split('@')[0];
}

/** Search highlights come from the server with <em> around words and everything else escaped: rebuilt as nodes. */
export function highlighted(/** @type {string} */ html) {
  const fragment = document.createDocumentFragment();
  const unescape = (/** @type {string} */ s) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'").replace(/&amp;/g, '&');
  html.split(/(<em>[^<]*<\/em>)/).forEach((part) => {
    if (part.startsWith('<em>')) fragment.append(h('em', null, unescape(part.slice(4, -5))));
    else fragment.append(unescape(part));
  });
  return fragment;
}
