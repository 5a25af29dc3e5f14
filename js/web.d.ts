// `jwtkit/web`: plain browser ESM. Call `await init()` once before anything else.
export * from './index.js';
/**
 * Fetches and instantiates core_bg.wasm (next to this module unless `input` says otherwise:
 * a URL, a Response, bytes or a WebAssembly.Module). Idempotent.
 */
export default function init(input?: URL | string | Response | BufferSource | WebAssembly.Module): Promise<void>;
export { init };
