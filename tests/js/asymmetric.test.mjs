// The asymmetric-algorithm suite in Node, against the packed package (npm pack + install into
// a throw-away project): tests/js/asymmetric-suite.mjs (WebCrypto and jose as oracles) for ESM
// and CommonJS, each in a worker thread as node.test.mjs does, then Node-only cases with
// node:crypto as the oracle:
//   - keys from crypto.generateKeyPairSync in every format: PEM spki / pkcs1 / pkcs8 / sec1,
//     JWK export, KeyObject;
//   - tokens signed with crypto.sign (ECDSA with dsaEncoding 'ieee-p1363', PSS with
//     saltLength = hash length) verify in jwtkit; jwtkit's tokens verify with crypto.verify;
//   - X.509 certificates: made at run time with `openssl req -x509` when openssl is on PATH
//     (also in the `openssl x509 -text` form, text before the PEM block), and the committed
//     certificates of tests/keys/*.json (Python cryptography, see their "source" member);
//   - unsupported key types (secp256k1, Ed448, X25519, encrypted PKCS#8) and weak RSA sizes.
// Run: node --test tests/js/asymmetric.test.mjs
import { execFileSync, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { installPackedLocked, repoRoot, reportResults, reportSetupFailure, withTimeout } from './harness.mjs';

const SUITE_TIMEOUT_MS = 180_000;

let project;
try {
  project = await installPackedLocked('contract-suite');
} catch (e) {
  reportSetupFailure('the packed package installs into a throw-away project', e);
}

// ---- the runtime-agnostic suite, ESM and CommonJS --------------------------------------------------

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { createRequire } = require('node:module');
(async () => {
  const { project, mode, loaderUrl, suiteUrl, joseUrl } = workerData;
  const { runAsymmetricSuite } = await import(suiteUrl);
  const jose = await import(joseUrl);
  let jwt;
  if (mode === 'esm') {
    ({ jwt } = await import(loaderUrl));
  } else {
    jwt = createRequire(project + '/package.json')('jwtkit');
  }
  const results = await runAsymmetricSuite(jwt, { runtime: 'node ' + mode, jose });
  parentPort.postMessage({ results });
})().catch((e) => parentPort.postMessage({ fatal: String((e && e.stack) || e) }));
`;

function runInWorker(mode, loaderUrl) {
  return new Promise((resolve) => {
    const out = {};
    const worker = new Worker(WORKER, {
      eval: true,
      workerData: {
        project,
        mode,
        loaderUrl,
        suiteUrl: new URL('./asymmetric-suite.mjs', import.meta.url).href,
        joseUrl: import.meta.resolve('jose'),
      },
    });
    const timer = setTimeout(() => {
      out.fatal = `the suite did not finish within ${SUITE_TIMEOUT_MS} ms (worker terminated)`;
      worker.terminate();
    }, SUITE_TIMEOUT_MS);
    worker.on('message', (m) => Object.assign(out, m));
    worker.on('error', (e) => (out.fatal = String((e && e.stack) || e)));
    worker.on('exit', () => {
      clearTimeout(timer);
      resolve(out);
    });
  });
}

// ---- node:crypto oracle ----------------------------------------------------------------------

const RSA_ALGS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];
const ALL_ALGS = [...RSA_ALGS, 'ES256', 'ES384', 'ES512', 'EdDSA'];
const b64u = (bytes) => Buffer.from(bytes).toString('base64url');
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi'];

/** Options of crypto.sign / crypto.verify for a JWS algorithm (RFC 7518 3.3-3.5, RFC 8037). */
function nodeParams(alg, key, overrides = {}) {
  if (alg === 'EdDSA') return [null, key];
  const hash = `sha${alg.slice(2)}`;
  if (alg.startsWith('RS')) return [hash, key];
  if (alg.startsWith('PS')) {
    return [hash, { key, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: Number(alg.slice(2)) / 8, ...overrides }];
  }
  return [hash, { key, dsaEncoding: 'ieee-p1363', ...overrides }];
}
function nodeToken(alg, privateKey, { header = { alg, typ: 'JWT' }, payload = { sub: 'node', n: 3 }, overrides } = {}) {
  const input = `${b64u(JSON.stringify(header))}.${b64u(JSON.stringify(payload))}`;
  const [hash, key] = nodeParams(alg, privateKey, overrides);
  return `${input}.${b64u(crypto.sign(hash, Buffer.from(input), key))}`;
}
function nodeVerifies(alg, publicKey, token) {
  const [h, p, s] = token.split('.');
  const [hash, key] = nodeParams(alg, publicKey);
  return crypto.verify(hash, Buffer.from(`${h}.${p}`), key, Buffer.from(s, 'base64url'));
}

/** Every form of one Node key pair. */
function nodeKey(type, options, familyAlg) {
  const { publicKey, privateKey } = crypto.generateKeyPairSync(type, options);
  const k = {
    familyAlg,
    publicKey,
    privateKey,
    spki: publicKey.export({ type: 'spki', format: 'pem' }),
    pkcs8: privateKey.export({ type: 'pkcs8', format: 'pem' }),
    jwkPublic: publicKey.export({ format: 'jwk' }),
    jwkPrivate: privateKey.export({ format: 'jwk' }),
  };
  if (type === 'rsa') {
    k.pkcs1Public = publicKey.export({ type: 'pkcs1', format: 'pem' });
    k.pkcs1Private = privateKey.export({ type: 'pkcs1', format: 'pem' });
  }
  if (type === 'ec') k.sec1 = privateKey.export({ type: 'sec1', format: 'pem' });
  k.publicForms = [
    ['PEM spki', k.spki],
    ['JWK export', k.jwkPublic],
    ['public KeyObject', publicKey],
    ...(k.pkcs1Public ? [['PEM pkcs1 (RSA PUBLIC KEY)', k.pkcs1Public]] : []),
  ];
  k.privateForms = [
    ['PEM pkcs8', k.pkcs8],
    ['private JWK export', k.jwkPrivate],
    ['private KeyObject', privateKey],
    ...(k.pkcs1Private ? [['PEM pkcs1 (RSA PRIVATE KEY)', k.pkcs1Private]] : []),
    ...(k.sec1 ? [['PEM sec1 (EC PRIVATE KEY)', k.sec1]] : []),
  ];
  return k;
}

/** Throws unless fn throws a jwtkit error with one of `codes`; returns the error. */
function refuses(fn, codes, label) {
  codes = [].concat(codes);
  let result;
  try {
    result = fn();
  } catch (e) {
    if (!codes.includes(e.code)) throw new Error(`${label}: expected ${codes.join(' or ')}, got ${e.name}(${e.code}): ${e.message}`);
    return e;
  }
  throw new Error(`${label}: expected ${codes.join(' or ')}, got ${JSON.stringify(result)}`);
}
function works(fn, label) {
  try {
    return fn();
  } catch (e) {
    throw new Error(`${label}: ${e.name}(${e.code}): ${e.message}`);
  }
}
const eq = (a, b, label) => {
  if (a !== b) throw new Error(`${label}: expected ${JSON.stringify(b)}, got ${JSON.stringify(a)}`);
};
function noKeyMaterial(message, secrets, label) {
  for (const s of secrets) {
    const clean = String(s).replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
    for (let i = 0; i + 16 <= clean.length; i += 4) {
      if (message.includes(clean.slice(i, i + 16))) throw new Error(`${label}: message echoes key material: ${message}`);
    }
  }
}

/** Certificates: [{ label, alg, cert, key (a nodeKey or { spki }), source }] */
function certificates(dir, keys) {
  const out = [];
  const haveOpenssl = spawnSync('openssl', ['version'], { encoding: 'utf8' }).status === 0;
  if (haveOpenssl) {
    for (const [label, k, digest] of [
      ['RSA 2048', keys.rsa, '-sha256'],
      ['EC P-256', keys.p256, '-sha256'],
      ['EC P-384', keys.p384, '-sha384'],
      ['EC P-521', keys.p521, '-sha512'],
      ['Ed25519', keys.ed, null],
      ['RSA 1024 (weak)', keys.rsa1024, '-sha256'],
    ]) {
      const keyFile = join(dir, `${label.replace(/\W+/g, '_')}.key.pem`);
      const certFile = keyFile.replace('.key.pem', '.cert.pem');
      writeFileSync(keyFile, k.pkcs8);
      const args = ['req', '-x509', '-new', '-key', keyFile, '-subj', '/CN=jwtkit test', '-days', '2', '-out', certFile];
      if (digest) args.push(digest);
      execFileSync('openssl', args, { stdio: 'pipe' });
      // `openssl x509 -text` prints the decoded certificate, then the PEM block: a common file form
      const withText = execFileSync('openssl', ['x509', '-in', certFile, '-text'], { encoding: 'utf8', stdio: 'pipe' });
      out.push({ label: `${label}, made by openssl`, alg: k.familyAlg, cert: readFileSync(certFile, 'utf8'), withText, key: k, weak: label.includes('weak') });
    }
  }
  // the committed fixtures (made with Python cryptography; see each file's "source")
  const dirKeys = join(repoRoot, 'tests', 'keys');
  const fixtureAlg = { 'rsa-2048.json': 'RS256', 'ec-p256.json': 'ES256', 'ec-p384.json': 'ES384', 'ec-p521.json': 'ES512', 'ed25519.json': 'EdDSA' };
  if (existsSync(dirKeys)) {
    for (const f of readdirSync(dirKeys)) {
      if (!fixtureAlg[f]) continue;
      const fx = JSON.parse(readFileSync(join(dirKeys, f), 'utf8'));
      if (typeof fx.certificate !== 'string' || typeof fx.pkcs8 !== 'string') continue;
      const privateKey = crypto.createPrivateKey(fx.pkcs8);
      const publicKey = crypto.createPublicKey(fx.spki);
      out.push({
        label: `tests/keys/${f}`,
        alg: fixtureAlg[f],
        cert: fx.certificate,
        key: { privateKey, publicKey, spki: fx.spki, pkcs8: fx.pkcs8, jwkPublic: publicKey.export({ format: 'jwk' }) },
      });
    }
  }
  return { list: out, haveOpenssl };
}

if (project) {
  const loaderFile = join(project, 'load-jwtkit-asymmetric.mjs');
  writeFileSync(loaderFile, "export * as jwt from 'jwtkit';\n");
  const loaderUrl = pathToFileURL(loaderFile).href;
  for (const mode of ['esm', 'cjs']) {
    const run = await runInWorker(mode, loaderUrl);
    if (run.fatal) reportSetupFailure(`[node ${mode} asymmetric] the package loads and the suite runs to the end`, new Error(run.fatal));
    if (run.results) reportResults(`[node ${mode} asymmetric]`, run.results);
  }

  // ---- Node-only cases (ESM in this thread; CommonJS checked on one case) ---------------------------------

  let jwt;
  try {
    ({ jwt } = await withTimeout(import(loaderUrl), 30_000, 'import jwtkit'));
  } catch (e) {
    reportSetupFailure('[node asymmetric] the package imports by name in the main thread', e);
  }
  const jwtCjs = createRequire(join(project, 'package.json'))('jwtkit');

  let keys;
  try {
    keys = {
      rsa: nodeKey('rsa', { modulusLength: 2048 }, 'RS256'),
      rsa3072: nodeKey('rsa', { modulusLength: 3072 }, 'RS256'),
      rsa1024: nodeKey('rsa', { modulusLength: 1024 }, 'RS256'),
      rsa2047: nodeKey('rsa', { modulusLength: 2047 }, 'RS256'),
      p256: nodeKey('ec', { namedCurve: 'P-256' }, 'ES256'),
      p384: nodeKey('ec', { namedCurve: 'P-384' }, 'ES384'),
      p521: nodeKey('ec', { namedCurve: 'P-521' }, 'ES512'),
      ed: nodeKey('ed25519', undefined, 'EdDSA'),
    };
  } catch (e) {
    reportSetupFailure('[node asymmetric] node:crypto makes the test keys', e);
  }
  const keyFor = (alg) => (alg.startsWith('RS') || alg.startsWith('PS') ? keys.rsa : { ES256: keys.p256, ES384: keys.p384, ES512: keys.p521, EdDSA: keys.ed }[alg]);

  if (jwt && keys) {
    for (const alg of ALL_ALGS) {
      const k = keyFor(alg);
      test(`[node asymmetric] ${alg} tokens signed with crypto.sign verify in jwtkit with every node:crypto key format`, () => {
        const payload = { sub: 'node', n: 3, s: 'ß' };
        const token = nodeToken(alg, k.privateKey, { payload });
        const kidToken = nodeToken(alg, k.privateKey, { header: { alg, kid: 'k1' }, payload });
        for (const [label, key] of [...k.publicForms, ...k.privateForms.map(([l, v]) => [`${l} (public half)`, v])]) {
          eq(JSON.stringify(works(() => jwt.verify(token, key), `${label}, default algorithms`)), JSON.stringify(payload), label);
          eq(works(() => jwt.verify(kidToken, key, { algorithms: [alg] }), `${label}, algorithms [${alg}]`).n, 3, label);
          eq(works(() => jwt.createVerifier(key).verify(token), `${label}, createVerifier`).n, 3, label);
          eq(jwt.importKey(key).type, label.includes('public half') ? 'private' : 'public', `${label}: importKey type`);
          const tampered = `${token.split('.')[0]}.${b64u('{"sub":"other"}')}.${token.split('.')[2]}`;
          refuses(() => jwt.verify(tampered, key), 'ERR_JWS_INVALID_SIGNATURE', `${label}: tampered`);
        }
        const set = { keys: [{ ...k.jwkPublic, kid: 'k1', use: 'sig' }] };
        eq(works(() => jwt.verify(kidToken, set), 'JWK Set of the JWK export').n, 3, 'set');
        eq(works(() => jwtCjs.verify(token, k.spki), 'CommonJS').n, 3, 'cjs');
      });

      test(`[node asymmetric] ${alg} tokens signed by jwtkit from every node:crypto key format verify with crypto.verify`, () => {
        for (const [label, key] of k.privateForms) {
          const token = works(() => jwt.sign({ sub: 'jwtkit', label }, key, { algorithm: alg }), `sign with ${label}`);
          const header = JSON.parse(Buffer.from(token.split('.')[0], 'base64url'));
          eq(JSON.stringify(header), JSON.stringify({ alg, typ: 'JWT' }), `${label}: header`);
          if (!nodeVerifies(alg, k.publicKey, token)) throw new Error(`${label}: crypto.verify refused jwtkit's ${alg} token`);
          const fromCjs = works(() => jwtCjs.sign({ sub: 'cjs' }, key, { algorithm: alg }), `CommonJS sign with ${label}`);
          if (!nodeVerifies(alg, k.publicKey, fromCjs)) throw new Error(`${label}: crypto.verify refused the CommonJS ${alg} token`);
        }
        // without an algorithm option: the key's own (RS256 for RSA)
        const dflt = works(() => jwt.sign({ sub: 'default' }, k.privateKey), 'default algorithm');
        const defaultAlg = JSON.parse(Buffer.from(dflt.split('.')[0], 'base64url')).alg;
        eq(defaultAlg, k.familyAlg, 'default algorithm of a KeyObject');
        if (!nodeVerifies(defaultAlg, k.publicKey, dflt)) throw new Error('crypto.verify refused the default-algorithm token');
      });
    }

    test('[node asymmetric] ECDSA signatures that crypto.sign writes in its default DER encoding are invalid', () => {
      for (const alg of ['ES256', 'ES384', 'ES512']) {
        const k = keyFor(alg);
        const token = nodeToken(alg, k.privateKey, { overrides: { dsaEncoding: 'der' } });
        refuses(() => jwt.verify(token, k.spki), 'ERR_JWS_INVALID_SIGNATURE', `${alg} DER`);
      }
    });

    test('[node asymmetric] PSS signatures with the maximum or a zero salt length are invalid', () => {
      for (const alg of ['PS256', 'PS384', 'PS512']) {
        for (const saltLength of [crypto.constants.RSA_PSS_SALTLEN_MAX_SIGN, 0]) {
          const token = nodeToken(alg, keys.rsa.privateKey, { overrides: { saltLength } });
          refuses(() => jwt.verify(token, keys.rsa.spki), 'ERR_JWS_INVALID_SIGNATURE', `${alg} salt ${saltLength}`);
        }
      }
    });

    test('[node asymmetric] a 3072-bit RSA key works in both directions for every RS and PS algorithm', () => {
      const k = keys.rsa3072;
      for (const alg of RSA_ALGS) {
        eq(works(() => jwt.verify(nodeToken(alg, k.privateKey), k.jwkPublic), `${alg} crypto.sign -> jwtkit`).n, 3, alg);
        const token = works(() => jwt.sign({ a: 1 }, k.pkcs1Private, { algorithm: alg }), `${alg} sign`);
        eq(Buffer.from(token.split('.')[2], 'base64url').length, 384, `${alg} signature length`);
        if (!nodeVerifies(alg, k.publicKey, token)) throw new Error(`${alg}: crypto.verify refused`);
      }
    });

    test('[node asymmetric] rsa keys of 1024 and 2047 bits are too weak unless allowWeakKey', () => {
      for (const k of [keys.rsa1024, keys.rsa2047]) {
        const bits = k.publicKey.asymmetricKeyDetails.modulusLength;
        const token = nodeToken('RS256', k.privateKey);
        for (const [label, key] of [...k.publicForms, ...k.privateForms]) {
          refuses(() => jwt.verify(token, key), 'ERR_KEY_TOO_WEAK', `${bits} bits, verify with ${label}`);
          eq(works(() => jwt.verify(token, key, { allowWeakKey: true }), `${bits} bits, allowWeakKey, ${label}`).n, 3, label);
        }
        for (const [label, key] of k.privateForms) {
          refuses(() => jwt.sign({ a: 1 }, key, { algorithm: 'PS256' }), 'ERR_KEY_TOO_WEAK', `${bits} bits, sign with ${label}`);
          const ok = works(() => jwt.sign({ a: 1 }, key, { algorithm: 'PS256', allowWeakKey: true }), `${bits} bits, allowWeakKey sign`);
          if (!nodeVerifies('PS256', k.publicKey, ok)) throw new Error(`${bits} bits: crypto.verify refused`);
        }
      }
    });

    test('[node asymmetric] KeyObjects: secret ones never verify RS256 and public ones never verify HS256', () => {
      const secret = crypto.createSecretKey(Buffer.alloc(64, 1));
      for (const alg of ['RS256', 'ES256', 'EdDSA']) {
        const token = nodeToken(alg, keyFor(alg).privateKey);
        refuses(() => jwt.verify(token, secret, { algorithms: [alg] }), ['ERR_JWS_ALG_NOT_ALLOWED', 'ERR_KEY_INVALID'], `secret KeyObject, ${alg}`);
      }
      for (const k of [keys.rsa, keys.p256, keys.ed]) {
        const forged = (() => {
          const input = `${b64u('{"alg":"HS256","typ":"JWT"}')}.${b64u('{"admin":true}')}`;
          return `${input}.${b64u(crypto.createHmac('sha256', k.spki).update(input).digest())}`;
        })();
        for (const key of [k.publicKey, k.privateKey, k.spki]) {
          refuses(() => jwt.verify(forged, key, { algorithms: ['HS256'] }), ['ERR_JWS_ALG_NOT_ALLOWED', 'ERR_KEY_INVALID'], `${k.familyAlg} key, HS256 token`);
        }
      }
    });

    test('[node asymmetric] a public JWK, JWK Set, bare array of JWKs or PEM body after a BOM kept as text is never an HMAC secret', () => {
      for (const k of [keys.rsa, keys.p256, keys.ed]) {
        const jwk = JSON.stringify(k.jwkPublic);
        const der = k.publicKey.export({ type: 'spki', format: 'der' });
        for (const [label, text] of [
          ['JWK', jwk],
          ['JWK Set', `{"keys":[${jwk}]}`],
          ['bare array of JWKs', `[${jwk}]`],
          ['bare array of JWKs after a byte-order mark', `\ufeff[${jwk}]`],
          ['SPKI PEM body after a byte-order mark', `\ufeff${der.toString('base64')}`],
        ]) {
          const input = `${b64u('{"alg":"HS256","typ":"JWT"}')}.${b64u('{"admin":true}')}`;
          const forged = `${input}.${b64u(crypto.createHmac('sha256', text).update(input).digest())}`;
          refuses(() => jwt.verify(forged, text), 'ERR_KEY_INVALID', `${k.familyAlg} ${label} text`);
          refuses(() => jwt.verify(forged, text, { algorithms: ['HS256'] }), 'ERR_KEY_INVALID', `${k.familyAlg} ${label} text, HS256 listed`);
        }
      }
    });

    test('[node asymmetric] unsupported key types are invalid keys and their messages do not echo them', () => {
      const cases = [];
      for (const [label, type, options] of [
        ['secp256k1', 'ec', { namedCurve: 'secp256k1' }],
        ['Ed448', 'ed448', undefined],
        ['X25519', 'x25519', undefined],
      ]) {
        const { publicKey, privateKey } = crypto.generateKeyPairSync(type, options);
        cases.push([`${label} spki PEM`, publicKey.export({ type: 'spki', format: 'pem' })]);
        cases.push([`${label} pkcs8 PEM`, privateKey.export({ type: 'pkcs8', format: 'pem' })]);
        cases.push([`${label} JWK`, publicKey.export({ format: 'jwk' })]);
        cases.push([`${label} KeyObject`, publicKey]);
      }
      cases.push(['encrypted PKCS#8', keys.p256.privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' })]);
      const token = nodeToken('ES256', keys.p256.privateKey);
      for (const [label, key] of cases) {
        const material = typeof key === 'string' ? [key] : key.export ? [] : Object.values(key).filter((v) => String(v).length >= 16);
        for (const [what, fn] of [['importKey', () => jwt.importKey(key)], ['verify', () => jwt.verify(token, key)]]) {
          const e = refuses(fn, 'ERR_KEY_INVALID', `${label} (${what})`);
          noKeyMaterial(e.message, material, `${label} (${what})`);
        }
        if (typeof key === 'string') {
          const input = `${b64u('{"alg":"HS256","typ":"JWT"}')}.${b64u('{"admin":true}')}`;
          const forged = `${input}.${b64u(crypto.createHmac('sha256', key).update(input).digest())}`;
          refuses(() => jwt.verify(forged, key), ['ERR_KEY_INVALID', 'ERR_JWS_ALG_NOT_ALLOWED'], `${label} text as an HMAC secret`);
        }
      }
    });

    test('[node asymmetric] an RSASSA-PSS key (id-RSASSA-PSS SPKI) either verifies PS256 or is an invalid key', () => {
      const { publicKey, privateKey } = crypto.generateKeyPairSync('rsa-pss', { modulusLength: 2048, hashAlgorithm: 'sha256', mgf1HashAlgorithm: 'sha256', saltLength: 32 });
      const token = nodeToken('PS256', privateKey);
      const spki = publicKey.export({ type: 'spki', format: 'pem' });
      try {
        eq(jwt.verify(token, spki).n, 3, 'rsa-pss key');
      } catch (e) {
        if (e.code !== 'ERR_KEY_INVALID') throw new Error(`rsa-pss SPKI: ${e.name}(${e.code}): ${e.message}`);
      }
    });

    test('[node asymmetric] exportJWK and exportPEM agree with node:crypto for every format', () => {
      for (const [name, k] of Object.entries(keys)) {
        if (name === 'rsa2047' || name === 'rsa1024') continue;
        for (const [label, key] of [...k.publicForms, ...k.privateForms]) {
          const jwk = works(() => jwt.exportJWK(key), `${name} exportJWK(${label})`);
          for (const m of Object.keys(k.jwkPublic)) eq(jwk[m], k.jwkPublic[m], `${name} ${label}: exportJWK ${m}`);
          for (const m of PRIVATE_MEMBERS) eq(m in jwk, false, `${name} ${label}: no ${m} without {private}`);
          const pemText = works(() => jwt.exportPEM(key), `${name} exportPEM(${label})`);
          if (!crypto.createPublicKey(pemText).equals(k.publicKey)) throw new Error(`${name} ${label}: exportPEM is another key`);
          eq(pemText.replace(/\r/g, '').trim(), k.spki.trim(), `${name} ${label}: exportPEM is node's SPKI PEM`);
        }
        for (const [label, key] of k.privateForms) {
          const jwk = works(() => jwt.exportJWK(key, { private: true }), `${name} exportJWK(${label}, private)`);
          for (const m of Object.keys(k.jwkPrivate)) eq(jwk[m], k.jwkPrivate[m], `${name} ${label}: private exportJWK ${m}`);
          const pemText = works(() => jwt.exportPEM(key, { private: true }), `${name} exportPEM(${label}, private)`);
          if (!crypto.createPrivateKey(pemText).equals(k.privateKey)) throw new Error(`${name} ${label}: exportPEM private is another key`);
          if (!/^-----BEGIN PRIVATE KEY-----\n/.test(pemText)) throw new Error(`${name} ${label}: not PKCS#8: ${pemText.slice(0, 40)}`);
        }
        for (const [label, key] of k.publicForms) {
          refuses(() => jwt.exportJWK(key, { private: true }), 'ERR_KEY_INVALID', `${name} ${label}: exportJWK private of a public key`);
          refuses(() => jwt.exportPEM(key, { private: true }), 'ERR_KEY_INVALID', `${name} ${label}: exportPEM private of a public key`);
        }
      }
    });

    test('[node asymmetric] generateKeyPair keys are keys node:crypto reads and checks', () => {
      for (const alg of ['PS256', 'ES256', 'ES384', 'ES512', 'EdDSA']) {
        const { privateKey, publicKey } = jwt.generateKeyPair(alg);
        const { alg: _a, ...bare } = privateKey;
        const nodePrivate = crypto.createPrivateKey({ key: bare, format: 'jwk' });
        const nodePublic = crypto.createPublicKey({ key: (({ alg: _b, ...p }) => p)(publicKey), format: 'jwk' });
        if (!crypto.createPublicKey(nodePrivate).equals(nodePublic)) throw new Error(`${alg}: the halves do not match`);
        const token = jwt.sign({ g: 1 }, privateKey);
        if (!nodeVerifies(alg, nodePublic, token)) throw new Error(`${alg}: crypto.verify refused`);
        if (alg === 'PS256') {
          const d = nodePublic.asymmetricKeyDetails;
          eq(d.modulusLength, 2048, 'modulus');
          eq(d.publicExponent, 65537n, 'exponent');
        }
      }
    });

    // ---- X.509 certificates ------------------------------------------------------------------------

    mkdirSync(join(repoRoot, 'target'), { recursive: true });
    const certDir = mkdtempSync(join(repoRoot, 'target', 'asymmetric-certs-'));
    let certs;
    try {
      certs = certificates(certDir, keys);
    } catch (e) {
      reportSetupFailure('[node asymmetric] test certificates are made with openssl', e);
    } finally {
      rmSync(certDir, { recursive: true, force: true });
    }
    if (certs) {
      test('[node asymmetric] test certificates exist (openssl on PATH or tests/keys fixtures)', () => {
        if (!certs.list.length) throw new Error('no openssl on PATH and no certificate in tests/keys/*.json');
      });
      for (const c of certs.list) {
        test(`[node asymmetric] an X.509 CERTIFICATE PEM verifies with its public key: ${c.label}`, () => {
          const x509 = new crypto.X509Certificate(c.cert);
          if (!x509.publicKey.equals(c.key.publicKey)) throw new Error('fixture: the certificate is not for this key');
          const token = nodeToken(c.alg, c.key.privateKey);
          const options = c.weak ? { allowWeakKey: true } : undefined;
          eq(works(() => jwt.verify(token, c.cert, options), 'verify with the certificate').n, 3, 'claims');
          eq(works(() => jwt.verify(token, c.cert.replace(/\n/g, '\r\n'), options), 'CRLF certificate').n, 3, 'claims');
          eq(jwt.importKey(c.cert).type, 'public', 'importKey(certificate).type');
          if (c.weak) refuses(() => jwt.verify(token, c.cert), 'ERR_KEY_TOO_WEAK', 'weak key in a certificate');
          const jwk = works(() => jwt.exportJWK(c.cert), 'exportJWK(certificate)');
          for (const [m, v] of Object.entries(c.key.jwkPublic)) eq(jwk[m], v, `exportJWK(certificate).${m}`);
          const spki = works(() => jwt.exportPEM(c.cert), 'exportPEM(certificate)');
          if (!crypto.createPublicKey(spki).equals(c.key.publicKey)) throw new Error('exportPEM(certificate) is another key');
          refuses(() => jwt.exportPEM(c.cert, { private: true }), 'ERR_KEY_INVALID', 'exportPEM(certificate, private)');
          // a token signed by another key of the same type is refused
          const other = c.alg === 'RS256'
            ? keys.rsa3072.privateKey
            : crypto.generateKeyPairSync(c.alg === 'EdDSA' ? 'ed25519' : 'ec', c.alg === 'EdDSA' ? undefined : { namedCurve: c.key.jwkPublic.crv }).privateKey;
          refuses(() => jwt.verify(nodeToken(c.alg, other), c.cert, options), 'ERR_JWS_INVALID_SIGNATURE', 'a token signed by another key');
          // the certificate text is no HMAC secret
          const input = `${b64u('{"alg":"HS256","typ":"JWT"}')}.${b64u('{"admin":true}')}`;
          const forged = `${input}.${b64u(crypto.createHmac('sha256', c.cert).update(input).digest())}`;
          refuses(() => jwt.verify(forged, c.cert), ['ERR_JWS_ALG_NOT_ALLOWED', 'ERR_KEY_INVALID'], 'HS256 with the certificate text as secret');
          refuses(() => jwt.verify(forged, c.cert, { algorithms: ['HS256'] }), ['ERR_JWS_ALG_NOT_ALLOWED', 'ERR_KEY_INVALID'], 'HS256 listed');
        });
      }
      test('[node asymmetric] `openssl x509 -text` output is read as the certificate or refused, never an HMAC secret', () => {
        // The decoded text, then the PEM block: a common form of certificate files.
        const input = `${b64u('{"alg":"HS256","typ":"JWT"}')}.${b64u('{"admin":true}')}`;
        const problems = [];
        for (const c of certs.list.filter((x) => x.withText)) {
          const forged = `${input}.${b64u(crypto.createHmac('sha256', c.withText).update(input).digest())}`;
          try {
            refuses(() => jwt.verify(forged, c.withText), ['ERR_JWS_ALG_NOT_ALLOWED', 'ERR_KEY_INVALID'], `${c.label}: HS256 signed with the text`);
            const token = nodeToken(c.alg, c.key.privateKey);
            try {
              eq(jwt.verify(token, c.withText, c.weak ? { allowWeakKey: true } : undefined).n, 3, `${c.label}: read as the certificate`);
            } catch (e) {
              if (!['ERR_KEY_INVALID', 'ERR_JWS_ALG_NOT_ALLOWED'].includes(e.code)) throw e;
            }
          } catch (e) {
            problems.push(e.message);
          }
        }
        if (problems.length) throw new Error(problems.join('\n'));
      });
      test('[node asymmetric] a certificate or a public KeyObject cannot sign (in a fresh process)', () => {
        // A fresh process each: a crash inside the wasm core must not take this one's module down.
        const c = certs.list.find((x) => x.alg === 'ES256') || certs.list[0];
        const attempts = [
          ['certificate', `const key = ${JSON.stringify(c.cert)};`],
          ['public KeyObject', `const key = require('node:crypto').createPublicKey(${JSON.stringify(keys.p256.spki)});`],
        ];
        const problems = [];
        for (const [label, setup] of attempts) {
          const script = `${setup}
            const jwt = require('jwtkit');
            try { jwt.sign({ a: 1 }, key, { algorithm: ${JSON.stringify(c.alg)} }); console.log('signed'); }
            catch (e) { console.log(JSON.stringify({ name: e.name, code: e.code, message: e.message })); }`;
          const r = spawnSync(process.execPath, ['-e', script], { cwd: project, encoding: 'utf8', timeout: 30_000 });
          let out;
          try {
            out = JSON.parse(r.stdout.trim());
          } catch {
            out = { raw: r.stdout.trim(), stderr: r.stderr.trim().slice(0, 500) };
          }
          if (out.code !== 'ERR_KEY_INVALID') problems.push(`${label}: expected ERR_KEY_INVALID, got ${JSON.stringify(out)}`);
        }
        if (problems.length) throw new Error(problems.join('\n'));
      });
    }
  }
}
