// SASL SCRAM-SHA-256 (RFC 5802, RFC 7677) for the browser and Node, on WebCrypto: the password never leaves the
// client, and the server proves that it knows the stored key too (the v= of its final message is checked).

const encoder = new TextEncoder();
const subtle = () => globalThis.crypto.subtle;

/** @param {Uint8Array} bytes */
export function toBase64(bytes) {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

/** @param {string} text */
export function fromBase64(text) {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

/** @param {Uint8Array} key @param {Uint8Array} data */
async function hmac(key, data) {
  const k = await subtle().importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await subtle().sign('HMAC', k, data));
}

/** @param {Uint8Array} a @param {Uint8Array} b */
function xor(a, b) {
  return a.map((x, i) => x ^ b[i]);
}

/** RFC 5802 §5.1: ',' and '=' in the user name are escaped. @param {string} name */
function saslName(name) {
  return name.normalize('NFKC').replace(/=/g, '=3D').replace(/,/g, '=2C');
}

/** Parses "r=…,s=…,i=…" into a map. @param {string} message */
function fields(message) {
  /** @type {Object<string,string>} */
  const map = {};
  for (const part of message.split(',')) map[part[0]] = part.slice(2);
  return map;
}

/**
 * One SCRAM-SHA-256 exchange. first() gives the client-first message, answer(serverFirst) the client-final,
 * verify(serverFinal) checks the server's signature (throws when it is wrong).
 */
export class ScramSha256 {
  /** @param {string} username the local part @param {string} password */
  constructor(username, password) {
    this.username = username;
    this.password = password.normalize('NFKC');
    const nonce = new Uint8Array(18);
    globalThis.crypto.getRandomValues(nonce);
    this.clientNonce = toBase64(nonce);
    this.clientFirstBare = `n=${saslName(username)},r=${this.clientNonce}`;
    /** @type {Uint8Array|null} */
    this.serverSignature = null;
  }

  /** @returns {string} the client-first message (gs2 header "n,,": no channel binding) */
  first() {
    return `n,,${this.clientFirstBare}`;
  }

  /** @param {string} serverFirst @returns {Promise<string>} the client-final message */
  async answer(serverFirst) {
    const { r: nonce, s: salt, i: iterationText } = fields(serverFirst);
    const iterations = Number(iterationText);
    if (!nonce || !nonce.startsWith(this.clientNonce) || !salt || !(iterations >= 4096)) {
      throw new Error('the server sent an unusable SCRAM challenge');
    }
    const key = await subtle().importKey('raw', encoder.encode(this.password), 'PBKDF2', false, ['deriveBits']);
    const salted = new Uint8Array(await subtle().deriveBits(
      { name: 'PBKDF2', hash: 'SHA-256', salt: fromBase64(salt), iterations }, key, 256));
    const clientKey = await hmac(salted, encoder.encode('Client Key'));
    const storedKey = new Uint8Array(await subtle().digest('SHA-256', clientKey));
    const withoutProof = `c=biws,r=${nonce}`;
    const authMessage = encoder.encode(`${this.clientFirstBare},${serverFirst},${withoutProof}`);
    const clientSignature = await hmac(storedKey, authMessage);
    const serverKey = await hmac(salted, encoder.encode('Server Key'));
    this.serverSignature = await hmac(serverKey, authMessage);
    return `${withoutProof},p=${toBase64(xor(clientKey, clientSignature))}`;
  }

  /** @param {string} serverFinal */
  verify(serverFinal) {
    const { v, e } = fields(serverFinal);
    if (e) throw new Error(`the server refused the login: ${e}`);
    if (!this.serverSignature || v !== toBase64(this.serverSignature)) {
      throw new Error('the server could not prove that it knows the password: not the server you meant');
    }
  }
}
