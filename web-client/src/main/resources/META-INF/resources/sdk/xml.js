// A small XML reader and writer for XMPP stanzas. Over WebSocket (RFC 7395) every frame is one complete element,
// so nothing here streams; browsers have DOMParser but Node does not, and the SDK runs in both. It reads what XMPP
// servers send: elements, attributes, text, the five predefined entities and character references. A DOCTYPE,
// a processing instruction or any other entity is refused (XMPP forbids them, RFC 6120 §11.1).

/**
 * @typedef {object} XmlElement
 * @property {string} name        the qualified name as written (e.g. "stream:features")
 * @property {Object<string,string>} attrs
 * @property {Array<XmlElement|string>} children  elements and text, in document order
 */

const NAMED = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** @param {string} text @returns {string} */
function unescape(text) {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (whole, ref) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return String.fromCodePoint(code);
    }
    if (!(ref in NAMED)) throw new Error(`unknown entity &${ref};`);
    return NAMED[ref];
  });
}

/**
 * Escapes text for element content and attribute values.
 * @param {string} text
 * @returns {string}
 */
export function escapeXml(text) {
  return String(text).replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]);
}

const TAG = /<(\/?)([^\s/>]+)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/y;
const ATTR = /([^\s=/>]+)\s*=\s*("([^"]*)"|'([^']*)')/g;

/**
 * Parses one element (a WebSocket frame).
 * @param {string} source
 * @returns {XmlElement}
 */
export function parseXml(source) {
  const elements = parseElements(source);
  if (elements.length !== 1) throw new Error(elements.length ? 'more than one element in a frame' : 'no element');
  return elements[0];
}

/**
 * Parses the elements of a frame. RFC 7395 says one per frame; a server that sends two (an error and the close)
 * is still understood.
 * @param {string} source
 * @returns {XmlElement[]}
 */
export function parseElements(source) {
  let text = source.trim();
  if (text.startsWith('<?xml')) text = text.slice(text.indexOf('?>') + 2).trim();
  if (/<!|<\?/.test(text)) throw new Error('DTDs, comments and processing instructions are not allowed in XMPP');
  /** @type {XmlElement[]} */
  const open = [];
  /** @type {XmlElement[]} */
  const roots = [];
  let at = 0;
  while (at < text.length) {
    const lt = text.indexOf('<', at);
    if (lt < 0 || lt > at) {
      const chunk = text.slice(at, lt < 0 ? text.length : lt);
      if (open.length) open[open.length - 1].children.push(unescape(chunk));
      else if (chunk.trim()) throw new Error('text outside the element');
      if (lt < 0) break;
    }
    TAG.lastIndex = lt;
    const tag = TAG.exec(text);
    if (!tag) throw new Error(`malformed tag at ${lt}`);
    at = TAG.lastIndex;
    const [, closing, name, attrText, selfClosing] = tag;
    if (closing) {
      const element = open.pop();
      if (!element || element.name !== name) throw new Error(`unexpected </${name}>`);
      continue;
    }
    /** @type {XmlElement} */
    const element = { name, attrs: {}, children: [] };
    for (const [, key, , double, single] of attrText.matchAll(ATTR)) {
      element.attrs[key] = unescape(double ?? single);
    }
    if (open.length) open[open.length - 1].children.push(element);
    else roots.push(element);
    if (!selfClosing) open.push(element);
  }
  if (open.length) throw new Error('incomplete element');
  return roots;
}

/** The local part of a qualified name ("stream:features" → "features"). @param {XmlElement} e */
export function localName(e) {
  return e.name.includes(':') ? e.name.slice(e.name.indexOf(':') + 1) : e.name;
}

/**
 * The first child element with this local name (and namespace, when given).
 * @param {XmlElement} parent @param {string} name @param {string} [xmlns]
 * @returns {XmlElement|undefined}
 */
export function child(parent, name, xmlns) {
  return /** @type {XmlElement|undefined} */ (parent.children.find((c) => typeof c !== 'string' && localName(c) === name
      && (xmlns === undefined || c.attrs.xmlns === xmlns)));
}

/** All text inside an element. @param {XmlElement|undefined} e @returns {string} */
export function textOf(e) {
  if (!e) return '';
  return e.children.map((c) => (typeof c === 'string' ? c : textOf(c))).join('');
}

/**
 * Writes an element: build(name, attrs, ...children) where children are elements (as strings from build) or text.
 * @param {string} name @param {Object<string, string|undefined>} [attrs] @param {...(string|{xml:string})} children
 * @returns {{xml: string}}
 */
export function build(name, attrs = {}, ...children) {
  const attrText = Object.entries(attrs).filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => ` ${k}="${escapeXml(String(v))}"`).join('');
  const inner = children.map((c) => (typeof c === 'string' ? escapeXml(c) : c.xml)).join('');
  return { xml: inner ? `<${name}${attrText}>${inner}</${name}>` : `<${name}${attrText}/>` };
}
