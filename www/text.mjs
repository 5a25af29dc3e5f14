// Every piece of user-facing text on the inspector page lives here: labels, status lines,
// claim and header descriptions, and the explanation of every `inspect` warning code.
// Nothing in this file touches the DOM or the package; app.mjs puts these strings on the
// page with `textContent`, so none of them is ever parsed as HTML.

/** Static labels, filled into elements carrying `data-text="<key>"` (and `data-text-attr`). */
export const UI = {
  pageTitle: 'jwtkit inspector: decode, verify and encode JSON Web Tokens',
  skipLink: 'Skip to the token',
  heading: 'jwtkit inspector',
  tagline: 'Decode, verify, encode and explain JSON Web Tokens.',
  privacy:
    'Everything happens in this page: your tokens, secrets and keys never leave the browser. ' +
    'The page loads only its own files and its Content-Security-Policy forbids any other request.',
  loading: 'Loading the jwtkit WebAssembly module…',
  tabDecoder: 'Decoder',
  tabEncoder: 'Encoder',
  tabsLabel: 'Inspector mode',

  // decoder
  tokenLabel: 'Encoded token',
  tokenHelp:
    'Paste a token: a bare JWT, "Bearer <token>", or a token split over several lines. ' +
    'It is decoded as you type.',
  tokenPlaceholder: 'eyJhbGciOi… or Bearer eyJhbGciOi…',
  legendLabel: 'Colours of the token parts',
  legendHeader: 'header',
  legendPayload: 'payload',
  legendSignature: 'signature',
  copyToken: 'Copy token',
  copyLink: 'Copy share link',
  copyLinkHelp: 'The link carries the token in its #fragment, never the secret.',
  clearToken: 'Clear',
  loadExample: 'Load an example',
  exampleHelp: 'Example keys and secrets are generated in this page when you ask for them; nothing leaves the browser.',
  editInEncoder: 'Edit in encoder',
  statusHeading: 'Status',
  verifyHeading: 'Verify signature',
  algorithmLabel: 'Algorithm (from the header)',
  secretLabel: 'Secret',
  secretPlaceholder: 'the HMAC secret the token was signed with',
  secretEncodingLabel: 'Secret encoding',
  encodingUtf8: 'UTF-8 text',
  encodingBase64url: 'base64url bytes',
  publicKeyLabel: 'Public key',
  publicKeyPlaceholder:
    '-----BEGIN PUBLIC KEY-----\n…\n-----END PUBLIC KEY-----\n\nor a JWK {"kty": …} or a JWK Set {"keys": [ … ]}',
  embeddedHeading: 'Keys named by the token itself',
  embeddedHelp:
    'Untrusted: chosen by whoever made the token. Anyone can sign a token with their own key and put that key, ' +
    'or a link to it, in the header. They are shown here and never used to verify.',
  untrustedBadge: 'untrusted',
  convertToJwk: 'Convert to JWK',
  exampleAlgLabel: 'Algorithm of the example',
  claimsCheckHeading: 'Check the claims as a server would',
  checkTimeLabel: 'Check as of',
  checkTimeHelp: 'In your local time zone. Leave empty to check exp and nbf against the current time.',
  checkTimeNow: 'Use now',
  audienceLabel: 'Expected audience (aud)',
  audiencePlaceholder: 'e.g. https://api.example.com (comma-separated for several)',
  issuerLabel: 'Expected issuer (iss)',
  issuerPlaceholder: 'e.g. https://issuer.example.com',
  headerHeading: 'Header',
  payloadHeading: 'Payload',
  copyHeader: 'Copy header JSON',
  copyPayload: 'Copy payload JSON',
  claimsHeading: 'Claims',
  claimsCaption: 'Every claim of the payload and what it means.',
  claimsColName: 'Claim',
  claimsColValue: 'Value',
  claimsColMeaning: 'Meaning',
  claimsColTime: 'Date',
  findingsHeading: 'Security findings',
  findingsHelp: 'What the inspector noticed about this token, and what an attacker would try.',

  // encoder
  encHeaderLabel: 'Header (JSON)',
  encPayloadLabel: 'Payload (JSON)',
  encSignHeading: 'Sign with',
  encAlgorithmLabel: 'Algorithm',
  encSecretLabel: 'Secret',
  encSecretPlaceholder: 'the HMAC secret to sign with',
  generateSecret: 'Generate secret',
  encPrivateKeyLabel: 'Private key',
  encPrivateKeyHelp:
    'PEM (PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY) or a JWK with its private members. ' +
    'It stays in this page.',
  encPrivateKeyPlaceholder: '-----BEGIN PRIVATE KEY-----\n…\n-----END PRIVATE KEY-----\n\nor a JWK {"kty": …, "d": …}',
  generateKeyPair: 'Generate key pair',
  encPublicKeyLabel: 'Matching public key',
  encPublicKeyHelp: 'Give this to whoever verifies the tokens; it cannot sign.',
  encPublicFormatLabel: 'Format',
  formatPem: 'PEM',
  formatJwk: 'JWK',
  copyPublicKey: 'Copy public key',
  algGroupHmac: 'HMAC: a shared secret',
  algGroupRsa: 'RSA PKCS#1 v1.5: an RSA key pair',
  algGroupPss: 'RSA-PSS: an RSA key pair',
  algGroupEcdsa: 'ECDSA: an elliptic-curve key pair',
  algGroupEddsa: 'EdDSA: an Ed25519 key pair',
  encOutputLabel: 'Signed token',
  copySigned: 'Copy signed token',
  openInDecoder: 'Open in decoder',
  setIatNow: 'iat = now',
  setExpHour: 'exp = in 1 hour',
  encHelpers: 'Quick edits of the payload',

  footer:
    'jwtkit runs the same Rust core here as in the npm package, compiled to WebAssembly. ' +
    'Nothing you type is stored or sent anywhere.',
  noWasm: 'The jwtkit package could not be loaded. Build it with `make pkg`, then reload.',
};

