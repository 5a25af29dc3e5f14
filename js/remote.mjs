/**
 * Remote JWK Sets: keys published by an identity provider at a URL (its `jwks_uri`),
 * fetched with `fetch`, cached, and refetched when a token names a key the cache lacks.
 *
 * Re-exported by every entry of the package, so `import { createRemoteJWKSet } from 'jwtkit'`.
 *
 * - `createRemoteJWKSet(url, options)` returns a key source: an opaque frozen object that
 *   `verifyAsync` (and `verifyRequestAsync`) accept where `verify` takes a key. Options:
 *     cacheMaxAge  ms a fetched set is used for (default 600000, 10 minutes)
 *     cooldown     ms after a fetch during which an unknown `kid` does not refetch (default 30000)
 *     timeout      ms for one fetch, body included; also bounds each call of `cache` (default 5000)
 *     fetch        a fetch function to use instead of the platform's `fetch`
 *     cache        a persistent cache `{ get(url), set(url, { jwks, fetchedAt }) }` for
 *                  short-lived isolates (Workers KV, the Workers Cache API, a file...)
 *
 * - `verifyAsync(token, key, options)` resolves with what `verify(token, key, options)`
 *   returns. `key` is anything `verify` accepts, a key source, or a function
 *   `(header) => key | Promise<key>` (the header is decoded, not verified).
 *
 * - `verifyRequestAsync(request, key, options)` is `verifyRequest` (./http.mjs) for keys that
 *   need a promise: the same results, plus `503` when the key source cannot be fetched.
 *
 * Behaviour of a key source (each point is a decision, see API.md):
 * - A token is verified with a verifier made once per fetched set and verify options
 *   (`createVerifier`), reused until the set changes. The token header is decoded first
 *   (untrusted) for one thing only: its `kid`. `jku`, `x5u`, `jwk`, `x5c` are never used.
 * - The set is fetched when there is none, or when the one held is older than cacheMaxAge.
 *   With a `cache`, `cache.get(url)` is asked first, and an entry younger than cacheMaxAge
 *   (by its own `fetchedAt`) is used without a fetch; after a fetch, `cache.set(url, entry)`
 *   is awaited. A cache that throws, answers garbage or takes longer than `timeout` is a
 *   miss; a failed write is ignored.
 * - One fetch at a time: concurrent calls wait for the fetch in flight. Each waiter also
 *   waits on its own timer, so a fetch whose request was cancelled (Workers cancel the I/O
 *   of a finished request) cannot hang other requests: after its deadline it is abandoned.
 * - A token whose `kid` is not in the set (or that no key of the set fits) refetches the set
 *   once, unless the last fetch started less than `cooldown` ms ago (failed fetches count; a
 *   set loaded from the persistent cache counts as fetched at its `fetchedAt`) or the call
 *   has just fetched it; still no key: ERR_JWKS_NO_MATCH. At most one refetch per call.
 * - With no usable set (none yet, or past cacheMaxAge) every call fetches (one at a time):
 *   there is no negative caching of failures.
 * - Failures: the network or fetch itself failed: ERR_JWKS_FETCH_FAILED; no complete answer
 *   within `timeout`: ERR_JWKS_TIMEOUT; an answer that is not HTTP 200 with a JSON JWK Set
 *   (an object with a `keys` array of JWK objects, at most 100 keys, 1 MiB): ERR_JWKS_INVALID.
 *   Redirects are not followed (the configured URL is the one trusted).
 * - A failed refetch for an unknown `kid` leaves the set held in use for other tokens. Past
 *   cacheMaxAge the set is not used at all: if the refetch fails, verification fails (fail
 *   closed), so a key removed from the set stops verifying at most cacheMaxAge after removal.
 * - `oct` (HMAC secret) keys in a fetched set are ignored: a secret published at a URL is
 *   no secret. Keys of types this build does not support are ignored too.
 * - No error message contains the token, its `kid`, or key material.
 */
import { createVerifier, decode, importKey, verify } from './api.mjs';
import { jwtError, keyFunctionError } from './errors.mjs';
import { checkAlgorithmBeforeKeyLookup, keyFunctionTakesCallback } from './header.mjs';
import { checkPlainOptions } from './options.mjs';
import { acceptVerified } from './accept.mjs';
import { bearerToken, verifyRequest } from './http.mjs';

