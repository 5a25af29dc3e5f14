// Bundler entry (Vite, webpack, esbuild) and the `browser` condition: the wasm bytes are
// inlined, so no wasm plugin or asset handling is needed; the module is compiled
// synchronously on first use. `await init()` is optional.
import { initSync } from './core.js';
import { startOnFirstUse, ensureReady } from './state.mjs';
import { wasmBytes } from './wasm-inline.mjs';
import * as api from './api.mjs';
import * as http from './http.mjs';
import * as remote from './remote.mjs';

startOnFirstUse(() => initSync({ module: wasmBytes() }));

export * from './api.mjs';
export * from './http.mjs';
export * from './remote.mjs';
export function init() {
  try {
    ensureReady();
    return Promise.resolve();
  } catch (error) {
    return Promise.reject(error);
  }
}
export default { ...api, ...http, ...remote, init };
