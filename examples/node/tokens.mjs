// Short-lived access tokens and rotating refresh tokens, with revocation by `jti` and by session.
//
// - Access token: 5 minutes, audience "api", claims `sub`, `sid` (session id), `jti`.
//   Verified on every request without a lookup, except the deny list below.
// - Refresh token: 14 days, its own secret and audience ("refresh"), claims `sub`, `sid`, `jti`.
//   One use only: each refresh revokes its `jti` and returns a new pair (rotation). Presenting a
//   refresh token that was already used means it was copied: the whole session is ended.
// - Revocation: a deny list of `jti`s and `sid`s. An entry is needed only until the token it
//   names expires, so the store keeps the expiry and `purge()` drops old entries; in production
//   use a shared store with a TTL (Redis `SET key 1 EX ttl`, Workers KV `expirationTtl`).
import { randomUUID } from 'node:crypto';
import { sign, createVerifier } from 'jwtkit';

const REFRESH_AUDIENCE = 'refresh';
const now = () => Math.floor(Date.now() / 1000);

/** A deny list in memory: id -> expiry (seconds since the epoch). */
export class MemoryRevocationStore {
  #entries = new Map();
  revoke(id, expiresAt) {
    this.#entries.set(id, expiresAt);
  }
  has(id) {
    return this.#entries.has(id);
  }
  purge(at = now()) {
    for (const [id, expiresAt] of this.#entries) if (expiresAt <= at) this.#entries.delete(id);
  }
  get size() {
    return this.#entries.size;
  }
}

/** An error of the token endpoint (RFC 6749 5.2: 400 invalid_grant). */
export class GrantError extends Error {
  constructor(message, cause) {
    super(message, { cause });
    this.name = 'GrantError';
    this.code = 'invalid_grant';
  }
}

/**
 * @param {{ accessSecret: string, refreshSecret: string, issuer?: string, audience?: string,
 *           accessTtl?: number, refreshTtl?: number, store?: MemoryRevocationStore }} options
 */
export function createTokenService({
  accessSecret,
  refreshSecret,
  issuer = 'https://auth.example.com',
  audience = 'api',
  accessTtl = 5 * 60,
  refreshTtl = 14 * 24 * 3600,
  store = new MemoryRevocationStore(),
}) {
  if (accessSecret === refreshSecret) throw new Error('use different secrets for access and refresh tokens');
  const refreshVerifier = createVerifier(refreshSecret, {
    algorithms: ['HS256'],
    issuer,
    audience: REFRESH_AUDIENCE,
    requiredClaims: ['sub', 'sid', 'jti', 'exp'],
  });

  function issue(sub, sid) {
    return {
      token_type: 'Bearer',
      access_token: sign({ sid }, accessSecret, { subject: sub, issuer, audience, expiresIn: accessTtl, jwtid: true }),
      expires_in: accessTtl,
      refresh_token: sign({ sid }, refreshSecret, {
        subject: sub,
        issuer,
        audience: REFRESH_AUDIENCE,
        expiresIn: refreshTtl,
        jwtid: true,
      }),
    };
  }

  function verifyRefresh(refreshToken) {
    try {
      return refreshVerifier.verify(String(refreshToken));
    } catch (err) {
      throw new GrantError('invalid refresh token', err);
    }
  }

  return {
    store,
    /** Starts a session for an authenticated user. */
    login(sub) {
      return issue(String(sub), randomUUID());
    },
    /** Exchanges a refresh token for a new pair; the old refresh token is spent. */
    refresh(refreshToken) {
      const claims = verifyRefresh(refreshToken);
      if (store.has(`sid:${claims.sid}`)) throw new GrantError('the session has ended');
      if (store.has(`jti:${claims.jti}`)) {
        // Reuse of a spent refresh token: someone holds a copy. End the session for both.
        store.revoke(`sid:${claims.sid}`, now() + Math.max(refreshTtl, accessTtl));
        throw new GrantError('refresh token reused; the session has ended');
      }
      store.revoke(`jti:${claims.jti}`, claims.exp);
      return issue(claims.sub, claims.sid);
    },
    /** Ends the session of verified access-token claims: its access and refresh tokens stop working. */
    logout(accessClaims) {
      store.revoke(`jti:${accessClaims.jti}`, accessClaims.exp);
      store.revoke(`sid:${accessClaims.sid}`, now() + Math.max(refreshTtl, accessTtl));
    },
    /** For `isRevoked` of the request verifier: the access token's jti or session is on the deny list. */
    isRevoked(claims) {
      return store.has(`jti:${claims.jti}`) || store.has(`sid:${claims.sid}`);
    },
  };
}