const DEFAULT_CACHE_MAX_AGE_MS = 600_000;
const DEFAULT_COOLDOWN_MS = 30_000;
const DEFAULT_TIMEOUT_MS = 5_000;
const MAX_TIMER_MS = 2_147_483_647; // setTimeout's limit
const MAX_JWKS_BYTES = 1 << 20;
const MAX_JWKS_KEYS = 100;
const VERIFIERS_PER_SET = 16;
const DEFAULT_MAX_TOKEN_LENGTH = 16384;
/** Extra time a waiter gives a fetch in flight beyond its own timeout before abandoning it. */
const WAIT_GRACE_MS = 250;
/** A persistent entry may claim a `fetchedAt` this far in the future (clocks of other isolates). */
const CLOCK_SKEW_MS = 60_000;

const SOURCE_OPTIONS = new Set(['cacheMaxAge', 'cooldown', 'timeout', 'fetch', 'cache']);
const UNAVAILABLE_CODES = new Set(['ERR_JWKS_FETCH_FAILED', 'ERR_JWKS_TIMEOUT', 'ERR_JWKS_INVALID']);

/** Brands key sources; the state lives in a WeakMap, so a copied symbol forges nothing. */
// A registered symbol, so the synchronous `verify` can recognise a key source and point to
// `verifyAsync` instead of calling it an invalid key.
const REMOTE_JWK_SET = Symbol.for('jwtkit.RemoteJWKSet');
const sources = new WeakMap();

const option = (message) => jwtError('ERR_INVALID_OPTION', message);

function withCause(error, cause) {
  if (cause !== undefined) error.cause = cause;
  return error;
}

// ---- createRemoteJWKSet -----------------------------------------------------------------

function checkUrl(url) {
  if (typeof url !== 'string' && !(url instanceof URL)) throw option('createRemoteJWKSet needs the URL as a string or a URL');
  let parsed;
  try {
    parsed = new URL(typeof url === 'string' ? url : url.href);
  } catch {
    throw option('createRemoteJWKSet needs an absolute http: or https: URL');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw option('createRemoteJWKSet needs an absolute http: or https: URL');
  }
  return parsed;
}

function duration(options, name, fallback, { min, max }) {
  const value = options[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw option(`"${name}" must be a number of milliseconds from ${min} to ${max}`);
  }
  return value;
}

function checkSourceOptions(options) {
  if (options === undefined || options === null) options = {};
  if (typeof options !== 'object') throw option('createRemoteJWKSet options must be an object');
  for (const name of Object.keys(options)) {
    if (!SOURCE_OPTIONS.has(name) && options[name] !== undefined) throw option(`"${name}" is not a createRemoteJWKSet option`);
  }
  const o = {
    cacheMaxAge: duration(options, 'cacheMaxAge', DEFAULT_CACHE_MAX_AGE_MS, { min: 0, max: Number.MAX_SAFE_INTEGER }),
    cooldown: duration(options, 'cooldown', DEFAULT_COOLDOWN_MS, { min: 0, max: Number.MAX_SAFE_INTEGER }),
    timeout: duration(options, 'timeout', DEFAULT_TIMEOUT_MS, { min: 1, max: MAX_TIMER_MS }),
    fetch: options.fetch,
    cache: options.cache,
  };
  if (o.fetch !== undefined && typeof o.fetch !== 'function') throw option('"fetch" must be a function (url, init) => Promise<Response>');
  if (o.fetch === undefined && typeof globalThis.fetch !== 'function') {
    throw option('this runtime has no global fetch: pass options.fetch');
  }
  if (o.cache !== undefined && (o.cache === null || typeof o.cache.get !== 'function' || typeof o.cache.set !== 'function')) {
    throw option('"cache" must be an object with get(url) and set(url, entry) methods');
  }
  return o;
}

/**
 * A key source for verifyAsync: the JWK Set at `url`, fetched when needed and cached.
 * @param {string | URL} url
 * @param {{ cacheMaxAge?: number, cooldown?: number, timeout?: number, fetch?: Function, cache?: object }} [options]
 */
