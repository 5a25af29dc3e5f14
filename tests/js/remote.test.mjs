// Remote JWK Sets in Node (createRemoteJWKSet, verifyAsync, verifyRequestAsync) against the
// packed package, with a JWK Set server on 127.0.0.1 whose answers each test scripts.
// Run: node --test tests/js/remote.test.mjs
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as jose from 'jose';
import { installPacked } from '../support/packed.mjs';
import { closedPort, joseKey, jwks, jwtkitKey, nodeKey, nowSeconds, sleep, startJwksServer } from './remote-support.mjs';

const T = { timeout: 30_000 };

const project = installPacked('remote');
writeFileSync(join(project, 'load-jwtkit.mjs'), "export * as jwt from 'jwtkit';\n");
const { jwt } = await import(pathToFileURL(join(project, 'load-jwtkit.mjs')).href);
const jwtCjs = createRequire(join(project, 'package.json'))('jwtkit');

const server = await startJwksServer();
after(() => server.close());

const es = jwtkitKey(jwt, 'ES256');
const ed = jwtkitKey(jwt, 'EdDSA');
const claims = (extra = {}) => ({ sub: 'user-1', iat: nowSeconds(), exp: nowSeconds() + 300, ...extra });

/** Asserts a rejection with a JsonWebTokenError of `code` whose message echoes none of `secrets`. */
async function rejectsWith(promise, code, secrets = []) {
  let error;
  try {
    await promise;
  } catch (e) {
    error = e;
  }
  assert.ok(error, `expected ${code}, but it resolved`);
  assert.ok(error instanceof jwt.JsonWebTokenError, `not a JsonWebTokenError: ${error?.stack ?? error}`);
  assert.equal(error.code, code, `${error.code}: ${error.message}`);
  for (const s of secrets) assert.ok(!String(error.message).includes(s), `the message echoes ${s.slice(0, 20)}...: ${error.message}`);
  return error;
}

/** A persistent cache in memory that records its calls. */
function memoryCache() {
  const store = new Map();
  const calls = [];
  return {
    store,
    calls,
    async get(url) {
      calls.push(['get', url]);
      const text = store.get(url);
      return text === undefined ? undefined : JSON.parse(text);
    },
    async set(url, entry) {
      calls.push(['set', url]);
      store.set(url, JSON.stringify(entry));
    },
  };
}

// ---- verification ---------------------------------------------------------------------

test('a token verifies with the key its kid names in the fetched set', T, async () => {
  const route = server.route({ jwks: jwks(es, ed) });
  const source = jwt.createRemoteJWKSet(route.url);
  assert.deepEqual(await jwt.verifyAsync(es.sign(claims()), source).then((c) => c.sub), 'user-1');
  assert.equal((await jwt.verifyAsync(ed.sign(claims({ sub: 'ed' })), source)).sub, 'ed');
  const complete = await jwt.verifyAsync(es.sign(claims()), source, { complete: true });
  assert.equal(complete.header.kid, es.kid);
  assert.equal(typeof complete.signature, 'string');
  assert.equal(route.hits(), 1);
});

test('tokens signed by node crypto verify (RS256, PS256, ES256, ES384, EdDSA keys exported as JWK)', T, async () => {
  const keys = ['RS256', 'PS256', 'ES256', 'ES384', 'EdDSA'].map((alg) => nodeKey(alg));
  const route = server.route({ jwks: jwks(...keys) });
  const source = jwt.createRemoteJWKSet(route.url);
  for (const key of keys) {
    const got = await jwt.verifyAsync(key.sign(claims({ alg: key.alg })), source);
    assert.equal(got.alg, key.alg);
  }
  assert.equal(route.hits(), 1);
});

test('tokens signed by jose verify (RS256, PS256, ES256, EdDSA)', T, async () => {
  const keys = await Promise.all(['RS256', 'PS256', 'ES256', 'EdDSA'].map((alg) => joseKey(jose, alg)));
  const route = server.route({ jwks: jwks(...keys) });
  const source = jwt.createRemoteJWKSet(route.url);
  for (const key of keys) {
    assert.equal((await jwt.verifyAsync(await key.sign(claims({ by: key.alg })), source)).by, key.alg);
  }
});

