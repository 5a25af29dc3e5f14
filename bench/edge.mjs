// Edge benchmark (issue 4): the verify path of examples/worker in workerd, jwtkit against the
// same Worker written with jose (examples/worker/src/jose.mjs), and cold start of a fresh
// workerd process (a fresh isolate) to the first verified request.
//
//   node bench/edge.mjs [--requests 10000] [--connections 10] [--rounds 5] [--cold 21]
//
// Bounded runs: a fixed number of requests per round with autocannon on 127.0.0.1, after a
// warm-up of 10%, rounds interleaved across the Workers, each timed to its last response.
// Each Worker runs in its own workerd process (one isolate, one thread); its log lines go to
// /dev/null. A third process serves the jwtkit Worker's public path (no verification): the
// ceiling of this set-up.
// Prints a table; writes target/bench/edge.json.
import { mkdirSync, writeFileSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { installPackedEdge, copyExample, repoRoot, writeHmacConfig } from '../tests/edge/support/packed-edge.mjs';
import { startWorkerd, workerdBin } from '../tests/edge/support/workerd.mjs';

const { values: args } = parseArgs({
  options: {
    requests: { type: 'string', default: '10000' },
    connections: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '5' },
    cold: { type: 'string', default: '21' },
  },
});
const REQUESTS = Number(args.requests);
const CONNECTIONS = Number(args.connections);
const COLD_RUNS = Number(args.cold);
const ROUNDS = Number(args.rounds);
const WARMUP = Math.max(1000, Math.round(REQUESTS / 10));
const outDir = join(repoRoot, 'target', 'bench');
const loadAtStart = loadavg().map((x) => Math.round(x * 100) / 100);
mkdirSync(outDir, { recursive: true });

// ---- the Workers ------------------------------------------------------------------------
const project = installPackedEdge();
const jwtkitDir = copyExample('worker', project);
// The same Worker on the HMAC-only build (`jwtkit` mapped to `jwtkit/hmac`).
const hmacConfig = writeHmacConfig(jwtkitDir);

// jose is many small modules: bundle the jose Worker into one module with esbuild.
const joseDir = join(outDir, 'jose-worker');
mkdirSync(joseDir, { recursive: true });
execFileSync(join(repoRoot, 'node_modules', '.bin', 'esbuild'), [
  join(repoRoot, 'examples', 'worker', 'src', 'jose.mjs'),
  '--bundle', '--format=esm', '--platform=neutral', '--minify',
  '--conditions=workerd,worker,browser', `--outfile=${join(joseDir, 'worker.mjs')}`, '--log-level=warning',
], { cwd: repoRoot, stdio: 'inherit' });
writeFileSync(join(joseDir, 'config.capnp'), `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "api", worker = .w) ],
  sockets = [ (name = "http", address = "127.0.0.1:8788", http = (), service = "api") ],
);
const w :Workerd.Worker = (
  compatibilityDate = "2025-06-01",
  modules = [ (name = "worker.mjs", esModule = embed "worker.mjs") ],
  bindings = [
    (name = "JWKS", fromEnvironment = "JWKS"),
    (name = "JWT_SECRET", fromEnvironment = "JWT_SECRET"),
    (name = "JWT_AUDIENCE", fromEnvironment = "JWT_AUDIENCE"),
    (name = "JWT_ISSUER", fromEnvironment = "JWT_ISSUER"),
  ],
);
`);

const variants = [
  { name: 'jwtkit', cwd: jwtkitDir, config: 'config.capnp', path: '/api/me' },
  { name: 'jwtkit/hmac', cwd: jwtkitDir, config: hmacConfig, path: '/api/me' },
  { name: 'jose', cwd: joseDir, config: 'config.capnp', path: '/api/me' },
];
// The ceiling: the jwtkit Worker's public path (same process, routing and Response, no verify).
const baseline = { name: 'baseline', cwd: jwtkitDir, config: 'config.capnp', path: '/' };

// ---- the token --------------------------------------------------------------------------
const secret = randomBytes(32).toString('base64url');
const env = { JWT_SECRET: secret, JWT_AUDIENCE: 'api', JWT_ISSUER: 'https://auth.example.com' };
const t = Math.floor(Date.now() / 1000);
const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
const input = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({
  sub: '1234567890', name: 'John Doe', scope: 'read:profile', aud: 'api', iss: 'https://auth.example.com', iat: t, exp: t + 3600,
})}`;
const token = `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
const headers = { authorization: `Bearer ${token}` };

