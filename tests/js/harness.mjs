// Shared plumbing of the three contract-suite runners (node, browser, workerd): installing the
// packed package once even when the runners start in parallel, resolving the package's
// `exports` map for a runtime's conditions, free ports, bounded waits, and turning suite
// results into node:test tests.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { installPacked, repoRoot } from '../support/packed.mjs';

export { repoRoot };


/** installPacked() (which locks per project itself), kept async for the runners. */
export async function installPackedLocked(name = 'sandbox') {
  return installPacked(name);
}

/** The installed package's manifest. */
export function installedManifest(project) {
  return JSON.parse(readFileSync(join(project, 'node_modules', 'jwtkit', 'package.json'), 'utf8'));
}

/**
 * Resolves `subpath` ('.' or './web') through the manifest's `exports` for a set of
 * conditions, the way Node and bundlers do: the first key (in object order) that is in the
 * set or is 'default' wins, recursively. Returns the target ('./x.mjs') or null.
 */
export function resolveExport(manifest, subpath, conditions) {
  let entry = manifest.exports;
  if (entry === undefined) return subpath === '.' ? manifest.module || manifest.main || null : null;
  if (typeof entry === 'string' || Array.isArray(entry) || !Object.keys(entry).some((k) => k.startsWith('.'))) {
    entry = subpath === '.' ? entry : undefined;
  } else {
    entry = entry[subpath];
  }
  const walk = (e) => {
    if (e == null) return null;
    if (typeof e === 'string') return e;
    if (Array.isArray(e)) {
      for (const x of e) {
        const r = walk(x);
        if (r) return r;
      }
      return null;
    }
    for (const [k, v] of Object.entries(e)) {
      if (k === 'default' || conditions.includes(k)) {
        const r = walk(v);
        if (r) return r;
      }
    }
    return null;
  };
  return walk(entry);
}

/** A free TCP port on 127.0.0.1 (closed again before returning). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

export function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: timed out after ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** One node:test test per suite result. */
export function reportResults(prefix, results) {
  for (const r of results) {
    test(`${prefix} ${r.name}`, () => {
      if (!r.ok) throw new Error(r.error);
    });
  }
}

/** A failing test that carries a set-up error, so a broken setup shows up in the counts. */
export function reportSetupFailure(name, err) {
  test(name, () => {
    throw err instanceof Error ? err : new Error(String(err));
  });
}
