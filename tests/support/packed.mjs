// Installs the package exactly as a user would get it: `npm pack pkg/`, then `npm install`
// of the tarball into a throw-away project under target/. Every JS suite tests that copy,
// never pkg/ itself, so a file missing from the tarball fails the tests.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync, existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const pkgDir = join(repoRoot, 'pkg');

/** Returns the directory of a throw-away project with `jwtkit` installed from the packed tarball. */
export function installPacked(name = 'sandbox') {
  const packDir = join(repoRoot, 'target', 'npm-pack');
  const project = join(repoRoot, 'target', 'js-projects', name);
  if (!existsSync(join(pkgDir, 'package.json'))) {
    throw new Error('pkg/ is missing: run `make pkg` first');
  }
  const stamp = join(project, '.installed-from');
  const pkgTime = String(statSync(join(pkgDir, 'package.json')).mtimeMs);
  if (existsSync(stamp) && execFileSync('cat', [stamp]).toString() === pkgTime) return project;

  rmSync(packDir, { recursive: true, force: true });
  mkdirSync(packDir, { recursive: true });
  execFileSync('npm', ['pack', pkgDir, '--pack-destination', packDir, '--silent'], { stdio: 'pipe' });
  const tarball = readdirSync(packDir).find((f) => f.endsWith('.tgz'));
  rmSync(project, { recursive: true, force: true });
  mkdirSync(project, { recursive: true });
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: `jwtkit-${name}`, private: true }));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--silent', join(packDir, tarball)], {
    cwd: project,
    stdio: 'pipe',
  });
  writeFileSync(stamp, pkgTime);
  return project;
}
