// Types of the jwtkit package (every entry shares them; `jwtkit/web` adds a default init).

export * from './http.js';
export * from './remote.js';

/** Every stable error code. */
export type ErrorCode =
  | 'ERR_JWT_MALFORMED'
  | 'ERR_JWT_TOO_LARGE'
  | 'ERR_JWS_INVALID_SIGNATURE'
  | 'ERR_JWS_ALG_NOT_ALLOWED'
  | 'ERR_JWS_CRIT_UNSUPPORTED'
  | 'ERR_JWT_EXPIRED'
  | 'ERR_JWT_NOT_ACTIVE'
  | 'ERR_JWT_CLAIM_INVALID'
  | 'ERR_JWT_CLAIM_MISSING'
  | 'ERR_KEY_INVALID'
  | 'ERR_KEY_TOO_WEAK'
  | 'ERR_JWKS_NO_MATCH'
  | 'ERR_INVALID_PAYLOAD'
  | 'ERR_INVALID_OPTION'
  | 'ERR_NOT_INITIALIZED'
  | import('./remote.js').RemoteErrorCode;

export type HmacAlgorithm = 'HS256' | 'HS384' | 'HS512';
export type AsymmetricAlgorithm =
  | 'RS256' | 'RS384' | 'RS512'
  | 'PS256' | 'PS384' | 'PS512'
  | 'ES256' | 'ES384' | 'ES512'
  | 'EdDSA';
export type Algorithm = HmacAlgorithm | AsymmetricAlgorithm;

export class JsonWebTokenError extends Error {
  constructor(message: string, code?: ErrorCode | Error);
  name: 'JsonWebTokenError' | 'TokenExpiredError' | 'NotBeforeError';
  code: ErrorCode;
  /** The claim that failed, for claim errors. */
  claim?: string;
  /** The inner error, when constructed with one (as in jsonwebtoken). */
  inner?: Error;
}
export class TokenExpiredError extends JsonWebTokenError {
  constructor(message: string, expiredAt: Date);
  name: 'TokenExpiredError';
  code: 'ERR_JWT_EXPIRED';
  expiredAt: Date;
}
export class NotBeforeError extends JsonWebTokenError {
  constructor(message: string, date: Date);
  name: 'NotBeforeError';
  code: 'ERR_JWT_NOT_ACTIVE';
  date: Date;
}

export interface JwkOct {
  kty: 'oct';
  k: string;
  kid?: string;
  alg?: Algorithm;
  use?: string;
  key_ops?: string[];
  [member: string]: unknown;
}
/** An RSA, EC (P-256/384/521) or OKP (Ed25519) JWK, public or with private members. */
export interface JwkAsymmetric {
  kty: 'RSA' | 'EC' | 'OKP';
  crv?: 'P-256' | 'P-384' | 'P-521' | 'Ed25519';
  kid?: string;
  alg?: AsymmetricAlgorithm;
  use?: string;
  key_ops?: string[];
  [member: string]: unknown;
}
export type Jwk = JwkOct | JwkAsymmetric;
export interface JwkSet {
  keys: Array<Jwk | { kty: string; [member: string]: unknown }>;
}
/** A key prepared by importKey(). */
export class JwtKey {
  private constructor();
  readonly type: 'secret' | 'public' | 'private' | 'set';
}
/** A Node.js public or private KeyObject (crypto.createPublicKey / createPrivateKey). */
export interface AsymmetricKeyObjectLike {
  type: 'public' | 'private';
  export(options: { type: string; format: 'pem' }): string | Uint8Array;
}
/** PEM text: PUBLIC KEY, RSA PUBLIC KEY, PRIVATE KEY, RSA PRIVATE KEY, EC PRIVATE KEY or CERTIFICATE. */
export type Pem = string;
/** A Node.js secret KeyObject (crypto.createSecretKey), accepted as jsonwebtoken does. */
export interface SecretKeyObjectLike {
  type: 'secret';
  export(): Uint8Array;
}
/** A secret (string, bytes, oct JWK) or, for the RS, PS, ES and EdDSA algorithms, a PEM string, JWK or KeyObject. */
export type Secret =
  | string
  | Pem
  | Uint8Array
  | ArrayBuffer
  | Jwk
  | JwtKey
  | SecretKeyObjectLike
  | AsymmetricKeyObjectLike
  /** jsonwebtoken's form; a `passphrase` (an encrypted key) is refused. */
  | { key: Pem | Uint8Array | AsymmetricKeyObjectLike };
