// Remote JWK Sets in a real workerd, against the packed package: a Worker that verifies with
// createRemoteJWKSet fetches its keys from the JWK Set server of tests/js/remote-support.mjs,
// which runs here in Node on 127.0.0.1. The Worker's fetch() may reach 127.0.0.1 only (a
// `network` service as its globalOutbound). Then examples/worker/remote.capnp, verbatim, with
// its KV namespace on disk. Every workerd is stopped; every wait is bounded.
// Run: node --test tests/js/remote-workerd.test.mjs
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as jose from 'jose';
import { installPacked, repoRoot } from '../support/packed.mjs';
import { installedManifest, resolveExport } from './harness.mjs';
import { startWorkerd } from '../edge/support/workerd.mjs';
import { closedPort, joseKey, jwks, jwtkitKey, nodeKey, nowSeconds, sleep, startJwksServer } from './remote-support.mjs';

const T = { timeout: 60_000 };
const WORKERD_CONDITIONS = ['workerd', 'worker', 'import', 'module', 'browser', 'default'];
const CALL_TIMEOUT_MS = 20_000;

const project = installPacked('remote-workerd');
writeFileSync(join(project, 'load-jwtkit.mjs'), "export * as jwt from 'jwtkit';\n");
const { jwt } = await import(pathToFileURL(join(project, 'load-jwtkit.mjs')).href);
const pkgRoot = join(project, 'node_modules', 'jwtkit');
const entry = resolveExport(installedManifest(project), '.', WORKERD_CONDITIONS).replace(/^\.\//, '');

const server = await startJwksServer();
const cleanups = [() => server.close()];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

// ---- the test Worker ------------------------------------------------------------------

const WORKER = `import * as jwt from './pkg/${entry}';

const sources = new Map();
const stores = new Map(); // persistent caches by name, shared by the sources that name them

function store(name) {
  let s = stores.get(name);
  if (!s) stores.set(name, (s = { map: new Map(), calls: [] }));
  return s;
}

function memoryCache(name) {
  const s = store(name);
  return {
    async get(url) {
      s.calls.push('get');
      const text = s.map.get(url);
      return text === undefined ? undefined : JSON.parse(text);
    },
    async set(url, entry) {
      s.calls.push('set');
      s.map.set(url, JSON.stringify(entry));
    },
  };
}

async function verifyOne(id, token, options) {
  const t0 = Date.now();
  try {
    return { ok: true, claims: await jwt.verifyAsync(token, sources.get(id), options) };
  } catch (e) {
    return { ok: false, code: e && e.code, name: e && e.name, isJwtError: e instanceof jwt.JsonWebTokenError, message: String(e && e.message), ms: Date.now() - t0 };
  }
}

async function run(body) {
  switch (body.op) {
    case 'source': {
      const options = { ...body.options };
      if (body.cache) options.cache = memoryCache(body.cache);
      sources.set(body.id, jwt.createRemoteJWKSet(body.url, options));
      return { ok: true, label: String(sources.get(body.id)), frozen: Object.isFrozen(sources.get(body.id)) };
    }
    case 'verify':
      return verifyOne(body.id, body.token, body.options);
    case 'verifyMany':
      return Promise.all(body.tokens.map((t) => verifyOne(body.id, t, body.options)));
    case 'cacheCalls':
      return store(body.cache).calls;
    case 'request': {
      const headers = body.token ? { authorization: 'Bearer ' + body.token } : {};
      const result = await jwt.verifyRequestAsync(new Request('https://api.test/me', { headers }), sources.get(body.id), { realm: 'api' });
      if (result.ok) return { ok: true, status: 200, sub: result.claims.sub };
      const response = jwt.unauthorizedResponse(result);
      return { ok: false, status: response.status, code: result.error.code, challenge: response.headers.get('www-authenticate'), body: await response.text() };
    }
    default:
      return { error: 'unknown op' };
  }
}

export default {
  async fetch(request) {
    if (new URL(request.url).pathname === '/health') return new Response('ok');
    try {
      return Response.json(await run(await request.json()));
    } catch (e) {
      return Response.json({ fatal: String((e && e.stack) || e) }, { status: 500 });
    }
  },
};
`;

const CONFIG = `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "main", worker = .testWorker),
    (name = "loopback", network = (allow = ["127.0.0.1/32"])),
  ],
  sockets = [ (name = "http", address = "127.0.0.1:0", http = (), service = "main") ],
);

const testWorker :Workerd.Worker = (
  modules = [
    (name = "main.mjs", esModule = embed "main.mjs"),
    (name = "pkg/${entry}", esModule = embed "pkg/${entry}"),
    (name = "pkg/core_bg.wasm", wasm = embed "pkg/core_bg.wasm"),
  ],
  compatibilityDate = "2025-09-01",
  globalOutbound = "loopback",
);
`;

mkdirSync(join(repoRoot, 'target'), { recursive: true });
const dir = mkdtempSync(join(repoRoot, 'target', 'remote-workerd-'));
cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, 'main.mjs'), WORKER);
writeFileSync(join(dir, 'config.capnp'), CONFIG);
mkdirSync(join(dir, 'pkg'));
cpSync(join(pkgRoot, entry), join(dir, 'pkg', entry));
cpSync(join(pkgRoot, 'core_bg.wasm'), join(dir, 'pkg', 'core_bg.wasm'));