test('jose verifies with the same remote set served here (the server speaks JWKS as jose expects)', T, async () => {
  const route = server.route({ jwks: jwks(es) });
  const { payload } = await jose.jwtVerify(es.sign(claims()), jose.createRemoteJWKSet(new URL(route.url)));
  assert.equal(payload.sub, 'user-1');
});

test('claim checks apply: an expired token is a TokenExpiredError, a wrong audience a claim error', T, async () => {
  const route = server.route({ jwks: jwks(es) });
  const source = jwt.createRemoteJWKSet(route.url);
  const expired = es.sign(claims({ exp: nowSeconds() - 10 }));
  const error = await rejectsWith(jwt.verifyAsync(expired, source), 'ERR_JWT_EXPIRED');
  assert.ok(error instanceof jwt.TokenExpiredError);
  await rejectsWith(jwt.verifyAsync(es.sign(claims({ aud: 'a' })), source, { audience: 'b' }), 'ERR_JWT_CLAIM_INVALID');
  assert.equal((await jwt.verifyAsync(es.sign(claims({ aud: 'b' })), source, { audience: /^b$/ })).aud, 'b');
  await rejectsWith(jwt.verifyAsync(es.sign(claims()), source, { audiance: 'b' }), 'ERR_INVALID_OPTION');
  const good = es.sign(claims());
  const at = good.lastIndexOf('.') + 10; // a character inside the signature (not its last, whose spare bits must be zero)
  const tampered = good.slice(0, at) + (good[at] === 'A' ? 'B' : 'A') + good.slice(at + 1);
  await rejectsWith(jwt.verifyAsync(tampered, source), 'ERR_JWS_INVALID_SIGNATURE');
  assert.equal(route.hits(), 1, 'failed verifications do not refetch when the kid is known');
});

test('malformed or oversized tokens are refused before any fetch', T, async () => {
  const route = server.route({ jwks: jwks(es) });
  const source = jwt.createRemoteJWKSet(route.url);
  await rejectsWith(jwt.verifyAsync('not a token', source), 'ERR_JWT_MALFORMED');
  await rejectsWith(jwt.verifyAsync(42, source), 'ERR_JWT_MALFORMED');
  await rejectsWith(jwt.verifyAsync('', source), 'ERR_JWT_MALFORMED');
  await rejectsWith(jwt.verifyAsync(`${'a'.repeat(20000)}.b.c`, source), 'ERR_JWT_TOO_LARGE');
  assert.equal(route.hits(), 0);
});

test('header members jku, x5u, jwk and x5c never supply a key', T, async () => {
  const route = server.route({ jwks: jwks(es) });
  const attacker = jwtkitKey(jwt, 'ES256', es.kid); // same kid, another key
  const other = server.route({ jwks: jwks(attacker) });
  const token = attacker.sign(claims(), { jku: other.url, x5u: other.url, jwk: attacker.publicJwk });
  await rejectsWith(jwt.verifyAsync(token, jwt.createRemoteJWKSet(route.url)), 'ERR_JWS_INVALID_SIGNATURE');
  assert.equal(other.hits(), 0);
});

test('oct keys in a fetched set are ignored: a published secret verifies nothing', T, async () => {
  const secret = jwt.generateSecret('HS256');
  const octJwk = { kty: 'oct', kid: 'hmac', alg: 'HS256', k: Buffer.from(secret).toString('base64url') };
  const route = server.route({ jwks: { keys: [octJwk] } });
  const token = jwt.sign(claims(), secret, { keyid: 'hmac' });
  await rejectsWith(jwt.verifyAsync(token, jwt.createRemoteJWKSet(route.url, { cooldown: 0 })), 'ERR_JWKS_NO_MATCH', [token, 'hmac']);
});

// ---- caching --------------------------------------------------------------------------

test('many verifies within cacheMaxAge fetch the set once', T, async () => {
  const route = server.route({ jwks: jwks(es) });
  const source = jwt.createRemoteJWKSet(route.url);
  const token = es.sign(claims());
  for (let i = 0; i < 50; i++) await jwt.verifyAsync(token, source);
  assert.equal(route.hits(), 1);
});

