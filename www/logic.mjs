// The inspector's token logic: pure functions of their arguments. No DOM, no clock, no
// globals: the jwtkit package (`lib`) and the current time (`nowMs`) are passed in, so this
// module runs the same in the page and under `node --test`.

export const HMAC_ALGS = ['HS256', 'HS384', 'HS512'];
/** Minimum HMAC key length in bytes (the hash output, RFC 7518 3.2). */
export const HASH_BYTES = { HS256: 32, HS384: 48, HS512: 64 };
export const ASYMMETRIC_ALGS = /^(RS|PS|ES)(256|384|512)$|^EdDSA$|^ES256K$|^Ed25519$|^Ed448$/;
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
 * @param lib the jwtkit package (`inspect`, `verify`)
 * @param input the text of the token box
 * @param settings `{ secret, encoding, audience, issuer, currentTime }` (currentTime: ms or null)
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
    key: null,
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

  const options = { allowWeakKey: true, currentTime: new Date(checkMs) };
  const audience = listField(settings.audience);
  const issuer = listField(settings.issuer);
  if (audience !== undefined) options.audience = audience;
  if (issuer !== undefined) options.issuer = issuer;
  try {
    lib.verify(token, key.key, options);
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
 * @param settings `{ headerText, payloadText, alg, secret, encoding }`
 * Returns `{ token, header, payload, weak? }` or `{ headerError?, payloadError?, secretError?, signError? }`.
 */
export function encode(lib, settings) {
  const out = {};
  const header = parseJsonObject(settings.headerText);
  const payload = parseJsonObject(settings.payloadText);
  if (header.error) out.headerError = header.error;
  if (payload.error) out.payloadError = payload.error;
  let alg = settings.alg;
  if (header.value) {
    if ('alg' in header.value && !HMAC_ALGS.includes(header.value.alg)) {
      out.headerError = { kind: 'alg', alg: header.value.alg };
    } else if (typeof header.value.alg === 'string') {
      alg = header.value.alg;
    }
  }
  const key = secretToKey(settings.secret, settings.encoding);
  if (key.empty) out.secretError = { kind: 'empty' };
  else if (key.error) out.secretError = { kind: 'encoding', ...key.error };
  if (out.headerError || out.payloadError || out.secretError) return out;

  const extra = { ...header.value };
  delete extra.alg;
  if (extra.typ === 'JWT') delete extra.typ;
  const options = { algorithm: alg, noTimestamp: true, allowWeakKey: true };
  if (Object.keys(extra).length > 0) options.header = extra;
  try {
    const token = lib.sign(payload.value, key.key, options);
    const result = { token, alg, header: header.value, payload: payload.value };
    if (key.length < HASH_BYTES[alg]) result.weak = { bytes: key.length, need: HASH_BYTES[alg], alg };
    return result;
  } catch (e) {
    return { signError: errorInfo(e) };
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
