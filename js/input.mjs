// The input buffer of the hot paths. The token to verify and the payload to sign are
// written straight into a buffer in wasm memory with one TextEncoder.encodeInto call,
// instead of wasm-bindgen's per-character copy and an allocation per call.
import * as core from './core.js';
import { memory } from './state.mjs';

const encoder = new TextEncoder();
// ignoreBOM: the text comes back exactly as verified, a leading U+FEFF included.
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
const MIN_INPUT = 4096;
let inputView = new Uint8Array(0);
// Node's Buffer, when the entry provides it: the view is then a Buffer over the same memory,
// and output is read with its documented toString('utf8', start, end), which took about 160 ns
// for a 150-byte payload where TextDecoder took about 230 (Node 20). Other runtimes keep
// TextDecoder.
let NodeBuffer = null;

/** Reads output through Node's `Buffer` (the Node entries call this once, at start). */
export function readWithNodeBuffer(bufferClass) {
  NodeBuffer = typeof bufferClass?.isBuffer === 'function' ? bufferClass : null;
  inputView = new Uint8Array(0);
}

/** Writes `text` as UTF-8 into the input buffer; returns its length in bytes. */
export function writeInput(text) {
  let view = inputView;
  // A memory growth detaches the old ArrayBuffer, and a detached view has length 0: the
  // length check also catches that, without reading `memory.buffer` (a getter call into the
  // engine) on every call.
  if (view.length < text.length) view = growInput(text.length);
  const { read, written } = encoder.encodeInto(text, view);
  if (read === text.length) return written;
  // Not ASCII: up to three bytes per UTF-16 unit.
  return encoder.encodeInto(text, growInput(text.length * 3)).written;
}

/** Reads the `length` bytes the core wrote at the start of the input buffer, as text. */
export function readInput(length) {
  let view = inputView;
  // Memory may have grown (detaching the view: its length is then 0), or the buffer itself
  // moved to hold a longer output (a signed token): then the view is made again at the
  // buffer's new address. Outputs are never empty, so the length check catches both.
  if (view.length < length) view = growInput(length);
  return NodeBuffer === null ? decoder.decode(view.subarray(0, length)) : view.toString('utf8', 0, length);
}

function growInput(length) {
  const capacity = Math.max(length, MIN_INPUT, inputView.length);
  const address = core.inputBuffer(capacity);
  inputView =
    NodeBuffer === null ? new Uint8Array(memory.buffer, address, capacity) : NodeBuffer.from(memory.buffer, address, capacity);
  return inputView;
}
