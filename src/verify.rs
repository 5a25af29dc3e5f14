//! Verification: length, shape, header, key, constant-time signature, then claims.

use crate::algorithm::Algorithm;
use crate::base64url;
use crate::claims;
use crate::error::{Error, ErrorKind, Result};
use crate::header;
use crate::json;
use crate::key::{KeyOperation, KeySet};
use crate::options::VerifyOptions;
use crate::token;

/// A prepared verifier: keys and options are checked once, then each call only does the
/// per-token work.
///
/// ```
/// use jwtkit::{Key, KeyMeta, KeySet, Signer, Verifier, VerifyOptions, Algorithm};
/// let key = || Key::from_secret(b"a-32-byte-secret-for-hs256-demo!").unwrap();
/// let signer = Signer::new(key(), Algorithm::HS256, &Default::default()).unwrap();
/// let token = signer.sign_json(br#"{"sub":"ada","exp":2000}"#);
/// let verifier = Verifier::new(KeySet::single(key(), KeyMeta::default()), VerifyOptions::default()).unwrap();
/// let verified = verifier.verify(&token, 1000.0).unwrap();
/// assert_eq!(verified.payload, r#"{"sub":"ada","exp":2000}"#);
/// assert_eq!(verifier.verify(&token, 2000.0).unwrap_err().code(), "ERR_JWT_EXPIRED");
/// ```
#[derive(Debug)]
pub struct Verifier {
    keys: KeySet,
    options: VerifyOptions,
    allowed: Vec<Algorithm>,
}

/// A verified token: the decoded header and payload JSON text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// The header JSON text, as signed.
    pub header: String,
    /// The payload JSON text, as signed.
    pub payload: String,
}

impl Verifier {
    /// A verifier for tokens signed by one of `keys`.
    pub fn new(keys: KeySet, options: VerifyOptions) -> Result<Verifier> {
        options.check()?;
        if keys.is_empty() {
            return Err(Error::new(ErrorKind::KeyInvalid, "no usable key: the JWK Set has no key this build supports"));
        }
        if !keys.is_set() {
            // Refused now rather than with every token (key selection refuses it too): a JWK
            // Set skips such keys instead, as it may hold keys for other uses.
            for (_, meta) in keys.iter() {
                meta.check_allows(KeyOperation::Verify)?;
            }
        }
        let allowed = match &options.algorithms {
            Some(list) => list.clone(),
            // A JWK Set's keys each serve only their own algorithms (key selection checks
            // it), so a token no key fits is reported as ERR_JWKS_NO_MATCH.
            None if keys.is_set() => Algorithm::ALL.to_vec(),
            None => default_allowed(&keys, options.allow_weak_key),
        };
        Ok(Verifier { keys, options, allowed })
    }

    /// The options this verifier checks.
    pub fn options(&self) -> &VerifyOptions {
        &self.options
    }

    /// Verifies `token` at time `now` (seconds since the epoch).
    pub fn verify(&self, token: &str, now: f64) -> Result<Verified> {
        let mut scratch = Scratch::default();
        let payload = self.verify_payload(token, now, &mut scratch)?;
        Ok(Verified { header: scratch.header_json().to_owned(), payload })
    }

    /// The fast path: verifies `token` and returns only the payload JSON text. `scratch`
    /// belongs to this verifier; it remembers the last header, so tokens from one issuer
    /// (which share the exact header text) skip decoding and checking it again.
    pub fn verify_payload(&self, token: &str, now: f64, scratch: &mut Scratch) -> Result<String> {
        self.verify_payload_bytes(token, now, scratch).map(into_text)
    }

    /// Like [`Verifier::verify_payload`], returning the payload as UTF-8 bytes (checked by
    /// the strict JSON parser), for callers that copy them out anyway.
    pub fn verify_payload_bytes(&self, token: &str, now: f64, scratch: &mut Scratch) -> Result<Vec<u8>> {
        verify_token(&self.keys, &self.options, &self.allowed, token, now, scratch)
    }
}

/// Per-verifier memory reused across calls: the last accepted header.
#[derive(Debug, Default)]
pub struct Scratch {
    header: Option<CheckedHeader>,
}

impl Scratch {
    /// The JSON text of the header of the last token that got past the header checks.
    pub fn header_json(&self) -> &str {
        self.header.as_ref().map_or("", |h| &h.json)
    }
}

