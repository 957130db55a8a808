// Building the page from elements, never from HTML strings: text people wrote can never become markup.

/**
 * Creates an element: h('button', {class: 'x', onclick: fn, dataset: {id: 1}}, 'text', otherElement).
 * @param {string} tag @param {Record<string, any>|null} [props] @param {...(Node|string|null|undefined|false)} children
 * @returns {HTMLElement}
 */
export function h(tag, props, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) element.addEventListener(key.slice(2), value);
    else if (key === 'dataset') Object.assign(element.dataset, value);
    else if (key === 'class') element.className = value;
    else if (key in element && typeof value !== 'string') /** @type {any} */ (element)[key] = value;
    else element.setAttribute(key, value === true ? '' : String(value));
  }
  append(element, ...children);
  return element;
}

/** @param {Element} parent @param {...(Node|string|null|undefined|false)} children */
export function append(parent, ...children) {
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) parent.append(c);
  return parent;
}

/** Empties an element and fills it again. @param {Element} element @param {...(Node|string|null|undefined|false)} children */
export function replace(element, ...children) {
  element.replaceChildren();
  return append(element, ...children);
}

/** @param {string} id @returns {HTMLElement} */
export const byId = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