/** A key, a JWK Set, or a function given the decoded, not yet verified, header. */
export type VerifyKey = Secret | JwkSet | ((header: JwtHeader) => Secret | JwkSet);
/** jsonwebtoken's asynchronous key function, for verify's callback form and verifyAsync. */
export type KeyCallbackFunction = (header: JwtHeader, done: (error: unknown, key?: Secret | JwkSet) => void) => void;

export interface JwtHeader {
  alg: string;
  typ?: string;
  kid?: string;
  [member: string]: unknown;
}
export interface JwtPayload {
  iss?: string;
  sub?: string;
  aud?: string | string[];
  exp?: number;
  nbf?: number;
  iat?: number;
  jti?: string;
  [claim: string]: unknown;
}
export interface CompleteToken<P = JwtPayload> {
  header: JwtHeader;
  payload: P;
  /** The signature, base64url text. */
  signature: string;
}

/** A number of seconds, or a time span with a unit as the `ms` package reads it ('90s', '2 days'). */
export type TimeSpan = number | `${number}${string}`;

export interface SignOptions {
  /** Default: the key's own (HS256 for a secret, RS256 for RSA, ES256/384/512, EdDSA, or the JWK's alg). 'none' is refused. */
  algorithm?: Algorithm;
  expiresIn?: TimeSpan;
  notBefore?: TimeSpan;
  audience?: string | string[];
  issuer?: string;
  subject?: string;
  /** A string, or true for a random 128-bit base64url id. */
  jwtid?: string | true;
  /** The header `kid`. */
  keyid?: string;
  /** Extra header members; may not change `alg`. */
  header?: Record<string, unknown>;
  /** Do not add `iat`. */
  noTimestamp?: boolean;
  /** Seconds since the epoch to use for `iat` (default: now). */
  timestamp?: number;
  /** Accept HMAC secrets shorter than the hash output (32/48/64 bytes). */
  allowWeakKey?: boolean;
}

export interface VerifyOptions {
  /** Default: the algorithms of the key's family (HS256/384/512 for a secret). Never 'none'. */
  algorithms?: Algorithm[];
  audience?: string | RegExp | Array<string | RegExp>;
  issuer?: string | string[];
  subject?: string;
  jwtid?: string;
  /** The header `typ`, compared case-insensitively, `application/` optional. */
  typ?: string;
  /** Seconds of leeway for exp, nbf and maxAge. Default 0. */
  clockTolerance?: number;
  maxAge?: TimeSpan;
  currentTime?: Date | number;
  /** jsonwebtoken's name for currentTime (seconds). */
  clockTimestamp?: number;
  ignoreExpiration?: boolean;
  ignoreNotBefore?: boolean;
  requiredClaims?: string[];
  complete?: boolean;
  /** Default 16384 characters; longer tokens are refused before decoding. */
  maxTokenLength?: number;
  allowWeakKey?: boolean;
  /** OpenID Connect: the ID token's `nonce` must equal this. */
  nonce?: string;
}

export type VerifyCallback<T> = (error: JsonWebTokenError | null, result: T | undefined) => void;
export type SignCallback = (error: JsonWebTokenError | null, token: string | undefined) => void;

export function sign(payload: object, key: Secret, options?: SignOptions): string;
export function sign(payload: object, key: Secret, callback: SignCallback): void;
export function sign(payload: object, key: Secret, options: SignOptions | undefined, callback: SignCallback): void;

