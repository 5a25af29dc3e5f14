// The contract suite in workerd (npm `workerd`), against the packed package. The Worker's
// modules are the package's ESM files with `core_bg.wasm` declared as a wasm module, jose's
// webapi build, and the suite; the entry is found through the package's `exports` with the
// workerd conditions. GET /run runs the suite and answers JSON. workerd is always killed.
// Run: node --test tests/js/workerd.test.mjs
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { test } from 'node:test';
import {
  freePort, installPackedLocked, installedManifest, repoRoot, reportResults, reportSetupFailure, resolveExport, withTimeout,
} from './harness.mjs';

const WORKERD = join(repoRoot, 'node_modules', '.bin', 'workerd');
const WORKERD_CONDITIONS = ['workerd', 'worker', 'import', 'module', 'browser', 'default'];
const START_TIMEOUT_MS = 30_000;
const RUN_TIMEOUT_MS = 120_000;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function listFiles(dir, keep) {
  const out = [];
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) {
        if (name !== 'node_modules') walk(full);
      } else if (keep(name)) {
        out.push(relative(dir, full).split(sep).join('/'));
      }
    }
  };
  walk(dir);
  return out.sort();
}

// Evaluated first (imported first by main.mjs): any fetch during load or use of the package is recorded and refused.
const GUARD = `export const fetchCalls = [];
globalThis.fetch = function fetch(input) {
  fetchCalls.push(String((input && input.url) || input));
  return Promise.reject(new Error('fetch is not allowed in the contract suite'));
};
`;

const main = (entry, hmacEntry) => `import { fetchCalls } from './guard.mjs';
import * as jwt from './pkg/${entry}';
import * as jwtHmac from './pkg/${hmacEntry}';
import * as jose from './jose/index.js';
import { runSuite } from './suite.mjs';

function smoke() {
  // before any init() call: the entry must be ready as imported
  const secret = 'workerd smoke secret, long enough for HS256';
  const token = jwt.sign({ a: '😀', n: 2 ** 53 }, secret, { expiresIn: '1h' });
  const claims = jwt.verify(token, secret);
  if (claims.a !== '😀' || claims.n !== 2 ** 53 || claims.exp - claims.iat !== 3600) throw new Error('claims ' + JSON.stringify(claims));
  return token;
}

export default {
  async fetch(request) {
    const { pathname, searchParams } = new URL(request.url);
    const seed = searchParams.has('seed') ? Number(searchParams.get('seed')) : undefined;
    if (pathname === '/health') return new Response('ok');
    if (pathname !== '/run') return new Response('not found', { status: 404 });
    const out = { smoke: null, results: null, fetchCalls: null };
    try {
      smoke();
      out.smoke = { ok: true };
    } catch (e) {
      out.smoke = { ok: false, error: String((e && e.stack) || e) + (e && e.code ? ' code=' + e.code : '') };
    }
    try {
      out.results = await runSuite(jwt, { runtime: 'workerd', jose, jsonwebtoken: null, seed });
    } catch (e) {
      out.fatal = String((e && e.stack) || e);
    }
    try {
      // The HMAC-only build promises the same API for HMAC keys: the same suite.
      out.hmac = await runSuite(jwtHmac, { runtime: 'workerd jwtkit/hmac', jose, jsonwebtoken: null, seed });
    } catch (e) {
      out.hmac = [{ name: 'the_suite_runs_to_the_end_on_jwtkit_hmac', ok: false, error: String((e && e.stack) || e) }];
    }
    try {
      // loaded dynamically: a failure there cannot take the contract suite's results with it
      const { runAsymmetricSuite } = await import('./asymmetric-suite.mjs');
      out.asymmetric = await runAsymmetricSuite(jwt, { runtime: 'workerd', jose });
    } catch (e) {
      out.asymmetric = [{ name: 'the_asymmetric_suite_runs_to_the_end', ok: false, error: String((e && e.stack) || e) }];
    }
    out.fetchCalls = fetchCalls.slice();
    return Response.json(out);
  },
};
`;

function capnpConfig(modules) {
  const mods = modules
    .map(([name, kind, file]) => `    (name = ${JSON.stringify(name)}, ${kind} = embed ${JSON.stringify(file)}),`)
    .join('\n');
  return `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [ (name = "main", worker = .suiteWorker) ],
  sockets = [ (name = "http", address = "127.0.0.1:0", http = (), service = "main") ],
);

const suiteWorker :Workerd.Worker = (
  modules = [
${mods}
  ],
  compatibilityDate = "2025-09-01",
);
`;
}

let project;
try {
  project = await installPackedLocked('contract-suite');
} catch (e) {
  reportSetupFailure('the packed package installs into a throw-away project', e);
}