/** Status lines of the decoder (three visible verdicts plus "not checked"). */
export const STATUS = {
  empty: { title: 'No token', detail: 'Paste a token above to decode it.' },
  verified: { title: 'Signature verified', detail: 'The signature matches the secret.' },
  invalid: { title: 'Invalid signature', detail: 'The signature does not match this secret.' },
  malformed: { title: 'Malformed token', detail: '' },
  unchecked: {
    title: 'Signature not checked',
    detail: 'Enter the secret to check the signature. The decoded content below is not trusted until then.',
  },
};

/** Explanations of a verify refusal, keyed by the package's error `code`. */
export const VERIFY_ERRORS = {
  ERR_JWS_INVALID_SIGNATURE: 'The signature does not match this key and algorithm.',
  ERR_JWS_ALG_NOT_ALLOWED: 'The token\'s algorithm is not accepted for this key.',
  ERR_JWKS_NO_MATCH: 'No key in the JWK Set fits the token (its kid, alg, use and key type are compared).',
  ERR_JWS_CRIT_UNSUPPORTED:
    'The header lists a critical extension ("crit") that this verifier does not understand, so it must refuse the token.',
  ERR_JWT_MALFORMED: 'The token is not a well-formed compact JWS.',
  ERR_JWT_TOO_LARGE: 'The token is longer than the 16384 characters a verifier accepts by default.',
  ERR_JWT_EXPIRED: 'The token has expired (exp is before the check time).',
  ERR_JWT_NOT_ACTIVE: 'The token is not valid yet (nbf is after the check time).',
  ERR_JWT_CLAIM_INVALID: 'A claim does not have the expected value.',
  ERR_JWT_CLAIM_MISSING: 'A required claim is missing.',
  ERR_KEY_INVALID: 'The key cannot be used.',
  ERR_KEY_TOO_WEAK: 'The secret is too short for this algorithm.',
};

