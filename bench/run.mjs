// `make bench`: jwtkit against its JavaScript peers, measured in one Node process (issue 5).
//
//   node bench/run.mjs [--rounds 9] [--slice 200] [--interleave 8] [--warmup 300] [--cold 11]
//                      [--batch 64] [--asym-rounds 7] [--asym-slice 250] [--no-asym]
//                      [--filter REGEX] [--pkg DIR] [--native auto|yes|no] [--quick]
//                      [--no-cold] [--no-write] [--max-seconds 480]
//
// What it does, in order:
//  1. installs the package as a user gets it (npm pack of pkg/, npm install of the tarball into
//     target/bench/project) and loads it from there; the peers come from the workspace;
//  2. makes HS256/384/512 tokens with node:crypto (271 characters for HS256, with iss, aud,
//     iat, nbf, exp) and, unless --no-asym, RS256/PS256/ES256/EdDSA tokens with key pairs
//     generated once by node:crypto; checks every verifier: it must accept the good token and
//     refuse a forged (other secret or key), an expired, a not-yet-valid, a wrong-audience and
//     a wrong-issuer one; every signer's token must carry the same claims and a signature
//     node:crypto accepts. Any failure stops the run;
//  3. warms every contender up, then runs rounds: in each round every contender runs for one
//     time slice, cut into --interleave parts taken in turn with the rest of its group; groups
//     and contenders within a group run in a rotated order per round.
//     Reported: the median of the rounds' ops/s, and min-max. Asymmetric groups take part in
//     the first --asym-rounds rounds only, with their own --asym-slice (RSA signing in wasm
//     costs tens of ms per signature), and their loops check the clock after every call;
//  4. cold start: fresh `node` processes (interleaved), import/require + first verify, for
//     `jwtkit` and `jwtkit/hmac` and the peers;
//  5. with criterion configured in Cargo.toml, `cargo bench --bench core` (native core vs
//     the native HMAC floor);
//  6. prints the table with ratios and writes BENCHMARKS.md (the generated block only) and
//     target/bench/run.json (every round).
// Every loop is bounded in count and time; --max-seconds cuts the rounds short if the
// machine is so slow that the run would take too long (the report says so).
import { spawnSync } from 'node:child_process';
import {
  constants as cryptoConstants, createHmac, createPrivateKey, createPublicKey, createSecretKey, generateKeyPairSync,
  sign as cryptoSign, timingSafeEqual, verify as cryptoVerify, webcrypto,
} from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

import {
  cpuModel, gitState, gzipSize, installPackedBench, load, median, nproc, opsText, outDir,
  ratioText, repoRoot, round, usText, versionOf,
} from './support.mjs';

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '9' },
    slice: { type: 'string', default: '200' },
    interleave: { type: 'string', default: '8' },
    warmup: { type: 'string', default: '300' },
    cold: { type: 'string', default: '11' },
    batch: { type: 'string', default: '64' },
    filter: { type: 'string' },
    pkg: { type: 'string', default: join(repoRoot, 'pkg') },
    native: { type: 'string', default: 'auto' },
    quick: { type: 'boolean', default: false },
    'no-cold': { type: 'boolean', default: false },
    'no-write': { type: 'boolean', default: false },
    'max-seconds': { type: 'string', default: '480' },
    'asym-rounds': { type: 'string', default: '7' },
    'asym-slice': { type: 'string', default: '250' },
    'no-asym': { type: 'boolean', default: false },
  },
});
const QUICK = args.quick;
const ROUNDS = QUICK ? 3 : Number(args.rounds);
const SLICE_MS = QUICK ? 100 : Number(args.slice);
const INTERLEAVE = Number(args.interleave);
const WARMUP_MS = QUICK ? 150 : Number(args.warmup);
const COLD_RUNS = QUICK ? 5 : Number(args.cold);
const BATCH = Number(args.batch);
const MAX_SECONDS = Number(args['max-seconds']);
const FILTER = args.filter ? new RegExp(args.filter, 'i') : null;
const ASYM = !args['no-asym'];
const ASYM_ROUNDS = Math.min(ROUNDS, QUICK ? 3 : Number(args['asym-rounds']));
const ASYM_SLICE_MS = QUICK ? 100 : Number(args['asym-slice']);
const MAX_OPS_PER_SLICE = 50_000_000;
for (const [name, value] of Object.entries({ ROUNDS, SLICE_MS, INTERLEAVE, WARMUP_MS, COLD_RUNS, BATCH, MAX_SECONDS, ASYM_ROUNDS, ASYM_SLICE_MS })) {
  if (!(Number.isFinite(value) && value > 0)) throw new Error(`bad option ${name}: ${value}`);
}
if (!Number.isInteger(INTERLEAVE)) throw new Error(`bad option INTERLEAVE: ${INTERLEAVE}`);
// The hand-written part of BENCHMARKS.md, used only when the file does not exist yet; after
// that the file's own text outside the generated block is kept as it is.
const DEFAULT_HAND_WRITTEN = `# Benchmarks

\`make bench\` (\`make pkg\`, about a minute, then \`node bench/run.mjs\`, about 5 minutes on this
2-core machine; plus about 2 minutes of Criterion build the first time) writes the block below;
the text outside it is kept between runs. \`node bench/run.mjs --quick\` (about 1.5 minutes) and
\`--filter REGEX\` print the table without rewriting this file; every run writes all rounds to
\`target/bench/run.json\`. \`--no-asym\` leaves out the asymmetric groups
(RS256, PS256, ES256, EdDSA; about 2 minutes of the run). \`node bench/profile.mjs --op verify\`
(or \`verify-oneshot\`, \`sign\`, \`sign-oneshot\`, \`decode\`, \`floor\`) shows where jwtkit's time goes
(V8 CPU profile).

## Method

- **What is measured.** The package as a user installs it: \`npm pack pkg/\`, then \`npm install\` of
  the tarball into \`target/bench/project\`, loaded through its exports map (Node ESM entry,
  \`index.mjs\`: the full build, with every algorithm). The peers come from the workspace's
  \`node_modules\`, at the versions listed in the results. \`--pkg DIR\` measures another build.
- **One process, interleaved.** Every contender is checked, warmed up, then measured in rounds:
  in each round every contender runs for one fixed time slice, groups and contenders within a
  group in a rotated order (reversed every other round), so that drift of a shared machine hits
  all of them alike. Within a group the slices are cut into 8 parts taken in turn (\`--interleave\`;
  A B C, C B A, ...: 25 ms each), so that a burst of load from elsewhere falls on the contenders
  being compared alike; with whole 200 ms slices one after the other, the per-round ratio of
  \`sign\` to \`fast-jwt\` ranged 1.56x - 3.25x in a 9-round trial, cut into parts 1.95x - 2.42x
  (asymmetric groups keep whole slices). Reported: the median of the rounds' ops/s (wall clock), with the min - max.
  Ratios are ratios of medians from the same run; the per-round range pairs the two contenders'
  results from the same round. "ops/CPU-s" divides by the CPU time the whole process used in
  the slice instead of the wall time: a cross-check when other processes load the machine (for
  \`jose\` and \`@tsndr/cloudflare-worker-jwt\` it includes Node's WebCrypto thread pool). The
  targets are judged on the wall-clock medians.
- **Asymmetric groups are bounded.** An RSA-2048 signature in wasm takes tens of milliseconds,
  so the asymmetric groups take part in the first 7 rounds only (\`--asym-rounds\`), with 250 ms
  slices (\`--asym-slice\`), and their loops look at the clock after every call (the HMAC groups
  after every 16 calls, 4 for the asynchronous ones). A slice of RSA signing in wasm is therefore
  about 10 signatures: read those medians as good to about 10%.
- **Correctness first.** Before timing, each verifier must accept the good token and refuse a
  forged (another secret, or for RS256/PS256/ES256/EdDSA a token signed with another key of the
  same type), an expired, a not-yet-valid, a wrong-audience and a wrong-issuer token; jwtkit must
  refuse each with the right error code. Each signer's token must carry the same claims and a
  correct MAC, or for the asymmetric algorithms a signature that \`node:crypto\` accepts with the
  public key (and jwtkit's \`verify\` too). Any failure stops the run.
- **The same work for everyone (HMAC).** Tokens are made with \`node:crypto\` (HS256: 271
  characters, claims \`sub name iss aud iat nbf exp\`). Verify checks \`exp\`, \`nbf\`, \`iss\` and \`aud\`
  and allows only the token's algorithm. Peers get their fastest documented key form, prepared
  once: \`fast-jwt\` \`createVerifier\`/\`createSigner\` (cache off, its default), \`jsonwebtoken\` with a
  \`KeyObject\` (\`crypto.createSecretKey\`), \`jose\` and \`@tsndr/cloudflare-worker-jwt\` with a
  \`CryptoKey\` (\`importKey('raw', ...)\`). \`jose\` is measured awaiting each call (sequential) and
  with 64 calls in flight (\`Promise.all\`, reported per token). \`@tsndr/cloudflare-worker-jwt\`
  checks \`exp\`/\`nbf\` but not \`aud\`/\`iss\`: those two comparisons are done in JavaScript around it,
  inside its timing. Rows marked "string secret" show the cost of passing a raw secret per call.
- **The same work for everyone (asymmetric, issue 7).** One key pair per family, generated once
  per run with \`node:crypto\`: RSA 2048-bit (e = 65537; RS256 and PS256 share it, as an issuer's
  JWK Set often does), EC P-256, Ed25519; tokens with the same claims, signed by \`node:crypto\`
  (PS256 with a 32-byte salt, ES256 as raw \`r || s\`). Every library gets the same key: jwtkit
  \`createVerifier(SPKI PEM)\` / \`createSigner(PKCS#8 PEM)\` and the one-shot \`verify\`/\`sign\` with the
  PEM string (plus a \`createSigner(private JWK)\` row); \`fast-jwt\` \`createVerifier\`/\`createSigner\`
  with the PEM (cache off); \`jsonwebtoken\` with \`KeyObject\`s from \`crypto.createPublicKey\` /
  \`createPrivateKey\` of that PEM; \`jose\` with \`CryptoKey\`s from \`importSPKI\` / \`importPKCS8\`,
  sequential and 64 in flight. \`jsonwebtoken\` 9 has no EdDSA (its \`jwa\` dependency knows
  HS/RS/PS/ES only): no row, "unsupported" in the table. \`fast-jwt\` supports all four.
  \`@tsndr/cloudflare-worker-jwt\` is measured in the HMAC groups only. jwtkit does these in wasm
  (RustCrypto \`rsa\`, \`p256\`, \`ed25519-dalek\`), the peers in Node's native OpenSSL: the
  asymmetric table says how much slower jwtkit is, and it is not a target.
- **The floor.** \`FLOOR wasm\` is the HMAC-SHA256 of the token's signing input computed by the
  package's own \`.wasm\` (\`internal.mjs\` \`benchFloor\`, not part of the public API), with the same
  string crossing into wasm as \`verify\`: no verify built on this \`.wasm\` can be faster, and the
  targets table says how far the floor itself is from each peer. \`FLOOR native\` (\`node:crypto\`
  \`createHmac\`, with SHA instructions where the CPU has them) is for reference only. The \`REF\`
  rows time the two steps any verify that returns the payload as an object from wasm must add
  to the hash: reading the payload bytes out of wasm memory as a string (the UTF-8 read, done
  as the package's Node entries do it, \`toString('utf8', ...)\` of a \`Buffer\` over the
  memory), and \`JSON.parse\`. The floor target's note adds them up: the least such a verify
  can cost, in units of the floor.
  The sign group's \`REF\` rows do the same for a sign of a JS object: \`JSON.stringify\` of the
  claims, and the UTF-8 read of the token bytes. The peer targets' notes say what ratio a verify
  or sign costing only those steps would reach.
- **Size.** Both builds' \`core_bg.wasm\`, raw and \`gzip -9\`: the full one (\`jwtkit\`) and the
  HMAC-only one (\`jwtkit/hmac\`, \`pkg/hmac/\`). The HMAC-only size target is judged on the latter.
- **Cold start.** Fresh \`node\` processes (interleaved): the child times, with \`performance.now()\`,
  its \`import()\`/\`require()\` of the library and the first \`verify\` (HS256) with a string secret
  (jwtkit's ESM entry instantiates the \`.wasm\` synchronously at import), for \`jwtkit\` and
  \`jwtkit/hmac\` side by side. Spawn-to-exit wall time is shown too.
- **Native.** \`benches/core.rs\` (Criterion, run by \`make bench\` when Cargo.toml has criterion and
  \`[[bench]] name = "core"\`) verifies and signs the same token through the Rust API, against the
  bare HMAC-SHA256 of the same bytes with the \`hmac\` and \`sha2\` crates (with SHA instructions
  where the CPU has them). The bench profile inherits the release profile. The native target is
  judged on a second measurement in the same binary: the floor and the prepared verify timed in
  alternating rounds, the ratio taken within each round (Criterion runs one bench after the
  other, so load that comes and goes can fall on one side only). A third measurement takes its
  turn in those rounds: the payload's claims read with the \`base64\` crate and \`serde_json\`
  (into a struct, nothing checked), so the floor plus that reference says what a verify built
  from the standard crates would reach before any check.
- **Limits.** A 2-core shared machine: other work shows up as noise (the load average at start
  and end is recorded; above about 2, trust the ratios less and rerun). Each slice is bounded in
  time and operation count; \`--max-seconds\` (default 480) ends the rounds early if the machine
  is too slow, and the report says so.
`;
const runStarted = performance.now();
const startedAt = new Date();
const loadAtStart = load();
const elapsed = () => (performance.now() - runStarted) / 1000;
const log = (...a) => console.error(...a);
mkdirSync(outDir, { recursive: true });