if (project) {
  const pkgRoot = join(project, 'node_modules', 'jwtkit');
  const joseRoot = join(repoRoot, 'node_modules', 'jose', 'dist', 'webapi');
  const manifest = installedManifest(project);
  const entry = (resolveExport(manifest, '.', WORKERD_CONDITIONS) || './workerd.mjs').replace(/^\.\//, '');
  const hmacEntry = (resolveExport(manifest, './hmac', WORKERD_CONDITIONS) || './hmac/workerd.mjs').replace(/^\.\//, '');

  test('[workerd] the workerd export condition resolves to workerd.mjs', () => {
    if (entry !== 'workerd.mjs') throw new Error(`exports["."] for workerd: ${entry}`);
    if (hmacEntry !== 'hmac/workerd.mjs') throw new Error(`exports["./hmac"] for workerd: ${hmacEntry}`);
  });

  mkdirSync(join(repoRoot, 'target'), { recursive: true });
  const dir = mkdtempSync(join(repoRoot, 'target', 'workerd-suite-'));
  let child;
  let stderr = '';
  let stdout = '';
  const kill = () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  process.on('exit', kill);
  let outcome;
  try {
    // the Worker's files, copied next to the config so `embed` paths stay relative
    const modules = [
      ['main.mjs', 'esModule', 'main.mjs'], ['guard.mjs', 'esModule', 'guard.mjs'], ['suite.mjs', 'esModule', 'suite.mjs'],
      ['asymmetric-suite.mjs', 'esModule', 'asymmetric-suite.mjs'],
    ];
    writeFileSync(join(dir, 'main.mjs'), main(entry, hmacEntry));
    writeFileSync(join(dir, 'guard.mjs'), GUARD);
    cpSync(join(repoRoot, 'tests', 'js', 'suite.mjs'), join(dir, 'suite.mjs'));
    cpSync(join(repoRoot, 'tests', 'js', 'asymmetric-suite.mjs'), join(dir, 'asymmetric-suite.mjs'));
    for (const f of listFiles(pkgRoot, (n) => /\.(mjs|js|wasm)$/.test(n))) {
      cpSync(join(pkgRoot, f), join(dir, 'pkg', f));
      modules.push([`pkg/${f}`, f.endsWith('.wasm') ? 'wasm' : 'esModule', `pkg/${f}`]);
    }
    for (const f of listFiles(joseRoot, (n) => n.endsWith('.js'))) {
      cpSync(join(joseRoot, f), join(dir, 'jose', f));
      modules.push([`jose/${f}`, 'esModule', `jose/${f}`]);
    }
    const config = join(dir, 'config.capnp');
    writeFileSync(config, capnpConfig(modules));

    const port = await freePort();
    child = spawn(WORKERD, ['serve', config, '--socket-addr', `http=127.0.0.1:${port}`], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    const base = `http://127.0.0.1:${port}`;

    // wait until it answers, or exits, bounded
    const deadline = Date.now() + START_TIMEOUT_MS;
    let ready = false;
    while (!ready && Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) break;
      try {
        const r = await fetch(`${base}/health`, { signal: AbortSignal.timeout(2000) });
        ready = r.ok;
      } catch {
        await sleep(100);
      }
    }
    if (!ready) {
      const how = child.exitCode !== null ? `exited with ${child.exitCode}` : `not answering after ${START_TIMEOUT_MS} ms`;
      throw new Error(`workerd ${how}\n${stderr}${stdout}`);
    }
    const res = await Promise.race([
      fetch(`${base}/run${process.env.JWTKIT_SEED ? `?seed=${Number(process.env.JWTKIT_SEED)}` : ''}`, { signal: AbortSignal.timeout(RUN_TIMEOUT_MS) }),
      exited.then(({ code, signal }) => {
        throw new Error(`workerd exited (${code ?? signal}) during the run\n${stderr}`);
      }),
    ]);
    const text = await withTimeout(res.text(), RUN_TIMEOUT_MS, 'read /run');
    if (!res.ok) throw new Error(`/run answered ${res.status}: ${text.slice(0, 2000)}\n${stderr}`);
    outcome = JSON.parse(text);
  } catch (e) {
    reportSetupFailure('[workerd] workerd serves the suite Worker and runs it', e);
  } finally {
    kill();
    if (child) await withTimeout(new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.on('exit', r))), 10_000, 'workerd exit').catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }

  if (outcome) {
    test('[workerd] the package works as imported, with no init call', () => {
      if (!outcome.smoke || !outcome.smoke.ok) throw new Error((outcome.smoke && outcome.smoke.error) || 'no smoke result');
    });
    test('[workerd] the package never calls fetch', () => {
      if (!Array.isArray(outcome.fetchCalls)) throw new Error('no fetch record');
      if (outcome.fetchCalls.length) throw new Error(`fetch called: ${outcome.fetchCalls.join(', ')}`);
    });
    if (outcome.fatal) reportSetupFailure('[workerd] the suite runs to the end', new Error(outcome.fatal));
    if (outcome.results) reportResults('[workerd]', outcome.results);
    if (outcome.hmac) reportResults('[workerd jwtkit/hmac]', outcome.hmac);
    if (outcome.asymmetric) reportResults('[workerd asymmetric]', outcome.asymmetric);
    test('[workerd] workerd logs no errors', () => {
      const lines = stderr.split('\n').filter((l) => /error|uncaught|exception/i.test(l));
      if (lines.length) throw new Error(lines.slice(0, 20).join('\n'));
    });
  }
}
