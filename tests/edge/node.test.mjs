// examples/node on loopback: the node:http server (same behaviour table as the Worker), the
// Express-style middleware with the access / refresh token flow, and `node <example>` as a
// user starts it. The examples run from a copy inside the project that has jwtkit installed
// from the packed tarball, so `import 'jwtkit'` resolves as it does for a user.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { installPackedEdge, copyExample } from './support/packed-edge.mjs';
import { protectionSuite, waitFor } from './support/suite.mjs';
import { hs256, now, secret, parseChallenge } from './support/tokens.mjs';
import { get } from './support/http.mjs';

const project = installPackedEdge();
const dir = copyExample('node', project);
const { createServer } = await import(join(dir, 'node-http.mjs'));
const { createApp } = await import(join(dir, 'express-style.mjs'));

function listen(server) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server.address().port));
  });
}
function close(server) {
  server.closeAllConnections?.();
  return new Promise((resolve) => server.close(() => resolve()));
}

protectionSuite('examples/node/node-http.mjs', async ({ secret: s, jwks, audience, issuer }) => {
  const lines = [];
  const server = createServer({ key: jwks ?? s, audience, issuer, log: (l) => lines.push(JSON.parse(JSON.stringify(l))) });
  const port = await listen(server);
  return { url: `http://127.0.0.1:${port}`, port, logs: () => lines, stop: () => close(server) };
});

describe('examples/node/express-style.mjs: access and refresh tokens with jti revocation', () => {
  const accessSecret = secret();
  const refreshSecret = secret();
  let app;
  let url;

  before(async () => {
    app = createApp({ accessSecret, refreshSecret, users: new Map([['alice', 'wonderland']]) });
    url = `http://127.0.0.1:${await listen(app.server)}`;
  });
  after(() => close(app.server));

  const login = () => get(`${url}/auth/login`, { method: 'POST', body: { username: 'alice', password: 'wonderland' } });
  const refresh = (refresh_token) => get(`${url}/auth/refresh`, { method: 'POST', body: { refresh_token } });
  const me = (token) => get(`${url}/api/me`, { token });

  test('a wrong password gets 400 invalid_grant and no tokens', async () => {
    const res = await get(`${url}/auth/login`, { method: 'POST', body: { username: 'alice', password: 'nope' } });
    assert.equal(res.status, 400);
    assert.deepEqual(res.json, { error: 'invalid_grant' });
    const unknown = await get(`${url}/auth/login`, { method: 'POST', body: { username: 'mallory', password: 'wonderland' } });
    assert.equal(unknown.status, 400);
  });

  test('login gives a 5-minute access token that opens /api/me', async () => {
    const res = await login();
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.token_type, 'Bearer');
    assert.equal(res.json.expires_in, 300);
    const mine = await me(res.json.access_token);
    assert.equal(mine.status, 200, mine.text);
    const c = mine.json.claims;
    assert.equal(c.sub, 'alice');
    assert.equal(c.aud, 'api');
    assert.equal(c.exp - c.iat, 300);
    assert.equal(typeof c.jti, 'string');
    assert.equal(typeof c.sid, 'string');
  });

  test('the refresh token is not an access token', async () => {
    const { json } = await login();
    const res = await me(json.refresh_token);
    assert.equal(res.status, 401);
    assert.equal(parseChallenge(res.challenge).params.error, 'invalid_token');
  });

  test('refresh returns a new pair with new jtis and spends the old refresh token', async () => {
    const first = (await login()).json;
    const second = await refresh(first.refresh_token);
    assert.equal(second.status, 200, second.text);
    assert.notEqual(second.json.refresh_token, first.refresh_token);
    assert.equal((await me(second.json.access_token)).status, 200);
    const again = await refresh(first.refresh_token);
    assert.equal(again.status, 400);
    assert.equal(again.json.error, 'invalid_grant');
  });

  test('reusing a spent refresh token ends the whole session (theft detection)', async () => {
    const first = (await login()).json;
    const second = (await refresh(first.refresh_token)).json;
    assert.equal((await refresh(first.refresh_token)).status, 400); // replay of the spent token
    assert.equal((await refresh(second.refresh_token)).status, 400, 'the newest refresh token is revoked too');
    const res = await me(second.access_token);
    assert.equal(res.status, 401, 'the access tokens of the session are revoked');
    assert.equal(parseChallenge(res.challenge).params.error, 'invalid_token');
  });

  test('logout revokes the access token by jti and the refresh token by session', async () => {
    const pair = (await login()).json;
    const other = (await login()).json; // another session of the same user
    const out = await get(`${url}/api/logout`, { method: 'POST', token: pair.access_token });
    assert.equal(out.status, 204, out.text);
    const res = await me(pair.access_token);
    assert.equal(res.status, 401);
    assert.match(parseChallenge(res.challenge).params.error_description, /revoked/);
    assert.equal((await refresh(pair.refresh_token)).status, 400);
    assert.equal((await me(other.access_token)).status, 200, 'other sessions go on');
  });

  test('an expired access token gets 401 invalid_token', async () => {
    const token = hs256({ sub: 'alice', aud: 'api', iss: 'https://auth.example.com', sid: 's', jti: 'j', iat: now() - 900, exp: now() - 600 }, accessSecret);
    const res = await me(token);
    assert.equal(res.status, 401);
    assert.match(parseChallenge(res.challenge).params.error_description, /expired/);
  });

  test('no token gets 401 without error code; unknown routes 404', async () => {
    const res = await me(undefined);
    assert.equal(res.status, 401);
    assert.equal(res.challenge, 'Bearer realm="api"');
    assert.equal((await get(`${url}/nowhere`)).status, 404);
  });

  test('spent and revoked entries are purged once their tokens have expired', async () => {
    const { store } = app.tokens;
    const before = store.size;
    assert.ok(before > 0);
    store.purge(now() + 15 * 24 * 3600);
    assert.equal(store.size, 0);
  });
});

test('`node node-http.mjs` serves on the port it is given and verifies tokens', async () => {
  const key = secret();
  const child = spawn(process.execPath, ['node-http.mjs'], {
    cwd: dir,
    env: { PATH: process.env.PATH, PORT: '0', JWT_SECRET: key, JWT_AUDIENCE: 'api' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), 20000);
  try {
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (out += d));
    const listening = await waitFor(() => out.split('\n').map((l) => l.startsWith('{') && JSON.parse(l)).find((l) => l?.msg === 'listening'), 10000, 'listening line');
    const res = await get(`${listening.url}/api/me`, { token: hs256({ sub: 'cli', aud: 'api', exp: now() + 60 }, key) });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.claims.sub, 'cli');
  } finally {
    clearTimeout(killer);
    child.kill('SIGTERM');
    await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
  }
});
