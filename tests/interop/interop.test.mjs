// The interoperability matrix: tokens signed by PyJWT (Python, from PyPI), jsonwebtoken and
// jose (npm) verify in jwtkit with equal claims, and jwtkit's tokens verify in each of them,
// for every algorithm both sides support and a few payload shapes. jwtkit is the packed
// package (npm pack + install into target/js-projects/interop), as a user gets it.
//
// The algorithms are all of RFC 7518's JWS ones. Which of them jwtkit supports is asked of
// the package itself, and checked against what its contract promises (HS256/384/512; all of
// them once `generateKeyPair` is exported), so the matrix grows with the package.
//
// Run: node --test tests/interop/   (needs `make pkg` and PyJWT in target/venv; the Makefile's
// interop set-up makes both. JWTKIT_PYTHON overrides the interpreter.)
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { installPacked, repoRoot } from '../support/packed.mjs';

const require = createRequire(import.meta.url);
const jsonwebtoken = require('jsonwebtoken');
const jose = await import('jose');

const HMAC = ['HS256', 'HS384', 'HS512'];
const ALL = [...HMAC, 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
const PYTHON = process.env.JWTKIT_PYTHON || join(repoRoot, 'target', 'venv', 'bin', 'python');
const PEER = join(repoRoot, 'tests', 'interop', 'pyjwt_peer.py');
const PEER_TIMEOUT_MS = 60_000;
const FUTURE = 4102444800; // 2100-01-01

// ---- keys -------------------------------------------------------------------------------

// 64 fixed bytes: long enough for HS512, so no library's weak-key rule gets in the way.
const SECRET = Uint8Array.from({ length: 64 }, (_, i) => (i * 73 + 41) & 0xff);
const SECRET_B64 = Buffer.from(SECRET).toString('base64url');

function pemPair(type, options) {
  const { privateKey, publicKey } = generateKeyPairSync(type, options);
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }),
  };
}
const PAIRS = {};
/** Key material for `alg`: the secret, or a PEM key pair made once per key type. */
function keysFor(alg) {
  if (HMAC.includes(alg)) return { secret: true };
  const type = alg === 'EdDSA' ? 'ed25519' : alg.startsWith('ES') ? `ec-${alg}` : 'rsa';
  PAIRS[type] ??=
    type === 'rsa' ? pemPair('rsa', { modulusLength: 2048 })
    : type === 'ed25519' ? pemPair('ed25519')
    : pemPair('ec', { namedCurve: { ES256: 'P-256', ES384: 'P-384', ES512: 'P-521' }[alg] });
  return PAIRS[type];
}

// ---- payload shapes, as JSON text so that PyJWT gets integers beyond 2^53 exactly ---------

const SHAPES = {
  registered: `{"sub":"ada","iss":"https://issuer.example","aud":"api","jti":"id-1","iat":1700000000,"nbf":1700000000,"exp":${FUTURE}}`,
  unicode: String.raw`{"sub":"zoë","name":"Zoë 😀 中文 עברית","esc":"quote\" backslash\\ slash/ nl\n tab\t ctrl\u0001 del\u007f","sep":"\u2028\u2029","bom":"\ufeff","astral":"\ud83d\ude00𝄞","empty":""}`,
  floats: `{"pi":3.141592653589793,"tenth":0.1,"tiny":5e-324,"huge":1.7976931348623157e308,"neg":-2.5e-8,"ts":1700000000.123456,"exp":${FUTURE}.5}`,
  nested: '{"a":{"b":[1,{"c":[true,false,null]},[[[]]]],"d":{}},"roles":["admin","user"],"deep":[[[[[[[[[[1]]]]]]]]]]}',
  'large ints': '{"safe":9007199254740991,"negSafe":-9007199254740991,"beyond":9007199254740993,"u64":18446744073709551615,"big":123456789012345678901234567890,"zero":0}',
};

/** Claims as JavaScript sees them: what JSON.parse makes of the payload text. */
const expected = (text) => JSON.parse(text);