export function createRemoteJWKSet(url, options) {
  const parsed = checkUrl(url);
  const remote = new RemoteJwkSet(parsed, checkSourceOptions(options));
  const label = `[RemoteJWKSet ${remote.where}]`;
  const source = Object.freeze({
    [REMOTE_JWK_SET]: true,
    toString: () => label,
    toJSON: () => ({ type: 'RemoteJWKSet' }),
    [Symbol.for('nodejs.util.inspect.custom')]: () => label,
  });
  sources.set(source, remote);
  return source;
}

/** The state behind a key source, or undefined for anything else. */
function remoteOf(key) {
  return key !== null && typeof key === 'object' && key[REMOTE_JWK_SET] === true ? sources.get(key) : undefined;
}

// ---- fetching ---------------------------------------------------------------------------

function invalid(where, what) {
  return jwtError('ERR_JWKS_INVALID', `the JWK Set at ${where} ${what}`);
}

function isObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** `{ keys }` of a JWK Set without its `oct` keys, or ERR_JWKS_INVALID. */
function checkJwkSet(json, where) {
  if (!isObject(json) || !Array.isArray(json.keys)) {
    throw invalid(where, 'is not a JWK Set (a JSON object with a "keys" array)');
  }
  if (json.keys.length > MAX_JWKS_KEYS) throw invalid(where, `has more than ${MAX_JWKS_KEYS} keys`);
  const keys = [];
  for (const key of json.keys) {
    if (!isObject(key) || typeof key.kty !== 'string') throw invalid(where, 'has a key that is not a JWK (an object with a string "kty")');
    if (key.kty !== 'oct') keys.push(key);
  }
  return { keys };
}

function discard(response) {
  try {
    const cancelled = response.body?.cancel?.();
    if (cancelled && typeof cancelled.catch === 'function') cancelled.catch(() => {});
  } catch {
    // Nothing to release.
  }
}

/** The body as text, refused (ERR_JWKS_INVALID) once it passes `max` bytes. */
async function readLimited(response, where, max) {
  const declared = Number(response.headers?.get?.('content-length'));
  if (declared > max) {
    discard(response);
    throw invalid(where, `is larger than ${max} bytes`);
  }
  const body = response.body;
  if (body && typeof body.getReader === 'function') {
    const reader = body.getReader();
    const chunks = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > max) {
        reader.cancel().catch(() => {});
        throw invalid(where, `is larger than ${max} bytes`);
      }
      chunks.push(value);
    }
    const bytes = new Uint8Array(size);
    let at = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, at);
      at += chunk.byteLength;
    }
    return new TextDecoder().decode(bytes);
  }
  const text = await response.text();
  if (text.length > max) throw invalid(where, `is larger than ${max} bytes`);
  return text;
}

async function download(url, where, signal, customFetch) {
  const init = { method: 'GET', headers: { accept: 'application/jwk-set+json, application/json' }, redirect: 'manual' };
  if (signal !== undefined) init.signal = signal;
  let response;
  try {
    response = customFetch === undefined ? await globalThis.fetch(url, init) : await customFetch(url, init);
  } catch (cause) {
    throw withCause(jwtError('ERR_JWKS_FETCH_FAILED', `the JWK Set at ${where} could not be fetched`), cause);
  }
  if (response === null || typeof response !== 'object' || typeof response.status !== 'number') {
    throw jwtError('ERR_JWKS_FETCH_FAILED', `fetch of the JWK Set at ${where} did not give a Response`);
  }
  if (response.status !== 200) {
    discard(response);
    throw invalid(where, `answered HTTP ${response.status}, not 200`);
  }
  let text;
  try {
    text = await readLimited(response, where, MAX_JWKS_BYTES);
  } catch (cause) {
    if (cause?.code === 'ERR_JWKS_INVALID') throw cause;
    throw withCause(jwtError('ERR_JWKS_FETCH_FAILED', `the JWK Set at ${where} could not be read`), cause);
  }
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    throw invalid(where, 'is not JSON');
  }
  return checkJwkSet(json, where);
}