export function verify<P = JwtPayload>(token: string, key: VerifyKey, options: VerifyOptions & { complete: true }): CompleteToken<P>;
export function verify<P = JwtPayload>(token: string, key: VerifyKey, options?: VerifyOptions): P;
export function verify<P = JwtPayload>(token: string, key: VerifyKey | KeyCallbackFunction, callback: VerifyCallback<P>): void;
export function verify<P = JwtPayload>(
  token: string,
  key: VerifyKey | KeyCallbackFunction,
  options: VerifyOptions | undefined,
  callback: VerifyCallback<P | CompleteToken<P>>,
): void;

/** Decodes WITHOUT verifying. Returns null for anything that is not a well-formed token. */
export function decode<P = JwtPayload>(token: string, options: { complete: true }): CompleteToken<P> | null;
export function decode<P = JwtPayload>(token: string, options?: { complete?: false }): P | null;

export interface Signer {
  sign(payload: object): string;
}
export interface Verifier<P = JwtPayload> {
  verify(token: string): P;
}
export function createSigner(key: Secret, options?: SignOptions): Signer;
export function createVerifier<P = JwtPayload>(key: VerifyKey, options: VerifyOptions & { complete: true }): Verifier<CompleteToken<P>>;
export function createVerifier<P = JwtPayload>(key: VerifyKey, options?: VerifyOptions): Verifier<P>;

export function importKey(key: Secret | JwkSet, options?: { base64?: boolean }): JwtKey;
/** A new key pair (RSA 2048 for the RS and PS algorithms), as JWK objects with `alg` set. */
export function generateKeyPair(algorithm: AsymmetricAlgorithm): { privateKey: JwkAsymmetric; publicKey: JwkAsymmetric };
/** A key as a JWK: public members only unless `{ private: true }` (a secret needs it). */
export function exportJWK(key: Secret, options?: { private?: boolean }): Jwk;
/** A key as PEM: SPKI PUBLIC KEY, or PKCS#8 PRIVATE KEY with `{ private: true }`. */
export function exportPEM(key: Secret, options?: { private?: boolean }): string;
/** Base64url text of 32/48/64 random bytes; usable directly as a secret string. */
export function generateSecret(algorithm?: HmacAlgorithm): string;

export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';
export interface InspectProblem {
  code: ErrorCode;
  message: string;
  part: 'header' | 'payload' | 'signature' | 'token';
  /** Index into the input of the offending character. */
  position: number;
  line?: number | null;
  column?: number | null;
}
export interface InspectReport {
  parts: Array<{ name: 'header' | 'payload' | 'signature'; text: string; start: number; end: number }>;
  header: JwtHeader | null;
  payload: JwtPayload | null;
  error: InspectProblem | null;
  errors: InspectProblem[];
  algorithm: string | null;
  signature: { status: 'valid' | 'invalid' | 'not checked'; code?: ErrorCode | null; message?: string | null };
  claims: Array<{
    name: string;
    description: string;
    value: unknown;
    date?: string | null;
    relative?: string | null;
    inForce?: boolean | null;
  }>;
  warnings: Array<{ code: string; severity: Severity; message: string }>;
}
export function inspect(
  token: string,
  key?: Secret | JwkSet | null,
  options?: { currentTime?: Date | number; base64?: boolean },
): InspectReport;

/** Resolves at once where the module starts synchronously; needed only for `jwtkit/web`. */
export function init(input?: unknown): Promise<void>;

declare const jwt: {
  sign: typeof sign;
  verify: typeof verify;
  decode: typeof decode;
  inspect: typeof inspect;
  createSigner: typeof createSigner;
  createVerifier: typeof createVerifier;
  importKey: typeof importKey;
  generateSecret: typeof generateSecret;
  generateKeyPair: typeof generateKeyPair;
  exportJWK: typeof exportJWK;
  exportPEM: typeof exportPEM;
  createRemoteJWKSet: typeof import('./remote.js').createRemoteJWKSet;
  verifyAsync: typeof import('./remote.js').verifyAsync;
  verifyRequestAsync: typeof import('./remote.js').verifyRequestAsync;
  init: typeof init;
  JsonWebTokenError: typeof JsonWebTokenError;
  TokenExpiredError: typeof TokenExpiredError;
  NotBeforeError: typeof NotBeforeError;
};
export default jwt;