/** Parameterised messages. */
export const MSG = {
  algNone: 'alg "none": this token has no signature and no verifier should accept it.',
  algAsymmetric: (alg) =>
    `${alg} is an asymmetric algorithm that jwtkit does not implement (it supports RS256/384/512, PS256/384/512, ES256/384/512 and EdDSA with Ed25519).`,
  algUnknown: (alg) => `Unknown algorithm ${JSON.stringify(alg)}.`,
  algMissing: 'The header has no "alg" member.',
  claimsOk: (when) => `Claims accepted as of ${when}.`,
  claimsFailed: (msg) => `Claims refused: ${msg}`,
  claimsNotChecked: 'Claims are checked once the signature is.',
  verifiedButExpired: 'Signature verified, but the token has expired.',
  keyError: (msg) => `The secret cannot be used: ${msg}`,
  secretBadChar: (pos, ch) => `Not base64url: character ${pos + 1} is ${JSON.stringify(ch)}.`,
  secretBadLength: 'Not base64url: the length is not possible for base64url (one character too many).',
  secretEmpty: 'The secret is empty.',
  weakSecret: (bytes, need, alg) =>
    `Weak secret: ${bytes} bytes, but ${alg} needs at least ${need} (RFC 7518 section 3.2). Checked anyway for you; a server using jwtkit refuses it.`,
  encWeakSecret: (bytes, need, alg) =>
    `Weak secret: ${bytes} bytes, ${alg} needs at least ${need}. Signed anyway for testing; use "Generate secret" for a real one.`,
  malformedParts: (n) =>
    n < 3
      ? `A JWS in compact form has three parts separated by two dots; this one has ${n}.`
      : `A JWS in compact form has three parts separated by two dots; this one has ${n}: the part after the second dot is not allowed.`,
  malformedAt: (part, pos) => `The ${part} is malformed at character ${pos + 1} of the token.`,
  malformedPart: (part) => `The ${part} is malformed.`,
  malformedJsonAt: (part, line, column, pos) =>
    `The ${part} decodes, but not to a JSON object: line ${line}, column ${column} of the decoded JSON` +
    (pos >= 0 ? ` (near character ${pos + 1} of the token).` : '.'),
  packageSays: (message, code) => `${message.charAt(0).toUpperCase()}${message.slice(1)}${code ? ` (${code})` : ''}.`,
  partEmpty: (part) => `The ${part} is empty.`,
  jsonError: (line, col, msg) => `Line ${line}, column ${col}: ${msg}`,
  jsonNotObject: (what) => `The ${what} must be a JSON object ({ … }).`,
  encAlgMismatch: (alg) =>
    `The encoder signs with HS256, HS384 or HS512 (a secret), or RS*, PS*, ES* and EdDSA (a private key); the header says ${JSON.stringify(alg)}.`,
  encNeedSecret: 'Enter a secret (or generate one) to sign.',
  signFailed: (msg) => `Cannot sign: ${msg}`,
  copied: 'Copied to the clipboard.',
  copyFailed: 'Copy failed: select the text and copy it by hand.',
  preloaded: 'Token loaded from the link.',
  noFindings: 'No findings for this token.',
  noClaims: 'No claims to show.',
  noFindingsMalformed: 'The token could not be decoded; its findings appear once it can.',
  findingWhy: 'Why it matters: ',
  findingFix: 'How to fix: ',
  severity: (s) => String(s || 'info'),
  headerMember: (name) => `Header member "${name}"`,
  claimTitle: (name, description) => (description ? `${name}: ${description}` : name),
  unknownClaim: 'Not a registered or common claim: its meaning is up to the issuer.',
  inForce: 'in force',
  notInForce: 'not in force',
  decodedNotTrusted: 'decoded, not verified',

  // public keys in the decoder
  verifiedPublic: 'The signature matches this public key.',
  invalidPublic: 'The signature does not match this public key.',
  verifiedWithTokenKey: (member) =>
    `The signature matches, but the key is the one the token carries in its own "${member}" header member: ` +
    'whoever made the token chose it, so this proves nothing. Verify with a key you got from the issuer.',
  needPublicKey: (alg, family) =>
    `${alg} is checked with a public key: paste ${needs(family)} (PEM or JWK) in the public key box. ` +
    'The decoded content below is not trusted until then.',
  publicKeyUnreadable: (why) => `The public key cannot be read: ${why}`,
  publicKeyError: (msg) => `The public key cannot be used: ${msg}`,
  keyFamilyMismatch: (alg, family, need) =>
    `This is ${FAMILY[family] ?? 'a key of another type'}, but ${alg} tokens need ${needs(need)}: a verifier refuses it (ERR_JWS_ALG_NOT_ALLOWED).`,
  publicKeyNeeds: (alg, family) =>
    `${alg} needs ${needs(family)}, as PEM (${family === 'RSA' ? 'PUBLIC KEY, RSA PUBLIC KEY' : 'PUBLIC KEY'} or CERTIFICATE), ` +
    'JWK or JWK Set (the key with the token\'s kid is taken).',
  convertTo: (to) => (to === 'jwk' ? 'Convert to JWK' : 'Convert to PEM'),
  convertSet: 'A JWK Set holds several keys; convert a single key',
  converted: (to) => (to === 'jwk' ? 'Converted to JWK.' : 'Converted to PEM.'),
  convertFailed: (msg) => `Cannot convert: ${msg}`,
  convertedPublicHalf: 'Converted the public half only: the private members were left out.',
  keyIsPrivate:
    'This is a private key: only its public half is used to verify. Whoever holds a private key can sign tokens; ' +
    'keep real ones out of web pages and tickets.',
  keyWeakRsa: (bits) =>
    `RSA key of ${bits} bits: jwtkit refuses RSA keys under 2048 bits unless allowWeakKey is set. Checked anyway here.`,
  keyBlocks: (n, label) => `${n} PEM blocks: the first key block (${label}) is used.`,
  keyEscaped: 'The PEM had its line breaks written as \\n (as in JSON or .env files); they were read as line breaks.',
  keyCertificate: 'A certificate: its public key is used. The certificate itself (issuer, validity dates, chain) is not checked.',
  keyFromToken: (member) =>
    `This is the key from the token's own "${member}" header member. Anyone can sign a token and attach their own key: ` +
    'a signature checked with it proves nothing.',

  // keys in the token's header
  embeddedJwk: (family, bits, hasPrivate) =>
    `${FAMILY_SHORT[family] ?? 'unrecognised'} key${bits ? ` (${bits} bits)` : ''} embedded in the header` +
    (hasPrivate ? ', private members included.' : '.'),
  embeddedX5c: (count) => `a chain of ${count} certificate${count === 1 ? '' : 's'} embedded in the header.`,
  embeddedJku: (url) => `a URL to fetch a JWK Set from: ${url}. The inspector never fetches it.`,
  embeddedX5u: (url) => `a URL to fetch a certificate from: ${url}. The inspector never fetches it.`,
  embeddedNotUsed: 'Not used to verify.',

  // examples
  exampleSecret: (alg) => `Example ${alg} token with a random secret generated in this page.`,
  exampleKeyPair: (alg) =>
    `Example ${alg} token, signed with a key pair generated in this page (generateKeyPair). Its public key is in the public key box; nothing left the browser.`,
  generating: (alg) => `Generating a key pair for ${alg}…`,
  generateFailed: (msg) => `Cannot generate a key pair: ${msg}`,

  // the encoder's private key
  encNeedKey: (alg, need) => `To sign ${alg}, paste the private key of ${needs(need)} (PEM or JWK), or generate a key pair.`,
  encKeyPublic: 'This is a public key: signing needs the private key (PEM PRIVATE KEY, or a JWK with its "d" member).',
  encKeySet: 'A JWK Set: paste the one private key to sign with.',
  encKeyFamily: (alg, family, need) =>
    `This is ${FAMILY[family] ?? 'a key of another type'}; ${alg} signs with ${needs(need)}. Generate a key pair, or choose an algorithm for this key.`,
  encKeyUnreadable: (why) => `The private key cannot be read: ${why}`,
  encKeyError: (msg) => `The private key cannot be used: ${msg}`,
  encKeyGenerated:
    'Key pair generated in this page for testing: it is not stored and never leaves the browser. ' +
    'Changing the algorithm replaces it with one of the right type.',
  encWeakRsa: (bits) => `RSA key of ${bits} bits: jwtkit refuses to sign with RSA keys under 2048 bits unless allowWeakKey is set.`,
};

