// The JS contract suite (docs: /work/shared/API-CONTRACT.md, "Public interface the package promises").
//
// Runtime-agnostic: no node:* imports, no node:test. It receives the loaded package and the
// oracles, runs every case and returns plain data, so the same file runs in Node (ESM and
// CommonJS), in a Chromium page and in a workerd Worker:
//
//   import { runSuite } from './suite.mjs';
//   const results = await runSuite(jwt, { runtime: 'node', jose, jsonwebtoken });
//   // -> [{ name, ok, error? }, ...]   one per case, names are behaviour sentences
// Optional env members: seed, rounds (random payloads per algorithm and direction),
// filter (a RegExp source: run only the matching cases), onCase(name) (called before each
// case: progress, or finding a hang).
//
// Random payloads come from a seeded PRNG (env.seed, default SEED below); a failure names the
// seed and the index so it reproduces.

export const SEED = 0x5eed2026;
const CASE_TIMEOUT_MS = 20000;

// ---- tiny assert helpers -------------------------------------------------------------------

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
    if (typeof v === 'function') return `[function ${v.name || 'anonymous'}]`;
    if (v instanceof Error) return `${v.name}(${v.code ?? ''}): ${v.message}`;
    const s = JSON.stringify(v, (k, x) => (x instanceof RegExp ? String(x) : x));
    if (s === undefined) return String(v);
    return s.length > 300 ? s.slice(0, 300) + '…' : s;
  } catch {
    return String(v);
  }
}

function eq(actual, expected, label) {
  if (!(actual === expected || (Number.isNaN(actual) && Number.isNaN(expected)))) {
    fail(`${label ? label + ': ' : ''}expected ${show(expected)}, got ${show(actual)}`);
  }
}

