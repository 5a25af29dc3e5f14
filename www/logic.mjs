// The inspector's token logic: pure functions of their arguments. No DOM, no clock, no
// globals: the jwtkit package (`lib`) and the current time (`nowMs`) are passed in, so this
// module runs the same in the page and under `node --test`.

export const HMAC_ALGS = ['HS256', 'HS384', 'HS512'];
/** The public-key algorithms the package signs and verifies. */
export const PUBLIC_KEY_ALGS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
/** Every algorithm the inspector signs and verifies, in the order of its lists. */
export const ALGORITHMS = [...HMAC_ALGS, ...PUBLIC_KEY_ALGS];
/** Minimum HMAC key length in bytes (the hash output, RFC 7518 3.2). */
export const HASH_BYTES = { HS256: 32, HS384: 48, HS512: 64 };
/** Asymmetric algorithm names, including registered ones the package does not implement. */
export const ASYMMETRIC_ALGS = /^(RS|PS|ES)(256|384|512)$|^EdDSA$|^ES256K$|^Ed25519$|^Ed448$/;
/** The smallest RSA modulus the package accepts without `allowWeakKey`. */
export const RSA_MIN_BITS = 2048;
/** Claims shown with ISO and relative dates. */
export const TIME_CLAIMS = ['exp', 'nbf', 'iat', 'auth_time', 'updated_at'];
export const PART_NAMES = ['header', 'payload', 'signature'];

const WS = /\s/;

/**
 * Finds the token in what the user pasted: an optional `Authorization:` and `Bearer `
 * prefix, surrounding quotes, and whitespace or line breaks anywhere are skipped.
 * Returns the token and `map`, where `map[i]` is the index in `input` of token character `i`.
 */
export function normaliseToken(input) {
  const text = String(input ?? '');
  let i = 0;
  const skipWs = () => {
    while (i < text.length && WS.test(text[i])) i++;
  };
  skipWs();
  const authMatch = /^authorization\s*:/i.exec(text.slice(i));
  if (authMatch) {
    i += authMatch[0].length;
    skipWs();
  }
  const bearer = /^bearer(\s+|$)/i.exec(text.slice(i));
  if (bearer) i += bearer[0].length;
  skipWs();
  let end = text.length;
  while (end > i && WS.test(text[end - 1])) end--;
  // a token copied with its JSON or JS quotes
  if (end - i >= 2 && /["'`]/.test(text[i]) && text[end - 1] === text[i]) {
    i++;
    end--;
  }
  let token = '';
  const map = [];
  for (let k = i; k < end; k++) {
    if (WS.test(text[k])) continue;
    token += text[k];
    map.push(k);
  }
  return { token, map };
}

/** Splits a compact token into named parts with their token indices. */
export function splitParts(token) {
  const parts = [];
  let start = 0;
  const pieces = token.split('.');
  pieces.forEach((text, n) => {
    parts.push({ name: PART_NAMES[n] ?? 'extra', text, start, end: start + text.length });
    start += text.length + 1;
  });
  return parts;
}

/**
 * The pasted text cut into runs for colouring: each `{ text, kind }` where kind is
 * `header`, `payload`, `signature`, `extra`, `dot`, `ignored` (prefix, whitespace) or
 * `error` (the character a decoding error points at). Concatenating the texts gives `input`.
 */
export function colourRuns(input, map, parts, errorIndex = -1) {
  const text = String(input ?? '');
  const kinds = new Array(text.length).fill('ignored');
  for (const part of parts) {
    for (let t = part.start; t < part.end; t++) kinds[map[t]] = part.name;
    if (part.end < map.length) kinds[map[part.end]] = 'dot';
  }
  if (errorIndex >= 0 && errorIndex < map.length) kinds[map[errorIndex]] = 'error';
  const runs = [];
  for (let k = 0; k < text.length; k++) {
    const last = runs[runs.length - 1];
    if (last && last.kind === kinds[k]) last.text += text[k];
    else runs.push({ kind: kinds[k], text: text[k] });
  }
  return runs;
}

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * Decodes base64url (and, leniently, standard base64 with padding) to bytes.
 * Returns `{ bytes }` or `{ error: { kind: 'char' | 'length', position, ch } }`.
 */
export function decodeBase64url(text) {
  let s = String(text).trim().replace(/=+$/, '');
  const out = [];
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < s.length; i++) {
    let ch = s[i];
    if (ch === '+') ch = '-';
    else if (ch === '/') ch = '_';
    const v = B64URL.indexOf(ch);
    if (v < 0) return { error: { kind: 'char', position: i, ch: s[i] } };
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push((acc >> bits) & 0xff);
    }
  }
  if (s.length % 4 === 1) return { error: { kind: 'length', position: s.length - 1 } };
  return { bytes: new Uint8Array(out) };
}

/** Encodes bytes as base64url without padding. */
export function encodeBase64url(bytes) {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const len = Math.min(3, bytes.length - i);
    out += B64URL[(n >> 18) & 63] + B64URL[(n >> 12) & 63];
    if (len > 1) out += B64URL[(n >> 6) & 63];
    if (len > 2) out += B64URL[n & 63];
  }
  return out;
}

