// Whether the wasm module is instantiated, its memory, and how to start it on first use
// where the entry allows a synchronous start. Internal: not exported from the package.
import { JsonWebTokenError } from './errors.mjs';

export let ready = false;
/** The module's WebAssembly.Memory, for the input buffer of the hot paths. */
export let memory = null;
let startSynchronously = null;

/** Records a started module (the exports returned by wasm-bindgen's init). */
export function markReady(exports) {
  memory = exports.memory;
  ready = true;
}

export function startOnFirstUse(start) {
  startSynchronously = start;
}

export function ensureReady() {
  if (ready) return;
  if (startSynchronously) {
    markReady(startSynchronously());
    return;
  }
  throw new JsonWebTokenError(
    'jwtkit is not initialised: call `await init()` once before using the `jwtkit/web` entry',
    'ERR_NOT_INITIALIZED',
  );
}
