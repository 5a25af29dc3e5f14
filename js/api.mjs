// The public JavaScript face of jwtkit. Arguments are checked and normalised here, the
// clock is read here, and everything else happens in the Rust core (./core.js + wasm).
// See API.md for the reference of every function, option and error code.
import * as core from './core.js';
import { JsonWebTokenError, TokenExpiredError, NotBeforeError, fromCore, jwtError } from './errors.mjs';
import { ready, ensureReady } from './state.mjs';
import { readInput, writeInput } from './input.mjs';

export { JsonWebTokenError, TokenExpiredError, NotBeforeError };

const HMAC_ALGORITHMS = ['HS256', 'HS384', 'HS512'];
const DEFAULT_MAX_TOKEN_LENGTH = 16384;

const option = (message) => jwtError('ERR_INVALID_OPTION', message);

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** Runs a core call, turning its thrown plain objects into error classes. */
function call(fn) {
  try {
    return fn();
  } catch (thrown) {
    throw fromCore(thrown);
  }
}

// ---- keys -------------------------------------------------------------------------------

/** A key prepared by `importKey`: reusable, opaque, and never printed. */
export class JwtKey {
  #keys;
  constructor(keys, guard) {
    if (guard !== KEY_GUARD) throw new TypeError('use importKey() to make a JwtKey');
    this.#keys = keys;
    this.type = keys.kind;
  }
  /** @internal */
  static handle(key) {
    return key.#keys;
  }
  toJSON() {
    return { type: this.type };
  }
  toString() {
    return `[JwtKey ${this.type}]`;
  }
  [Symbol.for('nodejs.util.inspect.custom')]() {
    return this.toString();
  }
}
const KEY_GUARD = Symbol('JwtKey');

