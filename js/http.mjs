/**
 * Bearer tokens over HTTP (RFC 6750), for fetch-style runtimes (Cloudflare Workers and
 * workerd, Deno, Bun, Node >= 20) and for `node:http` / Express-style servers.
 *
 * Re-exported by every entry of the package, so `import { verifyRequest } from 'jwtkit'`.
 *
 * - `bearerToken(source)` reads `Authorization: Bearer <token>` from a fetch `Request`,
 *   a `Headers` object, a Node `IncomingMessage`, a plain headers object or the header
 *   value itself, and says which of three things it found:
 *   `{ kind: 'token', token }`, `{ kind: 'missing' }` (no Authorization header, or one
 *   with another scheme such as Basic), or `{ kind: 'malformed', message }`.
 *   Rules (RFC 6750 2.1, RFC 9110 11.4): the scheme is matched case-insensitively, it is
 *   followed by one or more spaces (`1*SP`; a tab is malformed), the token is a
 *   `b64token` (`A-Z a-z 0-9 - . _ ~ + /`, then `=` padding only at the end); surrounding
 *   whitespace of the field value is ignored; `Bearer` with no token, and more than one
 *   Authorization header (Node `rawHeaders`, or values a fetch `Headers` joined with
 *   ", "), are malformed.
 *
 * - `createRequestVerifier(key, options)` prepares the key and options once (it calls
 *   `createVerifier`) and returns `check(request)`, the fast path for every request.
 *   `verifyRequest(request, key, options)` is the one-shot form of the same thing.
 *   `key` is anything `verify` accepts, including a JWK Set `{ keys: [...] }` (key
 *   rotation: the key is chosen by the token's `kid`). `options` are `verify` options
 *   (`algorithms`, `audience`, `issuer`, `clockTolerance`, ...; `complete` is implied)
 *   plus `realm` and `scope`, which are added to every `WWW-Authenticate` challenge, and
 *   `isRevoked(claims, header) => boolean`, a synchronous check run after verification
 *   (e.g. a `jti` deny list; `true` answers 401 invalid_token, code ERR_JWT_REVOKED).
 *   The result is plain data:
 *     `{ ok: true, claims, header }`, or
 *     `{ ok: false, status, headers: { 'WWW-Authenticate': ... }, error: { code, message, cause? } }`
 *   as RFC 6750 3 asks:
 *     no token              401  `Bearer realm="..."` (no error code)   code ERR_BEARER_MISSING
 *     malformed header      400  `error="invalid_request"`              code ERR_BEARER_MALFORMED
 *     token fails to verify 401  `error="invalid_token"`                code of the verify error
 *     server misconfigured  500  no challenge                           ERR_INVALID_OPTION, ERR_JWKS_INVALID,
 *                                                                       ERR_NOT_INITIALIZED, ERR_INTERNAL
 *                                                                       (an error without code, a
 *                                                                       throwing isRevoked or key function)
 *   `error.message` (also the `error_description`) is a fixed sentence chosen by the
 *   error code: it never contains the token, the key, or the expected claim values.
 *   `error.cause` is the error `verify` threw (for logs on the server; do not send it).
 *
 * - `unauthorizedResponse(result)` turns a failed result into a fetch `Response`
 *   (status, `WWW-Authenticate`, `Cache-Control: no-store`, JSON body
 *   `{ error, error_description }`).
 *
 * - `sendUnauthorized(res, result)` does the same for a Node `ServerResponse`.
 *
 * - `bearerAuth(key, options)` is a `(req, res, next)` middleware for `node:http` and
 *   Express-style servers: on success it sets `req.auth = { claims, header }` (the name is
 *   `options.requestProperty`) and calls `next()`; on failure it answers the request
 *   (or calls `options.onFailure(result, req, res, next)` if given) and does not call `next`.
 *
 * @example
 * // Cloudflare Worker
 * import { createRequestVerifier, unauthorizedResponse } from 'jwtkit';
 * let check;
 * export default {
 *   fetch(request, env) {
 *     check ??= createRequestVerifier(JSON.parse(env.JWKS), { audience: 'api', realm: 'api' });
 *     const result = check(request);
 *     if (!result.ok) return unauthorizedResponse(result);
 *     return Response.json(result.claims);
 *   },
 * };
 */
