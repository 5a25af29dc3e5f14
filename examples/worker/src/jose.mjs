// The same Worker as index.mjs written with `jose`, for the benchmark (bench/edge.mjs).
// Same bindings, same answers and the same log line; only the verification library differs.
import { jwtVerify, createLocalJWKSet, decodeProtectedHeader, errors } from 'jose';

const REALM = 'api';
let cached; // { config, key, options }

async function keyFor(env) {
  const config = `${env.JWKS ?? ''}\n${env.JWT_SECRET ?? ''}\n${env.JWT_AUDIENCE ?? ''}\n${env.JWT_ISSUER ?? ''}`;
  if (cached?.config !== config) {
    const key = env.JWKS
      ? createLocalJWKSet(JSON.parse(env.JWKS))
      : await crypto.subtle.importKey('raw', new TextEncoder().encode(env.JWT_SECRET), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
    const options = { algorithms: env.JWKS ? undefined : ['HS256'] };
    if (env.JWT_AUDIENCE) options.audience = env.JWT_AUDIENCE;
    if (env.JWT_ISSUER) options.issuer = env.JWT_ISSUER;
    cached = { config, key, options };
  }
  return cached;
}

const CREDENTIALS = /^[ \t]*bearer +([A-Za-z0-9\-._~+/]+=*)[ \t]*$/i;

function challenge(error, description) {
  return error ? `Bearer realm="${REALM}", error="${error}", error_description="${description}"` : `Bearer realm="${REALM}"`;
}

function deny(status, error, description) {
  const headers = { 'WWW-Authenticate': challenge(error, description), 'Content-Type': 'application/json', 'Cache-Control': 'no-store' };
  return new Response(JSON.stringify({ error: error ?? 'unauthorized', error_description: description }), { status, headers });
}

function log(fields) {
  console.log(JSON.stringify({ msg: 'auth', ...fields }));
}

export default {
  async fetch(request, env) {
    const { pathname } = new URL(request.url);
    if (pathname !== '/api' && !pathname.startsWith('/api/')) {
      return new Response('public\n', { headers: { 'Content-Type': 'text/plain' } });
    }
    const base = { method: request.method, path: pathname };
    const authorization = request.headers.get('authorization');
    if (authorization === null || !/^[ \t]*bearer(?:[ \t,]|$)/i.test(authorization)) {
      log({ ...base, outcome: 'deny', status: 401, code: 'ERR_BEARER_MISSING', kid: null, sub: null });
      return deny(401, null, 'A bearer token is required');
    }
    const match = CREDENTIALS.exec(authorization);
    if (match === null) {
      log({ ...base, outcome: 'deny', status: 400, code: 'ERR_BEARER_MALFORMED', kid: null, sub: null });
      return deny(400, 'invalid_request', 'Malformed Authorization header');
    }
    const { key, options } = await keyFor(env);
    let verified;
    try {
      verified = await jwtVerify(match[1], key, options);
    } catch (err) {
      let kid = null;
      try {
        kid = decodeProtectedHeader(match[1]).kid ?? null;
      } catch {}
      log({ ...base, outcome: 'deny', status: 401, code: err.code ?? 'ERR_INTERNAL', kid, sub: null });
      return deny(401, 'invalid_token', err instanceof errors.JWTExpired ? 'The token has expired' : 'The token is invalid');
    }
    const { payload: claims, protectedHeader: header } = verified;
    const response =
      pathname === '/api/me'
        ? Response.json({ claims }, { headers: { 'Cache-Control': 'no-store' } })
        : Response.json({ error: 'not_found' }, { status: 404 });
    const sub = typeof claims.sub === 'string' ? claims.sub.slice(0, 128) : null;
    log({ ...base, outcome: 'allow', status: response.status, code: null, kid: header.kid ?? null, sub });
    return response;
  },
};
