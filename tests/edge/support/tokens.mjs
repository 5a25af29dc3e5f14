// Tokens for the edge suites, made with node:crypto so that the tests do not trust the
// signer of the package under test, and so that broken tokens (alg none, wrong key) are easy.
import { createHmac, randomBytes } from 'node:crypto';

const b64url = (value) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
export const now = () => Math.floor(Date.now() / 1000);

/** HS256 over `header.payload` with raw key bytes (Buffer) or a UTF-8 string. */
export function hs256(payload, key, header = {}) {
  const input = `${b64url({ alg: 'HS256', typ: 'JWT', ...header })}.${b64url(payload)}`;
  return `${input}.${createHmac('sha256', key).update(input).digest('base64url')}`;
}

/** An unsecured JWT (alg none, empty signature). */
export function algNone(payload) {
  return `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(payload)}.`;
}

/** A new HS256 JWK `{ kty: 'oct', k, kid, alg, use }` and its raw key bytes. */
export function octKey(kid) {
  const bytes = randomBytes(32);
  return { jwk: { kty: 'oct', kid, alg: 'HS256', use: 'sig', k: bytes.toString('base64url') }, bytes };
}

/** A random HMAC secret as text (43 base64url characters = 32 bytes of entropy). */
export function secret() {
  return randomBytes(32).toString('base64url');
}

/** Parses `Bearer a="b", c="d"` into { scheme, params }. */
export function parseChallenge(value) {
  const m = /^(\S+)(?: (.*))?$/.exec(value ?? '');
  if (!m) return null;
  const params = {};
  const re = /([A-Za-z_]+)="((?:[^"\\]|\\.)*)"(?:, |$)/y;
  let rest = m[2] ?? '';
  let pos = 0;
  while (pos < rest.length) {
    re.lastIndex = pos;
    const p = re.exec(rest);
    if (!p) return { scheme: m[1], params, unparsed: rest.slice(pos) };
    params[p[1]] = p[2].replace(/\\(.)/g, '$1');
    pos = re.lastIndex;
  }
  return { scheme: m[1], params };
}