// ---- the packages ---------------------------------------------------------------------------
const pkgDir = resolve(args.pkg);
log(`bench: installing ${relative(repoRoot, pkgDir) || pkgDir} as a packed tarball into target/bench/project`);
const project = installPackedBench(pkgDir);
const installed = join(project, 'node_modules', 'jwtkit');
const jwtkit = await import(pathToFileURL(join(project, 'entry.mjs')).href);
// The wasm-bindgen glue of the same installed copy: the same module instance the package
// uses (same URL), so its exports run in the package's own wasm instance.
const core = await import(pathToFileURL(join(installed, 'core.js')).href);
const internal = await import(pathToFileURL(join(installed, 'internal.mjs')).href);
const requirePeer = createRequire(join(repoRoot, 'package.json'));
const jsonwebtoken = requirePeer('jsonwebtoken');
const fastJwt = requirePeer('fast-jwt');
const jose = await import('jose');
const tsndr = (await import('@tsndr/cloudflare-worker-jwt')).default;

const versions = {
  node: process.version,
  jwtkit: `${versionOf(project, 'jwtkit')} (packed from ${relative(repoRoot, pkgDir) || pkgDir}, ${gitState()})`,
  'fast-jwt': versionOf(repoRoot, 'fast-jwt'),
  jsonwebtoken: versionOf(repoRoot, 'jsonwebtoken'),
  jose: versionOf(repoRoot, 'jose'),
  '@tsndr/cloudflare-worker-jwt': versionOf(repoRoot, '@tsndr/cloudflare-worker-jwt'),
};

// ---- fixtures ---------------------------------------------------------------------------------
// 64 ASCII bytes: long enough for HS512, so every library takes the same secret for every alg.
const SECRET = 'jwtkit-bench-secret-0123456789abcdefghijklmnopqrstuvwxyz-ABCDEFG';
const OTHER_SECRET = 'a-different-secret-for-forged-tokens-0123456789abcdefghijklmnopq';
const ISS = 'https://auth.example';
const AUD = 'api.example';
const ALGS = ['HS256', 'HS384', 'HS512'];
const HASH = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' };
const NOW = Math.floor(Date.now() / 1000);
const b64url = (text) => Buffer.from(text).toString('base64url');
const claims = (over = {}) => ({
  sub: '1234567890',
  name: 'Ada Lovelace',
  iss: ISS,
  aud: AUD,
  iat: NOW,
  nbf: NOW - 60,
  exp: NOW + 3600,
  ...over,
});
/** A token made with node:crypto alone, independent of every library measured. */
function makeToken(alg, payload, secret = SECRET) {
  const input = `${b64url(JSON.stringify({ alg, typ: 'JWT' }))}.${b64url(JSON.stringify(payload))}`;
  return `${input}.${createHmac(HASH[alg], secret).update(input).digest('base64url')}`;
}
const tokens = {};
for (const alg of ALGS) {
  tokens[alg] = {
    good: makeToken(alg, claims()),
    forged: makeToken(alg, claims(), OTHER_SECRET),
    expired: makeToken(alg, claims({ iat: NOW - 7200, nbf: NOW - 7260, exp: NOW - 3600 })),
    notYetValid: makeToken(alg, claims({ nbf: NOW + 3600, exp: NOW + 7200 })),
    wrongAudience: makeToken(alg, claims({ aud: 'other.example' })),
    wrongIssuer: makeToken(alg, claims({ iss: 'https://evil.example' })),
  };
}
const TOKEN = tokens.HS256.good;
const PAYLOAD = claims();
const cryptoKeys = {};
for (const alg of ALGS) {
  cryptoKeys[alg] = await webcrypto.subtle.importKey(
    'raw', Buffer.from(SECRET), { name: 'HMAC', hash: `SHA-${alg.slice(2)}` }, false, ['sign', 'verify'],
  );
}
const keyObject = createSecretKey(Buffer.from(SECRET));

