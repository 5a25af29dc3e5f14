// Node.js ESM entry: the module is instantiated synchronously at import, no init() needed.
import { Buffer } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { initSync } from './core.js';
import { markReady } from './state.mjs';
import { readWithNodeBuffer } from './input.mjs';
import * as api from './api.mjs';
import * as http from './http.mjs';
import * as remote from './remote.mjs';

readWithNodeBuffer(Buffer);
markReady(initSync({ module: readFileSync(new URL('./core_bg.wasm', import.meta.url)) }));

export * from './api.mjs';
export * from './http.mjs';
export * from './remote.mjs';
/** Already initialised here; kept so code written for every runtime can call it. */
export function init() {
  return Promise.resolve();
}
export default { ...api, ...http, ...remote, init };
