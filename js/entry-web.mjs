// Plain browser ESM entry (`jwtkit/web`): `await init()` once; it fetches core_bg.wasm
// next to this file (or the URL, Response, bytes or WebAssembly.Module you pass).
import initWasm from './core.js';
import { markReady, ready } from './state.mjs';

let starting = null;

export default function init(input) {
  if (ready) return Promise.resolve();
  starting ??= initWasm(input === undefined ? undefined : { module_or_path: input }).then(
    (exports) => markReady(exports),
    (error) => {
      starting = null;
      throw error;
    },
  );
  return starting;
}
export { init };
export * from './api.mjs';
export * from './http.mjs';
export * from './remote.mjs';
