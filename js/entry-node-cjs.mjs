// Node.js CommonJS entry (bundled to index.cjs by esbuild): synchronous start, no init().
import { Buffer } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { initSync } from './core.js';
import { markReady } from './state.mjs';
import { readWithNodeBuffer } from './input.mjs';

readWithNodeBuffer(Buffer);
markReady(initSync({ module: readFileSync(join(__dirname, 'core_bg.wasm')) }));

export * from './api.mjs';
export * from './http.mjs';
export * from './remote.mjs';
export function init() {
  return Promise.resolve();
}