/// A header that passed every check that depends only on the header and the options.
#[derive(Debug)]
struct CheckedHeader {
    encoded: String,
    json: String,
    alg: Algorithm,
    key: usize,
    typ_accepted: bool,
}

/// The algorithms of the keys' own families, in RFC order, whatever their strength (the
/// inspector checks signatures with weak keys too; a verifier uses [`default_allowed`]).
pub fn default_algorithms(keys: &KeySet) -> Vec<Algorithm> {
    let mut all: Vec<Algorithm> = Vec::new();
    for (key, _) in keys.iter() {
        for alg in key.default_algorithms() {
            if !all.contains(alg) {
                all.push(*alg);
            }
        }
    }
    all
}

/// The algorithms a verifier allows when its options name none: those of the keys' own
/// families, narrowed to a key's JWK `alg` when it has one. A secret allows only the HMAC
/// algorithms it is long enough for, unless `allow_weak_key`: otherwise a token forged with
/// `"alg":"HS512"` against a 32-byte secret would be refused as ERR_KEY_TOO_WEAK, which
/// blames the configuration and advises weakening it. A secret too short for every algorithm
/// it may serve keeps them all, so that verifying reports the weak key.
pub fn default_allowed(keys: &KeySet, allow_weak_key: bool) -> Vec<Algorithm> {
    let mut all: Vec<Algorithm> = Vec::new();
    for (key, meta) in keys.iter() {
        let mut candidates: Vec<Algorithm> =
            key.default_algorithms().iter().copied().filter(|alg| meta.alg.is_none_or(|only| only == *alg)).collect();
        // Only a secret's strength depends on the algorithm (an RSA key is weak for all or none).
        let strong_enough = |alg: &Algorithm| key.check_strength(*alg, allow_weak_key).is_ok();
        if candidates.iter().any(strong_enough) {
            candidates.retain(strong_enough);
        }
        for alg in candidates {
            if !all.contains(&alg) {
                all.push(alg);
            }
        }
    }
    all
}

/// The whole check, in order: length, shape (three canonical base64url parts), header (`alg`
/// allowed and fitting the key, before the key is used), constant-time signature, payload,
/// `typ`, claims. Returns the payload JSON text as UTF-8 bytes; the header is left in `scratch`.
pub fn verify_token(
    keys: &KeySet,
    options: &VerifyOptions,
    allowed: &[Algorithm],
    token: &str,
    now: f64,
    scratch: &mut Scratch,
) -> Result<Vec<u8>> {
    if !now.is_finite() {
        // Every comparison with NaN is false: such a time would pass both exp and nbf.
        return Err(Error::new(ErrorKind::InvalidOption, "the current time must be a finite number of seconds"));
    }
    with_parts(token, options, |parts| checked_parts(keys, options, allowed, parts, now, scratch))
}

/// Only what the signature depends on: length, shape, header (`alg` allowed and fitting the
/// key), key strength, then the signature itself. The payload is not decoded and no claim is
/// looked at, so a correctly signed token passes whatever its claims say: the inspector
/// reports the signature apart from the claims.
pub(crate) fn verify_signature(
    keys: &KeySet,
    options: &VerifyOptions,
    allowed: &[Algorithm],
    token: &str,
) -> Result<()> {
    with_parts(token, options, |parts| {
        checked_signature(keys, options, allowed, parts, &mut Scratch::default())?;
        // Not decoded, the payload is still held to the shape every verified token has.
        if base64url::is_canonical(parts.payload) {
            Ok(())
        } else {
            Err(Error::malformed("jwt malformed"))
        }
    })
}