// Asymmetric: one key pair per family (RS256 and PS256 share the RSA key, as an issuer's
// JWK Set often does), and another of the same kind for forged tokens, generated once here.
// Every library gets the same keys: PEM text (SPKI public, PKCS#8 private) for jwtkit and
// fast-jwt, KeyObjects made from that PEM for jsonwebtoken, CryptoKeys imported from it for jose.
const ASYM_ALGS = ASYM ? ['RS256', 'PS256', 'ES256', 'EdDSA'] : [];
const RSA_BITS = 2048;
const pairOf = {
  rsa: () => generateKeyPairSync('rsa', { modulusLength: RSA_BITS, publicExponent: 0x10001 }),
  ec: () => generateKeyPairSync('ec', { namedCurve: 'P-256' }),
  ed: () => generateKeyPairSync('ed25519'),
};
const FAMILY = { RS256: 'rsa', PS256: 'rsa', ES256: 'ec', EdDSA: 'ed' };
const KEY_TEXT = { rsa: `RSA ${RSA_BITS}-bit, e = 65537`, ec: 'EC P-256', ed: 'Ed25519' };
const pairs = {};
for (const family of new Set(ASYM_ALGS.map((a) => FAMILY[a]))) {
  const made = pairOf[family]();
  const other = pairOf[family]();
  const publicPem = made.publicKey.export({ type: 'spki', format: 'pem' });
  const privatePem = made.privateKey.export({ type: 'pkcs8', format: 'pem' });
  pairs[family] = {
    publicPem,
    privatePem,
    privateJwk: made.privateKey.export({ format: 'jwk' }),
    // jsonwebtoken's KeyObjects, made from the same PEM text the others get.
    publicKeyObject: createPublicKey(publicPem),
    privateKeyObject: createPrivateKey(privatePem),
    otherPrivate: other.privateKey,
  };
}
/** node:crypto's parameters for each JWS algorithm (RFC 7518 3.3-3.5, RFC 8037). */
function nodeSigParams(alg, key) {
  if (alg === 'PS256') return [{ key, padding: cryptoConstants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, 'sha256'];
  if (alg === 'ES256') return [{ key, dsaEncoding: 'ieee-p1363' }, 'sha256'];
  if (alg === 'EdDSA') return [key, null];
  return [key, 'sha256'];
}
/** An asymmetric token signed by node:crypto alone. */
function makeAsymToken(alg, payload, privateKey = pairs[FAMILY[alg]].privateKeyObject) {
  const input = `${b64url(JSON.stringify({ alg, typ: 'JWT' }))}.${b64url(JSON.stringify(payload))}`;
  const [key, hash] = nodeSigParams(alg, privateKey);
  return `${input}.${cryptoSign(hash, Buffer.from(input), key).toString('base64url')}`;
}
const joseKeys = {};
for (const alg of ASYM_ALGS) {
  const pair = pairs[FAMILY[alg]];
  tokens[alg] = {
    good: makeAsymToken(alg, claims()),
    forged: makeAsymToken(alg, claims(), pair.otherPrivate),
    expired: makeAsymToken(alg, claims({ iat: NOW - 7200, nbf: NOW - 7260, exp: NOW - 3600 })),
    notYetValid: makeAsymToken(alg, claims({ nbf: NOW + 3600, exp: NOW + 7200 })),
    wrongAudience: makeAsymToken(alg, claims({ aud: 'other.example' })),
    wrongIssuer: makeAsymToken(alg, claims({ iss: 'https://evil.example' })),
  };
  joseKeys[alg] = { public: await jose.importSPKI(pair.publicPem, alg), private: await jose.importPKCS8(pair.privatePem, alg) };
}

// ---- contenders -------------------------------------------------------------------------------
// kind: sync (fn(arg) returns), async (await fn(arg) one at a time), batch (BATCH at once with
// Promise.all, reported per token). role: lead (jwtkit, ratios are taken from it), peer, extra,
// floor.
const contenders = [];
const add = (c) => contenders.push({ role: 'peer', kind: 'sync', ...c });
const verifyGroup = (alg) => `verify ${alg}`;
const signGroup = (alg) => `sign ${alg}`;

for (const alg of ALGS) {
  const group = verifyGroup(alg);
  const arg = tokens[alg].good;
  const opts = { algorithms: [alg], audience: AUD, issuer: ISS };
  const prepared = jwtkit.createVerifier(SECRET, opts);
  add({ group, arg, lib: 'jwtkit', role: 'lead', name: 'jwtkit createVerifier().verify', fn: (t) => prepared.verify(t) });
  add({ group, arg, lib: 'jwtkit', role: 'lead', name: 'jwtkit verify (one-shot, string secret)', fn: (t) => jwtkit.verify(t, SECRET, opts) });
  if (alg === 'HS256') {
    const imported = jwtkit.importKey(SECRET);
    add({ group, arg, lib: 'jwtkit', role: 'extra', name: 'jwtkit verify (one-shot, importKey key)', fn: (t) => jwtkit.verify(t, imported, opts) });
  }
  const fast = fastJwt.createVerifier({ key: SECRET, algorithms: [alg], allowedAud: AUD, allowedIss: ISS, cache: false });
  add({ group, arg, lib: 'fast-jwt', name: 'fast-jwt createVerifier (cache off)', fn: (t) => fast(t) });
  add({ group, arg, lib: 'jsonwebtoken', name: 'jsonwebtoken verify (KeyObject)', fn: (t) => jsonwebtoken.verify(t, keyObject, opts) });
  if (alg === 'HS256') {
    add({ group, arg, lib: 'jsonwebtoken', role: 'extra', name: 'jsonwebtoken verify (string secret)', fn: (t) => jsonwebtoken.verify(t, SECRET, opts) });
  }
  const joseOpts = { algorithms: [alg], audience: AUD, issuer: ISS };
  const joseVerify = async (t) => (await jose.jwtVerify(t, cryptoKeys[alg], joseOpts)).payload;
  add({ group, arg, lib: 'jose', kind: 'async', name: 'jose jwtVerify (CryptoKey, sequential)', fn: joseVerify });
  add({ group, arg, lib: 'jose', kind: 'batch', name: `jose jwtVerify (CryptoKey, ${BATCH} concurrent)`, fn: joseVerify });
  // @tsndr/cloudflare-worker-jwt checks exp and nbf but not aud or iss: checked here, in its time.
  const tsndrVerify = async (t) => {
    const { payload } = await tsndr.verify(t, cryptoKeys[alg], { algorithm: alg, throwError: true });
    if (payload.aud !== AUD) throw new Error('audience');
    if (payload.iss !== ISS) throw new Error('issuer');
    return payload;
  };
  add({ group, arg, lib: 'tsndr', kind: 'async', name: '@tsndr/cloudflare-worker-jwt verify (CryptoKey) + aud/iss', fn: tsndrVerify });
  if (alg === 'HS256') {
    const tsndrString = async (t) => {
      const { payload } = await tsndr.verify(t, SECRET, { algorithm: alg, throwError: true });
      if (payload.aud !== AUD || payload.iss !== ISS) throw new Error('aud/iss');
      return payload;
    };
    add({ group, arg, lib: 'tsndr', kind: 'async', role: 'extra', name: '@tsndr/cloudflare-worker-jwt verify (string secret) + aud/iss', fn: tsndrString });
  }
}

// The floor: HMAC-SHA256 of the token's signing input and nothing else.
if (typeof internal.benchFloor === 'function') {
  const floor = internal.benchFloor(SECRET);
  add({
    group: verifyGroup('HS256'), arg: TOKEN, lib: 'floor', role: 'floor', name: 'FLOOR wasm HMAC-SHA256 (internal benchFloor: same .wasm, same input path)',
    fn: floor,
  });
}
/** Reads `bytes` back out of a wasm memory as text, as the package's Node entries read their
 * output (`js/input.mjs`: `toString('utf8', ...)` of a Buffer over the memory). */
function decodeFromWasmMemory(bytes) {
  const memory = Buffer.from(new WebAssembly.Memory({ initial: 1 }).buffer);
  memory.set(bytes, 64);
  return () => memory.toString('utf8', 64, 64 + bytes.length);
}
// Two steps any verify that returns the payload as an object from wasm must take besides
// the hash: reading the payload text out of wasm memory, and JSON.parse. Floor plus these is
// the least such a verify can cost (see the floor target's note).
{
  const payloadBytes = Buffer.from(TOKEN.split('.')[1], 'base64url');
  const payloadText = payloadBytes.toString();
  add({
    group: verifyGroup('HS256'), arg: TOKEN, lib: 'floor', role: 'floor', name: 'REF UTF-8 read of the payload bytes (wasm memory to a string)',
    fn: decodeFromWasmMemory(payloadBytes),
  });
  add({
    group: verifyGroup('HS256'), arg: TOKEN, lib: 'floor', role: 'floor', name: 'REF JSON.parse of the payload text',
    fn: () => JSON.parse(payloadText),
  });
}
// Two steps any sign of a JS object through wasm must take besides the hash: JSON.stringify
// of the claims, and reading the token text out of wasm memory. Floor plus these is the least
// such a sign can cost (the floor hashes the same signing input, crossing into wasm as sign).
add({
  group: signGroup('HS256'), arg: PAYLOAD, lib: 'floor', role: 'floor', name: 'REF JSON.stringify of the claims',
  fn: (p) => JSON.stringify(p),
});
add({
  group: signGroup('HS256'), arg: PAYLOAD, lib: 'floor', role: 'floor', name: 'REF UTF-8 read of the token bytes (wasm memory to a string)',
  fn: decodeFromWasmMemory(Buffer.from(TOKEN)),
});
add({
  group: verifyGroup('HS256'), arg: TOKEN, lib: 'floor', role: 'floor', name: 'FLOOR native HMAC-SHA256 (node:crypto createHmac, reference only)',
  fn: (t) => createHmac('sha256', SECRET).update(t.slice(0, t.lastIndexOf('.'))).digest(),
});

for (const alg of ALGS) {
  const group = signGroup(alg);
  const arg = PAYLOAD;
  const signer = jwtkit.createSigner(SECRET, { algorithm: alg });
  const signOpts = { algorithm: alg };
  add({ group, arg, lib: 'jwtkit', role: 'lead', name: 'jwtkit createSigner().sign', fn: (p) => signer.sign(p) });
  add({ group, arg, lib: 'jwtkit', role: 'lead', name: 'jwtkit sign (one-shot, string secret)', fn: (p) => jwtkit.sign(p, SECRET, signOpts) });
  const fast = fastJwt.createSigner({ key: SECRET, algorithm: alg });
  add({ group, arg, lib: 'fast-jwt', name: 'fast-jwt createSigner', fn: (p) => fast(p) });
  add({ group, arg, lib: 'jsonwebtoken', name: 'jsonwebtoken sign (KeyObject)', fn: (p) => jsonwebtoken.sign(p, keyObject, signOpts) });
  const joseSign = (p) => new jose.SignJWT(p).setProtectedHeader({ alg, typ: 'JWT' }).sign(cryptoKeys[alg]);
  add({ group, arg, lib: 'jose', kind: 'async', name: 'jose SignJWT (CryptoKey, sequential)', fn: joseSign });
  add({ group, arg, lib: 'jose', kind: 'batch', name: `jose SignJWT (CryptoKey, ${BATCH} concurrent)`, fn: joseSign });
  add({ group, arg, lib: 'tsndr', kind: 'async', name: '@tsndr/cloudflare-worker-jwt sign (CryptoKey)', fn: (p) => tsndr.sign(p, cryptoKeys[alg], { algorithm: alg }) });
}

const fastDecode = fastJwt.createDecoder();
add({ group: 'decode HS256', arg: TOKEN, lib: 'jwtkit', role: 'lead', name: 'jwtkit decode', fn: (t) => jwtkit.decode(t) });
add({ group: 'decode HS256', arg: TOKEN, lib: 'jsonwebtoken', name: 'jsonwebtoken decode', fn: (t) => jsonwebtoken.decode(t) });
add({ group: 'decode HS256', arg: TOKEN, lib: 'fast-jwt', name: 'fast-jwt createDecoder', fn: (t) => fastDecode(t) });
add({ group: 'decode HS256', arg: TOKEN, lib: 'jose', name: 'jose decodeJwt', fn: (t) => jose.decodeJwt(t) });
add({ group: 'inspect HS256', arg: TOKEN, lib: 'jwtkit', role: 'lead', name: 'jwtkit inspect (no key)', fn: (t) => jwtkit.inspect(t) });
add({ group: 'inspect HS256', arg: TOKEN, lib: 'jwtkit', role: 'lead', name: 'jwtkit inspect (with key)', fn: (t) => jwtkit.inspect(t, SECRET) });

// Asymmetric groups: each call is slow enough (50 µs to 30 ms) that the loops check the clock
// after every call (chunk 1) and the slices are --asym-slice long.
const addAsym = (c) => add({ asym: true, chunk: 1, ...c });
// jsonwebtoken 9 has no EdDSA (its jwa dependency knows HS/RS/PS/ES only; sign throws
// '"algorithm" must be a valid string enum value'): no jsonwebtoken row for EdDSA.
const JSONWEBTOKEN_ALGS = new Set(['RS256', 'PS256', 'ES256']);
for (const alg of ASYM_ALGS) {
  const group = verifyGroup(alg);
  const arg = tokens[alg].good;
  const pair = pairs[FAMILY[alg]];
  const opts = { algorithms: [alg], audience: AUD, issuer: ISS };
  const prepared = jwtkit.createVerifier(pair.publicPem, opts);
  addAsym({ group, arg, lib: 'jwtkit', role: 'lead', name: 'jwtkit createVerifier().verify (SPKI PEM)', fn: (t) => prepared.verify(t) });
  addAsym({ group, arg, lib: 'jwtkit', role: 'lead', name: 'jwtkit verify (one-shot, SPKI PEM string)', fn: (t) => jwtkit.verify(t, pair.publicPem, opts) });
  const fast = fastJwt.createVerifier({ key: pair.publicPem, algorithms: [alg], allowedAud: AUD, allowedIss: ISS, cache: false });
  addAsym({ group, arg, lib: 'fast-jwt', name: 'fast-jwt createVerifier (SPKI PEM, cache off)', fn: (t) => fast(t) });
  if (JSONWEBTOKEN_ALGS.has(alg)) {
    addAsym({ group, arg, lib: 'jsonwebtoken', name: 'jsonwebtoken verify (KeyObject)', fn: (t) => jsonwebtoken.verify(t, pair.publicKeyObject, opts) });
  }
  const joseVerify = async (t) => (await jose.jwtVerify(t, joseKeys[alg].public, opts)).payload;
  addAsym({ group, arg, lib: 'jose', kind: 'async', name: 'jose jwtVerify (CryptoKey, sequential)', fn: joseVerify });
  addAsym({ group, arg, lib: 'jose', kind: 'batch', name: `jose jwtVerify (CryptoKey, ${BATCH} concurrent)`, fn: joseVerify });
}
for (const alg of ASYM_ALGS) {
  const group = signGroup(alg);
  const arg = PAYLOAD;
  const pair = pairs[FAMILY[alg]];
  const signOpts = { algorithm: alg };
  const signer = jwtkit.createSigner(pair.privatePem, signOpts);
  const jwkSigner = jwtkit.createSigner(pair.privateJwk, signOpts);
  addAsym({ group, arg, lib: 'jwtkit', role: 'lead', name: 'jwtkit createSigner().sign (PKCS#8 PEM)', fn: (p) => signer.sign(p) });
  addAsym({ group, arg, lib: 'jwtkit', role: 'lead', name: 'jwtkit sign (one-shot, PKCS#8 PEM string)', fn: (p) => jwtkit.sign(p, pair.privatePem, signOpts) });
  addAsym({ group, arg, lib: 'jwtkit', role: 'extra', name: 'jwtkit createSigner().sign (private JWK)', fn: (p) => jwkSigner.sign(p) });
  const fast = fastJwt.createSigner({ key: pair.privatePem, algorithm: alg });
  addAsym({ group, arg, lib: 'fast-jwt', name: 'fast-jwt createSigner (PKCS#8 PEM)', fn: (p) => fast(p) });
  if (JSONWEBTOKEN_ALGS.has(alg)) {
    addAsym({ group, arg, lib: 'jsonwebtoken', name: 'jsonwebtoken sign (KeyObject)', fn: (p) => jsonwebtoken.sign(p, pair.privateKeyObject, signOpts) });
  }
  const joseSign = (p) => new jose.SignJWT(p).setProtectedHeader({ alg, typ: 'JWT' }).sign(joseKeys[alg].private);
  addAsym({ group, arg, lib: 'jose', kind: 'async', name: 'jose SignJWT (CryptoKey, sequential)', fn: joseSign });
  addAsym({ group, arg, lib: 'jose', kind: 'batch', name: `jose SignJWT (CryptoKey, ${BATCH} concurrent)`, fn: joseSign });
}

const selected = contenders.filter((c) => !FILTER || FILTER.test(`${c.group} / ${c.name}`));
if (selected.length === 0) throw new Error(`--filter ${args.filter} selects no contender`);

// ---- correctness first --------------------------------------------------------------------------
function fail(c, message) {
  throw new Error(`CHECK FAILED: ${c.group} / ${c.name}: ${message}`);
}
const canonical = (o) => JSON.stringify(Object.keys(o).sort().reduce((acc, k) => ({ ...acc, [k]: o[k] }), {}));

async function checkVerifier(c) {
  const alg = c.group.split(' ')[1];
  const t = tokens[alg];
  const good = await c.fn(t.good);
  if (!good || good.sub !== '1234567890' || good.aud !== AUD || good.iss !== ISS) fail(c, `good token: unexpected result ${JSON.stringify(good)}`);
  for (const bad of ['forged', 'expired', 'notYetValid', 'wrongAudience', 'wrongIssuer']) {
    let result;
    try {
      result = await c.fn(t[bad]);
    } catch (error) {
      if (c.lib === 'jwtkit') {
        const want = { forged: 'ERR_JWS_INVALID_SIGNATURE', expired: 'ERR_JWT_EXPIRED', notYetValid: 'ERR_JWT_NOT_ACTIVE', wrongAudience: 'ERR_JWT_CLAIM_INVALID', wrongIssuer: 'ERR_JWT_CLAIM_INVALID' }[bad];
        if (error.code !== want) fail(c, `${bad} token refused with ${error.code}, expected ${want}`);
      }
      continue;
    }
    fail(c, `${bad} token ACCEPTED: ${JSON.stringify(result)}`);
  }
  const again = await c.fn(t.good);
  if (again?.sub !== '1234567890') fail(c, 'good token refused after the bad ones');
}

async function checkSigner(c) {
  const alg = c.group.split(' ')[1];
  const token = await c.fn({ ...PAYLOAD });
  if (typeof token !== 'string') fail(c, 'did not return a string');
  const [h, p, s] = token.split('.');
  const header = JSON.parse(Buffer.from(h, 'base64url').toString());
  if (header.alg !== alg) fail(c, `header alg ${header.alg}`);
  const sig = Buffer.from(s, 'base64url');
  if (HASH[alg]) {
    const mac = createHmac(HASH[alg], SECRET).update(`${h}.${p}`).digest();
    if (sig.length !== mac.length || !timingSafeEqual(sig, mac)) fail(c, 'wrong MAC');
  } else {
    // node:crypto, with the public key, accepts the signature (raw r||s for ES256).
    const [key, hash] = nodeSigParams(alg, pairs[FAMILY[alg]].publicKeyObject);
    if (!cryptoVerify(hash, Buffer.from(`${h}.${p}`), key, sig)) fail(c, 'node:crypto refuses the signature');
  }
  const payload = JSON.parse(Buffer.from(p, 'base64url').toString());
  if (canonical(payload) !== canonical(PAYLOAD)) fail(c, `claims differ: ${JSON.stringify(payload)}`);
  // And jwtkit's own verifier agrees.
  jwtkit.verify(token, HASH[alg] ? SECRET : pairs[FAMILY[alg]].publicPem, { algorithms: [alg], audience: AUD, issuer: ISS });
}

async function check(c) {
  if (c.group.startsWith('verify') && c.role !== 'floor') return checkVerifier(c);
  if (c.group.startsWith('sign') && c.role !== 'floor') return checkSigner(c);
  const result = await c.fn(c.arg);
  if (c.group.startsWith('decode') && result?.sub !== '1234567890') fail(c, `decoded ${JSON.stringify(result)}`);
  if (c.name === 'jwtkit inspect (no key)' && result?.signature?.status !== 'not checked') fail(c, JSON.stringify(result?.signature));
  if (c.name === 'jwtkit inspect (with key)' && result?.signature?.status !== 'valid') fail(c, JSON.stringify(result?.signature));
  if (c.role === 'floor' && !result) fail(c, 'the floor returned nothing');
  if (c.name.startsWith('jwtkit inspect') && result?.payload?.sub !== '1234567890') fail(c, 'payload');
  return undefined;
}

log(`bench: checking ${selected.length} contenders (good token accepted; forged, expired, not-yet-valid, wrong aud, wrong iss refused)`);
for (const c of selected) await check(c);
log('bench: all checks passed');

// ---- timing -----------------------------------------------------------------------------------
let sink = 0;
// Each runs `fn` for about `ms` and returns { n: calls, wallMs, cpuUs: CPU time of the whole
// process }: other processes' load on a shared machine lengthens wall time, not CPU time.
function spent(n, start, t, cpu0) {
  const cpu = process.cpuUsage(cpu0);
  return { n, wallMs: t - start, cpuUs: cpu.user + cpu.system };
}
// `chunk` calls between two looks at the clock: 16 (sync) and 4 (async) for the HMAC groups,
// 1 for the asymmetric ones, whose calls are slow enough that the clock costs nothing.
function runSync(fn, arg, ms, chunk = 16) {
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  const end = start + ms;
  let n = 0;
  let t = start;
  while (t < end && n < MAX_OPS_PER_SLICE) {
    for (let i = 0; i < chunk; i++) if (fn(arg)) sink++;
    n += chunk;
    t = performance.now();
  }
  return spent(n, start, t, cpu0);
}
async function runAsync(fn, arg, ms, chunk = 4) {
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  const end = start + ms;
  let n = 0;
  let t = start;
  while (t < end && n < MAX_OPS_PER_SLICE) {
    for (let i = 0; i < chunk; i++) if (await fn(arg)) sink++;
    n += chunk;
    t = performance.now();
  }
  return spent(n, start, t, cpu0);
}
async function runBatch(fn, arg, ms) {
  const argsList = new Array(BATCH).fill(arg);
  const call = (a) => fn(a);
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  const end = start + ms;
  let n = 0;
  let t = start;
  while (t < end && n < MAX_OPS_PER_SLICE) {
    const results = await Promise.all(argsList.map(call));
    sink += results.length;
    n += BATCH;
    t = performance.now();
  }
  return spent(n, start, t, cpu0);
}
function measure(c, ms) {
  if (c.kind === 'sync') return runSync(c.fn, c.arg, ms, c.chunk);
  if (c.kind === 'async') return runAsync(c.fn, c.arg, ms, c.chunk);
  return runBatch(c.fn, c.arg, ms);
}
const sliceOf = (c) => (c.asym ? ASYM_SLICE_MS : SLICE_MS);
// Asymmetric contenders run in the first ASYM_ROUNDS rounds only.
const activeIn = (c, r) => !c.asym || r < ASYM_ROUNDS;

const groups = [...new Set(selected.map((c) => c.group))];
const byGroup = Object.fromEntries(groups.map((g) => [g, selected.filter((c) => c.group === g)]));
const roundSeconds = (r) => selected.filter((c) => activeIn(c, r)).reduce((sum, c) => sum + sliceOf(c), 0) / 1000;
const asymCount = selected.filter((c) => c.asym).length;
let estimate = selected.length * WARMUP_MS / 1000;
for (let r = 0; r < ROUNDS; r++) estimate += roundSeconds(r);
log(`bench: warm-up ${WARMUP_MS} ms each, then ${ROUNDS} rounds x ${selected.length - asymCount} HMAC/decode contenders x ${SLICE_MS} ms` +
  `${asymCount ? ` and ${ASYM_ROUNDS} rounds x ${asymCount} asymmetric contenders x ${ASYM_SLICE_MS} ms` : ''} (about ${Math.round(estimate)} s)`);
for (const c of selected) {
  c.rounds = [];
  c.cpuRounds = [];
  await measure(c, WARMUP_MS);
}
let roundsDone = 0;
let cutShort = false;
for (let r = 0; r < ROUNDS; r++) {
  if (r > 0 && elapsed() + roundSeconds(r) > MAX_SECONDS) {
    cutShort = true;
    log(`bench: stopping after ${r} rounds: --max-seconds ${MAX_SECONDS} would be exceeded`);
    break;
  }
  for (let gi = 0; gi < groups.length; gi++) {
    const members = byGroup[groups[(gi + r) % groups.length]].filter((c) => activeIn(c, r));
    if (members.length === 0) continue;
    // Rotated, and reversed every other round, so no contender always follows the same one.
    const order = members.map((_, i) => members[(i + r) % members.length]);
    if (r % 2) order.reverse();
    // Each slice is cut into `--interleave` parts taken in turn (A B C A B C ...), so a burst
    // of load from elsewhere on the machine falls on every contender of the group alike.
    const parts = members.some((c) => c.asym) ? 1 : INTERLEAVE;
    const totals = new Map(order.map((c) => [c, { n: 0, wallMs: 0, cpuUs: 0 }]));
    for (let part = 0; part < parts; part++) {
      for (const c of part % 2 ? [...order].reverse() : order) {
        const { n, wallMs, cpuUs } = await measure(c, sliceOf(c) / parts);
        const total = totals.get(c);
        total.n += n;
        total.wallMs += wallMs;
        total.cpuUs += cpuUs;
      }
    }
    for (const [c, { n, wallMs, cpuUs }] of totals) {
      c.rounds.push(n / (wallMs / 1000));
      c.cpuRounds.push(n / (cpuUs / 1e6));
    }
  }
  roundsDone++;
  log(`bench: round ${r + 1}/${ROUNDS} done (${Math.round(elapsed())} s)`);
}
const asymRoundsDone = Math.min(roundsDone, ASYM_ROUNDS);
for (const c of selected) {
  c.median = median(c.rounds);
  c.min = Math.min(...c.rounds);
  c.max = Math.max(...c.rounds);
  c.cpuMedian = median(c.cpuRounds);
}
if (sink === -1) log('unreachable');

// ---- cold start -------------------------------------------------------------------------------
const VERIFY_OPTS_SOURCE = `{ algorithms: ['HS256'], audience: '${AUD}', issuer: '${ISS}' }`;
const coldScripts = {
  'node (empty script)': { file: 'cold-baseline.mjs', source: `process.stdout.write(JSON.stringify({ load: 0, first: 0 }));\n` },
  'jwtkit ESM: import + verify': {
    file: 'cold-jwtkit.mjs',
    source: `const { JWT_TOKEN: token, JWT_SECRET: secret } = process.env;
const t0 = performance.now();
const jwt = await import('jwtkit');
const t1 = performance.now();
const claims = jwt.verify(token, secret, ${VERIFY_OPTS_SOURCE});
const t2 = performance.now();
if (claims.sub !== '1234567890') throw new Error('unexpected claims');
process.stdout.write(JSON.stringify({ load: t1 - t0, first: t2 - t1 }));
`,
  },
  'jwtkit CJS: require + verify': {
    file: 'cold-jwtkit.cjs',
    source: `const { JWT_TOKEN: token, JWT_SECRET: secret } = process.env;
const t0 = performance.now();
const jwt = require('jwtkit');
const t1 = performance.now();
const claims = jwt.verify(token, secret, ${VERIFY_OPTS_SOURCE});
const t2 = performance.now();
if (claims.sub !== '1234567890') throw new Error('unexpected claims');
process.stdout.write(JSON.stringify({ load: t1 - t0, first: t2 - t1 }));
`,
  },
  'jwtkit/hmac ESM: import + verify': {
    file: 'cold-jwtkit-hmac.mjs',
    source: `const { JWT_TOKEN: token, JWT_SECRET: secret } = process.env;
const t0 = performance.now();
const jwt = await import('jwtkit/hmac');
const t1 = performance.now();
const claims = jwt.verify(token, secret, ${VERIFY_OPTS_SOURCE});
const t2 = performance.now();
if (claims.sub !== '1234567890') throw new Error('unexpected claims');
process.stdout.write(JSON.stringify({ load: t1 - t0, first: t2 - t1 }));
`,
  },
  'jwtkit/hmac CJS: require + verify': {
    file: 'cold-jwtkit-hmac.cjs',
    source: `const { JWT_TOKEN: token, JWT_SECRET: secret } = process.env;
const t0 = performance.now();
const jwt = require('jwtkit/hmac');
const t1 = performance.now();
const claims = jwt.verify(token, secret, ${VERIFY_OPTS_SOURCE});
const t2 = performance.now();
if (claims.sub !== '1234567890') throw new Error('unexpected claims');
process.stdout.write(JSON.stringify({ load: t1 - t0, first: t2 - t1 }));
`,
  },
  'jsonwebtoken: require + verify': {
    file: 'cold-jsonwebtoken.cjs',
    source: `const { JWT_TOKEN: token, JWT_SECRET: secret } = process.env;
const t0 = performance.now();
const jwt = require('jsonwebtoken');
const t1 = performance.now();
const claims = jwt.verify(token, secret, ${VERIFY_OPTS_SOURCE});
const t2 = performance.now();
if (claims.sub !== '1234567890') throw new Error('unexpected claims');
process.stdout.write(JSON.stringify({ load: t1 - t0, first: t2 - t1 }));
`,
  },
  'fast-jwt: require + createVerifier + verify': {
    file: 'cold-fast-jwt.cjs',
    source: `const { JWT_TOKEN: token, JWT_SECRET: secret } = process.env;
const t0 = performance.now();
const { createVerifier } = require('fast-jwt');
const t1 = performance.now();
const claims = createVerifier({ key: secret, algorithms: ['HS256'], allowedAud: '${AUD}', allowedIss: '${ISS}' })(token);
const t2 = performance.now();
if (claims.sub !== '1234567890') throw new Error('unexpected claims');
process.stdout.write(JSON.stringify({ load: t1 - t0, first: t2 - t1 }));
`,
  },
  'jose: import + jwtVerify': {
    file: 'cold-jose.mjs',
    source: `const { JWT_TOKEN: token, JWT_SECRET: secret } = process.env;
const t0 = performance.now();
const jose = await import('jose');
const t1 = performance.now();
const { payload: claims } = await jose.jwtVerify(token, new TextEncoder().encode(secret), ${VERIFY_OPTS_SOURCE});
const t2 = performance.now();
if (claims.sub !== '1234567890') throw new Error('unexpected claims');
process.stdout.write(JSON.stringify({ load: t1 - t0, first: t2 - t1 }));
`,
  },
};
const cold = {};
if (!args['no-cold'] && !FILTER) {
  log(`bench: cold start, ${COLD_RUNS} fresh node processes each, interleaved`);
  const coldDir = join(project, 'cold');
  mkdirSync(coldDir, { recursive: true });
  for (const [name, s] of Object.entries(coldScripts)) {
    writeFileSync(join(coldDir, s.file), s.source);
    cold[name] = { total: [], load: [], first: [], wall: [] };
  }
  const env = { ...process.env, JWT_TOKEN: TOKEN, JWT_SECRET: SECRET };
  delete env.NODE_OPTIONS;
  const names = Object.keys(coldScripts);
  for (let i = 0; i < COLD_RUNS; i++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(k + i) % names.length];
      const t0 = performance.now();
      const child = spawnSync(process.execPath, [join(coldDir, coldScripts[name].file)], { cwd: coldDir, env, encoding: 'utf8', timeout: 30_000 });
      const wall = performance.now() - t0;
      if (child.status !== 0) throw new Error(`cold start ${name} failed: ${child.stderr || child.error}`);
      const m = JSON.parse(child.stdout);
      cold[name].load.push(m.load);
      cold[name].first.push(m.first);
      cold[name].total.push(m.load + m.first);
      cold[name].wall.push(wall);
    }
  }
  for (const c of Object.values(cold)) {
    c.median = { load: median(c.load), first: median(c.first), total: median(c.total), wall: median(c.wall) };
    c.range = { total: [Math.min(...c.total), Math.max(...c.total)], wall: [Math.min(...c.wall), Math.max(...c.wall)] };
  }
}