import { acceptVerified } from './accept.mjs';
import { createVerifier, verify } from './api.mjs';
import { checkPlainOptions } from './options.mjs';

// RFC 6750 2.1: credentials = "Bearer" 1*SP b64token; field values may carry OWS around them.
const CREDENTIALS = /^[ \t]*bearer +([A-Za-z0-9\-._~+/]+=*)[ \t]*$/i;
const BEARER_SCHEME = /^[ \t]*bearer(?:[ \t,]|$)/i;

const MISSING = Object.freeze({ kind: 'missing' });
const malformed = (message) => Object.freeze({ kind: 'malformed', message });
const MALFORMED_EMPTY = malformed('The Bearer credentials are empty');
const MALFORMED_SYNTAX = malformed('The Authorization header is not Bearer, a space and a b64token');
const MALFORMED_DUPLICATE = malformed('The request has more than one Authorization header');
const MALFORMED_TYPE = malformed('The Authorization header is not text');
const DUPLICATE = Symbol('duplicate');

/** Parses one Authorization field value (or null / undefined for none). */
function parseAuthorization(value) {
  if (value == null) return MISSING;
  if (typeof value !== 'string') {
    if (Array.isArray(value)) {
      if (value.length > 1) return MALFORMED_DUPLICATE;
      return parseAuthorization(value[0]);
    }
    return MALFORMED_TYPE;
  }
  const match = CREDENTIALS.exec(value);
  if (match !== null) return { kind: 'token', token: match[1] };
  if (!BEARER_SCHEME.test(value)) return MISSING; // empty, or another scheme (Basic, ...)
  return /^[ \t]*bearer[ \t]*$/i.test(value) ? MALFORMED_EMPTY : MALFORMED_SYNTAX;
}

function countAuthorization(rawHeaders) {
  let n = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i];
    if (name.length === 13 && name.toLowerCase() === 'authorization') n++;
  }
  return n;
}

/** The Authorization value of a Request, Headers, IncomingMessage, headers object or string. */
function authorizationOf(source) {
  if (source == null || typeof source === 'string') return source;
  const headers = source.headers;
  if (headers != null && typeof headers === 'object') {
    if (typeof headers.get === 'function') return headers.get('authorization'); // Request
    const value = headers.authorization; // IncomingMessage: Node keeps only the first of duplicates
    if (value === undefined) return null;
    const raw = source.rawHeaders;
    if (Array.isArray(raw) && countAuthorization(raw) > 1) return DUPLICATE;
    return value;
  }
  if (typeof source.get === 'function') return source.get('authorization'); // Headers (or a Map)
  if (typeof source === 'object') return source.authorization ?? source.Authorization ?? null;
  return MALFORMED_TYPE;
}

/**
 * Finds the bearer token of a request.
 * @param {Request | Headers | import('node:http').IncomingMessage | Record<string, string | string[] | undefined> | string | null | undefined} source
 * @returns {{ kind: 'token', token: string } | { kind: 'missing' } | { kind: 'malformed', message: string }}
 */
export function bearerToken(source) {
  const value = authorizationOf(source);
  if (value === DUPLICATE) return MALFORMED_DUPLICATE;
  if (value === MALFORMED_TYPE) return MALFORMED_TYPE;
  return parseAuthorization(value);
}

// ---- challenges ------------------------------------------------------------------------

// RFC 9110 quoted-string for realm and scope: escape `"` and `\`, refuse control characters.
function quoted(name, value) {
  const text = String(value);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000a-\u001f\u007f]/.test(text)) {
    const err = new TypeError(`options.${name} must not contain control characters`);
    err.code = 'ERR_INVALID_OPTION';
    throw err;
  }
  return `${name}="${text.replace(/[\\"]/g, '\\$&')}"`;
}

// RFC 6750 3: error_description is %x20-21 / %x23-5B / %x5D-7E (no `"`, no `\`).
const descriptionSafe = (text) => text.replace(/[^\x20\x21\x23-\x5b\x5d-\x7e]/g, '?');

