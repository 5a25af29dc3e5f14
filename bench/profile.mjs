// Where jwtkit's time goes: runs one operation in a bounded loop in a child `node --cpu-prof`
// and prints the self time per function and per kind (wasm, the package's JS, GC, ...).
//
//   node bench/profile.mjs [--op verify|verify-oneshot|sign|sign-oneshot|decode|floor]
//                          [--seconds 4] [--interval 50] [--top 30] [--pkg DIR]
//
// The package is installed from the packed tarball as bench/run.mjs does. Wasm frames are
// named only if the .wasm keeps its name section (`make pkg` removes it): for names, build
// a copy without `--remove-name-section` and pass its pkg/ with --pkg.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

import { installPackedBench, outDir, repoRoot } from './support.mjs';

const { values: args } = parseArgs({
  options: {
    op: { type: 'string', default: 'verify' },
    seconds: { type: 'string', default: '4' },
    interval: { type: 'string', default: '50' },
    top: { type: 'string', default: '30' },
    pkg: { type: 'string', default: join(repoRoot, 'pkg') },
    child: { type: 'string' },
  },
});
const OPS = ['verify', 'verify-oneshot', 'sign', 'sign-oneshot', 'decode', 'floor'];
if (!OPS.includes(args.op)) throw new Error(`--op must be one of ${OPS.join(', ')}`);
const SECONDS = Math.min(Number(args.seconds), 30);

if (args.child) {
  await child(args.child);
} else {
  const project = installPackedBench(resolve(args.pkg));
  const profDir = join(outDir, 'prof');
  rmSync(profDir, { recursive: true, force: true });
  mkdirSync(profDir, { recursive: true });
  const run = spawnSync(process.execPath, [
    '--cpu-prof', `--cpu-prof-dir=${profDir}`, `--cpu-prof-interval=${Number(args.interval)}`,
    new URL(import.meta.url).pathname, '--child', project, '--op', args.op, '--seconds', String(SECONDS),
  ], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: (SECONDS + 60) * 1000 });
  if (run.status !== 0) throw new Error(`profiled child failed (${run.status})`);
  process.stdout.write(run.stdout);
  const file = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
  summarise(JSON.parse(readFileSync(join(profDir, file), 'utf8')), join(profDir, file));
}

async function child(project) {
  const jwtkit = await import(pathToFileURL(join(project, 'entry.mjs')).href);
  const internal = await import(pathToFileURL(join(project, 'node_modules', 'jwtkit', 'internal.mjs')).href);
  const { createHmac } = await import('node:crypto');
  const SECRET = 'jwtkit-bench-secret-0123456789abcdefghijklmnopqrstuvwxyz-ABCDEFG';
  const now = Math.floor(Date.now() / 1000);
  const payload = { sub: '1234567890', name: 'Ada Lovelace', iss: 'https://auth.example', aud: 'api.example', iat: now, nbf: now - 60, exp: now + 3600 };
  const b64 = (s) => Buffer.from(s).toString('base64url');
  const input = `${b64(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${b64(JSON.stringify(payload))}`;
  const token = `${input}.${createHmac('sha256', SECRET).update(input).digest('base64url')}`;
  const opts = { algorithms: ['HS256'], audience: 'api.example', issuer: 'https://auth.example' };
  const verifier = jwtkit.createVerifier(SECRET, opts);
  const signer = jwtkit.createSigner(SECRET);
  const floor = internal.benchFloor(SECRET);
  const fn = {
    verify: () => verifier.verify(token),
    'verify-oneshot': () => jwtkit.verify(token, SECRET, opts),
    sign: () => signer.sign(payload),
    'sign-oneshot': () => jwtkit.sign(payload, SECRET),
    decode: () => jwtkit.decode(token),
    floor: () => floor(token),
  }[args.op];
  if (!fn()) throw new Error('the operation returned nothing');
  const end = performance.now() + SECONDS * 1000;
  let n = 0;
  while (performance.now() < end && n < 1e8) {
    for (let i = 0; i < 64; i++) fn();
    n += 64;
  }
  console.log(`${args.op}: ${n} calls in ${SECONDS} s = ${Math.round(n / SECONDS)} ops/s, ${(SECONDS * 1e6 / n).toFixed(2)} us/op (with the profiler on)`);
}

function summarise(profile, file) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const kindOf = (frame) => {
    const { url, functionName } = frame;
    if (url.startsWith('wasm://') || /^(wasm-function|\$)/.test(functionName)) return 'wasm';
    if (url.includes('/node_modules/jwtkit/core.js')) return 'jwtkit glue (core.js)';
    if (url.includes('/node_modules/jwtkit/')) return 'jwtkit face (api.mjs ...)';
    if (functionName === '(garbage collector)') return 'GC';
    if (functionName === '(program)' || functionName === '(idle)' || functionName === '(root)') return functionName;
    if (url.includes('bench/profile.mjs')) return 'bench loop';
    if (!url) return 'V8/Node builtins (JSON.parse, TextEncoder, ...)';
    return 'other JS';
  };
  const fns = new Map();
  const kinds = new Map();
  for (const [id, us] of self) {
    const frame = byId.get(id).callFrame;
    const kind = kindOf(frame);
    const key = `${frame.functionName || '(anonymous)'} ${frame.url ? `${basename(frame.url)}:${frame.lineNumber + 1}` : ''}`.trim();
    const entry = fns.get(key) ?? { us: 0, kind };
    entry.us += us;
    fns.set(key, entry);
    kinds.set(kind, (kinds.get(kind) ?? 0) + us);
  }
  const pct = (us) => `${((100 * us) / total).toFixed(1).padStart(5)}%`;
  console.log(`\nself time by kind (${(total / 1e6).toFixed(2)} s sampled; ${file})`);
  for (const [kind, us] of [...kinds].sort((a, b) => b[1] - a[1])) console.log(`  ${pct(us)}  ${kind}`);
  console.log(`\nself time by function (top ${args.top})`);
  for (const [key, e] of [...fns].sort((a, b) => b[1].us - a[1].us).slice(0, Number(args.top))) {
    console.log(`  ${pct(e.us)}  ${key}  [${e.kind}]`);
  }
}
