// Express-style `(req, res, next)` middleware with jwtkit, and the access / refresh token flow
// of tokens.mjs behind it. No Express needed: `chain()` below is the few lines of Express's
// router that the example uses. With Express the same middleware reads:
//
//   import express from 'express';
//   import { bearerAuth } from 'jwtkit';
//   const app = express();
//   app.use('/api', bearerAuth(ACCESS_SECRET, { audience: 'api', issuer, realm: 'api', isRevoked }));
//   app.get('/api/me', (req, res) => res.json({ claims: req.auth.claims }));
//
// Routes:
//   POST /auth/login    {"username","password"}  -> {access_token, refresh_token, expires_in, token_type}
//   POST /auth/refresh  {"refresh_token"}        -> a new pair; the old refresh token is spent
//   POST /api/logout    (Bearer access token)    -> 204; the session's tokens stop working
//   GET  /api/me        (Bearer access token)    -> {claims}
import { createServer as createHttpServer } from 'node:http';
import { timingSafeEqual, createHash, randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { bearerAuth } from 'jwtkit';
import { createTokenService, GrantError } from './tokens.mjs';

/** Runs `(req, res, next)` handlers in order, as Express does; an error ends in a 500. */
export function chain(...handlers) {
  return (req, res) => {
    let i = 0;
    const next = (err) => {
      if (err) return fail(res, err);
      const handler = handlers[i++];
      if (!handler) return notFound(res);
      try {
        const done = handler(req, res, next);
        if (done && typeof done.catch === 'function') done.catch(next);
      } catch (e) {
        fail(res, e);
      }
    };
    next();
  };
}

/** Express's `app.METHOD(path, ...handlers)`: a handler that runs `handlers` only for one route. */
export function route(method, path, ...handlers) {
  const run = chain(...handlers);
  return (req, res, next) => (req.method === method && req.path === path ? run(req, res) : next());
}

/** Express's `app.use(prefix, ...handlers)`. */
export function mount(prefix, ...handlers) {
  const run = chain(...handlers, (req, res, next) => req.nextOutside());
  return (req, res, next) => {
    if (req.path !== prefix && !req.path.startsWith(`${prefix}/`)) return next();
    req.nextOutside = next;
    run(req, res);
  };
}

function json(res, status, body) {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
}
function notFound(res) {
  json(res, 404, { error: 'not_found' });
}
function fail(res, err) {
  if (res.headersSent) return res.end();
  if (err?.status === 400 || err?.status === 413) return json(res, err.status, { error: 'invalid_request' });
  json(res, 500, { error: 'server_error' });
}

/** A small `express.json()`: reads up to 16 KiB of JSON into `req.body`. */
async function jsonBody(req, res, next) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > 16384) throw Object.assign(new Error('body too large'), { status: 413 });
    chunks.push(chunk);
  }
  try {
    req.body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
  } catch {
    throw Object.assign(new Error('body is not JSON'), { status: 400 });
  }
  next();
}

// Demo users. A real server stores a password hash (scrypt, argon2) and compares with it.
const digest = (text) => createHash('sha256').update(String(text)).digest();
function checkPassword(users, username, password) {
  const expected = users.get(String(username));
  const actual = digest(password);
  return timingSafeEqual(expected ?? randomBytes(32), actual) && expected !== undefined;
}

/**
 * @param {{ accessSecret: string, refreshSecret: string, issuer?: string,
 *           users?: Map<string, string>, accessTtl?: number, refreshTtl?: number }} options
 *   `users`: username -> password (demo only).
 */
export function createApp({ accessSecret, refreshSecret, issuer = 'https://auth.example.com', users, accessTtl, refreshTtl }) {
  const userDigests = new Map([...(users ?? new Map([['alice', 'wonderland']]))].map(([u, p]) => [u, digest(p)]));
  const tokens = createTokenService({ accessSecret, refreshSecret, issuer, accessTtl, refreshTtl });
  const authenticate = bearerAuth(accessSecret, {
    algorithms: ['HS256'],
    audience: 'api',
    issuer,
    realm: 'api',
    isRevoked: (claims) => tokens.isRevoked(claims), // 401 invalid_token for a revoked jti or session
  });

  const handler = chain(
    (req, res, next) => {
      req.path = new URL(req.url, 'http://localhost').pathname;
      next();
    },
    route('POST', '/auth/login', jsonBody, (req, res) => {
      const { username, password } = req.body ?? {};
      if (!checkPassword(userDigests, username, password)) return json(res, 400, { error: 'invalid_grant' });
      json(res, 200, tokens.login(username));
    }),
    route('POST', '/auth/refresh', jsonBody, (req, res) => {
      try {
        json(res, 200, tokens.refresh(req.body?.refresh_token));
      } catch (err) {
        if (!(err instanceof GrantError)) throw err;
        json(res, 400, { error: 'invalid_grant', error_description: err.message });
      }
    }),
    mount(
      '/api',
      authenticate, // sets req.auth = { claims, header }, or answers 401/400 itself
      route('GET', '/api/me', (req, res) => json(res, 200, { claims: req.auth.claims })),
      route('POST', '/api/logout', (req, res) => {
        tokens.logout(req.auth.claims);
        res.writeHead(204).end();
      }),
    ),
  );
  // Drop deny-list entries whose tokens have expired anyway.
  const purge = setInterval(() => tokens.store.purge(), 60_000).unref();
  const server = createHttpServer(handler);
  server.on('close', () => clearInterval(purge));
  return { server, tokens };
}

// `node express-style.mjs`: listen on 127.0.0.1:$PORT (default 3001; 0 picks a free port).
if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const accessSecret = process.env.ACCESS_SECRET;
  const refreshSecret = process.env.REFRESH_SECRET;
  if (!accessSecret || !refreshSecret) {
    console.error('set ACCESS_SECRET and REFRESH_SECRET (two different secrets, e.g. from generateSecret())');
    process.exit(2);
  }
  const { server } = createApp({ accessSecret, refreshSecret });
  server.listen(Number(process.env.PORT ?? 3001), '127.0.0.1', () => {
    console.log(JSON.stringify({ msg: 'listening', url: `http://127.0.0.1:${server.address().port}` }));
  });
}