function isPlainObject(value) {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Converts any accepted key form into core keys. `owned` says whether the caller must free
 * them (false for keys made by importKey, which live as long as their JwtKey).
 */
function coreKeys(key, base64 = false) {
  if (key instanceof JwtKey) return { keys: JwtKey.handle(key), owned: false };
  let keys;
  if (typeof key === 'string') {
    keys = call(() => (base64 ? core.keysFromBase64(key) : isPem(key) ? core.keysFromPem(key) : core.keysFromText(key)));
  } else if (key instanceof Uint8Array) {
    keys = call(() => core.keysFromBytes(key));
  } else if (key instanceof ArrayBuffer) {
    keys = call(() => core.keysFromBytes(new Uint8Array(key)));
  } else if (key && typeof key === 'object' && key.type === 'secret' && typeof key.export === 'function') {
    // A Node.js KeyObject made by crypto.createSecretKey, as jsonwebtoken accepts.
    keys = call(() => core.keysFromBytes(key.export()));
  } else if (key && typeof key === 'object' && (key.type === 'public' || key.type === 'private') && typeof key.export === 'function') {
    // A Node.js public or private KeyObject: through its PEM (SPKI or PKCS#8).
    const pem = key.export({ type: key.type === 'public' ? 'spki' : 'pkcs8', format: 'pem' });
    keys = call(() => core.keysFromPem(String(pem)));
  } else if (key && typeof key === 'object' && Array.isArray(key.keys)) {
    keys = call(() => core.keysFromJwks(JSON.stringify(key)));
  } else if (key && typeof key === 'object' && typeof key.kty === 'string') {
    keys = call(() => core.keysFromJwk(JSON.stringify(key)));
  } else if (key && typeof key === 'object' && key[Symbol.for('jwtkit.RemoteJWKSet')]) {
    throw jwtError('ERR_KEY_INVALID', 'a remote JWK Set is fetched asynchronously: use verifyAsync(token, keySource, options)');
  } else if (key === undefined || key === null || key === '') {
    throw jwtError('ERR_KEY_INVALID', 'secret or public key must be provided');
  } else {
    throw jwtError(
      'ERR_KEY_INVALID',
      'key must be a string, a Uint8Array, a JWK, a JWK Set, a Node.js secret KeyObject, or a key from importKey()',
    );
  }
  return { keys, owned: true };
}

/** Text holding a PEM block is a PEM key (read after any explanatory text), never a secret. */
function isPem(text) {
  return text.includes('-----BEGIN ');
}

function release({ keys, owned }) {
  if (owned) keys.free();
}

/**
 * Prepares a key once for many calls.
 * @param {string | Uint8Array | object} key
 * @param {{ base64?: boolean }} [options]
 */
export function importKey(key, options = {}) {
  ready || ensureReady();
  checkOptionNames(options, IMPORT_OPTIONS, 'importKey');
  if (options.base64 !== undefined && typeof options.base64 !== 'boolean') throw option('"base64" must be a boolean');
  if (key instanceof JwtKey) return key;
  if (options.base64 && typeof key !== 'string') throw option('"base64": true needs the secret as a string');
  const { keys } = coreKeys(key, options.base64 === true);
  // Prepared once here, so every signer and verifier made from this key starts prepared.
  keys.prepare();
  return new JwtKey(keys, KEY_GUARD);
}

/**
 * A new key pair for RS256/384/512, PS256/384/512 (RSA 2048), ES256/384/512 or EdDSA
 * (Ed25519): `{ privateKey, publicKey }` as JWK objects with `alg` set.
 */
export function generateKeyPair(algorithm) {
  ready || ensureReady();
  if (typeof algorithm !== 'string') throw option('algorithm must be a string such as "ES256"');
  return JSON.parse(call(() => core.generateKeyPair(algorithm)));
}

function exportOptions(options, where) {
  checkOptionNames(options, EXPORT_OPTIONS, where);
  return booleanOption(options ?? {}, 'private');
}

/** A key as a JWK object: public members only, unless `{ private: true }`. */
export function exportJWK(key, options = {}) {
  ready || ensureReady();
  const privateToo = exportOptions(options, 'exportJWK');
  const converted = coreKeys(key);
  try {
    return JSON.parse(call(() => converted.keys.exportJwk(privateToo)));
  } finally {
    release(converted);
  }
}

/** A key as PEM text: SPKI `PUBLIC KEY`, or PKCS#8 `PRIVATE KEY` with `{ private: true }`. */
export function exportPEM(key, options = {}) {
  ready || ensureReady();
  const privateToo = exportOptions(options, 'exportPEM');
  const converted = coreKeys(key);
  try {
    return call(() => converted.keys.exportPem(privateToo));
  } finally {
    release(converted);
  }
}

/** A base64url string of hash-length random bytes, from the platform's cryptographic source. */
export function generateSecret(algorithm = 'HS256') {
  ready || ensureReady();
  if (typeof algorithm !== 'string') throw option('algorithm must be a string such as "HS256"');
  return call(() => core.generateSecret(algorithm));
}

// ---- options ----------------------------------------------------------------------------

const IMPORT_OPTIONS = new Set(['base64']);
const EXPORT_OPTIONS = new Set(['private']);
const SIGN_OPTIONS = new Set([
  'algorithm', 'expiresIn', 'notBefore', 'audience', 'issuer', 'subject', 'jwtid', 'keyid',
  'header', 'noTimestamp', 'timestamp', 'allowWeakKey',
]);
const VERIFY_OPTIONS = new Set([
  'algorithms', 'audience', 'issuer', 'subject', 'jwtid', 'typ', 'clockTolerance', 'maxAge',
  'currentTime', 'clockTimestamp', 'ignoreExpiration', 'ignoreNotBefore', 'requiredClaims',
  'complete', 'maxTokenLength', 'allowWeakKey',
]);

function checkOptionNames(options, known, where) {
  if (options === undefined || options === null) return;
  if (typeof options !== 'object') throw option(`${where} options must be an object`);
  for (const name of Object.keys(options)) {
    if (!known.has(name) && options[name] !== undefined) {
      // Refused rather than ignored: a misspelt "audiance" would silently disable a check.
      throw option(`"${name}" is not a ${where} option`);
    }
  }
}

function isString(value) {
  return typeof value === 'string';
}

function stringList(value, name, { allowRegExp = false } = {}) {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) throw option(`"${name}" must not be an empty array`);
  for (const item of list) {
    if (!isString(item) && !(allowRegExp && item instanceof RegExp)) {
      throw option(`"${name}" must be a string${allowRegExp ? ', a RegExp' : ''} or an array of them`);
    }
  }
  return list;
}