/** First difference between two JSON-like values, or null. Object member order is ignored. */
function diff(a, b, path = '$') {
  if (a === b) return null;
  if (typeof a === 'number' && typeof b === 'number') {
    return Number.isNaN(a) && Number.isNaN(b) ? null : `${path}: ${show(a)} !== ${show(b)}`;
  }
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') {
    return `${path}: ${show(a)} !== ${show(b)}`;
  }
  if (Array.isArray(a) !== Array.isArray(b)) return `${path}: array vs object`;
  if (Array.isArray(a)) {
    if (a.length !== b.length) return `${path}: length ${a.length} !== ${b.length}`;
    for (let i = 0; i < a.length; i++) {
      const d = diff(a[i], b[i], `${path}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  if (ka.length !== kb.length || ka.some((k, i) => k !== kb[i])) {
    return `${path}: members ${show(ka)} !== ${show(kb)}`;
  }
  for (const k of ka) {
    const d = diff(a[k], b[k], `${path}[${JSON.stringify(k)}]`);
    if (d) return d;
  }
  return null;
}

function deepEq(actual, expected, label) {
  const d = diff(actual, expected);
  if (d) fail(`${label ? label + ': ' : ''}not deep-equal at ${d}`);
}

/**
 * Checks a thrown error. `expect`: { code | codes, name, cls, message (string or RegExp),
 * claim }. Returns the error for further checks.
 */
function checkError(err, expect, label) {
  const where = label ? label + ': ' : '';
  ok(err !== undefined, `${where}expected an error`);
  ok(err instanceof Error, `${where}thrown value is not an Error: ${show(err)}`);
  ok(typeof err.name === 'string' && err.name.length > 0, `${where}error has no name`);
  ok(typeof err.message === 'string', `${where}error has no message`);
  ok(typeof err.code === 'string' && err.code.length > 0, `${where}error has no code (${show(err)})`);
  const codes = expect.codes || (expect.code ? [expect.code] : null);
  if (codes && !codes.includes(err.code)) {
    fail(`${where}expected code ${codes.join(' or ')}, got ${show(err)}`);
  }
  if (expect.name !== undefined) eq(err.name, expect.name, `${where}error name (${show(err)})`);
  if (expect.cls !== undefined) {
    ok(typeof expect.cls === 'function', `${where}error class is not exported`);
    ok(err instanceof expect.cls, `${where}error is not instanceof ${expect.cls.name}: ${show(err)}`);
  }
  if (expect.message !== undefined) {
    if (expect.message instanceof RegExp) {
      ok(expect.message.test(err.message), `${where}message ${show(err.message)} does not match ${expect.message}`);
    } else {
      eq(err.message, expect.message, `${where}message`);
    }
  }
  if (expect.claim !== undefined) eq(err.claim, expect.claim, `${where}error.claim (${show(err)})`);
  return err;
}

function throws(fn, expect, label) {
  let result;
  try {
    result = fn();
  } catch (err) {
    return checkError(err, expect, label);
  }
  fail(`${label ? label + ': ' : ''}expected a throw (${show(expect.codes || expect.code)}), got ${show(result)}`);
}

// ---- bytes, base64url, HMAC (WebCrypto: present in Node, Chromium and workerd) ------------------

const enc = new TextEncoder();
const dec = new TextDecoder();

function b64(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
  return btoa(s);
}
function b64u(bytes) {
  return b64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
const b64uText = (text) => b64u(enc.encode(text));
function fromB64u(s) {
  const std = s.replace(/-/g, '+').replace(/_/g, '/');
  const bin = atob(std + '='.repeat((4 - (std.length % 4)) % 4));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
const textFromB64u = (s) => dec.decode(fromB64u(s));
const keyBytes = (key) => (typeof key === 'string' ? enc.encode(key) : key);

const HASH = { HS256: 'SHA-256', HS384: 'SHA-384', HS512: 'SHA-512' };
const HASH_LEN = { HS256: 32, HS384: 48, HS512: 64 };
const ALGS = ['HS256', 'HS384', 'HS512'];

async function hmacB64u(alg, key, text) {
  const k = await crypto.subtle.importKey('raw', keyBytes(key), { name: 'HMAC', hash: HASH[alg] }, false, ['sign']);
  return b64u(new Uint8Array(await crypto.subtle.sign('HMAC', k, enc.encode(text))));
}

/** A token over exactly these base64url texts, with a correct HMAC over them. */
async function signRaw(h64, p64, key, alg = 'HS256') {
  return `${h64}.${p64}.${await hmacB64u(alg, key, `${h64}.${p64}`)}`;
}

/** A token whose header and payload are exactly these JSON texts (or objects), correctly signed. */
async function craft(header, payload, key, alg = 'HS256') {
  const h = typeof header === 'string' ? header : JSON.stringify(header);
  const p = typeof payload === 'string' ? payload : JSON.stringify(payload);
  return signRaw(b64uText(h), b64uText(p), key, alg);
}

function parts(token) {
  const [h, p, s] = token.split('.');
  return { h, p, s, header: JSON.parse(textFromB64u(h)), headerText: textFromB64u(h), payload: JSON.parse(textFromB64u(p)) };
}

/** Flips unused low bits of the last base64url character (same bytes for a lenient decoder). */
function nonCanonical(part) {
  const A = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const rem = part.length % 4;
  if (rem !== 2 && rem !== 3) return null;
  const unused = rem === 2 ? 4 : 2;
  const v = A.indexOf(part[part.length - 1]);
  if (v & ((1 << unused) - 1)) return null;
  return part.slice(0, -1) + A[v | 1];
}

/** The first of `{...base, x: 'a' * k}` (k = 0, 1, ...) whose JSON text satisfies `pred`. */
function jsonWhere(base, pred) {
  for (let k = 0; k < 64; k++) {
    const text = JSON.stringify(k === 0 ? base : { ...base, x: 'a'.repeat(k) });
    if (pred(text)) return text;
  }
  throw new AssertionFailed(`no JSON text like ${JSON.stringify(base)} satisfies ${pred}`);
}

// ---- seeded PRNG and random payloads ---------------------------------------------------------

function prng(seed) {
  let a = seed >>> 0;
  const u32 = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  const r = {
    u32,
    float: () => u32() / 2 ** 32,
    int: (n) => Math.floor((u32() / 2 ** 32) * n),
    pick: (arr) => arr[Math.floor((u32() / 2 ** 32) * arr.length)],
    bytes: (n) => {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = u32() & 0xff;
      return out;
    },
  };
  return r;
}

const CHARS = [
  'a', 'b', 'Z', '0', '9', ' ', '_', '-', '.', '"', '\\', '/', '\n', '\r', '\t', '\b', '\f', '\u0000', '\u0001',
  '\u001f', '\u007f', '\u0080', 'é', 'ß', 'ü', '\u0301', '\u2028', '\u2029', '\ufeff', '\uffff', '中', 'م', 'ש',
  '😀', '𝄞', '👩‍💻', '🇩🇪', '<', '>', '&', "'", '=', '+', '{', '}', '[', ']', ':', ',', '\u00a0', '€',
];
const REGISTERED = new Set(['iss', 'sub', 'aud', 'exp', 'nbf', 'iat', 'jti', '__proto__']);
const SPECIAL_NUMBERS = [
  0, 1, -1, 2 ** 53, -(2 ** 53), 2 ** 53 - 1, 2 ** 31, -(2 ** 31), 2 ** 32, 1e21, 1e-7, 0.1, 0.5, -0.5,
  5e-324, 1.7976931348623157e308, 2.2250738585072014e-308, 123456789.12345679, 3.141592653589793, 1e300, -1e-300,
];

function rstr(r, max) {
  let s = '';
  const n = r.int(max + 1);
  for (let i = 0; i < n; i++) s += r.pick(CHARS);
  return s;
}
function rkey(r) {
  const k = rstr(r, 8);
  return REGISTERED.has(k) ? k + '_' : k;
}
function rnum(r) {
  switch (r.int(5)) {
    case 0:
      return r.pick(SPECIAL_NUMBERS);
    case 1: // integer with up to 53 bits, either sign
      return (r.int(2) ? -1 : 1) * ((r.u32() >>> 11) * 2 ** 32 + r.u32());
    case 2:
      return r.int(1000) - 500;
    case 3: // float with full 53-bit mantissa, wide exponent range
      return ((r.u32() >>> 5) * 2 ** 26 + (r.u32() >>> 6)) / 2 ** 53 * 10 ** (r.int(61) - 30) * (r.int(2) ? -1 : 1);
    default:
      return (r.float() - 0.5) * 10 ** r.int(12);
  }
}
function rvalue(r, depth) {
  const kind = r.int(depth >= 3 ? 4 : 6);
  if (kind === 0) return rstr(r, 12);
  if (kind === 1) return rnum(r);
  if (kind === 2) return r.pick([true, false, null, '']);
  if (kind === 3) return r.pick([rstr(r, 3), rnum(r), {}, []]);
  if (kind === 4) return Array.from({ length: r.int(5) }, () => rvalue(r, depth + 1));
  return robj(r, depth + 1, 5);
}
function robj(r, depth, max) {
  const o = {};
  const n = r.int(max + 1);
  for (let i = 0; i < n; i++) o[rkey(r)] = rvalue(r, depth);
  return o;
}
function randomPayloads(seed, count) {
  const r = prng(seed);
  const out = [];
  for (let i = 0; i < count; i++) {
    const p = robj(r, 0, 12);
    if (i % 7 === 0) p['\u0061lg"\\'] = '"\u2028😀'; // member names that need escaping
    if (i % 11 === 0) p.big = 2 ** 53;
    out.push(p);
  }
  return out;
}

// ---- fixtures ---------------------------------------------------------------------------------

const SECRET = 'jwtkit contract suite secret: 64+ bytes so it is strong for HS256/384/512 ✓✓';
const OTHER_SECRET = 'another contract-suite secret that is also long enough for HS512 signing!!!';
const T = 1_700_000_000; // a fixed "now" for time-dependent cases
const nowSec = () => Math.floor(Date.now() / 1000);

// an Ed25519 SPKI public key (never an HMAC secret) and an RSA public JWK
const PEM_PUBLIC_KEY =
  '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAH9Boi2C+7lhJi/tbBStDOwJHMVNCXDxdwkLh5rmtDqQ=\n-----END PUBLIC KEY-----\n';
const RSA_PUBLIC_JWK = {
  kty: 'RSA',
  n: '1p6f8JNXxzbFRXBDNnjFGkeFjLIC3dHBzIhfKvewJ4rdk19Tq8LUs1A-UDjwqPBa_JfZkkltf9Q2Zg1e8AcVUnpwj0rhRTOBFh_XfpswmMO6oQ7YFvq5j1C2LabYtjxycIxd-FupZiWvUIQszqf064p5Hp1Abogj9tAFD7jlx0RQvN21qIkv1KW-UkFzEhNrbC3tYq6zh8LvJ8JsphlroWxlpcufMJnMWysKvQakPhG6YIxWWLlUNrABSoqlMPjzIl62KZmqqTqXzeISfkIadMErBl0e2wVxy6hW8lfGdqqkKi8hJHZLCVwSjlqFjoLh4f0-El1lNDvR4GEArvmfCQ',
  e: 'AQAB',
};

const waitTicks = (ms = 30) => new Promise((res) => setTimeout(res, ms));

// ---- the suite ----------------------------------------------------------------------------------

export async function runSuite(jwt, env = {}) {
  const runtime = env.runtime || 'unknown';
  const jose = env.jose;
  const jsonwebtoken = env.jsonwebtoken || null;
  const seed = env.seed ?? SEED;
  const rounds = env.rounds ?? 120; // random payloads per algorithm and direction
  const cases = [];
  const test = (name, fn) => cases.push({ name, fn });

  const JWTError = jwt.JsonWebTokenError;
  const verifyErr = (codes, extra = {}) => ({ codes: [].concat(codes), cls: JWTError, ...extra });
  const expectVerifyError = (token, key, options, codes, extra, label) =>
    throws(() => jwt.verify(token, key, options), verifyErr(codes, extra), label);
  const joseVerify = async (token, key, alg, opts = {}) =>
    (await jose.jwtVerify(token, keyBytes(key), { algorithms: [alg], ...opts })).payload;
  const joseSign = (payload, key, alg = 'HS256', header = {}) =>
    new jose.SignJWT(payload).setProtectedHeader({ alg, ...header }).sign(keyBytes(key));

  // ---- loading -----------------------------------------------------------------------------------

  test('the_package_exports_every_contract_function_and_error_class', () => {
    for (const f of ['sign', 'verify', 'decode', 'inspect', 'createSigner', 'createVerifier', 'importKey', 'generateSecret']) {
      eq(typeof jwt[f], 'function', `typeof ${f}`);
    }
    for (const c of ['JsonWebTokenError', 'TokenExpiredError', 'NotBeforeError']) eq(typeof jwt[c], 'function', `typeof ${c}`);
    ok(typeof jwt.init === 'function' || typeof jwt.default === 'function', 'init is exported (named or default)');
  });

  test('one_shot_calls_validate_options_that_serialise_like_earlier_valid_ones', () => {
    const token = jwt.sign({ sub: 'cache' }, SECRET);
    jwt.verify(token, SECRET, { currentTime: null });
    throws(() => jwt.verify(token, SECRET, { currentTime: new Date(NaN) }), 'ERR_INVALID_OPTION', 'invalid Date after null');
    jwt.verify(token, SECRET, {});
    throws(() => jwt.verify(token, SECRET, { audience: () => 'x' }), 'ERR_INVALID_OPTION', 'a function audience after {}');
    jwt.sign({}, SECRET, {});
    throws(() => jwt.sign({}, SECRET, { expiresIn: NaN }), 'ERR_INVALID_OPTION', 'expiresIn NaN');
  });

  test('prepared_signers_and_verifiers_survive_wasm_memory_growth', () => {
    // The hot paths keep a view of a buffer in wasm memory. A multi-megabyte payload grows
    // that buffer (and wasm memory, detaching every view of the old one), then the signed
    // token outgrows it again; small calls before and after must be unaffected.
    const signer = jwt.createSigner(SECRET, { noTimestamp: true });
    const verifier = jwt.createVerifier(SECRET, { maxTokenLength: 8_000_000 });
    eq(verifier.verify(signer.sign({ sub: 'before' })).sub, 'before');
    for (const size of [1_000_000, 3_000_000]) {
      const big = { sub: 'big', text: 'é'.repeat(size / 2) + 'x'.repeat(size / 2) };
      const token = signer.sign(big);
      const back = verifier.verify(token);
      eq(back.text.length, size, `a ${size}-character member comes back whole`);
      eq(back.text, big.text, 'and unchanged');
      eq(verifier.verify(signer.sign({ sub: `after ${size}` })).sub, `after ${size}`);
    }
  });

  test('init_returns_a_promise_and_is_idempotent', async () => {
    const init = typeof jwt.init === 'function' ? jwt.init : jwt.default;
    const p1 = init();
    ok(p1 && typeof p1.then === 'function', 'init() returns a Promise');
    await p1;
    const p2 = init();
    ok(p2 && typeof p2.then === 'function', 'second init() returns a Promise');
    await p2;
    await Promise.all([init(), init()]);
    eq(jwt.verify(jwt.sign({ a: 1 }, SECRET), SECRET).a, 1, 'works after repeated init');
  });

  test('error_classes_follow_jsonwebtoken_inheritance', () => {
    ok(jwt.TokenExpiredError.prototype instanceof jwt.JsonWebTokenError, 'TokenExpiredError extends JsonWebTokenError');
    ok(jwt.NotBeforeError.prototype instanceof jwt.JsonWebTokenError, 'NotBeforeError extends JsonWebTokenError');
    ok(jwt.JsonWebTokenError.prototype instanceof Error, 'JsonWebTokenError extends Error');
  });

  // ---- oracle round trips ------------------------------------------------------------------------

  const payloads = randomPayloads(seed, rounds);
  const keyFor = (i, alg) => {
    // alternate string (UTF-8, some non-ASCII) and Uint8Array keys, all strong enough
    const r = prng(seed ^ (i * 7919 + HASH_LEN[alg]));
    if (i % 2) return r.bytes(HASH_LEN[alg] + r.int(32));
    return 'k€y-' + b64u(r.bytes(HASH_LEN[alg])) + '-✓';
  };

  for (const alg of ALGS) {
    test(`tokens_signed_by_jwtkit_verify_in_jose_with_equal_claims_${alg.toLowerCase()}`, async () => {
      for (let i = 0; i < payloads.length; i++) {
        const key = keyFor(i, alg);
        const noTs = i % 3 === 0;
        const before = nowSec();
        const token = jwt.sign(payloads[i], key, { algorithm: alg, noTimestamp: noTs });
        let got;
        try {
          got = await joseVerify(token, key, alg);
        } catch (e) {
          fail(`seed ${seed} #${i}: jose refused our token: ${show(e)} payload=${show(payloads[i])}`);
        }
        const expected = { ...payloads[i] };
        if (!noTs) {
          ok(typeof got.iat === 'number' && got.iat >= before - 1 && got.iat <= nowSec() + 1, `#${i}: iat ${got.iat} is now`);
          expected.iat = got.iat;
        }
        const d = diff(got, expected);
        if (d) fail(`seed ${seed} #${i}: claims differ at ${d}`);
        eq(parts(token).header.alg, alg, `#${i} header alg`);
      }
    });

    test(`tokens_signed_by_jose_verify_in_jwtkit_with_equal_claims_${alg.toLowerCase()}`, async () => {
      for (let i = 0; i < payloads.length; i++) {
        const key = keyFor(i + 1, alg);
        const token = await joseSign(payloads[i], key, alg);
        let got;
        try {
          got = jwt.verify(token, key);
        } catch (e) {
          fail(`seed ${seed} #${i}: jwtkit refused jose's token: ${show(e)} payload=${show(payloads[i])}`);
        }
        const d = diff(got, payloads[i]);
        if (d) fail(`seed ${seed} #${i}: claims differ at ${d}`);
        // decode agrees with verify
        const d2 = diff(jwt.decode(token), payloads[i]);
        if (d2) fail(`seed ${seed} #${i}: decode differs at ${d2}`);
      }
    });

    if (jsonwebtoken) {
      test(`tokens_signed_by_jwtkit_verify_in_jsonwebtoken_with_equal_claims_${alg.toLowerCase()}`, () => {
        for (let i = 0; i < payloads.length; i++) {
          const key = keyFor(i + 2, alg);
          const token = jwt.sign(payloads[i], key, { algorithm: alg, noTimestamp: i % 2 === 0 });
          let got;
          try {
            got = jsonwebtoken.verify(token, key, { algorithms: [alg] });
          } catch (e) {
            fail(`seed ${seed} #${i}: jsonwebtoken refused our token: ${show(e)}`);
          }
          const expected = i % 2 === 0 ? payloads[i] : { ...payloads[i], iat: got.iat };
          const d = diff(got, expected);
          if (d) fail(`seed ${seed} #${i}: claims differ at ${d}`);
        }
      });

      test(`tokens_signed_by_jsonwebtoken_verify_in_jwtkit_with_equal_claims_${alg.toLowerCase()}`, () => {
        for (let i = 0; i < payloads.length; i++) {
          const key = keyFor(i + 3, alg);
          const token = jsonwebtoken.sign(payloads[i], key, { algorithm: alg });
          let got;
          try {
            got = jwt.verify(token, key, { algorithms: [alg] });
          } catch (e) {
            fail(`seed ${seed} #${i}: jwtkit refused jsonwebtoken's token: ${show(e)}`);
          }
          const d = diff(got, jsonwebtoken.decode(token));
          if (d) fail(`seed ${seed} #${i}: claims differ at ${d}`);
        }
      });
    }
  }

  test('floats_and_large_integers_survive_a_round_trip_exactly', async () => {
    const r = prng(seed + 1);
    const nums = [...SPECIAL_NUMBERS];
    for (let i = 0; i < 2000; i++) nums.push(rnum(r));
    for (let i = 0; i < nums.length; i += 100) {
      const chunk = nums.slice(i, i + 100);
      const ours = jwt.verify(jwt.sign({ n: chunk }, SECRET, { noTimestamp: true }), SECRET).n;
      const theirs = jwt.verify(await joseSign({ n: chunk }, SECRET), SECRET).n;
      for (let j = 0; j < chunk.length; j++) {
        ok(ours[j] === chunk[j], `our round trip changed ${chunk[j]} to ${ours[j]}`);
        ok(theirs[j] === chunk[j], `verify of jose's token changed ${chunk[j]} to ${theirs[j]}`);
      }
    }
  });

  test('a_payload_it_signs_it_also_verifies_even_with_lone_surrogates', async () => {
    // JSON.stringify writes a lone surrogate as the escape \ud800; jose signs and verifies it
    for (const payload of [{ a: '\ud800' }, { '\udfff': 1 }, { a: 'x\ud83d' }]) {
      let t;
      try {
        t = jwt.sign(payload, SECRET, { noTimestamp: true });
      } catch (e) {
        checkError(e, { code: 'ERR_INVALID_PAYLOAD' }, `sign ${show(payload)}`);
        continue;
      }
      let got;
      try {
        got = jwt.verify(t, SECRET);
      } catch (e) {
        fail(`our own token for ${JSON.stringify(payload)} does not verify: ${show(e)}`);
      }
      deepEq(got, payload, 'claims');
    }
  });

  // ---- sign --------------------------------------------------------------------------------------

  test('plain_sign_writes_the_header_exactly_alg_then_typ', () => {
    for (const alg of ALGS) {
      const t = jwt.sign({ a: 1 }, SECRET, alg === 'HS256' ? undefined : { algorithm: alg });
      eq(parts(t).headerText, `{"alg":"${alg}","typ":"JWT"}`, `${alg} header text`);
    }
    eq(parts(jwt.sign({ a: 1 }, SECRET)).headerText, '{"alg":"HS256","typ":"JWT"}', 'default algorithm is HS256');
  });

  test('sign_output_is_a_strict_compact_jws', () => {
    const t = jwt.sign({ a: 'b' }, SECRET);
    ok(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/.test(t), `compact HS256 JWS: ${t}`);
  });

  test('sign_adds_iat_as_the_current_time_in_seconds', () => {
    const before = nowSec();
    const { payload } = parts(jwt.sign({ a: 1 }, SECRET));
    ok(Number.isInteger(payload.iat), 'iat is an integer');
    ok(payload.iat >= before - 1 && payload.iat <= nowSec() + 1, `iat ${payload.iat} is now`);
  });

  test('sign_keeps_iat_from_the_payload', () => {
    eq(parts(jwt.sign({ iat: 1234 }, SECRET)).payload.iat, 1234, 'payload iat');
    eq(parts(jwt.sign({ iat: 1234 }, SECRET, { timestamp: 99 })).payload.iat, 1234, 'payload iat wins over timestamp');
  });

  test('sign_timestamp_option_sets_iat', () => {
    eq(parts(jwt.sign({ a: 1 }, SECRET, { timestamp: 1000 })).payload.iat, 1000, 'iat');
  });

  test('sign_no_timestamp_omits_iat', () => {
    const { payload } = parts(jwt.sign({ a: 1 }, SECRET, { noTimestamp: true }));
    ok(!('iat' in payload), `no iat: ${show(payload)}`);
  });

  test('expires_in_and_not_before_numbers_are_seconds_after_iat', () => {
    const { payload } = parts(jwt.sign({ a: 1 }, SECRET, { timestamp: 1000, expiresIn: 60, notBefore: 5 }));
    eq(payload.exp, 1060, 'exp');
    eq(payload.nbf, 1005, 'nbf');
    eq(parts(jwt.sign({ a: 1 }, SECRET, { timestamp: 1000, notBefore: 0 })).payload.nbf, 1000, 'notBefore 0');
  });

  test('expires_in_and_not_before_are_relative_to_the_payload_iat', () => {
    const { payload } = parts(jwt.sign({ iat: 5000 }, SECRET, { expiresIn: '1h', notBefore: 10 }));
    deepEq(payload, { iat: 5000, exp: 8600, nbf: 5010 }, 'claims');
  });

  test('expires_in_time_spans_are_read_as_the_ms_package_reads_them', () => {
    const spans = {
      '90s': 90, '15m': 900, '1h': 3600, '2 days': 172800, '7d': 604800, '1y': 31557600, '1.5h': 5400,
      '10 minutes': 600, '1 week': 604800, '30 secs': 30, '2 hrs': 7200, '1d': 86400,
    };
    for (const [span, secs] of Object.entries(spans)) {
      let t;
      try {
        t = jwt.sign({ a: 1 }, SECRET, { timestamp: 1000, expiresIn: span, notBefore: span });
      } catch (e) {
        fail(`${span}: ${show(e)}`);
      }
      const { payload } = parts(t);
      eq(payload.exp, 1000 + secs, `exp for ${span}`);
      eq(payload.nbf, 1000 + secs, `nbf for ${span}`);
    }
  });

  test('a_unit_less_string_time_span_is_refused_with_err_invalid_option', () => {
    for (const opt of ['expiresIn', 'notBefore']) {
      const err = throws(() => jwt.sign({ a: 1 }, SECRET, { [opt]: '120' }), { code: 'ERR_INVALID_OPTION' }, opt);
      ok(err.message.includes("'120s'") || err.message.includes('"120s"') || err.message.includes('120s'), `${opt}: message suggests '120s': ${err.message}`);
      ok(/\b120\b/.test(err.message.replace(/120s/g, '')), `${opt}: message suggests the number 120: ${err.message}`);
    }
  });

  test('invalid_time_span_values_are_refused_with_err_invalid_option', () => {
    for (const v of ['soon', '1 fortnight', '', 'h1', true, {}, [], NaN, Infinity]) {
      throws(() => jwt.sign({ a: 1 }, SECRET, { expiresIn: v }), { code: 'ERR_INVALID_OPTION' }, `expiresIn ${show(v)}`);
    }
  });

  test('audience_issuer_subject_and_jwtid_options_become_claims', () => {
    const { payload } = parts(jwt.sign({ a: 1 }, SECRET, { audience: 'api', issuer: 'me', subject: 'u1', jwtid: 'id-1' }));
    deepEq(payload, { a: 1, aud: 'api', iss: 'me', sub: 'u1', jti: 'id-1', iat: payload.iat }, 'claims');
    deepEq(parts(jwt.sign({}, SECRET, { audience: ['a', 'b'] })).payload.aud, ['a', 'b'], 'audience array');
  });

  test('jwtid_true_is_a_random_128_bit_base64url_id', () => {
    const ids = new Set();
    for (let i = 0; i < 20; i++) {
      const { jti } = parts(jwt.sign({}, SECRET, { jwtid: true })).payload;
      ok(typeof jti === 'string' && /^[A-Za-z0-9_-]{22}$/.test(jti), `jti ${show(jti)} is 22 base64url characters (128 bits)`);
      eq(fromB64u(jti).length, 16, 'jti decodes to 16 bytes');
      ids.add(jti);
    }
    eq(ids.size, 20, 'ids differ');
  });

  test('keyid_option_sets_header_kid_after_alg_and_typ', () => {
    eq(parts(jwt.sign({}, SECRET, { keyid: 'k1' })).headerText, '{"alg":"HS256","typ":"JWT","kid":"k1"}', 'header');
  });

  test('header_option_adds_members_in_a_stable_order', () => {
    const opts = { keyid: 'k1', header: { cty: 'x', zz: 1, aa: [1] }, timestamp: 5 };
    const t1 = jwt.sign({ a: 1 }, SECRET, opts);
    const { header, headerText } = parts(t1);
    deepEq(header, { alg: 'HS256', typ: 'JWT', kid: 'k1', cty: 'x', zz: 1, aa: [1] }, 'header members');
    ok(headerText.startsWith('{"alg":"HS256","typ":"JWT","kid":"k1"'), `alg, typ, kid first: ${headerText}`);
    eq(jwt.sign({ a: 1 }, SECRET, opts), t1, 'same input, same token');
  });

  test('header_option_cannot_change_alg', async () => {
    for (const badAlg of ['HS512', 'none', 'RS256']) {
      let t;
      try {
        t = jwt.sign({ a: 1 }, SECRET, { header: { alg: badAlg } });
      } catch (e) {
        checkError(e, { code: 'ERR_INVALID_OPTION' }, `header.alg ${badAlg}`);
        continue;
      }
      eq(parts(t).header.alg, 'HS256', `header.alg ${badAlg} ignored`);
      await joseVerify(t, SECRET, 'HS256');
    }
  });

  test('hmac_keys_shorter_than_the_hash_are_refused_with_err_key_too_weak', () => {
    for (const alg of ALGS) {
      const n = HASH_LEN[alg];
      for (const key of [new Uint8Array(n - 1).fill(7), 'x'.repeat(n - 1), 'é'.repeat((n - 2) / 2) + 'x']) {
        const err = throws(() => jwt.sign({}, key, { algorithm: alg }), { code: 'ERR_KEY_TOO_WEAK' }, `${alg} key of ${n - 1} bytes`);
        ok(err.message.includes('generateSecret'), `message says how to fix: ${err.message}`);
      }
      for (const key of [new Uint8Array(n).fill(7), 'x'.repeat(n), 'é'.repeat(n / 2)]) {
        jwt.sign({}, key, { algorithm: alg });
      }
    }
  });

  test('allow_weak_key_signs_with_a_short_secret', async () => {
    const t = jwt.sign({ a: 1 }, 'secret', { allowWeakKey: true });
    eq((await joseVerify(t, 'secret', 'HS256')).a, 1, 'jose verifies');
  });

  test('a_claim_given_in_payload_and_options_is_an_error', () => {
    const clashes = [
      [{ exp: 5 }, { expiresIn: 10 }], [{ nbf: 5 }, { notBefore: 10 }], [{ aud: 'a' }, { audience: 'b' }],
      [{ iss: 'a' }, { issuer: 'b' }], [{ sub: 'a' }, { subject: 'b' }], [{ jti: 'a' }, { jwtid: 'b' }],
    ];
    for (const [payload, options] of clashes) {
      throws(() => jwt.sign(payload, SECRET, options), { codes: ['ERR_INVALID_OPTION', 'ERR_INVALID_PAYLOAD'] }, show(options));
    }
  });

  test('a_payload_that_is_not_a_plain_object_is_refused_with_err_invalid_payload', () => {
    for (const p of ['str', 42, null, undefined, true, [1, 2], new Date(0), new Uint8Array(2), () => 1]) {
      throws(() => jwt.sign(p, SECRET), { code: 'ERR_INVALID_PAYLOAD' }, `payload ${show(p)}`);
    }
  });

  test('algorithm_none_and_unknown_algorithms_are_refused_by_sign', () => {
    for (const algorithm of ['none', 'None', 'NONE', 'HS999', 'hs256', '']) {
      throws(() => jwt.sign({}, SECRET, { algorithm }), { codes: ['ERR_INVALID_OPTION', 'ERR_JWS_ALG_NOT_ALLOWED'] }, `algorithm ${show(algorithm)}`);
    }
  });

  test('sign_accepts_string_bytes_jwk_and_imported_keys', async () => {
    const bytes = prng(seed + 2).bytes(40);
    const forms = [
      ['Uint8Array', bytes],
      ['JWK oct', { kty: 'oct', k: b64u(bytes) }],
      ['importKey(bytes)', jwt.importKey(bytes)],
      ['importKey(jwk)', jwt.importKey({ kty: 'oct', k: b64u(bytes) })],
    ];
    for (const [label, key] of forms) {
      const t = jwt.sign({ f: label }, key);
      eq((await joseVerify(t, bytes, 'HS256')).f, label, label);
    }
    const t = jwt.sign({ f: 's' }, 'pässwörd-✓-long-enough-for-hs256-0123456789');
    eq((await joseVerify(t, 'pässwörd-✓-long-enough-for-hs256-0123456789', 'HS256')).f, 's', 'string key is UTF-8');
  });

  test('error_messages_never_echo_key_material', () => {
    const secrets = ['hunter2-weak-secret', 'c2VjcmV0LWtleS1tYXRlcmlhbA'];
    const messages = [];
    const grab = (fn) => {
      try {
        fn();
      } catch (e) {
        messages.push(String(e && e.message));
      }
    };
    grab(() => jwt.sign({}, secrets[0]));
    grab(() => jwt.verify(jwt.sign({}, secrets[0], { allowWeakKey: true }), secrets[0]));
    grab(() => jwt.verify(jwt.sign({}, SECRET), secrets[0] + secrets[0]));
    grab(() => jwt.sign({}, { kty: 'oct', k: secrets[1] + '!' }));
    grab(() => jwt.sign({}, { kty: 'oct', k: secrets[1].slice(0, 9) }));
    grab(() => jwt.importKey(secrets[1] + '%', { base64: true }));
    grab(() => jwt.verify(jwt.sign({}, SECRET), { keys: [{ kty: 'oct', k: secrets[1] + '!' }] }));
    eq(messages.length, 7, 'every call failed');
    const k = jwt.importKey(secrets[0] + secrets[0]);
    messages.push(String(k), JSON.stringify(k) ?? '', Object.keys(k).map((n) => String(k[n])).join(' '));
    for (const m of messages) {
      for (const s of [secrets[0], secrets[1], secrets[1].slice(0, 9)]) ok(!m.includes(s), `message echoes key material: ${show(m)}`);
    }
  });

  test('invalid_keys_are_refused_with_err_key_invalid', () => {
    for (const key of [undefined, null, 42, true, {}, [], { kty: 'oct' }, { kty: 'oct', k: 42 }, { kty: 'oct', k: '!!not base64url!!' }]) {
      throws(() => jwt.sign({}, key), { code: 'ERR_KEY_INVALID' }, `sign key ${show(key)}`);
    }
    const t = jwt.sign({}, SECRET);
    for (const key of [undefined, null, 42, true, {}, { kty: 'oct' }]) {
      expectVerifyError(t, key, undefined, 'ERR_KEY_INVALID', {}, `verify key ${show(key)}`);
    }
    throws(() => jwt.sign({}, ''), { codes: ['ERR_KEY_INVALID', 'ERR_KEY_TOO_WEAK'] }, 'empty key');
  });

  // ---- verify ------------------------------------------------------------------------------------

  test('verify_returns_the_claims_of_a_valid_token', () => {
    const t = jwt.sign({ sub: 'u', n: [1, { x: '😀' }] }, SECRET, { timestamp: 7 });
    deepEq(jwt.verify(t, SECRET), { sub: 'u', n: [1, { x: '😀' }], iat: 7 }, 'claims');
  });

  test('default_algorithms_of_an_hmac_secret_are_hs256_hs384_hs512', () => {
    for (const alg of ALGS) eq(jwt.verify(jwt.sign({ a: alg }, SECRET, { algorithm: alg }), SECRET).a, alg, alg);
  });

  test('algorithms_option_refuses_other_algorithms_with_invalid_algorithm', () => {
    const t = jwt.sign({}, SECRET, { algorithm: 'HS384' });
    expectVerifyError(t, SECRET, { algorithms: ['HS256'] }, 'ERR_JWS_ALG_NOT_ALLOWED', { name: 'JsonWebTokenError', message: 'invalid algorithm' });
    expectVerifyError(t, SECRET, { algorithms: ['HS256', 'HS512'] }, 'ERR_JWS_ALG_NOT_ALLOWED');
    expectVerifyError(t, OTHER_SECRET, { algorithms: ['HS256'] }, 'ERR_JWS_ALG_NOT_ALLOWED', {}, 'alg is checked before the signature');
    jwt.verify(t, SECRET, { algorithms: ['HS384'] });
  });

  test('a_token_whose_alg_does_not_fit_the_key_type_is_refused_even_if_listed', () => {
    const t = jwt.sign({}, SECRET);
    expectVerifyError(t, SECRET, { algorithms: ['RS256'] }, ['ERR_JWS_ALG_NOT_ALLOWED', 'ERR_INVALID_OPTION']);
  });

  test('a_wrong_secret_fails_with_invalid_signature', () => {
    const t = jwt.sign({ a: 1 }, SECRET);
    expectVerifyError(t, OTHER_SECRET, undefined, 'ERR_JWS_INVALID_SIGNATURE', { name: 'JsonWebTokenError', message: 'invalid signature' });
  });

  test('garbage_fails_with_err_jwt_malformed', () => {
    // the message is jsonwebtoken's 'jwt malformed' where jsonwebtoken says so (not three parts)
    for (const bad of ['abc', 'not a token', 'a.b', 'a.b.c.d']) {
      expectVerifyError(bad, SECRET, undefined, 'ERR_JWT_MALFORMED', { name: 'JsonWebTokenError', message: 'jwt malformed' }, show(bad));
    }
    for (const bad of ['a.b.c', 'eyJ.eyJ.x', '!.!.!', '😀.😀.😀']) {
      expectVerifyError(bad, SECRET, undefined, 'ERR_JWT_MALFORMED', { name: 'JsonWebTokenError' }, show(bad));
    }
  });

  test('a_plain_secret_verifies_tokens_that_carry_a_kid', () => {
    for (const key of [SECRET, enc.encode(SECRET), { kty: 'oct', k: b64u(enc.encode(SECRET)) }]) {
      const t = jwt.sign({ a: 1 }, SECRET, { keyid: 'some-key-id' });
      eq(jwt.verify(t, key).a, 1, `kid with key ${show(key)}`);
    }
  });

  test('audience_option_matches_strings_regexps_and_arrays', () => {
    const one = jwt.sign({}, SECRET, { audience: 'api:read' });
    const many = jwt.sign({}, SECRET, { audience: ['x', 'y'] });
    for (const audience of ['api:read', /^api:/, ['nope', 'api:read'], ['nope', /read$/]]) jwt.verify(one, SECRET, { audience });
    for (const audience of ['y', ['z', 'x'], /^y$/]) jwt.verify(many, SECRET, { audience });
  });

  test('audience_mismatch_fails_with_jwt_audience_invalid', () => {
    const one = jwt.sign({}, SECRET, { audience: 'api:read' });
    const extra = { name: 'JsonWebTokenError', claim: 'aud' };
    expectVerifyError(one, SECRET, { audience: 'other' }, 'ERR_JWT_CLAIM_INVALID', { ...extra, message: 'jwt audience invalid. expected: other' });
    expectVerifyError(one, SECRET, { audience: ['p', 'q'] }, 'ERR_JWT_CLAIM_INVALID', { ...extra, message: 'jwt audience invalid. expected: p or q' });
    expectVerifyError(one, SECRET, { audience: /^API:/ }, 'ERR_JWT_CLAIM_INVALID', { ...extra, message: /^jwt audience invalid\. expected: / });
    expectVerifyError(jwt.sign({}, SECRET, { audience: ['x', 'y'] }), SECRET, { audience: 'z' }, 'ERR_JWT_CLAIM_INVALID', extra);
    expectVerifyError(jwt.sign({}, SECRET), SECRET, { audience: 'z' }, ['ERR_JWT_CLAIM_INVALID', 'ERR_JWT_CLAIM_MISSING'], extra, 'no aud');
  });

  test('issuer_subject_and_jwtid_options_are_checked', () => {
    const t = jwt.sign({}, SECRET, { issuer: 'me', subject: 'u1', jwtid: 'j1' });
    jwt.verify(t, SECRET, { issuer: 'me', subject: 'u1', jwtid: 'j1' });
    jwt.verify(t, SECRET, { issuer: ['other', 'me'] });
    const x = (claim, message) => ({ name: 'JsonWebTokenError', claim, message });
    expectVerifyError(t, SECRET, { issuer: 'you' }, 'ERR_JWT_CLAIM_INVALID', x('iss', 'jwt issuer invalid. expected: you'));
    expectVerifyError(t, SECRET, { issuer: ['a', 'b'] }, 'ERR_JWT_CLAIM_INVALID', x('iss', /^jwt issuer invalid\. expected: a.*b/));
    expectVerifyError(t, SECRET, { subject: 'u2' }, 'ERR_JWT_CLAIM_INVALID', x('sub', 'jwt subject invalid. expected: u2'));
    expectVerifyError(t, SECRET, { jwtid: 'j2' }, 'ERR_JWT_CLAIM_INVALID', x('jti', 'jwt jwtid invalid. expected: j2'));
    const bare = jwt.sign({}, SECRET);
    const either = ['ERR_JWT_CLAIM_INVALID', 'ERR_JWT_CLAIM_MISSING'];
    expectVerifyError(bare, SECRET, { issuer: 'me' }, either, { claim: 'iss' }, 'missing iss');
    expectVerifyError(bare, SECRET, { subject: 'u1' }, either, { claim: 'sub' }, 'missing sub');
    expectVerifyError(bare, SECRET, { jwtid: 'j1' }, either, { claim: 'jti' }, 'missing jti');
  });

  test('typ_option_is_case_insensitive_with_optional_application_prefix', async () => {
    const plain = jwt.sign({}, SECRET);
    for (const typ of ['JWT', 'jwt', 'application/jwt', 'Application/JWT']) jwt.verify(plain, SECRET, { typ });
    const at = await joseSign({}, SECRET, 'HS256', { typ: 'at+jwt' });
    for (const typ of ['at+jwt', 'AT+JWT', 'application/at+jwt']) jwt.verify(at, SECRET, { typ });
    const appAt = await joseSign({}, SECRET, 'HS256', { typ: 'application/at+jwt' });
    jwt.verify(appAt, SECRET, { typ: 'at+jwt' });
    const bad = ['ERR_JWT_CLAIM_INVALID', 'ERR_JWT_CLAIM_MISSING'];
    expectVerifyError(at, SECRET, { typ: 'JWT' }, bad, {}, 'at+jwt vs JWT');
    expectVerifyError(plain, SECRET, { typ: 'at+jwt' }, bad, {}, 'JWT vs at+jwt');
    expectVerifyError(await joseSign({}, SECRET, 'HS256'), SECRET, { typ: 'JWT' }, bad, {}, 'no typ');
  });

  test('an_expired_token_fails_with_token_expired_error', () => {
    const t = jwt.sign({ exp: T }, SECRET, { noTimestamp: true });
    const err = expectVerifyError(t, SECRET, { currentTime: T }, 'ERR_JWT_EXPIRED', { name: 'TokenExpiredError', cls: jwt.TokenExpiredError, message: 'jwt expired' });
    ok(err instanceof jwt.JsonWebTokenError, 'TokenExpiredError instanceof JsonWebTokenError');
    ok(err.expiredAt instanceof Date, 'expiredAt is a Date');
    eq(err.expiredAt.getTime(), T * 1000, 'expiredAt');
    jwt.verify(t, SECRET, { currentTime: T - 1 });
    const real = jwt.sign({}, SECRET, { expiresIn: 1, timestamp: nowSec() - 100 });
    expectVerifyError(real, SECRET, undefined, 'ERR_JWT_EXPIRED', { cls: jwt.TokenExpiredError }, 'against the real clock');
  });

  test('a_token_before_nbf_fails_with_not_before_error', () => {
    const t = jwt.sign({ nbf: T + 1 }, SECRET, { noTimestamp: true });
    const err = expectVerifyError(t, SECRET, { currentTime: T }, 'ERR_JWT_NOT_ACTIVE', { name: 'NotBeforeError', cls: jwt.NotBeforeError, message: 'jwt not active' });
    ok(err instanceof jwt.JsonWebTokenError, 'NotBeforeError instanceof JsonWebTokenError');
    ok(err.date instanceof Date, 'date is a Date');
    eq(err.date.getTime(), (T + 1) * 1000, 'date');
    jwt.verify(t, SECRET, { currentTime: T + 1 });
    const real = jwt.sign({}, SECRET, { notBefore: '1h' });
    expectVerifyError(real, SECRET, undefined, 'ERR_JWT_NOT_ACTIVE', { cls: jwt.NotBeforeError }, 'against the real clock');
  });

  test('clock_tolerance_extends_exp_and_nbf_by_whole_seconds', () => {
    const exp = jwt.sign({ exp: T - 5 }, SECRET, { noTimestamp: true });
    jwt.verify(exp, SECRET, { currentTime: T, clockTolerance: 6 });
    expectVerifyError(exp, SECRET, { currentTime: T, clockTolerance: 5 }, 'ERR_JWT_EXPIRED', { cls: jwt.TokenExpiredError });
    expectVerifyError(exp, SECRET, { currentTime: T }, 'ERR_JWT_EXPIRED', { cls: jwt.TokenExpiredError }, 'default tolerance is 0');
    const nbf = jwt.sign({ nbf: T + 5 }, SECRET, { noTimestamp: true });
    jwt.verify(nbf, SECRET, { currentTime: T, clockTolerance: 5 });
    expectVerifyError(nbf, SECRET, { currentTime: T, clockTolerance: 4 }, 'ERR_JWT_NOT_ACTIVE', { cls: jwt.NotBeforeError });
  });

  test('current_time_accepts_a_date_or_seconds', () => {
    const t = jwt.sign({ exp: T + 1 }, SECRET, { noTimestamp: true });
    jwt.verify(t, SECRET, { currentTime: T });
    jwt.verify(t, SECRET, { currentTime: new Date(T * 1000) });
    expectVerifyError(t, SECRET, { currentTime: T + 1 }, 'ERR_JWT_EXPIRED', {}, 'seconds');
    expectVerifyError(t, SECRET, { currentTime: new Date((T + 1) * 1000) }, 'ERR_JWT_EXPIRED', {}, 'Date');
  });

  test('ignore_expiration_and_ignore_not_before_skip_those_checks', () => {
    const exp = jwt.sign({ exp: T - 100 }, SECRET, { noTimestamp: true });
    eq(jwt.verify(exp, SECRET, { currentTime: T, ignoreExpiration: true }).exp, T - 100, 'ignoreExpiration');
    const nbf = jwt.sign({ nbf: T + 100 }, SECRET, { noTimestamp: true });
    eq(jwt.verify(nbf, SECRET, { currentTime: T, ignoreNotBefore: true }).nbf, T + 100, 'ignoreNotBefore');
    expectVerifyError(exp, SECRET, { currentTime: T, ignoreNotBefore: true }, 'ERR_JWT_EXPIRED', {}, 'ignoreNotBefore keeps exp');
  });

  test('max_age_refuses_tokens_issued_too_long_ago', () => {
    const t = jwt.sign({}, SECRET, { timestamp: T - 100 });
    jwt.verify(t, SECRET, { currentTime: T, maxAge: 200 });
    jwt.verify(t, SECRET, { currentTime: T, maxAge: '2m' });
    const x = { message: 'maxAge exceeded', cls: jwt.JsonWebTokenError };
    expectVerifyError(t, SECRET, { currentTime: T, maxAge: 50 }, ['ERR_JWT_EXPIRED', 'ERR_JWT_CLAIM_INVALID'], x, 'number');
    expectVerifyError(t, SECRET, { currentTime: T, maxAge: '1m' }, ['ERR_JWT_EXPIRED', 'ERR_JWT_CLAIM_INVALID'], x, 'time span');
    const noIat = jwt.sign({}, SECRET, { noTimestamp: true });
    expectVerifyError(noIat, SECRET, { currentTime: T, maxAge: 50 }, ['ERR_JWT_CLAIM_MISSING', 'ERR_JWT_CLAIM_INVALID'], { claim: 'iat' }, 'needs iat');
  });

  test('options_where_jsonwebtoken_differs_work_as_documented', () => {
    // API.md: empty audience/issuer lists are refused; a numeric span keeps its fraction; a
    // non-ASCII kid is written as UTF-8 (jsonwebtoken writes Latin-1 bytes there).
    throws(() => jwt.sign({}, SECRET, { audience: [] }), 'ERR_INVALID_OPTION', 'sign audience []');
    throws(() => jwt.verify(jwt.sign({}, SECRET), SECRET, { audience: [] }), 'ERR_INVALID_OPTION', 'verify audience []');
    throws(() => jwt.verify(jwt.sign({}, SECRET), SECRET, { issuer: [] }), 'ERR_INVALID_OPTION', 'verify issuer []');
    eq(jwt.decode(jwt.sign({}, SECRET, { timestamp: T, expiresIn: 1.5 })).exp, T + 1.5, 'fractional expiresIn');
    const token = jwt.sign({}, SECRET, { keyid: 'k\u00e9' });
    eq(jwt.decode(token, { complete: true }).header.kid, 'k\u00e9', 'non-ASCII kid');
    eq(new TextDecoder('utf-8', { fatal: true }).decode(fromB64u(token.split('.')[0])), '{"alg":"HS256","typ":"JWT","kid":"k\u00e9"}', 'kid as UTF-8');
  });

  test('max_age_passes_a_token_exactly_that_old_and_enforces_zero', () => {
    // As jose: refused only when now - iat > maxAge + clockTolerance. jsonwebtoken would
    // refuse the exact age, and would skip a maxAge of 0 (both documented in API.md).
    const t = jwt.sign({}, SECRET, { timestamp: T - 60 });
    eq(jwt.verify(t, SECRET, { currentTime: T, maxAge: 60 }).iat, T - 60, 'exactly maxAge old');
    eq(jwt.verify(t, SECRET, { currentTime: T, maxAge: '1m' }).iat, T - 60, 'exactly a span old');
    expectVerifyError(t, SECRET, { currentTime: T + 1, maxAge: 60 }, 'ERR_JWT_EXPIRED', { message: 'maxAge exceeded' }, 'a second older');
    const now = jwt.sign({}, SECRET, { timestamp: T });
    eq(jwt.verify(now, SECRET, { currentTime: T, maxAge: 0 }).iat, T, 'maxAge 0, issued now');
    expectVerifyError(now, SECRET, { currentTime: T + 1, maxAge: 0 }, 'ERR_JWT_EXPIRED', { message: 'maxAge exceeded' }, 'maxAge 0, a second later');
    const noIat = jwt.sign({}, SECRET, { noTimestamp: true });
    expectVerifyError(noIat, SECRET, { currentTime: T, maxAge: 0 }, 'ERR_JWT_CLAIM_MISSING', { claim: 'iat' }, 'maxAge 0 needs iat');
  });

  test('required_claims_must_be_present', () => {
    const t = jwt.sign({ sub: 'u' }, SECRET, { noTimestamp: true });
    jwt.verify(t, SECRET, { requiredClaims: ['sub'] });
    expectVerifyError(t, SECRET, { requiredClaims: ['sub', 'jti'] }, 'ERR_JWT_CLAIM_MISSING', { claim: 'jti', name: 'JsonWebTokenError' });
    expectVerifyError(t, SECRET, { requiredClaims: ['exp'] }, 'ERR_JWT_CLAIM_MISSING', { claim: 'exp' });
    expectVerifyError(t, SECRET, { requiredClaims: ['tenant'] }, 'ERR_JWT_CLAIM_MISSING', { claim: 'tenant', message: 'missing required "tenant" claim' });
  });

  test('complete_returns_header_payload_and_signature_text', () => {
    const t = jwt.sign({ a: 1 }, SECRET, { header: { cty: 'x' }, noTimestamp: true });
    const got = jwt.verify(t, SECRET, { complete: true });
    deepEq(got, { header: { alg: 'HS256', typ: 'JWT', cty: 'x' }, payload: { a: 1 }, signature: t.split('.')[2] }, 'complete');
  });

  test('tokens_longer_than_max_token_length_fail_with_err_jwt_too_large_before_decoding', async () => {
    // a valid token of exactly 16384 characters passes, 16385+ does not
    const h = b64uText('{"alg":"HS256","typ":"JWT"}');
    const lenFor = (n) => h.length + 1 + Math.ceil(((10 + n) * 4) / 3) + 1 + 43;
    let n = 12000;
    while (lenFor(n) < 16384) n++;
    ok(lenFor(n) === 16384, 'found an exact padding');
    const exact = await craft('{"alg":"HS256","typ":"JWT"}', `{"pad":"${'x'.repeat(n)}"}`, SECRET);
    eq(exact.length, 16384, 'crafted length');
    eq(jwt.verify(exact, SECRET).pad.length, n, 'a 16384-character token verifies');
    const over = await craft('{"alg":"HS256","typ":"JWT"}', `{"pad":"${'x'.repeat(n + 1)}"}`, SECRET);
    ok(over.length > 16384, 'over');
    const x = { name: 'JsonWebTokenError' };
    expectVerifyError(over, SECRET, undefined, 'ERR_JWT_TOO_LARGE', x, 'valid but long');
    expectVerifyError('!'.repeat(16385), SECRET, undefined, 'ERR_JWT_TOO_LARGE', x, 'garbage is refused for its length first');
    const small = jwt.sign({ a: 1 }, SECRET);
    expectVerifyError(small, SECRET, { maxTokenLength: small.length - 1 }, 'ERR_JWT_TOO_LARGE', x, 'custom limit');
    jwt.verify(small, SECRET, { maxTokenLength: small.length });
    jwt.verify(over, SECRET, { maxTokenLength: 20000 });
  });

  test('verify_refuses_weak_hmac_keys_unless_allow_weak_key', async () => {
    const t = await joseSign({ a: 1 }, 'secret');
    expectVerifyError(t, 'secret', undefined, 'ERR_KEY_TOO_WEAK');
    eq(jwt.verify(t, 'secret', { allowWeakKey: true }).a, 1, 'allowWeakKey');
    const t512 = await joseSign({ a: 1 }, 'y'.repeat(48), 'HS512');
    // By default a 48-byte secret allows HS256 and HS384 only: an HS512 token is an algorithm
    // it does not allow (anyone can write "HS512" in a header); listed, the key is too weak.
    expectVerifyError(t512, 'y'.repeat(48), undefined, 'ERR_JWS_ALG_NOT_ALLOWED', { message: 'invalid algorithm' }, 'HS512 by default');
    expectVerifyError(t512, 'y'.repeat(48), { algorithms: ['HS512'] }, 'ERR_KEY_TOO_WEAK', {}, 'HS512 listed needs 64 bytes');
    eq(jwt.verify(t512, 'y'.repeat(48), { allowWeakKey: true }).a, 1, 'allowWeakKey allows HS512');
  });

  test('a_forged_stronger_alg_is_not_blamed_on_the_configured_secret', async () => {
    const secret = jwt.generateSecret('HS256');
    const good = jwt.sign({ a: 1 }, secret);
    eq(jwt.verify(good, secret).a, 1, 'HS256 verifies');
    for (const alg of ['HS384', 'HS512']) {
      const forged = await joseSign({ a: 1 }, 'z'.repeat(64), alg);
      expectVerifyError(forged, secret, undefined, 'ERR_JWS_ALG_NOT_ALLOWED', { message: 'invalid algorithm' }, alg);
      throws(() => jwt.createVerifier(secret).verify(forged), verifyErr('ERR_JWS_ALG_NOT_ALLOWED'), `${alg} createVerifier`);
    }
  });

  test('a_jwk_serves_only_its_alg_use_and_key_ops', () => {
    const k = b64u(enc.encode(SECRET));
    const hs256 = jwt.sign({ a: 1 }, SECRET);
    expectVerifyError(hs256, { kty: 'oct', k, alg: 'HS512' }, undefined, 'ERR_JWS_ALG_NOT_ALLOWED', {}, 'single JWK of another alg');
    expectVerifyError(hs256, { keys: [{ kty: 'oct', k, alg: 'HS512' }] }, undefined, 'ERR_JWKS_NO_MATCH', {}, 'the same key in a set');
    const enc_ = { kty: 'oct', k, use: 'enc' };
    throws(() => jwt.sign({}, enc_), { code: 'ERR_KEY_INVALID' }, 'sign with use enc');
    expectVerifyError(hs256, enc_, undefined, 'ERR_KEY_INVALID', {}, 'verify with use enc');
    throws(() => jwt.createVerifier(enc_), { code: 'ERR_KEY_INVALID' }, 'createVerifier with use enc');
    const verifyOnly = { kty: 'oct', k, key_ops: ['verify'] };
    const signOnly = { kty: 'oct', k, key_ops: ['sign'] };
    throws(() => jwt.sign({}, verifyOnly), { code: 'ERR_KEY_INVALID' }, 'sign with key_ops verify');
    eq(jwt.verify(hs256, verifyOnly).a, 1, 'verify with key_ops verify');
    eq(jwt.verify(jwt.sign({ a: 2 }, signOnly), SECRET).a, 2, 'sign with key_ops sign');
    expectVerifyError(hs256, signOnly, undefined, 'ERR_KEY_INVALID', {}, 'verify with key_ops sign');
    jwt.importKey(verifyOnly);
    jwt.importKey(signOnly);
    expectVerifyError(hs256, { keys: [signOnly] }, undefined, 'ERR_JWKS_NO_MATCH', {}, 'a set whose only key may not verify');
  });

  test('inspect_checks_only_the_signature_whatever_the_claims', async () => {
    const t = await craft({ alg: 'HS256', typ: 'JWT' }, { exp: 'tomorrow', nbf: 'now', iat: 'then' }, SECRET);
    const report = jwt.inspect(t, SECRET);
    eq(report.signature.status, 'valid', 'signature of a token with string time claims');
    ok(report.warnings.some((w) => w.code === 'CLAIM_TYPE'), 'CLAIM_TYPE warning');
    const at = t.lastIndexOf('.') + 1;
    const altered = t.slice(0, at) + (t[at] === 'A' ? 'B' : 'A') + t.slice(at + 1);
    eq(jwt.inspect(altered, SECRET).signature.status, 'invalid', 'altered signature');
  });

  test('fractional_numeric_dates_are_accepted', async () => {
    const t = await craft({ alg: 'HS256', typ: 'JWT' }, { exp: T + 0.5, nbf: T - 0.5, iat: T - 0.5 }, SECRET);
    eq(jwt.verify(t, SECRET, { currentTime: T }).exp, T + 0.5, 'exp');
    expectVerifyError(t, SECRET, { currentTime: T + 1 }, 'ERR_JWT_EXPIRED', { cls: jwt.TokenExpiredError });
  });

  test('json_with_insignificant_whitespace_is_accepted', async () => {
    const t = await craft('{ "alg" : "HS256" ,\n "typ":"JWT" }', '\t{ "sub" : "u" , "n" : [ 1 , 2 ] }\r\n', SECRET);
    deepEq(jwt.verify(t, SECRET), { sub: 'u', n: [1, 2] }, 'claims');
  });

  test('a_token_with_another_typ_is_accepted_when_no_typ_is_asked_for', async () => {
    eq(jwt.verify(await joseSign({ a: 1 }, SECRET, 'HS256', { typ: 'at+jwt' }), SECRET).a, 1, 'typ at+jwt');
  });

  test('exp_nbf_and_iat_must_be_json_numbers', async () => {
    const codes = ['ERR_JWT_CLAIM_INVALID', 'ERR_JWT_MALFORMED'];
    for (const payload of [
      { exp: String(T + 1000) }, { exp: String(T - 1000) }, { exp: null }, { exp: true }, { exp: [T + 1000] },
      { nbf: String(T - 1000) }, { nbf: String(T + 1000) }, { iat: String(T) }, { iat: {} },
    ]) {
      const t = await craft({ alg: 'HS256', typ: 'JWT' }, payload, SECRET);
      const err = expectVerifyError(t, SECRET, { currentTime: T }, codes, {}, show(payload));
      ok(!(err instanceof jwt.TokenExpiredError) && !(err instanceof jwt.NotBeforeError), `not a time error: ${show(err)}`);
    }
  });

  // ---- key forms -----------------------------------------------------------------------------------

  test('verify_accepts_string_bytes_jwk_and_imported_keys', async () => {
    const bytes = prng(seed + 3).bytes(48);
    const t = await joseSign({ a: 1 }, bytes);
    for (const [label, key] of [
      ['Uint8Array', bytes], ['JWK oct', { kty: 'oct', k: b64u(bytes) }], ['importKey', jwt.importKey(bytes)],
    ]) {
      eq(jwt.verify(t, key).a, 1, label);
    }
  });

  const jwkOf = (bytes, extra = {}) => ({ kty: 'oct', k: b64u(bytes), ...extra });

  test('a_jwk_set_key_is_chosen_by_kid', () => {
    const r = prng(seed + 4);
    const a = r.bytes(32);
    const b = r.bytes(32);
    const set = { keys: [jwkOf(a, { kid: 'a' }), jwkOf(b, { kid: 'b' })] };
    eq(jwt.verify(jwt.sign({ k: 'b' }, b, { keyid: 'b' }), set).k, 'b', 'kid b');
    eq(jwt.verify(jwt.sign({ k: 'a' }, a, { keyid: 'a' }), set).k, 'a', 'kid a');
    expectVerifyError(jwt.sign({}, b, { keyid: 'a' }), set, undefined, 'ERR_JWS_INVALID_SIGNATURE', {}, 'signed with b, kid a');
  });

  test('a_jwk_set_without_a_kid_match_is_chosen_by_alg_and_kty', () => {
    const r = prng(seed + 5);
    const a = r.bytes(64);
    const b = r.bytes(64);
    eq(jwt.verify(jwt.sign({ x: 1 }, a), { keys: [jwkOf(a)] }).x, 1, 'single oct key, no kid');
    const byAlg = { keys: [jwkOf(a, { alg: 'HS512' }), jwkOf(b, { alg: 'HS256' })] };
    eq(jwt.verify(jwt.sign({ x: 2 }, b), byAlg).x, 2, 'chosen by alg');
    eq(jwt.verify(jwt.sign({ x: 3 }, a, { algorithm: 'HS512' }), byAlg).x, 3, 'chosen by alg HS512');
    eq(jwt.verify(jwt.sign({ x: 4 }, a), { keys: [RSA_PUBLIC_JWK, jwkOf(a)] }).x, 4, 'chosen by kty');
  });

  test('no_match_or_an_ambiguous_match_in_a_jwk_set_fails_with_err_jwks_no_match', () => {
    const r = prng(seed + 6);
    const a = r.bytes(32);
    const b = r.bytes(32);
    const x = { cls: jwt.JsonWebTokenError };
    const set = { keys: [jwkOf(a, { kid: 'a' }), jwkOf(b, { kid: 'b' })] };
    expectVerifyError(jwt.sign({}, a, { keyid: 'c' }), set, undefined, 'ERR_JWKS_NO_MATCH', x, 'unknown kid');
    expectVerifyError(jwt.sign({}, a), set, undefined, 'ERR_JWKS_NO_MATCH', x, 'no kid, two candidates');
    const dup = { keys: [jwkOf(a, { kid: 'a' }), jwkOf(b, { kid: 'a' })] };
    expectVerifyError(jwt.sign({}, a, { keyid: 'a' }), dup, undefined, 'ERR_JWKS_NO_MATCH', x, 'two keys with the same kid');
    expectVerifyError(jwt.sign({}, a), { keys: [] }, undefined, ['ERR_JWKS_NO_MATCH', 'ERR_KEY_INVALID'], x, 'empty set');
    // (a build without RSA may call the set unusable instead)
    expectVerifyError(jwt.sign({}, a), { keys: [RSA_PUBLIC_JWK] }, undefined, ['ERR_JWKS_NO_MATCH', 'ERR_KEY_INVALID', 'ERR_JWS_ALG_NOT_ALLOWED'], x, 'only an RSA key');
    expectVerifyError(jwt.sign({}, a, { keyid: 'a' }), { keys: [jwkOf(a, { kid: 'a', alg: 'HS512' })] }, undefined, 'ERR_JWKS_NO_MATCH', x, 'key alg differs from the token alg');
    expectVerifyError(jwt.sign({}, a, { keyid: 'a' }), { keys: [jwkOf(a, { kid: 'a', use: 'enc' })] }, undefined, 'ERR_JWKS_NO_MATCH', x, 'use enc');
  });

  test('a_key_function_receives_the_header_and_returns_the_key', () => {
    const t = jwt.sign({ a: 1 }, SECRET, { header: { tenant: 'k7' }, algorithm: 'HS384' });
    let seen;
    let calls = 0;
    eq(jwt.verify(t, (header) => ((seen = header), calls++, SECRET)).a, 1, 'verified');
    eq(calls, 1, 'called once');
    eq(seen && seen.tenant, 'k7', 'header member');
    eq(seen && seen.alg, 'HS384', 'header.alg');
    expectVerifyError(t, () => OTHER_SECRET, undefined, 'ERR_JWS_INVALID_SIGNATURE', {}, 'wrong key from the function');
    eq(jwt.verify(t, () => jwt.importKey(SECRET)).a, 1, 'function may return an imported key');
  });

  test('a_key_function_is_not_called_for_a_token_refused_for_its_alg', async () => {
    const none = `${b64uText('{"alg":"none","typ":"JWT"}')}.${b64uText('{"a":1}')}.`;
    const hs512 = jwt.sign({ a: 1 }, SECRET, { algorithm: 'HS512' });
    const noAlg = `${b64uText('{"typ":"JWT"}')}.${b64uText('{"a":1}')}.${hs512.split('.')[2]}`;
    let calls = 0;
    const getKey = () => (calls++, SECRET);
    for (const [token, options, code] of [
      [none, undefined, 'ERR_JWS_ALG_NOT_ALLOWED'],
      [none, { algorithms: ['HS256'] }, 'ERR_JWS_ALG_NOT_ALLOWED'],
      [hs512, { algorithms: ['HS256'] }, 'ERR_JWS_ALG_NOT_ALLOWED'],
      [noAlg, undefined, 'ERR_JWT_MALFORMED'],
    ]) {
      expectVerifyError(token, getKey, options, code, {}, `verify ${show(options)}`);
      throws(() => jwt.createVerifier(getKey, options).verify(token), verifyErr(code), `createVerifier ${show(options)}`);
      let rejected;
      await jwt.verifyAsync(token, getKey, options).catch((e) => (rejected = e));
      checkError(rejected, verifyErr(code), `verifyAsync ${show(options)}`);
    }
    eq(calls, 0, 'key function calls');
    eq(jwt.verify(hs512, getKey, { algorithms: ['HS512'] }).a, 1, 'an allowed alg reaches the key function');
    eq(calls, 1, 'key function calls after an allowed token');
  });

  test('what_a_key_function_throws_becomes_a_json_web_token_error', async () => {
    const t = jwt.sign({ a: 1 }, SECRET);
    for (const thrown of ['no key', new TypeError('lookup failed'), 7]) {
      const fail = () => {
        throw thrown;
      };
      const message = `error in secret or public key callback: ${thrown instanceof Error ? thrown.message : String(thrown)}`;
      const e = expectVerifyError(t, fail, undefined, 'ERR_KEY_INVALID', { message }, `sync ${show(String(thrown))}`);
      ok(e.inner === thrown && e.cause === thrown, 'inner and cause are what was thrown');
      let rejected;
      await jwt.verifyAsync(t, async () => fail()).catch((x) => (rejected = x));
      checkError(rejected, verifyErr('ERR_KEY_INVALID', { message }), `async ${show(String(thrown))}`);
      const [e2] = await callbackResult((cb) => jwt.verify(t, (header, done) => done(thrown), cb));
      checkError(e2, verifyErr('ERR_KEY_INVALID', { message }), `callback key ${show(String(thrown))}`);
    }
    // jwtkit's own errors pass through as they are.
    const own = new jwt.JsonWebTokenError('revoked', 'ERR_JWT_CLAIM_INVALID');
    const e = expectVerifyError(t, () => {
      throw own;
    }, undefined, 'ERR_JWT_CLAIM_INVALID', {}, 'own error');
    ok(e === own, 'the same error object');
  });

  test('a_key_function_taking_a_callback_works_as_in_jsonwebtoken', async () => {
    const t = jwt.sign({ a: 1 }, SECRET, { keyid: 'k1' });
    const getKey = (header, done) => setTimeout(() => done(null, header.kid === 'k1' ? SECRET : OTHER_SECRET), 1);
    const [e1, claims] = await callbackResult((cb) => jwt.verify(t, getKey, { algorithms: ['HS256'] }, cb));
    eq(e1, null, 'error argument');
    eq(claims && claims.a, 1, 'claims');
    const [e2] = await callbackResult((cb) => jwt.verify(t, (header, done) => done(null, OTHER_SECRET), cb));
    checkError(e2, verifyErr('ERR_JWS_INVALID_SIGNATURE'), 'wrong key');
    // Called once even if the key function answers twice or answers and then throws.
    let answers = 0;
    await new Promise((resolve) => {
      jwt.verify(t, (header, done) => {
        done(null, SECRET);
        done(null, SECRET);
        throw new Error('after done');
      }, (error, result) => {
        answers++;
        eq(error, null, 'first answer wins');
        eq(result && result.a, 1, 'first answer claims');
        resolve();
      });
    });
    await waitTicks();
    eq(answers, 1, 'callback calls');
    eq((await jwt.verifyAsync(t, getKey)).a, 1, 'verifyAsync with a callback key function');
    // Without a callback there is nothing to wait on: refused with a clear message.
    throws(() => jwt.verify(t, getKey), { code: 'ERR_INVALID_OPTION', message: /callback/ }, 'sync verify');
    throws(() => jwt.createVerifier(getKey), { code: 'ERR_INVALID_OPTION', message: /callback/ }, 'createVerifier');
  });

  test('prepared_signers_and_verifiers_refuse_options_given_per_call', () => {
    const t = jwt.sign({ aud: 'other' }, SECRET);
    throws(() => jwt.createVerifier(SECRET).verify(t, { audience: 'mine' }), { code: 'ERR_INVALID_OPTION', message: /createVerifier/ }, 'verify');
    throws(() => jwt.createVerifier(() => SECRET).verify(t, { audience: 'mine' }), { code: 'ERR_INVALID_OPTION' }, 'key function verify');
    throws(() => jwt.createSigner(SECRET).sign({}, { expiresIn: '5m' }), { code: 'ERR_INVALID_OPTION', message: /createSigner/ }, 'sign');
    eq(jwt.createVerifier(SECRET).verify(t).aud, 'other', 'one argument still verifies');
  });

  test('an_imported_jwk_keeps_its_kid_when_the_header_option_is_given', () => {
    const jwk = { kty: 'oct', k: b64u(enc.encode(SECRET)), kid: 'key-2024' };
    for (const key of [jwk, jwt.importKey(jwk)]) {
      for (const sign of [(p, o) => jwt.sign(p, key, o), (p, o) => jwt.createSigner(key, o).sign(p)]) {
        eq(parts(sign({}, { header: { typ: 'at+jwt' } })).header.kid, 'key-2024', `header option, ${show(key)}`);
        eq(parts(sign({}, {})).header.kid, 'key-2024', `no header option, ${show(key)}`);
        eq(parts(sign({}, { header: { typ: 'at+jwt' }, keyid: 'over' })).header.kid, 'over', `keyid wins, ${show(key)}`);
      }
    }
    const imported = jwt.importKey(jwk);
    try {
      imported.type = 'public';
    } catch {
      // Strict code throws on a read-only member; either way it must not change.
    }
    eq(imported.type, 'secret', 'type is read-only');
  });

  test('values_json_cannot_write_are_option_and_key_errors', () => {
    throws(() => jwt.sign({}, SECRET, { header: { n: 1n } }), { code: 'ERR_INVALID_OPTION' }, 'BigInt in header');
    const cyclic = { kty: 'oct', k: b64u(enc.encode(SECRET)) };
    cyclic.self = cyclic;
    throws(() => jwt.sign({}, cyclic), { code: 'ERR_KEY_INVALID' }, 'cyclic JWK');
    throws(() => jwt.verify('a.b.c', { keys: [{ kty: 'oct', k: 1n }] }), { code: 'ERR_KEY_INVALID' }, 'BigInt in a JWK Set');
    throws(() => new jwt.JwtKey(), { code: 'ERR_KEY_INVALID' }, 'JwtKey constructor');
  });

  test('import_key_returns_a_reusable_key_for_sign_and_verify', async () => {
    const k = jwt.importKey(SECRET);
    for (let i = 0; i < 50; i++) {
      const t = jwt.sign({ i }, k);
      eq(jwt.verify(t, k).i, i, `verify #${i}`);
      if (i % 10 === 0) eq((await joseVerify(t, SECRET, 'HS256')).i, i, `jose #${i}`);
    }
    eq(jwt.verify(await joseSign({ j: 1 }, SECRET), k).j, 1, 'jose token');
  });

  test('import_key_with_base64_true_decodes_a_base64_secret', async () => {
    // bytes whose standard base64 has '+', '/' and '=' in it
    let bytes;
    const r = prng(seed + 7);
    let tries = 0;
    do bytes = r.bytes(32); while ((!/[+]/.test(b64(bytes)) || !/[/]/.test(b64(bytes))) && ++tries < 1000);
    ok(tries < 1000, 'found bytes');
    const text = b64(bytes);
    ok(text.endsWith('='), 'padded base64');
    const k = jwt.importKey(text, { base64: true });
    const t = await joseSign({ a: 1 }, bytes);
    eq(jwt.verify(t, k).a, 1, 'verifies with the decoded bytes');
    eq((await joseVerify(jwt.sign({ b: 2 }, k), bytes, 'HS256')).b, 2, 'signs with the decoded bytes');
    expectVerifyError(t, text, undefined, 'ERR_JWS_INVALID_SIGNATURE', {}, 'the text itself is a different key');
  });

  test('import_key_refuses_invalid_input_with_err_key_invalid', () => {
    for (const [key, opts] of [[42], [null], [undefined], [{ kty: 'oct' }], ['@@@ not base64 @@@', { base64: true }]]) {
      throws(() => jwt.importKey(key, opts), { code: 'ERR_KEY_INVALID' }, `importKey(${show(key)}, ${show(opts)})`);
    }
  });

  test('a_pem_public_key_or_rsa_jwk_is_never_used_as_an_hmac_secret', async () => {
    const t = await joseSign({ a: 1 }, PEM_PUBLIC_KEY);
    expectVerifyError(t, PEM_PUBLIC_KEY, undefined, ['ERR_JWS_ALG_NOT_ALLOWED', 'ERR_KEY_INVALID'], {}, 'PEM');
    expectVerifyError(t, PEM_PUBLIC_KEY, { algorithms: ['HS256'] }, ['ERR_JWS_ALG_NOT_ALLOWED', 'ERR_KEY_INVALID'], {}, 'PEM, HS256 listed');
    const t2 = await joseSign({ a: 1 }, JSON.stringify(RSA_PUBLIC_JWK));
    expectVerifyError(t2, RSA_PUBLIC_JWK, { algorithms: ['HS256'] }, ['ERR_JWS_ALG_NOT_ALLOWED', 'ERR_KEY_INVALID'], {}, 'RSA JWK');
  });

  // ---- decode ---------------------------------------------------------------------------------------

  test('decode_returns_the_claims_without_verifying', () => {
    const t = jwt.sign({ a: 'é😀', exp: T - 1000 }, SECRET, { timestamp: T - 2000 });
    deepEq(jwt.decode(t), { a: 'é😀', exp: T - 1000, iat: T - 2000 }, 'expired token decodes');
    const forged = t.slice(0, t.lastIndexOf('.') + 1) + 'AAAA';
    deepEq(jwt.decode(forged), { a: 'é😀', exp: T - 1000, iat: T - 2000 }, 'bad signature decodes');
  });

  test('decode_complete_returns_header_payload_and_signature', () => {
    const t = jwt.sign({ a: 1 }, SECRET, { keyid: 'k', noTimestamp: true });
    deepEq(jwt.decode(t, { complete: true }), { header: { alg: 'HS256', typ: 'JWT', kid: 'k' }, payload: { a: 1 }, signature: t.split('.')[2] }, 'complete');
  });

  test('decode_returns_null_for_a_string_it_cannot_decode', () => {
    const h = b64uText('{"alg":"HS256"}');
    for (const bad of ['', 'abc', 'a.b.c', '...', `${h}`, `${h}.!!!.x`, `${b64uText('{')}.${b64uText('{}')}.x`, `${h}.${b64uText('{"a":')}.x`, '😀.😀.😀']) {
      eq(jwt.decode(bad), null, `decode(${show(bad)})`);
    }
  });

  test('decode_returns_null_for_a_non_string', () => {
    for (const bad of [undefined, null, 42, {}, []]) eq(jwt.decode(bad), null, `decode(${show(bad)})`);
  });

  // ---- inspect ----------------------------------------------------------------------------------------

  const checkParts = (input, report, label, strictNames = false) => {
    ok(report && typeof report === 'object', `${label}: report is an object`);
    ok(Array.isArray(report.parts), `${label}: parts is an array`);
    for (const p of report.parts) {
      ok(typeof p.name === 'string', `${label}: part name ${show(p.name)}`);
      if (strictNames) ok(['header', 'payload', 'signature'].includes(p.name), `${label}: part name ${show(p.name)}`);
      ok(Number.isInteger(p.start) && Number.isInteger(p.end) && p.start <= p.end, `${label}: start/end ${p.start}/${p.end}`);
      if (typeof input === 'string') eq(input.slice(p.start, p.end), p.text, `${label}: input.slice(start, end) === text for ${p.name}`);
    }
  };
  const isPlainData = (v, path = '$') => {
    if (v === null || v === undefined || typeof v === 'string' || typeof v === 'boolean') return null;
    if (typeof v === 'number') return Number.isFinite(v) ? null : `${path} is ${v}`;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const d = isPlainData(v[i], `${path}[${i}]`);
        if (d) return d;
      }
      return null;
    }
    if (typeof v === 'object') {
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) return `${path} is a ${v.constructor && v.constructor.name}`;
      for (const k of Object.keys(v)) {
        const d = isPlainData(v[k], `${path}.${k}`);
        if (d) return d;
      }
      return null;
    }
    return `${path} is a ${typeof v}`;
  };
  const findErrors = (v, out = []) => {
    if (v && typeof v === 'object') {
      if (typeof v.code === 'string' && typeof v.part === 'string' && 'position' in v) out.push(v);
      for (const k of Object.keys(v)) findErrors(v[k], out);
    }
    return out;
  };
  const warningCodes = (report) => {
    ok(Array.isArray(report.warnings), 'warnings is an array');
    for (const w of report.warnings) {
      ok(typeof w.code === 'string' && w.code.length > 0, `warning code ${show(w)}`);
      ok(typeof w.severity === 'string' && w.severity.length > 0, `warning severity ${show(w)}`);
      ok(typeof w.message === 'string' && w.message.length > 0, `warning message ${show(w)}`);
    }
    return new Set(report.warnings.map((w) => w.code));
  };

  test('inspect_never_throws_and_parts_slice_the_input', () => {
    const r = prng(seed + 8);
    // Lone surrogates too: the core sees them as U+FFFD, and parts must still slice the input.
    const alphabet = ['.', '.', 'e', 'y', 'J', 'h', 'b', 'G', 'c', 'i', 'O', '=', '+', '/', '_', '-', '{', '"', '}', ' ', '😀', '\u0000', 'é', 'A', '0', '\uD800', '\uDFFF'];
    const inputs = [
      '', '.', '..', '...', '....', 'a', 'a.b', 'a.b.c.d', '\u0000', '😀.😀.😀', ' ', ' .. ', 'x'.repeat(100000), '.'.repeat(1000),
      jwt.sign({ a: 1 }, SECRET) + ' ', jwt.sign({ a: 1 }, SECRET) + '=', 'e30.e30.', 'e30.e30', 'bnVsbA.bnVsbA.x', 'WzFd.WzFd.x',
      `${b64uText('{"alg":"none"}')}.${b64uText('{"exp":"soon"}')}.`,
    ];
    const realToken = jwt.sign({ a: 1 }, SECRET);
    for (let i = 0; i < 300; i++) {
      if (i % 3 === 0) {
        // mutate a real token
        const pos = r.int(realToken.length);
        inputs.push(realToken.slice(0, pos) + r.pick(alphabet) + realToken.slice(pos + r.int(3)));
      } else {
        let s = '';
        const n = r.int(60);
        for (let j = 0; j < n; j++) s += r.pick(alphabet);
        inputs.push(s);
      }
    }
    for (const input of inputs) {
      for (const key of [undefined, SECRET]) {
        let report;
        try {
          report = jwt.inspect(input, key);
        } catch (e) {
          fail(`inspect(${show(input)}) threw ${show(e)}`);
        }
        checkParts(input, report, show(input));
        const bad = isPlainData(report);
        if (bad) fail(`inspect(${show(input)}): report is not plain data: ${bad}`);
      }
    }
  });

  test('inspect_bounds_its_input_before_it_reaches_wasm_memory', () => {
    for (const input of ['a'.repeat((1 << 20) + 1), '界'.repeat(3 << 20)]) {
      const report = jwt.inspect(input, SECRET);
      eq(report.error && report.error.code, 'ERR_JWT_TOO_LARGE', `${input.length} characters`);
      eq(report.parts.length, 0, 'no parts');
    }
    eq(jwt.inspect('界'.repeat(1000)).error.code === 'ERR_JWT_TOO_LARGE', false, 'short input is inspected');
  });

  test('inspect_part_names_are_header_payload_and_signature_even_for_garbage', () => {
    for (const input of ['a.b.c.d', '...', 'a.b.c.d.e.f', 'x', 'a.b', '.', '']) checkParts(input, jwt.inspect(input), show(input), true);
  });

  test('inspect_never_throws_for_non_string_input_or_bad_keys', () => {
    const t = jwt.sign({ a: 1 }, SECRET);
    const cases2 = [[undefined], [null], [42], [{}], [[]], [Symbol('x')], [t, 42], [t, {}], [t, null], [t, { keys: 'x' }], [t, 'short'], [t, () => { throw new Error('boom'); }], [t, SECRET, 'x'], [t, SECRET, { currentTime: 'x' }]];
    for (const args of cases2) {
      let report;
      try {
        report = jwt.inspect(...args);
      } catch (e) {
        fail(`inspect(${args.map((a) => (typeof a === 'symbol' ? 'Symbol' : show(a))).join(', ')}) threw ${show(e)}`);
      }
      ok(report && typeof report === 'object' && Array.isArray(report.parts), 'report with parts');
    }
  });

  test('inspect_reports_the_three_parts_of_a_token', () => {
    const t = jwt.sign({ sub: 'u1' }, SECRET, { timestamp: T });
    const [h, p, s] = t.split('.');
    const report = jwt.inspect(t);
    deepEq(report.parts.map((x) => [x.name, x.text, x.start, x.end]), [
      ['header', h, 0, h.length],
      ['payload', p, h.length + 1, h.length + 1 + p.length],
      ['signature', s, h.length + p.length + 2, t.length],
    ], 'parts');
    deepEq(report.header, { alg: 'HS256', typ: 'JWT' }, 'header');
    deepEq(report.payload, { sub: 'u1', iat: T }, 'payload');
  });

  test('inspect_signature_status_is_valid_invalid_or_not_checked', async () => {
    const t = jwt.sign({ a: 1 }, SECRET);
    eq(jwt.inspect(t, SECRET).signature.status, 'valid', 'right key');
    eq(jwt.inspect(t, OTHER_SECRET).signature.status, 'invalid', 'wrong key');
    eq(jwt.inspect(t).signature.status, 'not checked', 'no key');
    eq(jwt.inspect(t.slice(0, -2) + (t.endsWith('AA') ? 'BA' : 'AA'), SECRET).signature.status, 'invalid', 'tampered signature');
    const none = `${b64uText('{"alg":"none","typ":"JWT"}')}.${b64uText('{"a":1}')}.`;
    ok(jwt.inspect(none, SECRET).signature.status !== 'valid', 'alg none is never valid');
    eq(jwt.inspect(await joseSign({ a: 1 }, SECRET, 'HS512'), SECRET).signature.status, 'valid', 'HS512 from jose');
  });

  test('inspect_locates_base64url_and_json_decoding_errors', () => {
    const goodH = b64uText('{"alg":"HS256","typ":"JWT"}');
    const badB64 = jwt.inspect(`e30!x.${b64uText('{}')}.sig`);
    eq(badB64.header, null, 'header null for bad base64url');
    const e1 = findErrors(badB64).find((e) => e.part === 'header');
    ok(e1, `an error { code, message, part: 'header', position } in ${show(badB64)}`);
    ok(typeof e1.message === 'string' && e1.message.length > 0 && Number.isInteger(e1.position), `error shape ${show(e1)}`);
    const badJson = jwt.inspect(`${goodH}.${b64uText('{"a":1,}')}.sig`);
    deepEq(badJson.header, { alg: 'HS256', typ: 'JWT' }, 'header still decoded');
    eq(badJson.payload, null, 'payload null for bad JSON');
    const e2 = findErrors(badJson).find((e) => e.part === 'payload');
    ok(e2, `an error { code, message, part: 'payload', position } in ${show(badJson)}`);
    ok(Number.isInteger(e2.position), `position ${show(e2)}`);
  });

  test('inspect_explains_claims_with_dates_in_utc', () => {
    const exp = nowSec() + 600;
    const t = jwt.sign({ sub: 'u1', exp }, SECRET, { timestamp: exp - 1200, notBefore: 0 });
    const report = jwt.inspect(t, SECRET);
    ok(Array.isArray(report.claims), 'claims is an array');
    const by = Object.fromEntries(report.claims.map((c) => [c.name, c]));
    for (const [name, value] of [['exp', exp], ['iat', exp - 1200], ['nbf', exp - 1200]]) {
      const c = by[name];
      ok(c, `claim ${name} explained`);
      ok(typeof c.description === 'string' && c.description.length > 0, `${name} description`);
      eq(c.value, value, `${name} value`);
      ok(typeof c.date === 'string' && /Z$/.test(c.date) && /^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(c.date), `${name} date is ISO 8601 UTC: ${show(c.date)}`);
      eq(Date.parse(c.date), value * 1000, `${name} date`);
    }
    ok(by.sub && by.sub.value === 'u1' && typeof by.sub.description === 'string', 'sub explained');
    for (const name of ['exp', 'iat', 'nbf']) {
      const extra = Object.entries(by[name]).filter(([k]) => !['name', 'description', 'value', 'date'].includes(k));
      ok(extra.some(([, v]) => typeof v === 'string' && v.length > 0), `${name}: a relative phrase in ${show(by[name])}`);
      ok(extra.some(([, v]) => typeof v === 'boolean'), `${name}: whether it is in force now in ${show(by[name])}`);
    }
  });

  test('inspect_warnings_have_stable_codes_for_risky_tokens', async () => {
    const now = nowSec();
    const base = { sub: 'u1', iat: now, exp: now + 600 };
    const H = { alg: 'HS256', typ: 'JWT' };
    const codesOf = (token, key = SECRET) => warningCodes(jwt.inspect(token, key));
    const baseToken = await craft(H, base, SECRET);
    const baseCodes = codesOf(baseToken);
    deepEq([...codesOf(baseToken)].sort(), [...baseCodes].sort(), 'same input, same codes');
    const risky = {
      'alg none': [`${b64uText('{"alg":"none","typ":"JWT"}')}.${b64uText(JSON.stringify(base))}.`],
      'no exp': [await craft(H, { sub: 'u1', iat: now }, SECRET)],
      'lifetime over a day': [await craft(H, { ...base, exp: now + 3 * 86400 }, SECRET)],
      'iat in the future': [await craft(H, { ...base, iat: now + 3600, exp: now + 7200 }, SECRET)],
      'sensitive payload member': [await craft(H, { ...base, password: 'hunter2' }, SECRET)],
      crit: [await craft({ ...H, crit: ['x'], x: 1 }, base, SECRET)],
      'key in header': [await craft({ ...H, jwk: { kty: 'oct', k: 'AAAA' } }, base, SECRET)],
      'large token': [await craft(H, { ...base, pad: 'p'.repeat(20000) }, SECRET)],
      'weak secret': [await craft(H, base, 'secret'), 'secret'],
    };
    const failures = [];
    for (const [what, [token, key]] of Object.entries(risky)) {
      const extra = [...codesOf(token, key)].filter((c) => !baseCodes.has(c));
      if (extra.length === 0) failures.push(what);
    }
    if (failures.length) fail(`no warning code beyond the baseline for: ${failures.join(', ')}`);
  });

  // ---- createSigner / createVerifier / generateSecret ------------------------------------------------

  test('create_signer_applies_its_options_to_every_token', async () => {
    const signer = jwt.createSigner(SECRET, { algorithm: 'HS384', expiresIn: '1h', issuer: 'me', keyid: 'k' });
    for (let i = 0; i < 50; i++) {
      const t = signer.sign({ i });
      const c = await joseVerify(t, SECRET, 'HS384');
      eq(c.i, i, 'claim');
      eq(c.iss, 'me', 'iss');
      eq(c.exp - c.iat, 3600, 'exp - iat');
      eq(parts(t).headerText, '{"alg":"HS384","typ":"JWT","kid":"k"}', 'header');
    }
    throws(() => signer.sign('x'), { code: 'ERR_INVALID_PAYLOAD' }, 'payload checked');
  });

  test('create_verifier_applies_its_options_to_every_token', () => {
    const verifier = jwt.createVerifier(SECRET, { issuer: 'me', currentTime: T });
    for (let i = 0; i < 50; i++) eq(verifier.verify(jwt.sign({ i }, SECRET, { issuer: 'me', timestamp: T })).i, i, 'claims');
    throws(() => verifier.verify(jwt.sign({}, SECRET, { issuer: 'you' })), verifyErr('ERR_JWT_CLAIM_INVALID', { claim: 'iss' }), 'issuer');
    throws(() => verifier.verify(jwt.sign({ exp: T }, SECRET, { issuer: 'me' })), verifyErr('ERR_JWT_EXPIRED', { cls: jwt.TokenExpiredError }), 'currentTime');
    throws(() => verifier.verify('abc'), verifyErr('ERR_JWT_MALFORMED'), 'malformed');
    throws(() => verifier.verify(jwt.sign({ issuer: 'me' }, OTHER_SECRET)), verifyErr('ERR_JWS_INVALID_SIGNATURE'), 'signature');
  });

  test('create_signer_and_verifier_check_options_and_key_once_at_creation', () => {
    throws(() => jwt.createSigner(SECRET, { expiresIn: '120' }), { code: 'ERR_INVALID_OPTION' }, 'unit-less expiresIn');
    throws(() => jwt.createSigner(SECRET, { algorithm: 'none' }), { codes: ['ERR_INVALID_OPTION', 'ERR_JWS_ALG_NOT_ALLOWED'] }, 'alg none');
    throws(() => jwt.createSigner(42), { code: 'ERR_KEY_INVALID' }, 'bad key');
    throws(() => jwt.createVerifier(42), { code: 'ERR_KEY_INVALID' }, 'bad verifier key');
    throws(() => jwt.createVerifier(SECRET, { maxAge: 'soon' }), { code: 'ERR_INVALID_OPTION' }, 'bad maxAge');
    throws(() => {
      const s = jwt.createSigner('short');
      s.sign({});
    }, { code: 'ERR_KEY_TOO_WEAK' }, 'weak key');
  });

  test('generate_secret_returns_hash_length_random_base64url', () => {
    for (const [alg, n] of [[undefined, 32], ['HS256', 32], ['HS384', 48], ['HS512', 64]]) {
      const seen = new Set();
      for (let i = 0; i < 10; i++) {
        const s = alg ? jwt.generateSecret(alg) : jwt.generateSecret();
        ok(typeof s === 'string' && /^[A-Za-z0-9_-]+$/.test(s), `base64url: ${show(s)}`);
        eq(s.length, Math.ceil((n * 4) / 3), `${alg || 'default'} length`);
        eq(fromB64u(s).length, n, `${alg || 'default'} bytes`);
        seen.add(s);
      }
      eq(seen.size, 10, 'secrets differ between calls');
      const s = jwt.generateSecret(alg);
      eq(jwt.verify(jwt.sign({ a: 1 }, s, { algorithm: alg || 'HS256' }), s).a, 1, 'a generated secret is not weak');
    }
  });

  // ---- attack tokens -------------------------------------------------------------------------------------

  test('alg_none_tokens_are_refused_in_any_casing', async () => {
    const p = b64uText(JSON.stringify({ sub: 'admin' }));
    for (const alg of ['none', 'None', 'NONE', 'nOnE']) {
      const h = b64uText(JSON.stringify({ alg, typ: 'JWT' }));
      const unsigned = `${h}.${p}.`;
      const withSig = await signRaw(h, p, SECRET);
      const codes = ['ERR_JWS_ALG_NOT_ALLOWED', 'ERR_JWT_MALFORMED', 'ERR_INVALID_OPTION'];
      for (const [label, tok] of [['unsigned', unsigned], ['hmac-signed', withSig]]) {
        expectVerifyError(tok, SECRET, undefined, codes, {}, `${alg} ${label}`);
        expectVerifyError(tok, SECRET, { algorithms: ['none', 'HS256'] }, codes, {}, `${alg} ${label}, none listed`);
        expectVerifyError(tok, () => SECRET, undefined, codes, {}, `${alg} ${label}, key function`);
        expectVerifyError(tok, jwt.importKey(SECRET), undefined, codes, {}, `${alg} ${label}, imported key`);
      }
    }
  });

  test('a_stripped_or_foreign_signature_is_refused', () => {
    const t = jwt.sign({ sub: 'u' }, SECRET);
    const other = jwt.sign({ sub: 'admin' }, SECRET);
    const [h, p] = t.split('.');
    expectVerifyError(`${h}.${p}.`, SECRET, undefined, ['ERR_JWS_INVALID_SIGNATURE', 'ERR_JWT_MALFORMED'], {}, 'stripped');
    expectVerifyError(`${h}.${p}.${other.split('.')[2]}`, SECRET, undefined, 'ERR_JWS_INVALID_SIGNATURE', { message: 'invalid signature' }, 'foreign');
    const s512 = jwt.sign({ sub: 'u' }, SECRET, { algorithm: 'HS512', timestamp: 1 }).split('.')[2];
    const [h2, p2] = jwt.sign({ sub: 'u' }, SECRET, { timestamp: 1 }).split('.');
    expectVerifyError(`${h2}.${p2}.${s512}`, SECRET, undefined, 'ERR_JWS_INVALID_SIGNATURE', {}, 'HS512 signature on an HS256 header');
    expectVerifyError(`${h2}.${p2}.${s512.slice(0, 43)}`, SECRET, undefined, ['ERR_JWS_INVALID_SIGNATURE', 'ERR_JWT_MALFORMED'], {}, 'truncated HS512 signature');
    const sig = t.split('.')[2];
    const flipped = sig.slice(0, 10) + (sig[10] === 'A' ? 'B' : 'A') + sig.slice(11);
    expectVerifyError(`${h}.${p}.${flipped}`, SECRET, undefined, 'ERR_JWS_INVALID_SIGNATURE', {}, 'one flipped character');
  });

  test('base64url_padding_is_refused_as_malformed_even_when_signed', async () => {
    const malformed = { name: 'JsonWebTokenError' };
    // parts whose base64url needs padding, signed over the padded text
    const padOf = (x) => '='.repeat((4 - (x.length % 4)) % 4);
    const payload = jsonWhere({ sub: 'u' }, (t) => padOf(b64uText(t)));
    const header = jsonWhere({ alg: 'HS256', typ: 'JWT' }, (t) => padOf(b64uText(t)));
    const h = b64uText(header);
    const p = b64uText(payload);
    expectVerifyError(await signRaw(h, p + padOf(p), SECRET), SECRET, undefined, 'ERR_JWT_MALFORMED', malformed, 'padded payload');
    expectVerifyError(await signRaw(h + padOf(h), p, SECRET), SECRET, undefined, 'ERR_JWT_MALFORMED', malformed, 'padded header');
    const good = await signRaw(h, p, SECRET);
    eq(jwt.verify(good, SECRET).sub, 'u', 'the unpadded token is fine');
    expectVerifyError(good + '=', SECRET, undefined, 'ERR_JWT_MALFORMED', malformed, 'padded signature');
    const g512 = jwt.sign({ a: 1 }, SECRET, { algorithm: 'HS512' }); // 64 bytes: 86 characters, 2 of padding
    expectVerifyError(g512 + '==', SECRET, undefined, 'ERR_JWT_MALFORMED', malformed, 'padded HS512 signature');
  });

  test('plus_and_slash_are_refused_as_malformed_even_when_signed', async () => {
    const h = b64uText('{"alg":"HS256","typ":"JWT"}');
    let i = 0;
    let p;
    do p = b64uText(JSON.stringify({ sub: 'u', n: i++, s: '\u00ff\u00fe?>' })); while (!/[-_]/.test(p) && i < 10000);
    ok(/[-_]/.test(p), 'found a payload with - or _');
    const std = p.replace(/-/g, '+').replace(/_/g, '/');
    expectVerifyError(await signRaw(h, std, SECRET), SECRET, undefined, 'ERR_JWT_MALFORMED', { name: 'JsonWebTokenError' }, 'payload with + or /');
    let t;
    i = 0;
    do t = jwt.sign({ i: i++ }, SECRET, { noTimestamp: true }); while (!/[-_]/.test(t.split('.')[2]) && i < 10000);
    const [th, tp, ts] = t.split('.');
    expectVerifyError(`${th}.${tp}.${ts.replace(/-/g, '+').replace(/_/g, '/')}`, SECRET, undefined, 'ERR_JWT_MALFORMED', {}, 'signature with + or /');
  });

  test('non_canonical_trailing_bits_are_refused_as_malformed', async () => {
    const t = jwt.sign({ a: 1 }, SECRET, { noTimestamp: true });
    const [h, p, s] = t.split('.');
    const s2 = nonCanonical(s);
    ok(s2, 'signature has unused bits');
    eq(fromB64u(s2).join(), fromB64u(s).join(), 'same bytes for a lenient decoder');
    expectVerifyError(`${h}.${p}.${s2}`, SECRET, undefined, 'ERR_JWT_MALFORMED', {}, 'signature');
    // payload and header with unused bits, signed over the altered text
    const payload = jsonWhere({ a: 1 }, (t) => nonCanonical(b64uText(t)));
    const pAlt = nonCanonical(b64uText(payload));
    expectVerifyError(await signRaw(h, pAlt, SECRET), SECRET, undefined, 'ERR_JWT_MALFORMED', {}, 'payload');
    const header = jsonWhere({ alg: 'HS256' }, (t) => nonCanonical(b64uText(t)));
    expectVerifyError(await signRaw(nonCanonical(b64uText(header)), b64uText(payload), SECRET), SECRET, undefined, 'ERR_JWT_MALFORMED', {}, 'header');
  });

  test('duplicate_member_names_in_the_header_are_refused', async () => {
    const p = '{"sub":"u"}';
    for (const header of [
      '{"alg":"HS256","alg":"HS256"}',
      '{"alg":"none","alg":"HS256"}',
      '{"alg":"HS256","typ":"JWT","\\u0061lg":"HS256"}',
      '{"alg":"HS256","typ":"JWT","typ":"at+jwt"}',
      '{"alg":"HS256","kid":"a","k\\u0069d":"b"}',
    ]) {
      expectVerifyError(await craft(header, p, SECRET), SECRET, undefined, 'ERR_JWT_MALFORMED', {}, header);
    }
  });

  test('duplicate_member_names_in_the_payload_are_refused', async () => {
    const h = '{"alg":"HS256","typ":"JWT"}';
    const codes = ['ERR_JWT_MALFORMED', 'ERR_JWT_CLAIM_INVALID'];
    for (const payload of [
      `{"exp":${T - 10},"exp":${T + 1000}}`,
      `{"exp":${T + 1000},"\\u0065xp":${T - 10}}`,
      '{"sub":"user","sub":"admin"}',
      '{"sub":"user","s\\u0075b":"admin"}',
      '{"a":{"x":1,"x":2}}',
    ]) {
      expectVerifyError(await craft(h, payload, SECRET), SECRET, { currentTime: T }, codes, {}, payload);
    }
  });

  test('tokens_with_two_or_four_parts_or_empty_are_malformed', () => {
    const t = jwt.sign({ a: 1 }, SECRET);
    const [h, p, s] = t.split('.');
    const x = { name: 'JsonWebTokenError' };
    for (const bad of [`${h}.${p}`, `${h}.${p}.${s}.${s}`, `${h}.${p}.${s}.`, '', '.', '..', `.${p}.${s}`, ` ${t}`, `${t} `, `${t}\n`]) {
      expectVerifyError(bad, SECRET, undefined, 'ERR_JWT_MALFORMED', x, show(bad));
    }
    // an empty payload may be refused by the signature check that precedes payload decoding
    expectVerifyError(`${h}..${s}`, SECRET, undefined, ['ERR_JWT_MALFORMED', 'ERR_JWS_INVALID_SIGNATURE'], x, 'empty payload');
    for (const bad of [undefined, null, 42, {}, ['a', 'b', 'c']]) {
      expectVerifyError(bad, SECRET, undefined, 'ERR_JWT_MALFORMED', x, `non-string ${show(bad)}`);
    }
  });

  test('a_header_that_is_not_a_json_object_or_lacks_alg_is_refused', async () => {
    const p = '{"sub":"u"}';
    for (const header of ['[]', '"HS256"', 'null', '1', '{"alg":"HS256"', '{}', '{"typ":"JWT"}', '{"alg":null}', '{"alg":["HS256"]}', '{"alg":"HS256 "}', '{"alg":"hs256"}']) {
      expectVerifyError(await craft(header, p, SECRET), SECRET, undefined, ['ERR_JWT_MALFORMED', 'ERR_JWS_ALG_NOT_ALLOWED'], {}, header);
    }
    for (const payload of ['[]', '"x"', 'null', '1', '{"a":1', '']) {
      expectVerifyError(await craft('{"alg":"HS256","typ":"JWT"}', payload, SECRET), SECRET, undefined, 'ERR_JWT_MALFORMED', {}, `payload ${payload}`);
    }
  });

  test('crit_with_an_unknown_extension_is_refused', async () => {
    const t = await craft({ alg: 'HS256', typ: 'JWT', crit: ['x-unknown'], 'x-unknown': 1 }, { sub: 'u' }, SECRET);
    expectVerifyError(t, SECRET, undefined, 'ERR_JWS_CRIT_UNSUPPORTED', { name: 'JsonWebTokenError' });
    expectVerifyError(t, OTHER_SECRET, undefined, 'ERR_JWS_CRIT_UNSUPPORTED', {}, 'crit is checked before the signature');
    const empty = await craft({ alg: 'HS256', crit: [] }, { sub: 'u' }, SECRET);
    expectVerifyError(empty, SECRET, undefined, ['ERR_JWS_CRIT_UNSUPPORTED', 'ERR_JWT_MALFORMED'], {}, 'empty crit (RFC 7515 4.1.11)');
  });

  test('a_signature_check_precedes_claim_checks', () => {
    const t = jwt.sign({ exp: T - 10, aud: 'x' }, OTHER_SECRET, { noTimestamp: true });
    expectVerifyError(t, SECRET, { currentTime: T, audience: 'y' }, 'ERR_JWS_INVALID_SIGNATURE', {}, 'bad signature and expired');
  });

  // ---- callbacks -----------------------------------------------------------------------------------------

  const callbackResult = async (start) => {
    const calls = [];
    let returned = false;
    let thrown;
    let sync = false;
    try {
      start((...args) => {
        if (!returned) sync = true;
        calls.push(args);
      });
    } catch (e) {
      thrown = e;
    }
    returned = true;
    for (let i = 0; i < 100 && calls.length === 0; i++) await waitTicks(10);
    await waitTicks(30);
    ok(thrown === undefined, `nothing thrown (got ${show(thrown)})`);
    eq(calls.length, 1, 'callback called exactly once');
    ok(!sync, 'callback called on a later tick, not synchronously');
    return calls[0];
  };

  test('sign_and_verify_callbacks_are_called_once_on_a_later_tick', async () => {
    const [e1, token] = await callbackResult((cb) => jwt.sign({ a: 1 }, SECRET, cb));
    eq(e1, null, 'sign error argument');
    eq(jwt.verify(token, SECRET).a, 1, 'sign result');
    const [e2, token2] = await callbackResult((cb) => jwt.sign({ a: 2 }, SECRET, { algorithm: 'HS512' }, cb));
    eq(e2, null, 'sign (options) error argument');
    eq(parts(token2).header.alg, 'HS512', 'options used');
    const [e3, claims] = await callbackResult((cb) => jwt.verify(token, SECRET, cb));
    eq(e3, null, 'verify error argument');
    eq(claims.a, 1, 'verify result');
    const [e4, claims4] = await callbackResult((cb) => jwt.verify(token2, SECRET, { algorithms: ['HS512'] }, cb));
    eq(e4, null, 'verify (options) error');
    eq(claims4.a, 2, 'verify (options) result');
    const [e5, claims5] = await callbackResult((cb) => jwt.verify(token, () => SECRET, cb));
    eq(e5, null, 'key function + callback: the second argument is the key');
    eq(claims5.a, 1, 'key function result');
  });

  test('errors_reach_the_callback_instead_of_being_thrown', async () => {
    const [e1] = await callbackResult((cb) => jwt.verify('abc', SECRET, cb));
    checkError(e1, verifyErr('ERR_JWT_MALFORMED'), 'malformed');
    const [e2] = await callbackResult((cb) => jwt.verify(jwt.sign({ exp: T }, SECRET), SECRET, { currentTime: T }, cb));
    checkError(e2, verifyErr('ERR_JWT_EXPIRED', { cls: jwt.TokenExpiredError }), 'expired');
    const [e3] = await callbackResult((cb) => jwt.verify(jwt.sign({}, SECRET), OTHER_SECRET, cb));
    checkError(e3, verifyErr('ERR_JWS_INVALID_SIGNATURE'), 'signature');
    const [e4] = await callbackResult((cb) => jwt.sign('not an object', SECRET, cb));
    checkError(e4, { code: 'ERR_INVALID_PAYLOAD' }, 'payload');
    const [e5] = await callbackResult((cb) => jwt.sign({}, SECRET, { expiresIn: '120' }, cb));
    checkError(e5, { code: 'ERR_INVALID_OPTION' }, 'option');
    const [e6] = await callbackResult((cb) => jwt.sign({}, 'short', cb));
    checkError(e6, { code: 'ERR_KEY_TOO_WEAK' }, 'weak key');
  });

  test('options_that_are_not_plain_objects_are_refused_so_no_check_is_silently_lost', async () => {
    const expired = jwt.sign({ aud: 'other', exp: T - 10 }, SECRET, { noTimestamp: true });
    class ApiOptions {
      get audience() {
        return 'mine';
      }
    }
    const hidden = {};
    Object.defineProperty(hidden, 'issuer', { value: 'me', enumerable: false });
    for (const [label, options] of [
      ['inherited', Object.create({ ignoreExpiration: true })],
      ['class instance with a getter', new ApiOptions()],
      ['non-enumerable member', hidden],
    ]) {
      const refused = { code: 'ERR_INVALID_OPTION', message: /plain object/ };
      throws(() => jwt.verify(expired, SECRET, options), refused, `verify, ${label}`);
      throws(() => jwt.createVerifier(SECRET, options), refused, `createVerifier, ${label}`);
      throws(() => jwt.sign({}, SECRET, options), refused, `sign, ${label}`);
      throws(() => jwt.createSigner(SECRET, options), refused, `createSigner, ${label}`);
      let rejected;
      await jwt.verifyAsync(expired, SECRET, options).catch((e) => (rejected = e));
      checkError(rejected, refused, `verifyAsync, ${label}`);
      throws(() => jwt.createRequestVerifier(SECRET, options), refused, `createRequestVerifier, ${label}`);
      // The one-shot cache holds nothing from the refused call: plain options check again.
      expectVerifyError(expired, SECRET, {}, 'ERR_JWT_EXPIRED', {}, `plain options after ${label}`);
    }
    // Getters of a plain object are read like values.
    const plainWithGetter = { get audience() { return 'mine'; } };
    expectVerifyError(jwt.sign({ aud: 'other' }, SECRET), SECRET, plainWithGetter, 'ERR_JWT_CLAIM_INVALID', { claim: 'aud' }, 'plain getter');
  });

  test('clock_tolerance_must_be_finite', () => {
    const t = jwt.sign({ exp: T - 10 }, SECRET, { noTimestamp: true });
    for (const bad of [Infinity, -Infinity, NaN, -1, '5']) {
      throws(() => jwt.verify(t, SECRET, { clockTolerance: bad }), { code: 'ERR_INVALID_OPTION' }, `clockTolerance ${show(bad)}`);
    }
    eq(jwt.verify(t, SECRET, { clockTolerance: 60, currentTime: T }).exp, T - 10, 'a finite tolerance applies');
  });

  test('regexp_audiences_need_string_audiences_and_are_copied_when_prepared', () => {
    const t = jwt.sign({ aud: ['x', 1] }, SECRET);
    expectVerifyError(t, SECRET, { audience: /x/ }, 'ERR_JWT_CLAIM_INVALID', { claim: 'aud' }, 'RegExp');
    expectVerifyError(t, SECRET, { audience: 'x' }, 'ERR_JWT_CLAIM_INVALID', { claim: 'aud' }, 'string');
    const audiences = [/^api$/];
    const verifier = jwt.createVerifier(SECRET, { audience: audiences });
    audiences[0] = /.*/;
    const other = jwt.sign({ aud: 'other' }, SECRET);
    throws(() => verifier.verify(other), verifyErr('ERR_JWT_CLAIM_INVALID'), 'array changed after createVerifier');
    const pattern = /^api$/;
    const verifier2 = jwt.createVerifier(SECRET, { audience: pattern });
    pattern.compile('.*');
    throws(() => verifier2.verify(other), verifyErr('ERR_JWT_CLAIM_INVALID'), 'RegExp recompiled after createVerifier');
    eq(verifier2.verify(jwt.sign({ aud: 'api' }, SECRET)).aud, 'api', 'still matches');
  });

  test('a_payload_getter_that_signs_with_other_secrets_does_not_break_the_outer_sign', () => {
    const payload = {
      sub: 'outer',
      get nested() {
        // More one-shot signers than the cache holds: the outer call's entry is pushed out.
        for (let i = 0; i < 40; i++) jwt.sign({ i }, `${SECRET} #${i}`);
        return 1;
      },
    };
    const t = jwt.sign(payload, SECRET, { expiresIn: '1h' });
    const claims = jwt.verify(t, SECRET);
    eq(claims.sub, 'outer', 'sub');
    eq(claims.nested, 1, 'getter value');
    eq(claims.exp - claims.iat, 3600, 'exp from the options');
  });

  test('the_nonce_option_checks_an_id_tokens_nonce', () => {
    const t = jwt.sign({ nonce: 'n-0S6_WzA2Mj' }, SECRET);
    eq(jwt.verify(t, SECRET, { nonce: 'n-0S6_WzA2Mj' }).nonce, 'n-0S6_WzA2Mj', 'match');
    eq(jwt.createVerifier(SECRET, { nonce: 'n-0S6_WzA2Mj', complete: true }).verify(t).payload.nonce, 'n-0S6_WzA2Mj', 'complete');
    expectVerifyError(t, SECRET, { nonce: 'other' }, 'ERR_JWT_CLAIM_INVALID', { claim: 'nonce', message: 'jwt nonce invalid. expected: other' });
    expectVerifyError(jwt.sign({}, SECRET), SECRET, { nonce: 'other' }, 'ERR_JWT_CLAIM_MISSING', { claim: 'nonce' });
    for (const bad of ['', 7, ['a']]) {
      throws(() => jwt.verify(t, SECRET, { nonce: bad }), { code: 'ERR_INVALID_OPTION' }, `nonce ${show(bad)}`);
    }
  });

  test('header_alg_may_repeat_the_default_algorithm_without_the_algorithm_option', () => {
    const t = jwt.sign({}, SECRET, { header: { alg: 'HS256', typ: 'at+jwt' } });
    eq(JSON.stringify(parts(t).header), '{"alg":"HS256","typ":"at+jwt"}', 'header');
    eq(JSON.stringify(jwt.verify(t, SECRET, { typ: 'at+jwt' })), JSON.stringify(parts(t).payload), 'verifies');
    throws(() => jwt.sign({}, SECRET, { header: { alg: 'HS512' } }), { code: 'ERR_INVALID_OPTION', message: /key's default, HS256/ }, 'another alg');
  });

  test('jsonwebtoken_only_options_are_refused_with_what_to_do_instead', () => {
    for (const [name, value, where, instead] of [
      ['allowInsecureKeySizes', true, 'sign', /allowWeakKey/],
      ['mutatePayload', true, 'sign', /decode/],
      ['encoding', 'utf8', 'sign', /UTF-8/],
      ['allowInvalidAsymmetricKeyTypes', true, 'verify', /key type/],
    ]) {
      const call = where === 'sign' ? () => jwt.sign({}, SECRET, { [name]: value }) : () => jwt.verify(jwt.sign({}, SECRET), SECRET, { [name]: value });
      const e = throws(call, { code: 'ERR_INVALID_OPTION' }, name);
      ok(e.message.includes(`"${name}" is not a ${where} option`) && instead.test(e.message), `message for ${name}: ${e.message}`);
    }
  });

  test('errors_keep_their_message_through_json_stringify_as_in_jsonwebtoken', () => {
    const e = expectVerifyError('abc', SECRET, undefined, 'ERR_JWT_MALFORMED');
    const json = JSON.parse(JSON.stringify(e));
    eq(json.message, e.message, 'message');
    eq(json.name, 'JsonWebTokenError', 'name');
    eq(json.code, 'ERR_JWT_MALFORMED', 'code');
    e.message = 'changed';
    eq(e.message, 'changed', 'message stays writable');
  });

  // ---- jsonwebtoken parity (Node) -----------------------------------------------------------------------

  if (jsonwebtoken) {
    test('error_messages_and_names_match_jsonwebtoken', () => {
      const their = (token, key, opts) => {
        try {
          jsonwebtoken.verify(token, key, opts);
        } catch (e) {
          return e;
        }
        return null;
      };
      const ours = (token, key, opts) => {
        try {
          jwt.verify(token, key, opts);
        } catch (e) {
          return e;
        }
        return null;
      };
      const scenarios = [
        ['expired', jwt.sign({ exp: T }, SECRET), SECRET, { currentTime: T }, { clockTimestamp: T }],
        ['not active', jwt.sign({ nbf: T + 10 }, SECRET), SECRET, { currentTime: T }, { clockTimestamp: T }],
        ['invalid signature', jwt.sign({}, SECRET), OTHER_SECRET, {}, {}],
        ['malformed', 'abc', SECRET, {}, {}],
        ['audience', jwt.sign({ aud: 'a' }, SECRET), SECRET, { audience: 'b' }, { audience: 'b' }],
        ['audience array', jwt.sign({ aud: 'a' }, SECRET), SECRET, { audience: ['b', 'c'] }, { audience: ['b', 'c'] }],
        ['issuer', jwt.sign({ iss: 'a' }, SECRET), SECRET, { issuer: 'b' }, { issuer: 'b' }],
        ['subject', jwt.sign({ sub: 'a' }, SECRET), SECRET, { subject: 'b' }, { subject: 'b' }],
        ['jwtid', jwt.sign({ jti: 'a' }, SECRET), SECRET, { jwtid: 'b' }, { jwtid: 'b' }],
        ['algorithm', jwt.sign({}, SECRET, { algorithm: 'HS384' }), SECRET, { algorithms: ['HS256'] }, { algorithms: ['HS256'] }],
        ['maxAge', jwt.sign({}, SECRET, { timestamp: T - 100 }), SECRET, { maxAge: 50, currentTime: T }, { maxAge: 50, clockTimestamp: T }],
      ];
      for (const [label, token, key, ourOpts, theirOpts] of scenarios) {
        const a = ours(token, key, ourOpts);
        const b = their(token, key, theirOpts);
        ok(a && b, `${label}: both fail (ours ${show(a)}, theirs ${show(b)})`);
        eq(a.message, b.message, `${label}: message`);
        if (label !== 'maxAge') eq(a.name, b.name, `${label}: name`);
      }
    });

    test('time_spans_give_the_same_exp_as_jsonwebtoken', () => {
      // jsonwebtoken floors iat + ms(span) / 1000, where ms multiplies parseFloat's value by
      // the unit's milliseconds: long fractions and large counts land next to a whole second,
      // where one rounding step more or less changes the claim.
      const found = ['641.350y', '449.735y', '99963.4 days', '70971.9450 days', '-740433.45d', '9486.35y'];
      const r = prng(seed ^ 0x5ba5);
      const digits = (n) => Array.from({ length: n }, () => r.int(10)).join('');
      const units = ['ms', 's', 'secs', 'm', 'min', 'h', 'hrs', 'd', ' days', 'w', 'weeks', 'y', ' years'];
      const random = Array.from({ length: 400 }, () => {
        const whole = r.int(4) === 0 ? '' : digits(1 + r.int(7));
        const fraction = whole === '' || r.int(3) > 0 ? `.${digits(1 + r.int(24))}` : '';
        return `${r.int(4) === 0 ? '-' : ''}${whole}${fraction}${r.pick(units)}`;
      });
      for (const span of ['90s', '15m', '1h', '2 days', '7d', '1y', '1.5h', '10 mins', '1 week', 3600, 0, 1, ...found, ...random]) {
        const ours = jwt.decode(jwt.sign({ iat: T }, SECRET, { expiresIn: span, notBefore: span }));
        const theirs = jsonwebtoken.decode(jsonwebtoken.sign({ iat: T }, SECRET, { expiresIn: span, notBefore: span }));
        eq(ours.exp, theirs.exp, `exp for ${show(span)}`);
        eq(ours.nbf, theirs.nbf, `nbf for ${show(span)}`);
      }
    });

    test('a_payload_with_toJSON_is_refused_rather_than_signed_without_the_option_claims', () => {
      const payload = () => ({ sub: 'u1', toJSON() { return { sub: this.sub }; } });
      const options = { expiresIn: '15m', audience: 'api' };
      // What jsonwebtoken signs: toJSON's result, so no exp and no aud.
      const theirs = jsonwebtoken.decode(jsonwebtoken.sign(payload(), SECRET, options));
      eq(JSON.stringify(theirs), '{"sub":"u1"}', 'jsonwebtoken');
      for (const sign of [(p) => jwt.sign(p, SECRET, options), (p) => jwt.createSigner(SECRET, options).sign(p)]) {
        throws(() => sign(payload()), { code: 'ERR_INVALID_PAYLOAD', message: /toJSON/ });
      }
      // A toJSON deeper down (a Date, say) is JSON.stringify's ordinary business.
      eq(jwt.decode(jwt.sign({ at: new Date(0) }, SECRET)).at, '1970-01-01T00:00:00.000Z', 'nested toJSON');
    });

    test('signed_claims_are_byte_identical_to_jsonwebtoken', () => {
      // jwtkit appends the members it adds to the payload's JSON text instead of copying the
      // payload; the text must still be exactly jsonwebtoken's, member order included.
      const payloads = [
        () => ({}),
        () => ({ a: 1, s: 'x\u00e9\n"' }),
        () => ({ sub: 'u', iat: T, n: [1, { b: null }] }),
        () => ({ a: 1, aud: undefined, sub: undefined }),
        () => ({ iat: T, nested: { iat: 1 } }),
        () => Object.assign(Object.create(null), { a: 1, iss: undefined }),
      ];
      const optionSets = [
        {},
        { noTimestamp: true },
        { expiresIn: '1h' },
        { expiresIn: 60, notBefore: '2s', audience: ['a', 'b'], issuer: 'i', subject: 's', jwtid: 'j' },
        { noTimestamp: true, expiresIn: '1h', audience: 'a' },
      ];
      // A payload without iat gets the current second, and exp/nbf from options follow it: the
      // two calls may straddle a second. So iat is masked, and a pair that differs is signed
      // again (two straddles in a row would take a second between calls made microseconds apart).
      const payloadText = (token) => textFromB64u(token.split('.')[1]).replace(/"iat":\d+/, '"iat":N');
      for (const [p, make] of payloads.entries()) {
        for (const options of optionSets) {
          const attempt = (sign) => {
            try {
              return payloadText(sign(make(), SECRET, options));
            } catch (e) {
              return `throws: ${e.message}`;
            }
          };
          let [ours, theirs] = [attempt(jwt.sign), attempt(jsonwebtoken.sign)];
          if (ours !== theirs) [ours, theirs] = [attempt(jwt.sign), attempt(jsonwebtoken.sign)];
          eq(ours, theirs, `payload #${p} with ${show(options)}`);
        }
      }
    });

    test('plain_tokens_are_byte_identical_to_jsonwebtoken_headers', () => {
      for (const alg of ALGS) {
        const ours = jwt.sign({ a: 1 }, SECRET, { algorithm: alg, noTimestamp: true }).split('.')[0];
        const theirs = jsonwebtoken.sign({ a: 1 }, SECRET, { algorithm: alg, noTimestamp: true }).split('.')[0];
        eq(ours, theirs, `${alg} header`);
      }
    });
  }

  // ---- run -------------------------------------------------------------------------------------------------

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