test('concurrent verifies share one fetch', T, async () => {
  const route = server.route({ jwks: jwks(es), delayMs: 300 });
  const source = jwt.createRemoteJWKSet(route.url);
  const tokens = Array.from({ length: 25 }, (_, i) => es.sign(claims({ i })));
  const results = await Promise.all(tokens.map((t) => jwt.verifyAsync(t, source)));
  assert.deepEqual(results.map((c) => c.i), tokens.map((_, i) => i));
  assert.equal(route.hits(), 1);
});

test('concurrent verifies share one failure too', T, async () => {
  const route = server.route({ status: 500, body: 'oops', delayMs: 200 });
  const source = jwt.createRemoteJWKSet(route.url);
  const outcomes = await Promise.allSettled(Array.from({ length: 10 }, () => jwt.verifyAsync(es.sign(claims()), source)));
  for (const o of outcomes) assert.equal(o.reason?.code, 'ERR_JWKS_INVALID');
  assert.equal(route.hits(), 1);
});

test('a set older than cacheMaxAge is fetched again', T, async () => {
  const route = server.route({ jwks: jwks(es) });
  const source = jwt.createRemoteJWKSet(route.url, { cacheMaxAge: 1500 });
  const token = es.sign(claims());
  await jwt.verifyAsync(token, source);
  await jwt.verifyAsync(token, source);
  assert.equal(route.hits(), 1);
  await sleep(1600);
  await jwt.verifyAsync(token, source);
  assert.equal(route.hits(), 2);
});

test('past cacheMaxAge the old set is not used when the refetch fails (fail closed)', T, async () => {
  const route = server.route({ jwks: jwks(es) });
  const source = jwt.createRemoteJWKSet(route.url, { cacheMaxAge: 150 });
  const token = es.sign(claims());
  await jwt.verifyAsync(token, source);
  route.set({ status: 503, body: 'down' });
  await sleep(250);
  await rejectsWith(jwt.verifyAsync(token, source), 'ERR_JWKS_INVALID');
  route.set({ status: 200, body: undefined });
  assert.equal((await jwt.verifyAsync(token, source)).sub, 'user-1', 'recovers once the server does');
});

// ---- rotation and unknown kids --------------------------------------------------------

test('a new kid refetches the set once and then verifies', T, async () => {
  const next = jwtkitKey(jwt, 'ES256');
  const route = server.route({ jwks: jwks(es) });
  const source = jwt.createRemoteJWKSet(route.url, { cooldown: 0 });
  await jwt.verifyAsync(es.sign(claims()), source);
  route.set({ jwks: jwks(es, next) }); // the provider publishes a new key
  assert.equal((await jwt.verifyAsync(next.sign(claims({ sub: 'rotated' })), source)).sub, 'rotated');
  assert.equal(route.hits(), 2);
  await jwt.verifyAsync(es.sign(claims()), source);
  await jwt.verifyAsync(next.sign(claims()), source);
  assert.equal(route.hits(), 2, 'both kids are now cached');
});

test('within the cooldown an unknown kid does not refetch; after it, it does', T, async () => {
  const b = jwtkitKey(jwt, 'ES256');
  const c = jwtkitKey(jwt, 'ES256');
  const route = server.route({ jwks: jwks(es) });
  const source = jwt.createRemoteJWKSet(route.url, { cooldown: 1500 });
  await jwt.verifyAsync(es.sign(claims()), source);
  await sleep(1600);
  route.set({ jwks: jwks(es, b) });
  await jwt.verifyAsync(b.sign(claims()), source); // cooldown over: refetch
  assert.equal(route.hits(), 2);
  route.set({ jwks: jwks(es, b, c) });
  const token = c.sign(claims());
  await rejectsWith(jwt.verifyAsync(token, source), 'ERR_JWKS_NO_MATCH', [token, c.kid]);
  assert.equal(route.hits(), 2, 'no second refetch within the cooldown');
  await sleep(1600);
  await jwt.verifyAsync(token, source);
  assert.equal(route.hits(), 3);
});

