// A Cloudflare Worker that verifies a bearer JWT on every /api/* request with jwtkit.
//
// Bindings (see wrangler.toml and config.capnp):
//   JWKS          JWK Set as JSON text, `{"keys":[...]}`: the key is chosen by the token's `kid`
//                 (key rotation: see README.md). Takes precedence over JWT_SECRET.
//   JWT_SECRET    an HMAC secret (HS256/384/512), when no JWK Set is used.
//   JWT_AUDIENCE  optional: the `aud` a token must carry.
//   JWT_ISSUER    optional: the `iss` a token must carry.
//
// Answers: /api/me -> 200 with the verified claims; other /api/* -> 404 once verified;
// anything else is public. One JSON log line per /api decision, never the token.
import { createRequestVerifier, unauthorizedResponse, bearerToken, decode } from 'jwtkit';

const REALM = 'api';
let cached; // { config, check }: rebuilt only when the bindings change (i.e. on a new deployment)

function checkerFor(env) {
  const config = `${env.JWKS ?? ''}\n${env.JWT_SECRET ?? ''}\n${env.JWT_AUDIENCE ?? ''}\n${env.JWT_ISSUER ?? ''}`;
  if (cached?.config !== config) {
    const key = env.JWKS ? JSON.parse(env.JWKS) : env.JWT_SECRET;
    if (!key) throw new Error('set the JWKS or JWT_SECRET binding');
    const options = { realm: REALM };
    if (env.JWT_AUDIENCE) options.audience = env.JWT_AUDIENCE;
    if (env.JWT_ISSUER) options.issuer = env.JWT_ISSUER;
    cached = { config, check: createRequestVerifier(key, options) };
  }
  return cached.check;
}

// The kid of a token that failed verification (unverified, for the log only), when the token
// was well-formed enough for its header to say something.
const KID_WORTH_DECODING = new Set(['ERR_JWKS_NO_MATCH', 'ERR_JWS_INVALID_SIGNATURE', 'ERR_JWT_EXPIRED', 'ERR_JWT_NOT_ACTIVE', 'ERR_JWT_CLAIM_INVALID', 'ERR_JWT_CLAIM_MISSING', 'ERR_JWS_ALG_NOT_ALLOWED', 'ERR_JWT_REVOKED']);
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

    let check;
    try {
      check = checkerFor(env);
    } catch (err) {
      log({ ...base, outcome: 'error', status: 500, code: err?.code ?? 'ERR_CONFIG', kid: null, sub: null });
      return Response.json({ error: 'server_error' }, { status: 500 });
    }

    const result = check(request);
    if (!result.ok) {
      const kid = KID_WORTH_DECODING.has(result.error.code) ? unverifiedKid(request) : null;
      log({ ...base, outcome: result.status === 500 ? 'error' : 'deny', status: result.status, code: result.error.code, kid, sub: null });
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
