// Installs the package exactly as a user would get it: `npm pack pkg/`, then `npm install`
// of the tarball into a throw-away project under target/. Every JS suite tests that copy,
// never pkg/ itself, so a file missing from the tarball fails the tests.
//
// `node --test` runs test files in parallel processes: each project name packs into its own
// directory, and a lock directory keeps two processes from installing one project at once.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const pkgDir = join(repoRoot, 'pkg');

const LOCK_TIMEOUT_MS = 240_000;
const STALE_LOCK_MS = 300_000;

function sleepSync(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function withLock(lock, work) {
  const deadline = Date.now() + LOCK_TIMEOUT_MS;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      try {
        if (Date.now() - statSync(lock).mtimeMs > STALE_LOCK_MS) rmdirSync(lock);
      } catch {
        // Released meanwhile.
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock}`);
      sleepSync(200);
    }
  }
  try {
    return work();
  } finally {
    rmdirSync(lock);
  }
}

/** Returns the directory of a throw-away project with `jwtkit` installed from the packed tarball. */
export function installPacked(name = 'sandbox') {
  if (!existsSync(join(pkgDir, 'package.json'))) {
    throw new Error('pkg/ is missing: run `make pkg` first');
  }
  const projects = join(repoRoot, 'target', 'js-projects');
  mkdirSync(projects, { recursive: true });
  return withLock(join(projects, `.${name}.lock`), () => install(name, projects));
}

function install(name, projects) {
  const project = join(projects, name);
  const packDir = join(repoRoot, 'target', 'npm-pack', name);
  const stamp = join(project, '.installed-from');
  const pkgTime = String(statSync(join(pkgDir, 'package.json')).mtimeMs);
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === pkgTime) return project;

  packAndInstall(pkgDir, packDir, project, `jwtkit-${name}`);
  writeFileSync(stamp, pkgTime);
  return project;
}

/**
 * `npm pack` of `from` into `packDir`, then a fresh `project` (named `projectName`) with the
 * tarball installed. Shared with bench/support.mjs; `installArgs` are added to `npm install`.
 */
export function packAndInstall(from, packDir, project, projectName, installArgs = []) {
  rmSync(packDir, { recursive: true, force: true });
  mkdirSync(packDir, { recursive: true });
  execFileSync('npm', ['pack', from, '--pack-destination', packDir, '--silent'], { stdio: 'pipe' });
  const tarball = readdirSync(packDir).find((f) => f.endsWith('.tgz'));
  rmSync(project, { recursive: true, force: true });
  mkdirSync(project, { recursive: true });
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: projectName, private: true }));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--silent', ...installArgs, join(packDir, tarball)], {
    cwd: project,
    stdio: 'pipe',
  });
}
