// The request helpers of the package (js/http.mjs), from the packed package in Node:
// bearerToken parsing per RFC 6750 2.1, verifyRequest results and challenges per RFC 6750 3,
// the fetch Response and node:http answers, and the Express-style middleware.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { installPackedEdge } from './support/packed-edge.mjs';
import { hs256, algNone, octKey, secret, now, parseChallenge } from './support/tokens.mjs';
import { rawGet } from './support/http.mjs';

const project = installPackedEdge();
writeFileSync(join(project, 'edge-entry.mjs'), "export * from 'jwtkit';\n");
const jwt = await import(join(project, 'edge-entry.mjs'));
const { bearerToken, verifyRequest, createRequestVerifier, unauthorizedResponse, sendUnauthorized, bearerAuth } = jwt;

const HELPERS = ['bearerToken', 'verifyRequest', 'createRequestVerifier', 'unauthorizedResponse', 'sendUnauthorized', 'bearerAuth'];
const JWT = hs256({ sub: 'a', exp: now() + 60 }, 'x'.repeat(32));

/** A Node IncomingMessage with the given raw header pairs, as node:http would build it. */
function incoming(pairs) {
  const msg = new IncomingMessage(new Socket());
  for (const [name, value] of pairs) {
    msg.rawHeaders.push(name, value);
    const lc = name.toLowerCase();
    if (lc === 'authorization' && msg.headers[lc] !== undefined) continue; // node keeps the first
    msg.headers[lc] = value;
  }
  return msg;
}

describe('exports', () => {
  test('every helper is exported by the ESM and the CommonJS entry', () => {
    const cjs = createRequire(join(project, 'package.json'))('jwtkit');
    for (const name of HELPERS) {
      assert.equal(typeof jwt[name], 'function', `ESM ${name}`);
      assert.equal(typeof cjs[name], 'function', `CJS ${name}`);
    }
  });
});

describe('bearerToken', () => {
  const cases = [
    // [Authorization value, expected kind, expected token]
    [`Bearer ${JWT}`, 'token', JWT],
    [`bearer ${JWT}`, 'token', JWT],
    [`BeArEr ${JWT}`, 'token', JWT],
    [`Bearer  ${JWT}`, 'token', JWT], // 1*SP
    [`  Bearer ${JWT}  `, 'token', JWT], // OWS around the field value
    ['Bearer abc+/~-._=', 'token', 'abc+/~-._='], // every b64token character, then padding
    ['Bearer abc==', 'token', 'abc=='],
    [undefined, 'missing'],
    ['', 'missing'],
    ['   ', 'missing'],
    ['Basic dXNlcjpwYXNz', 'missing'],
    [`Token ${JWT}`, 'missing'],
    [`Bearerx ${JWT}`, 'missing'],
    ['Bearer', 'malformed'],
    ['Bearer ', 'malformed'],
    [`Bearer\t${JWT}`, 'malformed'],
    [`Bearer ${JWT} x`, 'malformed'],
    ['Bearer a=b', 'malformed'], // `=` only at the end
    ['Bearer =abc', 'malformed'],
    ['Bearer abc!', 'malformed'],
    ['Bearer "abc"', 'malformed'],
    ['Bearer abc, Bearer def', 'malformed'], // two headers joined by fetch
    ['Bearer é', 'malformed'],
  ];
  for (const [value, kind, token] of cases) {
    test(`${JSON.stringify(value)?.slice(0, 40)} is ${kind}`, () => {
      const sources = [
        value,
        value === undefined ? new Headers() : new Headers({ authorization: value.trim() === value ? value : value.trim() }),
        value === undefined ? {} : { authorization: value },
        incoming(value === undefined ? [] : [['Authorization', value]]),
      ];
      if (value !== undefined && value.trim() === value) {
        sources.push(new Request('http://x/', { headers: { Authorization: value } }));
      }
      for (const source of sources) {
        const got = bearerToken(source);
        assert.equal(got.kind, kind, `${source?.constructor?.name}: ${JSON.stringify(got)}`);
        if (kind === 'token') assert.equal(got.token, token);
        if (kind === 'malformed') assert.equal(typeof got.message, 'string');
      }
    });
  }

  test('two Authorization headers of a Node request are malformed', () => {
    const got = bearerToken(incoming([['Authorization', `Bearer ${JWT}`], ['authorization', `Bearer ${JWT}`]]));
    assert.equal(got.kind, 'malformed');
  });

  test('an array value with two entries is malformed, with one entry is read', () => {
    assert.equal(bearerToken({ authorization: [`Bearer ${JWT}`, `Bearer ${JWT}`] }).kind, 'malformed');
    assert.equal(bearerToken({ authorization: [`Bearer ${JWT}`] }).token, JWT);
  });

  test('the malformed message never echoes the header', () => {
    const got = bearerToken(`Bearer ${JWT} trailing-secret-stuff`);
    assert.ok(!got.message.includes('trailing-secret-stuff'));
    assert.ok(!got.message.includes(JWT.split('.')[1]));
  });
});