// Every verifier is given the audience when the payload has one (PyJWT refuses a token with
// `aud` unless given the audience; the others check `aud` only when asked, and then need it).
const audienceOf = (text) => JSON.parse(text).aud;
const withAudience = (text, options) => (audienceOf(text) === undefined ? options : { ...options, audience: audienceOf(text) });

// jwtkit and jsonwebtoken add `iat` unless told `noTimestamp`, which also drops a payload's
// own `iat` (jsonwebtoken does exactly this, and jwtkit follows it): so `noTimestamp` only
// for payloads without one, and the claims come out as given.
const signOptions = (alg, text) => ('iat' in JSON.parse(text) ? { algorithm: alg } : { algorithm: alg, noTimestamp: true });

// ---- the peers --------------------------------------------------------------------------

let jwt;
let setupError;
try {
  const project = installPacked('interop');
  const loader = join(project, 'load.mjs');
  writeFileSync(loader, "export * from 'jwtkit';\n");
  jwt = await import(pathToFileURL(loader).href);
} catch (error) {
  setupError = error;
}

/** Runs the PyJWT peer once over many requests (JSON lines), bounded in time. */
function python(requests) {
  if (!existsSync(PYTHON)) {
    throw new Error(
      `${PYTHON} is missing: run \`make setup-interop\` (python3 -m venv target/venv && target/venv/bin/pip install "PyJWT[crypto]==2.15.1" cryptography==50.0.2)`,
    );
  }
  const input = requests.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n') + '\n';
  const run = spawnSync(PYTHON, [PEER], { input, encoding: 'utf8', timeout: PEER_TIMEOUT_MS, maxBuffer: 64 << 20 });
  if (run.error) throw run.error;
  if (run.status !== 0) throw new Error(`pyjwt_peer.py exited ${run.status}: ${run.stderr}`);
  const answers = run.stdout.trim().split('\n').map((line) => JSON.parse(line));
  assert.equal(answers.length, requests.length, 'one answer per request');
  return answers;
}

const pyKey = (alg, use) => (HMAC.includes(alg) ? { secret: SECRET_B64 } : { key: keysFor(alg)[use === 'sign' ? 'privatePem' : 'publicPem'] });
const pySignRequest = (alg, text, headers) =>
  `${JSON.stringify({ op: 'sign', alg, ...pyKey(alg, 'sign'), ...(headers ? { headers } : {}) }).slice(0, -1)},"payload":${text}}`;
const pyVerifyRequest = (alg, token, text) => ({ op: 'verify', alg, token, ...pyKey(alg, 'verify'), ...withAudience(text, {}) });

const jwtkitSignKey = (alg) => (HMAC.includes(alg) ? SECRET : keysFor(alg).privatePem);
const jwtkitVerifyKey = (alg) => (HMAC.includes(alg) ? SECRET : keysFor(alg).publicPem);
const jwtkitSign = (alg, text) => jwt.sign(JSON.parse(text), jwtkitSignKey(alg), signOptions(alg, text));
const jwtkitVerify = (alg, token, text) => jwt.verify(token, jwtkitVerifyKey(alg), withAudience(text, {}));

const nodeKey = (alg, use) => (HMAC.includes(alg) ? Buffer.from(SECRET) : keysFor(alg)[use === 'sign' ? 'privatePem' : 'publicPem']);
const joseKey = async (alg, use) => {
  if (HMAC.includes(alg)) return SECRET;
  const pair = keysFor(alg);
  return use === 'sign' ? jose.importPKCS8(pair.privatePem, alg) : jose.importSPKI(pair.publicPem, alg);
};