/** Runs `work(signal)`; rejects with `onTimeout()` after `ms` (and aborts the signal). */
function withDeadline(ms, work, onTimeout) {
  const controller = typeof AbortController === 'function' ? new AbortController() : undefined;
  let timer;
  const expired = new Promise((_, reject) => {
    timer = setTimeout(() => {
      try {
        controller?.abort();
      } catch {
        // Aborting is best effort; the race below is what bounds the wait.
      }
      reject(onTimeout());
    }, ms);
  });
  let running;
  try {
    running = Promise.resolve(work(controller?.signal));
  } catch (error) {
    running = Promise.reject(error);
  }
  return Promise.race([running, expired]).finally(() => clearTimeout(timer));
}

/** A call of the persistent cache: its result, or undefined if it throws or is slow. */
async function cacheCall(ms, call) {
  try {
    return await withDeadline(ms, call, () => new Error('cache timeout'));
  } catch {
    return undefined;
  }
}

// ---- the key source ---------------------------------------------------------------------

const MISS = Symbol('miss');

function optionsId(options) {
  if (options === undefined || options === null) return '';
  checkPlainOptions(options, 'verify');
  try {
    return JSON.stringify(options, function tag(name, value) {
      const raw = this[name];
      if (raw instanceof Date) return { date: raw.getTime() };
      if (raw instanceof RegExp) return { regexp: raw.source, flags: raw.flags };
      return value;
    });
  } catch {
    return null; // not cacheable (verify reports what is wrong with it)
  }
}

function noMatch(cause) {
  return withCause(jwtError('ERR_JWKS_NO_MATCH', 'no key in the remote JWK Set matches the token'), cause);
}

class RemoteJwkSet {
  constructor(url, o) {
    this.url = url.href;
    this.where = `${url.origin}${url.pathname}`;
    this.o = o;
    /** { jwks, kids, fetchedAt, origin: 'network' | 'cache', key (importKey, made on first use), verifiers } */
    this.current = null;
    /** When the set held was fetched, or the last fetch started (failed ones too): for the cooldown. */
    this.lastFetchAt = -Infinity;
    /** { promise, deadline }: the load in flight. */
    this.inflight = null;
    this.loads = 0;
    this.installed = 0;
  }

  isFresh(state) {
    return state !== null && Date.now() - state.fetchedAt < this.o.cacheMaxAge;
  }

  /** Starts a load, or joins the one in flight. Resolves with a state or rejects with a coded error. */
  load(askCache) {
    const now = Date.now();
    const pending = this.inflight;
    if (pending !== null && now <= pending.deadline) return this.join(pending);
    const sequence = ++this.loads;
    const calls = (askCache && this.o.cache ? 1 : 0) + 1 + (this.o.cache ? 1 : 0);
    const flight = { deadline: now + calls * this.o.timeout + WAIT_GRACE_MS, promise: null };
    flight.promise = this.run(askCache, sequence).finally(() => {
      if (this.inflight === flight) this.inflight = null;
    });
    this.inflight = flight;
    return this.join(flight);
  }