const DESCRIPTIONS = {
  ERR_JWT_EXPIRED: 'The token has expired',
  ERR_JWT_NOT_ACTIVE: 'The token is not yet valid',
  ERR_JWS_INVALID_SIGNATURE: 'The token signature is invalid',
  ERR_JWS_ALG_NOT_ALLOWED: 'The token algorithm is not allowed',
  ERR_JWT_MALFORMED: 'The token is malformed',
  ERR_JWT_TOO_LARGE: 'The token is too large',
  ERR_JWS_CRIT_UNSUPPORTED: 'The token has an unsupported critical header parameter',
  ERR_JWKS_NO_MATCH: 'No key matches the token',
  ERR_KEY_INVALID: 'The token cannot be verified with the configured key',
  ERR_KEY_TOO_WEAK: 'The token cannot be verified with the configured key',
  ERR_JWT_REVOKED: 'The token has been revoked',
};
const CLAIM_NAME = /^[A-Za-z0-9_.:-]{1,64}$/;

function describe(code, claim) {
  if (code === 'ERR_JWT_CLAIM_INVALID' || code === 'ERR_JWT_CLAIM_MISSING') {
    const what = typeof claim === 'string' && CLAIM_NAME.test(claim) ? `The '${claim}' claim` : 'A claim';
    return `${what} ${code === 'ERR_JWT_CLAIM_MISSING' ? 'is missing' : 'is invalid'}`;
  }
  return DESCRIPTIONS[code] ?? 'The token is invalid';
}

// Errors that say the server, not the token, is at fault.
// (ERR_KEY_TOO_WEAK is not one: a 40-byte secret is strong enough for HS256 but too weak for
// an HS512 token, so a client could turn it into a 500 at will.)
const SERVER_ERRORS = new Set(['ERR_INVALID_OPTION', 'ERR_JWKS_INVALID', 'ERR_NOT_INITIALIZED']);

/** Precomputes the challenges for one realm/scope; returns the failure builders. */
function challenges(realm, scope) {
  const params = [];
  if (realm !== undefined) params.push(quoted('realm', realm));
  if (scope !== undefined) params.push(quoted('scope', Array.isArray(scope) ? scope.join(' ') : scope));
  const base = params.length ? `Bearer ${params.join(', ')}` : 'Bearer';
  const withError = (error, description) =>
    `${base}${params.length ? ', ' : ' '}error="${error}", error_description="${descriptionSafe(description)}"`;
  const missingChallenge = base;
  const malformedChallenges = new Map();
  const invalidChallenges = new Map();

  return {
    missing() {
      return failure(401, missingChallenge, 'ERR_BEARER_MISSING', 'A bearer token is required');
    },
    malformed(parsed) {
      let header = malformedChallenges.get(parsed.message);
      if (header === undefined) {
        header = withError('invalid_request', parsed.message);
        malformedChallenges.set(parsed.message, header);
      }
      return failure(400, header, 'ERR_BEARER_MALFORMED', parsed.message);
    },
    invalid(err) {
      const code = err !== null && typeof err === 'object' && typeof err.code === 'string' ? err.code : undefined;
      // A key function that failed (a key store down, say) is the server's fault too: verify
      // reports it as ERR_KEY_INVALID with what it threw as `inner`.
      const keyLookupFailed = code === 'ERR_KEY_INVALID' && err.inner !== undefined;
      if (code === undefined || SERVER_ERRORS.has(code) || keyLookupFailed) {
        const result = failure(500, undefined, keyLookupFailed ? 'ERR_INTERNAL' : code ?? 'ERR_INTERNAL', 'Token verification is misconfigured');
        result.error.cause = keyLookupFailed ? err.inner : err;
        return result;
      }
      const message = describe(code, err.claim);
      const cacheKey = `${code}\n${message}`;
      let header = invalidChallenges.get(cacheKey);
      if (header === undefined) {
        header = withError('invalid_token', message);
        if (invalidChallenges.size < 64) invalidChallenges.set(cacheKey, header);
      }
      const result = failure(401, header, code, message);
      result.error.cause = err;
      return result;
    },
  };
}

function failure(status, challenge, code, message) {
  return {
    ok: false,
    status,
    headers: challenge === undefined ? {} : { 'WWW-Authenticate': challenge },
    error: { code, message },
  };
}

