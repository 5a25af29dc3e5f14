// Cloudflare Workers / workerd entry: the runtime compiles the .wasm import into a
// WebAssembly.Module ahead of time, so instantiation is synchronous and needs no fetch.
import wasmModule from './core_bg.wasm';
import { initSync } from './core.js';
import { markReady } from './state.mjs';
import * as api from './api.mjs';
import * as http from './http.mjs';
import * as remote from './remote.mjs';

markReady(initSync({ module: wasmModule }));

export * from './api.mjs';
export * from './http.mjs';
export * from './remote.mjs';
export function init() {
  return Promise.resolve();
}
export default { ...api, ...http, ...remote, init };