  /** Waits for a load, bounded by the caller's own timer (which lives in the caller's request). */
  join(flight) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        if (this.inflight === flight) this.inflight = null; // abandoned: the next call starts anew
        reject(jwtError('ERR_JWKS_TIMEOUT', `the JWK Set at ${this.where} did not arrive within ${this.o.timeout} ms`));
      }, Math.max(0, flight.deadline - Date.now()));
      flight.promise.then(
        (state) => {
          clearTimeout(timer);
          resolve(state);
        },
        (error) => {
          clearTimeout(timer);
          reject(error);
        },
      );
    });
  }

  async run(askCache, sequence) {
    const { cache, timeout } = this.o;
    if (askCache && cache) {
      const entry = await cacheCall(timeout, () => cache.get(this.url));
      const state = this.fromCacheEntry(entry, sequence);
      if (state !== null) return state;
    }
    this.lastFetchAt = Date.now();
    const jwks = await withDeadline(
      timeout,
      (signal) => download(this.url, this.where, signal, this.o.fetch),
      () => jwtError('ERR_JWKS_TIMEOUT', `the JWK Set at ${this.where} did not arrive within ${timeout} ms`),
    );
    const fetchedAt = Date.now();
    const state = this.install(jwks, fetchedAt, 'network', sequence);
    if (cache) await cacheCall(timeout, () => cache.set(this.url, { jwks, fetchedAt }));
    return state;
  }

  fromCacheEntry(entry, sequence) {
    if (!isObject(entry) || typeof entry.fetchedAt !== 'number' || !Number.isFinite(entry.fetchedAt)) return null;
    const now = Date.now();
    const age = now - entry.fetchedAt;
    if (age >= this.o.cacheMaxAge || age < -CLOCK_SKEW_MS) return null;
    let jwks;
    try {
      jwks = checkJwkSet(entry.jwks, this.where);
    } catch {
      return null;
    }
    const fetchedAt = Math.min(entry.fetchedAt, now);
    this.lastFetchAt = Math.max(this.lastFetchAt, fetchedAt);
    return this.install(jwks, fetchedAt, 'cache', sequence);
  }

  install(jwks, fetchedAt, origin, sequence) {
    // A load abandoned by its waiters may finish after a newer one: keep the newer set.
    if (sequence < this.installed && this.current !== null) return this.current;
    const kids = new Set();
    for (const key of jwks.keys) if (typeof key.kid === 'string') kids.add(key.kid);
    this.current = { jwks, kids, fetchedAt, origin, key: undefined, verifiers: new Map() };
    this.installed = sequence;
    return this.current;
  }

  /**
   * The verifier of a state for these options (made once, least recently used out). Throws
   * ERR_KEY_INVALID when the set has no usable key (empty, or only unsupported key types).
   */
  verifierFor(state, options) {
    state.key ??= importKey(state.jwks);
    const id = optionsId(options);
    if (id === null) return createVerifier(state.key, options);
    const cache = state.verifiers;
    let verifier = cache.get(id);
    if (verifier !== undefined) {
      cache.delete(id);
    } else {
      verifier = createVerifier(state.key, options);
      if (cache.size >= VERIFIERS_PER_SET) cache.delete(cache.keys().next().value);
    }
    cache.set(id, verifier);
    return verifier;
  }

  /** The verified result, MISS when no key of the set fits, or a thrown verify error. */
  attempt(state, token, kid, options) {
    if (kid !== undefined && !state.kids.has(kid)) return { result: MISS };
    let verifier;
    try {
      verifier = this.verifierFor(state, options);
    } catch (error) {
      if (error?.code === 'ERR_KEY_INVALID') return { result: MISS, cause: error };
      throw error;
    }
    try {
      return { result: verifier.verify(token) };
    } catch (error) {
      if (error?.code === 'ERR_JWKS_NO_MATCH') return { result: MISS, cause: error };
      throw error;
    }
  }

  async verifyToken(token, options) {
    const header = untrustedHeader(token, options);
    const kid = typeof header.kid === 'string' ? header.kid : undefined;
    // The set held if fresh, else the persistent cache's, else a fetched one.
    const held = this.isFresh(this.current);
    let state = held ? this.current : await this.load(true);
    let outcome = this.attempt(state, token, kid, options);
    if (outcome.result !== MISS) return outcome.result;

    // Another call may have installed a newer set meanwhile.
    if (this.current !== state && this.isFresh(this.current)) {
      state = this.current;
      outcome = this.attempt(state, token, kid, options);
      if (outcome.result !== MISS) return outcome.result;
    }
    const justFetched = !held && state.origin === 'network'; // this call waited for that fetch
    if (!justFetched && Date.now() - this.lastFetchAt >= this.o.cooldown) {
      state = await this.load(false);
      outcome = this.attempt(state, token, kid, options);
      if (outcome.result !== MISS) return outcome.result;
    }
    throw noMatch(outcome.cause);
  }
}