function splitOptions(options) {
  if (options == null) return { realm: undefined, scope: undefined, isRevoked: undefined, verifyOptions: { complete: true } };
  if (typeof options !== 'object') {
    const err = new TypeError('options must be an object');
    err.code = 'ERR_INVALID_OPTION';
    throw err;
  }
  checkPlainOptions(options, 'request verification');
  const { realm, scope, isRevoked, requestProperty: _p, onFailure: _f, ...rest } = options;
  if (isRevoked !== undefined && typeof isRevoked !== 'function') {
    const err = new TypeError('options.isRevoked must be a function (claims, header) => boolean');
    err.code = 'ERR_INVALID_OPTION';
    throw err;
  }
  rest.complete = true;
  return { realm, scope, isRevoked, verifyOptions: rest };
}

// ---- verification ----------------------------------------------------------------------

/**
 * Prepares the key and options once; returns `check(request)`.
 * Throws at once (with the `verify` error codes) for a bad key or bad options.
 */
export function createRequestVerifier(key, options) {
  const { realm, scope, isRevoked, verifyOptions } = splitOptions(options);
  const verifier = createVerifier(key, verifyOptions);
  const fail = challenges(realm, scope);
  return function check(request) {
    const parsed = bearerToken(request);
    if (parsed.kind !== 'token') return parsed.kind === 'missing' ? fail.missing() : fail.malformed(parsed);
    let verified;
    try {
      verified = verifier.verify(parsed.token);
    } catch (err) {
      return fail.invalid(err);
    }
    return acceptVerified(verified, isRevoked, (err) => fail.invalid(err));
  };
}


/** One-shot: the bearer token of `request` verified with `key`. See `createRequestVerifier`. */
export function verifyRequest(request, key, options) {
  const { realm, scope, isRevoked, verifyOptions } = splitOptions(options);
  const fail = challenges(realm, scope);
  const parsed = bearerToken(request);
  if (parsed.kind !== 'token') return parsed.kind === 'missing' ? fail.missing() : fail.malformed(parsed);
  let verified;
  try {
    verified = verify(parsed.token, key, verifyOptions);
  } catch (err) {
    return fail.invalid(err);
  }
  return acceptVerified(verified, isRevoked, (err) => fail.invalid(err));
}

// ---- answers ---------------------------------------------------------------------------

const OAUTH_ERRORS = { 400: 'invalid_request', 401: 'invalid_token', 500: 'server_error' };

function failureBody(result) {
  const error = result.error.code === 'ERR_BEARER_MISSING' ? 'unauthorized' : (OAUTH_ERRORS[result.status] ?? 'server_error');
  return JSON.stringify({ error, error_description: result.error.message });
}

function failureHeaders(result) {
  return { ...result.headers, 'Content-Type': 'application/json', 'Cache-Control': 'no-store' };
}

/** The fetch `Response` for a failed result: its status, challenge and a small JSON body. */
export function unauthorizedResponse(result) {
  if (result == null || result.ok !== false) throw new TypeError('unauthorizedResponse needs a failed verifyRequest result');
  return new Response(failureBody(result), { status: result.status, headers: failureHeaders(result) });
}

/** Answers a Node `ServerResponse` (node:http, Express) with a failed result. */
export function sendUnauthorized(res, result) {
  if (result == null || result.ok !== false) throw new TypeError('sendUnauthorized needs a failed verifyRequest result');
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(result.status, failureHeaders(result));
  res.end(failureBody(result));
}

/**
 * `(req, res, next)` middleware for node:http and Express-style servers.
 * @param key anything `verify` accepts, including a JWK Set
 * @param options `verify` options plus `realm`, `scope`, `requestProperty` (default 'auth'),
 *   `onFailure(result, req, res, next)` (default: answer with the result's status and challenge)
 */
export function bearerAuth(key, options) {
  const requestProperty = options?.requestProperty ?? 'auth';
  const onFailure = options?.onFailure;
  const check = createRequestVerifier(key, options);
  return function bearerAuthMiddleware(req, res, next) {
    const result = check(req);
    if (result.ok) {
      req[requestProperty] = { claims: result.claims, header: result.header };
      if (typeof next === 'function') next();
      return;
    }
    if (typeof onFailure === 'function') {
      onFailure(result, req, res, next);
      return;
    }
    sendUnauthorized(res, result);
  };
}
