// The public JavaScript face of jwtkit. Arguments are checked and normalised here, the
// clock is read here, and everything else happens in the Rust core (./core.js + wasm).
// See API.md for the reference of every function, option and error code.
import * as core from './core.js';
import { JsonWebTokenError, TokenExpiredError, NotBeforeError, fromCore, jwtError, keyFunctionError } from './errors.mjs';
import { checkAlgorithmBeforeKeyLookup, keyFunctionTakesCallback } from './header.mjs';
import { checkPlainOptions } from './options.mjs';
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
  #kid;
  constructor(keys, guard, kid) {
    if (guard !== KEY_GUARD) throw jwtError('ERR_KEY_INVALID', 'use importKey() to make a JwtKey');
    this.#keys = keys;
    // The JWK's `kid`, written into the header when a `header` option replaces the default one.
    this.#kid = kid;
    Object.defineProperty(this, 'type', { value: keys.kind, enumerable: true });
  }
  /** @internal */
  static handle(key) {
    return key.#keys;
  }
  /** @internal */
  static kidOf(key) {
    return key.#kid;
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
  } else if (key instanceof Uint8Array || key instanceof ArrayBuffer) {
    const bytes = key instanceof ArrayBuffer ? new Uint8Array(key) : key;
    // A PEM file read into a Buffer (jsonwebtoken's `fs.readFileSync('key.pem')`) is that PEM
    // key; the core refuses PEM bytes as an HMAC secret either way.
    const pem = looksLikePemBytes(bytes) ? new TextDecoder().decode(bytes) : null;
    keys = call(() => (pem !== null && isPem(pem) ? core.keysFromPem(pem) : core.keysFromBytes(bytes)));
  } else if (key && typeof key === 'object' && key.type === 'secret' && typeof key.export === 'function') {
    // A Node.js KeyObject made by crypto.createSecretKey, as jsonwebtoken accepts.
    keys = call(() => core.keysFromBytes(key.export()));
  } else if (key && typeof key === 'object' && (key.type === 'public' || key.type === 'private') && typeof key.export === 'function') {
    // A Node.js public or private KeyObject: through its PEM (SPKI or PKCS#8).
    const pem = key.export({ type: key.type === 'public' ? 'spki' : 'pkcs8', format: 'pem' });
    keys = call(() => core.keysFromPem(String(pem)));
  } else if (key && typeof key === 'object' && Array.isArray(key.keys)) {
    const json = jsonOfKey(key);
    keys = call(() => core.keysFromJwks(json));
  } else if (key && typeof key === 'object' && typeof key.kty === 'string') {
    const json = jsonOfKey(key);
    keys = call(() => core.keysFromJwk(json));
  } else if (isPlainObject(key) && key.key !== undefined && key.kty === undefined) {
    // jsonwebtoken's `{ key, passphrase }`.
    if (key.passphrase !== undefined) {
      throw jwtError(
        'ERR_KEY_INVALID',
        'encrypted private keys are not supported: decrypt it with node:crypto createPrivateKey({ key, passphrase }) and pass the KeyObject',
      );
    }
    return coreKeys(key.key, base64);
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

/** A JWK or JWK Set as JSON text; a BigInt or a cycle in it is a key error, not a TypeError. */
function jsonOfKey(key) {
  try {
    return JSON.stringify(key);
  } catch (error) {
    throw jwtError('ERR_KEY_INVALID', `the JWK cannot be written as JSON: ${error.message}`);
  }
}

/** Text holding a PEM block is a PEM key (read after any explanatory text), never a secret. */
function isPem(text) {
  return text.includes('-----BEGIN ');
}

const PEM_MARK = [...'-----BEGIN '].map((c) => c.charCodeAt(0));

/** Whether `bytes` hold `-----BEGIN ` (found without decoding a random secret as text). */
function looksLikePemBytes(bytes) {
  const last = bytes.length - PEM_MARK.length;
  for (let i = bytes.indexOf(PEM_MARK[0]); i !== -1 && i <= last; i = bytes.indexOf(PEM_MARK[0], i + 1)) {
    if (PEM_MARK.every((b, j) => bytes[i + j] === b)) return true;
  }
  return false;
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
  return new JwtKey(keys, KEY_GUARD, kidOfKey(key));
}

/** The `kid` a key carries: a JWK's, or the one an imported JWK had. */
function kidOfKey(key) {
  if (key instanceof JwtKey) return JwtKey.kidOf(key);
  return key && typeof key === 'object' && typeof key.kid === 'string' ? key.kid : undefined;
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
  'complete', 'maxTokenLength', 'allowWeakKey', 'nonce',
]);