/** Key families, as the page names them in sentences. */
export const FAMILY = {
  hmac: 'a shared secret',
  RSA: 'an RSA key',
  'P-256': 'an EC P-256 key',
  'P-384': 'an EC P-384 key',
  'P-521': 'an EC P-521 key',
  Ed25519: 'an Ed25519 (OKP) key',
  oct: 'a secret (oct) key',
};
/** A key family as a requirement: RSA keys need 2048 bits or more. */
function needs(family) {
  if (family === 'RSA') return 'an RSA key of 2048 bits or more';
  return FAMILY[family] ?? 'the issuer\'s key';
}

/** Key families in short, for the format line. */
export const FAMILY_SHORT = {
  RSA: 'RSA',
  'P-256': 'EC P-256',
  'P-384': 'EC P-384',
  'P-521': 'EC P-521',
  Ed25519: 'Ed25519',
  oct: 'secret (oct)',
};

/** The options of the algorithm lists: the name and what it signs with. */
export const ALG_LABELS = {
  HS256: 'HS256 (HMAC SHA-256)',
  HS384: 'HS384 (HMAC SHA-384)',
  HS512: 'HS512 (HMAC SHA-512)',
  RS256: 'RS256 (RSA, SHA-256)',
  RS384: 'RS384 (RSA, SHA-384)',
  RS512: 'RS512 (RSA, SHA-512)',
  PS256: 'PS256 (RSA-PSS, SHA-256)',
  PS384: 'PS384 (RSA-PSS, SHA-384)',
  PS512: 'PS512 (RSA-PSS, SHA-512)',
  ES256: 'ES256 (ECDSA P-256)',
  ES384: 'ES384 (ECDSA P-384)',
  ES512: 'ES512 (ECDSA P-521)',
  EdDSA: 'EdDSA (Ed25519)',
};
/** Groups of the algorithm lists (UI keys of their labels). */
export const ALG_GROUPS = [
  ['algGroupHmac', ['HS256', 'HS384', 'HS512']],
  ['algGroupRsa', ['RS256', 'RS384', 'RS512']],
  ['algGroupPss', ['PS256', 'PS384', 'PS512']],
  ['algGroupEcdsa', ['ES256', 'ES384', 'ES512']],
  ['algGroupEddsa', ['EdDSA']],
];