test('an unknown kid is ERR_JWKS_NO_MATCH after at most one refetch per call', T, async () => {
  const stranger = jwtkitKey(jwt, 'ES256', 'kid-nobody-knows');
  const route = server.route({ jwks: jwks(es) });
  const source = jwt.createRemoteJWKSet(route.url, { cooldown: 0 });
  const token = stranger.sign(claims());
  // the first call fetches, finds no key, and does not fetch a second time at once
  await rejectsWith(jwt.verifyAsync(token, source), 'ERR_JWKS_NO_MATCH', [token, 'kid-nobody-knows']);
  assert.equal(route.hits(), 1);
  await rejectsWith(jwt.verifyAsync(token, source), 'ERR_JWKS_NO_MATCH');
  assert.equal(route.hits(), 2);
  // the default 30 s cooldown: unknown kids arriving in a burst cost no fetch
  const guarded = jwt.createRemoteJWKSet(server.route({ jwks: jwks(es) }).url);
  const strangers = Array.from({ length: 5 }, (_, i) => jwtkitKey(jwt, 'ES256', `random-${i}`).sign(claims()));
  await jwt.verifyAsync(es.sign(claims()), guarded);
  for (const t of strangers) await rejectsWith(jwt.verifyAsync(t, guarded), 'ERR_JWKS_NO_MATCH');
});

test('a token without kid is verified by the only key that fits, a set without usable keys matches nothing', T, async () => {
  const noKid = jwt.generateKeyPair('ES256');
  const route = server.route({ jwks: { keys: [noKid.publicKey] } });
  const token = jwt.sign(claims(), noKid.privateKey);
  assert.equal((await jwt.verifyAsync(token, jwt.createRemoteJWKSet(route.url))).sub, 'user-1');
  const empty = server.route({ jwks: { keys: [] } });
  await rejectsWith(jwt.verifyAsync(token, jwt.createRemoteJWKSet(empty.url)), 'ERR_JWKS_NO_MATCH');
  const unsupported = server.route({ jwks: { keys: [{ kty: 'XYZ', kid: 'x' }] } });
  await rejectsWith(jwt.verifyAsync(token, jwt.createRemoteJWKSet(unsupported.url)), 'ERR_JWKS_NO_MATCH');
});

test('a failed refetch for an unknown kid keeps the cached set for the known ones', T, async () => {
  const stranger = jwtkitKey(jwt, 'ES256');
  const route = server.route({ jwks: jwks(es) });
  const source = jwt.createRemoteJWKSet(route.url, { cooldown: 0 });
  await jwt.verifyAsync(es.sign(claims()), source);
  route.set({ status: 500, body: 'broken' });
  await rejectsWith(jwt.verifyAsync(stranger.sign(claims()), source), 'ERR_JWKS_INVALID');
  assert.equal((await jwt.verifyAsync(es.sign(claims({ sub: 'still' })), source)).sub, 'still');
  assert.equal(route.hits(), 2);
});

// ---- failures -------------------------------------------------------------------------

test('a server that is down is ERR_JWKS_FETCH_FAILED', T, async () => {
  const port = await closedPort();
  const token = es.sign(claims());
  const t0 = Date.now();
  const error = await rejectsWith(jwt.verifyAsync(token, jwt.createRemoteJWKSet(`http://127.0.0.1:${port}/jwks.json`)), 'ERR_JWKS_FETCH_FAILED', [token]);
  assert.ok(Date.now() - t0 < 5000);
  assert.ok(error.cause, 'the network error is kept as cause');
});

test('a slow server is ERR_JWKS_TIMEOUT within the timeout', T, async () => {
  const route = server.route({ jwks: jwks(es), delayMs: 10_000 });
  const source = jwt.createRemoteJWKSet(route.url, { timeout: 300 });
  const t0 = Date.now();
  await rejectsWith(jwt.verifyAsync(es.sign(claims()), source), 'ERR_JWKS_TIMEOUT');
  const elapsed = Date.now() - t0;
  assert.ok(elapsed >= 250 && elapsed < 2000, `took ${elapsed} ms`);
  // a body that trickles in too slowly counts as well: the timeout covers the body
  route.set({ delayMs: 0 });
  assert.equal((await jwt.verifyAsync(es.sign(claims()), source)).sub, 'user-1', 'the next call fetches again');
});

test('a fetch function that never settles is bounded by the timeout too', T, async () => {
  const source = jwt.createRemoteJWKSet('https://idp.example/jwks', { timeout: 200, fetch: () => new Promise(() => {}) });
  const t0 = Date.now();
  await rejectsWith(jwt.verifyAsync(es.sign(claims()), source), 'ERR_JWKS_TIMEOUT');
  assert.ok(Date.now() - t0 < 2000);
});

