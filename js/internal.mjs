// Internal hook for `make bench`; not in the package's `exports` map and not part of the
// API. Import a package entry first (it starts the module), then this file by path.
import * as core from './core.js';
import { writeInput } from './input.mjs';

/** The floor: HMAC-SHA256 over a token's signing input, through the same input path as verify. */
export function benchFloor(secret) {
  const keys = core.keysFromText(secret);
  return (token) => core.__benchHmacSha256(keys, writeInput(token));
}
