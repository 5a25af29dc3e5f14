// Options objects are read as their own enumerable members, the members JSON.stringify and
// object rest see: the one-shot caches key on the options' JSON text, and the request
// helpers split theirs off with object rest. A member either of them missed (inherited from a
// prototype, or not enumerable) would be a check silently lost, so such objects are refused.
import { jwtError } from './errors.mjs';

/** Throws ERR_INVALID_OPTION unless `options` is undefined, null or a plain object. */
export function checkPlainOptions(options, where) {
  if (options === undefined || options === null) return;
  if (typeof options !== 'object') throw jwtError('ERR_INVALID_OPTION', `${where} options must be an object`);
  const proto = Object.getPrototypeOf(options);
  if ((proto !== Object.prototype && proto !== null) || Object.getOwnPropertyNames(options).length !== Object.keys(options).length) {
    throw jwtError(
      'ERR_INVALID_OPTION',
      `${where} options must be a plain object whose members are its own and enumerable (not a class instance or Object.create(defaults)): write them out as { ... }`,
    );
  }
}