/** Why a key box could not be read (logic.parseKeyText error kinds). */
export const KEY_FORMAT_ERRORS = {
  json: (e) => `not valid JSON: line ${e.line}, column ${e.column}: ${jsonMessage(e.json, e.ch)}`,
  'not-object': 'a JWK is a JSON object ({ … }) and a JWK Set is {"keys": [ … ]}.',
  'jwk-no-kty': 'this JSON object has no "kty" member, so it is not a JWK.',
  'jwk-oct': 'this JWK is a secret (kty "oct"), not a public or private key; HS* tokens use the secret field.',
  'jwks-empty': 'this JWK Set has no keys.',
  'pem-incomplete': 'the PEM block is not complete: it needs both its -----BEGIN …----- and -----END …----- lines.',
  'pem-label': (e) =>
    `a PEM "${e.label}" block is not a key this page reads: use PUBLIC KEY, RSA PUBLIC KEY, CERTIFICATE, PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY.`,
  'pem-encrypted': 'this private key is encrypted with a password; decrypt it first (openssl pkey -in key.pem -out plain.pem).',
  'pem-base64': (e) => `the PEM body holds ${JSON.stringify(e.ch)}, which is not base64.`,
  'pem-mismatch': (e) => `the block begins as ${e.label} but ends as ${e.end}.`,
  ssh: 'this is an OpenSSH key; convert it to PEM first (ssh-keygen -e -m PKCS8 -f key.pub).',
  'bare-base64':
    'this looks like base64 without its PEM lines: put -----BEGIN PUBLIC KEY----- before it and -----END PUBLIC KEY----- after it.',
  unknown: 'this is neither a PEM block (-----BEGIN …) nor a JWK ({"kty": …}).',
};

function jsonMessage(kind, ch) {
  const message = JSON_ERRORS[kind];
  return typeof message === 'function' ? message(ch) : message ?? kind;
}

/** The text for a key box error (logic.parseKeyText). */
export function keyFormatError(error) {
  const message = KEY_FORMAT_ERRORS[error.kind] ?? KEY_FORMAT_ERRORS.unknown;
  return typeof message === 'function' ? message(error) : message;
}

/**
 * The detected format of a key box, e.g. "PEM PUBLIC KEY (SPKI) · EC P-256 · public",
 * "JWK · RSA 2048 bits · private", "JWK Set · 3 keys (RSA, RSA, EC P-256)".
 */
export function keyFormat(parsed, info) {
  if (!parsed || parsed.empty) return '';
  if (parsed.error) return 'not recognised';
  if (parsed.format === 'jwks') {
    const kinds = parsed.families.map((f) => FAMILY_SHORT[f] ?? f).join(', ');
    return `JWK Set · ${parsed.count} key${parsed.count === 1 ? '' : 's'} (${kinds})`;
  }
  const what = parsed.format === 'pem' ? `PEM ${parsed.label} (${parsed.form})` : 'JWK';
  let family = FAMILY_SHORT[info?.family ?? parsed.family] ?? null;
  if (family && info?.bits) family += ` ${info.bits} bits`;
  return [what, family, parsed.private ? 'private' : 'public'].filter(Boolean).join(' · ');
}

/** JSON syntax error kinds (from the page's own position-reporting scanner). */
export const JSON_ERRORS = {
  'unexpected-end': 'the text ends too early.',
  'unexpected-char': (ch) => `unexpected ${JSON.stringify(ch)}.`,
  'expected-colon': 'expected ":" after the member name.',
  'expected-key': 'expected a member name in double quotes.',
  'expected-comma-object': 'expected "," or "}" after the member value.',
  'expected-comma-array': 'expected "," or "]" after the element.',
  'bad-escape': 'invalid escape sequence in the string.',
  'control-char': 'raw control character (such as a line break) inside a string.',
  'bad-number': 'invalid number.',
  'trailing': 'unexpected text after the JSON value.',
  'too-deep': 'nesting is too deep.',
};