// ---- native (criterion) -----------------------------------------------------------------------
let native = null;
let nativeInterleaved = null;
const cargoToml = readFileSync(join(repoRoot, 'Cargo.toml'), 'utf8');
const criterionConfigured = /criterion/.test(cargoToml) && /\[\[bench\]\][^[]*name\s*=\s*"core"/.test(cargoToml) && existsSync(join(repoRoot, 'benches', 'core.rs'));
if (args.native === 'yes' || (args.native === 'auto' && criterionConfigured && !FILTER && !QUICK)) {
  if (!criterionConfigured) throw new Error('--native yes: criterion and [[bench]] name = "core" are not in Cargo.toml');
  log('bench: native core, cargo bench --bench core (compiles criterion on the first run)');
  const since = Date.now();
  const run = spawnSync('cargo', ['bench', '--bench', 'core', '--', '--noplot'], {
    cwd: repoRoot, encoding: 'utf8', timeout: 420_000, maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`cargo bench failed:\n${run.stderr?.slice(-4000)}${run.error ?? ''}`);
  const criterionDir = join(process.env.CARGO_TARGET_DIR ?? join(repoRoot, 'target'), 'criterion');
  native = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (!statSync(path).isDirectory()) continue;
      const estimates = join(path, 'new', 'estimates.json');
      if (existsSync(estimates) && statSync(estimates).mtimeMs >= since) {
        const id = JSON.parse(readFileSync(join(path, 'new', 'benchmark.json'), 'utf8'));
        const e = JSON.parse(readFileSync(estimates, 'utf8'));
        native.push({ name: id.full_id, ns: e.median.point_estimate, low: e.median.confidence_interval.lower_bound, high: e.median.confidence_interval.upper_bound });
      } else if (name !== 'new' && name !== 'base' && name !== 'report') walk(path);
    }
  };
  if (existsSync(criterionDir)) walk(criterionDir);
  native.sort((a, b) => a.name.localeCompare(b.name));
  // benches/core.rs also times the floor, the prepared verify and the standard-crates
  // reference interleaved, round by round.
  const interleavedPath = join(process.env.CARGO_TARGET_DIR ?? join(repoRoot, 'target'), 'bench', 'native-interleaved.json');
  if (existsSync(interleavedPath) && statSync(interleavedPath).mtimeMs >= since) {
    nativeInterleaved = JSON.parse(readFileSync(interleavedPath, 'utf8'));
  }
}