const worker = await startWorkerd({ cwd: dir, config: 'config.capnp' });
cleanups.push(() => worker.stop());

/** One operation in the Worker, over HTTP (each call is its own request, as in production). */
async function call(body, { signal } = {}) {
  const res = await fetch(`${worker.url}/run`, {
    method: 'POST',
    body: JSON.stringify(body),
    signal: signal ?? AbortSignal.timeout(CALL_TIMEOUT_MS),
  });
  const text = await res.text();
  const json = JSON.parse(text);
  if (json.fatal) throw new Error(json.fatal);
  return json;
}

let ids = 0;
async function source(url, options = {}, cache) {
  const id = `s${++ids}`;
  const made = await call({ op: 'source', id, url, options, cache });
  assert.ok(made.frozen);
  return {
    id,
    verify: (token, opts) => call({ op: 'verify', id, token, options: opts }),
    verifyMany: (tokens) => call({ op: 'verifyMany', id, tokens }),
    request: (token) => call({ op: 'request', id, token }),
  };
}

function assertFails(result, code, secrets = []) {
  assert.equal(result.ok, false, `expected ${code}, got claims ${JSON.stringify(result.claims)}`);
  assert.equal(result.code, code, result.message);
  assert.ok(result.isJwtError, `${result.name} is not a JsonWebTokenError`);
  for (const s of secrets) assert.ok(!result.message.includes(s), `the message echoes ${s.slice(0, 20)}...`);
}

const es = jwtkitKey(jwt, 'ES256');
const claims = (extra = {}) => ({ sub: 'user-1', iat: nowSeconds(), exp: nowSeconds() + 300, ...extra });

// ---- the core cases ---------------------------------------------------------------------

test('[workerd] tokens of jwtkit, node crypto and jose keys verify with keys fetched once', T, async () => {
  const keys = [es, jwtkitKey(jwt, 'RS256'), nodeKey('PS256'), nodeKey('ES384'), nodeKey('EdDSA'), await joseKey(jose, 'ES256'), await joseKey(jose, 'RS256')];
  const route = server.route({ jwks: jwks(...keys) });
  const s = await source(route.url);
  for (const key of keys) {
    const got = await s.verify(await key.sign(claims({ kid: key.kid })));
    assert.ok(got.ok, `${key.kid}: ${got.code} ${got.message}`);
    assert.equal(got.claims.kid, key.kid);
  }
  assert.equal(route.hits(), 1);
});