test('answers that are not a JWK Set are ERR_JWKS_INVALID', T, async () => {
  const cases = [
    ['HTTP 500', { status: 500, body: '{"keys":[]}' }],
    ['HTTP 404', { status: 404, body: 'not found' }],
    ['a redirect (not followed)', { redirect: 'http://127.0.0.1:1/elsewhere' }],
    ['HTML', { body: '<html>login</html>', contentType: 'text/html' }],
    ['JSON without keys', { body: '{"issuer":"x"}' }],
    ['keys not an array', { body: '{"keys":{}}' }],
    ['a JSON array', { body: '[]' }],
    ['a key that is not an object', { body: '{"keys":[1]}' }],
    ['more than 100 keys', { jwks: { keys: Array.from({ length: 101 }, () => es.publicJwk) } }],
    ['over 1 MiB', { body: `{"keys":[],"pad":"${'x'.repeat(1_100_000)}"}` }],
  ];
  for (const [what, config] of cases) {
    const route = server.route(config);
    const error = await rejectsWith(jwt.verifyAsync(es.sign(claims()), jwt.createRemoteJWKSet(route.url)), 'ERR_JWKS_INVALID');
    assert.ok(error.message.includes('JWK Set'), `${what}: ${error.message}`);
  }
});

test('a throwing fetch function is ERR_JWKS_FETCH_FAILED, and fetch gets GET with no redirects', T, async () => {
  const seen = [];
  const source = jwt.createRemoteJWKSet('https://idp.example/.well-known/jwks.json?tenant=1', {
    fetch: async (url, init) => {
      seen.push({ url, method: init.method, redirect: init.redirect, accept: init.headers.accept, signal: init.signal instanceof AbortSignal });
      throw new TypeError('no route');
    },
  });
  await rejectsWith(jwt.verifyAsync(es.sign(claims()), source), 'ERR_JWKS_FETCH_FAILED');
  assert.deepEqual(seen, [{ url: 'https://idp.example/.well-known/jwks.json?tenant=1', method: 'GET', redirect: 'manual', accept: 'application/jwk-set+json, application/json', signal: true }]);
});

// ---- persistent cache -----------------------------------------------------------------

test('the persistent cache is asked before fetching and written after; a new isolate uses it', T, async () => {
  const route = server.route({ jwks: jwks(es) });
  const cache = memoryCache();
  const token = es.sign(claims());
  await jwt.verifyAsync(token, jwt.createRemoteJWKSet(route.url, { cache }));
  assert.deepEqual(cache.calls, [['get', route.url], ['set', route.url]]);
  const stored = JSON.parse(cache.store.get(route.url));
  assert.deepEqual(stored.jwks, jwks(es));
  assert.ok(Math.abs(stored.fetchedAt - Date.now()) < 5000);
  // a second source stands for a fresh isolate: memory is empty, the persistent cache is not
  const second = jwt.createRemoteJWKSet(route.url, { cache });
  for (let i = 0; i < 5; i++) await jwt.verifyAsync(token, second);
  assert.equal(route.hits(), 1, 'served from the persistent cache');
  assert.deepEqual(cache.calls.slice(2), [['get', route.url]], 'asked once, then memory');
});

test('a persistent entry older than cacheMaxAge is not used', T, async () => {
  const route = server.route({ jwks: jwks(es) });
  const cache = memoryCache();
  cache.store.set(route.url, JSON.stringify({ jwks: jwks(ed), fetchedAt: Date.now() - 700_000 }));
  await jwt.verifyAsync(es.sign(claims()), jwt.createRemoteJWKSet(route.url, { cache }));
  assert.equal(route.hits(), 1);
  assert.deepEqual(JSON.parse(cache.store.get(route.url)).jwks, jwks(es), 'replaced by the fetched set');
});

