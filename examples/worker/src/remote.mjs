// The Worker of index.mjs with the keys of an identity provider (Auth0, Okta, Cognito,
// Entra, Keycloak, ...): their JWK Set is fetched from its URL, cached, and refetched when a
// token names a key the cache lacks (the provider rotated its keys).
//
// An isolate lives for minutes at most and its memory goes with it, so the fetched set is
// also kept in a persistent cache that a new isolate reads before fetching: Workers KV when
// JWKS_CACHE is bound, else the Workers Cache API (caches.default, per data centre).
//
// Bindings (see remote.capnp, and wrangler.toml for deployment):
//   JWKS_URL      the provider's jwks_uri, e.g. https://auth.example.com/.well-known/jwks.json
//   JWKS_CACHE    optional KV namespace for the persistent cache
//   JWT_AUDIENCE  optional: the `aud` a token must carry
//   JWT_ISSUER    optional: the `iss` a token must carry (set it: a provider signs tokens for others too)
//
// Answers as index.mjs does, plus 503 when the set cannot be fetched (provider down, timeout,
// an answer that is not a JWK Set). One JSON log line per /api decision, never the token.
import { createRemoteJWKSet, verifyRequestAsync, unauthorizedResponse, bearerToken, decode } from 'jwtkit';

const REALM = 'api';
const CACHE_MAX_AGE_MS = 10 * 60 * 1000; // how long a fetched set is trusted
const COOLDOWN_MS = 30 * 1000; // at most one refetch per 30 s for unknown kids

/** Workers KV as the persistent cache: one KV entry per JWK Set URL. */
function kvCache(kv) {
  const key = (url) => `jwks:${encodeURIComponent(url)}`;
  return {
    get: (url) => kv.get(key(url), 'json'), // null when absent: a miss
    // KV drops the entry after an hour; jwtkit ignores entries older than cacheMaxAge anyway.
    set: (url, entry) => kv.put(key(url), JSON.stringify(entry), { expirationTtl: 3600 }),
  };
}

/** The Workers Cache API as the persistent cache (no binding needed; one cache per data centre). */
function edgeCache(cache) {
  const key = (url) => new Request(`https://jwks-cache.invalid/${encodeURIComponent(url)}`);
  return {
    async get(url) {
      const response = await cache.match(key(url));
      return response ? response.json() : undefined;
    },
    set: (url, entry) =>
      cache.put(key(url), new Response(JSON.stringify(entry), {
        headers: { 'Content-Type': 'application/json', 'Cache-Control': `max-age=${CACHE_MAX_AGE_MS / 1000}` },
      })),
  };
}

// One key source per isolate (its memory cache is then shared by all requests), rebuilt only
// when the bindings change.
let cached; // { config, source, options }

function setupFor(env) {
  const config = `${env.JWKS_URL ?? ''}\n${env.JWT_AUDIENCE ?? ''}\n${env.JWT_ISSUER ?? ''}`;
  if (cached?.config !== config) {
    if (!env.JWKS_URL) throw new Error('set the JWKS_URL binding');
    const cache = env.JWKS_CACHE ? kvCache(env.JWKS_CACHE) : typeof caches !== 'undefined' ? edgeCache(caches.default) : undefined;
    const source = createRemoteJWKSet(env.JWKS_URL, { cacheMaxAge: CACHE_MAX_AGE_MS, cooldown: COOLDOWN_MS, timeout: 5000, cache });
    const options = { realm: REALM };
    if (env.JWT_AUDIENCE) options.audience = env.JWT_AUDIENCE;
    if (env.JWT_ISSUER) options.issuer = env.JWT_ISSUER;
    cached = { config, source, options };
  }
  return cached;
}

// The kid of a token that failed verification (unverified, for the log only).
function unverifiedKid(request) {
  const parsed = bearerToken(request);
  if (parsed.kind !== 'token') return null;
  const kid = decode(parsed.token, { complete: true })?.header?.kid;
  return typeof kid === 'string' ? kid.slice(0, 64) : null;
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

    let setup;
    try {
      setup = setupFor(env);
    } catch (err) {
      log({ ...base, outcome: 'error', status: 500, code: err?.code ?? 'ERR_CONFIG', kid: null, sub: null });
      return Response.json({ error: 'server_error' }, { status: 500 });
    }

    const result = await verifyRequestAsync(request, setup.source, setup.options);
    if (!result.ok) {
      const kid = result.status === 401 && result.error.code !== 'ERR_BEARER_MISSING' ? unverifiedKid(request) : null;
      const outcome = result.status >= 500 ? 'error' : 'deny';
      log({ ...base, outcome, status: result.status, code: result.error.code, kid, sub: null });
      return unauthorizedResponse(result);
    }

    const { claims, header } = result;
    const response =
      pathname === '/api/me'
        ? Response.json({ claims }, { headers: { 'Cache-Control': 'no-store' } })
        : Response.json({ error: 'not_found' }, { status: 404 });
    const sub = typeof claims.sub === 'string' ? claims.sub.slice(0, 128) : null;
    log({ ...base, outcome: 'allow', status: response.status, code: null, kid: header.kid ?? null, sub });
    return response;
  },
};