// ---- results ----------------------------------------------------------------------------------
const loadAtEnd = load();
const seconds = elapsed();
const find = (group, prefix) => selected.find((c) => c.group === group && c.name.startsWith(prefix));
/** The ratio of medians a/b (ops/s), with the min-max of the per-round ratios. */
function ratio(a, b) {
  if (!a || !b) return null;
  const paired = a.rounds.map((x, i) => x / b.rounds[i]).filter(Number.isFinite);
  return { value: a.median / b.median, low: Math.min(...paired), high: Math.max(...paired), cpu: a.cpuMedian / b.cpuMedian };
}
const leadsOf = (group) => selected.filter((c) => c.group === group && c.role === 'lead').slice(0, 2);

// Both builds of the installed copy: the full .wasm (jwtkit) and the HMAC-only one (jwtkit/hmac).
const wasmOf = (path) => (existsSync(path) ? { path: relative(installed, path), raw: statSync(path).size, gzip9: gzipSize(path) } : null);
const wasm = { full: wasmOf(join(installed, 'core_bg.wasm')), hmac: wasmOf(join(installed, 'hmac', 'core_bg.wasm')) };
// The size target is for the HMAC-only build: pkg/hmac/ (an older package without it was
// HMAC-only in its root).
const hmacWasm = wasm.hmac ?? wasm.full;
const wasmRaw = hmacWasm.raw;
const wasmGzip = hmacWasm.gzip9;

