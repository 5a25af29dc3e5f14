// Checks on a token's unverified header that come before any key lookup, so that a key
// function (which may query a database or fetch a JWK Set) is never called for a token that
// would be refused for its `alg` anyway: none, a missing `alg`, or one the options do not allow;
// and which form of key function it is.
import { jwtError } from './errors.mjs';

/** Throws the error verify would give for `header`'s `alg`; `algorithms` is the allowed list, if any. */
export function checkAlgorithmBeforeKeyLookup(header, algorithms) {
  const alg = header?.alg;
  if (alg === undefined) throw jwtError('ERR_JWT_MALFORMED', 'jwt malformed: header has no "alg"');
  if (typeof alg !== 'string') throw jwtError('ERR_JWT_MALFORMED', 'jwt malformed: header "alg" is not a string');
  if (alg.toLowerCase() === 'none' || (algorithms !== undefined && !algorithms.includes(alg))) {
    throw jwtError('ERR_JWS_ALG_NOT_ALLOWED', 'invalid algorithm');
  }
}

/** Whether a key function is jsonwebtoken's asynchronous form, `(header, done) => done(err, key)`. */
export function keyFunctionTakesCallback(getKey) {
  return getKey.length >= 2;
}
