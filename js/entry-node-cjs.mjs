// Node.js CommonJS entry (bundled to index.cjs by esbuild): synchronous start, no init().
import { Buffer } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { initSync } from './core.js';
import { markReady } from './state.mjs';
import { readWithNodeBuffer } from './input.mjs';
import * as api from './api.mjs';
import * as http from './http.mjs';
import * as remote from './remote.mjs';

readWithNodeBuffer(Buffer);
markReady(initSync({ module: readFileSync(join(__dirname, 'core_bg.wasm')) }));

export * from './api.mjs';
export * from './http.mjs';
export * from './remote.mjs';
export function init() {
  return Promise.resolve();
}
// esbuild marks the bundle `__esModule`, so TypeScript's and Babel's interop read
// `import jwt from 'jwtkit'` as this `default`: without it `jwt` would be undefined.
export default { ...api, ...http, ...remote, init };