describe('verifyRequest and createRequestVerifier', () => {
  const key = secret();
  const good = { sub: 'user-1', aud: 'api', iat: now(), exp: now() + 300 };
  const req = (authorization) => new Request('http://x/api', authorization === undefined ? {} : { headers: { authorization } });
  const check = createRequestVerifier(key, { audience: 'api', realm: 'example' });

  test('a valid token gives ok, the claims and the protected header', () => {
    const token = hs256(good, key, { cty: 'x' });
    for (const result of [check(req(`Bearer ${token}`)), verifyRequest(req(`Bearer ${token}`), key, { audience: 'api' })]) {
      assert.equal(result.ok, true, JSON.stringify(result));
      assert.deepEqual(result.claims, good);
      assert.deepEqual(result.header, { alg: 'HS256', typ: 'JWT', cty: 'x' });
    }
  });

  // API-CONTRACT: verify's key is a secret "or a JWK Set (chosen by kid ...)": the kid selects
  // within a set; jsonwebtoken and jose both verify a token that has a kid with a single key.
  test('a token with a kid verifies against a single secret, as in jsonwebtoken and jose', () => {
    const result = check(req(`Bearer ${hs256(good, key, { kid: 'k1' })}`));
    assert.equal(result.ok, true, `${result.error?.code}: ${result.error?.cause?.message}`);
    assert.equal(result.header.kid, 'k1');
  });

  test('no token: 401, a challenge with the realm and no error, code ERR_BEARER_MISSING', () => {
    const result = check(req());
    assert.equal(result.ok, false);
    assert.equal(result.status, 401);
    assert.deepEqual(result.headers, { 'WWW-Authenticate': 'Bearer realm="example"' });
    assert.equal(result.error.code, 'ERR_BEARER_MISSING');
  });

  test('without a realm the challenge is the bare scheme', () => {
    assert.equal(verifyRequest(req(), key).headers['WWW-Authenticate'], 'Bearer');
    const bad = verifyRequest(req('Bearer'), key);
    assert.match(bad.headers['WWW-Authenticate'], /^Bearer error="invalid_request", error_description="[^"]+"$/);
  });

  test('malformed header: 400 invalid_request, code ERR_BEARER_MALFORMED', () => {
    const result = check(req('Bearer a b'));
    assert.equal(result.status, 400);
    assert.equal(result.error.code, 'ERR_BEARER_MALFORMED');
    const c = parseChallenge(result.headers['WWW-Authenticate']);
    assert.deepEqual(Object.keys(c.params), ['realm', 'error', 'error_description']);
    assert.equal(c.params.error, 'invalid_request');
  });

  const failures = [
    ['expired', hs256({ ...good, exp: now() - 10 }, key), 'ERR_JWT_EXPIRED'],
    ['not yet valid', hs256({ ...good, nbf: now() + 100 }, key), 'ERR_JWT_NOT_ACTIVE'],
    ['wrong key', hs256(good, secret()), 'ERR_JWS_INVALID_SIGNATURE'],
    ['alg none', algNone(good), 'ERR_JWS_ALG_NOT_ALLOWED'],
    ['wrong audience', hs256({ ...good, aud: 'other' }, key), 'ERR_JWT_CLAIM_INVALID'],
    ['not a JWT', 'abc.def', 'ERR_JWT_MALFORMED'],
  ];
  for (const [what, token, code] of failures) {
    test(`${what}: 401 invalid_token, code ${code}, a description without token or key`, () => {
      const result = check(req(`Bearer ${token}`));
      assert.equal(result.ok, false);
      assert.equal(result.status, 401);
      assert.equal(result.error.code, code, result.error.cause?.message);
      assert.ok(result.error.cause instanceof Error, 'the verify error is kept as cause');
      const c = parseChallenge(result.headers['WWW-Authenticate']);
      assert.equal(c.params.realm, 'example');
      assert.equal(c.params.error, 'invalid_token');
      assert.equal(c.params.error_description, result.error.message);
      assert.match(result.error.message, /^[\x20\x21\x23-\x5b\x5d-\x7e]+$/);
      for (const part of [...token.split('.'), key].filter((p) => p.length > 3)) {
        assert.ok(!result.headers['WWW-Authenticate'].includes(part));
      }
      assert.ok(!result.error.message.includes('api'), 'the expected audience is not disclosed');
    });
  }

  test('an expired token keeps the TokenExpiredError as cause, with expiredAt', () => {
    const exp = now() - 10;
    const result = check(req(`Bearer ${hs256({ ...good, exp }, key)}`));
    assert.ok(result.error.cause instanceof jwt.TokenExpiredError);
    assert.equal(result.error.cause.expiredAt.getTime(), exp * 1000);
  });

  test('a JWK Set picks the key by kid', () => {
    const a = octKey('a');
    const b = octKey('b');
    const rotate = createRequestVerifier({ keys: [a.jwk, b.jwk] });
    assert.equal(rotate(req(`Bearer ${hs256(good, b.bytes, { kid: 'b' })}`)).ok, true);
    const unknown = rotate(req(`Bearer ${hs256(good, b.bytes, { kid: 'c' })}`));
    assert.equal(unknown.status, 401);
    assert.equal(unknown.error.code, 'ERR_JWKS_NO_MATCH');
  });

  test('isRevoked refuses a verified token: 401 invalid_token, code ERR_JWT_REVOKED', () => {
    const denied = new Set(['j1']);
    const c = createRequestVerifier(key, { isRevoked: (claims) => denied.has(claims.jti) });
    assert.equal(c(req(`Bearer ${hs256({ ...good, jti: 'j2' }, key)}`)).ok, true);
    const result = c(req(`Bearer ${hs256({ ...good, jti: 'j1' }, key)}`));
    assert.equal(result.status, 401);
    assert.equal(result.error.code, 'ERR_JWT_REVOKED');
    assert.equal(parseChallenge(result.headers['WWW-Authenticate']).params.error, 'invalid_token');
  });

  test('a throwing isRevoked is a server error (500, no challenge)', () => {
    const c = createRequestVerifier(key, { isRevoked: () => { throw new Error('store down'); } });
    const result = c(req(`Bearer ${hs256(good, key)}`));
    assert.equal(result.status, 500);
    assert.deepEqual(result.headers, {});
  });

  test('a failing key function is a server error; one throwing a verify error answers 401', () => {
    const token = hs256(good, key);
    const down = new Error('store down');
    const failed = verifyRequest(req(`Bearer ${token}`), () => { throw down; });
    assert.equal(failed.status, 500);
    assert.equal(failed.error.code, 'ERR_INTERNAL');
    assert.equal(failed.error.cause, down);
    assert.deepEqual(failed.headers, {});
    const unknown = verifyRequest(req(`Bearer ${token}`), () => { throw new jwt.JsonWebTokenError('unknown kid', 'ERR_JWKS_NO_MATCH'); });
    assert.equal(unknown.status, 401);
    assert.equal(unknown.error.code, 'ERR_JWKS_NO_MATCH');
  });

  test('realm and scope are quoted-strings with quotes and backslashes escaped', () => {
    const c = createRequestVerifier(key, { realm: 'a "b" \\c', scope: ['read', 'write'] });
    const result = c(req());
    assert.equal(result.headers['WWW-Authenticate'], 'Bearer realm="a \\"b\\" \\\\c", scope="read write"');
    assert.equal(parseChallenge(result.headers['WWW-Authenticate']).params.realm, 'a "b" \\c');
  });

  test('a realm with a line break is refused when the verifier is made', () => {
    assert.throws(() => createRequestVerifier(key, { realm: 'a\r\nSet-Cookie: x=y' }), { code: 'ERR_INVALID_OPTION' });
  });

  test('a secret too weak for the token algorithm answers 401 invalid_token, not a 500 a client can cause', () => {
    const secret40 = 'k'.repeat(40); // enough for HS256, too short for HS512
    const hs512 = `${Buffer.from('{"alg":"HS512","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify(good)).toString('base64url')}.AAAA`;
    // By default such a secret does not allow HS512 at all; listed, it is too weak for it.
    for (const [options, code] of [[undefined, 'ERR_JWS_ALG_NOT_ALLOWED'], [{ algorithms: ['HS256', 'HS512'] }, 'ERR_KEY_TOO_WEAK']]) {
      for (const result of [createRequestVerifier(secret40, options)(req(`Bearer ${hs512}`)), verifyRequest(req(`Bearer ${hs512}`), secret40, options)]) {
        assert.equal(result.status, 401, JSON.stringify(result));
        assert.equal(result.error.code, code);
        assert.equal(parseChallenge(result.headers['WWW-Authenticate']).params.error, 'invalid_token');
      }
    }
  });

  test('bad options are refused when the verifier is made, and answer 500 one-shot', () => {
    assert.throws(() => createRequestVerifier(key, { audiance: 'api' }), { code: 'ERR_INVALID_OPTION' });
    const result = verifyRequest(req(`Bearer ${hs256(good, key)}`), key, { audiance: 'api' });
    assert.equal(result.status, 500);
    assert.deepEqual(result.headers, {});
    assert.equal(result.error.code, 'ERR_INVALID_OPTION');
  });

  test('realm, scope and isRevoked are taken out before the options reach verify', () => {
    assert.doesNotThrow(() => createRequestVerifier(key, { realm: 'r', scope: 's', isRevoked: () => false }));
  });
});

