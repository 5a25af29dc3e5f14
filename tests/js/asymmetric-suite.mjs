// The asymmetric-algorithm contract suite (docs: /work/shared/API-CONTRACT.md, "Asymmetric
// algorithms"): RS256/384/512, PS256/384/512, ES256/384/512 and EdDSA, every key form, both
// directions against two oracles (WebCrypto and jose), key confusion, weak keys, ECDSA
// "psychic signatures" (CVE-2022-21449), malformed keys, keys in the token header, JWK Set
// selection, exportJWK/exportPEM/generateKeyPair/importKey.
//
// Runtime-agnostic like suite.mjs: no node:* imports, no node:test; only WebCrypto
// (crypto.subtle) and env.jose as oracles. It runs in Node (ESM and CommonJS), Chromium and
// workerd:
//
//   import { runAsymmetricSuite } from './asymmetric-suite.mjs';
//   const results = await runAsymmetricSuite(jwt, { runtime: 'node esm', jose });
//   // -> [{ name, ok, error? }, ...]   one per case, names are behaviour sentences
// Optional env members: filter (a RegExp source: run only the matching cases), onCase(name).
//
// Keys are made once per run with WebCrypto (RSA 2048 x2, RSA 1024, and two each of P-256,
// P-384, P-521 and Ed25519); PKCS#1 and SEC1 forms are cut from / built around WebCrypto's
// DER with the small DER helpers below, so every PEM label of the contract but CERTIFICATE
// (asymmetric.test.mjs, with openssl) is covered in every runtime.
//
// Cases that make the package refuse to sign with a public key or a key of another curve run
// last: a crash inside the wasm core there would leave the module unusable for later cases.

const CASE_TIMEOUT_MS = 30000;

// ---- asserts (as in suite.mjs) -------------------------------------------------------------

class AssertionFailed extends Error {
  constructor(message) {
    super(message);
    this.name = 'AssertionFailed';
  }
}
function fail(message) {
  throw new AssertionFailed(message);
}
function ok(cond, message) {
  if (!cond) fail(message || 'assertion failed');
}
function show(v) {
  try {
    if (typeof v === 'string') return JSON.stringify(v.length > 200 ? v.slice(0, 200) + '…' : v);
    if (v instanceof Error) return `${v.name}(${v.code ?? ''}): ${v.message}`;
    const s = JSON.stringify(v);
    if (s === undefined) return String(v);
    return s.length > 300 ? s.slice(0, 300) + '…' : s;
  } catch {
    return String(v);
  }
}
function eq(actual, expected, label) {
  if (actual !== expected) fail(`${label ? label + ': ' : ''}expected ${show(expected)}, got ${show(actual)}`);
}
function diff(a, b, path = '$') {
  if (a === b) return null;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return `${path}: ${show(a)} !== ${show(b)}`;
  if (Array.isArray(a) !== Array.isArray(b)) return `${path}: array vs object`;
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  if (ka.length !== kb.length || ka.some((k, i) => k !== kb[i])) return `${path}: members ${show(ka)} !== ${show(kb)}`;
  for (const k of ka) {
    const d = diff(a[k], b[k], `${path}.${k}`);
    if (d) return d;
  }
  return null;
}
function deepEq(actual, expected, label) {
  const d = diff(actual, expected);
  if (d) fail(`${label ? label + ': ' : ''}not deep-equal at ${d}`);
}

// ---- bytes, base64url, PEM, DER ---------------------------------------------------------------

const enc = new TextEncoder();
const dec = new TextDecoder();

function b64(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
  return btoa(s);
}
const b64u = (bytes) => b64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const b64uText = (text) => b64u(enc.encode(text));
function fromB64(s) {
  const std = s.replace(/-/g, '+').replace(/_/g, '/').replace(/\s+/g, '');
  const bin = atob(std + '='.repeat((4 - (std.length % 4)) % 4));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
const fromB64u = fromB64;
const textFromB64u = (s) => dec.decode(fromB64u(s));
function concat(list) {
  const arrays = list.map((x) => (x instanceof Uint8Array ? x : Uint8Array.from(x)));
  const out = new Uint8Array(arrays.reduce((n, a) => n + a.length, 0));
  let o = 0;
  for (const a of arrays) {
    out.set(a, o);
    o += a.length;
  }
  return out;
}
const hex = (h) => Uint8Array.from(h.match(/../g).map((x) => parseInt(x, 16)));
const bytesEqual = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);

function pem(label, der, eol = '\n') {
  const body = b64(der).match(/.{1,64}/g).join(eol);
  return `-----BEGIN ${label}-----${eol}${body}${eol}-----END ${label}-----${eol}`;
}
function pemBody(text) {
  const m = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/.exec(text);
  if (!m) fail(`not PEM: ${show(text)}`);
  return { label: m[1], der: fromB64(m[2]) };
}

function derLen(n) {
  if (n < 0x80) return [n];
  const b = [];
  while (n) {
    b.unshift(n & 0xff);
    n >>= 8;
  }
  return [0x80 | b.length, ...b];
}
const der = (tag, ...contents) => {
  const body = concat(contents);
  return concat([[tag, ...derLen(body.length)], body]);
};
function tlv(b, off = 0) {
  const tag = b[off];
  let len = b[off + 1];
  let p = off + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[p++];
  }
  return { tag, start: p, end: p + len, off };
}
function children(b, t) {
  const out = [];
  for (let p = t.start; p < t.end; ) {
    const c = tlv(b, p);
    out.push(c);
    p = c.end;
  }
  return out;
}
/** RSAPublicKey (PKCS#1) inside an RSA SPKI. */
function pkcs1PublicOf(spki) {
  const [, bits] = children(spki, tlv(spki));
  return spki.slice(bits.start + 1, bits.end);
}
/** The private key structure (RSAPrivateKey for RSA) inside a PKCS#8 PrivateKeyInfo. */
function innerOfPkcs8(pkcs8) {
  const [, , oct] = children(pkcs8, tlv(pkcs8));
  return pkcs8.slice(oct.start, oct.end);
}
/** DER INTEGER contents of a big-endian unsigned value (leading zeros trimmed, sign byte added). */
function derUint(bytes) {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  const v = bytes.slice(i);
  return v[0] & 0x80 ? concat([[0], v]) : v;
}
/** A raw r||s ECDSA signature as the DER ECDSA-Sig-Value (what JWS forbids). */
function ecdsaDer(raw) {
  const half = raw.length / 2;
  return der(0x30, der(0x02, derUint(raw.slice(0, half))), der(0x02, derUint(raw.slice(half))));
}

const OID = {
  ecPublicKey: hex('2a8648ce3d0201'),
  'P-256': hex('2a8648ce3d030107'),
  'P-384': hex('2b81040022'),
  'P-521': hex('2b81040023'),
  secp256k1: hex('2b8104000a'),
};
/** SEC1 ECPrivateKey with the curve parameters and the public key, as `openssl ec` writes it. */
function sec1Of(jwk) {
  return der(
    0x30,
    der(0x02, [1]),
    der(0x04, fromB64u(jwk.d)),
    der(0xa0, der(0x06, OID[jwk.crv])),
    der(0xa1, der(0x03, [0, 4], fromB64u(jwk.x), fromB64u(jwk.y))),
  );
}
function ecSpki(curveOid, x, y) {
  return der(0x30, der(0x30, der(0x06, OID.ecPublicKey), der(0x06, curveOid)), der(0x03, [0, 4], x, y));
}

// big-endian unsigned arithmetic on byte arrays (for r + n, n - x, ...)
const toBig = (bytes) => bytes.reduce((v, x) => (v << 8n) | BigInt(x), 0n);
function fromBig(v, len) {
  const out = new Uint8Array(len);
  for (let i = len - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  if (v !== 0n) throw new Error('value does not fit');
  return out;
}

// ---- algorithms ----------------------------------------------------------------------------

const RSA_ALGS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];
const EC_ALGS = ['ES256', 'ES384', 'ES512'];
const ALL_ALGS = [...RSA_ALGS, ...EC_ALGS, 'EdDSA'];
const HASH_OF = { 256: 'SHA-256', 384: 'SHA-384', 512: 'SHA-512' };
const CURVE_OF = { ES256: 'P-256', ES384: 'P-384', ES512: 'P-521' };
const EC_SIG_LEN = { ES256: 64, ES384: 96, ES512: 132 };
const ORDER = {
  'P-256': hex('ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551'),
  'P-384': hex('ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973'),
  'P-521': hex(
    '01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409',
  ),
};
// Ed25519 group order L, big-endian
const ED25519_L = 2n ** 252n + 27742317777372353535851937790883648493n;

/** WebCrypto parameters (import, sign/verify) for a JWS algorithm. */
function webcryptoParams(alg, saltLength) {
  const bits = alg.slice(2);
  if (alg.startsWith('RS')) return [{ name: 'RSASSA-PKCS1-v1_5', hash: HASH_OF[bits] }, { name: 'RSASSA-PKCS1-v1_5' }];
  if (alg.startsWith('PS')) {
    return [{ name: 'RSA-PSS', hash: HASH_OF[bits] }, { name: 'RSA-PSS', saltLength: saltLength ?? Number(bits) / 8 }];
  }
  if (alg.startsWith('ES')) return [{ name: 'ECDSA', namedCurve: CURVE_OF[alg] }, { name: 'ECDSA', hash: HASH_OF[bits] }];
  if (alg === 'EdDSA') return [{ name: 'Ed25519' }, { name: 'Ed25519' }];
  throw new Error(`no WebCrypto parameters for ${alg}`);
}

/** Members of a JWK that describe the key (WebCrypto adds alg, ext, key_ops). */
function keyMembers(jwk, privateToo = true) {
  const names = {
    RSA: ['kty', 'n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi'],
    EC: ['kty', 'crv', 'x', 'y', 'd'],
    OKP: ['kty', 'crv', 'x', 'd'],
  }[jwk.kty];
  const out = {};
  for (const n of names) if (jwk[n] !== undefined && (privateToo || !['d', 'p', 'q', 'dp', 'dq', 'qi'].includes(n))) out[n] = jwk[n];
  return out;
}
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth'];

