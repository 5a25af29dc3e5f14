// Where jwtkit's safe defaults differ from jsonwebtoken (the API it is a drop-in for), each
// difference shown side by side: the same call that jsonwebtoken accepts, jwtkit refuses with
// a stable code. SECURITY.md cites these tests. Both run in-process: jsonwebtoken from the
// workspace's devDependencies, jwtkit from the packed package.
//
// Run: node --test tests/interop/   (needs `make pkg`)
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { installPacked } from '../support/packed.mjs';

const jsonwebtoken = createRequire(import.meta.url)('jsonwebtoken');
const project = installPacked('interop');
const loader = join(project, 'load.mjs');
writeFileSync(loader, "export * from 'jwtkit';\n");
const jwt = await import(pathToFileURL(loader).href);

const SECRET = 'a-secret-of-exactly-thirty-two-b';
const b64 = (value) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const hmac = (input, secret = SECRET) =>
  createRequire(import.meta.url)('node:crypto').createHmac('sha256', secret).update(input).digest('base64url');
/** A token with this exact header and payload text, correctly signed with SECRET. */
const forge = (headerText, payloadText) => {
  const input = `${b64(headerText)}.${b64(payloadText)}`;
  return `${input}.${hmac(input)}`;
};

test('alg none: jsonwebtoken verifies an unsigned token when none is listed; jwtkit never does', () => {
  const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'admin' })}.`;
  assert.deepEqual(jsonwebtoken.verify(unsigned, undefined, { algorithms: ['none'] }), { sub: 'admin' });
  assert.throws(() => jwt.verify(unsigned, SECRET, { algorithms: ['none'] }), { code: 'ERR_INVALID_OPTION' });
  assert.throws(() => jwt.verify(unsigned, SECRET), { code: 'ERR_JWS_ALG_NOT_ALLOWED' });
  assert.throws(() => jwt.sign({}, SECRET, { algorithm: 'none' }), { code: /ERR_JWS_ALG_NOT_ALLOWED|ERR_INVALID_OPTION/ });
});

test('algorithms default to the key family in both (jsonwebtoken since v9): an RS256 header with a secret is refused', () => {
  const token = forge('{"alg":"RS256","typ":"JWT"}', '{"sub":"ada"}');
  assert.throws(() => jsonwebtoken.verify(token, SECRET), { message: 'invalid algorithm' });
  assert.throws(() => jwt.verify(token, SECRET), { code: 'ERR_JWS_ALG_NOT_ALLOWED' });
  // jwtkit also refuses it when the caller lists RS256: the key decides the family.
  assert.throws(() => jwt.verify(token, SECRET, { algorithms: ['RS256'] }), { code: /ERR_JWS_ALG_NOT_ALLOWED|ERR_INVALID_OPTION/ });
});

test('weak HMAC keys: jsonwebtoken signs and verifies with "secret"; jwtkit refuses unless allowWeakKey', () => {
  const token = jsonwebtoken.sign({ sub: 'ada' }, 'secret');
  assert.equal(jsonwebtoken.verify(token, 'secret').sub, 'ada');
  assert.throws(() => jwt.sign({ sub: 'ada' }, 'secret'), { code: 'ERR_KEY_TOO_WEAK', message: /generateSecret/ });
  assert.throws(() => jwt.verify(token, 'secret'), { code: 'ERR_KEY_TOO_WEAK' });
  assert.equal(jwt.verify(token, 'secret', { allowWeakKey: true }).sub, 'ada');
});

test('unit-less time spans: jsonwebtoken reads expiresIn "120" as 120 ms; jwtkit refuses it', () => {
  const token = jsonwebtoken.sign({ iat: 1000 }, SECRET, { expiresIn: '120' });
  assert.equal(jsonwebtoken.decode(token).exp, 1000, 'jsonwebtoken: expires at once, not in 2 minutes');
  assert.throws(() => jwt.sign({}, SECRET, { expiresIn: '120' }), { code: 'ERR_INVALID_OPTION', message: /120s|120/ });
  assert.equal(jwt.decode(jwt.sign({ iat: 1000 }, SECRET, { expiresIn: '120s' })).exp, 1120);
});

test('unknown verify options: jsonwebtoken ignores a misspelt "audiance"; jwtkit refuses it', () => {
  const token = jsonwebtoken.sign({ aud: 'other-api' }, SECRET);
  assert.equal(jsonwebtoken.verify(token, SECRET, { audiance: 'api' }).aud, 'other-api', 'the check silently did not run');
  assert.throws(() => jwt.verify(token, SECRET, { audiance: 'api' }), { code: 'ERR_INVALID_OPTION', message: /audiance/ });
  assert.throws(() => jwt.createVerifier(SECRET, { issuerr: 'x' }), { code: 'ERR_INVALID_OPTION' });
});

test('duplicate member names: jsonwebtoken reads the last one; jwtkit refuses the token', () => {
  const token = forge('{"alg":"HS256","typ":"JWT"}', '{"sub":"ada","admin":false,"admin":true}');
  assert.equal(jsonwebtoken.verify(token, SECRET).admin, true);
  assert.throws(() => jwt.verify(token, SECRET), { code: 'ERR_JWT_MALFORMED' });
  const escaped = forge('{"alg":"HS256","typ":"JWT"}', '{"sub":"ada","\\u0073ub":"root"}');
  assert.equal(jsonwebtoken.verify(escaped, SECRET).sub, 'root');
  assert.throws(() => jwt.verify(escaped, SECRET), { code: 'ERR_JWT_MALFORMED' });
});

test('crit: jsonwebtoken ignores critical extensions it does not know; jwtkit refuses them', () => {
  const token = forge('{"alg":"HS256","crit":["exp"],"exp":1}', '{"sub":"ada"}');
  assert.equal(jsonwebtoken.verify(token, SECRET).sub, 'ada');
  assert.throws(() => jwt.verify(token, SECRET), { code: 'ERR_JWS_CRIT_UNSUPPORTED' });
});

test('token length: jsonwebtoken decodes a 1 MB token; jwtkit refuses over 16 KB before decoding', () => {
  const big = jsonwebtoken.sign({ pad: 'x'.repeat(1 << 20) }, SECRET);
  assert.equal(jsonwebtoken.verify(big, SECRET).pad.length, 1 << 20);
  assert.throws(() => jwt.verify(big, SECRET), { code: 'ERR_JWT_TOO_LARGE' });
  assert.equal(jwt.verify(big, SECRET, { maxTokenLength: big.length }).pad.length, 1 << 20);
});

test('keys in the header (jwk, jku, x5u, x5c) are used by neither', () => {
  const attacker = 'attacker-secret-attacker-secret!';
  for (const member of ['jwk', 'jku', 'x5u', 'x5c']) {
    const value = member === 'jwk' ? { kty: 'oct', k: Buffer.from(attacker).toString('base64url') } : 'https://attacker.example/k';
    const header = JSON.stringify({ alg: 'HS256', [member]: value });
    const input = `${b64(header)}.${b64({ sub: 'admin' })}`;
    const token = `${input}.${hmac(input, attacker)}`;
    assert.throws(() => jsonwebtoken.verify(token, SECRET), { message: 'invalid signature' }, member);
    assert.throws(() => jwt.verify(token, SECRET), { code: 'ERR_JWS_INVALID_SIGNATURE' }, member);
  }
});

test('non-canonical base64url: jsonwebtoken accepts a signed part with non-zero unused bits; jwtkit refuses it', () => {
  // Both refuse padding and "+" "/" (jsonwebtoken through its shape check). Only the key holder
  // can make such a token, so this is strictness (one encoding per value), not an attack.
  const payload = b64({ sub: 'ada' }); // 'eyJzdWIiOiJhZGEifQ': 18 characters, 4 unused bits
  const last = payload.at(-1);
  const sibling = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.indexOf(last) + 1];
  const input = `${b64({ alg: 'HS256', typ: 'JWT' })}.${payload.slice(0, -1)}${sibling}`;
  const token = `${input}.${hmac(input)}`;
  assert.equal(jsonwebtoken.verify(token, SECRET).sub, 'ada');
  assert.throws(() => jwt.verify(token, SECRET), { code: 'ERR_JWT_MALFORMED' });
  const padded = `${jsonwebtoken.sign({ sub: 'ada' }, SECRET)}=`;
  assert.throws(() => jsonwebtoken.verify(padded, SECRET), { message: 'invalid token' });
  assert.throws(() => jwt.verify(padded, SECRET), { code: 'ERR_JWT_MALFORMED' });
});

test('weak RSA keys: jsonwebtoken verifies with a 1024-bit key; jwtkit refuses unless allowWeakKey', (t) => {
  if (typeof jwt.generateKeyPair !== 'function') return t.skip('this build of the package has no RSA');
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
  const token = jsonwebtoken.sign({ sub: 'ada' }, privateKey, { algorithm: 'RS256', allowInsecureKeySizes: true });
  assert.equal(jsonwebtoken.verify(token, publicKey).sub, 'ada');
  const pem = publicKey.export({ type: 'spki', format: 'pem' });
  assert.throws(() => jwt.verify(token, pem), { code: 'ERR_KEY_TOO_WEAK' });
  assert.equal(jwt.verify(token, pem, { allowWeakKey: true }).sub, 'ada');
  assert.throws(() => jsonwebtoken.sign({}, privateKey, { algorithm: 'RS256' }), /minimum key size of 2048/);
  assert.throws(() => jwt.sign({}, privateKey.export({ type: 'pkcs8', format: 'pem' }), { algorithm: 'RS256' }), { code: 'ERR_KEY_TOO_WEAK' });
});

test('an asymmetric public key is never an HMAC secret in jwtkit (jsonwebtoken v9 also refuses)', (t) => {
  if (typeof jwt.generateKeyPair !== 'function') return t.skip('this build of the package has no asymmetric keys');
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pem = publicKey.export({ type: 'spki', format: 'pem' });
  const input = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub: 'admin' })}`;
  const token = `${input}.${hmac(input, pem)}`;
  assert.throws(() => jsonwebtoken.verify(token, pem));
  assert.throws(() => jwt.verify(token, pem), { code: /ERR_JWS_ALG_NOT_ALLOWED|ERR_KEY_INVALID/ });
  assert.throws(() => jwt.verify(token, pem, { algorithms: ['HS256'] }), { code: /ERR_JWS_ALG_NOT_ALLOWED|ERR_KEY_INVALID|ERR_INVALID_OPTION/ });
});

test('imported keys print as redacted in jwtkit; jsonwebtoken has no key object of its own', () => {
  const key = jwt.importKey(SECRET);
  for (const text of [String(key), JSON.stringify(key), ...Object.values(key).map(String)]) {
    assert.ok(!text.includes(SECRET), text);
  }
});