// ---- helpers ----------------------------------------------------------------------------
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const round = (x, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

/**
 * Sends `amount` requests; `wallMs` runs from the start to the last response. autocannon
 * itself only notices that the count is reached at its next one-second sample, so its own
 * end time (and a wall time taken in its callback) is rounded up to whole seconds.
 */
function cannon(url, amount) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('autocannon run exceeded 180 s')), 180_000);
    const started = performance.now();
    let responses = 0;
    let lastResponse = started;
    const instance = autocannon({ url, amount, connections: CONNECTIONS, headers, timeout: 10 }, (err, result) => {
      clearTimeout(timer);
      if (err) reject(err);
      else if (responses !== result.requests.total) reject(new Error(`${responses} responses seen, autocannon counted ${result.requests.total}`));
      else resolve({ ...result, wallMs: lastResponse - started });
    });
    instance.on('response', () => {
      responses += 1;
      lastResponse = performance.now();
    });
  });
}

/** GETs `url` with the token until a 200 (bounded); returns the body. */
async function firstVerified(url) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const res = await fetch(url, { headers, signal: AbortSignal.timeout(5000) });
    const body = await res.text();
    if (res.status === 200) return body;
    if (Date.now() > deadline) throw new Error(`no 200 from ${url}: ${res.status} ${body}`);
  }
}

// ---- throughput -------------------------------------------------------------------------
// All three workerd processes run at once (an idle one costs nothing); the measured runs are
// interleaved, ROUNDS of a fixed count each, so that load from elsewhere on the machine hits
// every variant alike. Reported: the median round.
const throughput = {};
const targets = [...variants, baseline];
const servers = [];
try {
  for (const v of targets) {
    const w = await startWorkerd({ cwd: v.cwd, config: v.config, env, quiet: true });
    servers.push(w);
    v.url = `${w.url}${v.path}`;
    const body = await firstVerified(v.url);
    if (v.path === '/api/me' && JSON.parse(body).claims?.sub !== '1234567890') throw new Error(`${v.name}: unexpected answer ${body}`);
    await cannon(v.url, WARMUP); // JIT, connections
  }
  const rounds = Object.fromEntries(targets.map((v) => [v.name, []]));
  for (let r = 0; r < ROUNDS; r++) {
    for (const v of targets) {
      const res = await cannon(v.url, REQUESTS);
      if (res.non2xx || res.errors || res.timeouts) throw new Error(`${v.name}: ${res.non2xx} non-2xx, ${res.errors} errors, ${res.timeouts} timeouts`);
      rounds[v.name].push({
        requests: res.requests.total,
        seconds: round(res.wallMs / 1000, 2),
        requests_per_second: Math.round(res.requests.total / (res.wallMs / 1000)),
        latency_ms: { p50: res.latency.p50, p90: res.latency.p90, p99: res.latency.p99, max: res.latency.max },
      });
    }
  }
  for (const v of targets) {
    const rs = rounds[v.name];
    const mid = [...rs].sort((a, b) => a.requests_per_second - b.requests_per_second)[(rs.length - 1) >> 1];
    throughput[v.name] = { ...mid, rounds_requests_per_second: rs.map((x) => x.requests_per_second) };
  }
} finally {
  await Promise.all(servers.map((w) => w.stop()));
}

// ---- cold start -------------------------------------------------------------------------
// Cold start: a new workerd process per run: config parse, module compile (the wasm included), isolate,
// then the first request through the verify path. Interleaved so drift hits both alike.
const cold = Object.fromEntries(variants.map((v) => [v.name, { listen_ms: [], first_verified_ms: [], spawn_to_verified_ms: [] }]));
for (let i = 0; i < COLD_RUNS; i++) {
  for (const v of variants) {
    const t0 = performance.now();
    const w = await startWorkerd({ cwd: v.cwd, config: v.config, env, quiet: true });
    try {
      const t1 = performance.now();
      await firstVerified(`${w.url}/api/me`);
      const t2 = performance.now();
      cold[v.name].listen_ms.push(t1 - t0);
      cold[v.name].first_verified_ms.push(t2 - t1);
      cold[v.name].spawn_to_verified_ms.push(t2 - t0);
    } finally {
      await w.stop();
    }
  }
}
const coldSummary = Object.fromEntries(
  Object.entries(cold).map(([name, c]) => [
    name,
    {
      runs: c.listen_ms.length,
      spawn_to_listen_ms: round(median(c.listen_ms)),
      listen_to_first_verified_ms: round(median(c.first_verified_ms)),
      spawn_to_first_verified_ms: round(median(c.spawn_to_verified_ms)),
      spawn_to_first_verified_ms_min: round(Math.min(...c.spawn_to_verified_ms)),
      spawn_to_first_verified_ms_max: round(Math.max(...c.spawn_to_verified_ms)),
      samples_spawn_to_first_verified_ms: c.spawn_to_verified_ms.map((x) => round(x)),
    },
  ]),
);

