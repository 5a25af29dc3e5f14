// The last step of a request check, shared by http.mjs and remote.mjs (an internal module:
// the package's entries do not re-export it).

import { jwtError } from './errors.mjs';

/**
 * `{ ok: true, claims, header }` for a verified token (`{ header, payload }`), unless
 * `isRevoked(claims, header)` says it is revoked or throws: then `refuse(error)`'s answer,
 * with ERR_JWT_REVOKED or the error thrown (which has no code, so it answers 500).
 */
export function acceptVerified(verified, isRevoked, refuse) {
  const claims = verified.payload;
  const header = verified.header;
  if (isRevoked !== undefined) {
    let revoked;
    try {
      revoked = isRevoked(claims, header);
    } catch (error) {
      return refuse(error);
    }
    if (revoked) return refuse(jwtError('ERR_JWT_REVOKED', 'token revoked'));
  }
  return { ok: true, claims, header };
}