/** One key pair in every form the suite needs. */
async function makeKey(kind) {
  let gen;
  let familyAlg;
  if (kind.startsWith('rsa')) {
    const bits = kind === 'rsa1024' ? 1024 : 2048;
    gen = { name: 'RSASSA-PKCS1-v1_5', modulusLength: bits, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' };
    familyAlg = 'RS256';
  } else if (kind.startsWith('p')) {
    const crv = { p256: 'P-256', p256b: 'P-256', p384: 'P-384', p384b: 'P-384', p521: 'P-521', p521b: 'P-521' }[kind];
    gen = { name: 'ECDSA', namedCurve: crv };
    familyAlg = { 'P-256': 'ES256', 'P-384': 'ES384', 'P-521': 'ES512' }[crv];
  } else {
    gen = { name: 'Ed25519' };
    familyAlg = 'EdDSA';
  }
  const pair = await crypto.subtle.generateKey(gen, true, ['sign', 'verify']);
  const spki = new Uint8Array(await crypto.subtle.exportKey('spki', pair.publicKey));
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey('pkcs8', pair.privateKey));
  const jwkPrivate = keyMembers(await crypto.subtle.exportKey('jwk', pair.privateKey));
  const jwkPublic = keyMembers(jwkPrivate, false);
  const k = {
    kind,
    familyAlg,
    spki,
    pkcs8,
    jwkPublic,
    jwkPrivate,
    spkiPem: pem('PUBLIC KEY', spki),
    pkcs8Pem: pem('PRIVATE KEY', pkcs8),
    cryptoKeys: new Map(),
  };
  if (kind.startsWith('rsa')) {
    k.pkcs1PublicPem = pem('RSA PUBLIC KEY', pkcs1PublicOf(spki));
    k.pkcs1PrivatePem = pem('RSA PRIVATE KEY', innerOfPkcs8(pkcs8));
  }
  if (jwkPublic.kty === 'EC') k.sec1Pem = pem('EC PRIVATE KEY', sec1Of(jwkPrivate));
  return k;
}

async function webcryptoKey(k, alg, which) {
  const id = `${alg}/${which}`;
  if (!k.cryptoKeys.has(id)) {
    const [imp] = webcryptoParams(alg);
    const key = await crypto.subtle.importKey(which === 'public' ? 'spki' : 'pkcs8', which === 'public' ? k.spki : k.pkcs8, imp, false, [
      which === 'public' ? 'verify' : 'sign',
    ]);
    k.cryptoKeys.set(id, key);
  }
  return k.cryptoKeys.get(id);
}

/** Signs `signingInput` with WebCrypto; the raw signature bytes (ECDSA: r||s). */
async function webcryptoSign(k, alg, signingInput, saltLength) {
  const [, params] = webcryptoParams(alg, saltLength);
  const hashFor = alg.startsWith('ES') ? alg : null;
  // an ES384 signature over a P-256 key (for the curve-mismatch cases): import with the key's curve
  const key = hashFor && CURVE_OF[alg] !== k.jwkPublic.crv ? await webcryptoKey(k, k.familyAlg, 'private') : await webcryptoKey(k, alg, 'private');
  return new Uint8Array(await crypto.subtle.sign(params, key, enc.encode(signingInput)));
}
async function webcryptoVerify(k, alg, token) {
  const [h, p, s] = token.split('.');
  const [, params] = webcryptoParams(alg);
  return crypto.subtle.verify(params, await webcryptoKey(k, alg, 'public'), fromB64u(s), enc.encode(`${h}.${p}`));
}