test('[workerd] concurrent verifies in one request share one fetch', T, async () => {
  const route = server.route({ jwks: jwks(es), delayMs: 300 });
  const s = await source(route.url);
  const results = await s.verifyMany(Array.from({ length: 20 }, (_, i) => es.sign(claims({ i }))));
  assert.deepEqual(results.map((r) => r.ok && r.claims.i), results.map((_, i) => i));
  assert.equal(route.hits(), 1);
});

test('[workerd] concurrent requests share one fetch', T, async () => {
  const route = server.route({ jwks: jwks(es), delayMs: 1500 });
  const s = await source(route.url);
  const results = await Promise.all(Array.from({ length: 8 }, (_, i) => s.verify(es.sign(claims({ i })))));
  for (const [i, r] of results.entries()) assert.equal(r.ok && r.claims.i, i, r.message);
  assert.equal(route.hits(), 1);
});

test('[workerd] a request cancelled during the fetch does not hang the requests waiting for it', T, async () => {
  const route = server.route({ jwks: jwks(es), delayMs: 800 });
  const s = await source(route.url, { timeout: 1500 });
  const first = new AbortController();
  const owner = call({ op: 'verify', id: s.id, token: es.sign(claims()) }, { signal: first.signal }).catch((e) => e);
  await sleep(150);
  const waiter = s.verify(es.sign(claims({ sub: 'waiter' })));
  await sleep(100);
  first.abort(); // the client of the request that started the fetch goes away
  const t0 = Date.now();
  const got = await waiter;
  assert.ok(Date.now() - t0 < 8000, 'bounded');
  // workerd may finish the fetch or cancel it with its request: either the waiter verified or
  // it gave up with ERR_JWKS_TIMEOUT, and nothing hangs
  if (!got.ok) assert.equal(got.code, 'ERR_JWKS_TIMEOUT', got.message);
  await owner;
  route.set({ delayMs: 0 });
  const after = await s.verify(es.sign(claims({ sub: 'after' })));
  assert.ok(after.ok, after.message);
});

test('[workerd] a set older than cacheMaxAge is fetched again', T, async () => {
  const route = server.route({ jwks: jwks(es) });
  const s = await source(route.url, { cacheMaxAge: 1500 });
  const token = es.sign(claims());
  assert.ok((await s.verify(token)).ok);
  assert.ok((await s.verify(token)).ok);
  assert.equal(route.hits(), 1);
  await sleep(1600);
  assert.ok((await s.verify(token)).ok);
  assert.equal(route.hits(), 2);
});

test('[workerd] a new kid refetches once; the cooldown blocks a second refetch', T, async () => {
  const b = jwtkitKey(jwt, 'ES256');
  const c = jwtkitKey(jwt, 'ES256');
  const route = server.route({ jwks: jwks(es) });
  const s = await source(route.url, { cooldown: 1500 });
  assert.ok((await s.verify(es.sign(claims()))).ok);
  await sleep(1600);
  route.set({ jwks: jwks(es, b) });
  const rotated = await s.verify(b.sign(claims()));
  assert.ok(rotated.ok, rotated.message);
  assert.equal(route.hits(), 2);
  route.set({ jwks: jwks(es, b, c) });
  const token = c.sign(claims());
  assertFails(await s.verify(token), 'ERR_JWKS_NO_MATCH', [token, c.kid]);
  assert.equal(route.hits(), 2, 'no refetch within the cooldown');
  await sleep(1600);
  assert.ok((await s.verify(token)).ok);
  assert.equal(route.hits(), 3);
});

test('[workerd] an unknown kid is ERR_JWKS_NO_MATCH', T, async () => {
  const route = server.route({ jwks: jwks(es) });
  const s = await source(route.url);
  const token = jwtkitKey(jwt, 'ES256', 'unknown-kid').sign(claims());
  assertFails(await s.verify(token), 'ERR_JWKS_NO_MATCH', [token, 'unknown-kid']);
  assert.equal(route.hits(), 1);
});