/** The JavaScript peers: which algorithms they support, and how they sign and verify. */
const PEERS = {
  jsonwebtoken: {
    supports: (alg) => alg !== 'EdDSA', // jsonwebtoken 9 has no EdDSA
    sign: (alg, text) => jsonwebtoken.sign(JSON.parse(text), nodeKey(alg, 'sign'), signOptions(alg, text)),
    verify: (alg, token, text) => jsonwebtoken.verify(token, nodeKey(alg, 'verify'), withAudience(text, { algorithms: [alg] })),
  },
  jose: {
    supports: () => true,
    sign: async (alg, text) => new jose.SignJWT(JSON.parse(text)).setProtectedHeader({ alg, typ: 'JWT' }).sign(await joseKey(alg, 'sign')),
    verify: async (alg, token, text) =>
      (await jose.jwtVerify(token, await joseKey(alg, 'verify'), withAudience(text, { algorithms: [alg] }))).payload,
  },
};

// ---- what jwtkit supports -----------------------------------------------------------------

/** Asks the package: an algorithm is supported when signing with a fitting key works. */
function jwtkitSupports(alg) {
  try {
    jwt.sign({}, jwtkitSignKey(alg), { algorithm: alg });
    return true;
  } catch (error) {
    if (['ERR_INVALID_OPTION', 'ERR_JWS_ALG_NOT_ALLOWED', 'ERR_KEY_INVALID'].includes(error.code)) return false;
    throw error;
  }
}

// ---- the matrix -------------------------------------------------------------------------

const matrix = new Map(); // "signer -> verifier" -> { alg -> 'ok' | 'FAIL' | '-' | 'n/a' }
function record(pair, alg, outcome) {
  if (!matrix.has(pair)) matrix.set(pair, {});
  const row = matrix.get(pair);
  row[alg] = row[alg] === 'FAIL' ? 'FAIL' : outcome;
}