/// The length guard and the fast split, then `check` on the parts.
fn with_parts<T>(
    token: &str,
    options: &VerifyOptions,
    check: impl FnOnce(token::Compact<'_>) -> Result<T>,
) -> Result<T> {
    if token.len() > options.max_token_length {
        return Err(Error::new(
            ErrorKind::TooLarge,
            format!("jwt is longer than maxTokenLength ({} characters)", options.max_token_length),
        ));
    }
    let Some(parts) = token::split_fast(token) else {
        return Err(shape_error(token).unwrap_or_else(|| Error::malformed("jwt malformed")));
    };
    // The fast split checks no characters; every part is checked on the way instead (the
    // header when decoded or matched against the checked cached one, the signature by
    // decoding or by equality with the expected encoding, the payload when decoded). So a
    // token that passes is three canonical base64url parts; on failure, a shape error found
    // by the full check is reported first, exactly as if it had run before everything else.
    check(parts).map_err(|e| shape_error(token).unwrap_or(e))
}

/// The error for a token that is not three canonical base64url parts, if it is not.
fn shape_error(token: &str) -> Option<Error> {
    match token::split(token) {
        Err(e) => Some(e),
        Ok(parts) => [parts.header, parts.payload, parts.signature]
            .into_iter()
            .any(|part| !base64url::is_canonical(part))
            .then(|| Error::malformed("jwt malformed")),
    }
}

/// The header (checked, or matched against the cached checked one) and the signature. The
/// checked header is left in `scratch`.
fn checked_signature(
    keys: &KeySet,
    options: &VerifyOptions,
    allowed: &[Algorithm],
    parts: token::Compact<'_>,
    scratch: &mut Scratch,
) -> Result<()> {
    let header = match &scratch.header {
        Some(cached) if cached.encoded == parts.header => cached,
        _ => scratch.header.insert(check_header(keys, options, allowed, parts.header)?),
    };
    let key = keys.get(header.key).expect("the cached index is of this key set");
    key.verify_encoded(header.alg, parts.signing_input.as_bytes(), parts.signature)
}

/// Everything after the shape: header, signature, payload, `typ`, claims.
fn checked_parts(
    keys: &KeySet,
    options: &VerifyOptions,
    allowed: &[Algorithm],
    parts: token::Compact<'_>,
    now: f64,
    scratch: &mut Scratch,
) -> Result<Vec<u8>> {
    checked_signature(keys, options, allowed, parts, scratch)?;
    let typ_accepted = scratch.header.as_ref().is_some_and(|header| header.typ_accepted);

    let payload_bytes = base64url::decode(parts.payload)?;
    let claims = json::parse_object(&payload_bytes)
        .map_err(|e| Error::malformed(format!("jwt malformed: payload: {}", e.message)))?;
    if !typ_accepted {
        return Err(claims::typ_error());
    }
    claims::validate(&claims, options, now)?;
    drop(claims);
    Ok(payload_bytes)
}

fn check_header(keys: &KeySet, options: &VerifyOptions, allowed: &[Algorithm], encoded: &str) -> Result<CheckedHeader> {
    let bytes = base64url::decode(encoded)?;
    let header = header::parse(&bytes)?;
    let alg = header::algorithm(&header)?;
    if !allowed.contains(&alg) {
        return Err(Error::new(ErrorKind::AlgorithmNotAllowed, "invalid algorithm"));
    }
    let key = keys.select_index(alg, header::kid(&header))?;
    keys.get(key).expect("select_index returns an index of the set").check_strength(alg, options.allow_weak_key)?;
    let typ_accepted = claims::check_typ(&header, options).is_ok();
    drop(header);
    Ok(CheckedHeader { encoded: encoded.to_owned(), json: into_text(bytes), alg, key, typ_accepted })
}

/// Bytes the strict scanner accepted are UTF-8.
fn into_text(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::key::{Key, KeyMeta};

    #[test]
    fn the_signature_alone_passes_only_with_a_canonical_payload_part() {
        let secret = b"0123456789abcdef0123456789abcdef";
        let keys = KeySet::single(Key::from_secret(secret).unwrap(), KeyMeta::default());
        let signed = |input: &str| {
            let mut mac = Vec::new();
            Key::from_secret(secret).unwrap().sign_into(Algorithm::HS256, input.as_bytes(), &mut mac).unwrap();
            format!("{input}.{}", base64url::encode(&mac))
        };
        let header = base64url::encode(br#"{"alg":"HS256"}"#);
        let check = |token: &str| verify_signature(&keys, &VerifyOptions::default(), &Algorithm::HMAC, token);
        // "e30" is "{}"; "e31" decodes to it too, with a stray bit set in its last character.
        assert!(check(&signed(&format!("{header}.e30"))).is_ok());
        assert_eq!(check(&signed(&format!("{header}.e31"))).unwrap_err().code(), "ERR_JWT_MALFORMED");
    }
}