test('[workerd] a server that is down is ERR_JWKS_FETCH_FAILED', T, async () => {
  const s = await source(`http://127.0.0.1:${await closedPort()}/jwks.json`);
  assertFails(await s.verify(es.sign(claims())), 'ERR_JWKS_FETCH_FAILED');
});

test('[workerd] a slow server is ERR_JWKS_TIMEOUT within the timeout', T, async () => {
  const route = server.route({ jwks: jwks(es), delayMs: 10_000 });
  const s = await source(route.url, { timeout: 400 });
  const t0 = Date.now();
  const got = await s.verify(es.sign(claims()));
  assertFails(got, 'ERR_JWKS_TIMEOUT');
  assert.ok(Date.now() - t0 < 3000, `took ${Date.now() - t0} ms`);
});

test('[workerd] answers that are not a JWK Set are ERR_JWKS_INVALID', T, async () => {
  for (const config of [{ status: 500, body: 'oops' }, { body: 'not json' }, { body: '{"nokeys":true}' }, { redirect: 'http://127.0.0.1:1/' }]) {
    const s = await source(server.route(config).url);
    assertFails(await s.verify(es.sign(claims())), 'ERR_JWKS_INVALID');
  }
});

test('[workerd] the persistent cache hook is used: a second source reads it instead of fetching', T, async () => {
  const route = server.route({ jwks: jwks(es) });
  const first = await source(route.url, {}, 'kv-1');
  assert.ok((await first.verify(es.sign(claims()))).ok);
  assert.deepEqual(await call({ op: 'cacheCalls', cache: 'kv-1' }), ['get', 'set']);
  const second = await source(route.url, {}, 'kv-1'); // a new isolate: empty memory, same KV
  assert.ok((await second.verify(es.sign(claims()))).ok);
  assert.ok((await second.verify(es.sign(claims()))).ok);
  assert.equal(route.hits(), 1);
  assert.deepEqual(await call({ op: 'cacheCalls', cache: 'kv-1' }), ['get', 'set', 'get']);
});

test('[workerd] verifyRequestAsync answers 200, 401 with a challenge, and 503 when the keys cannot be fetched', T, async () => {
  const s = await source(server.route({ jwks: jwks(es) }).url);
  assert.deepEqual(await s.request(es.sign(claims({ sub: 'r' }))), { ok: true, status: 200, sub: 'r' });
  const expired = await s.request(es.sign(claims({ exp: nowSeconds() - 5 })));
  assert.equal(expired.status, 401);
  assert.match(expired.challenge, /^Bearer realm="api", error="invalid_token"/);
  const missing = await s.request(undefined);
  assert.equal(missing.status, 401);
  const down = await source(`http://127.0.0.1:${await closedPort()}/`);
  const token = es.sign(claims());
  const unavailable = await down.request(token);
  assert.equal(unavailable.status, 503);
  assert.equal(unavailable.code, 'ERR_JWKS_FETCH_FAILED');
  assert.equal(JSON.parse(unavailable.body).error, 'server_error');
  assert.ok(!unavailable.body.includes(token));
});

test('[workerd] the Worker may reach only 127.0.0.1', T, async () => {
  const s = await source('http://10.255.255.1/jwks.json', { timeout: 1000 });
  const got = await s.verify(es.sign(claims()));
  assert.equal(got.ok, false);
  assert.equal(got.code, 'ERR_JWKS_FETCH_FAILED', got.message);
  assert.match(worker.stderr(), /connecting to 10\.255\.255\.1:80 is not allowed/, 'refused by the network service, not timed out');
});

test('[workerd] workerd logs no uncaught errors', T, () => {
  // workerd reports the refused connection of the loopback-only test above; nothing else
  const rest = worker.stderr().replace(/^.*connecting to 10\.255\.255\.1:80 is not allowed\n(stack: .*\n)?/gm, '');
  const lines = rest.split('\n').filter((l) => /uncaught|exception|error/i.test(l));
  assert.deepEqual(lines, []);
});

