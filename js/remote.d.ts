// Types of remote JWK Sets (js/remote.mjs): createRemoteJWKSet, verifyAsync, verifyRequestAsync.
import type { CompleteToken, JwkSet, JwtHeader, JwtPayload, KeyCallbackFunction, VerifyKey, VerifyOptions } from './index.js';
import type { AuthorizationSource, RequestVerification, RequestVerifyOptions } from './http.js';

/**
 * Codes of remote JWK Sets, in addition to `ERR_JWKS_NO_MATCH` (already an ErrorCode):
 * the fetch failed (network, DNS, refused connection, a throwing `fetch`), no complete answer
 * within `timeout`, or the answer is not HTTP 200 with a JSON JWK Set.
 */
export type RemoteErrorCode = 'ERR_JWKS_FETCH_FAILED' | 'ERR_JWKS_TIMEOUT' | 'ERR_JWKS_INVALID';

declare const remoteJWKSetBrand: unique symbol;
/** A key source made by createRemoteJWKSet: opaque, frozen, accepted by verifyAsync. */
export interface RemoteJWKSet {
  readonly [remoteJWKSetBrand]: true;
}

/** What a persistent cache stores for one URL. */
export interface JWKSetCacheEntry {
  /** The JWK Set as fetched (without `oct` keys). */
  jwks: JwkSet;
  /** When it was fetched, in milliseconds since the epoch (`Date.now()`). */
  fetchedAt: number;
}

/**
 * A persistent cache for short-lived isolates (Workers KV, the Workers Cache API, ...).
 * `get` is asked before a fetch (an entry older than cacheMaxAge is not used); `set` is
 * awaited after a successful fetch. Throwing, slow (over `timeout`) or malformed answers
 * count as a miss; a failed `set` is ignored.
 */
export interface JWKSetCache {
  get(url: string): Promise<JWKSetCacheEntry | undefined | null> | JWKSetCacheEntry | undefined | null;
  set(url: string, entry: JWKSetCacheEntry): Promise<void> | void;
}

export interface RemoteJWKSetOptions {
  /** Milliseconds a fetched set is used for. Default 600000 (10 minutes). */
  cacheMaxAge?: number;
  /** Milliseconds after a fetch during which a token with an unknown `kid` does not refetch. Default 30000. */
  cooldown?: number;
  /** Milliseconds for one fetch, body included (and for each cache call). Default 5000. */
  timeout?: number;
  /** Used instead of the platform's `fetch`. Called as `fetch(url, init)`. */
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
  /** A persistent cache, consulted before fetching and written after. */
  cache?: JWKSetCache;
}

/** A key source: the JWK Set at `url` (http: or https:), fetched when needed and cached. */
export function createRemoteJWKSet(url: string | URL, options?: RemoteJWKSetOptions): RemoteJWKSet;

/** Anything verifyAsync accepts as a key. The header given to a key function is not verified. */
export type AsyncVerifyKey =
  | VerifyKey
  | RemoteJWKSet
  | ((header: JwtHeader) => Exclude<VerifyKey, Function> | RemoteJWKSet | Promise<Exclude<VerifyKey, Function> | RemoteJWKSet>)
  | KeyCallbackFunction;

/** `verify` that also takes key sources and async key functions; resolves with the claims. */
export function verifyAsync<P = JwtPayload>(
  token: string,
  key: AsyncVerifyKey,
  options: VerifyOptions & { complete: true },
): Promise<CompleteToken<P>>;
export function verifyAsync<P = JwtPayload>(token: string, key: AsyncVerifyKey, options?: VerifyOptions): Promise<P>;

/** The answer of verifyRequestAsync when the key source cannot be fetched. */
export interface UnavailableRequest {
  ok: false;
  status: 503;
  headers: Record<string, never>;
  error: {
    code: RemoteErrorCode;
    /** A fixed sentence; safe to send. */
    message: string;
    /** The error verifyAsync threw, for server logs. Do not send it to clients. */
    cause?: unknown;
  };
}

/**
 * `verifyRequest` for key sources and async key functions: the same results, or a 503
 * when the keys cannot be fetched (`unauthorizedResponse` answers it as `server_error`).
 */
export function verifyRequestAsync<P = JwtPayload>(
  request: AuthorizationSource,
  key: AsyncVerifyKey,
  options?: RequestVerifyOptions,
): Promise<RequestVerification<P> | UnavailableRequest>;
