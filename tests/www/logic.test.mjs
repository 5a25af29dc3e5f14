// The inspector's pure logic (www/logic.mjs) under Node: the same module the page runs,
// given the package's Node entry instead of the browser one.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';
import * as L from '../../www/logic.mjs';
import * as T from '../../www/text.mjs';
import { pkgDir } from './browser.mjs';

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
