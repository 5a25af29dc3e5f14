// The packed package for the edge suites (installPacked locks per project, so the test files
// of tests/edge/ may run in parallel), and copies of the examples placed inside that project
// so that `import 'jwtkit'` and config.capnp's `node_modules/jwtkit/...` resolve to it.
import { rmSync, cpSync, symlinkSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { installPacked, repoRoot } from '../../support/packed.mjs';

export { repoRoot };

/** The throw-away project with jwtkit installed from the packed tarball. */
export function installPackedEdge() {
  return installPacked('edge');
}

/** Copies an example directory (without its node_modules) into the packed project. */
export function copyExample(name, project) {
  const dest = join(project, 'examples', name);
  rmSync(dest, { recursive: true, force: true });
  cpSync(join(repoRoot, 'examples', name), dest, {
    recursive: true,
    filter: (src) => !/[\\/](node_modules|package-lock\.json|\.wrangler)$/.test(src),
  });
  // So that paths relative to the example (config.capnp's `embed "node_modules/jwtkit/..."`)
  // reach the packed install, as after `npm install` in the example directory.
  symlinkSync(join('..', '..', 'node_modules'), join(dest, 'node_modules'));
  return dest;
}

/**
 * Writes `config-hmac.capnp` next to a copied example's `config.capnp`: the same Worker with
 * the module `jwtkit` mapped to the HMAC-only build (`jwtkit/hmac`), as the example's README
 * describes. Returns the file name.
 */
export function writeHmacConfig(exampleDir) {
  const config = readFileSync(join(exampleDir, 'config.capnp'), 'utf8');
  const hmac = config
    .replaceAll('node_modules/jwtkit/workerd.mjs', 'node_modules/jwtkit/hmac/workerd.mjs')
    .replaceAll('node_modules/jwtkit/core_bg.wasm', 'node_modules/jwtkit/hmac/core_bg.wasm');
  if (hmac === config || /node_modules\/jwtkit\/(workerd\.mjs|core_bg\.wasm)/.test(hmac)) {
    throw new Error(`${exampleDir}/config.capnp: its jwtkit modules could not all be mapped to jwtkit/hmac`);
  }
  writeFileSync(join(exampleDir, 'config-hmac.capnp'), hmac);
  return 'config-hmac.capnp';
}
