// The inspector's pure logic (www/logic.mjs) under Node: the same module the page runs,
// given the package's Node entry instead of the browser one.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import crypto, { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import jwt from 'jsonwebtoken';
import * as L from '../../www/logic.mjs';
import * as T from '../../www/text.mjs';
import { pkgDir, here } from './browser.mjs';

const A1_TOKEN =
  'eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9' +
  '.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ' +
  '.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const A1_KEY = 'AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow';
const A1_EXP_MS = 1300819380 * 1000;
const b64u = (value) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

describe('reading what the user pasted', () => {
  test('a Bearer prefix, quotes and whitespace anywhere are skipped, with a map back to the input', () => {
    const cases = [
      [A1_TOKEN, A1_TOKEN],
      [`Bearer ${A1_TOKEN}`, A1_TOKEN],
      [`  bearer\t${A1_TOKEN}\n`, A1_TOKEN],
      [`Authorization: Bearer ${A1_TOKEN}`, A1_TOKEN],
      [`"${A1_TOKEN}"`, A1_TOKEN],
      [`${A1_TOKEN.slice(0, 50)}\r\n  ${A1_TOKEN.slice(50)}`, A1_TOKEN],
      ['   ', ''],
    ];
    for (const [input, want] of cases) {
      const { token, map } = L.normaliseToken(input);
      assert.equal(token, want, JSON.stringify(input));
      assert.equal(map.length, token.length);
      for (let i = 0; i < token.length; i++) assert.equal(input[map[i]], token[i]);
    }
  });

  test('colour runs cover the input exactly and name each part', () => {
    const input = `Bearer ${A1_TOKEN.replace('.', '.\n')}`;
    const { token, map } = L.normaliseToken(input);
    const runs = L.colourRuns(input, map, L.splitParts(token));
    assert.equal(runs.map((r) => r.text).join(''), input);
    assert.deepEqual(
      runs.map((r) => r.kind),
      ['ignored', 'header', 'dot', 'ignored', 'payload', 'dot', 'signature'],
    );
    const withError = L.colourRuns(input, map, L.splitParts(token), 3);
    assert.deepEqual(withError.filter((r) => r.kind === 'error').map((r) => r.text), [token[3]]);
  });

  test('base64url secrets decode like Buffer does, and bad characters are located', () => {
    for (let n = 0; n < 200; n++) {
      const bytes = randomBytes(n % 70);
      const text = bytes.toString('base64url');
      assert.deepEqual(Buffer.from(L.decodeBase64url(text).bytes), bytes);
      assert.equal(L.encodeBase64url(bytes), text);
      assert.deepEqual(Buffer.from(L.decodeBase64url(bytes.toString('base64')).bytes), bytes, 'standard base64 is accepted too');
    }
    assert.deepEqual(L.decodeBase64url('abc*def').error, { kind: 'char', position: 3, ch: '*' });
    assert.equal(L.decodeBase64url('abcde').error.kind, 'length');
    assert.deepEqual(L.secretToKey('', 'utf8'), { empty: true });
    assert.deepEqual(L.secretToKey('Zoë', 'utf8'), { key: 'Zoë', length: 4 });
  });
});

