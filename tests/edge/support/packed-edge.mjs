// The packed package for the edge suites (installPacked locks per project, so the test files
// of tests/edge/ may run in parallel), and copies of the examples placed inside that project
// so that `import 'jwtkit'` and config.capnp's `node_modules/jwtkit/...` resolve to it.
import { rmSync, cpSync, symlinkSync } from 'node:fs';
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