const targets = [];
const target = (text, r, goal, better = 'higher', note = '') => {
  if (!r) return targets.push({ text, measured: 'not measured', met: null, note });
  const ok = better === 'higher' ? r.value >= goal : r.value <= goal;
  targets.push({ text, value: r.value, low: r.low, high: r.high, cpu: r.cpu, goal, met: ok, note });
};
{
  const g = verifyGroup('HS256');
  const prepared = find(g, 'jwtkit createVerifier');
  const oneShot = find(g, 'jwtkit verify (one-shot, string');
  const floor = find(g, 'FLOOR wasm');
  const fastVerify = find(g, 'fast-jwt');
  const joseSequential = find(g, 'jose jwtVerify (CryptoKey, sequential');
  const fastSign = find(signGroup('HS256'), 'fast-jwt');
  // How far the floor itself is from each peer: a target above that ratio cannot be met by
  // any verify built on this .wasm (the sign input is the same bytes, so it bounds sign too).
  // The least a verify returning an object can cost, in units of the floor: the floor, plus
  // reading the payload out of wasm memory, plus JSON.parse (the REF rows).
  // A sign of a JS object is bounded the same way: the floor, plus JSON.stringify of the
  // claims, plus reading the token out of wasm memory (the sign group's REF rows).
  const leastCost = (rows) => (floor && rows.every(Boolean) ? (1 / floor.median + rows.reduce((t, r) => t + 1 / r.median, 0)) * floor.median : null);
  const bound = leastCost([find(g, 'REF UTF-8 read'), find(g, 'REF JSON.parse')]);
  const sg = signGroup('HS256');
  const signBound = leastCost([find(sg, 'REF JSON.stringify'), find(sg, 'REF UTF-8 read')]);
  const ceiling = (peer, least) => {
    const r = ratio(floor, peer);
    if (!r) return '';
    const bounded = least?.value ? `; a ${least.op} costing only floor + ${least.steps} would be ${ratioText(r.value / least.value)}` : '';
    return `the wasm floor itself is ${ratioText(r.value)} this peer${bounded}`;
  };
  const verifyLeast = { op: 'verify', steps: 'UTF-8 read + JSON.parse', value: bound };
  const signLeast = { op: 'sign', steps: 'JSON.stringify + UTF-8 read', value: signBound };
  target('createVerifier().verify HS256 >= 2x fast-jwt (cache off)', ratio(prepared, fastVerify), 2, 'higher', ceiling(fastVerify, verifyLeast));
  target('createVerifier().verify HS256 >= 15x jose (sequential)', ratio(prepared, joseSequential), 15, 'higher', ceiling(joseSequential, verifyLeast));
  target('createSigner().sign HS256 >= 2x fast-jwt', ratio(find(sg, 'jwtkit createSigner'), fastSign), 2, 'higher', ceiling(fastSign, signLeast));
  target('verify(token, secret, opts) HS256 >= 1.5x jsonwebtoken (KeyObject)', ratio(oneShot, find(g, 'jsonwebtoken verify (KeyObject')), 1.5);
  target(
    'createVerifier().verify HS256 costs <= 1.6x the wasm floor (time ratio)',
    floor && prepared ? ratio(floor, prepared) : null,
    1.6,
    'lower',
    !floor
      ? 'the package has no internal.mjs benchFloor; the native-crypto floor is in the table for reference'
      : bound
        ? `floor + UTF-8 read + JSON.parse of the payload alone: ${round(bound, 2)}x the floor`
        : '',
  );
  targets.push({
    text: 'HMAC-only .wasm <= 45 KB gzip -9',
    value: wasmGzip / 1024, goal: 45, met: wasmGzip <= 45 * 1024, unit: 'KB', note: `${hmacWasm.path}: ${wasmRaw} bytes raw, ${wasmGzip} bytes gzip -9`,
  });
  const jwtCold = cold['jsonwebtoken: require + verify'];
  for (const name of ['jwtkit ESM: import + verify', 'jwtkit CJS: require + verify']) {
    const c = cold[name];
    if (!c || !jwtCold) {
      targets.push({ text: `cold start (${name}) <= jsonwebtoken require + verify`, measured: 'not measured', met: null });
      continue;
    }
    targets.push({
      text: `cold start (${name}) <= jsonwebtoken require + verify`,
      value: c.median.total / jwtCold.median.total, goal: 1, met: c.median.total <= jwtCold.median.total,
      note: `${round(c.median.total, 1)} ms vs ${round(jwtCold.median.total, 1)} ms`,
    });
  }
  // The path the package's prepared verifier takes (header checked once, then matched);
  // Verifier::verify, which checks the header again on every call, is in the native table.
  const nv = native?.find((n) => n.name === 'HS256/Verifier::verify_payload_bytes (claims checked, header cached)');
  const nf = native?.find((n) => n.name === 'HS256/floor hmac-sha256 (prepared key)');
  const ni = nativeInterleaved;
  if (ni) {
    // Judged on the interleaved rounds (the median of per-round ratios): Criterion's benches
    // run one after the other, so a burst of load can fall on one side only.
    targets.push({
      text: 'native prepared verify (Verifier::verify_payload_bytes) <= 2x native HMAC-SHA256 floor (time ratio, interleaved)',
      value: ni.ratio, low: ni.ratioLow, high: ni.ratioHigh, goal: 2, met: ni.ratio <= 2,
      note: `${round(ni.verifyNs, 0)} ns vs ${round(ni.floorNs, 0)} ns, medians of ${ni.rounds} interleaved rounds${nv && nf ? `; Criterion, one bench after the other: ${round(nv.ns / nf.ns, 2)}x` : ''}${
        ni.referenceBound ? `; the floor plus only reading the claims with the base64 crate and serde_json (${round(ni.referenceNs, 0)} ns, nothing checked): ${round(ni.referenceBound, 2)}x (rounds ${round(ni.referenceBoundLow, 2)}x - ${round(ni.referenceBoundHigh, 2)}x)` : ''}`,
    });
  } else if (nv && nf) {
    targets.push({ text: 'native prepared verify (Verifier::verify_payload_bytes) <= 2x native HMAC-SHA256 floor (time ratio)', value: nv.ns / nf.ns, goal: 2, met: nv.ns <= 2 * nf.ns, note: `${round(nv.ns, 0)} ns vs ${round(nf.ns, 0)} ns` });
  } else {
    targets.push({ text: 'native prepared verify (Verifier::verify_payload_bytes) <= 2x native HMAC-SHA256 floor (time ratio)', measured: 'not measured', met: null, note: criterionConfigured ? 'skipped (--native no, --quick or --filter)' : 'criterion is not configured in Cargo.toml' });
  }
}

// ---- the asymmetric table: jwtkit against each peer, per algorithm and operation ----------------
// Not targets: jwtkit's RSA/ECDSA/Ed25519 run in wasm, the peers in Node's native crypto.
const ASYM_PEERS = [
  { key: 'jose-seq', label: 'jose (sequential)', pick: (c) => c.lib === 'jose' && c.kind === 'async' },
  { key: 'jose-batch', label: `jose (${BATCH} concurrent)`, pick: (c) => c.lib === 'jose' && c.kind === 'batch' },
  { key: 'jsonwebtoken', label: 'jsonwebtoken', pick: (c) => c.lib === 'jsonwebtoken' },
  { key: 'fast-jwt', label: 'fast-jwt', pick: (c) => c.lib === 'fast-jwt' },
];
const asymTable = [];
for (const op of ['verify', 'sign']) {
  for (const alg of ASYM_ALGS) {
    const g = op === 'verify' ? verifyGroup(alg) : signGroup(alg);
    const members = byGroup[g];
    if (!members) continue;
    const lead = members.find((c) => c.lib === 'jwtkit' && c.name.startsWith(op === 'verify' ? 'jwtkit createVerifier' : 'jwtkit createSigner().sign (PKCS#8'));
    const oneShot = members.find((c) => c.lib === 'jwtkit' && c.name.includes('one-shot'));
    const peers = {};
    for (const p of ASYM_PEERS) {
      const c = members.find(p.pick);
      const r = c && lead ? ratio(lead, c) : null;
      peers[p.key] = c
        ? { name: c.name, median: c.median, ratio: r?.value, low: r?.low, high: r?.high, cpu: r?.cpu }
        : { unsupported: p.key === 'jsonwebtoken' && !JSONWEBTOKEN_ALGS.has(alg) };
    }
    asymTable.push({ op, alg, group: g, key: KEY_TEXT[FAMILY[alg]], jwtkit: lead?.median, oneShot: oneShot?.median, peers });
  }
}
const asymCell = (p) => (p.unsupported ? 'unsupported' : p.ratio === undefined ? '-' : ratioText(p.ratio));
/** "N x slower" / "N x faster" for one ratio of medians (jwtkit / peer). */
const slowerText = (x) => (!Number.isFinite(x) ? '-' : x >= 1 ? `${ratioText(x)} faster` : `${ratioText(1 / x)} slower`);