/**
 * Turns the secret field into a key for the package: a string (UTF-8) or a Uint8Array
 * (base64url). Returns `{ key, length }` (length in bytes), `{ empty: true }` or `{ error }`.
 */
export function secretToKey(secret, encoding) {
  const text = String(secret ?? '');
  if (text === '') return { empty: true };
  if (encoding === 'base64url') {
    const decoded = decodeBase64url(text);
    if (decoded.error) return { error: decoded.error };
    if (decoded.bytes.length === 0) return { empty: true };
    return { key: decoded.bytes, length: decoded.bytes.length };
  }
  return { key: text, length: new TextEncoder().encode(text).length };
}

// ---------------------------------------------------------------------------------------
// public and private keys (RS*, PS*, ES*, EdDSA)

/** The key family an algorithm needs: `hmac`, `RSA`, `P-256`, `P-384`, `P-521`, `Ed25519` or null. */
export function algFamily(alg) {
  if (HMAC_ALGS.includes(alg)) return 'hmac';
  if (/^(RS|PS)(256|384|512)$/.test(alg)) return 'RSA';
  return { ES256: 'P-256', ES384: 'P-384', ES512: 'P-521', EdDSA: 'Ed25519' }[alg] ?? null;
}

/** The family of a JWK (`RSA`, its curve for EC and OKP, `oct`), or null. */
export function jwkFamily(jwk) {
  if (!jwk || typeof jwk !== 'object') return null;
  if (jwk.kty === 'RSA') return 'RSA';
  if ((jwk.kty === 'EC' || jwk.kty === 'OKP') && typeof jwk.crv === 'string') return jwk.crv;
  if (jwk.kty === 'oct') return 'oct';
  return null;
}

/** The algorithms a key family can sign and verify (the first is the usual choice). */
export function familyAlgs(family) {
  if (family === 'RSA') return PUBLIC_KEY_ALGS.slice(0, 6);
  return PUBLIC_KEY_ALGS.filter((alg) => algFamily(alg) === family);
}

/** Size in bits of an RSA modulus given as base64url (the JWK "n"), or null. */
export function rsaBits(n) {
  if (typeof n !== 'string') return null;
  const decoded = decodeBase64url(n);
  if (decoded.error) return null;
  const bytes = decoded.bytes;
  let i = 0;
  while (i < bytes.length && bytes[i] === 0) i++;
  if (i === bytes.length) return 0;
  return (bytes.length - i - 1) * 8 + (32 - Math.clz32(bytes[i]));
}

/** PEM labels the package reads: whether each holds a public or a private key, and its form. */
export const PEM_KINDS = {
  'PUBLIC KEY': { role: 'public', form: 'SPKI' },
  'RSA PUBLIC KEY': { role: 'public', form: 'PKCS#1' },
  CERTIFICATE: { role: 'public', form: 'X.509' },
  'PRIVATE KEY': { role: 'private', form: 'PKCS#8' },
  'RSA PRIVATE KEY': { role: 'private', form: 'PKCS#1' },
  'EC PRIVATE KEY': { role: 'private', form: 'SEC1' },
};
/** Blocks skipped when looking for the key (openssl ecparam -genkey writes one first). */
const PEM_SKIPPED = ['EC PARAMETERS'];
const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END ([A-Z0-9 ]+)-----/g;