// ---- examples/worker/src/remote.mjs ----------------------------------------------------

const example = join(project, 'examples', 'worker');
rmSync(example, { recursive: true, force: true });
cpSync(join(repoRoot, 'examples', 'worker'), example, {
  recursive: true,
  filter: (src) => !/[\\/](node_modules|package-lock\.json|\.wrangler|\.jwks-cache)$/.test(src),
});
// config.capnp's `embed "node_modules/jwtkit/..."` then reaches the packed install, as after `npm install`
symlinkSync(join('..', '..', 'node_modules'), join(example, 'node_modules'));

async function startExample(env) {
  mkdirSync(join(example, '.jwks-cache'), { recursive: true });
  const w = await startWorkerd({ cwd: example, config: 'remote.capnp', env });
  cleanups.push(() => w.stop());
  const get = async (token) => {
    const res = await fetch(`${w.url}/api/me`, { headers: token ? { authorization: `Bearer ${token}` } : {}, signal: AbortSignal.timeout(CALL_TIMEOUT_MS) });
    const text = await res.text();
    return { status: res.status, text, challenge: res.headers.get('www-authenticate') };
  };
  return { ...w, get };
}

test('[workerd] examples/worker remote.capnp: the set is fetched once and kept in KV across a restart', T, async () => {
  const route = server.route({ jwks: jwks(es) });
  const env = { JWKS_URL: route.url, JWT_AUDIENCE: 'api' };
  const first = await startExample(env);
  try {
    const ok = await first.get(es.sign(claims({ aud: 'api', sub: 'example' })));
    assert.equal(ok.status, 200, ok.text);
    assert.equal(JSON.parse(ok.text).claims.sub, 'example');
    assert.equal((await first.get(es.sign(claims({ aud: 'api' })))).status, 200);
    const wrongAud = await first.get(es.sign(claims({ aud: 'other' })));
    assert.equal(wrongAud.status, 401);
    assert.equal(route.hits(), 1);
    const logs = first.logs().filter((l) => l.msg === 'auth');
    assert.deepEqual(logs.map((l) => l.outcome), ['allow', 'allow', 'deny']);
    for (const l of logs) assert.ok(!JSON.stringify(l).includes('.ey'), 'no token in the log');
  } finally {
    await first.stop();
  }
  assert.equal(readdirSync(join(example, '.jwks-cache')).length, 1, 'one KV entry written');
  // a new process stands for a new isolate: the set comes from KV, not from the provider
  const second = await startExample(env);
  try {
    assert.equal((await second.get(es.sign(claims({ aud: 'api' })))).status, 200);
    assert.equal(route.hits(), 1, 'served from the persistent cache');
  } finally {
    await second.stop();
  }
});

test('[workerd] examples/worker remote.capnp: unknown kid 401, provider down 503', T, async () => {
  rmSync(join(example, '.jwks-cache'), { recursive: true, force: true });
  const route = server.route({ jwks: jwks(es) });
  const w = await startExample({ JWKS_URL: route.url });
  try {
    const stranger = jwtkitKey(jwt, 'ES256', 'stranger').sign(claims());
    const denied = await w.get(stranger);
    assert.equal(denied.status, 401);
    assert.match(denied.challenge, /error_description="No key matches the token"/);
    assert.equal(w.logs().at(-1).code, 'ERR_JWKS_NO_MATCH');
    assert.equal(w.logs().at(-1).kid, 'stranger');
  } finally {
    await w.stop();
  }
  rmSync(join(example, '.jwks-cache'), { recursive: true, force: true });
  const down = await startExample({ JWKS_URL: `http://127.0.0.1:${await closedPort()}/jwks.json` });
  try {
    const res = await down.get(es.sign(claims()));
    assert.equal(res.status, 503, res.text);
    assert.equal(JSON.parse(res.text).error, 'server_error');
    assert.equal(down.logs().at(-1).outcome, 'error');
  } finally {
    await down.stop();
  }
});