test('a persistent entry counts as a fetch at its fetchedAt for the cooldown', T, async () => {
  const next = jwtkitKey(jwt, 'ES256');
  const route = server.route({ jwks: jwks(es, next) });
  const cache = memoryCache();
  cache.store.set(route.url, JSON.stringify({ jwks: jwks(es), fetchedAt: Date.now() }));
  const source = jwt.createRemoteJWKSet(route.url, { cache, cooldown: 1500 });
  await rejectsWith(jwt.verifyAsync(next.sign(claims()), source), 'ERR_JWKS_NO_MATCH');
  assert.equal(route.hits(), 0);
  await sleep(1600);
  assert.equal((await jwt.verifyAsync(next.sign(claims({ sub: 'n' })), source)).sub, 'n');
  assert.equal(route.hits(), 1);
});

test('a broken, slow or lying persistent cache is a miss, never a failure', T, async () => {
  const route = server.route({ jwks: jwks(es) });
  const token = es.sign(claims());
  const caches = {
    throwing: { get: async () => { throw new Error('kv down'); }, set: async () => { throw new Error('kv down'); } },
    hanging: { get: () => new Promise(() => {}), set: () => new Promise(() => {}) },
    garbage: { get: async () => ({ jwks: 'nope', fetchedAt: Date.now() }), set: async () => {} },
    future: { get: async () => ({ jwks: jwks(ed), fetchedAt: Date.now() + 3_600_000 }), set: async () => {} },
    synchronous: { get: () => undefined, set: () => {} },
  };
  for (const [name, cache] of Object.entries(caches)) {
    const t0 = Date.now();
    const got = await jwt.verifyAsync(token, jwt.createRemoteJWKSet(route.url, { cache, timeout: 300 }));
    assert.equal(got.sub, 'user-1', name);
    assert.ok(Date.now() - t0 < 3000, `${name}: ${Date.now() - t0} ms`);
  }
  assert.equal(route.hits(), Object.keys(caches).length);
});

// ---- verifyAsync with other keys, options ---------------------------------------------

test('verifyAsync takes everything verify takes, with the same results', T, async () => {
  const secret = jwt.generateSecret('HS256');
  const hs = jwt.sign({ a: 1 }, secret);
  assert.deepEqual(await jwt.verifyAsync(hs, secret), jwt.verify(hs, secret));
  const token = es.sign(claims());
  assert.equal((await jwt.verifyAsync(token, es.publicJwk)).sub, 'user-1');
  assert.equal((await jwt.verifyAsync(token, jwks(es, ed))).sub, 'user-1');
  assert.equal((await jwt.verifyAsync(token, jwt.exportPEM(es.publicJwk))).sub, 'user-1');
  assert.equal((await jwt.verifyAsync(token, jwt.importKey(es.publicJwk))).sub, 'user-1');
  await rejectsWith(jwt.verifyAsync(hs, 'another secret that is long enough to use'), 'ERR_JWS_INVALID_SIGNATURE');
  await rejectsWith(jwt.verifyAsync(token, undefined), 'ERR_KEY_INVALID');
  // a key function may be async, and may return a key source
  const route = server.route({ jwks: jwks(es) });
  const source = jwt.createRemoteJWKSet(route.url);
  let seenHeader;
  const got = await jwt.verifyAsync(token, async (header) => {
    seenHeader = header;
    return source;
  });
  assert.equal(got.sub, 'user-1');
  assert.equal(seenHeader.kid, es.kid);
  assert.equal((await jwt.verifyAsync(token, async () => es.publicJwk)).sub, 'user-1');
  await rejectsWith(jwt.verifyAsync(token, async () => () => es.publicJwk), 'ERR_KEY_INVALID');
});