/**
 * Relative time phrases for the time claims. `rel` is an already formatted relative span
 * from Intl.RelativeTimeFormat ("in 59 minutes", "13 years ago").
 */
export const TIME_PHRASE = {
  exp: (rel, future) => (future ? `expires ${rel}` : `expired ${rel}`),
  nbf: (rel, future) => (future ? `becomes valid ${rel}` : `valid since ${rel}`),
  iat: (rel, future) => (future ? `issued ${rel}, in the future` : `issued ${rel}`),
  auth_time: (rel, future) => (future ? `authenticated ${rel}, in the future` : `authenticated ${rel}`),
  updated_at: (rel) => `profile updated ${rel}`,
};

/** Registered (RFC 7519), OpenID Connect and other common claims. */
export const CLAIMS = {
  iss: 'Issuer: who created and signed the token (RFC 7519 4.1.1).',
  sub: 'Subject: whom the token is about, usually a user id, unique within the issuer (RFC 7519 4.1.2).',
  aud: 'Audience: the recipients the token is meant for; a server must refuse tokens not addressed to it (RFC 7519 4.1.3).',
  exp: 'Expiration time: the token must not be accepted on or after this time (seconds since 1970, RFC 7519 4.1.4).',
  nbf: 'Not before: the token must not be accepted before this time (RFC 7519 4.1.5).',
  iat: 'Issued at: when the token was created (RFC 7519 4.1.6).',
  jti: 'JWT ID: a unique identifier of this token, used to detect replay or to revoke it (RFC 7519 4.1.7).',
  auth_time: 'Authentication time: when the user last actively authenticated (OpenID Connect).',
  nonce: 'Nonce: a value from the authentication request, echoed to prevent replay (OpenID Connect).',
  acr: 'Authentication context class: how strongly the user was authenticated (OpenID Connect).',
  amr: 'Authentication methods: how the user authenticated, e.g. "pwd", "otp", "mfa" (OpenID Connect, RFC 8176).',
  azp: 'Authorized party: the client the ID token was issued to (OpenID Connect).',
  at_hash: 'Access token hash: binds the ID token to an access token (OpenID Connect).',
  c_hash: 'Code hash: binds the ID token to an authorization code (OpenID Connect).',
  s_hash: 'State hash: binds the ID token to the state parameter (FAPI).',
  sid: 'Session ID: the session at the identity provider, for logout (OpenID Connect).',
  name: 'Full name of the user (OpenID Connect standard claim).',
  given_name: 'Given or first name (OpenID Connect standard claim).',
  family_name: 'Surname or last name (OpenID Connect standard claim).',
  middle_name: 'Middle name (OpenID Connect standard claim).',
  nickname: 'Casual name (OpenID Connect standard claim).',
  preferred_username: 'The name the user likes to be called by; not unique, do not use it as an id (OpenID Connect).',
  profile: 'URL of the user\'s profile page (OpenID Connect standard claim).',
  picture: 'URL of the user\'s picture (OpenID Connect standard claim).',
  website: 'URL of the user\'s web page or blog (OpenID Connect standard claim).',
  email: 'Email address; only trust it when email_verified is true (OpenID Connect).',
  email_verified: 'Whether the identity provider verified the email address (OpenID Connect).',
  gender: 'Gender (OpenID Connect standard claim).',
  birthdate: 'Birthday, YYYY-MM-DD (OpenID Connect standard claim).',
  zoneinfo: 'Time zone, e.g. Europe/Paris (OpenID Connect standard claim).',
  locale: 'Locale, e.g. en-US (OpenID Connect standard claim).',
  phone_number: 'Phone number; only trust it when phone_number_verified is true (OpenID Connect).',
  phone_number_verified: 'Whether the phone number was verified (OpenID Connect).',
  address: 'Postal address, a JSON object (OpenID Connect standard claim).',
  updated_at: 'When the user\'s profile was last updated (OpenID Connect).',
  scope: 'Scopes granted to the client, space-separated (RFC 8693, OAuth 2.0 access tokens).',
  scp: 'Scopes granted to the client (a common variant of "scope").',
  client_id: 'The OAuth client the token was issued to (RFC 9068).',
  roles: 'Roles of the subject (RFC 9068 / SCIM).',
  groups: 'Groups of the subject (RFC 9068 / SCIM).',
  entitlements: 'Entitlements of the subject (RFC 9068 / SCIM).',
  cnf: 'Confirmation: the key the presenter must prove possession of (RFC 7800, DPoP, mTLS).',
  act: 'Actor: who acts on behalf of the subject in delegation (RFC 8693).',
  may_act: 'Who may act on behalf of the subject (RFC 8693).',
  htm: 'HTTP method of the request a DPoP proof is bound to (RFC 9449).',
  htu: 'HTTP URL of the request a DPoP proof is bound to (RFC 9449).',
  ath: 'Hash of the access token a DPoP proof is bound to (RFC 9449).',
  events: 'Security events carried by a Security Event Token (RFC 8417).',
  toe: 'Time of the event (RFC 8417).',
  txn: 'Transaction id shared by related tokens (RFC 8417).',
  tid: 'Tenant id (Microsoft Entra ID).',
  oid: 'Object id of the user (Microsoft Entra ID).',
  upn: 'User principal name (Microsoft Entra ID).',
  org_id: 'Organisation id (common in multi-tenant services).',
};