// ---- report -----------------------------------------------------------------------------
const wasm = join(project, 'node_modules', 'jwtkit', 'core_bg.wasm');
const report = {
  benchmark: 'edge',
  date: new Date().toISOString(),
  command: `node bench/edge.mjs --requests ${REQUESTS} --connections ${CONNECTIONS} --rounds ${ROUNDS} --cold ${COLD_RUNS}`,
  machine: {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: availableParallelism(),
    node: process.version,
    workerd: execFileSync(workerdBin, ['--version']).toString().trim(),
    jose: JSON.parse(readFileSync(join(repoRoot, 'node_modules', 'jose', 'package.json'), 'utf8')).version,
    jwtkit: JSON.parse(readFileSync(join(project, 'node_modules', 'jwtkit', 'package.json'), 'utf8')).version,
  },
  setup: {
    algorithm: 'HS256',
    token_length: token.length,
    route: 'GET /api/me (verify, then answer the claims as JSON; one log line per request)',
    requests: REQUESTS,
    warmup_requests: WARMUP,
    rounds: ROUNDS,
    round_timing: 'from the first request sent to the last response received',
    load_average_at_start: loadAtStart,
    load_average_at_end: loadavg().map((x) => Math.round(x * 100) / 100),
    connections: CONNECTIONS,
    wasm_bytes: statSync(wasm).size,
    hmac_wasm_bytes: statSync(join(project, 'node_modules', 'jwtkit', 'hmac', 'core_bg.wasm')).size,
    jose_bundle_bytes: statSync(join(joseDir, 'worker.mjs')).size,
  },
  throughput,
  throughput_ratio_jwtkit_over_jose: round(throughput.jwtkit.requests_per_second / throughput.jose.requests_per_second, 2),
  throughput_ratio_jwtkit_hmac_over_jose: round(throughput['jwtkit/hmac'].requests_per_second / throughput.jose.requests_per_second, 2),
  cold_start: coldSummary,
};
writeFileSync(join(outDir, 'edge.json'), `${JSON.stringify(report, null, 2)}\n`);

const pad = (s, n) => String(s).padEnd(n);
const lines = [
  `edge benchmark: workerd ${report.machine.workerd}, ${report.machine.cores} cores, HS256, ${token.length}-char token`,
  `${ROUNDS} interleaved rounds of ${REQUESTS} requests (median round), ${CONNECTIONS} connections, 127.0.0.1`,
  `cold start: median of ${COLD_RUNS} fresh processes; load average at start ${loadAtStart.join(' ')}`,
  '',
  `${pad('worker', 13)}${pad('req/s', 9)}${pad('p50 ms', 8)}${pad('p99 ms', 8)}${pad('spawn->listen', 15)}${pad('listen->1st 200', 17)}spawn->1st 200 ms`,
  ...[...variants, baseline].map(({ name }) => {
    const tp = throughput[name];
    const c = coldSummary[name];
    const coldCols = c ? `${pad(c.spawn_to_listen_ms, 15)}${pad(c.listen_to_first_verified_ms, 17)}${c.spawn_to_first_verified_ms}` : '(public path, the ceiling)';
    return `${pad(name, 13)}${pad(tp.requests_per_second, 9)}${pad(tp.latency_ms.p50, 8)}${pad(tp.latency_ms.p99, 8)}${coldCols}`;
  }),
  '',
  `jwtkit / jose throughput: ${report.throughput_ratio_jwtkit_over_jose}x, jwtkit/hmac / jose: ${report.throughput_ratio_jwtkit_hmac_over_jose}x; written to target/bench/edge.json`,
];
console.log(lines.join('\n'));