function booleanOption(options, name) {
  const value = options[name];
  if (value !== undefined && typeof value !== 'boolean') throw option(`"${name}" must be a boolean`);
  return value === true;
}

/** A span in seconds: a number, or a string with a unit ('90s', '2 days'). */
function spanSeconds(value, name) {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw option(`"${name}" must be a finite number of seconds`);
    return value;
  }
  if (typeof value === 'string') return call(() => core.parseTimespan(value));
  throw option(`"${name}" should be a number of seconds or a string representing a timespan`);
}

function currentTimeOf(options) {
  const value = options.currentTime ?? options.clockTimestamp;
  if (value === undefined) return undefined;
  if (value instanceof Date) {
    const ms = value.getTime();
    if (!Number.isFinite(ms)) throw option('"currentTime" is an invalid Date');
    return Math.floor(ms / 1000);
  }
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  throw option('"currentTime" must be a Date or a number of seconds since the epoch');
}

/** Checks verify options once; returns what the core and the face need. */
function normaliseVerifyOptions(options = {}) {
  if (options === null) options = {};
  checkOptionNames(options, VERIFY_OPTIONS, 'verify');
  const forCore = {};
  let audiencePatterns = null;
  if (options.algorithms !== undefined) forCore.algorithms = stringList(options.algorithms, 'algorithms');
  if (options.audience !== undefined) {
    const audience = stringList(options.audience, 'audience', { allowRegExp: true });
    // RegExp audiences are matched here, after the core has verified everything else.
    if (audience.some((a) => a instanceof RegExp)) audiencePatterns = audience;
    else forCore.audience = audience;
  }
  if (options.issuer !== undefined) forCore.issuer = stringList(options.issuer, 'issuer');
  for (const name of ['subject', 'jwtid', 'typ']) {
    if (options[name] !== undefined) {
      if (!isString(options[name])) throw option(`"${name}" must be a string`);
      forCore[name] = options[name];
    }
  }
  if (options.clockTolerance !== undefined) {
    if (typeof options.clockTolerance !== 'number' || !(options.clockTolerance >= 0)) {
      throw option('"clockTolerance" must be a number of seconds >= 0');
    }
    forCore.clockTolerance = options.clockTolerance;
  }
  if (options.maxAge !== undefined) {
    const maxAge = spanSeconds(options.maxAge, 'maxAge');
    if (!(maxAge >= 0)) throw option('"maxAge" must not be negative');
    forCore.maxAge = maxAge;
  }
  forCore.ignoreExpiration = booleanOption(options, 'ignoreExpiration');
  forCore.ignoreNotBefore = booleanOption(options, 'ignoreNotBefore');
  forCore.allowWeakKey = booleanOption(options, 'allowWeakKey');
  if (options.requiredClaims !== undefined) {
    forCore.requiredClaims = Array.isArray(options.requiredClaims) && options.requiredClaims.length === 0
      ? []
      : stringList(options.requiredClaims, 'requiredClaims');
  }
  let maxTokenLength = DEFAULT_MAX_TOKEN_LENGTH;
  if (options.maxTokenLength !== undefined) {
    if (!Number.isSafeInteger(options.maxTokenLength) || options.maxTokenLength <= 0) {
      throw option('"maxTokenLength" must be a positive integer');
    }
    maxTokenLength = options.maxTokenLength;
  }
  forCore.maxTokenLength = maxTokenLength;
  return {
    json: JSON.stringify(forCore),
    audiencePatterns,
    complete: booleanOption(options, 'complete'),
    currentTime: currentTimeOf(options),
    maxTokenLength,
  };
}

