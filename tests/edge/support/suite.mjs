// The protection behaviour both examples must show (the Worker in workerd, the node:http
// server), as one table of node:test cases run against a server factory.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { hs256, algNone, octKey, secret, now, parseChallenge } from './tokens.mjs';
import { get, rawGet } from './http.mjs';

export const AUDIENCE = 'api';
export const ISSUER = 'https://issuer.test';

/** Waits (bounded) until `probe()` returns a truthy value. */
export async function waitFor(probe, timeoutMs = 3000, what = 'condition') {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function claims(extra = {}) {
  const t = now();
  return { sub: 'user-1', aud: AUDIENCE, iss: ISSUER, iat: t, exp: t + 300, scope: 'read', ...extra };
}

function assertInvalidToken(res, secrets = []) {
  assert.equal(res.status, 401, res.text);
  const c = parseChallenge(res.challenge);
  assert.equal(c?.scheme, 'Bearer', res.challenge);
  assert.equal(c.params.realm, 'api');
  assert.equal(c.params.error, 'invalid_token', res.challenge);
  assert.ok(c.params.error_description, 'error_description present');
  assert.match(c.params.error_description, /^[\x20\x21\x23-\x5b\x5d-\x7e]+$/, 'RFC 6750 error_description charset');
  for (const s of secrets) {
    for (const part of String(s).split('.').filter((p) => p.length > 8)) {
      assert.ok(!res.challenge.includes(part), 'the challenge never echoes the token or key');
      assert.ok(!res.text.includes(part), 'the body never echoes the token or key');
    }
  }
  return c;
}

function assertInvalidRequest(res) {
  assert.equal(res.status, 400, res.text);
  const c = parseChallenge(res.challenge);
  assert.equal(c?.scheme, 'Bearer', res.challenge);
  assert.equal(c.params.error, 'invalid_request', res.challenge);
  return c;
}

/**
 * @param {string} name
 * @param {(config: { secret?: string, jwks?: object, audience: string, issuer: string }) =>
 *   Promise<{ url: string, port: number, logs: () => object[], output?: () => string, stop: () => Promise<void> }>} start
 */
export function protectionSuite(name, start) {
  describe(name, () => {
    const key = secret();
    const otherKey = secret();
    const keyA = octKey('key-a');
    const keyB = octKey('key-b');
    const sent = []; // every token sent, to check the logs never hold one
    const mark = (token) => (sent.push(token), token);
    let plain, stage1, stage2, stage3;

    before(async () => {
      [plain, stage1, stage2, stage3] = await Promise.all([
        start({ secret: key, audience: AUDIENCE, issuer: ISSUER }),
        start({ jwks: { keys: [keyA.jwk] }, audience: AUDIENCE, issuer: ISSUER }),
        start({ jwks: { keys: [keyA.jwk, keyB.jwk] }, audience: AUDIENCE, issuer: ISSUER }),
        start({ jwks: { keys: [keyB.jwk] }, audience: AUDIENCE, issuer: ISSUER }),
      ]);
    });
    after(async () => {
      await Promise.all([plain, stage1, stage2, stage3].filter(Boolean).map((s) => s.stop()));
    });

    const api = (server, path = '/api/me') => `${server.url}${path}`;

    test('paths outside /api need no token', async () => {
      const res = await get(`${plain.url}/`);
      assert.equal(res.status, 200);
      assert.equal(res.text, 'public\n');
    });

    test('a valid token gets 200 and its verified claims from /api/me', async () => {
      const payload = claims();
      const res = await get(api(plain), { token: mark(hs256(payload, key)) });
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.json, { claims: payload });
      assert.equal(res.headers.get('cache-control'), 'no-store');
    });

    test('the scheme is case-insensitive and may be followed by several spaces', async () => {
      const token = mark(hs256(claims(), key));
      for (const authorization of [`bearer ${token}`, `BEARER ${token}`, `Bearer   ${token}`]) {
        const res = await get(api(plain), { authorization });
        assert.equal(res.status, 200, `${authorization.slice(0, 9)}: ${res.text}`);
      }
    });

    test('another verified /api path answers 404, not the claims', async () => {
      const res = await get(api(plain, '/api/other'), { token: mark(hs256(claims(), key)) });
      assert.equal(res.status, 404);
    });

    test('an expired token gets 401 invalid_token', async () => {
      const token = mark(hs256(claims({ iat: now() - 600, exp: now() - 60 }), key));
      const c = assertInvalidToken(await get(api(plain), { token }), [token, key]);
      assert.match(c.params.error_description, /expired/i);
    });

    test('a token not yet valid (nbf in the future) gets 401 invalid_token', async () => {
      const token = mark(hs256(claims({ nbf: now() + 600 }), key));
      assertInvalidToken(await get(api(plain), { token }), [token, key]);
    });

    test('a token signed with another key gets 401 invalid_token', async () => {
      const token = mark(hs256(claims(), otherKey));
      const c = assertInvalidToken(await get(api(plain), { token }), [token, key, otherKey]);
      assert.match(c.params.error_description, /signature/i);
    });

    test('a token whose payload was changed after signing gets 401 invalid_token', async () => {
      const [h, , s] = hs256(claims(), key).split('.');
      const forged = mark(`${h}.${Buffer.from(JSON.stringify(claims({ sub: 'admin' }))).toString('base64url')}.${s}`);
      assertInvalidToken(await get(api(plain), { token: forged }), [forged, key]);
    });

    test('an alg none token gets 401 invalid_token', async () => {
      const token = mark(algNone(claims()));
      assertInvalidToken(await get(api(plain), { token }), [token, key]);
    });

    test('a token for another audience gets 401 invalid_token', async () => {
      const token = mark(hs256(claims({ aud: 'billing' }), key));
      const c = assertInvalidToken(await get(api(plain), { token }), [token, key]);
      assert.ok(!c.params.error_description.includes(AUDIENCE), 'the expected audience is not disclosed');
    });

    test('a token from another issuer gets 401 invalid_token', async () => {
      const token = mark(hs256(claims({ iss: 'https://evil.test' }), key));
      assertInvalidToken(await get(api(plain), { token }), [token, key]);
    });

    test('a bearer value that is not a JWT gets 401 invalid_token', async () => {
      assertInvalidToken(await get(api(plain), { token: 'abc.def' }));
      assertInvalidToken(await get(api(plain), { token: 'not-a-jwt' }));
    });

    test('no Authorization header gets 401 with a challenge without error code', async () => {
      const res = await get(api(plain));
      assert.equal(res.status, 401);
      assert.equal(res.challenge, 'Bearer realm="api"');
    });

    test('another scheme (Basic) counts as no token: 401 without error code', async () => {
      const res = await get(api(plain), { authorization: 'Basic dXNlcjpwYXNz' });
      assert.equal(res.status, 401);
      assert.equal(res.challenge, 'Bearer realm="api"');
    });

    test('a malformed Authorization header gets 400 invalid_request', async () => {
      const token = hs256(claims(), key);
      for (const authorization of ['Bearer', `Bearer ${token} extra`, 'Bearer abc!def', `Bearer\t${token}`, 'Bearer ,', `Bearer "${token}"`]) {
        const res = await get(api(plain), { authorization });
        assertInvalidRequest(res);
        assert.ok(!res.challenge.includes(token.split('.')[2]), 'the challenge never echoes the header');
      }
    });

    test('two Authorization headers get 400 invalid_request', async () => {
      const token = hs256(claims(), key);
      const res = await rawGet(plain.port, '/api/me', [`Authorization: Bearer ${token}`, `Authorization: Bearer ${token}`]);
      assert.equal(res.status, 400, res.body);
      assert.equal(parseChallenge(res.headers['www-authenticate']).params.error, 'invalid_request');
    });

    test('rotation: a token signed with the only key of the set is accepted', async () => {
      const res = await get(api(stage1), { token: mark(hs256(claims(), keyA.bytes, { kid: 'key-a' })) });
      assert.equal(res.status, 200, res.text);
    });

    test('rotation: a token with a kid not in the set is refused', async () => {
      const token = mark(hs256(claims({ sub: 'new-key-too-early' }), keyB.bytes, { kid: 'key-b' }));
      assertInvalidToken(await get(api(stage1), { token }), [token, keyA.jwk.k, keyB.jwk.k]);
      const line = await waitFor(() => stage1.logs().find((l) => l.code === 'ERR_JWKS_NO_MATCH'), 3000, 'log line');
      assert.equal(line.outcome, 'deny');
    });

    test('rotation: while both keys are in the set, tokens of the old and the new kid are accepted', async () => {
      for (const [k, kid] of [[keyA, 'key-a'], [keyB, 'key-b']]) {
        const payload = claims({ sub: `user-of-${kid}` });
        const res = await get(api(stage2), { token: mark(hs256(payload, k.bytes, { kid })) });
        assert.equal(res.status, 200, `${kid}: ${res.text}`);
        assert.deepEqual(res.json.claims, payload);
      }
      const line = await waitFor(() => stage2.logs().find((l) => l.sub === 'user-of-key-b'), 3000, 'log line');
      assert.equal(line.kid, 'key-b');
      assert.equal(line.outcome, 'allow');
    });

    test('rotation: a token naming one kid but signed with the other key is refused', async () => {
      const token = mark(hs256(claims(), keyB.bytes, { kid: 'key-a' }));
      assertInvalidToken(await get(api(stage2), { token }), [token]);
    });

    test('rotation: a token without kid is refused when the set holds two keys', async () => {
      const token = mark(hs256(claims(), keyA.bytes));
      assertInvalidToken(await get(api(stage2), { token }), [token]);
    });

    test('rotation: once the old key is removed, its tokens are refused and the new ones accepted', async () => {
      const old = mark(hs256(claims(), keyA.bytes, { kid: 'key-a' }));
      assertInvalidToken(await get(api(stage3), { token: old }), [old]);
      const res = await get(api(stage3), { token: mark(hs256(claims(), keyB.bytes, { kid: 'key-b' })) });
      assert.equal(res.status, 200, res.text);
    });

    test('one structured log line per /api decision, never holding a token or key', async () => {
      const lines = await waitFor(() => {
        const l = plain.logs();
        return l.length >= 20 ? l : null;
      }, 3000, 'log lines');
      for (const line of lines) {
        assert.equal(line.msg, 'auth');
        assert.ok(['allow', 'deny', 'error'].includes(line.outcome), JSON.stringify(line));
        assert.ok('code' in line && 'sub' in line, JSON.stringify(line));
        assert.ok(line.path.startsWith('/api'), 'no line for public paths');
      }
      const allow = lines.find((l) => l.outcome === 'allow' && l.path === '/api/me');
      assert.equal(allow.sub, 'user-1');
      assert.equal(allow.code, null);
      assert.ok(lines.some((l) => l.code === 'ERR_JWT_EXPIRED'));
      assert.ok(lines.some((l) => l.code === 'ERR_BEARER_MISSING'));
      assert.ok(lines.some((l) => l.code === 'ERR_BEARER_MALFORMED' && l.status === 400));
      const everything = [plain, stage1, stage2, stage3].map((s) => (s.output ? s.output() : JSON.stringify(s.logs()))).join('\n');
      for (const token of sent) {
        for (const part of token.split('.').filter((p) => p.length > 8)) {
          assert.ok(!everything.includes(part), 'a token part appears in the logs');
        }
      }
      for (const k of [key, otherKey, keyA.jwk.k, keyB.jwk.k]) assert.ok(!everything.includes(k), 'a key appears in the logs');
    });
  });
}
