// Whether the wasm module is instantiated, and how to do it on first use where the entry
// allows a synchronous start. Internal: not exported from the package.
import { JsonWebTokenError } from './errors.mjs';

export let ready = false;
let startSynchronously = null;

export function markReady() {
  ready = true;
}

export function startOnFirstUse(start) {
  startSynchronously = start;
}

export function ensureReady() {
  if (ready) return;
  if (startSynchronously) {
    startSynchronously();
    ready = true;
    return;
  }
  throw new JsonWebTokenError(
    'jwtkit is not initialised: call `await init()` once before using the `jwtkit/web` entry',
    'ERR_NOT_INITIALIZED',
  );
}