function checkAudiencePatterns(payload, patterns) {
  const auds = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  const matches = auds.some(
    (aud) => typeof aud === 'string' && patterns.some((p) => (p instanceof RegExp ? (p.lastIndex = 0, p.test(aud)) : p === aud)),
  );
  if (!matches) {
    const error = jwtError(
      payload.aud === undefined ? 'ERR_JWT_CLAIM_MISSING' : 'ERR_JWT_CLAIM_INVALID',
      `jwt audience invalid. expected: ${patterns.map(String).join(' or ')}`,
      'aud',
    );
    throw error;
  }
}

// ---- verify -----------------------------------------------------------------------------

function checkTokenArgument(token, maxTokenLength) {
  if (typeof token !== 'string') throw jwtError('ERR_JWT_MALFORMED', 'jwt must be a string');
  if (token.length === 0) throw jwtError('ERR_JWT_MALFORMED', 'jwt must be provided');
  if (token.length > maxTokenLength) {
    // Refused before the token crosses into wasm or is decoded at all.
    throw jwtError('ERR_JWT_TOO_LARGE', `jwt is longer than maxTokenLength (${maxTokenLength} characters)`);
  }
}

/** Verifies with a prepared core verifier; `normalised` from normaliseVerifyOptions. */
function runVerifier(verifier, token, normalised) {
  checkTokenArgument(token, normalised.maxTokenLength);
  const now = normalised.currentTime ?? nowSeconds();
  let result;
  try {
    const length = writeInput(token);
    if (normalised.complete) {
      result = JSON.parse(verifier.verifyCompleteInput(length, now));
    } else {
      const payloadLength = verifier.verifyInput(length, now);
      if (payloadLength < 0) throw core.takeError();
      result = JSON.parse(readInput(payloadLength));
    }
  } catch (thrown) {
    throw fromCore(thrown);
  }
  if (normalised.audiencePatterns) {
    checkAudiencePatterns(normalised.complete ? result.payload : result, normalised.audiencePatterns);
  }
  return result;
}

function newCoreVerifier(key, normalised) {
  const converted = coreKeys(key);
  try {
    return call(() => new core.Verifier(converted.keys, normalised.json));
  } finally {
    release(converted);
  }
}

/** Verifies with a key function `(header) => key`: the header is decoded (not trusted) first. */
function verifyWithKeyFunction(getKey, token, normalised) {
  checkTokenArgument(token, normalised.maxTokenLength);
  const header = JSON.parse(call(() => core.decodeHeader(token)));
  const key = getKey(header);
  if (key && typeof key.then === 'function') {
    throw jwtError('ERR_KEY_INVALID', 'the key function must return a key synchronously (use verifyAsync for promises)');
  }
  const verifier = newCoreVerifier(key, normalised);
  try {
    return runVerifier(verifier, token, normalised);
  } finally {
    verifier.free();
  }
}

// One-shot calls with a string secret (the common `jwt.verify(token, secret, options)`) reuse
// prepared verifiers and signers: preparing the key and options costs more than verifying.
// Strings are immutable, so a cached entry can never see a changed key; other key forms
// are prepared per call (use createVerifier or importKey for them). Bounded, least
// recently used first out.
const ONE_SHOT_CACHE_SIZE = 16;
const oneShotVerifiers = new Map();
const oneShotSigners = new Map();
let defaultVerifyOptions = null;