if (setupError) {
  test('the packed package installs for the interop matrix', () => {
    throw setupError;
  });
} else {
  const supported = ALL.filter(jwtkitSupports);
  const cases = supported.flatMap((alg) => Object.entries(SHAPES).map(([shape, text]) => ({ alg, shape, text })));
  const pairs = ['PyJWT -> jwtkit', 'jwtkit -> PyJWT'].concat(
    Object.keys(PEERS).flatMap((name) => [`${name} -> jwtkit`, `jwtkit -> ${name}`]),
  );
  for (const pair of pairs) for (const alg of ALL.filter((a) => !supported.includes(a))) record(pair, alg, '-');

  test('jwtkit supports the algorithms its contract promises, and the matrix covers each', () => {
    // HS256/384/512 (v1); every RFC 7518 algorithm once the asymmetric API (generateKeyPair) ships.
    const promised = typeof jwt.generateKeyPair === 'function' ? ALL : HMAC;
    assert.deepEqual(supported, promised);
  });

  test('the peers verify one another for every algorithm, so the harness itself is sound', async () => {
    // PyJWT -> jose and jsonwebtoken, and jose -> PyJWT, with the same keys and helpers the
    // matrix uses: an algorithm jwtkit gains is then checked against peers known to agree.
    const text = SHAPES.registered;
    const answers = python(ALL.map((alg) => pySignRequest(alg, text)));
    const joseTokens = await Promise.all(ALL.map((alg) => PEERS.jose.sign(alg, text)));
    const verdicts = python(ALL.map((alg, i) => pyVerifyRequest(alg, joseTokens[i], text)));
    for (const [i, alg] of ALL.entries()) {
      assert.ok(answers[i].token, `PyJWT ${alg}: ${answers[i].error}`);
      assert.deepEqual({ ...(await PEERS.jose.verify(alg, answers[i].token, text)) }, expected(text), `PyJWT -> jose ${alg}`);
      if (PEERS.jsonwebtoken.supports(alg)) {
        assert.deepEqual(PEERS.jsonwebtoken.verify(alg, answers[i].token, text), expected(text), `PyJWT -> jsonwebtoken ${alg}`);
      }
      assert.ok(verdicts[i].ok, `jose -> PyJWT ${alg}: ${verdicts[i].error}`);
    }
  });

  test('PyJWT signs, jwtkit verifies: equal claims for every algorithm and shape', () => {
    const answers = python(cases.map(({ alg, text }) => pySignRequest(alg, text)));
    const failures = [];
    cases.forEach(({ alg, shape, text }, i) => {
      let ok = false;
      try {
        assert.ok(answers[i].token, answers[i].error);
        assert.deepEqual(jwtkitVerify(alg, answers[i].token, text), expected(text));
        assert.equal(jwt.decode(answers[i].token, { complete: true }).header.alg, alg);
        ok = true;
      } catch (error) {
        failures.push(`${alg} ${shape}: ${error.message}`);
      }
      record('PyJWT -> jwtkit', alg, ok ? 'ok' : 'FAIL');
    });
    assert.deepEqual(failures, []);
  });

  test('jwtkit signs, PyJWT verifies: equal claims for every algorithm and shape', () => {
    const tokens = cases.map(({ alg, text }) => jwtkitSign(alg, text));
    const answers = python(cases.map(({ alg, text }, i) => pyVerifyRequest(alg, tokens[i], text)));
    const failures = [];
    cases.forEach(({ alg, shape, text }, i) => {
      let ok = false;
      try {
        assert.ok(answers[i].ok, answers[i].error);
        // PyJWT's claims, through JSON.parse as JavaScript would read them.
        assert.deepEqual(answers[i].claims, expected(JSON.stringify(JSON.parse(text))));
        assert.deepEqual(answers[i].header, { alg, typ: 'JWT' });
        ok = true;
      } catch (error) {
        failures.push(`${alg} ${shape}: ${error.message}`);
      }
      record('jwtkit -> PyJWT', alg, ok ? 'ok' : 'FAIL');
    });
    assert.deepEqual(failures, []);
  });

  for (const [name, peer] of Object.entries(PEERS)) {
    test(`${name} signs, jwtkit verifies: equal claims for every algorithm and shape`, async () => {
      const failures = [];
      for (const { alg, shape, text } of cases) {
        if (!peer.supports(alg)) {
          record(`${name} -> jwtkit`, alg, 'n/a');
          continue;
        }
        let ok = false;
        try {
          assert.deepEqual(jwtkitVerify(alg, await peer.sign(alg, text), text), expected(text));
          ok = true;
        } catch (error) {
          failures.push(`${alg} ${shape}: ${error.message}`);
        }
        record(`${name} -> jwtkit`, alg, ok ? 'ok' : 'FAIL');
      }
      assert.deepEqual(failures, []);
    });

    test(`jwtkit signs, ${name} verifies: equal claims for every algorithm and shape`, async () => {
      const failures = [];
      for (const { alg, shape, text } of cases) {
        if (!peer.supports(alg)) {
          record(`jwtkit -> ${name}`, alg, 'n/a');
          continue;
        }
        let ok = false;
        try {
          assert.deepEqual({ ...(await peer.verify(alg, jwtkitSign(alg, text), text)) }, expected(text));
          ok = true;
        } catch (error) {
          failures.push(`${alg} ${shape}: ${error.message}`);
        }
        record(`jwtkit -> ${name}`, alg, ok ? 'ok' : 'FAIL');
      }
      assert.deepEqual(failures, []);
    });
  }

  test('jwtkit signs exactly the bytes jsonwebtoken signs for the same call (deterministic algorithms)', () => {
    // Same header text, same payload text, so the same token: a drop-in replacement. (ECDSA
    // and PSS signatures are randomised, so only their header and payload parts can agree.)
    for (const alg of supported.filter((a) => PEERS.jsonwebtoken.supports(a))) {
      for (const text of Object.values(SHAPES)) {
        const ours = jwtkitSign(alg, text);
        const theirs = PEERS.jsonwebtoken.sign(alg, text);
        const deterministic = HMAC.includes(alg) || alg.startsWith('RS');
        const cut = (t) => (deterministic ? t : t.slice(0, t.lastIndexOf('.')));
        assert.equal(cut(ours), cut(theirs), `${alg} ${text.slice(0, 40)}`);
      }
    }
  });

  test('a token changed after signing is refused on both sides', async () => {
    const text = SHAPES.registered;
    const tamper = (token) => {
      const [h, , s] = token.split('.');
      return `${h}.${Buffer.from(text.replace('"sub":"ada"', '"sub":"eve"')).toString('base64url')}.${s}`;
    };
    for (const alg of supported) {
      const [py] = python([pySignRequest(alg, text)]);
      const foreign = [py.token];
      for (const peer of Object.values(PEERS)) if (peer.supports(alg)) foreign.push(await peer.sign(alg, text));
      for (const token of foreign) {
        assert.throws(() => jwtkitVerify(alg, tamper(token), text), { code: 'ERR_JWS_INVALID_SIGNATURE' }, alg);
      }
      const ours = tamper(jwtkitSign(alg, text));
      const [answer] = python([pyVerifyRequest(alg, ours, text)]);
      assert.equal(answer.ok, false, `PyJWT accepted a tampered ${alg} token`);
      assert.match(answer.error, /InvalidSignatureError/);
      if (PEERS.jsonwebtoken.supports(alg)) {
        assert.throws(() => PEERS.jsonwebtoken.verify(alg, ours, text), { message: 'invalid signature' });
      }
      await assert.rejects(PEERS.jose.verify(alg, ours, text), { code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' });
    }
  });

  test('alg none from any peer is refused by jwtkit', () => {
    const unsigned = jsonwebtoken.sign({ sub: 'ada' }, null, { algorithm: 'none' });
    const joseUnsigned = new jose.UnsecuredJWT({ sub: 'ada' }).encode();
    for (const token of [unsigned, joseUnsigned]) {
      assert.throws(() => jwt.verify(token, SECRET), { code: /ERR_JWS_ALG_NOT_ALLOWED|ERR_JWS_INVALID_SIGNATURE/ });
    }
  });

  // A plain key and a token carrying `kid` (jsonwebtoken's `keyid`, PyJWT's headers, jose's
  // protected header): every peer accepts this, and so must jwtkit (a single key is not a
  // JWK Set; its lack of a kid is no mismatch).
  test('tokens with a kid header from every peer verify with the plain key', async () => {
    for (const alg of supported) {
      const text = '{"sub":"ada"}';
      const [py] = python([pySignRequest(alg, text, { kid: 'k1' })]);
      const tokens = [
        py.token,
        await new jose.SignJWT({ sub: 'ada' }).setProtectedHeader({ alg, kid: 'k1' }).sign(await joseKey(alg, 'sign')),
      ];
      if (PEERS.jsonwebtoken.supports(alg)) {
        tokens.push(jsonwebtoken.sign({ sub: 'ada' }, nodeKey(alg, 'sign'), { algorithm: alg, keyid: 'k1', noTimestamp: true }));
      }
      for (const token of tokens) assert.deepEqual(jwtkitVerify(alg, token, text), { sub: 'ada' }, alg);
    }
  });

  after(() => {
    let py = { pyjwt: '?', python: '?' };
    try {
      [py] = python([{ op: 'version' }]);
    } catch {}
    const versions = `PyJWT ${py.pyjwt} (Python ${py.python}), jsonwebtoken ${require('jsonwebtoken/package.json').version}, jose ${require('jose/package.json').version}, Node ${process.versions.node}`;
    const lines = [`interop matrix (${Object.keys(SHAPES).length} payload shapes each; - = not in jwtkit, n/a = not in the peer): ${versions}`];
    lines.push(`  ${'signer -> verifier'.padEnd(24)} ${ALL.map((a) => a.padEnd(5)).join(' ')}`);
    for (const pair of pairs) {
      const row = matrix.get(pair) ?? {};
      lines.push(`  ${pair.padEnd(24)} ${ALL.map((a) => (row[a] ?? '?').padEnd(5)).join(' ')}`);
    }
    console.log(lines.join('\n'));
  });
}