// ---- the text table -----------------------------------------------------------------------------
const pad = (s, n) => String(s).padEnd(n);
const padL = (s, n) => String(s).padStart(n);
const lines = [];
lines.push(`jwtkit bench: ${nproc()} cores, ${cpuModel()}, Node ${process.version}; load ${loadAtStart.join(' ')} -> ${loadAtEnd.join(' ')}`);
lines.push(`${roundsDone} rounds x ${SLICE_MS} ms per contender (in ${INTERLEAVE} interleaved parts) after ${WARMUP_MS} ms warm-up; medians of ops/s; ratio = jwtkit median / this median${cutShort ? ' (CUT SHORT by --max-seconds)' : ''}`);
for (const g of groups) {
  const leads = leadsOf(g);
  lines.push('');
  lines.push(`${pad(g, 64)}${padL('ops/s', 9)}${padL('min-max', 16)}${padL('us/op', 8)}${padL('ops/CPU-s', 10)}${leads.map((l) => padL(shortLead(l), 16)).join('')}`);
  for (const c of byGroup[g]) {
    const cells = leads.map((l) => padL(l === c ? '' : ratioText(ratio(l, c)?.value), 16)).join('');
    lines.push(`  ${pad(c.name, 62)}${padL(opsText(c.median), 9)}${padL(`${opsText(c.min)}-${opsText(c.max)}`, 16)}${padL(usText(c.median), 8)}${padL(opsText(c.cpuMedian), 10)}${cells}`);
  }
}
function shortLead(c) {
  return c.name.replace('jwtkit ', '').replace(' (one-shot, string secret)', '').replace('().verify', '').replace('().sign', '')
    .replace(/ \((one-shot, )?(SPKI|PKCS#8) PEM( string)?\)$/, '');
}
if (Object.keys(cold).length) {
  lines.push('');
  lines.push(`cold start, ${COLD_RUNS} fresh processes each (ms, median): import/require, first verify, both, and spawn-to-exit wall`);
  for (const [name, c] of Object.entries(cold)) {
    lines.push(`  ${pad(name, 44)}${padL(round(c.median.load, 1), 8)}${padL(round(c.median.first, 1), 8)}${padL(round(c.median.total, 1), 8)}${padL(round(c.median.wall, 0), 8)}`);
  }
}
if (native) {
  lines.push('');
  lines.push('native core (criterion, median ns/op)');
  for (const n of native) lines.push(`  ${pad(n.name, 60)}${padL(round(n.ns, 0), 8)} ns`);
}
if (asymTable.length) {
  lines.push('');
  lines.push(`asymmetric (issue 7): jwtkit prepared (createVerifier/createSigner with PEM) ops/s, and jwtkit median / peer median (below 1: jwtkit is slower); ${asymRoundsDone} rounds x ${ASYM_SLICE_MS} ms`);
  lines.push(`  ${pad('', 14)}${padL('jwtkit', 9)}${padL('one-shot', 10)}${ASYM_PEERS.map((p) => padL(p.label, 22)).join('')}`);
  for (const row of asymTable) {
    const cells = ASYM_PEERS.map((p) => {
      const peer = row.peers[p.key];
      return padL(peer.median ? `${asymCell(peer)} (${opsText(peer.median)})` : asymCell(peer), 22);
    }).join('');
    lines.push(`  ${pad(`${row.op} ${row.alg}`, 14)}${padL(opsText(row.jwtkit), 9)}${padL(opsText(row.oneShot), 10)}${cells}`);
  }
}
lines.push('');
lines.push(`.wasm: full (jwtkit) ${wasm.full ? `${wasm.full.raw} bytes raw, ${wasm.full.gzip9} bytes gzip -9` : 'missing'}; HMAC-only (jwtkit/hmac) ${wasm.hmac ? `${wasm.hmac.raw} bytes raw, ${wasm.hmac.gzip9} bytes gzip -9` : 'not in this package'}`);
lines.push('');
lines.push('targets (issue 5)');
for (const t of targets) lines.push(`  ${t.met === null ? 'n/a   ' : t.met ? 'MET   ' : 'MISSED'} ${pad(t.text, 72)} ${targetValue(t)}`);
function targetValue(t) {
  if (t.value === undefined) return `${t.measured}${t.note ? ` (${t.note})` : ''}`;
  const v = t.unit === 'KB' ? `${t.value.toFixed(1)} KB` : ratioText(t.value);
  const range = t.low !== undefined ? ` (rounds ${ratioText(t.low)}-${ratioText(t.high)}${t.cpu !== undefined ? `; by CPU time ${ratioText(t.cpu)}` : ''})` : '';
  return `${v}${range}${t.note ? `; ${t.note}` : ''}`;
}
lines.push('');
lines.push(`bench: ${Math.round(seconds)} s`);
console.log(lines.join('\n'));

// ---- run.json and BENCHMARKS.md ---------------------------------------------------------------
const machine = { cores: nproc(), cpu: cpuModel(), node: process.version, loadAtStart, loadAtEnd };
const report = {
  date: startedAt.toISOString(),
  seconds: round(seconds, 1),
  command: `node bench/run.mjs ${process.argv.slice(2).join(' ')}`.trim(),
  machine,
  versions,
  settings: {
    rounds: roundsDone, roundsAsked: ROUNDS, sliceMs: SLICE_MS, interleave: INTERLEAVE, warmupMs: WARMUP_MS, batch: BATCH, coldRuns: COLD_RUNS, cutShort, tokenLength: TOKEN.length,
    asym: ASYM, asymRounds: asymRoundsDone, asymRoundsAsked: ASYM_ROUNDS, asymSliceMs: ASYM_SLICE_MS,
    asymTokenLength: Object.fromEntries(ASYM_ALGS.map((alg) => [alg, tokens[alg].good.length])),
    asymKeys: Object.fromEntries(ASYM_ALGS.map((alg) => [alg, KEY_TEXT[FAMILY[alg]]])),
  },
  contenders: selected.map((c) => ({ group: c.group, name: c.name, lib: c.lib, role: c.role, kind: c.kind, median: round(c.median, 0), min: round(c.min, 0), max: round(c.max, 0), rounds: c.rounds.map((x) => round(x, 0)), cpuMedian: round(c.cpuMedian, 0), cpuRounds: c.cpuRounds.map((x) => round(x, 0)) })),
  cold,
  native,
  nativeInterleaved,
  wasm,
  targets,
  asymmetric: asymTable,
};
writeFileSync(join(outDir, 'run.json'), `${JSON.stringify(report, null, 2)}\n`);

if (!args['no-write'] && !FILTER && !QUICK) {
  writeBenchmarksMd(report);
  log('bench: wrote BENCHMARKS.md and target/bench/run.json');
} else {
  log('bench: wrote target/bench/run.json (BENCHMARKS.md is only written by a full run)');
}

function writeBenchmarksMd(rep) {
  const path = join(repoRoot, 'BENCHMARKS.md');
  const BEGIN = '<!-- BEGIN GENERATED by bench/run.mjs: do not edit between these markers -->';
  const END = '<!-- END GENERATED -->';
  const md = [];
  md.push(BEGIN);
  md.push('');
  md.push(`## Results (${rep.date.slice(0, 16).replace('T', ' ')} UTC, \`${rep.command}\`, ${Math.round(rep.seconds)} s)`);
  md.push('');
  md.push('### Machine and versions');
  md.push('');
  md.push(`- ${rep.machine.cores} cores (nproc), ${rep.machine.cpu}; load average ${rep.machine.loadAtStart.join(' ')} at start, ${rep.machine.loadAtEnd.join(' ')} at end (a shared machine: compare ratios from one run, not absolute numbers across runs)`);
  md.push(`- Node ${rep.machine.node}`);
  for (const [name, version] of Object.entries(rep.versions)) if (name !== 'node') md.push(`- ${name} ${version}`);
  md.push(`- ${rep.settings.rounds} interleaved rounds${rep.settings.cutShort ? ` (CUT SHORT from ${rep.settings.roundsAsked} by --max-seconds)` : ''} of ${rep.settings.sliceMs} ms per contender after ${rep.settings.warmupMs} ms of warm-up; HS256 token of ${rep.settings.tokenLength} characters`);
  if (rep.settings.asym) {
    const keys = Object.entries(rep.settings.asymKeys).map(([alg, k]) => `${alg} ${k} (${rep.settings.asymTokenLength[alg]}-character token)`).join(', ');
    md.push(`- asymmetric groups: the first ${rep.settings.asymRounds} of those rounds, ${rep.settings.asymSliceMs} ms per contender; ${keys}`);
  } else {
    md.push('- asymmetric groups: not run (`--no-asym`)');
  }
  md.push(`- \`.wasm\` sizes: see [Package size](#package-size)`);
  md.push('');
  md.push('### Targets (issue 5), ratios of medians from this run');
  md.push('');
  md.push('| target | measured | per-round range | by CPU time | |');
  md.push('|---|---|---|---|---|');
  for (const t of rep.targets) {
    const v = t.value === undefined ? t.measured : t.unit === 'KB' ? `${t.value.toFixed(1)} KB` : ratioText(t.value);
    const range = t.low !== undefined ? `${ratioText(t.low)} - ${ratioText(t.high)}` : '';
    const note = t.note ? ` (${t.note})` : '';
    md.push(`| ${t.text} | ${v}${note} | ${range} | ${t.cpu !== undefined ? ratioText(t.cpu) : ''} | ${t.met === null ? 'not measured' : t.met ? '**met**' : '**missed**'} |`);
  }
  md.push('');
  md.push('### Package size');
  md.push('');
  md.push('The `.wasm` of each build as installed from the packed tarball (the same bytes as in `pkg/`); the HMAC-only build is the one the size target above is judged on.');
  md.push('');
  md.push('| build | entry point | file | bytes raw | bytes gzip -9 |');
  md.push('|---|---|---|--:|--:|');
  if (rep.wasm.full) md.push(`| full (HS*, RS*, PS*, ES*, EdDSA) | \`jwtkit\` | \`pkg/${rep.wasm.full.path}\` | ${rep.wasm.full.raw} | ${rep.wasm.full.gzip9} |`);
  if (rep.wasm.hmac) md.push(`| HMAC-only (HS256/384/512) | \`jwtkit/hmac\` | \`pkg/${rep.wasm.hmac.path}\` | ${rep.wasm.hmac.raw} | ${rep.wasm.hmac.gzip9} |`);
  if (rep.asymmetric.length) md.push(...asymmetricSection(rep));
  md.push('');
  md.push('### Throughput');
  md.push('');
  md.push('ops/s are medians of the rounds (wall clock); ops/CPU-s divides by the CPU time the whole process used in the slice instead (a cross-check on a shared machine; for jose and tsndr it includes the WebCrypto thread pool). "x" columns are the jwtkit contender\'s median divided by the row\'s (above 1: jwtkit is faster). FLOOR rows are not JWT libraries: they hash the signing input and nothing else.');
  for (const g of groups) {
    const leads = leadsOf(g);
    md.push('');
    md.push(`#### ${g}`);
    md.push('');
    md.push(`| contender | ops/s | min - max | µs/op | ops/CPU-s |${leads.map((l) => ` ${shortLead(l)} x |`).join('')}`);
    md.push(`|---|--:|--:|--:|--:|${leads.map(() => '--:|').join('')}`);
    for (const c of byGroup[g]) {
      const cells = leads.map((l) => ` ${l === c ? '' : ratioText(ratio(l, c)?.value)} |`).join('');
      md.push(`| ${c.name} | ${opsText(c.median)} | ${opsText(c.min)} - ${opsText(c.max)} | ${usText(c.median)} | ${opsText(c.cpuMedian)} |${cells}`);
    }
  }
  if (Object.keys(rep.cold).length) {
    md.push('');
    md.push('### Cold start');
    md.push('');
    md.push(`${rep.settings.coldRuns} fresh \`node\` processes per row, interleaved; medians in ms. "import" and "first verify" are timed inside the child with \`performance.now()\`; "wall" is spawn to exit as the parent sees it (Node's own start-up included, see the empty script).`);
    md.push('');
    md.push('| process | import / require | first verify | both | both min - max | wall |');
    md.push('|---|--:|--:|--:|--:|--:|');
    for (const [name, c] of Object.entries(rep.cold)) {
      md.push(`| ${name} | ${round(c.median.load, 1)} | ${round(c.median.first, 1)} | ${round(c.median.total, 1)} | ${round(c.range.total[0], 1)} - ${round(c.range.total[1], 1)} | ${round(c.median.wall, 0)} |`);
    }
  }
  md.push('');
  md.push('### Native core (Criterion)');
  md.push('');
  if (rep.native) {
    md.push('`cargo bench --bench core` (benches/core.rs): the same token and checks, in native code with the release profile; medians (95% interval).');
    md.push('');
    md.push('| bench | ns/op | interval |');
    md.push('|---|--:|--:|');
    for (const n of rep.native) md.push(`| ${n.name} | ${round(n.ns, 0)} | ${round(n.low, 0)} - ${round(n.high, 0)} |`);
    const ni = rep.nativeInterleaved;
    if (ni) {
      md.push('');
      md.push(`Interleaved (the native target is judged on this): ${ni.rounds} rounds of ${ni.calls} calls, floor (prepared key), \`Verifier::verify_payload_bytes\` and the reference below taking turns; medians ${round(ni.floorNs, 0)} ns and ${round(ni.verifyNs, 0)} ns, median per-round ratio ${ratioText(ni.ratio)} (rounds ${ratioText(ni.ratioLow)} - ${ratioText(ni.ratioHigh)}).`);
      if (ni.referenceBound) {
        md.push('');
        md.push(`In the same rounds, a reference that only reads the claims the usual Rust way (the \`base64\` crate's decoder, then \`serde_json\` into a struct of \`iss\`, \`aud\`, \`exp\`, \`nbf\`; no checks, no duplicate-member refusal): ${round(ni.referenceNs, 0)} ns. The floor plus that reference alone is ${ratioText(ni.referenceBound)} the floor (rounds ${ratioText(ni.referenceBoundLow)} - ${ratioText(ni.referenceBoundHigh)})${ni.referenceNs > ni.floorNs ? ': reading the payload with the standard crates alone costs more than the hash' : ''}.`);
      }
    }
  } else {
    md.push(criterionConfigured ? 'Not run this time (`--native no`).' : 'Not run: criterion is not yet a dev-dependency with `[[bench]] name = "core"` in Cargo.toml.');
  }
  const edgePath = join(outDir, 'edge.json');
  if (existsSync(edgePath)) {
    md.push('');
    md.push(...edgeSection(JSON.parse(readFileSync(edgePath, 'utf8'))));
  }
  md.push('');
  md.push(END);
  const generated = md.join('\n');

  let text;
  if (existsSync(path)) {
    const old = readFileSync(path, 'utf8');
    const a = old.indexOf(BEGIN);
    const b = old.indexOf(END);
    text = a >= 0 && b > a ? `${old.slice(0, a)}${generated}${old.slice(b + END.length)}` : `${old.trimEnd()}\n\n${generated}\n`;
  } else {
    text = `${DEFAULT_HAND_WRITTEN}\n${generated}\n`;
  }
  writeFileSync(path, text);
}

function asymmetricSection(rep) {
  const md = [''];
  md.push('### Asymmetric algorithms (issue 7), ratios of medians from this run');
  md.push('');
  md.push(`jwtkit: \`createVerifier(publicKeyPem)\` / \`createSigner(privateKeyPem)\`, prepared once, and the one-shot \`verify\`/\`sign\` with the PEM string. Each peer cell is jwtkit's prepared median divided by the peer's (below 1: jwtkit is slower), with the peer's own ops/s. ${rep.settings.asymRounds} rounds of ${rep.settings.asymSliceMs} ms. These are not targets; the targets are judged on HS256 above.`);
  md.push('');
  md.push(`| op | key | jwtkit ops/s | jwtkit one-shot ops/s |${ASYM_PEERS.map((p) => ` vs ${p.label} |`).join('')}`);
  md.push(`|---|---|--:|--:|${ASYM_PEERS.map(() => '--:|').join('')}`);
  for (const row of rep.asymmetric) {
    const cells = ASYM_PEERS.map((p) => {
      const peer = row.peers[p.key];
      return ` ${peer.median ? `${asymCell(peer)} (${opsText(peer.median)}/s)` : asymCell(peer)} |`;
    }).join('');
    md.push(`| ${row.op} ${row.alg} | ${row.key} | ${opsText(row.jwtkit)} | ${opsText(row.oneShot)} |${cells}`);
  }
  md.push('');
  md.push('**Read this plainly.** jwtkit\'s asymmetric code is RustCrypto (`rsa`, `p256`, `ed25519-dalek`) compiled to wasm32: no native big-integer or curve instructions. Every peer here calls Node\'s native OpenSSL (jose through WebCrypto, on libuv\'s thread pool; jsonwebtoken and fast-jwt through `node:crypto`, on the main thread). jwtkit is expected to be slower, and RSA much slower, above all RSA signing (a 2048-bit private-key operation in wasm). Against the fastest peer in this run:');
  md.push('');
  for (const row of rep.asymmetric) {
    const peers = ASYM_PEERS.map((p) => ({ label: p.label, ...row.peers[p.key] })).filter((p) => p.median);
    if (!peers.length || !row.jwtkit) continue;
    const best = peers.reduce((a, b) => (b.median > a.median ? b : a));
    md.push(`- ${row.op} ${row.alg}: jwtkit ${opsText(row.jwtkit)}/s (${usText(row.jwtkit)} µs), ${best.label} ${opsText(best.median)}/s (${usText(best.median)} µs): jwtkit is ${slowerText(row.jwtkit / best.median)}.`);
  }
  md.push('');
  md.push('What jwtkit offers instead: the same synchronous `verify`/`sign` in every runtime, Workers included (WebCrypto-based libraries are asynchronous), and one strict key and token parser. jsonwebtoken 9 has no EdDSA (its `jwa` dependency knows HS/RS/PS/ES only), hence "unsupported". RSA signing uses the `rsa` crate, whose private-key operations are not constant time (RUSTSEC-2023-0071, see SECURITY.md); verification is unaffected.');
  return md;
}

function edgeSection(e) {
  const md = ['## Edge (workerd)', ''];
  md.push(`From \`${e.command}\` (bench/edge.mjs, a separate run: ${e.date?.slice(0, 16).replace('T', ' ')} UTC; ${e.machine?.workerd ?? 'workerd'}, ${e.machine?.cores ?? '?'} cores, ${e.setup?.algorithm ?? 'HS256'}, ${e.setup?.token_length ?? '?'}-character token). Route: ${e.setup?.route ?? '-'}.`);
  md.push('');
  md.push(e.setup?.round_timing
    ? `Each round: ${e.setup.requests} requests over ${e.setup.connections} connections, timed ${e.setup.round_timing}.`
    : 'Each round was timed to autocannon\'s own end, which it only notices at its one-second sample: these rates are rounded down to the count over a whole number of seconds.');
  md.push('');
  md.push('| worker | req/s (median round) | rounds | p50 ms | p99 ms |');
  md.push('|---|--:|---|--:|--:|');
  for (const [name, t] of Object.entries(e.throughput ?? {})) {
    md.push(`| ${name} | ${t.requests_per_second} | ${(t.rounds_requests_per_second ?? []).join(', ')} | ${t.latency_ms?.p50 ?? '-'} | ${t.latency_ms?.p99 ?? '-'} |`);
  }
  if (e.throughput_ratio_jwtkit_over_jose !== undefined) {
    md.push('');
    const hmac = e.throughput_ratio_jwtkit_hmac_over_jose;
    md.push(`jwtkit / jose throughput: ${e.throughput_ratio_jwtkit_over_jose}x${hmac === undefined ? '' : `; jwtkit/hmac / jose: ${hmac}x`}.`);
    if (e.setup?.hmac_wasm_bytes) {
      md.push('');
      md.push(`\`jwtkit/hmac\` is the same Worker with \`jwtkit\` mapped to the HMAC-only build (${e.setup.hmac_wasm_bytes} bytes of .wasm against ${e.setup.wasm_bytes}).`);
    }
  }
  if (e.cold_start) {
    md.push('');
    md.push('| cold start (fresh workerd) | runs | spawn to listen ms | listen to first verified ms | spawn to first verified ms (min - max) |');
    md.push('|---|--:|--:|--:|--:|');
    for (const [name, c] of Object.entries(e.cold_start)) {
      md.push(`| ${name} | ${c.runs} | ${c.spawn_to_listen_ms} | ${c.listen_to_first_verified_ms} | ${c.spawn_to_first_verified_ms} (${c.spawn_to_first_verified_ms_min} - ${c.spawn_to_first_verified_ms_max}) |`);
    }
  }
  return md;
}