/** A token over exactly this header and payload, signed by WebCrypto with key `k`. */
async function oracleToken(k, alg, header = { alg, typ: 'JWT' }, payload = { sub: 'oracle', n: 1 }, { saltLength, mangle } = {}) {
  const h = b64uText(typeof header === 'string' ? header : JSON.stringify(header));
  const p = b64uText(typeof payload === 'string' ? payload : JSON.stringify(payload));
  let sig = await webcryptoSign(k, alg, `${h}.${p}`, saltLength);
  if (mangle) sig = mangle(sig);
  return `${h}.${p}.${b64u(sig)}`;
}
async function hmacToken(secretBytes, header = { alg: 'HS256', typ: 'JWT' }, payload = { sub: 'forged', admin: true }) {
  const h = b64uText(JSON.stringify(header));
  const p = b64uText(JSON.stringify(payload));
  const key = await crypto.subtle.importKey('raw', secretBytes, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return `${h}.${p}.${b64u(new Uint8Array(await crypto.subtle.sign('HMAC', key, enc.encode(`${h}.${p}`))))}`;
}
function withSignature(token, sigBytes) {
  const [h, p] = token.split('.');
  return `${h}.${p}.${b64u(sigBytes)}`;
}
function tamperPayload(token) {
  const [h, , s] = token.split('.');
  return `${h}.${b64uText(JSON.stringify({ sub: 'someone else', n: 1 }))}.${s}`;
}
const headerOf = (token) => JSON.parse(textFromB64u(token.split('.')[0]));
const headerTextOf = (token) => textFromB64u(token.split('.')[0]);
const sigOf = (token) => fromB64u(token.split('.')[2]);

/** The first 16-character piece of a secret (whitespace removed) that `message` contains, or null. */
function leaksKeyMaterial(message, secrets, window = 16) {
  for (const s of secrets) {
    if (typeof s !== 'string') continue;
    const clean = s.replace(/\s+/g, '');
    for (let i = 0; i + window <= clean.length; i += 4) {
      if (message.includes(clean.slice(i, i + window))) return clean.slice(i, i + window);
    }
  }
  return null;
}

// ---- the suite -------------------------------------------------------------------------------

export async function runAsymmetricSuite(jwt, env = {}) {
  const runtime = env.runtime || 'unknown';
  const jose = env.jose;
  const cases = [];
  const test = (name, fn) => cases.push({ name, fn });
  const JWTError = jwt.JsonWebTokenError;

  /** Runs fn, expects a JsonWebTokenError with one of `codes`; returns the error. */
  function throws(fn, codes, label) {
    codes = [].concat(codes);
    let result;
    try {
      result = fn();
    } catch (err) {
      const where = label ? `${label}: ` : '';
      ok(err instanceof Error, `${where}thrown value is not an Error: ${show(err)}`);
      ok(typeof JWTError !== 'function' || err instanceof JWTError, `${where}not a JsonWebTokenError: ${show(err)}`);
      ok(typeof err.message === 'string' && err.message.length > 0, `${where}error has no message`);
      if (codes.length && !codes.includes(err.code)) fail(`${where}expected code ${codes.join(' or ')}, got ${show(err)}`);
      return err;
    }
    fail(`${label ? label + ': ' : ''}expected a throw (${codes.join(' or ')}), got ${show(result)}`);
  }
  function succeeds(fn, label) {
    try {
      return fn();
    } catch (e) {
      fail(`${label}: ${show(e)}`);
    }
  }
  const joseKey = new Map();
  async function joseKeyOf(k, alg, which) {
    const id = `${k.kind}/${alg}/${which}`;
    if (!joseKey.has(id)) {
      joseKey.set(id, which === 'public' ? await jose.importSPKI(k.spkiPem, alg) : await jose.importPKCS8(k.pkcs8Pem, alg));
    }
    return joseKey.get(id);
  }
  async function joseVerifies(k, alg, token) {
    try {
      return (await jose.jwtVerify(token, await joseKeyOf(k, alg, 'public'), { algorithms: [alg] })).payload;
    } catch (e) {
      fail(`jose refused ${alg} token: ${show(e)}`);
    }
  }
  async function joseToken(k, alg, payload = { sub: 'jose', n: 2 }, header = {}) {
    return new jose.SignJWT(payload).setProtectedHeader({ alg, typ: 'JWT', ...header }).sign(await joseKeyOf(k, alg, 'private'));
  }

  // ---- keys, once per run ----------------------------------------------------------------------

  let K;
  try {
    if (!jose) throw new Error('env.jose is required');
    if (!globalThis.crypto || !crypto.subtle) throw new Error('WebCrypto (crypto.subtle) is not available');
    const kinds = ['rsa', 'rsa2', 'rsa1024', 'p256', 'p256b', 'p384', 'p384b', 'p521', 'p521b', 'ed', 'ed2'];
    const made = await Promise.all(kinds.map((kind) => makeKey(kind)));
    K = Object.fromEntries(made.map((k) => [k.kind, k]));
  } catch (e) {
    return [{ name: 'test_keys_are_made_with_webcrypto', ok: false, error: `[${runtime}] ${(e && e.stack) || e}` }];
  }
  const keyForAlg = (alg) => (alg.startsWith('RS') || alg.startsWith('PS') ? K.rsa : alg === 'EdDSA' ? K.ed : { ES256: K.p256, ES384: K.p384, ES512: K.p521 }[alg]);
  const MAIN = [K.rsa, K.p256, K.p384, K.p521, K.ed];

  /** The private key forms of the contract for key `k`: [label, key, signOptions-extra]. */
  function privateForms(k) {
    const forms = [
      ['PKCS#8 PEM', k.pkcs8Pem],
      ['private JWK', k.jwkPrivate],
      ['importKey(PKCS#8 PEM)', jwt.importKey(k.pkcs8Pem)],
      ['importKey(private JWK)', jwt.importKey(k.jwkPrivate)],
      ['PKCS#8 PEM with CRLF line ends', pem('PRIVATE KEY', k.pkcs8, '\r\n')],
      ['PKCS#8 PEM as bytes (a key file read into a Buffer)', new TextEncoder().encode(k.pkcs8Pem)],
      ['{ key: PKCS#8 PEM } (jsonwebtoken)', { key: k.pkcs8Pem }],
    ];
    if (k.pkcs1PrivatePem) forms.push(['PKCS#1 RSA PRIVATE KEY PEM', k.pkcs1PrivatePem]);
    if (k.sec1Pem) forms.push(['SEC1 EC PRIVATE KEY PEM', k.sec1Pem]);
    return forms;
  }
  /** The verify key forms for key `k` (public ones, and private ones whose public half is used). */
  function verifyForms(k) {
    const forms = [
      ['SPKI PEM', k.spkiPem],
      ['public JWK', k.jwkPublic],
      ['JWK Set', { keys: [{ ...k.jwkPublic, kid: 'only', use: 'sig' }] }],
      ['importKey(SPKI PEM)', jwt.importKey(k.spkiPem)],
      ['importKey(public JWK)', jwt.importKey(k.jwkPublic)],
      ['SPKI PEM with CRLF line ends and surrounding blanks', `\n  ${pem('PUBLIC KEY', k.spki, '\r\n')}\n`],
      ['PKCS#8 PEM (public half)', k.pkcs8Pem],
      ['private JWK (public half)', k.jwkPrivate],
      ['SPKI PEM as bytes (a key file read into a Buffer)', new TextEncoder().encode(k.spkiPem)],
      ['{ key: SPKI PEM } (jsonwebtoken)', { key: k.spkiPem }],
    ];
    if (k.pkcs1PublicPem) forms.push(['PKCS#1 RSA PUBLIC KEY PEM', k.pkcs1PublicPem], ['PKCS#1 RSA PRIVATE KEY PEM (public half)', k.pkcs1PrivatePem]);
    if (k.sec1Pem) forms.push(['SEC1 EC PRIVATE KEY PEM (public half)', k.sec1Pem]);
    return forms;
  }
  const T = Math.floor(Date.now() / 1000);

  // ---- the package ---------------------------------------------------------------------------

  test('the_package_exports_the_asymmetric_key_functions', () => {
    for (const f of ['generateKeyPair', 'exportJWK', 'exportPEM', 'importKey', 'createSigner', 'createVerifier']) {
      eq(typeof jwt[f], 'function', `typeof ${f}`);
    }
  });

  test('pem_bytes_are_a_pem_key_never_an_hmac_secret_and_encrypted_keys_are_refused', () => {
    const hs = jwt.sign({ a: 1 }, 'a secret long enough for HS256 signing, 32+ bytes');
    for (const key of [new TextEncoder().encode(K.rsa.spkiPem), new TextEncoder().encode(`notes\n${K.p256.spkiPem}`).buffer]) {
      throws(() => jwt.verify(hs, key, { algorithms: ['HS256'] }), ['ERR_JWS_ALG_NOT_ALLOWED', 'ERR_KEY_INVALID'], 'PEM bytes as an HMAC secret');
    }
    // Public key material in other forms is no secret either: DER bytes, a PEM body without
    // its armor lines, a JWK Set as text.
    const body = (text) => text.split(/\r?\n/).filter((line) => line && !line.startsWith('-----')).join('\n');
    for (const k of [K.rsa, K.p256, K.ed]) {
      for (const [label, key] of [
        ['SPKI DER bytes', k.spki],
        ['PKCS#8 DER bytes', k.pkcs8],
        ['SPKI PEM body', body(k.spkiPem)],
        ['JWK Set text', JSON.stringify({ keys: [k.jwkPublic] })],
      ]) {
        throws(() => jwt.sign({}, key, { algorithm: 'HS256', allowWeakKey: true }), ['ERR_KEY_INVALID'], `${k.kind} ${label}: sign HS256`);
        throws(() => jwt.verify(hs, key, { algorithms: ['HS256'] }), ['ERR_KEY_INVALID', 'ERR_JWS_ALG_NOT_ALLOWED'], `${k.kind} ${label}: verify HS256`);
      }
    }
    const e = throws(() => jwt.sign({}, { key: K.rsa.pkcs8Pem, passphrase: 'pw' }, { algorithm: 'RS256' }), 'ERR_KEY_INVALID', 'passphrase');
    ok(/createPrivateKey/.test(e.message), `message says what to do: ${e.message}`);
  });

  // ---- both directions, every algorithm and key form ------------------------------------------------

  for (const alg of ALL_ALGS) {
    const k = keyForAlg(alg);
    const lower = alg.toLowerCase();

    test(`${lower}_tokens_signed_by_jwtkit_from_every_private_key_form_verify_in_webcrypto_and_jose`, async () => {
      const payload = { sub: 'jwtkit', n: 42, s: 'é😀', nested: { a: [1, 2] } };
      const tokens = [];
      for (const [label, key] of privateForms(k)) {
        tokens.push([label, succeeds(() => jwt.sign(payload, key, { algorithm: alg, timestamp: T }), `sign with ${label}`)]);
      }
      tokens.push(['createSigner(PKCS#8 PEM)', succeeds(() => jwt.createSigner(k.pkcs8Pem, { algorithm: alg, timestamp: T }).sign(payload), 'createSigner')]);
      tokens.push([
        'callback sign',
        await new Promise((resolve, reject) => jwt.sign(payload, k.pkcs8Pem, { algorithm: alg, timestamp: T }, (e, t) => (e ? reject(e) : resolve(t)))),
      ]);
      for (const [label, token] of tokens) {
        eq(headerTextOf(token), JSON.stringify({ alg, typ: 'JWT' }), `${label}: header text`);
        if (EC_SIG_LEN[alg]) eq(sigOf(token).length, EC_SIG_LEN[alg], `${label}: raw r||s signature length`);
        if (alg === 'EdDSA') eq(sigOf(token).length, 64, `${label}: Ed25519 signature length`);
        if (k.pkcs1PublicPem) eq(sigOf(token).length, 256, `${label}: RSA 2048 signature length`);
        ok(await webcryptoVerify(k, alg, token), `${label}: WebCrypto verifies the signature`);
        deepEq(await joseVerifies(k, alg, token), { ...payload, iat: T }, `${label}: claims in jose`);
      }
      if (alg.startsWith('RS') || alg === 'EdDSA') {
        // deterministic signatures: every form gives the same token
        for (const [label, token] of tokens) eq(token, tokens[0][1], `${label}: deterministic ${alg} signature`);
      }
    });

    test(`${lower}_tokens_signed_by_webcrypto_and_jose_verify_in_jwtkit_with_every_public_key_form`, async () => {
      const payload = { sub: 'oracle', n: 7, s: 'ü' };
      const tokens = [
        ['WebCrypto', await oracleToken(k, alg, { alg, typ: 'JWT' }, payload)],
        ['jose', await joseToken(k, alg, payload)],
        ['WebCrypto, header without typ and with kid', await oracleToken(k, alg, { kid: 'only', alg }, payload)],
      ];
      for (const [signer, token] of tokens) {
        for (const [label, key] of verifyForms(k)) {
          deepEq(succeeds(() => jwt.verify(token, key, { algorithms: [alg] }), `${signer} token, ${label}, algorithms [${alg}]`), payload, `${signer}/${label}`);
          deepEq(succeeds(() => jwt.verify(token, key), `${signer} token, ${label}, default algorithms`), payload, `${signer}/${label} default`);
        }
        deepEq(succeeds(() => jwt.createVerifier(k.spkiPem).verify(token), `${signer}: createVerifier`), payload, 'createVerifier');
        const complete = succeeds(() => jwt.verify(token, k.spkiPem, { complete: true }), `${signer}: complete`);
        eq(complete.signature, token.split('.')[2], `${signer}: complete.signature`);
        eq(complete.header.alg, alg, `${signer}: complete.header.alg`);
        throws(() => jwt.verify(tamperPayload(token), k.spkiPem), 'ERR_JWS_INVALID_SIGNATURE', `${signer}: tampered payload`);
        throws(() => jwt.verify(token, keyForOtherPair(k).spkiPem), 'ERR_JWS_INVALID_SIGNATURE', `${signer}: another key of the same type`);
        eq(jwt.inspect(token, k.spkiPem).signature.status, 'valid', `${signer}: inspect with the public key`);
        eq(jwt.inspect(tamperPayload(token), k.spkiPem).signature.status, 'invalid', `${signer}: inspect of a tampered token`);
      }
    });
  }
  /** Another key pair of the same type and size as `k`. */
  const keyForOtherPair = (k) => ({ rsa: K.rsa2, p256: K.p256b, p384: K.p384b, p521: K.p521b, ed: K.ed2 })[k.kind];

  test('ps256_384_512_signatures_with_a_salt_other_than_the_hash_length_are_invalid', async () => {
    for (const alg of ['PS256', 'PS384', 'PS512']) {
      const hashLen = Number(alg.slice(2)) / 8;
      for (const saltLength of [0, 20, hashLen + 1]) {
        const token = await oracleToken(K.rsa, alg, { alg, typ: 'JWT' }, { sub: 'salt' }, { saltLength });
        throws(() => jwt.verify(token, K.rsa.spkiPem), 'ERR_JWS_INVALID_SIGNATURE', `${alg} salt ${saltLength}`);
      }
    }
  });

  test('an_rsa_signature_under_the_other_padding_or_hash_is_invalid', async () => {
    const pairs = [['RS256', 'PS256'], ['PS256', 'RS256'], ['RS256', 'RS384'], ['PS384', 'PS512'], ['RS512', 'RS256']];
    for (const [signedAs, claimed] of pairs) {
      const token = await oracleToken(K.rsa, signedAs, { alg: claimed, typ: 'JWT' });
      throws(() => jwt.verify(token, K.rsa.spkiPem), 'ERR_JWS_INVALID_SIGNATURE', `${signedAs} signature under header ${claimed}`);
    }
  });

  // ---- default algorithms, key families, confusion ------------------------------------------------

  test('sign_defaults_to_the_algorithm_of_the_key', () => {
    const cases = [
      [K.rsa.pkcs8Pem, 'RS256'],
      [K.rsa.pkcs1PrivatePem, 'RS256'],
      [K.rsa.jwkPrivate, 'RS256'],
      [K.p256.pkcs8Pem, 'ES256'],
      [K.p384.sec1Pem, 'ES384'],
      [K.p521.jwkPrivate, 'ES512'],
      [K.ed.pkcs8Pem, 'EdDSA'],
      [jwt.importKey(K.p384.pkcs8Pem), 'ES384'],
      [{ ...K.rsa.jwkPrivate, alg: 'PS384' }, 'PS384'],
    ];
    for (const [key, alg] of cases) {
      const token = succeeds(() => jwt.sign({ a: 1 }, key), `default algorithm ${alg}`);
      eq(headerTextOf(token), `{"alg":"${alg}","typ":"JWT"}`, `header for a key whose algorithm is ${alg}`);
    }
  });

  test('verify_defaults_to_the_algorithms_of_the_key_family', async () => {
    for (const alg of RSA_ALGS) {
      const token = await oracleToken(K.rsa, alg);
      eq(succeeds(() => jwt.verify(token, K.rsa.spkiPem), `RSA key, ${alg}`).sub, 'oracle', alg);
    }
    for (const alg of [...EC_ALGS, 'EdDSA']) {
      const token = await oracleToken(keyForAlg(alg), alg);
      eq(succeeds(() => jwt.verify(token, keyForAlg(alg).jwkPublic), `${alg} key`).sub, 'oracle', alg);
    }
    const rsToken = await oracleToken(K.rsa, 'RS256');
    throws(() => jwt.verify(rsToken, K.rsa.spkiPem, { algorithms: ['PS256', 'RS384'] }), 'ERR_JWS_ALG_NOT_ALLOWED', 'RS256 not in the list');
    // a list that also names another family changes nothing for the key's own
    eq(succeeds(() => jwt.verify(rsToken, K.rsa.spkiPem, { algorithms: ['HS256', 'RS256'] }), 'HS256+RS256').sub, 'oracle', 'mixed list');
  });

  test('an_ec_p256_key_refuses_es384_es512_rs256_and_eddsa_tokens_even_when_listed', async () => {
    const all = ['ES256', 'ES384', 'ES512', 'RS256', 'PS256', 'EdDSA', 'HS256'];
    const tokens = [
      ['ES384 (signed with the P-256 key and SHA-384)', await oracleToken(K.p256, 'ES384', { alg: 'ES384', typ: 'JWT' })],
      ['ES384 (signed with a P-384 key)', await oracleToken(K.p384, 'ES384')],
      ['ES512', await oracleToken(K.p521, 'ES512')],
      ['RS256', await oracleToken(K.rsa, 'RS256')],
      ['EdDSA', await oracleToken(K.ed, 'EdDSA')],
    ];
    for (const key of [K.p256.spkiPem, K.p256.jwkPublic, jwt.importKey(K.p256.spkiPem)]) {
      for (const [label, token] of tokens) {
        throws(() => jwt.verify(token, key, { algorithms: all }), 'ERR_JWS_ALG_NOT_ALLOWED', `P-256 key, ${label}`);
        throws(() => jwt.verify(token, key), 'ERR_JWS_ALG_NOT_ALLOWED', `P-256 key, ${label}, default algorithms`);
      }
    }
  });

  test('each_key_type_refuses_the_algorithms_of_the_others_even_when_listed', async () => {
    const everything = [...ALL_ALGS, 'HS256', 'HS384', 'HS512'];
    for (const k of MAIN) {
      for (const alg of ALL_ALGS) {
        const own = keyForAlg(alg);
        if (own === k) continue;
        const token = await oracleToken(own, alg);
        throws(() => jwt.verify(token, k.spkiPem, { algorithms: everything }), 'ERR_JWS_ALG_NOT_ALLOWED', `${k.kind} key, ${alg} token`);
      }
    }
  });

  test('an_hs256_token_signed_with_the_public_key_text_as_secret_is_refused', async () => {
    const asText = [
      ['RSA SPKI PEM', K.rsa.spkiPem],
      ['RSA SPKI PEM without the final newline', K.rsa.spkiPem.trimEnd()],
      ['RSA SPKI PEM with CRLF', pem('PUBLIC KEY', K.rsa.spki, '\r\n')],
      ['RSA PKCS#1 PEM', K.rsa.pkcs1PublicPem],
      ['EC P-256 SPKI PEM', K.p256.spkiPem],
      ['Ed25519 SPKI PEM', K.ed.spkiPem],
      ['RSA PKCS#8 PEM', K.rsa.pkcs8Pem],
    ];
    for (const [label, text] of asText) {
      for (const alg of ['HS256', 'HS384', 'HS512']) {
        const hs = alg === 'HS256' ? await hmacToken(enc.encode(text)) : await hmacWith(alg, enc.encode(text));
        for (const algorithms of [undefined, [alg], [alg, 'RS256', 'ES256', 'EdDSA']]) {
          throws(() => jwt.verify(hs, text, algorithms && { algorithms }), ['ERR_JWS_ALG_NOT_ALLOWED', 'ERR_KEY_INVALID'], `${label} ${alg} algorithms ${show(algorithms)}`);
        }
        throws(() => jwt.createVerifier(text, { algorithms: [alg] }).verify(hs), ['ERR_JWS_ALG_NOT_ALLOWED', 'ERR_KEY_INVALID'], `${label} createVerifier ${alg}`);
        eq(jwt.inspect(hs, text).signature.status === 'valid', false, `${label}: inspect never calls the forged ${alg} token valid`);
      }
    }
  });

  async function hmacWith(alg, bytes) {
    const h = b64uText(JSON.stringify({ alg, typ: 'JWT' }));
    const p = b64uText(JSON.stringify({ sub: 'forged', admin: true }));
    const key = await crypto.subtle.importKey('raw', bytes, { name: 'HMAC', hash: HASH_OF[alg.slice(2)] }, false, ['sign']);
    return `${h}.${p}.${b64u(new Uint8Array(await crypto.subtle.sign('HMAC', key, enc.encode(`${h}.${p}`))))}`;
  }

  test('an_hs256_token_given_an_asymmetric_jwk_or_jwk_set_is_refused', async () => {
    for (const k of MAIN) {
      const keys = [
        ['public JWK', k.jwkPublic],
        ['private JWK', k.jwkPrivate],
        ['JWK Set', { keys: [{ ...k.jwkPublic, kid: 'k1' }] }],
        ['importKey(SPKI)', jwt.importKey(k.spkiPem)],
      ];
      for (const secretText of [JSON.stringify(k.jwkPublic), k.jwkPublic.n ?? k.jwkPublic.x, k.spkiPem]) {
        const hs = await hmacToken(enc.encode(secretText), { alg: 'HS256', typ: 'JWT', kid: 'k1' });
        for (const [label, key] of keys) {
          throws(() => jwt.verify(hs, key, { algorithms: ['HS256'] }), ['ERR_JWS_ALG_NOT_ALLOWED', 'ERR_KEY_INVALID', 'ERR_JWKS_NO_MATCH'], `${k.kind} ${label}`);
          throws(() => jwt.verify(hs, key), ['ERR_JWS_ALG_NOT_ALLOWED', 'ERR_KEY_INVALID', 'ERR_JWKS_NO_MATCH'], `${k.kind} ${label} default`);
        }
      }
    }
  });

  test('pem_public_key_bytes_in_a_uint8array_are_never_an_hmac_secret', async () => {
    // jsonwebtoken's README: verify(token, fs.readFileSync('public.pem')). The bytes of a PEM
    // key must not turn into an HMAC secret (for RS256 tokens either answer is fine: the key is
    // used, or refused as a key).
    for (const k of [K.rsa, K.p256, K.ed]) {
      const bytes = enc.encode(k.spkiPem);
      const hs = await hmacToken(bytes);
      throws(() => jwt.verify(hs, bytes), ['ERR_JWS_ALG_NOT_ALLOWED', 'ERR_KEY_INVALID'], `${k.kind} PEM bytes, HS256 token`);
      throws(() => jwt.verify(hs, bytes, { algorithms: ['HS256'] }), ['ERR_JWS_ALG_NOT_ALLOWED', 'ERR_KEY_INVALID'], `${k.kind} PEM bytes, HS256 listed`);
      const own = await oracleToken(k, k.familyAlg);
      try {
        eq(jwt.verify(own, bytes).sub, 'oracle', `${k.kind} PEM bytes used as the public key`);
      } catch (e) {
        ok(e.code === 'ERR_KEY_INVALID' || e.code === 'ERR_JWS_ALG_NOT_ALLOWED', `${k.kind} PEM bytes for its own token: ${show(e)}`);
      }
    }
  });

  test('a_pem_key_after_explanatory_text_is_never_an_hmac_secret', async () => {
    // Key files often carry text before the block: `openssl x509 -text`, `openssl pkcs12`
    // ("Bag Attributes"), `openssl req -subject`. OpenSSL (and so jsonwebtoken through
    // crypto.createPublicKey) skips it and reads the key. Whether jwtkit reads the key or
    // refuses the text as a key, the text must never become an HMAC secret: the public key
    // file is public, so an HS256 token signed with it would be a forgery.
    const preambles = [
      'subject=CN = jwtkit test\nissuer=CN = jwtkit test\n',
      'Bag Attributes\n    localKeyID: 01 00 00 00 \nKey Attributes: <No Attributes>\n',
      'Certificate:\n    Data:\n        Version: 3 (0x2)\n',
      'public key of the token service\n\n',
    ];
    for (const k of [K.rsa, K.p256, K.ed]) {
      const own = await oracleToken(k, k.familyAlg);
      for (const pre of preambles) {
        const text = pre + k.spkiPem;
        for (const [form, key] of [['string', text], ['bytes', enc.encode(text)]]) {
          const label = `${k.kind} PEM after ${show(pre.split('\n')[0])} as ${form}`;
          const hs = await hmacToken(enc.encode(text));
          throws(() => jwt.verify(hs, key), ['ERR_JWS_ALG_NOT_ALLOWED', 'ERR_KEY_INVALID'], `${label}, HS256 token`);
          throws(() => jwt.verify(hs, key, { algorithms: ['HS256'] }), ['ERR_JWS_ALG_NOT_ALLOWED', 'ERR_KEY_INVALID'], `${label}, HS256 listed`);
          try {
            eq(jwt.verify(own, key).sub, 'oracle', `${label}: read as the public key`);
          } catch (e) {
            ok(['ERR_KEY_INVALID', 'ERR_JWS_ALG_NOT_ALLOWED'].includes(e.code), `${label}, its own ${k.familyAlg} token: ${show(e)}`);
          }
        }
      }
    }
  });

  test('signing_hs256_with_an_asymmetric_key_or_rs256_with_a_secret_is_refused', () => {
    const codes = ['ERR_JWS_ALG_NOT_ALLOWED', 'ERR_KEY_INVALID', 'ERR_INVALID_OPTION'];
    for (const k of MAIN) {
      for (const key of [k.pkcs8Pem, k.spkiPem, k.jwkPrivate, k.jwkPublic]) {
        throws(() => jwt.sign({ a: 1 }, key, { algorithm: 'HS256' }), codes, `${k.kind} key, HS256`);
      }
    }
    const secret = 'a secret that is long enough for HS256 and more';
    for (const alg of ALL_ALGS) {
      throws(() => jwt.sign({ a: 1 }, secret, { algorithm: alg }), codes, `secret, ${alg}`);
      throws(() => jwt.sign({ a: 1 }, { kty: 'oct', k: b64u(enc.encode(secret)) }, { algorithm: alg }), codes, `oct JWK, ${alg}`);
    }
  });

  test('a_secret_never_verifies_rs256_ps256_es256_or_eddsa_tokens', async () => {
    const secrets = [
      ['string', 'a secret that is long enough for HS256 and more'],
      ['bytes', new Uint8Array(64).fill(7)],
      ['oct JWK', { kty: 'oct', k: b64u(new Uint8Array(64).fill(7)) }],
      ['importKey(secret)', jwt.importKey('a secret that is long enough for HS256 and more')],
    ];
    for (const alg of ['RS256', 'PS256', 'ES256', 'ES512', 'EdDSA']) {
      const token = await oracleToken(keyForAlg(alg), alg);
      for (const [label, key] of secrets) {
        throws(() => jwt.verify(token, key, { algorithms: [alg] }), ['ERR_JWS_ALG_NOT_ALLOWED', 'ERR_KEY_INVALID'], `${label}, ${alg} listed`);
        throws(() => jwt.verify(token, key), ['ERR_JWS_ALG_NOT_ALLOWED', 'ERR_KEY_INVALID'], `${label}, ${alg} default`);
      }
    }
  });

  test('alg_none_is_refused_with_an_asymmetric_key', () => {
    const none = `${b64uText('{"alg":"none","typ":"JWT"}')}.${b64uText('{"sub":"x"}')}.`;
    for (const k of MAIN) {
      throws(() => jwt.verify(none, k.spkiPem), ['ERR_JWS_ALG_NOT_ALLOWED', 'ERR_JWT_MALFORMED', 'ERR_JWS_INVALID_SIGNATURE'], `${k.kind}`);
      throws(() => jwt.verify(none, k.spkiPem, { algorithms: ['none', k.familyAlg] }), ['ERR_JWS_ALG_NOT_ALLOWED', 'ERR_INVALID_OPTION', 'ERR_JWT_MALFORMED', 'ERR_JWS_INVALID_SIGNATURE'], `${k.kind}, none listed`);
    }
  });

  // ---- weak RSA keys ---------------------------------------------------------------------------

  test('rsa_keys_under_2048_bits_are_too_weak_unless_allowWeakKey', async () => {
    const w = K.rsa1024;
    for (const [label, key] of [['PKCS#8 PEM', w.pkcs8Pem], ['PKCS#1 PEM', w.pkcs1PrivatePem], ['private JWK', w.jwkPrivate]]) {
      throws(() => jwt.sign({ a: 1 }, key, { algorithm: 'RS256' }), 'ERR_KEY_TOO_WEAK', `sign with 1024-bit ${label}`);
      throws(() => jwt.sign({ a: 1 }, key), 'ERR_KEY_TOO_WEAK', `sign with 1024-bit ${label}, default algorithm`);
      const token = succeeds(() => jwt.sign({ a: 1 }, key, { algorithm: 'PS256', allowWeakKey: true }), `allowWeakKey sign, ${label}`);
      ok(await webcryptoVerify(w, 'PS256', token), `WebCrypto verifies the allowWeakKey token (${label})`);
    }
    const token = await oracleToken(w, 'RS256');
    for (const [label, key] of [['SPKI PEM', w.spkiPem], ['PKCS#1 PEM', w.pkcs1PublicPem], ['public JWK', w.jwkPublic], ['importKey', jwt.importKey(w.spkiPem)]]) {
      throws(() => jwt.verify(token, key), 'ERR_KEY_TOO_WEAK', `verify with 1024-bit ${label}`);
      throws(() => jwt.verify(token, key, { algorithms: ['RS256'] }), 'ERR_KEY_TOO_WEAK', `verify with 1024-bit ${label}, RS256 listed`);
      eq(succeeds(() => jwt.verify(token, key, { allowWeakKey: true }), `allowWeakKey verify, ${label}`).sub, 'oracle', label);
    }
    throws(() => jwt.createVerifier(w.spkiPem).verify(token), 'ERR_KEY_TOO_WEAK', 'createVerifier');
    throws(() => jwt.verify(token, { keys: [w.jwkPublic] }), ['ERR_KEY_TOO_WEAK', 'ERR_JWKS_NO_MATCH'], 'JWK Set holding only a weak key');
    eq(succeeds(() => jwt.createVerifier(w.spkiPem, { allowWeakKey: true }).verify(token), 'createVerifier allowWeakKey').sub, 'oracle', 'createVerifier allowWeakKey');
  });

  // ---- ECDSA and EdDSA signature forms (CVE-2022-21449) ------------------------------------------------

  test('ecdsa_signatures_in_der_form_are_invalid', async () => {
    for (const alg of EC_ALGS) {
      const good = await oracleToken(keyForAlg(alg), alg);
      eq(succeeds(() => jwt.verify(good, keyForAlg(alg).spkiPem), `${alg} raw`).sub, 'oracle', alg);
      const derToken = withSignature(good, ecdsaDer(sigOf(good)));
      throws(() => jwt.verify(derToken, keyForAlg(alg).spkiPem), 'ERR_JWS_INVALID_SIGNATURE', `${alg} DER signature`);
    }
  });

  test('ecdsa_psychic_signatures_with_r_or_s_zero_or_at_least_n_are_invalid', async () => {
    for (const alg of EC_ALGS) {
      const k = keyForAlg(alg);
      const good = await oracleToken(k, alg);
      const sig = sigOf(good);
      const half = sig.length / 2;
      const r = sig.slice(0, half);
      const s = sig.slice(half);
      const n = ORDER[k.jwkPublic.crv];
      eq(n.length, half, `${alg}: the group order has the size of r and s`);
      const zero = new Uint8Array(half);
      const nFull = fromBig(toBig(n), half);
      const bad = [
        ['all-zero signature', concat([zero, zero])],
        ['r = 0', concat([zero, s])],
        ['s = 0', concat([r, zero])],
        ['r = s = n', concat([nFull, nFull])],
        ['r = n', concat([nFull, s])],
        ['s = n', concat([r, nFull])],
        ['r = n + 1', concat([fromBig(toBig(n) + 1n, half), s])],
        ['all-ones signature', new Uint8Array(sig.length).fill(0xff)],
      ];
      // where r + n or s + n still fits (P-521: 66 bytes hold 528 bits), a lenient verifier
      // that reduces mod n would accept them
      const big = 2n ** BigInt(8 * half);
      if (toBig(r) + toBig(n) < big) bad.push(['r + n', concat([fromBig(toBig(r) + toBig(n), half), s])]);
      if (toBig(s) + toBig(n) < big) bad.push(['s + n', concat([r, fromBig(toBig(s) + toBig(n), half)])]);
      if (alg === 'ES512') ok(bad.length === 10, 'P-521 has r + n and s + n cases');
      for (const [label, bytes] of bad) {
        for (const key of [k.spkiPem, k.jwkPublic]) {
          throws(() => jwt.verify(withSignature(good, bytes), key), 'ERR_JWS_INVALID_SIGNATURE', `${alg} ${label}`);
        }
        eq(jwt.inspect(withSignature(good, bytes), k.spkiPem).signature.status, 'invalid', `${alg} ${label}: inspect`);
      }
      // the psychic signature over any payload, with an all-zero payload too
      const forged = `${b64uText(JSON.stringify({ alg, typ: 'JWT' }))}.${b64uText('{"admin":true}')}.${b64u(concat([zero, zero]))}`;
      throws(() => jwt.verify(forged, k.spkiPem), 'ERR_JWS_INVALID_SIGNATURE', `${alg} forged all-zero`);
    }
  });

  test('ecdsa_signatures_with_high_s_verify_as_in_webcrypto_and_jose', async () => {
    // RFC 7518 does not ask for low-S; WebCrypto and OpenSSL sign with either half. (r, n - s)
    // is the same signature's twin: refusing it would refuse about half of all real tokens.
    for (const alg of EC_ALGS) {
      const k = keyForAlg(alg);
      const good = await oracleToken(k, alg);
      const sig = sigOf(good);
      const half = sig.length / 2;
      const n = toBig(ORDER[k.jwkPublic.crv]);
      const twin = withSignature(good, concat([sig.slice(0, half), fromBig(n - toBig(sig.slice(half)), half)]));
      ok(await webcryptoVerify(k, alg, twin), `${alg}: WebCrypto accepts (r, n - s)`);
      await joseVerifies(k, alg, twin);
      eq(succeeds(() => jwt.verify(twin, k.spkiPem), `${alg}: (r, n - s)`).sub, 'oracle', alg);
      eq(succeeds(() => jwt.verify(good, k.spkiPem), `${alg}: (r, s)`).sub, 'oracle', alg);
    }
  });

  test('rsa_signatures_of_zero_one_or_at_least_the_modulus_are_invalid', async () => {
    const good = await oracleToken(K.rsa, 'RS256');
    const nBytes = fromB64u(K.rsa.jwkPublic.n);
    const n = toBig(nBytes);
    for (const [label, bytes] of [
      ['zero', new Uint8Array(256)],
      ['one', fromBig(1n, 256)],
      ['n - 1', fromBig(n - 1n, 256)],
      ['n', nBytes],
      ['n + 1', fromBig(n + 1n, 256)],
      ['all ones', new Uint8Array(256).fill(0xff)],
      ['one byte short', sigOf(good).slice(1)],
      ['one byte long', concat([[0], sigOf(good)])],
    ]) {
      for (const alg of ['RS256', 'PS256']) {
        const token = withSignature(`${b64uText(JSON.stringify({ alg, typ: 'JWT' }))}.${good.split('.')[1]}.x`, bytes);
        throws(() => jwt.verify(token, K.rsa.spkiPem), ['ERR_JWS_INVALID_SIGNATURE', 'ERR_JWT_MALFORMED'], `${alg} signature ${label}`);
      }
    }
    stillVerifies('after the RSA range cases');
  });
  const stillVerifies = (label) => {
    const token = jwt.sign({ after: label }, K.ed.pkcs8Pem);
    eq(jwt.verify(token, K.ed.spkiPem).after, label, label);
  };

  test('ecdsa_and_eddsa_signatures_of_the_wrong_length_are_refused', async () => {
    for (const alg of [...EC_ALGS, 'EdDSA']) {
      const k = keyForAlg(alg);
      const good = await oracleToken(k, alg);
      const sig = sigOf(good);
      for (const [label, bytes] of [
        ['one byte short', sig.slice(0, -1)],
        ['one byte long', concat([sig, [0]])],
        ['leading zero byte', concat([[0], sig])],
        ['empty', new Uint8Array(0)],
        ['the length of another algorithm', new Uint8Array({ ES256: 96, ES384: 64, ES512: 128, EdDSA: 66 }[alg]).fill(1)],
      ]) {
        const token = label === 'empty' ? good.split('.').slice(0, 2).join('.') + '.' : withSignature(good, bytes);
        throws(() => jwt.verify(token, k.spkiPem), ['ERR_JWS_INVALID_SIGNATURE', 'ERR_JWT_MALFORMED'], `${alg} ${label}`);
      }
    }
  });

  test('ed25519_signatures_with_s_at_least_l_are_invalid', async () => {
    const good = await oracleToken(K.ed, 'EdDSA');
    const sig = sigOf(good);
    const sLe = sig.slice(32);
    const s = toBig(Uint8Array.from(sLe).reverse());
    const le = (v) => fromBig(v, 32).reverse();
    for (const [label, bytes] of [
      ['S + L (the same S mod L)', concat([sig.slice(0, 32), le(s + ED25519_L)])],
      ['S = L', concat([sig.slice(0, 32), le(ED25519_L)])],
      ['all-zero signature', new Uint8Array(64)],
      ['all-ones signature', new Uint8Array(64).fill(0xff)],
    ]) {
      throws(() => jwt.verify(withSignature(good, bytes), K.ed.spkiPem), 'ERR_JWS_INVALID_SIGNATURE', label);
    }
  });

  test('an_ed25519_small_order_public_key_never_verifies_a_forged_signature', async () => {
    // The identity point as the public key with R = identity, S = 0 satisfies the cofactorless
    // equation for every message. Either the key is refused or the signature is invalid.
    const identity = concat([[1], new Uint8Array(31)]);
    const key = { kty: 'OKP', crv: 'Ed25519', x: b64u(identity) };
    const forged = `${b64uText('{"alg":"EdDSA","typ":"JWT"}')}.${b64uText('{"sub":"admin"}')}.${b64u(concat([identity, new Uint8Array(32)]))}`;
    throws(() => jwt.verify(forged, key), ['ERR_KEY_INVALID', 'ERR_JWS_INVALID_SIGNATURE'], 'identity key, JWK');
    const spkiPem = pem('PUBLIC KEY', concat([K.ed.spki.slice(0, K.ed.spki.length - 32), identity]));
    throws(() => jwt.verify(forged, spkiPem), ['ERR_KEY_INVALID', 'ERR_JWS_INVALID_SIGNATURE'], 'identity key, SPKI');
  });

  // ---- malformed keys --------------------------------------------------------------------------

  /** Expects ERR_KEY_INVALID from importKey, verify and (for private material) sign, and no key material in the message. */
  function expectInvalidKey(label, key, secrets, { token, privateKey = false } = {}) {
    const checks = [['importKey', () => jwt.importKey(key)]];
    if (token) checks.push(['verify', () => jwt.verify(token, key)]);
    if (privateKey) checks.push(['sign', () => jwt.sign({ a: 1 }, key)]);
    for (const [what, fn] of checks) {
      const e = throws(fn, 'ERR_KEY_INVALID', `${label} (${what})`);
      const leaked = leaksKeyMaterial(e.message, secrets);
      if (leaked) fail(`${label} (${what}): message echoes key material ${show(leaked)}: ${show(e.message)}`);
    }
  }

  test('malformed_pem_keys_are_invalid_and_the_message_does_not_echo_them', async () => {
    const rsaToken = await oracleToken(K.rsa, 'RS256');
    const esToken = await oracleToken(K.p256, 'ES256');
    const b = b64(K.rsa.spki);
    const lines = (s) => s.match(/.{1,64}/g).join('\n');
    const wrap = (label, body) => `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;
    const cases = [
      ['a character outside base64', wrap('PUBLIC KEY', lines(b.slice(0, 100) + '!' + b.slice(101)))],
      ['truncated DER', wrap('PUBLIC KEY', lines(b.slice(0, 200)))],
      ['trailing bytes after the DER', wrap('PUBLIC KEY', lines(b64(concat([K.rsa.spki, [0, 0, 0]]))))],
      ['no END line', `-----BEGIN PUBLIC KEY-----\n${lines(b)}\n`],
      ['END label differs from BEGIN', `-----BEGIN PUBLIC KEY-----\n${lines(b)}\n-----END PRIVATE KEY-----\n`],
      ['empty body', '-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----\n'],
      ['unknown label', wrap('OPENSSH PRIVATE KEY', lines(b))],
      ['PUBLIC KEY label on PKCS#8 contents', pem('PUBLIC KEY', K.rsa.pkcs8)],
      ['RSA PUBLIC KEY label on SPKI contents', pem('RSA PUBLIC KEY', K.rsa.spki)],
      ['PRIVATE KEY label on SPKI contents', pem('PRIVATE KEY', K.rsa.spki)],
      ['EC PRIVATE KEY label on PKCS#8 contents', pem('EC PRIVATE KEY', K.p256.pkcs8)],
      ['RSA PRIVATE KEY label on SEC1 contents', pem('RSA PRIVATE KEY', pemBody(K.p256.sec1Pem).der)],
      ['CERTIFICATE label on SPKI contents', pem('CERTIFICATE', K.p256.spki)],
      ['an EC SPKI for secp256k1 (unsupported curve)', pem('PUBLIC KEY', ecSpki(OID.secp256k1, fromB64u(K.p256.jwkPublic.x), fromB64u(K.p256.jwkPublic.y)))],
      ['an EC SPKI whose point is not on the curve', pem('PUBLIC KEY', ecSpki(OID['P-256'], fromB64u(K.p256.jwkPublic.x), fromB64u(K.p384.jwkPublic.x).slice(0, 32)))],
    ];
    for (const [label, text] of cases) {
      const token = /EC|secp|curve|SEC1/.test(label) ? esToken : rsaToken;
      const isPrivate = /PRIVATE KEY label|SEC1/.test(label);
      expectInvalidKey(label, text, [text.replace(/-----[A-Z ]+-----/g, '')], { token, privateKey: isPrivate });
      // and never an HMAC secret: an HS256 token signed with the same text is refused too
      const hs = await hmacToken(enc.encode(text));
      throws(() => jwt.verify(hs, text), ['ERR_KEY_INVALID', 'ERR_JWS_ALG_NOT_ALLOWED'], `${label}: HS256 with the text as secret`);
    }
  });

  test('malformed_jwks_are_invalid_and_the_message_does_not_echo_them', async () => {
    const rsa = K.rsa.jwkPublic;
    const ec = K.p256.jwkPublic;
    const ed = K.ed.jwkPublic;
    const x = fromB64u(ec.x);
    const yBad = fromB64u(ec.y);
    yBad[31] ^= 1;
    const cases = [
      ['RSA without n', { kty: 'RSA', e: rsa.e }],
      ['RSA without e', { kty: 'RSA', n: rsa.n }],
      ['RSA n not base64url', { kty: 'RSA', n: rsa.n.slice(0, 40) + '*+/=' + rsa.n.slice(44), e: rsa.e }],
      ['RSA n a number', { kty: 'RSA', n: 12345, e: rsa.e }],
      ['EC unknown curve', { ...ec, crv: 'P-999' }],
      ['EC secp256k1', { ...ec, crv: 'secp256k1' }],
      ['EC without crv', { kty: 'EC', x: ec.x, y: ec.y }],
      ['EC without y', { kty: 'EC', crv: 'P-256', x: ec.x }],
      ['EC x one byte short', { ...ec, x: b64u(x.slice(1)) }],
      ['EC x one byte long', { ...ec, x: b64u(concat([[0], x])) }],
      ['EC P-384 coordinates with crv P-256', { ...K.p384.jwkPublic, crv: 'P-256' }],
      ['EC point not on the curve', { ...ec, y: b64u(yBad) }],
      ['EC d one byte short', { ...K.p256.jwkPrivate, d: b64u(fromB64u(K.p256.jwkPrivate.d).slice(1)) }],
      ['OKP Ed448', { ...ed, crv: 'Ed448' }],
      ['OKP X25519', { ...ed, crv: 'X25519' }],
      ['OKP x one byte short', { ...ed, x: b64u(fromB64u(ed.x).slice(1)) }],
      ['OKP x one byte long', { ...ed, x: b64u(concat([fromB64u(ed.x), [0]])) }],
      ['OKP without x', { kty: 'OKP', crv: 'Ed25519' }],
      ['unknown kty', { kty: 'XYZ', x: ec.x }],
    ];
    const tokens = { RSA: await oracleToken(K.rsa, 'RS256'), EC: await oracleToken(K.p256, 'ES256'), OKP: await oracleToken(K.ed, 'EdDSA') };
    for (const [label, jwk] of cases) {
      const secrets = Object.values(jwk).filter((v) => typeof v === 'string' && v.length >= 16);
      expectInvalidKey(`JWK: ${label}`, jwk, secrets, { token: tokens[jwk.kty] ?? tokens.EC, privateKey: 'd' in jwk });
    }
  });

  // ---- private keys given to verify, public keys given to sign -------------------------------------

  test('a_private_key_given_to_verify_uses_its_public_half', async () => {
    for (const alg of ['RS256', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA']) {
      const k = keyForAlg(alg);
      const token = await oracleToken(k, alg);
      const forms = [['PKCS#8 PEM', k.pkcs8Pem], ['private JWK', k.jwkPrivate], ['importKey(private)', jwt.importKey(k.pkcs8Pem)], ['JWK Set with a private JWK', { keys: [k.jwkPrivate] }]];
      if (k.pkcs1PrivatePem) forms.push(['PKCS#1 PEM', k.pkcs1PrivatePem]);
      if (k.sec1Pem) forms.push(['SEC1 PEM', k.sec1Pem]);
      for (const [label, key] of forms) {
        eq(succeeds(() => jwt.verify(token, key), `${alg} ${label}`).sub, 'oracle', `${alg} ${label}`);
        throws(() => jwt.verify(tamperPayload(token), key), 'ERR_JWS_INVALID_SIGNATURE', `${alg} ${label}, tampered`);
      }
    }
  });

  // ---- keys in the token header are never used ------------------------------------------------------

  test('header_jwk_jku_x5c_x5u_are_never_used_to_find_the_key', async () => {
    const realFetch = globalThis.fetch;
    const fetched = [];
    globalThis.fetch = (input) => {
      fetched.push(String((input && input.url) || input));
      return Promise.reject(new Error('no fetch in this case'));
    };
    try {
      const pairs = [['RS256', K.rsa, K.rsa2], ['ES256', K.p256, K.p256b], ['EdDSA', K.ed, K.ed2]];
      for (const [alg, real, attacker] of pairs) {
        const headers = [
          ['jwk', { alg, typ: 'JWT', jwk: attacker.jwkPublic }],
          ['jwk with the real kid', { alg, typ: 'JWT', kid: 'real', jwk: { ...attacker.jwkPublic, kid: 'real' } }],
          ['jku', { alg, typ: 'JWT', kid: 'attacker', jku: 'https://attacker.invalid/jwks.json' }],
          ['x5c', { alg, typ: 'JWT', x5c: [b64(attacker.spki)] }],
          ['x5u', { alg, typ: 'JWT', x5u: 'https://attacker.invalid/cert.pem' }],
        ];
        for (const [label, header] of headers) {
          const token = await oracleToken(attacker, alg, header, { sub: 'admin' });
          throws(() => jwt.verify(token, real.spkiPem), 'ERR_JWS_INVALID_SIGNATURE', `${alg} ${label}, real key`);
          throws(() => jwt.verify(token, real.jwkPublic, { algorithms: [alg] }), 'ERR_JWS_INVALID_SIGNATURE', `${alg} ${label}, real JWK`);
          throws(() => jwt.createVerifier(real.spkiPem).verify(token), 'ERR_JWS_INVALID_SIGNATURE', `${alg} ${label}, createVerifier`);
          throws(
            () => jwt.verify(token, { keys: [{ ...real.jwkPublic, kid: 'real' }] }),
            ['ERR_JWS_INVALID_SIGNATURE', 'ERR_JWKS_NO_MATCH'],
            `${alg} ${label}, real JWK Set`,
          );
          ok(jwt.inspect(token, real.spkiPem).signature.status === 'invalid', `${alg} ${label}: inspect with the real key says invalid`);
          ok(jwt.inspect(token).signature.status !== 'valid', `${alg} ${label}: inspect without a key never says valid`);
        }
      }
      await new Promise((r) => setTimeout(r, 20));
      eq(fetched.length, 0, `fetch calls: ${fetched.join(', ')}`);
    } finally {
      globalThis.fetch = realFetch;
    }
  });

  // ---- JWK Sets ------------------------------------------------------------------------------

  test('a_jwk_set_key_is_chosen_by_kid', async () => {
    const set = {
      keys: [
        { ...K.rsa.jwkPublic, kid: 'r1' },
        { ...K.rsa2.jwkPublic, kid: 'r2' },
        { ...K.p256.jwkPublic, kid: 'e1' },
        { ...K.p256b.jwkPublic, kid: 'e2' },
        { ...K.ed.jwkPublic, kid: 'o1' },
      ],
    };
    const cases = [
      [K.rsa, 'RS256', 'r1'],
      [K.rsa2, 'PS384', 'r2'],
      [K.p256, 'ES256', 'e1'],
      [K.p256b, 'ES256', 'e2'],
      [K.ed, 'EdDSA', 'o1'],
    ];
    for (const [k, alg, kid] of cases) {
      const token = await oracleToken(k, alg, { alg, typ: 'JWT', kid });
      eq(succeeds(() => jwt.verify(token, set), `kid ${kid}`).sub, 'oracle', kid);
      eq(succeeds(() => jwt.verify(token, jwt.importKey(set)), `importKey(set) kid ${kid}`).sub, 'oracle', kid);
      eq(succeeds(() => jwt.createVerifier(set).verify(token), `createVerifier(set) kid ${kid}`).sub, 'oracle', kid);
    }
    // the kid picks the key: a token signed by r2 but naming r1 is not rescued by r2
    const wrong = await oracleToken(K.rsa2, 'RS256', { alg: 'RS256', typ: 'JWT', kid: 'r1' });
    throws(() => jwt.verify(wrong, set), 'ERR_JWS_INVALID_SIGNATURE', 'signed by r2, kid r1');
    const unknown = await oracleToken(K.rsa, 'RS256', { alg: 'RS256', typ: 'JWT', kid: 'nope' });
    throws(() => jwt.verify(unknown, set), 'ERR_JWKS_NO_MATCH', 'unknown kid');
    throws(() => jwt.verify(unknown, { keys: [] }), ['ERR_JWKS_NO_MATCH', 'ERR_KEY_INVALID'], 'empty set');
  });

  test('a_jwk_set_without_kid_is_chosen_by_alg_and_kty_and_ambiguity_is_an_error', async () => {
    const set = { keys: [{ ...K.rsa.jwkPublic, kid: 'r1' }, { ...K.p256.jwkPublic, kid: 'e1' }, { ...K.p384.jwkPublic, kid: 'e3' }, { ...K.ed.jwkPublic, kid: 'o1' }] };
    for (const [k, alg] of [[K.rsa, 'RS256'], [K.rsa, 'PS512'], [K.p256, 'ES256'], [K.p384, 'ES384'], [K.ed, 'EdDSA']]) {
      const token = await oracleToken(k, alg);
      eq(succeeds(() => jwt.verify(token, set), `no kid, ${alg}`).sub, 'oracle', alg);
    }
    const es512 = await oracleToken(K.p521, 'ES512');
    throws(() => jwt.verify(es512, set), 'ERR_JWKS_NO_MATCH', 'no P-521 key in the set');
    const two = { keys: [{ ...K.rsa.jwkPublic, kid: 'r1' }, { ...K.rsa2.jwkPublic, kid: 'r2' }] };
    const token = await oracleToken(K.rsa, 'RS256');
    // the contract names no code for an ambiguous match: any JsonWebTokenError
    throws(() => jwt.verify(token, two), [], 'two RSA keys and a token without kid');
    // same kid on keys of different types: the token's alg decides
    const shared = { keys: [{ ...K.rsa.jwkPublic, kid: 'k' }, { ...K.p256.jwkPublic, kid: 'k' }] };
    const esShared = await oracleToken(K.p256, 'ES256', { alg: 'ES256', kid: 'k' });
    const rsShared = await oracleToken(K.rsa, 'RS256', { alg: 'RS256', kid: 'k' });
    eq(succeeds(() => jwt.verify(esShared, shared), 'shared kid, ES256').sub, 'oracle', 'shared kid ES256');
    eq(succeeds(() => jwt.verify(rsShared, shared), 'shared kid, RS256').sub, 'oracle', 'shared kid RS256');
  });

  test('a_jwk_set_key_with_use_other_than_sig_or_another_alg_is_not_used', async () => {
    const es = await oracleToken(K.p256, 'ES256', { alg: 'ES256', typ: 'JWT', kid: 'e1' });
    const rs = await oracleToken(K.rsa, 'RS256', { alg: 'RS256', typ: 'JWT', kid: 'r1' });
    const notUsed = ['ERR_JWKS_NO_MATCH', 'ERR_JWS_ALG_NOT_ALLOWED'];
    throws(() => jwt.verify(es, { keys: [{ ...K.p256.jwkPublic, kid: 'e1', use: 'enc' }] }), notUsed, 'use enc');
    throws(() => jwt.verify(rs, { keys: [{ ...K.rsa.jwkPublic, kid: 'r1', alg: 'RS384' }] }), notUsed, 'alg RS384 for an RS256 token');
    throws(() => jwt.verify(rs, { keys: [{ ...K.rsa.jwkPublic, kid: 'r1', alg: 'PS256' }] }), notUsed, 'alg PS256 for an RS256 token');
    throws(() => jwt.verify(es, { keys: [{ ...K.rsa.jwkPublic, kid: 'e1' }] }), notUsed, 'kid names an RSA key for an ES256 token');
    eq(succeeds(() => jwt.verify(es, { keys: [{ ...K.p256.jwkPublic, kid: 'e1', use: 'sig', alg: 'ES256' }] }), 'use sig alg ES256').sub, 'oracle', 'use sig');
    eq(succeeds(() => jwt.verify(rs, { keys: [{ ...K.rsa.jwkPublic, kid: 'r1', use: 'sig', alg: 'RS256' }] }), 'alg RS256').sub, 'oracle', 'alg RS256');
    // an encryption key with the same kid beside the signing key does not get in the way
    const mixed = { keys: [{ ...K.rsa2.jwkPublic, kid: 'r1', use: 'enc', alg: 'RSA-OAEP-256' }, { ...K.rsa.jwkPublic, kid: 'r1', use: 'sig' }] };
    eq(succeeds(() => jwt.verify(rs, mixed), 'enc key beside sig key with the same kid').sub, 'oracle', 'mixed');
  });

  test('a_jwk_set_with_an_hmac_token_and_asymmetric_keys_is_refused', async () => {
    const set = { keys: [{ ...K.rsa.jwkPublic, kid: 'r1' }, { ...K.p256.jwkPublic, kid: 'e1' }] };
    for (const kid of ['r1', 'e1', undefined]) {
      const header = kid ? { alg: 'HS256', typ: 'JWT', kid } : { alg: 'HS256', typ: 'JWT' };
      for (const secret of [K.rsa.spkiPem, JSON.stringify(set.keys[0]), K.rsa.jwkPublic.n]) {
        const token = await hmacToken(enc.encode(secret), header);
        throws(() => jwt.verify(token, set, { algorithms: ['HS256', 'RS256', 'ES256'] }), ['ERR_JWS_ALG_NOT_ALLOWED', 'ERR_JWKS_NO_MATCH', 'ERR_KEY_INVALID'], `kid ${kid}`);
      }
    }
  });

  test('a_jwk_set_with_unsupported_keys_beside_a_good_one_still_verifies', async () => {
    // Real identity providers publish encryption keys and other curves in the same set.
    const set = {
      keys: [
        { kty: 'OKP', crv: 'X25519', x: b64u(new Uint8Array(32).fill(9)), kid: 'x', use: 'enc' },
        { kty: 'EC', crv: 'secp256k1', x: K.p256.jwkPublic.x, y: K.p256.jwkPublic.y, kid: 'k1' },
        { ...K.p256.jwkPublic, kid: 'e1', use: 'sig' },
      ],
    };
    const token = await oracleToken(K.p256, 'ES256', { alg: 'ES256', typ: 'JWT', kid: 'e1' });
    eq(succeeds(() => jwt.verify(token, set), 'set with X25519 and secp256k1 keys').sub, 'oracle', 'unsupported keys ignored');
  });

  // ---- export and import -------------------------------------------------------------------------

  test('pem_to_jwk_to_pem_round_trips_give_equal_keys', () => {
    for (const k of [...MAIN, K.rsa1024]) {
      const jwk = succeeds(() => jwt.exportJWK(k.spkiPem), `${k.kind} exportJWK(SPKI)`);
      deepEq(keyMembers(jwk), k.jwkPublic, `${k.kind} exportJWK(SPKI) members`);
      PRIVATE_MEMBERS.forEach((m) => ok(!(m in jwk), `${k.kind}: no private member ${m}`));
      const back = succeeds(() => jwt.exportPEM(jwk), `${k.kind} exportPEM(JWK)`);
      const body = pemBody(back);
      eq(body.label, 'PUBLIC KEY', `${k.kind} label`);
      ok(bytesEqual(body.der, k.spki), `${k.kind}: PEM -> JWK -> PEM gives the same SPKI DER`);
      eq(succeeds(() => jwt.exportPEM(k.spkiPem), `${k.kind} exportPEM(SPKI)`), back, `${k.kind}: exportPEM(PEM) equals exportPEM(JWK)`);
      ok(/^-----BEGIN PUBLIC KEY-----\n([A-Za-z0-9+/=]{64}\n)*[A-Za-z0-9+/=]{1,64}\n-----END PUBLIC KEY-----\n?$/.test(back), `${k.kind}: PEM text shape ${show(back)}`);
      if (k.pkcs1PublicPem) {
        deepEq(keyMembers(jwt.exportJWK(k.pkcs1PublicPem)), k.jwkPublic, `${k.kind} exportJWK(PKCS#1)`);
        ok(bytesEqual(pemBody(jwt.exportPEM(k.pkcs1PublicPem)).der, k.spki), `${k.kind}: exportPEM(PKCS#1) is the SPKI`);
      }
      deepEq(keyMembers(jwt.exportJWK(jwt.importKey(k.spkiPem))), k.jwkPublic, `${k.kind} exportJWK(importKey)`);
    }
  });

  test('private_keys_export_only_on_request_and_round_trip', async () => {
    for (const k of MAIN) {
      const sources = [['PKCS#8 PEM', k.pkcs8Pem], ['private JWK', k.jwkPrivate], ['importKey', jwt.importKey(k.pkcs8Pem)]];
      if (k.pkcs1PrivatePem) sources.push(['PKCS#1 PEM', k.pkcs1PrivatePem]);
      if (k.sec1Pem) sources.push(['SEC1 PEM', k.sec1Pem]);
      for (const [label, src] of sources) {
        const pub = succeeds(() => jwt.exportJWK(src), `${k.kind} ${label} exportJWK`);
        deepEq(keyMembers(pub), k.jwkPublic, `${k.kind} ${label}: exportJWK without {private} is the public key`);
        PRIVATE_MEMBERS.forEach((m) => ok(!(m in pub), `${k.kind} ${label}: exportJWK leaked ${m}`));
        const pubPem = succeeds(() => jwt.exportPEM(src), `${k.kind} ${label} exportPEM`);
        eq(pemBody(pubPem).label, 'PUBLIC KEY', `${k.kind} ${label}: exportPEM without {private} is the public key`);
        ok(bytesEqual(pemBody(pubPem).der, k.spki), `${k.kind} ${label}: exportPEM gives the SPKI`);
        const priv = succeeds(() => jwt.exportJWK(src, { private: true }), `${k.kind} ${label} exportJWK private`);
        deepEq(keyMembers(priv), k.jwkPrivate, `${k.kind} ${label}: exportJWK {private:true}`);
        const privPem = succeeds(() => jwt.exportPEM(src, { private: true }), `${k.kind} ${label} exportPEM private`);
        eq(pemBody(privPem).label, 'PRIVATE KEY', `${k.kind} ${label}: exportPEM {private:true} label`);
        deepEq(keyMembers(jwt.exportJWK(privPem, { private: true })), k.jwkPrivate, `${k.kind} ${label}: PKCS#8 -> JWK`);
        // the exported PKCS#8 is one WebCrypto reads back as the same key
        const [imp] = webcryptoParams(k.familyAlg);
        const reread = await crypto.subtle.importKey('pkcs8', pemBody(privPem).der, imp, true, ['sign']);
        deepEq(keyMembers(await crypto.subtle.exportKey('jwk', reread)), k.jwkPrivate, `${k.kind} ${label}: WebCrypto reads exportPEM's PKCS#8`);
      }
    }
  });

  test('exporting_a_public_key_with_private_true_is_refused', () => {
    for (const k of MAIN) {
      for (const [label, key] of [['SPKI PEM', k.spkiPem], ['public JWK', k.jwkPublic], ['importKey(public)', jwt.importKey(k.spkiPem)]]) {
        throws(() => jwt.exportJWK(key, { private: true }), 'ERR_KEY_INVALID', `${k.kind} ${label} exportJWK`);
        throws(() => jwt.exportPEM(key, { private: true }), 'ERR_KEY_INVALID', `${k.kind} ${label} exportPEM`);
      }
    }
  });

  test('exported_keys_work_in_jose_and_webcrypto', async () => {
    for (const alg of ['RS256', 'PS256', 'ES256', 'ES384', 'ES512', 'EdDSA']) {
      const k = keyForAlg(alg);
      const token = jwt.sign({ sub: 'export' }, k.pkcs8Pem, { algorithm: alg });
      const viaJwk = await jose.importJWK(jwt.exportJWK(k.pkcs8Pem), alg);
      eq((await jose.jwtVerify(token, viaJwk, { algorithms: [alg] })).payload.sub, 'export', `${alg}: jose with exportJWK`);
      const viaPem = await jose.importSPKI(jwt.exportPEM(k.jwkPrivate), alg);
      eq((await jose.jwtVerify(token, viaPem, { algorithms: [alg] })).payload.sub, 'export', `${alg}: jose with exportPEM`);
      const privJose = await jose.importPKCS8(jwt.exportPEM(k.jwkPrivate, { private: true }), alg);
      const joseTok = await new jose.SignJWT({ sub: 'back' }).setProtectedHeader({ alg }).sign(privJose);
      eq(succeeds(() => jwt.verify(joseTok, k.spkiPem), `${alg}: jose signs with exportPEM(private)`).sub, 'back', alg);
    }
  });

  test('generate_key_pair_returns_jwk_objects_with_alg_for_each_algorithm', async () => {
    // RSA generation is slow in wasm: two RSA algorithms here, every EC and OKP one.
    const sizes = { ES256: 32, ES384: 48, ES512: 66, EdDSA: 32 };
    const seen = new Set();
    for (const alg of ['RS256', 'PS384', ...EC_ALGS, 'EdDSA']) {
      const pair = succeeds(() => jwt.generateKeyPair(alg), `generateKeyPair(${alg})`);
      ok(pair && typeof pair === 'object', `${alg}: an object`);
      const { privateKey, publicKey } = pair;
      for (const [which, jwk] of [['privateKey', privateKey], ['publicKey', publicKey]]) {
        ok(jwk && typeof jwk === 'object' && !Array.isArray(jwk), `${alg} ${which}: a plain object`);
        eq(JSON.parse(JSON.stringify(jwk)).kty, jwk.kty, `${alg} ${which}: JSON-safe`);
        eq(jwk.alg, alg, `${alg} ${which}.alg`);
      }
      const fam = alg.startsWith('RS') || alg.startsWith('PS') ? 'RSA' : alg === 'EdDSA' ? 'OKP' : 'EC';
      eq(publicKey.kty, fam, `${alg}: kty`);
      PRIVATE_MEMBERS.forEach((m) => ok(!(m in publicKey), `${alg}: publicKey has ${m}`));
      deepEq(keyMembers(privateKey, false), keyMembers(publicKey), `${alg}: the public members of both halves agree`);
      if (fam === 'RSA') {
        eq(fromB64u(publicKey.n).length, 256, `${alg}: 2048-bit modulus`);
        eq(publicKey.e, 'AQAB', `${alg}: e`);
        for (const m of ['d', 'p', 'q', 'dp', 'dq', 'qi']) ok(typeof privateKey[m] === 'string', `${alg}: private ${m}`);
      } else {
        eq(publicKey.crv, fam === 'OKP' ? 'Ed25519' : CURVE_OF[alg], `${alg}: crv`);
        eq(fromB64u(publicKey.x).length, sizes[alg], `${alg}: x length`);
        if (fam === 'EC') eq(fromB64u(publicKey.y).length, sizes[alg], `${alg}: y length`);
        eq(fromB64u(privateKey.d).length, sizes[alg], `${alg}: d length`);
      }
      const id = publicKey.n ?? publicKey.x;
      ok(!seen.has(id), `${alg}: a fresh key`);
      seen.add(id);
      // the pair works: sign with the private JWK (default algorithm = its alg), verify in jwtkit, jose and WebCrypto
      const token = succeeds(() => jwt.sign({ sub: 'gen' }, privateKey), `${alg}: sign with the generated private key`);
      eq(headerOf(token).alg, alg, `${alg}: the default algorithm is the JWK's alg`);
      eq(succeeds(() => jwt.verify(token, publicKey), `${alg}: verify`).sub, 'gen', alg);
      eq((await jose.jwtVerify(token, await jose.importJWK(publicKey, alg), { algorithms: [alg] })).payload.sub, 'gen', `${alg}: jose`);
      const [imp, params] = webcryptoParams(alg);
      const { alg: _a, ...bare } = privateKey;
      const wcPriv = await crypto.subtle.importKey('jwk', bare, imp, false, ['sign']);
      const [h, p] = token.split('.');
      const sig = new Uint8Array(await crypto.subtle.sign(params, wcPriv, enc.encode(`${h}.${p}`)));
      eq(succeeds(() => jwt.verify(`${h}.${p}.${b64u(sig)}`, publicKey), `${alg}: WebCrypto signs with the generated private JWK`).sub, 'gen', alg);
    }
    eq(seen.size, 6, 'six distinct keys');
  });

  test('generate_key_pair_refuses_hmac_none_and_unknown_algorithms', () => {
    for (const alg of ['HS256', 'none', 'ES256K', 'RSA-OAEP', 'es256', '', undefined, 256]) {
      throws(() => jwt.generateKeyPair(alg), ['ERR_INVALID_OPTION', 'ERR_JWS_ALG_NOT_ALLOWED', 'ERR_KEY_INVALID'], `generateKeyPair(${show(alg)})`);
    }
  });

  test('import_key_reports_public_private_and_set_types', () => {
    for (const k of MAIN) {
      eq(jwt.importKey(k.spkiPem).type, 'public', `${k.kind} SPKI`);
      eq(jwt.importKey(k.jwkPublic).type, 'public', `${k.kind} public JWK`);
      eq(jwt.importKey(k.pkcs8Pem).type, 'private', `${k.kind} PKCS#8`);
      eq(jwt.importKey(k.jwkPrivate).type, 'private', `${k.kind} private JWK`);
      if (k.pkcs1PublicPem) eq(jwt.importKey(k.pkcs1PublicPem).type, 'public', `${k.kind} PKCS#1 public`);
      if (k.pkcs1PrivatePem) eq(jwt.importKey(k.pkcs1PrivatePem).type, 'private', `${k.kind} PKCS#1 private`);
      if (k.sec1Pem) eq(jwt.importKey(k.sec1Pem).type, 'private', `${k.kind} SEC1`);
      const imported = jwt.importKey(k.pkcs8Pem);
      eq(jwt.importKey(imported), imported, `${k.kind}: importKey of a JwtKey is the same key`);
      const printed = `${String(imported)} ${JSON.stringify(imported)}`;
      const leaked = leaksKeyMaterial(printed, [k.pkcs8Pem.replace(/-----[A-Z ]+-----/g, ''), k.jwkPrivate.d]);
      ok(!leaked, `${k.kind}: an imported key prints without key material (${show(printed)})`);
    }
    eq(jwt.importKey({ keys: [K.rsa.jwkPublic, K.p256.jwkPublic] }).type, 'set', 'JWK Set');
    eq(jwt.importKey('a secret that is long enough for HS256 and more').type, 'secret', 'secret');
  });

  // ---- refused signing (last: a crash inside the wasm core here would poison the module) ---------
  // Each case ends by checking that the package still signs and verifies after the refusals.

  const stillWorks = (label) => {
    const token = succeeds(() => jwt.sign({ after: label }, K.p256.pkcs8Pem), `${label}: sign still works afterwards`);
    eq(succeeds(() => jwt.verify(token, K.p256.spkiPem), `${label}: verify still works afterwards`).after, label, label);
  };

  test('signing_with_a_key_of_another_family_or_curve_is_refused', () => {
    const codes = ['ERR_JWS_ALG_NOT_ALLOWED', 'ERR_KEY_INVALID', 'ERR_INVALID_OPTION'];
    for (const k of MAIN) {
      for (const alg of ALL_ALGS) {
        if (keyForAlg(alg) === k) continue;
        throws(() => jwt.sign({ a: 1 }, k.pkcs8Pem, { algorithm: alg }), codes, `${k.kind} key, ${alg}`);
      }
    }
    stillWorks('another family or curve');
  });

  test('a_public_key_cannot_sign', () => {
    for (const k of MAIN) {
      for (const [label, key] of [['SPKI PEM', k.spkiPem], ['public JWK', k.jwkPublic], ['importKey(public)', jwt.importKey(k.spkiPem)]]) {
        throws(() => jwt.sign({ a: 1 }, key, { algorithm: k.familyAlg }), 'ERR_KEY_INVALID', `${k.kind} ${label}`);
        throws(() => jwt.createSigner(key, { algorithm: k.familyAlg }).sign({ a: 1 }), 'ERR_KEY_INVALID', `${k.kind} ${label} createSigner`);
      }
    }
    throws(() => jwt.sign({ a: 1 }, K.rsa.pkcs1PublicPem, { algorithm: 'RS256' }), 'ERR_KEY_INVALID', 'PKCS#1 public PEM');
    stillWorks('public key');
  });

  // ---- run ------------------------------------------------------------------------------------

  const results = [];
  for (const { name, fn } of cases) {
    if (env.filter && !new RegExp(env.filter).test(name)) continue;
    if (typeof env.onCase === 'function') env.onCase(name);
    let timer;
    try {
      await Promise.race([
        (async () => fn())(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new AssertionFailed(`timed out after ${CASE_TIMEOUT_MS} ms`)), CASE_TIMEOUT_MS);
        }),
      ]);
      results.push({ name, ok: true });
    } catch (e) {
      const error =
        e instanceof AssertionFailed
          ? e.message
          : `unexpected ${e && e.name}${e && e.code ? ` (${e.code})` : ''}: ${e && e.message}\n${(e && e.stack) || ''}`.trim();
      results.push({ name, ok: false, error: `[${runtime}] ${error}` });
    } finally {
      clearTimeout(timer);
    }
  }
  return results;
}