/** The token's header, decoded WITHOUT verification, after the length and shape checks. */
function untrustedHeader(token, options) {
  if (typeof token !== 'string') throw jwtError('ERR_JWT_MALFORMED', 'jwt must be a string');
  if (token.length === 0) throw jwtError('ERR_JWT_MALFORMED', 'jwt must be provided');
  const limit = options?.maxTokenLength;
  const maxTokenLength = Number.isSafeInteger(limit) && limit > 0 ? limit : DEFAULT_MAX_TOKEN_LENGTH;
  if (token.length > maxTokenLength) {
    throw jwtError('ERR_JWT_TOO_LARGE', `jwt is longer than maxTokenLength (${maxTokenLength} characters)`);
  }
  const header = decode(token, { complete: true })?.header;
  if (!isObject(header)) throw jwtError('ERR_JWT_MALFORMED', 'jwt malformed');
  const algorithms = options?.algorithms;
  checkAlgorithmBeforeKeyLookup(header, typeof algorithms === 'string' ? [algorithms] : Array.isArray(algorithms) ? algorithms : undefined);
  return header;
}

/** Calls a key function, `(header) => key | Promise<key>` or jsonwebtoken's `(header, done)`. */
async function keyFromFunction(getKey, header) {
  try {
    if (keyFunctionTakesCallback(getKey)) {
      return await new Promise((resolve, reject) => {
        getKey(header, (error, key) => (error ? reject(error) : resolve(key)));
      });
    }
    return await getKey(header);
  } catch (thrown) {
    throw keyFunctionError(thrown);
  }
}

// ---- verifyAsync ------------------------------------------------------------------------

/**
 * Verifies a token and resolves with its claims (or `{ header, payload, signature }` with
 * `complete`). `key`: anything `verify` accepts, a key source from createRemoteJWKSet, or a
 * function `(header) => key | Promise<key>` called with the decoded (unverified) header.
 */
export async function verifyAsync(token, key, options) {
  if (typeof options === 'function') throw option('verifyAsync returns a promise and takes no callback');
  let remote = remoteOf(key);
  if (remote !== undefined) return remote.verifyToken(token, options);
  if (typeof key === 'function') {
    const resolved = await keyFromFunction(key, untrustedHeader(token, options));
    if (typeof resolved === 'function') throw jwtError('ERR_KEY_INVALID', 'the key function must resolve to a key, not a function');
    remote = remoteOf(resolved);
    if (remote !== undefined) return remote.verifyToken(token, options);
    return verify(token, resolved, options);
  }
  return verify(token, key, options);
}

// ---- requests ---------------------------------------------------------------------------

/**
 * `verifyRequest` (./http.mjs) for keys that need a promise (key sources, async key
 * functions). Resolves with the same results; when the key source cannot be fetched
 * (ERR_JWKS_FETCH_FAILED, ERR_JWKS_TIMEOUT, ERR_JWKS_INVALID) with
 * `{ ok: false, status: 503, headers: {}, error: { code, message, cause } }`, which
 * `unauthorizedResponse` answers as `503 {"error":"server_error",...}`.
 */
export async function verifyRequestAsync(request, key, options) {
  if (remoteOf(key) === undefined && typeof key !== 'function') return verifyRequest(request, key, options);
  const parsed = bearerToken(request);
  // No token, or a malformed header: answered without touching the key.
  if (parsed.kind !== 'token') return verifyRequest(request, key, options);
  if (options !== undefined && options !== null && typeof options !== 'object') return verifyRequest(request, key, options); // throws
  const { realm: _r, scope: _s, isRevoked, requestProperty: _p, onFailure: _f, ...verifyOptions } = options ?? {};
  if (isRevoked !== undefined && typeof isRevoked !== 'function') return verifyRequest(request, key, options); // throws
  // Failures go through verifyRequest with a key function that throws the error: its answer
  // (status, challenge, fixed description) is then exactly the synchronous helpers' answer.
  const answer = (error) => verifyRequest(request, () => { throw error; }, options);
  let verified;
  try {
    verified = await verifyAsync(parsed.token, key, { ...verifyOptions, complete: true });
  } catch (error) {
    if (UNAVAILABLE_CODES.has(error?.code)) {
      return {
        ok: false,
        status: 503,
        headers: {},
        error: { code: error.code, message: 'The keys to verify the token cannot be fetched', cause: error },
      };
    }
    return answer(error);
  }
  return acceptVerified(verified, isRevoked, answer);
}
