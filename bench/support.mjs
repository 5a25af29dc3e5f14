// Helpers for bench/run.mjs (and bench/profile.mjs): the packed package, the machine, and
// small statistics. No timing happens here.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

import { packAndInstall } from '../tests/support/packed.mjs';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const outDir = join(repoRoot, 'target', 'bench');

/** A fingerprint of every file in `dir` (names, sizes, contents), to reinstall only on change. */
function fingerprint(dir) {
  const hash = createHash('sha256');
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (!statSync(path).isFile()) continue;
    hash.update(name).update('\0').update(readFileSync(path)).update('\0');
  }
  return hash.digest('hex');
}

const REQUIRED = ['package.json', 'core.js', 'core_bg.wasm', 'api.mjs', 'index.mjs', 'index.cjs'];

/**
 * Waits (at most `maxSeconds`) until `pkgDir` is complete and has not changed for two
 * seconds: `make pkg` deletes and rewrites pkg/, and another engineer may be running it.
 */
function stablePackage(pkgDir, maxSeconds = 180) {
  const until = Date.now() + maxSeconds * 1000;
  let previous = null;
  let said = false;
  for (;;) {
    const complete = REQUIRED.every((f) => existsSync(join(pkgDir, f)));
    const print = complete ? fingerprint(pkgDir) : null;
    if (print && print === previous) return print;
    if (Date.now() > until) throw new Error(`${pkgDir} did not settle in ${maxSeconds} s (is \`make pkg\` failing?)`);
    if (previous !== null && !said) {
      console.error(`bench: ${pkgDir} is being rebuilt; waiting for it to settle`);
      said = true;
    }
    previous = print ?? 'incomplete';
    execFileSync('sleep', ['2']);
  }
}

/**
 * Installs the package as a user gets it: `npm pack` of `pkgDir`, then `npm install` of the
 * tarball into target/bench/project (another directory per other `pkgDir`). Own
 * directories, not tests/support/packed.mjs's, so a test run at the same time cannot pull
 * the tarball away. Returns the project directory; `jwtkit` resolves there to the installed
 * copy, the peers (walking up) to the workspace's node_modules.
 */
export function installPackedBench(pkgDir) {
  if (!existsSync(join(pkgDir, 'package.json')) && !existsSync(pkgDir)) {
    throw new Error(`${pkgDir} does not exist: run \`make pkg\` first`);
  }
  const print = stablePackage(pkgDir);
  const suffix = resolve(pkgDir) === join(repoRoot, 'pkg') ? '' : `-${createHash('sha256').update(resolve(pkgDir)).digest('hex').slice(0, 8)}`;
  const packDir = join(outDir, `npm-pack${suffix}`);
  const project = join(outDir, `project${suffix}`);
  const stamp = join(project, '.installed-from');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === print && existsSync(join(project, 'entry.mjs'))) return project;
  packAndInstall(pkgDir, packDir, project, 'jwtkit-bench', ['--offline']);
  // The tarball must be what was fingerprinted: if pkg/ changed meanwhile, say so.
  if (fingerprint(pkgDir) !== print) throw new Error(`${pkgDir} changed while it was being packed: run again`);
  // An ESM module inside the project, so `import` resolves `jwtkit` through its exports map.
  writeFileSync(join(project, 'entry.mjs'), "export * from 'jwtkit';\n");
  writeFileSync(stamp, print);
  return project;
}

export function cpuModel() {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8').split('\n').find((l) => l.startsWith('model name'));
    return line ? line.split(':')[1].trim() : 'unknown';
  } catch {
    return 'unknown';
  }
}

export function nproc() {
  try {
    return Number(execFileSync('nproc').toString().trim());
  } catch {
    return availableParallelism();
  }
}

export function load() {
  return loadavg().map((x) => Math.round(x * 100) / 100);
}

export function versionOf(dir, name) {
  try {
    return JSON.parse(readFileSync(join(dir, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return 'not installed';
  }
}

/** The commit, and whether the sources the package is built from differ from it. */
export function gitState() {
  try {
    const git = (...a) => execFileSync('git', a, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'ignore'] });
    const commit = git('rev-parse', '--short', 'HEAD').toString().trim();
    const dirty = git('status', '--porcelain', '--', 'src', 'js', 'Cargo.toml', 'scripts')
      .toString()
      .trim();
    return dirty ? `${commit} + uncommitted changes in src/js/build` : commit;
  } catch {
    return 'unknown';
  }
}

export function gzipSize(path) {
  try {
    return Number(execFileSync('bash', ['-c', 'gzip -9 -c "$0" | wc -c', path]).toString().trim());
  } catch {
    // Where the gzip command is missing: zlib at level 9 (a few header bytes differ).
    return gzipSync(readFileSync(path), { level: 9 }).length;
  }
}

// ---- statistics ---------------------------------------------------------------------------

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return NaN;
  return n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

export const round = (x, digits = 2) => (Number.isFinite(x) ? Math.round(x * 10 ** digits) / 10 ** digits : x);

/** 12345 -> "12.3k", 1234567 -> "1.23M". */
export function opsText(x) {
  if (!Number.isFinite(x)) return '-';
  if (x >= 1e6) return `${(x / 1e6).toFixed(2)}M`;
  if (x >= 1e4) return `${(x / 1e3).toFixed(1)}k`;
  if (x >= 1e3) return `${(x / 1e3).toFixed(2)}k`;
  return x.toFixed(0);
}

export function usText(opsPerSecond) {
  if (!Number.isFinite(opsPerSecond) || opsPerSecond <= 0) return '-';
  const us = 1e6 / opsPerSecond;
  return us >= 100 ? us.toFixed(0) : us >= 10 ? us.toFixed(1) : us.toFixed(2);
}

export function ratioText(x) {
  if (!Number.isFinite(x)) return '-';
  return x >= 10 ? `${x.toFixed(1)}x` : `${x.toFixed(2)}x`;
}