test('a key source is opaque and frozen, and createRemoteJWKSet checks its arguments', T, () => {
  const source = jwt.createRemoteJWKSet('https://idp.example/jwks?secret=1');
  assert.ok(Object.isFrozen(source));
  assert.deepEqual(Object.keys(source).filter((k) => typeof source[k] !== 'function'), []);
  assert.equal(String(source), '[RemoteJWKSet https://idp.example/jwks]');
  assert.equal(JSON.stringify(source), '{"type":"RemoteJWKSet"}');
  const bad = (f) => assert.throws(f, (e) => e instanceof jwt.JsonWebTokenError && e.code === 'ERR_INVALID_OPTION');
  bad(() => jwt.createRemoteJWKSet('/relative'));
  bad(() => jwt.createRemoteJWKSet('file:///etc/passwd'));
  bad(() => jwt.createRemoteJWKSet(42));
  bad(() => jwt.createRemoteJWKSet('https://x/', { cacheMaxAge: -1 }));
  bad(() => jwt.createRemoteJWKSet('https://x/', { timeout: 0 }));
  bad(() => jwt.createRemoteJWKSet('https://x/', { timeout: Infinity }));
  bad(() => jwt.createRemoteJWKSet('https://x/', { cooldown: '30s' }));
  bad(() => jwt.createRemoteJWKSet('https://x/', { fetch: 'no' }));
  bad(() => jwt.createRemoteJWKSet('https://x/', { cache: { get() {} } }));
  bad(() => jwt.createRemoteJWKSet('https://x/', { cacheMaxAgee: 1 }));
  assert.ok(jwt.createRemoteJWKSet(new URL('https://idp.example/jwks')));
  // a look-alike object is not a key source
  const fake = Object.freeze({ ...source });
  assert.throws(() => jwt.verify(es.sign(claims()), fake), (e) => e.code === 'ERR_KEY_INVALID');
});

test('the default export and CommonJS carry the remote functions', T, async () => {
  assert.equal(typeof jwt.default.createRemoteJWKSet, 'function');
  assert.equal(typeof jwt.default.verifyAsync, 'function');
  assert.equal(typeof jwtCjs.createRemoteJWKSet, 'function');
  const route = server.route({ jwks: jwks(es) });
  const got = await jwtCjs.verifyAsync(es.sign(claims()), jwtCjs.createRemoteJWKSet(route.url));
  assert.equal(got.sub, 'user-1');
  // the CommonJS copy has its own classes: its errors are instances of its JsonWebTokenError
  const error = await jwtCjs.verifyAsync('x.y.z', jwtCjs.createRemoteJWKSet(route.url)).catch((e) => e);
  assert.ok(error instanceof jwtCjs.JsonWebTokenError);
  assert.equal(error.code, 'ERR_JWT_MALFORMED');
});

// ---- requests -------------------------------------------------------------------------

test('verifyRequestAsync answers as verifyRequest does, and 503 when the keys cannot be fetched', T, async () => {
  const route = server.route({ jwks: jwks(es) });
  const source = jwt.createRemoteJWKSet(route.url);
  const request = (token) => new Request('https://api.example/me', token ? { headers: { authorization: `Bearer ${token}` } } : {});
  const ok = await jwt.verifyRequestAsync(request(es.sign(claims())), source, { realm: 'api', audience: undefined });
  assert.equal(ok.ok, true);
  assert.equal(ok.claims.sub, 'user-1');
  assert.equal(ok.header.kid, es.kid);

  const missing = await jwt.verifyRequestAsync(request(), source, { realm: 'api' });
  assert.equal(missing.status, 401);
  assert.equal(missing.headers['WWW-Authenticate'], 'Bearer realm="api"');

  const expired = await jwt.verifyRequestAsync(request(es.sign(claims({ exp: nowSeconds() - 5 }))), source, { realm: 'api' });
  assert.equal(expired.status, 401);
  assert.equal(expired.error.code, 'ERR_JWT_EXPIRED');
  assert.match(expired.headers['WWW-Authenticate'], /error="invalid_token", error_description="The token has expired"/);

  const revoked = await jwt.verifyRequestAsync(request(es.sign(claims({ jti: 'x' }))), source, { isRevoked: (c) => c.jti === 'x' });
  assert.equal(revoked.status, 401);
  assert.equal(revoked.error.code, 'ERR_JWT_REVOKED');

  const port = await closedPort();
  const token = es.sign(claims());
  const down = await jwt.verifyRequestAsync(request(token), jwt.createRemoteJWKSet(`http://127.0.0.1:${port}/`), { realm: 'api' });
  assert.equal(down.status, 503);
  assert.equal(down.error.code, 'ERR_JWKS_FETCH_FAILED');
  const response = jwt.unauthorizedResponse(down);
  assert.equal(response.status, 503);
  const body = await response.text();
  assert.deepEqual(JSON.parse(body).error, 'server_error');
  assert.ok(!body.includes(token));

  const badOption = await jwt.verifyRequestAsync(request(token), source, { audiance: 'x' });
  assert.equal(badOption.status, 500);
});