/** JOSE header members (RFC 7515 4.1 and friends). */
export const HEADER_MEMBERS = {
  alg: 'Algorithm used to sign the token. A verifier must decide the allowed algorithms itself and never trust this value alone.',
  typ: 'Media type of the whole token, usually "JWT" (RFC 7519 5.1).',
  cty: 'Content type of the payload; "JWT" for nested tokens (RFC 7519 5.2).',
  kid: 'Key id: a hint telling the verifier which of its keys to use.',
  jku: 'JWK Set URL: where to fetch the signing key. Never fetch keys from a URL the token chooses.',
  jwk: 'The signing key embedded in the token. Never trust it: anyone can sign with their own key.',
  x5u: 'X.509 certificate URL. Never fetch keys from a URL the token chooses.',
  x5c: 'X.509 certificate chain embedded in the token. Do not trust it without validating it against your own roots.',
  x5t: 'SHA-1 thumbprint of the signing certificate.',
  'x5t#S256': 'SHA-256 thumbprint of the signing certificate.',
  crit: 'Critical extensions: header members the verifier must understand, or else refuse the token.',
  b64: 'Unencoded payload option (RFC 7797).',
  zip: 'Compression of the payload (JWE only; not allowed in a JWS).',
  enc: 'Content encryption algorithm (JWE only).',
};

/**
 * The security findings panel: for each `inspect` warning code (stable codes of the package),
 * a title, why it matters and how to fix it. The package's own message is shown as well; a
 * code missing here falls back to FINDING_FALLBACK.
 */