describe('unauthorizedResponse and sendUnauthorized', () => {
  const key = secret();
  const check = createRequestVerifier(key, { realm: 'api' });

  test('a fetch Response with status, challenge, no-store and a JSON body', async () => {
    const expired = hs256({ sub: 'a', exp: now() - 5 }, key);
    const result = check(new Request('http://x/', { headers: { authorization: `Bearer ${expired}` } }));
    const res = unauthorizedResponse(result);
    assert.equal(res.status, 401);
    assert.equal(res.headers.get('www-authenticate'), result.headers['WWW-Authenticate']);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.match(res.headers.get('content-type'), /^application\/json/);
    assert.deepEqual(await res.json(), { error: 'invalid_token', error_description: result.error.message });
  });

  test('missing and malformed bodies name no RFC 6750 code and invalid_request', async () => {
    assert.deepEqual(await unauthorizedResponse(check(new Headers())).json(), {
      error: 'unauthorized',
      error_description: 'A bearer token is required',
    });
    assert.equal((await unauthorizedResponse(check('Bearer')).json()).error, 'invalid_request');
  });

  test('a successful result is refused', () => {
    assert.throws(() => unauthorizedResponse({ ok: true, claims: {} }), TypeError);
  });

  test('sendUnauthorized writes the same answer to a node:http response', async () => {
    const server = createServer((req, res) => sendUnauthorized(res, check(req)));
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    try {
      const res = await rawGet(server.address().port, '/', ['Authorization: Bearer a b']);
      assert.equal(res.status, 400);
      assert.equal(parseChallenge(res.headers['www-authenticate']).params.error, 'invalid_request');
      assert.equal(JSON.parse(res.body).error, 'invalid_request');
    } finally {
      server.close();
    }
  });
});

