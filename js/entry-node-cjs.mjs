// Node.js CommonJS entry (bundled to index.cjs by esbuild): synchronous start, no init().
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { initSync } from './core.js';
import { markReady } from './state.mjs';

markReady(initSync({ module: readFileSync(join(__dirname, 'core_bg.wasm')) }));

export * from './api.mjs';
export * from './http.mjs';
export * from './remote.mjs';
export function init() {
  return Promise.resolve();
}
