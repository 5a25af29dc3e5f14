// Types of the request helpers (js/http.mjs): bearer tokens over HTTP, RFC 6750.
import type { ErrorCode, JwtHeader, JwtPayload, VerifyKey, VerifyOptions } from './index.js';

// Structural types for node:http, so these types need no @types/node (Workers projects).
/** A Node `IncomingMessage` (or an Express request). */
export interface NodeRequestLike {
  headers: Record<string, string | string[] | undefined>;
  rawHeaders?: string[];
  [member: string]: unknown;
}
/** A Node `ServerResponse` (or an Express response). */
export interface NodeResponseLike {
  readonly headersSent: boolean;
  writeHead(status: number, headers?: Record<string, string>): unknown;
  end(body?: string): unknown;
}

/** Anything the helpers can read an `Authorization` header from. */
export type AuthorizationSource =
  | Request
  | Headers
  | NodeRequestLike
  | { headers: Headers | Record<string, string | string[] | undefined> }
  | Record<string, string | string[] | undefined>
  | string
  | null
  | undefined;

/** What `bearerToken` found. */
export type BearerToken =
  | { kind: 'token'; token: string }
  /** No Authorization header, an empty one, or one with another scheme (Basic, ...). */
  | { kind: 'missing' }
  /** `Bearer` without a token, a token with characters outside b64token, a tab, two headers... */
  | { kind: 'malformed'; message: string };

/**
 * Reads `Authorization: Bearer <token>` (RFC 6750 2.1: scheme case-insensitive, `1*SP`,
 * b64token). More than one Authorization header is malformed.
 */
export function bearerToken(source: AuthorizationSource): BearerToken;

/** Codes of the helpers in addition to the verify codes. */
export type RequestErrorCode =
  | ErrorCode
  | 'ERR_BEARER_MISSING'
  | 'ERR_BEARER_MALFORMED'
  | 'ERR_JWT_REVOKED'
  | 'ERR_JWKS_INVALID'
  | 'ERR_INTERNAL';

export interface RequestVerifyOptions extends Omit<VerifyOptions, 'complete'> {
  /** Added to every challenge: `Bearer realm="..."`. */
  realm?: string;
  /** Added to every challenge: `scope="..."` (an array is joined with spaces). */
  scope?: string | string[];
  /** Runs after verification; `true` refuses the token (401 invalid_token, ERR_JWT_REVOKED). */
  isRevoked?: (claims: JwtPayload, header: JwtHeader) => boolean;
}

export interface VerifiedRequest<P = JwtPayload> {
  ok: true;
  claims: P;
  header: JwtHeader;
}

export interface RejectedRequest {
  ok: false;
  /**
   * 401: no token (challenge without error code) or a token that fails verification
   * (`error="invalid_token"`); 400: malformed Authorization header (`error="invalid_request"`);
   * 500: the server is misconfigured (bad key or options; no challenge).
   */
  /** 503: a remote JWK Set could not be fetched (verifyRequestAsync). */
  status: 400 | 401 | 500 | 503;
  headers: { 'WWW-Authenticate'?: string };
  error: {
    code: RequestErrorCode;
    /** A fixed sentence chosen by the code; also the error_description. Safe to send. */
    message: string;
    /** The error verify threw, for server logs. Do not send it to clients. */
    cause?: unknown;
  };
}

export type RequestVerification<P = JwtPayload> = VerifiedRequest<P> | RejectedRequest;

/** Prepares `key` and `options` once; the returned function is the per-request fast path. */
export function createRequestVerifier<P = JwtPayload>(
  key: VerifyKey,
  options?: RequestVerifyOptions,
): (request: AuthorizationSource) => RequestVerification<P>;

/** One-shot form of `createRequestVerifier(key, options)(request)`. */
export function verifyRequest<P = JwtPayload>(
  request: AuthorizationSource,
  key: VerifyKey,
  options?: RequestVerifyOptions,
): RequestVerification<P>;

/**
 * A fetch `Response` for a rejected request: its status and challenge, `Cache-Control: no-store`,
 * and a JSON body `{ error, error_description }`.
 */
export function unauthorizedResponse(result: RejectedRequest): Response;

/** Writes the same answer to a Node `ServerResponse`. */
export function sendUnauthorized(res: NodeResponseLike, result: RejectedRequest): void;

export interface BearerAuthOptions extends RequestVerifyOptions {
  /** Where the verified `{ claims, header }` go on the request. Default `'auth'`. */
  requestProperty?: string;
  /** Replaces the default answer (sendUnauthorized). `next` is not called by bearerAuth. */
  onFailure?: (result: RejectedRequest, req: NodeRequestLike, res: NodeResponseLike, next?: (err?: unknown) => void) => void;
}

/**
 * `(req, res, next)` middleware for node:http and Express-style servers. On success sets
 * `req[requestProperty] = { claims, header }` and calls `next()`; otherwise answers.
 */
export function bearerAuth(
  key: VerifyKey,
  options?: BearerAuthOptions,
): (req: NodeRequestLike, res: NodeResponseLike, next?: (err?: unknown) => void) => void;