/** jsonwebtoken options jwtkit does not take, and what to do instead. */
const JSONWEBTOKEN_ONLY = {
  allowInsecureKeySizes: 'use allowWeakKey: true, which also allows RSA keys under 2048 bits',
  allowInvalidAsymmetricKeyTypes: 'jwtkit always checks that the key type fits the algorithm',
  mutatePayload: 'jwtkit never changes the payload object: read the claims back with decode(token)',
  encoding: 'tokens are always UTF-8',
};

function checkOptionNames(options, known, where) {
  if (options === undefined || options === null) return;
  checkPlainOptions(options, where);
  for (const name of Object.keys(options)) {
    if (!known.has(name) && options[name] !== undefined) {
      // Refused rather than ignored: a misspelt "audiance" would silently disable a check.
      const instead = Object.hasOwn(JSONWEBTOKEN_ONLY, name) ? ` (a jsonwebtoken option: ${JSONWEBTOKEN_ONLY[name]})` : '';
      throw option(`"${name}" is not a ${where} option${instead}`);
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
    // RegExp audiences are matched here, after the core has verified everything else. Copied
    // (each RegExp too), so that changing the caller's array or RegExp later cannot widen the
    // check of a prepared verifier.
    if (audience.some((a) => a instanceof RegExp)) audiencePatterns = audience.map((a) => (a instanceof RegExp ? new RegExp(a.source, a.flags) : a));
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
    // Finite too: JSON would carry Infinity to the core as null, that is no tolerance.
    if (typeof options.clockTolerance !== 'number' || !(Number.isFinite(options.clockTolerance) && options.clockTolerance >= 0)) {
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
  // OpenID Connect's ID-token nonce, compared here after the core has verified the rest (as
  // jsonwebtoken's `nonce` option).
  const nonce = options.nonce;
  if (nonce !== undefined && !(isString(nonce) && nonce !== '')) throw option('"nonce" must be a non-empty string');
  return {
    json: JSON.stringify(forCore),
    algorithms: forCore.algorithms,
    audiencePatterns,
    nonce,
    complete: booleanOption(options, 'complete'),
    currentTime: currentTimeOf(options),
    maxTokenLength,
  };
}

function checkAudiencePatterns(payload, patterns) {
  const auds = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  // As with string audiences (checked by the core), `aud` must be a string or strings only.
  const matches = auds.every((aud) => typeof aud === 'string') && auds.some(
    (aud) => patterns.some((p) => (p instanceof RegExp ? (p.lastIndex = 0, p.test(aud)) : p === aud)),
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

function checkNonce(payload, nonce) {
  if (payload.nonce !== nonce) {
    throw jwtError(
      payload.nonce === undefined ? 'ERR_JWT_CLAIM_MISSING' : 'ERR_JWT_CLAIM_INVALID',
      `jwt nonce invalid. expected: ${nonce}`,
      'nonce',
    );
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
  if (normalised.nonce !== undefined) checkNonce(normalised.complete ? result.payload : result, normalised.nonce);
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

/**
 * The decoded (not trusted) header a key function is called with, after the checks that need
 * no key: the shape, and `alg` (not none, allowed by the options).
 */
function headerForKeyLookup(token, normalised) {
  checkTokenArgument(token, normalised.maxTokenLength);
  const header = JSON.parse(call(() => core.decodeHeader(token)));
  checkAlgorithmBeforeKeyLookup(header, normalised.algorithms);
  return header;
}

function callbackKeyFunctionError() {
  return option(
    'a key function taking a callback, (header, done), needs the callback form verify(token, getKey, options, (err, claims) => ...) or verifyAsync; a synchronous key function takes only (header)',
  );
}

/** Verifies with a key function `(header) => key`: the header is decoded (not trusted) first. */
function verifyWithKeyFunction(getKey, token, normalised) {
  if (keyFunctionTakesCallback(getKey)) throw callbackKeyFunctionError();
  const header = headerForKeyLookup(token, normalised);
  let key;
  try {
    key = getKey(header);
  } catch (thrown) {
    throw keyFunctionError(thrown);
  }
  if (key && typeof key.then === 'function') {
    throw jwtError('ERR_KEY_INVALID', 'the key function must return a key synchronously (use verifyAsync for promises)');
  }
  if (typeof key === 'function') throw jwtError('ERR_KEY_INVALID', 'the key function must return a key, not a function');
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
  // Checked on every call, cache hit or not: the id sees only own enumerable members.
  checkPlainOptions(options, 'verify');
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
  if (typeof options === 'function') {
    callback = options;
    options = undefined;
  }
  // With a callback nothing is thrown, not even "not initialised" (jwtkit/web before init()).
  if (typeof callback === 'function') {
    if (typeof key === 'function' && keyFunctionTakesCallback(key)) return verifyWithCallbackKey(token, key, options, callback);
    return deferred(callback, () => {
      ready || ensureReady();
      return verifyNow(token, key, options);
    });
  }
  ready || ensureReady();
  return verifyNow(token, key, options);
}

/**
 * jsonwebtoken's asynchronous key function, `getKey(header, done)` (as jwks-rsa's examples
 * use it): called after the checks that need no key; `callback` gets the outcome once.
 */
function verifyWithCallbackKey(token, getKey, options, callback) {
  let header;
  try {
    ready || ensureReady();
    header = headerForKeyLookup(token, normaliseVerifyOptions(options));
  } catch (error) {
    return deferred(callback, () => {
      throw error;
    });
  }
  let answered = false;
  const done = (error, key) => {
    if (answered) return;
    answered = true;
    deferred(callback, () => {
      if (error) throw keyFunctionError(error);
      if (typeof key === 'function') throw jwtError('ERR_KEY_INVALID', 'the key function must give a key, not a function');
      return verifyNow(token, key, options);
    });
  };
  try {
    getKey(header, done);
  } catch (thrown) {
    done(thrown ?? new Error(String(thrown)));
  }
}

/** A reusable verifier: the key is prepared and the options checked once. */
export function createVerifier(key, options) {
  ready || ensureReady();
  const normalised = normaliseVerifyOptions(options);
  if (typeof key === 'function') {
    if (keyFunctionTakesCallback(key)) throw callbackKeyFunctionError();
    return Object.freeze({ verify: (token, extra) => verifyWithKeyFunction(key, token, noMoreArguments(normalised, extra, 'verify')) });
  }
  const verifier = newCoreVerifier(key, normalised);
  return Object.freeze({ verify: (token, extra) => runVerifier(verifier, token, noMoreArguments(normalised, extra, 'verify')) });
}

/**
 * A prepared verifier's or signer's options were fixed when it was made: an options argument
 * passed to each call would be silently ignored (a misspelt check is refused for the same
 * reason), so it is refused.
 */
function noMoreArguments(value, extra, method) {
  if (extra !== undefined) {
    throw option(`${method}() of a prepared ${method === 'sign' ? 'signer' : 'verifier'} takes only the ${method === 'sign' ? 'payload' : 'token'}: give options to ${method === 'sign' ? 'createSigner' : 'createVerifier'}`);
  }
  return value;
}

/**
 * The claims' JSON with the added members written after the payload's own, without copying
 * the payload: adding a member to a copy made V8 rebuild the object (about 1.8 us for a
 * seven-member payload, against 0.6 us for the whole JSON.stringify). `undefined` when the
 * result could differ from the copy's (a member to remove or already there as `undefined`);
 * copyWith does those. (A payload with `toJSON` is refused before.)
 */
function appendedJson(payload, o, added) {
  if (o.noTimestamp && Object.hasOwn(payload, 'iat')) return undefined;
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
  // header.alg may repeat the algorithm, never change it; without the algorithm option it is
  // compared with the key's default (newCoreSigner).
  if (options.header?.alg !== undefined && algorithm !== undefined && options.header.alg !== algorithm) {
    throw option('"header.alg" cannot differ from the algorithm option');
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
  // JSON.stringify would sign what toJSON returns instead, without the claims the options add
  // (`exp` from expiresIn among them): a token that never expires. jsonwebtoken signs it so.
  if (typeof payload.toJSON === 'function') {
    throw jwtError('ERR_INVALID_PAYLOAD', 'payload has a toJSON method: pass the claims themselves as a plain object');
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
  const keyId = kid ?? o.keyid ?? kidOfKey(key);
  if (keyId !== undefined) header.kid = keyId;
  for (const name of Object.keys(rest).sort()) header[name] = rest[name];
  if (header.typ === null) delete header.typ;
  try {
    return JSON.stringify(header);
  } catch (error) {
    throw option(`"header" cannot be written as JSON: ${error.message}`);
  }
}

function newCoreSigner(key, o) {
  const converted = coreKeys(key);
  try {
    const algorithm = o.algorithm ?? converted.keys.defaultAlgorithm ?? 'HS256';
    if (o.header?.alg !== undefined && o.header.alg !== algorithm) {
      throw option(`"header.alg" cannot differ from the algorithm (here the key's default, ${algorithm}): give the algorithm option`);
    }
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
    checkPlainOptions(options, 'sign');
    const id = `${JSON.stringify(options, exactJson) ?? ''}\u0000${key}`;
    const make = () => {
      const o = normaliseSignOptions(options);
      return { o, signer: newCoreSigner(key, o), freed: false, free() { this.freed = true; this.signer.free(); } };
    };
    let entry = cached(oneShotSigners, id, make);
    const json = claimsFor(payload, entry.o);
    // Serialising the payload runs its getters and nested toJSON methods, which may sign with
    // other secrets and push this entry out of the cache (freeing its signer): then anew.
    if (entry.freed) entry = cached(oneShotSigners, id, make);
    return signWith(entry.signer, json);
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
  if (typeof options === 'function') {
    callback = options;
    options = undefined;
  }
  // With a callback nothing is thrown, not even "not initialised" (jwtkit/web before init()).
  if (typeof callback === 'function') {
    return deferred(callback, () => {
      ready || ensureReady();
      return signNow(payload, key, options);
    });
  }
  ready || ensureReady();
  return signNow(payload, key, options);
}

/** A reusable signer: the key is prepared, the header encoded and the options checked once. */
export function createSigner(key, options) {
  ready || ensureReady();
  const o = normaliseSignOptions(options);
  const signer = newCoreSigner(key, o);
  return Object.freeze({ sign: (payload, extra) => signWith(signer, claimsFor(payload, noMoreArguments(o, extra, 'sign'))) });
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

/** The core refuses to inspect more than this many UTF-8 bytes (src/inspect.rs MAX_INSPECT). */
const MAX_INSPECT_BYTES = 1 << 20;

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
    // Longer input is cut before it is copied into wasm memory (which never shrinks): still
    // over the core's bound in bytes, so the report is the same "too large" one.
    const bounded = input.length > MAX_INSPECT_BYTES ? input.slice(0, MAX_INSPECT_BYTES + 1) : input;
    report = JSON.parse(core.inspectToken(bounded, lent ?? undefined, now));
  } catch (error) {
    report = emptyReport(input, error);
  }
  const header = report.headerJson === null || report.headerJson === undefined ? null : JSON.parse(report.headerJson);
  const payload = report.payloadJson === null || report.payloadJson === undefined ? null : JSON.parse(report.payloadJson);
  delete report.headerJson;
  delete report.payloadJson;
  for (const claim of report.claims) claim.value = payload?.[claim.name];
  // The core saw the input as UTF-8, where a lone surrogate became U+FFFD: the text of each
  // part is taken from the input itself, so `input.slice(start, end) === text` always.
  for (const part of report.parts) part.text = input.slice(part.start, part.end);
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