export const FINDINGS = {
  ALG_NONE: {
    title: 'No signature (alg "none")',
    why: 'Anyone can write this token: there is nothing to check. Libraries that accept "none" let attackers forge any claims.',
    fix: 'Sign with HS256 or stronger and make the verifier accept only the algorithms you use (jwtkit never accepts "none").',
  },
  NO_SIGNATURE: {
    title: 'Empty signature',
    why: 'A token without a signature proves nothing about who made it; stripping the signature is a classic forgery attempt.',
    fix: 'Refuse unsigned tokens: verify with a fixed list of algorithms and a key you configured.',
  },
  ALG_UNKNOWN: {
    title: 'Unknown algorithm',
    why: 'Verifiers refuse an algorithm they do not know; a lenient one might fall back to something weaker.',
    fix: 'Use a registered JWS algorithm (HS256, RS256, ES256, EdDSA, ...) and pin it on the verifier.',
  },
  ALG_MISSING: {
    title: 'No algorithm (alg)',
    why: 'Without "alg" the token cannot be verified; libraries that guess an algorithm can be tricked.',
    fix: 'Issue tokens with an explicit "alg" and configure the allowed algorithms on the verifier.',
  },
  WEAK_KEY: {
    title: 'Weak secret',
    why: 'An HMAC secret shorter than the hash output can be brute-forced offline from a single token, after which an attacker signs anything.',
    fix: 'Use at least 32 random bytes for HS256 (48 for HS384, 64 for HS512), e.g. from generateSecret(), and rotate the old secret.',
  },
  KNOWN_SECRET: {
    title: 'Well-known secret',
    why: 'The token is signed with a secret from tutorials and default configurations; attackers try these first and can then sign any token.',
    fix: 'Replace the secret now with random bytes from generateSecret(), and treat every token signed with the old one as forged.',
  },
  NO_EXP: {
    title: 'No expiry (exp)',
    why: 'A token without exp is valid forever: once it leaks, it can be replayed until the key changes.',
    fix: 'Add exp (for example sign with expiresIn: "15m") and keep lifetimes short.',
  },
  EXPIRED: {
    title: 'Expired',
    why: 'Servers must refuse an expired token; one that accepts it has a broken expiry check.',
    fix: 'Get a fresh token from the issuer, or use "check as of" to see how it was judged when it was valid.',
  },
  LONG_LIFETIME: {
    title: 'Lifetime over a day',
    why: 'A long-lived token stays useful to whoever steals it, and it cannot be revoked without extra machinery.',
    fix: 'Issue short-lived access tokens (minutes to an hour) and use refresh tokens for long sessions.',
  },
  NOT_YET_VALID: {
    title: 'Not valid yet (nbf)',
    why: 'Servers refuse the token until its nbf time.',
    fix: 'Wait until nbf has passed, or check the issuer\'s clock.',
  },
  IAT_FUTURE: {
    title: 'Issued in the future (iat)',
    why: 'A token issued in the future points to a wrong clock on the issuer, or to a token forged to outlive its intended lifetime.',
    fix: 'Synchronise the issuer\'s clock (NTP); verifiers can refuse such tokens or allow only a small clock tolerance.',
  },
  CLAIM_TYPE: {
    title: 'Claim of the wrong type',
    why: 'Registered claims have fixed types (exp a number, iss a string); verifiers refuse or, worse, misread the others.',
    fix: 'Emit exp/nbf/iat as numbers of seconds, iss/sub/jti as strings and aud as a string or an array of strings.',
  },
  SENSITIVE_DATA: {
    title: 'Sensitive-looking data',
    why: 'The payload of a signed token is only base64url-encoded, not encrypted: anyone who sees the token can read it (in logs, browser storage, proxies).',
    fix: 'Keep passwords, secrets and personal data out of tokens; put an opaque id in the token and look the data up on the server.',
  },
  LARGE_TOKEN: {
    title: 'Large token',
    why: 'Big tokens slow every request, overflow cookie and header limits, and verifiers refuse tokens over 16384 characters.',
    fix: 'Move bulky data out of the token and keep only ids and short claims.',
  },
  CRIT: {
    title: 'Critical header extensions (crit)',
    why: 'A verifier must refuse the token if it does not understand every extension listed in crit; some libraries ignore crit and then misread the token.',
    fix: 'Avoid crit unless every verifier implements the extension (RFC 7515 4.1.11).',
  },
  EMBEDDED_KEY: {
    title: 'Untrusted key in the header: chosen by whoever made the token',
    why: 'jwk, jku, x5c and x5u let the token choose its own key: an attacker signs with their key and points to it. Verifiers that follow them are forgeable.',
    fix: 'Verify with keys configured on the server (or a JWK Set URL you chose), never with keys named by the token. jwtkit ignores these members.',
  },
  WEAK_RSA_KEY: {
    // added by the page (about the key typed in), not reported by inspect
    title: 'RSA key under 2048 bits',
    why: 'RSA moduli of 1024 bits are within reach of well-funded attackers and are refused by current libraries (jwtkit among them; NIST SP 800-131A).',
    fix: 'Issue tokens with an RSA key of 2048 bits or more, or move to ES256 or EdDSA.',
  },
  KID_SUSPICIOUS: {
    title: 'Suspicious key id (kid)',
    why: 'kid values with paths, quotes or URLs end up in file, database or HTTP look-ups in careless verifiers (path traversal, SQL injection).',
    fix: 'Treat kid as an opaque label and look it up as an exact string in a fixed key set.',
  },
};

export const FINDING_FALLBACK = {
  title: 'Finding',
  why: 'See the message above.',
  fix: 'Review the token and how it is issued.',
};

export const SEVERITY_LABEL = {
  critical: 'critical',
  high: 'high',
  error: 'high',
  medium: 'medium',
  warning: 'medium',
  warn: 'medium',
  low: 'low',
  info: 'info',
};

const relativeFormat = new Intl.RelativeTimeFormat('en', { numeric: 'always' });

/** "in 59 minutes", "13 years ago", "now", from a `{ value, unit }` span (logic.relativeSpan). */
export function formatSpan(span) {
  if (!span || span.value === 0) return 'now';
  return relativeFormat.format(span.value, span.unit);
}

/** The ISO date and relative phrase of a time claim, e.g. "2011-03-22T18:43:00Z, expired 13 years ago". */
export function describeTime(name, info) {
  const phrase = (TIME_PHRASE[name] ?? ((rel) => rel))(formatSpan(info.span), info.future);
  return { iso: info.iso, phrase, both: `${info.iso}, ${phrase}` };
}

/** A message from the package as a sentence: capital first letter, final full stop. */
export function sentence(message) {
  const text = message.trim();
  if (!text) return text;
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}${/[.!?]$/.test(text) ? '' : '.'}`;
}