describe('bearerAuth middleware', () => {
  const key = secret();
  let server;
  let port;
  const seen = [];

  before(async () => {
    const auth = bearerAuth(key, { realm: 'api', requestProperty: 'user' });
    const custom = bearerAuth(key, { onFailure: (result, req, res) => res.writeHead(418).end(result.error.code) });
    server = createServer((req, res) => {
      const mw = req.url.startsWith('/custom') ? custom : auth;
      mw(req, res, () => {
        seen.push(req.user ?? req.auth);
        res.writeHead(200).end('next');
      });
    });
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    port = server.address().port;
  });
  after(() => new Promise((r) => server.close(r)));

  test('on success it sets req[requestProperty] = { claims, header } and calls next', async () => {
    const res = await rawGet(port, '/', [`Authorization: Bearer ${hs256({ sub: 'm', exp: now() + 60 }, key)}`]);
    assert.equal(res.status, 200);
    assert.equal(res.body, 'next');
    assert.equal(seen.at(-1).claims.sub, 'm');
    assert.equal(seen.at(-1).header.alg, 'HS256');
  });

  test('on failure it answers and does not call next', async () => {
    const before = seen.length;
    const res = await rawGet(port, '/', []);
    assert.equal(res.status, 401);
    assert.equal(res.headers['www-authenticate'], 'Bearer realm="api"');
    assert.equal(seen.length, before);
  });

  test('onFailure replaces the answer', async () => {
    const res = await rawGet(port, '/custom', ['Authorization: Bearer x.y.z']);
    assert.equal(res.status, 418);
    assert.equal(res.body, 'ERR_JWT_MALFORMED');
  });
});