/** PEM text rebuilt from a label and base64 body: 64-character lines, one final newline. */
export function pemText(label, body) {
  const lines = body.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/**
 * Reads a key box: PEM (any indentation, text around it, several blocks, or with its line
 * breaks escaped as `\n` the way JSON and .env files hold it), a JWK or a JWK Set. Pure: it
 * recognises the format without checking the key (describeKey does that with the package).
 *
 * Returns `{ empty: true }`, or
 * `{ format: 'pem', label, form, role, private, key, blocks, escaped }` (key: the PEM block, cleaned),
 * `{ format: 'jwk', key, family, kty, crv, private }`,
 * `{ format: 'jwks', key, count, families }`,
 * or `{ error: { kind, ... } }` with kind `json` (with line and column), `not-object`,
 * `jwk-no-kty`, `jwk-oct`, `jwks-empty`, `pem-incomplete`, `pem-label` (label), `pem-encrypted`,
 * `pem-base64`, `pem-mismatch`, `ssh`, `bare-base64` or `unknown`.
 */
export function parseKeyText(input) {
  let text = String(input ?? '').trim();
  if (text === '') return { empty: true };
  let escaped = false;
  if (text.includes('-----BEGIN') && text.includes('\\n') && !text.includes('\n')) {
    text = text.replace(/^["'`]|["'`],?$/g, '').replace(/\\r\\n|\\n/g, '\n');
    escaped = true;
  }
  if (text.startsWith('{')) {
    const parsed = parseJsonObject(text);
    if (parsed.error?.kind === 'not-object') return { error: { kind: 'not-object' } };
    if (parsed.error) return { error: { ...parsed.error, kind: 'json', json: parsed.error.kind } };
    const value = parsed.value;
    if (Array.isArray(value.keys)) {
      if (value.keys.length === 0) return { error: { kind: 'jwks-empty' } };
      const families = value.keys.map((k) => jwkFamily(k) ?? String(k?.kty ?? '?'));
      return { format: 'jwks', key: value, count: value.keys.length, families };
    }
    if (typeof value.kty !== 'string') return { error: { kind: 'jwk-no-kty' } };
    if (value.kty === 'oct') return { error: { kind: 'jwk-oct' } };
    // "d": null reads as absent to the package: such a JWK is public
    const isPrivate = value.d !== undefined && value.d !== null;
    return { format: 'jwk', key: value, family: jwkFamily(value), kty: value.kty, crv: value.crv ?? null, private: isPrivate };
  }
  if (text.startsWith('[')) return { error: { kind: 'not-object' } };
  if (text.includes('-----BEGIN')) {
    const blocks = [];
    for (const m of text.matchAll(PEM_BLOCK)) blocks.push({ label: m[1].trim(), body: m[2], end: m[3].trim() });
    if (blocks.length === 0) return { error: { kind: 'pem-incomplete' } };
    const block = blocks.find((b) => !PEM_SKIPPED.includes(b.label));
    if (!block) return { error: { kind: 'pem-label', label: blocks[0].label } };
    if (block.label !== block.end) return { error: { kind: 'pem-mismatch', label: block.label, end: block.end } };
    if (/Proc-Type:\s*4,ENCRYPTED/i.test(block.body) || block.label === 'ENCRYPTED PRIVATE KEY') return { error: { kind: 'pem-encrypted', label: block.label } };
    const kind = PEM_KINDS[block.label];
    if (!kind) return { error: { kind: 'pem-label', label: block.label } };
    const body = block.body.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body)) {
      const bad = body.search(/[^A-Za-z0-9+/=]/);
      return { error: { kind: 'pem-base64', label: block.label, ch: bad >= 0 ? body[bad] : '=' } };
    }
    const keyBlocks = blocks.filter((b) => !PEM_SKIPPED.includes(b.label));
    return {
      format: 'pem',
      label: block.label,
      form: kind.form,
      role: kind.role,
      private: kind.role === 'private',
      key: pemText(block.label, body),
      body,
      blocks: keyBlocks.length,
      escaped,
    };
  }
  if (/^(ssh-(rsa|ed25519|dss)|ecdsa-sha2-)/.test(text)) return { error: { kind: 'ssh' } };
  if (/^[A-Za-z0-9+/=\s]{40,}$/.test(text)) return { error: { kind: 'bare-base64' } };
  return { error: { kind: 'unknown' } };
}

/**
 * What the package makes of a parsed key (parseKeyText): `{ family, kty, crv, bits, publicJwk }`
 * from its public half, or `{ error: { code, message } }`. A JWK Set is described from its
 * members, key by key: `{ set: true, count, families }`.
 */
export function describeKey(lib, parsed) {
  if (!parsed || parsed.empty || parsed.error) return null;
  if (parsed.format === 'jwks') return { set: true, count: parsed.count, families: parsed.families };
  let publicJwk;
  try {
    publicJwk = lib.exportJWK(parsed.key);
  } catch (e) {
    return { error: errorInfo(e) };
  }
  const family = jwkFamily(publicJwk);
  return {
    family,
    kty: publicJwk.kty,
    crv: publicJwk.crv ?? null,
    bits: publicJwk.kty === 'RSA' ? rsaBits(publicJwk.n) : null,
    publicJwk,
  };
}

/** The members that identify a public key, per key type (RFC 7638). */
const THUMBPRINT_MEMBERS = { RSA: ['e', 'kty', 'n'], EC: ['crv', 'kty', 'x', 'y'], OKP: ['crv', 'kty', 'x'] };

/** Whether two JWKs hold the same public key (their RFC 7638 members are equal). */
export function samePublicKey(a, b) {
  if (!a || !b || typeof a !== 'object' || typeof b !== 'object' || a.kty !== b.kty) return false;
  const members = THUMBPRINT_MEMBERS[a.kty];
  if (!members) return false;
  return members.every((m) => typeof a[m] === 'string' && a[m] === b[m]);
}

/**
 * Converts a key box between PEM and JWK with the package: PEM -> JWK and JWK -> PEM.
 * `keepPrivate`: a private key stays private (the encoder); otherwise only the public half
 * is written (the decoder). Returns `{ text, to, dropped }` (dropped: a private key lost its
 * private half) or `{ error: { code, message } }`; a JWK Set is not converted (`{ error: { code: 'SET' } }`).
 */
export function convertKey(lib, parsed, { keepPrivate = false } = {}) {
  if (!parsed || parsed.empty || parsed.error) return { error: { code: 'EMPTY', message: '' } };
  if (parsed.format === 'jwks') return { error: { code: 'SET', message: '' } };
  const options = keepPrivate && parsed.private ? { private: true } : undefined;
  try {
    if (parsed.format === 'pem') {
      const jwk = lib.exportJWK(parsed.key, options);
      return { text: JSON.stringify(jwk, null, 2), to: 'jwk', dropped: parsed.private && !options };
    }
    return { text: lib.exportPEM(parsed.key, options), to: 'pem', dropped: parsed.private && !options };
  } catch (e) {
    return { error: errorInfo(e) };
  }
}

/**
 * Keys the token names in its own header (`jwk`, `x5c`, `jku`, `x5u`): never used to verify,
 * only described. Pure (the package is not asked about them): `[{ member, value, ... }]` with
 * `family`/`bits` for jwk, `count` for x5c, `url` for jku and x5u.
 */
export const EMBEDDED_MEMBERS = ['jwk', 'x5c', 'jku', 'x5u'];
export function embeddedKeys(header) {
  if (!header || typeof header !== 'object') return [];
  const out = [];
  for (const member of EMBEDDED_MEMBERS) {
    if (!Object.hasOwn(header, member)) continue;
    const value = header[member];
    const item = { member, value };
    if (member === 'jwk') {
      item.family = jwkFamily(value);
      item.bits = value?.kty === 'RSA' ? rsaBits(value.n) : null;
      item.private = Boolean(value && typeof value === 'object' && value.d !== undefined && value.d !== null);
    } else if (member === 'x5c') {
      item.count = Array.isArray(value) ? value.length : 0;
    } else {
      item.url = typeof value === 'string' ? value : JSON.stringify(value);
    }
    out.push(item);
  }
  return out;
}

/**
 * Whether the key typed in is one the token brought along: the header's `jwk`, or the first
 * certificate of its `x5c`. Such a "verification" proves nothing.
 */
export function keyFromToken(parsed, info, embedded) {
  for (const item of embedded) {
    if (item.member === 'jwk' && info && !info.error) {
      if (info.set) {
        if (parsed.key.keys.some((k) => samePublicKey(k, item.value))) return 'jwk';
      } else if (samePublicKey(info.publicJwk, item.value)) return 'jwk';
    }
    if (item.member === 'x5c' && parsed?.label === 'CERTIFICATE' && Array.isArray(item.value)) {
      const first = typeof item.value[0] === 'string' ? item.value[0].replace(/\s+/g, '') : null;
      if (first && first === parsed.body) return 'x5c';
    }
  }
  return null;
}

/**
 * Scans JSON text and returns `null` when it is valid, else the first syntax error as
 * `{ kind, position, ch }` (kinds are the keys of JSON_ERRORS in text.mjs). JSON.parse
 * messages differ between engines and often lack a position; this scanner does not.
 */
export function scanJson(text) {
  const s = String(text);
  let i = 0;
  const fail = (kind) => {
    throw { kind: i >= s.length && kind === 'unexpected-char' ? 'unexpected-end' : kind, position: Math.min(i, s.length), ch: s[i] };
  };
  const ws = () => {
    while (i < s.length && (s[i] === ' ' || s[i] === '\t' || s[i] === '\n' || s[i] === '\r')) i++;
  };
  const str = () => {
    i++; // opening quote
    for (;;) {
      if (i >= s.length) fail('unexpected-end');
      const c = s.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return;
      }
      if (c < 0x20) fail('control-char');
      if (c === 0x5c) {
        i++;
        if (i >= s.length) fail('unexpected-end');
        const e = s[i];
        if ('"\\/bfnrt'.includes(e)) i++;
        else if (e === 'u') {
          i++;
          for (let k = 0; k < 4; k++, i++) if (!/[0-9a-fA-F]/.test(s[i] ?? '')) fail('bad-escape');
        } else fail('bad-escape');
      } else i++;
    }
  };
  const num = () => {
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(s.slice(i));
    if (!m) fail('bad-number');
    i += m[0].length;
    if (i < s.length && /[0-9.eE+-]/.test(s[i])) fail('bad-number');
  };
  const value = (depth) => {
    if (depth > 500) fail('too-deep');
    ws();
    if (i >= s.length) fail('unexpected-end');
    const c = s[i];
    if (c === '{') {
      i++;
      ws();
      if (s[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (i >= s.length) fail('unexpected-end');
        if (s[i] !== '"') fail('expected-key');
        str();
        ws();
        if (i >= s.length) fail('unexpected-end');
        if (s[i] !== ':') fail('expected-colon');
        i++;
        value(depth + 1);
        ws();
        if (i >= s.length) fail('unexpected-end');
        if (s[i] === ',') {
          i++;
          continue;
        }
        if (s[i] === '}') {
          i++;
          return;
        }
        fail('expected-comma-object');
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (s[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value(depth + 1);
        ws();
        if (i >= s.length) fail('unexpected-end');
        if (s[i] === ',') {
          i++;
          continue;
        }
        if (s[i] === ']') {
          i++;
          return;
        }
        fail('expected-comma-array');
      }
    }
    if (c === '"') return str();
    if (c === '-' || (c >= '0' && c <= '9')) return num();
    for (const word of ['true', 'false', 'null']) {
      if (s.startsWith(word, i)) {
        i += word.length;
        return;
      }
    }
    fail('unexpected-char');
  };
  try {
    value(0);
    ws();
    if (i < s.length) fail('trailing');
    return null;
  } catch (e) {
    if (e && typeof e.kind === 'string') return e;
    throw e;
  }
}

/** Line and column (1-based) of a character position. */
export function lineColumn(text, position) {
  const before = String(text).slice(0, position);
  const lines = before.split('\n');
  return { line: lines.length, column: lines[lines.length - 1].length + 1 };
}

/**
 * Parses editor text that must hold a JSON object.
 * Returns `{ value }` or `{ error: { kind, position, ch, line, column } }`; kind `not-object`
 * when the JSON is valid but not an object.
 */
export function parseJsonObject(text) {
  const err = scanJson(text);
  if (err) return { error: { ...err, ...lineColumn(text, err.position) } };
  const value = JSON.parse(text);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { error: { kind: 'not-object', position: 0, line: 1, column: 1 } };
  }
  return { value };
}

/**
 * Pretty JSON as runs `{ text, kind, key? }` for syntax colouring; kind is `punct`, `key`,
 * `string`, `number`, `boolean`, `null` or `ws`. Top-level member names and their values carry
 * `key` (the member name), so the page can attach explanations to them.
 */
export function jsonRuns(value, indent = 2) {
  const runs = [];
  const push = (text, kind, key) => runs.push(key === undefined ? { text, kind } : { text, kind, key });
  const walk = (v, depth, key) => {
    const pad = ' '.repeat(indent * (depth + 1));
    const padEnd = ' '.repeat(indent * depth);
    if (v === null) return push('null', 'null', key);
    if (Array.isArray(v)) {
      if (v.length === 0) return push('[]', 'punct', key);
      push('[', 'punct', key);
      v.forEach((item, n) => {
        push('\n' + pad, 'ws');
        walk(item, depth + 1, key);
        if (n < v.length - 1) push(',', 'punct');
      });
      push('\n' + padEnd, 'ws');
      return push(']', 'punct', key);
    }
    if (typeof v === 'object') {
      const entries = Object.entries(v);
      if (entries.length === 0) return push('{}', 'punct', key);
      push('{', 'punct', key);
      entries.forEach(([k, item], n) => {
        push('\n' + pad, 'ws');
        const memberKey = depth === 0 ? k : key;
        push(JSON.stringify(k), 'key', memberKey);
        push(': ', 'punct');
        walk(item, depth + 1, memberKey);
        if (n < entries.length - 1) push(',', 'punct');
      });
      push('\n' + padEnd, 'ws');
      return push('}', 'punct', key);
    }
    if (typeof v === 'string') return push(JSON.stringify(v), 'string', key);
    if (typeof v === 'number') return push(JSON.stringify(v), 'number', key);
    if (typeof v === 'boolean') return push(String(v), 'boolean', key);
    return push(JSON.stringify(v) ?? 'null', 'null', key);
  };
  walk(value, 0, undefined);
  return runs;
}

const UNITS = [
  ['year', 365 * 86400],
  ['month', 30 * 86400],
  ['day', 86400],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

/** A signed span of seconds as `{ value, unit }` for Intl.RelativeTimeFormat (truncated). */
export function relativeSpan(deltaSeconds) {
  const abs = Math.abs(deltaSeconds);
  for (const [unit, size] of UNITS) {
    if (abs >= size || unit === 'second') {
      const n = Math.floor(abs / size);
      return { value: deltaSeconds < 0 ? -n : n, unit };
    }
  }
  return { value: 0, unit: 'second' };
}

/**
 * Date facts for a time claim at time `nowMs`: `{ iso, delta, span, future, inForce }`,
 * or `null` when the value is not a finite number in the range of a JS Date.
 * `inForce` is whether the claim lets the token through now (exp in the future, nbf in the
 * past, iat not in the future); `null` for claims that do not gate acceptance.
 */
export function timeInfo(name, value, nowMs) {
  if (typeof value !== 'number' || !Number.isFinite(value)) return null;
  const ms = value * 1000;
  if (Math.abs(ms) > 8.64e15) return null;
  const delta = value - nowMs / 1000;
  const future = delta > 0;
  let inForce = null;
  if (name === 'exp') inForce = nowMs / 1000 < value;
  else if (name === 'nbf') inForce = nowMs / 1000 >= value;
  else if (name === 'iat') inForce = !future;
  return { iso: new Date(ms).toISOString().replace('.000Z', 'Z'), delta, span: relativeSpan(Math.trunc(delta)), future, inForce };
}

/** The payload's members as table rows: `{ name, value, time }`. */
export function claimRows(payload, nowMs) {
  if (!payload || typeof payload !== 'object' || Array.isArray(payload)) return [];
  return Object.entries(payload).map(([name, value]) => ({
    name,
    value,
    time: TIME_CLAIMS.includes(name) ? timeInfo(name, value, nowMs) : null,
  }));
}

/** Parses a comma-separated field into a string, an array of strings, or undefined. */
export function listField(text) {
  const items = String(text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.length === 0) return undefined;
  return items.length === 1 ? items[0] : items;
}

const CLAIM_CODES = new Set(['ERR_JWT_EXPIRED', 'ERR_JWT_NOT_ACTIVE', 'ERR_JWT_CLAIM_INVALID', 'ERR_JWT_CLAIM_MISSING']);

function errorInfo(e) {
  if (e && typeof e === 'object') {
    const info = { code: e.code ?? 'ERR_UNKNOWN', message: String(e.message ?? e) };
    if (e.claim !== undefined) info.claim = e.claim;
    return info;
  }
  return { code: 'ERR_UNKNOWN', message: String(e) };
}

/**
 * Where a decoding problem of `inspect` points, as an index into the token (the package
 * reports positions in the string it was given), or -1 when it points nowhere useful.
 */
export function errorTokenIndex(error, tokenLength) {
  if (!error || typeof error.position !== 'number' || error.part === 'token') return -1;
  return Math.max(0, Math.min(error.position, tokenLength - 1));
}

/**
 * Decodes, checks and explains a pasted token.
 * @param lib the jwtkit package (`inspect`, `verify`, `exportJWK`)
 * @param input the text of the token box
 * @param settings `{ secret, encoding, publicKey, audience, issuer, currentTime }` (currentTime: ms
 *   or null). The secret is used for HS* tokens, the public key box (PEM, JWK or JWK Set) for
 *   RS*, PS*, ES* and EdDSA tokens.
 * @param nowMs the current time in milliseconds (used when settings.currentTime is null)
 */
export function analyse(lib, input, settings, nowMs) {
  const { token, map } = normaliseToken(input);
  const checkMs = settings.currentTime ?? nowMs;
  const result = {
    empty: token === '',
    token,
    map,
    parts: splitParts(token),
    header: null,
    payload: null,
    malformed: null,
    alg: null,
    keyKind: 'secret',
    key: null,
    publicKey: null,
    embedded: [],
    verdict: 'unchecked',
    reason: null,
    claimsCheck: null,
    claims: [],
    warnings: [],
    checkMs,
    errorIndex: -1,
  };
  if (result.empty) {
    result.verdict = 'empty';
    result.parts = [];
    return result;
  }

  const key = secretToKey(settings.secret, settings.encoding);
  result.key = key;
  let report;
  try {
    report = key.key !== undefined ? lib.inspect(token, key.key, { currentTime: new Date(checkMs) }) : lib.inspect(token, undefined, { currentTime: new Date(checkMs) });
  } catch (e) {
    report = { error: errorInfo(e) };
  }
  result.report = report;
  result.header = report?.header ?? null;
  result.payload = report?.payload ?? null;
  result.warnings = Array.isArray(report?.warnings) ? report.warnings.slice() : [];

  // Shape first: the page names the part and the character.
  const count = result.parts.length;
  const problems = Array.isArray(report?.errors) ? report.errors : report?.error ? [report.error] : [];
  const decodeError = problems.find((p) => p && p.part !== 'token') ?? null;
  if (count !== 3) {
    result.malformed = {
      kind: 'parts',
      count,
      part: count > 3 ? 'extra' : null,
      index: count > 3 ? result.parts[3].start - 1 : -1,
      message: problems[0]?.message,
    };
  } else {
    const emptyPart = result.parts.find((p) => p.text === '' && p.name !== 'signature');
    if (emptyPart) {
      result.malformed = { kind: 'empty', part: emptyPart.name, index: -1 };
    } else if (decodeError || problems.length > 0 || result.header === null || result.payload === null) {
      const error = decodeError ?? problems[0] ?? { part: result.header === null ? 'header' : 'payload' };
      result.malformed = {
        kind: 'decode',
        part: error.part && error.part !== 'token' ? error.part : null,
        index: errorTokenIndex(error, token.length),
        code: error.code,
        message: error.message,
        line: error.line ?? null,
        column: error.column ?? null,
      };
    }
  }
  if (result.malformed) {
    result.verdict = 'malformed';
    result.errorIndex = result.malformed.index;
    result.claims = claimRows(result.payload, checkMs);
    return result;
  }

  result.alg = typeof result.header.alg === 'string' ? result.header.alg : null;
  result.claims = claimRows(result.payload, checkMs);
  result.embedded = embeddedKeys(result.header);

  if (!('alg' in result.header)) {
    result.verdict = 'invalid';
    result.reason = { kind: 'alg-missing' };
    return result;
  }
  if (typeof result.alg === 'string' && result.alg.toLowerCase() === 'none') {
    // nothing to check, and never acceptable: shown as invalid with or without a secret
    result.verdict = 'invalid';
    result.reason = { kind: 'alg-none' };
    return result;
  }
  if (PUBLIC_KEY_ALGS.includes(result.alg)) return analysePublicKey(lib, result, settings);
  if (result.alg && !HMAC_ALGS.includes(result.alg)) {
    result.verdict = 'unchecked';
    result.reason = { kind: ASYMMETRIC_ALGS.test(result.alg) ? 'alg-asymmetric' : 'alg-unknown', alg: result.alg };
    return result;
  }
  if (key.empty) {
    result.verdict = 'unchecked';
    return result;
  }
  if (key.error) {
    result.verdict = 'unchecked';
    result.reason = { kind: 'secret', error: key.error };
    return result;
  }
  const need = HASH_BYTES[result.alg];
  if (need && key.length < need) {
    result.weak = { bytes: key.length, need, alg: result.alg };
  }

  try {
    lib.verify(token, key.key, verifyOptions(settings, checkMs));
    result.verdict = 'verified';
    result.claimsCheck = { ok: true };
  } catch (e) {
    const info = errorInfo(e);
    if (CLAIM_CODES.has(info.code)) {
      // claims are checked after the signature: reaching them means the signature matched
      result.verdict = 'verified';
      result.claimsCheck = { ok: false, ...info };
    } else if (info.code === 'ERR_JWS_INVALID_SIGNATURE') {
      result.verdict = 'invalid';
      result.reason = { kind: 'verify', ...info };
    } else if (info.code === 'ERR_JWT_MALFORMED' || info.code === 'ERR_JWT_TOO_LARGE') {
      result.verdict = 'malformed';
      result.malformed = { kind: 'verify', part: null, index: -1, ...info };
    } else if (info.code === 'ERR_KEY_INVALID' || info.code === 'ERR_KEY_TOO_WEAK') {
      result.verdict = 'unchecked';
      result.reason = { kind: 'key', ...info };
    } else {
      result.verdict = 'invalid';
      result.reason = { kind: 'verify', ...info };
    }
  }
  return result;
}

function verifyOptions(settings, checkMs) {
  const options = { allowWeakKey: true, currentTime: new Date(checkMs) };
  const audience = listField(settings.audience);
  const issuer = listField(settings.issuer);
  if (audience !== undefined) options.audience = audience;
  if (issuer !== undefined) options.issuer = issuer;
  return options;
}

/**
 * The RS*, PS*, ES* and EdDSA half of analyse: the key comes from the public key box, the
 * signature status from `inspect(token, key)`, and the claims check from `verify`.
 * Keys in the token's own header are described (result.embedded) but never used.
 */
function analysePublicKey(lib, result, settings) {
  const { token, checkMs } = result;
  result.keyKind = 'public';
  result.key = null;
  const parsed = parseKeyText(settings.publicKey);
  const publicKey = { parsed, info: null, fromToken: null, weak: null };
  result.publicKey = publicKey;
  const need = algFamily(result.alg);
  const reinspect = (k) => {
    try {
      const report = lib.inspect(token, k, { currentTime: new Date(checkMs) });
      if (report && report.header) {
        result.report = report;
        result.warnings = Array.isArray(report.warnings) ? report.warnings.slice() : [];
      }
      return report;
    } catch (e) {
      return { signature: { status: 'not checked', ...errorInfo(e) } };
    }
  };
  if (parsed.empty) {
    reinspect(undefined);
    result.verdict = 'unchecked';
    result.reason = { kind: 'need-public-key', alg: result.alg, family: need };
    return result;
  }
  if (parsed.error) {
    reinspect(undefined);
    result.verdict = 'unchecked';
    result.reason = { kind: 'public-key-format', error: parsed.error };
    return result;
  }
  const info = describeKey(lib, parsed);
  publicKey.info = info;
  if (info.error) {
    reinspect(undefined);
    result.verdict = 'unchecked';
    result.reason = { kind: 'key', ...info.error };
    return result;
  }
  if (info.family === 'RSA' && info.bits !== null && info.bits < RSA_MIN_BITS) publicKey.weak = { bits: info.bits };
  publicKey.fromToken = keyFromToken(parsed, info, result.embedded);

  const report = reinspect(parsed.key);
  const signature = report?.signature ?? { status: 'not checked' };
  if (signature.status === 'valid') {
    result.verdict = 'verified';
    try {
      lib.verify(token, parsed.key, verifyOptions(settings, checkMs));
      result.claimsCheck = { ok: true };
    } catch (e) {
      result.claimsCheck = { ok: false, ...errorInfo(e) };
    }
  } else if (signature.status === 'invalid') {
    result.verdict = 'invalid';
    const code = signature.code ?? 'ERR_JWS_INVALID_SIGNATURE';
    if (code === 'ERR_JWS_ALG_NOT_ALLOWED' && !info.set && info.family !== need) {
      result.reason = { kind: 'key-family', alg: result.alg, family: info.family, need };
    } else {
      result.reason = { kind: 'verify', code, message: String(signature.message ?? '') };
    }
  } else {
    result.verdict = 'unchecked';
    result.reason = { kind: 'key', code: signature.code ?? 'ERR_KEY_INVALID', message: String(signature.message ?? '') };
  }
  return result;
}

/** The explanation of an inspect warning, by its code (`findings` is text.FINDINGS). */
export function explainWarning(warning, findings, fallback) {
  const code = String(warning?.code ?? '');
  return Object.hasOwn(findings, code) ? findings[code] : fallback;
}

const SEVERITY_RANK = { critical: 0, high: 1, error: 1, medium: 2, warning: 2, warn: 2, low: 3, info: 4 };

/** Warnings sorted most severe first (stable). */
export function sortWarnings(warnings) {
  const rank = (w) => SEVERITY_RANK[String(w?.severity ?? '').toLowerCase()] ?? 5;
  return warnings.map((w, n) => [w, n]).sort((a, b) => rank(a[0]) - rank(b[0]) || a[1] - b[1]).map(([w]) => w);
}

/**
 * Signs the encoder's content.
 * @param settings `{ headerText, payloadText, alg, secret, encoding, privateKey }`: the secret
 *   signs HS*, the private key box (PEM or JWK) RS*, PS*, ES* and EdDSA.
 * Returns `{ token, alg, header, payload, weak?, publicKey? }` (publicKey: `{ jwk, pem, info }`,
 * the public half of the private key, for the verifier) or
 * `{ alg, headerError?, payloadError?, secretError?, keyError?, signError? }`.
 */
export function encode(lib, settings) {
  const out = {};
  const header = parseJsonObject(settings.headerText);
  const payload = parseJsonObject(settings.payloadText);
  if (header.error) out.headerError = header.error;
  if (payload.error) out.payloadError = payload.error;
  let alg = settings.alg;
  if (header.value) {
    if ('alg' in header.value && !ALGORITHMS.includes(header.value.alg)) {
      out.headerError = { kind: 'alg', alg: header.value.alg };
    } else if (typeof header.value.alg === 'string') {
      alg = header.value.alg;
    }
  }
  out.alg = alg;
  const hmac = HMAC_ALGS.includes(alg);
  let key;
  let signingKey;
  let info = null;
  if (hmac) {
    key = secretToKey(settings.secret, settings.encoding);
    if (key.empty) out.secretError = { kind: 'empty' };
    else if (key.error) out.secretError = { kind: 'encoding', ...key.error };
    else signingKey = key.key;
  } else {
    const parsed = parseKeyText(settings.privateKey);
    const need = algFamily(alg);
    if (parsed.empty) out.keyError = { kind: 'empty', alg, need };
    else if (parsed.error) out.keyError = { kind: 'format', error: parsed.error };
    else if (parsed.format === 'jwks') out.keyError = { kind: 'set' };
    else if (!parsed.private) {
      // a public key cannot sign; never handed to sign()
      out.keyError = { kind: 'public' };
    } else {
      info = describeKey(lib, parsed);
      if (info.error) out.keyError = { kind: 'key', ...info.error };
      else if (info.family !== need) out.keyError = { kind: 'family', alg, family: info.family, need };
      else signingKey = parsed.key;
    }
    out.privateKey = parsed;
    out.keyInfo = info;
  }
  if (out.headerError || out.payloadError || out.secretError || out.keyError) return out;

  const extra = { ...header.value };
  delete extra.alg;
  if (extra.typ === 'JWT') delete extra.typ;
  const options = { algorithm: alg, noTimestamp: true, allowWeakKey: true };
  if (Object.keys(extra).length > 0) options.header = extra;
  try {
    const token = lib.sign(payload.value, signingKey, options);
    const result = { token, alg, header: header.value, payload: payload.value };
    if (hmac && key.length < HASH_BYTES[alg]) result.weak = { bytes: key.length, need: HASH_BYTES[alg], alg };
    if (!hmac) {
      result.keyInfo = info;
      result.publicKey = { jwk: info.publicJwk, pem: lib.exportPEM(signingKey) };
      if (info.family === 'RSA' && info.bits !== null && info.bits < RSA_MIN_BITS) result.weakRsa = { bits: info.bits };
    }
    return result;
  } catch (e) {
    return { alg, signError: errorInfo(e) };
  }
}

/** Reads `#token=...` (also `#id_token=` / `#access_token=`) from a URL fragment. */
export function tokenFromFragment(hash) {
  const text = String(hash ?? '').replace(/^#/, '');
  if (!text) return null;
  const params = new URLSearchParams(text);
  for (const name of ['token', 'id_token', 'access_token']) {
    const v = params.get(name);
    if (v) return v;
  }
  return null;
}

/** The share link for a token: the page URL with the token in its fragment (never the secret). */
export function shareLink(pageUrl, token) {
  const base = String(pageUrl).split('#')[0];
  return `${base}#token=${encodeURIComponent(token)}`;
}

/** Sets a top-level member in JSON editor text, keeping the other members; null on bad JSON. */
export function setMember(text, name, value) {
  const parsed = parseJsonObject(text);
  if (parsed.error) return null;
  return JSON.stringify({ ...parsed.value, [name]: value }, null, 2);
}

/** Moves `alg` to the front of a header object (for display in the encoder). */
export function headerWithAlg(header, alg) {
  const rest = { ...header };
  delete rest.alg;
  return { alg, ...rest };
}
