// Error classes of the package. Names, messages and `instanceof` follow `jsonwebtoken`
// (TokenExpiredError and NotBeforeError extend JsonWebTokenError); `code` follows `jose`.

export class JsonWebTokenError extends Error {
  /**
   * @param {string} message
   * @param {string | Error} [code] a stable code, or (as in jsonwebtoken) an inner error
   */
  constructor(message, code = 'ERR_JWT_MALFORMED') {
    super(message);
    // Own enumerable members, as jsonwebtoken's errors have: JSON.stringify(error) and
    // loggers that copy an error's members keep the message.
    Object.defineProperty(this, 'message', { value: message, enumerable: true, writable: true, configurable: true });
    this.name = 'JsonWebTokenError';
    if (code instanceof Error) {
      this.inner = code;
      code = 'ERR_JWT_MALFORMED';
    }
    this.code = code;
  }
}

export class TokenExpiredError extends JsonWebTokenError {
  /** @param {string} message @param {Date} expiredAt */
  constructor(message, expiredAt) {
    super(message, 'ERR_JWT_EXPIRED');
    this.name = 'TokenExpiredError';
    this.expiredAt = expiredAt;
  }
}

export class NotBeforeError extends JsonWebTokenError {
  /** @param {string} message @param {Date} date */
  constructor(message, date) {
    super(message, 'ERR_JWT_NOT_ACTIVE');
    this.name = 'NotBeforeError';
    this.date = date;
  }
}

/** An error with a code and a claim name, built by the face. */
export function jwtError(code, message, claim) {
  const error = new JsonWebTokenError(message, code);
  if (claim) error.claim = claim;
  return error;
}

/**
 * What a key function threw, as the error verify reports: errors with a string `code`
 * (jwtkit's own among them) pass through; anything else is wrapped as jsonwebtoken wraps it
 * ("error in secret or public key callback: ..."), with the original as `inner` and `cause`.
 */
export function keyFunctionError(thrown) {
  if (thrown instanceof Error && typeof thrown.code === 'string') return thrown;
  const error = new JsonWebTokenError(`error in secret or public key callback: ${thrown instanceof Error ? thrown.message : String(thrown)}`, 'ERR_KEY_INVALID');
  error.inner = thrown;
  error.cause = thrown;
  return error;
}

/** Turns the plain object `{ code, message, claim?, time? }` thrown by the wasm core into a class instance. */
export function fromCore(thrown) {
  if (thrown instanceof Error) return thrown;
  if (thrown === null || typeof thrown !== 'object' || typeof thrown.code !== 'string') {
    return new JsonWebTokenError(String(thrown), 'ERR_JWT_MALFORMED');
  }
  const { code, message, claim, time } = thrown;
  let error;
  if (code === 'ERR_JWT_EXPIRED') error = new TokenExpiredError(message, new Date(time * 1000));
  else if (code === 'ERR_JWT_NOT_ACTIVE') error = new NotBeforeError(message, new Date(time * 1000));
  else error = new JsonWebTokenError(message, code);
  if (claim) error.claim = claim;
  return error;
}
