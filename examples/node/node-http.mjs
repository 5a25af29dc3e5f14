// Bearer-token protection for a plain node:http server with jwtkit.
//
//   JWT_SECRET=... node node-http.mjs          # or JWKS='{"keys":[...]}' for key rotation by kid
//   curl -H "Authorization: Bearer $TOKEN" http://127.0.0.1:3000/api/me
//
// /api/* needs a valid token; /api/me answers the verified claims; anything else is public.
// One JSON log line per /api decision (outcome, code, kid, sub; never the token).
import { createServer as createHttpServer } from 'node:http';
import { pathToFileURL } from 'node:url';
import { createRequestVerifier, sendUnauthorized } from 'jwtkit';

/**
 * @param {{ key: string | object, audience?: string, issuer?: string, log?: (line: object) => void }} options
 *   `key`: an HMAC secret, or a JWK Set `{ keys: [...] }` (chosen by the token's `kid`).
 */
export function createServer({ key, audience, issuer, log = (line) => console.log(JSON.stringify(line)) }) {
  const verifyOptions = { realm: 'api' };
  if (audience) verifyOptions.audience = audience;
  if (issuer) verifyOptions.issuer = issuer;
  const check = createRequestVerifier(key, verifyOptions); // the key is prepared once, here

  return createHttpServer((req, res) => {
    const path = new URL(req.url, 'http://localhost').pathname;
    if (path !== '/api' && !path.startsWith('/api/')) {
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end('public\n');
      return;
    }
    const result = check(req); // reads req.headers.authorization (and refuses duplicates)
    if (!result.ok) {
      log({ msg: 'auth', method: req.method, path, outcome: result.status === 500 ? 'error' : 'deny', status: result.status, code: result.error.code, sub: null });
      sendUnauthorized(res, result); // status, WWW-Authenticate (RFC 6750), JSON body
      return;
    }
    const { claims, header } = result;
    const status = path === '/api/me' ? 200 : 404;
    const sub = typeof claims.sub === 'string' ? claims.sub.slice(0, 128) : null;
    log({ msg: 'auth', method: req.method, path, outcome: 'allow', status, code: null, kid: header.kid ?? null, sub });
    res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
    res.end(JSON.stringify(status === 200 ? { claims } : { error: 'not_found' }));
  });
}

// `node node-http.mjs`: listen on 127.0.0.1:$PORT (default 3000; 0 picks a free port).
if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const key = process.env.JWKS ? JSON.parse(process.env.JWKS) : process.env.JWT_SECRET;
  if (!key) {
    console.error('set JWT_SECRET (an HMAC secret) or JWKS (a JWK Set as JSON)');
    process.exit(2);
  }
  const server = createServer({ key, audience: process.env.JWT_AUDIENCE, issuer: process.env.JWT_ISSUER });
  server.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
    console.log(JSON.stringify({ msg: 'listening', url: `http://127.0.0.1:${server.address().port}` }));
  });
}