describe('JSON editors', () => {
  test('the scanner accepts exactly what JSON.parse accepts', () => {
    const samples = [
      '{}', '[]', '{"a":1}', '{"a":[1,2,{"b":null}]}', ' {"a" : "\\u00e9\\n"} ', '-0.5e+10', '"x"', 'true',
      '{', '{"a":}', '{"a":1,}', '[1,]', '{a:1}', "{'a':1}", '{"a":01}', '{"a":1.}', '{"a":.5}', '{"a":"\\x"}',
      '{"a":"\t"}', '{"a":1}}', 'nul', '{"a":1 "b":2}', '', '[1 2]', '{"a":-}', '{"a":1e}', '"\\u12"',
    ];
    for (const text of samples) {
      let parses = true;
      try {
        JSON.parse(text);
      } catch {
        parses = false;
      }
      assert.equal(L.scanJson(text) === null, parses, JSON.stringify(text));
    }
  });

  test('errors give the line and column, with a message for each kind', () => {
    const cases = [
      ['{\n  "sub": "x",\n}', 'expected-key', 3, 1],
      ['{"a" 1}', 'expected-colon', 1, 6],
      ['{"a": 1 "b": 2}', 'expected-comma-object', 1, 9],
      ['{"a": [1 2]}', 'expected-comma-array', 1, 10],
      ['{"a": "x\\q"}', 'bad-escape', 1, 10],
      ['{"a": tru}', 'unexpected-char', 1, 7],
      ['{"a": 1', 'unexpected-end', 1, 8],
      ['{} x', 'trailing', 1, 4],
    ];
    for (const [text, kind, line, column] of cases) {
      const { error } = L.parseJsonObject(text);
      assert.ok(error, text);
      assert.deepEqual([error.kind, error.line, error.column], [kind, line, column], text);
      assert.ok(T.JSON_ERRORS[kind], `no text for ${kind}`);
    }
    assert.equal(L.parseJsonObject('[1]').error.kind, 'not-object');
    assert.deepEqual(L.parseJsonObject('{"a":1}').value, { a: 1 });
  });

  test('pretty JSON runs reproduce JSON.stringify and tag top-level members', () => {
    const value = { alg: 'HS256', nested: { a: [1, 'two', null, true] }, empty: {}, list: [] };
    const runs = L.jsonRuns(value);
    assert.equal(runs.map((r) => r.text).join(''), JSON.stringify(value, null, 2));
    assert.deepEqual(
      runs.filter((r) => r.kind === 'key').map((r) => r.key),
      ['alg', 'nested', 'nested', 'empty', 'list'],
    );
  });
});

describe('dates', () => {
  test('relative spans are truncated to the largest whole unit', () => {
    assert.deepEqual(L.relativeSpan(3599), { value: 59, unit: 'minute' });
    assert.deepEqual(L.relativeSpan(-150), { value: -2, unit: 'minute' });
    assert.deepEqual(L.relativeSpan(86400 * 3), { value: 3, unit: 'day' });
    assert.deepEqual(L.relativeSpan(-86400 * 400), { value: -1, unit: 'year' });
    assert.deepEqual(L.relativeSpan(0), { value: 0, unit: 'second' });
  });

  test('time claims read as ISO and relative phrases', () => {
    const now = Date.UTC(2026, 0, 1);
    const exp = T.describeTime('exp', L.timeInfo('exp', now / 1000 + 3540, now));
    assert.equal(exp.phrase, 'expires in 59 minutes');
    assert.equal(exp.iso, '2026-01-01T00:59:00Z');
    assert.equal(T.describeTime('exp', L.timeInfo('exp', 1300819380, now)).phrase, 'expired 14 years ago');
    assert.equal(T.describeTime('iat', L.timeInfo('iat', now / 1000 - 7200, now)).phrase, 'issued 2 hours ago');
    assert.equal(T.describeTime('nbf', L.timeInfo('nbf', now / 1000 + 86400, now)).phrase, 'becomes valid in 1 day');
    assert.equal(L.timeInfo('exp', 'soon', now), null);
    assert.equal(L.timeInfo('exp', 1e300, now), null);
    assert.equal(L.timeInfo('exp', now / 1000, now).inForce, false, 'exp is exclusive');
    assert.equal(L.timeInfo('nbf', now / 1000, now).inForce, true, 'nbf is inclusive');
  });
});