function cached(cache, id, make) {
  let entry = cache.get(id);
  if (entry === undefined) {
    entry = make();
    if (cache.size >= ONE_SHOT_CACHE_SIZE) {
      const [oldest, old] = cache.entries().next().value;
      cache.delete(oldest);
      old.free();
    }
  } else {
    cache.delete(id);
  }
  cache.set(id, entry);
  return entry;
}

/**
 * The cache id of one-shot options: their JSON text, which equal options share. RegExp
 * audiences all serialise as `{}`, so options holding one are not cached.
 */
function oneShotId(options, key) {
  if (options !== undefined && options !== null && typeof options === 'object') {
    const audience = options.audience;
    if (audience instanceof RegExp || (Array.isArray(audience) && audience.some((a) => a instanceof RegExp))) return null;
  }
  return `${JSON.stringify(options, exactJson) ?? ''}\u0000${key}`;
}

/**
 * A JSON.stringify replacer that keeps apart what plain JSON merges (undefined and functions
 * dropped, invalid Dates and NaN written as null), so options that differ only in a value
 * the validation would refuse never share a cache entry with valid ones.
 */
function exactJson(name, value) {
  const original = this[name];
  if (original instanceof Date) return `\u0000date:${original.getTime()}`;
  if (value === undefined) return '\u0000undefined';
  if (typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint') return `\u0000${typeof value}`;
  if (typeof value === 'number' && !Number.isFinite(value)) return `\u0000${value}`;
  return value;
}

function verifyNow(token, key, options) {
  const id = typeof key === 'string' && key !== '' ? oneShotId(options, key) : null;
  if (id !== null) {
    const entry = cached(oneShotVerifiers, id, () => {
      const normalised = normaliseVerifyOptions(options);
      return { normalised, verifier: newCoreVerifier(key, normalised), free() { this.verifier.free(); } };
    });
    return runVerifier(entry.verifier, token, entry.normalised);
  }
  const normalised =
    options === undefined ? (defaultVerifyOptions ??= normaliseVerifyOptions()) : normaliseVerifyOptions(options);
  if (typeof key === 'function') return verifyWithKeyFunction(key, token, normalised);
  checkTokenArgument(token, normalised.maxTokenLength);
  const verifier = newCoreVerifier(key, normalised);
  try {
    return runVerifier(verifier, token, normalised);
  } finally {
    verifier.free();
  }
}

/** Calls `callback(err, result)` once on a later tick; never throws. */
function deferred(callback, work) {
  let outcome;
  try {
    outcome = [null, work()];
  } catch (error) {
    outcome = [error, undefined];
  }
  queueMicrotask(() => callback(...outcome));
}

/**
 * Verifies a token and returns its claims (or `{ header, payload, signature }` with `complete`).
 * With a callback as the last argument, calls it with `(err, claims)` instead of throwing.
 */
export function verify(token, key, options, callback) {
  ready || ensureReady();
  if (typeof options === 'function') {
    callback = options;
    options = undefined;
  }
  if (typeof callback === 'function') return deferred(callback, () => verifyNow(token, key, options));
  return verifyNow(token, key, options);
}

/** A reusable verifier: the key is prepared and the options checked once. */
export function createVerifier(key, options) {
  ready || ensureReady();
  const normalised = normaliseVerifyOptions(options);
  if (typeof key === 'function') {
    return Object.freeze({ verify: (token) => verifyWithKeyFunction(key, token, normalised) });
  }
  const verifier = newCoreVerifier(key, normalised);
  return Object.freeze({ verify: (token) => runVerifier(verifier, token, normalised) });
}

/**
 * The claims' JSON with the added members written after the payload's own, without copying
 * the payload: adding a member to a copy made V8 rebuild the object (about 1.8 us for a
 * seven-member payload, against 0.6 us for the whole JSON.stringify). `undefined` when the
 * result could differ from the copy's (a member to remove or already there as `undefined`,
 * or a `toJSON`); copyWith does those.
 */
function appendedJson(payload, o, added) {
  if (typeof payload.toJSON === 'function' || (o.noTimestamp && Object.hasOwn(payload, 'iat'))) return undefined;
  let tail = '';
  for (const [claim, value] of added) {
    if (Object.hasOwn(payload, claim)) return undefined;
    tail += `,"${claim}":${JSON.stringify(value)}`;
  }
  const json = JSON.stringify(payload);
  if (tail === '') return json;
  return json === '{}' ? `{${tail.slice(1)}}` : `${json.slice(0, -1)}${tail}}`;
}

/** The claims as jsonwebtoken builds them: a copy of the payload with the members set. */
function copyWith(payload, o, added) {
  const claims = { ...payload };
  if (o.noTimestamp) delete claims.iat;
  for (const [claim, value] of added) claims[claim] = value;
  return claims;
}

// ---- sign -------------------------------------------------------------------------------

/** `\uD800`-`\uDFFF` preceded by an even number of backslashes: an escaped lone surrogate. */
const LONE_SURROGATE_ESCAPE = /(?<!\\)(?:\\\\)*\\u[dD][89a-fA-F][0-9a-fA-F]{2}/;

const CLAIM_OPTIONS = [
  ['audience', 'aud'],
  ['issuer', 'iss'],
  ['subject', 'sub'],
  ['jwtid', 'jti'],
];

function normaliseSignOptions(options = {}) {
  if (options === null) options = {};
  checkOptionNames(options, SIGN_OPTIONS, 'sign');
  // Without `algorithm`, the key's own: HS256 for a secret, RS256 for RSA, ES256/384/512 for
  // EC keys, EdDSA for Ed25519, or the JWK's `alg`.
  const algorithm = options.algorithm;
  if (algorithm !== undefined && !isString(algorithm)) throw option('"algorithm" must be a string such as "HS256"');
  if (algorithm?.toLowerCase() === 'none') throw jwtError('ERR_JWS_ALG_NOT_ALLOWED', 'algorithm "none" is never used');
  if (options.keyid !== undefined && !isString(options.keyid)) throw option('"keyid" must be a string');
  if (options.header !== undefined && !isPlainObject(options.header)) throw option('"header" must be a plain object');
  if (options.header?.alg !== undefined && options.header.alg !== algorithm) {
    throw option('"header.alg" cannot differ from the algorithm option (and needs it)');
  }
  const spans = {};
  for (const [name, claim] of [['expiresIn', 'exp'], ['notBefore', 'nbf']]) {
    if (options[name] !== undefined) spans[claim] = { name, seconds: spanSeconds(options[name], name), isString: isString(options[name]) };
  }
  const claims = [];
  for (const [name, claim] of CLAIM_OPTIONS) {
    const value = options[name];
    if (value === undefined) continue;
    if (name === 'audience') {
      stringList(value, 'audience');
    } else if (name === 'jwtid' && value === true) {
      claims.push([name, claim, true]);
      continue;
    } else if (!isString(value)) {
      throw option(`"${name}" must be a string${name === 'jwtid' ? ' or true' : ''}`);
    }
    claims.push([name, claim, value]);
  }
  if (options.timestamp !== undefined && !(typeof options.timestamp === 'number' && Number.isFinite(options.timestamp))) {
    throw option('"timestamp" must be a number of seconds since the epoch');
  }
  return {
    algorithm,
    keyid: options.keyid,
    header: options.header,
    allowWeakKey: booleanOption(options, 'allowWeakKey'),
    noTimestamp: booleanOption(options, 'noTimestamp'),
    timestamp: options.timestamp,
    spans,
    claims,
  };
}

function checkPayload(payload) {
  if (!isPlainObject(payload)) {
    throw jwtError('ERR_INVALID_PAYLOAD', 'payload must be a plain object');
  }
  // Unrolled: this runs on every sign.
  checkSeconds(payload.iat, 'iat');
  checkSeconds(payload.exp, 'exp');
  checkSeconds(payload.nbf, 'nbf');
}

function checkSeconds(value, claim) {
  if (value !== undefined && !(typeof value === 'number' && Number.isFinite(value))) {
    throw jwtError('ERR_INVALID_PAYLOAD', `"${claim}" should be a number of seconds`);
  }
}

/** Builds the claims to sign: the payload plus iat/exp/nbf/aud/iss/sub/jti from options. */
function claimsFor(payload, o) {
  checkPayload(payload);
  const timestamp = payload.iat ?? o.timestamp ?? nowSeconds();
  // Members the options add, in jsonwebtoken's order (iat, the spans, aud/iss/sub/jti).
  // jsonwebtoken sets them on a copy, so each lands after the payload's own members.
  const added = [];
  if (!o.noTimestamp && payload.iat === undefined) added.push(['iat', timestamp]);
  for (const claim in o.spans) {
    if (payload[claim] !== undefined) {
      throw option(`Bad "options.${o.spans[claim].name}" option the payload already has an "${claim}" property.`);
    }
  }
  // jsonwebtoken checks expiresIn first but writes nbf before exp.
  for (const claim of ['nbf', 'exp']) {
    const span = o.spans[claim];
    if (span === undefined) continue;
    // As jsonwebtoken: string spans round down to whole seconds, numbers are added as given.
    added.push([claim, span.isString ? Math.floor(timestamp + span.seconds) : timestamp + span.seconds]);
  }
  for (const [name, claim, value] of o.claims) {
    if (payload[claim] !== undefined) {
      throw option(`Bad "options.${name}" option. The payload already has an "${claim}" property.`);
    }
    added.push([claim, value === true ? core.randomId() : value]);
  }
  let json;
  try {
    json = appendedJson(payload, o, added) ?? JSON.stringify(copyWith(payload, o, added));
  } catch (error) {
    throw jwtError('ERR_INVALID_PAYLOAD', `payload cannot be serialised as JSON: ${error.message}`);
  }
  // JSON.stringify escapes lone surrogates as \udXXX; strict parsers (this one included)
  // refuse them, so such a token would not verify anywhere strict. Refuse it here instead.
  if (json.includes('\\u') && LONE_SURROGATE_ESCAPE.test(json)) {
    throw jwtError('ERR_INVALID_PAYLOAD', 'payload contains a lone surrogate (a string that is not valid Unicode)');
  }
  return json;
}

/**
 * The header for the `header` option, as jsonwebtoken writes it: `alg`, `typ` ("JWT" unless
 * replaced), `kid`, then the other members in name order (a stable order).
 */
function headerText(o, key, algorithm) {
  if (o.header === undefined) return undefined;
  const { alg: _alg, typ, kid, ...rest } = o.header;
  const header = { alg: algorithm, typ: typ === undefined ? 'JWT' : typ };
  const keyId = kid ?? o.keyid ?? (key && typeof key === 'object' && typeof key.kid === 'string' ? key.kid : undefined);
  if (keyId !== undefined) header.kid = keyId;
  for (const name of Object.keys(rest).sort()) header[name] = rest[name];
  if (header.typ === null) delete header.typ;
  return JSON.stringify(header);
}

function newCoreSigner(key, o) {
  const converted = coreKeys(key);
  try {
    const algorithm = o.algorithm ?? converted.keys.defaultAlgorithm ?? 'HS256';
    return call(() => new core.Signer(converted.keys, algorithm, o.keyid, headerText(o, key, algorithm), o.allowWeakKey));
  } finally {
    release(converted);
  }
}

function signWith(signer, json) {
  const length = signer.signInput(writeInput(json));
  if (length < 0) throw fromCore(core.takeError());
  return readInput(length);
}

function signNow(payload, key, options) {
  if (typeof key === 'string' && key !== '') {
    const entry = cached(oneShotSigners, `${JSON.stringify(options, exactJson) ?? ''}\u0000${key}`, () => {
      const o = normaliseSignOptions(options);
      return { o, signer: newCoreSigner(key, o), free() { this.signer.free(); } };
    });
    return signWith(entry.signer, claimsFor(payload, entry.o));
  }
  const o = normaliseSignOptions(options);
  const json = claimsFor(payload, o);
  const signer = newCoreSigner(key, o);
  try {
    return signWith(signer, json);
  } finally {
    signer.free();
  }
}

/**
 * Signs `payload` (a plain object) and returns a compact JWS.
 * With a callback as the last argument, calls it with `(err, token)` instead of throwing.
 */
export function sign(payload, key, options, callback) {
  ready || ensureReady();
  if (typeof options === 'function') {
    callback = options;
    options = undefined;
  }
  if (typeof callback === 'function') return deferred(callback, () => signNow(payload, key, options));
  return signNow(payload, key, options);
}

/** A reusable signer: the key is prepared, the header encoded and the options checked once. */
export function createSigner(key, options) {
  ready || ensureReady();
  const o = normaliseSignOptions(options);
  const signer = newCoreSigner(key, o);
  return Object.freeze({ sign: (payload) => signWith(signer, claimsFor(payload, o)) });
}

// ---- decode and inspect -----------------------------------------------------------------

/**
 * Decodes a token WITHOUT verifying it. Never use the result for a security decision.
 * Returns null for anything that is not a well-formed token.
 */
export function decode(token, options = {}) {
  ready || ensureReady();
  if (typeof token !== 'string' || token.length > DEFAULT_MAX_TOKEN_LENGTH * 64) return null;
  let decoded;
  try {
    decoded = JSON.parse(core.decodeUnverified(token));
  } catch {
    return null;
  }
  return options && options.complete ? decoded : decoded.payload;
}

/**
 * A report on any input: parts with positions, decoded header and payload, claims explained,
 * the signature status (when a key is given) and security warnings. Never throws.
 */
export function inspect(token, key, options = {}) {
  ready || ensureReady();
  const input = typeof token === 'string' ? token : '';
  let now = nowSeconds();
  try {
    now = currentTimeOf(options ?? {}) ?? now;
  } catch {
    // A bad time option falls back to now: inspect never throws.
  }
  let converted = null;
  let keyProblem = null;
  if (key !== undefined && key !== null && key !== '') {
    try {
      converted = coreKeys(key, options?.base64 === true);
    } catch (error) {
      keyProblem = { status: 'not checked', code: error.code ?? 'ERR_KEY_INVALID', message: error.message };
    }
  }
  let report;
  try {
    // Keys passed by value are consumed by the core call; a JwtKey's handle is lent.
    const lent = converted && !converted.owned ? cloneKeys(converted.keys) : converted?.keys;
    report = JSON.parse(core.inspectToken(input, lent ?? undefined, now));
  } catch (error) {
    report = emptyReport(input, error);
  }
  const header = report.headerJson === null || report.headerJson === undefined ? null : JSON.parse(report.headerJson);
  const payload = report.payloadJson === null || report.payloadJson === undefined ? null : JSON.parse(report.payloadJson);
  delete report.headerJson;
  delete report.payloadJson;
  for (const claim of report.claims) claim.value = payload?.[claim.name];
  if (keyProblem) report.signature = keyProblem;
  if (typeof token !== 'string') {
    report.error = report.error ?? { code: 'ERR_JWT_MALFORMED', message: 'the token must be a string', part: 'token', position: 0 };
  }
  return { ...report, header, payload };
}

function cloneKeys(keys) {
  return keys.cloned();
}

function emptyReport(input, error) {
  return {
    parts: [],
    headerJson: null,
    payloadJson: null,
    error: { code: 'ERR_JWT_MALFORMED', message: String(error?.message ?? error), part: 'token', position: 0 },
    errors: [],
    algorithm: null,
    signature: { status: 'not checked' },
    claims: [],
    warnings: [],
  };
}