describe('key boxes', () => {
  const ec = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const spki = ec.publicKey.export({ type: 'spki', format: 'pem' });

  test('PEM is found with any indentation, text around it, escaped line breaks or an EC PARAMETERS block first', () => {
    const cases = [
      [spki, false],
      [spki.replace(/^/gm, '    '), false],
      [`the issuer's key:\n${spki}\nthanks`, false],
      [JSON.stringify(spki), true],
      [spki.replace(/\n/g, '\r\n'), false],
    ];
    for (const [text, escaped] of cases) {
      const parsed = L.parseKeyText(text);
      assert.equal(parsed.format, 'pem', text);
      assert.equal(parsed.label, 'PUBLIC KEY');
      assert.equal(parsed.role, 'public');
      assert.equal(parsed.key, spki, 'the block is cleaned to the standard layout');
      assert.equal(parsed.escaped, escaped);
    }
    const sec1 = ec.privateKey.export({ type: 'sec1', format: 'pem' });
    const withParams = `-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n${sec1}`;
    assert.deepEqual(
      (({ label, form, private: p, blocks }) => ({ label, form, private: p, blocks }))(L.parseKeyText(withParams)),
      { label: 'EC PRIVATE KEY', form: 'SEC1', private: true, blocks: 1 },
    );
    assert.equal(L.parseKeyText(spki + spki).blocks, 2);
  });

  test('JWKs and JWK Sets are recognised; everything else gets a reason', () => {
    const jwk = ec.publicKey.export({ format: 'jwk' });
    assert.deepEqual(
      (({ format, family, private: p }) => ({ format, family, private: p }))(L.parseKeyText(JSON.stringify(jwk))),
      { format: 'jwk', family: 'P-256', private: false },
    );
    assert.equal(L.parseKeyText(JSON.stringify(ec.privateKey.export({ format: 'jwk' }))).private, true);
    const set = L.parseKeyText(JSON.stringify({ keys: [jwk, { kty: 'RSA', n: 'AQAB', e: 'AQAB' }] }));
    assert.deepEqual([set.format, set.count, set.families], ['jwks', 2, ['P-256', 'RSA']]);
    const errors = [
      ['{"kty": "EC",}', 'json'],
      ['[1, 2]', 'not-object'],
      ['{"crv": "P-256"}', 'jwk-no-kty'],
      ['{"kty": "oct", "k": "AAAA"}', 'jwk-oct'],
      ['{"keys": []}', 'jwks-empty'],
      ['-----BEGIN PUBLIC KEY-----\nMFkw', 'pem-incomplete'],
      ['-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----', 'pem-label'],
      ['-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----', 'pem-encrypted'],
      ['-----BEGIN PUBLIC KEY-----\nMF*w\n-----END PUBLIC KEY-----', 'pem-base64'],
      ['-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PRIVATE KEY-----', 'pem-mismatch'],
      ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG user@host', 'ssh'],
      [spki.split('\n').slice(1, -2).join('\n'), 'bare-base64'],
      ['hunter2', 'unknown'],
    ];
    for (const [text, kind] of errors) {
      const { error } = L.parseKeyText(text);
      assert.equal(error?.kind, kind, text);
      assert.ok(T.keyFormatError(error).length > 10, `no text for ${kind}`);
    }
    assert.deepEqual(L.parseKeyText('  \n '), { empty: true });
    assert.equal(L.parseKeyText('{"kty": "EC",}').error.line, 1);
  });

  test('algorithm and key families, RSA sizes and RFC 7638 key identity', () => {
    assert.deepEqual(L.ALGORITHMS.map(L.algFamily), ['hmac', 'hmac', 'hmac', 'RSA', 'RSA', 'RSA', 'RSA', 'RSA', 'RSA', 'P-256', 'P-384', 'P-521', 'Ed25519']);
    assert.deepEqual(L.familyAlgs('RSA'), ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512']);
    assert.deepEqual(L.familyAlgs('P-521'), ['ES512']);
    const { publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    assert.equal(L.rsaBits(publicKey.export({ format: 'jwk' }).n), 2048);
    assert.equal(L.rsaBits(Buffer.from([0, 0x80, 0, 0]).toString('base64url')), 24, 'leading zero bytes do not count');
    assert.equal(L.rsaBits(Buffer.from([0x01, 0xff]).toString('base64url')), 9);
    assert.equal(L.rsaBits('not*base64'), null);
    const a = ec.publicKey.export({ format: 'jwk' });
    assert.equal(L.samePublicKey(a, { ...a, kid: 'x', alg: 'ES256' }), true);
    assert.equal(L.samePublicKey(a, { ...a, x: a.y }), false);
    assert.equal(L.samePublicKey(a, null), false);
  });

  test('keys named by the header are described without being used', () => {
    const jwk = ec.publicKey.export({ format: 'jwk' });
    const list = L.embeddedKeys({ alg: 'ES256', jwk, x5c: ['MIIB', 'MIIC'], jku: 'https://a.example/jwks', x5u: 'https://a.example/c.pem' });
    assert.deepEqual(
      list.map((i) => [i.member, i.family ?? i.count ?? i.url]),
      [['jwk', 'P-256'], ['x5c', 2], ['jku', 'https://a.example/jwks'], ['x5u', 'https://a.example/c.pem']],
    );
    assert.deepEqual(L.embeddedKeys({ alg: 'HS256' }), []);
    assert.deepEqual(L.embeddedKeys(null), []);
  });
});

describe('with the package', () => {
  let lib;
  before(async () => {
    const entry = join(pkgDir, 'index.mjs');
    assert.ok(existsSync(entry), `${entry} is missing: run \`make pkg\` first`);
    lib = await import(entry);
  });
  const settings = (over = {}) => ({ secret: '', encoding: 'utf8', audience: '', issuer: '', currentTime: null, ...over });

  test('the A.1 token: not checked, verified, invalid, and the claims judged at the check time', () => {
    const now = Date.UTC(2026, 0, 1);
    assert.equal(L.analyse(lib, A1_TOKEN, settings(), now).verdict, 'unchecked');
    const right = L.analyse(lib, A1_TOKEN, settings({ secret: A1_KEY, encoding: 'base64url' }), now);
    assert.equal(right.verdict, 'verified');
    assert.equal(right.claimsCheck.code, 'ERR_JWT_EXPIRED');
    assert.equal(L.analyse(lib, A1_TOKEN, settings({ secret: A1_KEY }), now).verdict, 'invalid');
    const then = L.analyse(lib, A1_TOKEN, settings({ secret: A1_KEY, encoding: 'base64url', currentTime: A1_EXP_MS - 1000 }), now);
    assert.deepEqual(then.claimsCheck, { ok: true });
    assert.equal(L.analyse(lib, A1_TOKEN, settings({ secret: A1_KEY, encoding: 'base64url', currentTime: A1_EXP_MS }), now).claimsCheck.code, 'ERR_JWT_EXPIRED');
  });

  test('malformed tokens name the part and the token index of the problem', () => {
    const bad = `${A1_TOKEN.slice(0, 10)}!${A1_TOKEN.slice(11)}`;
    const r = L.analyse(lib, `Bearer ${bad}`, settings(), Date.now());
    assert.equal(r.verdict, 'malformed');
    assert.equal(r.malformed.part, 'header');
    assert.equal(r.malformed.index, 10);
    assert.equal(r.token[r.malformed.index], '!');

    const json = L.analyse(lib, `${b64u({ alg: 'HS256' })}.${b64u('{"sub": "x",}')}.abc`, settings(), Date.now());
    assert.equal(json.malformed.part, 'payload');
    assert.equal(json.malformed.line, 1);
    assert.ok(json.malformed.index > json.parts[1].start && json.malformed.index < json.parts[1].end);

    const sig = L.analyse(lib, `${A1_TOKEN.slice(0, -1)}*`, settings(), Date.now());
    assert.equal(sig.malformed.part, 'signature');
    assert.equal(sig.malformed.index, A1_TOKEN.length - 1);

    assert.equal(L.analyse(lib, 'abc', settings(), Date.now()).malformed.count, 1);
    assert.equal(L.analyse(lib, `${A1_TOKEN}.x.y`, settings(), Date.now()).malformed.count, 5);
  });

  /** A compact JWS signed by Node's crypto (the oracle), as the browser tests do. */
  const nodeJws = (alg, key, payload, extra = {}) => {
    const input = `${b64u({ alg, typ: 'JWT', ...extra })}.${b64u(payload)}`;
    const bits = alg.slice(2);
    const params = alg.startsWith('ES') ? { key, dsaEncoding: 'ieee-p1363' } : alg.startsWith('PS') ? { key, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: bits / 8 } : key;
    return `${input}.${crypto.sign(alg === 'EdDSA' ? null : `sha${bits}`, Buffer.from(input), params).toString('base64url')}`;
  };

  test('RS/PS/ES/EdDSA tokens: the public key box decides, inspect gives the signature status', () => {
    const now = Date.now();
    const pairs = {
      PS384: crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }),
      ES384: crypto.generateKeyPairSync('ec', { namedCurve: 'P-384' }),
      ES512: crypto.generateKeyPairSync('ec', { namedCurve: 'P-521' }),
      EdDSA: crypto.generateKeyPairSync('ed25519'),
    };
    for (const [alg, pair] of Object.entries(pairs)) {
      const token = nodeJws(alg, pair.privateKey, { sub: alg, aud: 'api', exp: now / 1000 + 60 });
      const pem = pair.publicKey.export({ type: 'spki', format: 'pem' });
      const none = L.analyse(lib, token, settings(), now);
      assert.deepEqual([none.verdict, none.keyKind, none.reason.kind], ['unchecked', 'public', 'need-public-key'], alg);
      const ok = L.analyse(lib, token, settings({ publicKey: pem }), now);
      assert.equal(ok.verdict, 'verified', alg);
      assert.deepEqual(ok.claimsCheck, { ok: true });
      assert.equal(ok.publicKey.info.family, L.algFamily(alg));
      const aud = L.analyse(lib, token, settings({ publicKey: pem, audience: 'other' }), now);
      assert.deepEqual([aud.verdict, aud.claimsCheck.code], ['verified', 'ERR_JWT_CLAIM_INVALID']);
      const late = L.analyse(lib, token, settings({ publicKey: pem, currentTime: now + 120_000 }), now);
      assert.equal(late.claimsCheck.code, 'ERR_JWT_EXPIRED');
      const jwk = JSON.stringify(pair.publicKey.export({ format: 'jwk' }));
      assert.equal(L.analyse(lib, token, settings({ publicKey: jwk }), now).verdict, 'verified', alg);
      const tampered = `${token.slice(0, -6)}${token.slice(-6) === 'AAAAAA' ? 'BBBBBB' : 'AAAAAA'}`;
      assert.equal(L.analyse(lib, tampered, settings({ publicKey: pem }), now).verdict, 'invalid', alg);
      // the secret box plays no part in a public-key token
      assert.equal(L.analyse(lib, token, settings({ secret: 'x'.repeat(40) }), now).verdict, 'unchecked');
    }
    // a key of another family: invalid, and why
    const es = nodeJws('ES384', pairs.ES384.privateKey, { sub: 'x' });
    const wrong = L.analyse(lib, es, settings({ publicKey: pairs.PS384.publicKey.export({ type: 'spki', format: 'pem' }) }), now);
    assert.deepEqual(wrong.reason, { kind: 'key-family', alg: 'ES384', family: 'RSA', need: 'P-384' });
    // unreadable and unusable keys: not checked
    assert.equal(L.analyse(lib, es, settings({ publicKey: 'hunter2' }), now).reason.kind, 'public-key-format');
    const broken = L.analyse(lib, es, settings({ publicKey: '-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----' }), now);
    assert.deepEqual([broken.verdict, broken.reason.kind], ['unchecked', 'key']);
  });

  test('a key the token brings along is recognised when typed in, and never picked up by itself', () => {
    const attacker = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = attacker.publicKey.export({ format: 'jwk' });
    const token = nodeJws('ES256', attacker.privateKey, { sub: 'admin' }, { jwk });
    const alone = L.analyse(lib, token, settings(), Date.now());
    assert.equal(alone.verdict, 'unchecked');
    assert.deepEqual(alone.embedded.map((e) => e.member), ['jwk']);
    assert.ok(alone.warnings.some((w) => w.code === 'EMBEDDED_KEY'));
    const typed = L.analyse(lib, token, settings({ publicKey: JSON.stringify(jwk) }), Date.now());
    assert.deepEqual([typed.verdict, typed.publicKey.fromToken], ['verified', 'jwk']);
    const inSet = L.analyse(lib, token, settings({ publicKey: JSON.stringify({ keys: [jwk] }) }), Date.now());
    assert.equal(inSet.publicKey.fromToken, 'jwk');
  });

  test('certificates: the public key is used, and one copied from the header x5c is recognised', (t) => {
    const file = join(here, '..', 'keys', 'ec-p256.json');
    if (!existsSync(file)) return t.skip('tests/keys/ec-p256.json is not there');
    const keys = JSON.parse(readFileSync(file, 'utf8'));
    const body = keys.certificate.replace(/-----[A-Z ]+-----|\s+/g, '');
    const token = nodeJws('ES256', crypto.createPrivateKey(keys.pkcs8), { sub: 'cert' }, { x5c: [body] });
    const r = L.analyse(lib, token, settings({ publicKey: keys.certificate }), Date.now());
    assert.equal(r.verdict, 'verified');
    assert.equal(r.publicKey.parsed.label, 'CERTIFICATE');
    assert.equal(r.publicKey.fromToken, 'x5c');
    assert.match(T.keyFormat(r.publicKey.parsed, r.publicKey.info), /^PEM CERTIFICATE \(X\.509\) · EC P-256 · public$/);
  });

  test('PEM <-> JWK conversion round-trips for every key type, public and private', () => {
    const pairs = [
      crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }),
      crypto.generateKeyPairSync('ec', { namedCurve: 'P-384' }),
      crypto.generateKeyPairSync('ed25519'),
    ];
    for (const { publicKey, privateKey } of pairs) {
      const spki = publicKey.export({ type: 'spki', format: 'pem' });
      const toJwk = L.convertKey(lib, L.parseKeyText(spki));
      assert.equal(toJwk.to, 'jwk');
      const jwk = JSON.parse(toJwk.text);
      for (const [member, value] of Object.entries(publicKey.export({ format: 'jwk' }))) assert.equal(jwk[member], value);
      const back = L.convertKey(lib, L.parseKeyText(toJwk.text));
      assert.deepEqual([back.to, back.text.trim()], ['pem', spki.trim()]);

      const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'pem' });
      const privateJwk = L.convertKey(lib, L.parseKeyText(pkcs8), { keepPrivate: true });
      assert.equal(JSON.parse(privateJwk.text).d, privateKey.export({ format: 'jwk' }).d);
      assert.equal(L.convertKey(lib, L.parseKeyText(privateJwk.text), { keepPrivate: true }).text.trim(), pkcs8.trim());
      // the decoder's box converts a private key to its public half only
      const half = L.convertKey(lib, L.parseKeyText(pkcs8));
      assert.deepEqual([JSON.parse(half.text).d, half.dropped], [undefined, true]);
    }
    assert.equal(L.convertKey(lib, L.parseKeyText('{"keys": [{"kty": "EC"}]}')).error.code, 'SET');
  });

  test('the encoder signs RS/PS/ES/EdDSA with a private key, and Node verifies with the public key it gives back', () => {
    const pairs = new Map(); // one key pair per family: RSA generation is slow
    for (const alg of L.PUBLIC_KEY_ALGS) {
      const family = L.algFamily(alg);
      if (!pairs.has(family)) pairs.set(family, lib.generateKeyPair(L.familyAlgs(family)[0]));
      const pair = pairs.get(family);
      const privatePem = lib.exportPEM(pair.privateKey, { private: true });
      const out = L.encode(lib, { headerText: `{"alg": "${alg}", "typ": "JWT", "kid": "k1"}`, payloadText: '{"sub": "s"}', alg: 'HS256', secret: '', privateKey: privatePem });
      assert.ok(out.token, `${alg}: ${JSON.stringify(out)}`);
      const [head, payload, sig] = out.token.split('.');
      assert.deepEqual(JSON.parse(Buffer.from(head, 'base64url')), { alg, typ: 'JWT', kid: 'k1' });
      const key = crypto.createPublicKey(out.publicKey.pem);
      const bits = alg.slice(2);
      const params = alg.startsWith('ES') ? { key, dsaEncoding: 'ieee-p1363' } : alg.startsWith('PS') ? { key, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: bits / 8 } : key;
      assert.equal(crypto.verify(alg === 'EdDSA' ? null : `sha${bits}`, Buffer.from(`${head}.${payload}`), params, Buffer.from(sig, 'base64url')), true, alg);
      assert.equal(out.publicKey.jwk.d, undefined);
    }
    const ec = lib.generateKeyPair('ES256');
    const base = { headerText: '{"alg": "ES256"}', payloadText: '{}', alg: 'ES256', secret: '' };
    assert.equal(L.encode(lib, { ...base, privateKey: '' }).keyError.kind, 'empty');
    // a public key never reaches sign()
    assert.equal(L.encode(lib, { ...base, privateKey: lib.exportPEM(ec.publicKey) }).keyError.kind, 'public');
    assert.equal(L.encode(lib, { ...base, privateKey: JSON.stringify(ec.publicKey) }).keyError.kind, 'public');
    assert.equal(L.encode(lib, { ...base, privateKey: JSON.stringify({ ...ec.publicKey, d: null }) }).keyError.kind, 'public', '"d": null is no private key');
    assert.equal(L.encode(lib, { ...base, privateKey: JSON.stringify({ keys: [ec.privateKey] }) }).keyError.kind, 'set');
    const rsaKey = lib.exportPEM(pairs.get('RSA').privateKey, { private: true });
    assert.deepEqual(L.encode(lib, { ...base, privateKey: rsaKey }).keyError, { kind: 'family', alg: 'ES256', family: 'RSA', need: 'P-256' });
    assert.ok(L.encode(lib, { ...base, privateKey: JSON.stringify(ec.privateKey) }).token, 'a private JWK signs too');
  });

  test('every warning code the package reports has its explanation in text.mjs', () => {
    const now = Math.floor(Date.now() / 1000);
    const tokens = [
      `${b64u({ alg: 'none' })}.${b64u({ password: 'x', iat: now + 3600 })}.`,
      `${b64u({ alg: 'HS999' })}.${b64u({ exp: 'tomorrow', iss: 5 })}.${b64u('s')}`,
      `${b64u({ typ: 'JWT' })}.${b64u({ exp: now - 10, nbf: now + 10 })}.${b64u('s')}`,
      `${b64u({ alg: 'HS256', crit: ['b64'], jwk: {}, kid: '../../etc/passwd' })}.${b64u({ exp: now + 9e6, iat: now })}.${b64u('s')}`,
      jwt.sign({ big: 'x'.repeat(6000) }, 'secret'),
    ];
    const seen = new Set();
    for (const token of tokens) {
      for (const w of lib.inspect(token, 'short').warnings) {
        seen.add(w.code);
        assert.ok(L.explainWarning(w, T.FINDINGS, null), `no explanation for ${w.code}: ${w.message}`);
        assert.ok(['critical', 'high', 'medium', 'low', 'info'].includes(w.severity), w.severity);
      }
    }
    for (const code of ['ALG_NONE', 'NO_EXP', 'SENSITIVE_DATA', 'IAT_FUTURE', 'EMBEDDED_KEY', 'CRIT', 'LONG_LIFETIME', 'KNOWN_SECRET']) {
      assert.ok(seen.has(code), `expected the package to report ${code}; saw ${[...seen]}`);
    }
  });

  test('the encoder signs what the editors say, and jsonwebtoken agrees', () => {
    for (const alg of L.HMAC_ALGS) {
      const secret = lib.generateSecret(alg);
      const out = L.encode(lib, {
        headerText: `{"alg": "${alg}", "typ": "JWT", "kid": "k1"}`,
        payloadText: '{"sub": "s", "n": 1.5, "u": "\u{1F980}"}',
        alg: 'HS256',
        secret,
        encoding: 'base64url',
      });
      assert.ok(out.token, JSON.stringify(out));
      const decoded = jwt.verify(out.token, Buffer.from(secret, 'base64url'), { algorithms: [alg], complete: true });
      assert.deepEqual(decoded.payload, { sub: 's', n: 1.5, u: '\u{1F980}' });
      assert.deepEqual(decoded.header, { alg, typ: 'JWT', kid: 'k1' });
      assert.equal(out.weak, undefined);
    }
    const weak = L.encode(lib, { headerText: '{"alg":"HS256"}', payloadText: '{}', alg: 'HS256', secret: 'short', encoding: 'utf8' });
    assert.deepEqual(weak.weak, { bytes: 5, need: 32, alg: 'HS256' });
    assert.equal(jwt.verify(weak.token, 'short').iat, undefined, 'the encoder adds no iat of its own');
    assert.equal(L.encode(lib, { headerText: '{"alg":"none"}', payloadText: '{}', alg: 'HS256', secret: 'k', encoding: 'utf8' }).headerError.kind, 'alg');
    assert.equal(L.encode(lib, { headerText: '{}', payloadText: '{}', alg: 'HS256', secret: '', encoding: 'utf8' }).secretError.kind, 'empty');
  });
});

describe('sharing', () => {
  test('the fragment carries the token and only the token', () => {
    assert.equal(L.tokenFromFragment(`#token=${A1_TOKEN}`), A1_TOKEN);
    assert.equal(L.tokenFromFragment(`#id_token=${A1_TOKEN}&state=x`), A1_TOKEN);
    assert.equal(L.tokenFromFragment('#nothing'), null);
    assert.equal(L.tokenFromFragment(''), null);
    const link = L.shareLink('http://127.0.0.1:8080/?q=1#token=old', A1_TOKEN);
    assert.equal(link, `http://127.0.0.1:8080/?q=1#token=${A1_TOKEN}`);
    assert.equal(L.tokenFromFragment(new URL(link).hash), A1_TOKEN);
  });
});
