//! Verification: length, shape, header, key, constant-time signature, then claims.

use crate::algorithm::Algorithm;
use crate::base64url;
use crate::claims;
use crate::error::{Error, ErrorKind, Result};
use crate::header;
use crate::json;
use crate::key::KeySet;
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
        let allowed = match &options.algorithms {
            Some(list) => list.clone(),
            None => default_algorithms(&keys),
        };
        Ok(Verifier { keys, options, allowed })
    }

    /// The options this verifier checks.
    pub fn options(&self) -> &VerifyOptions {
        &self.options
    }

    /// Verifies `token` at time `now` (seconds since the epoch).
    pub fn verify(&self, token: &str, now: f64) -> Result<Verified> {
        let mut scratch = Vec::new();
        self.verify_with(token, now, &mut scratch)
    }

    /// Like [`Verifier::verify`], reusing `scratch` for the decoded signature.
    pub fn verify_with(&self, token: &str, now: f64, scratch: &mut Vec<u8>) -> Result<Verified> {
        verify_token(&self.keys, &self.options, &self.allowed, token, now, scratch)
    }
}

/// The algorithms of the keys' own families, in RFC order.
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

/// The whole check, in order: length, shape, header (`alg` allowed and fitting the key,
/// before the key is used), constant-time signature, payload, `typ`, claims.
pub fn verify_token(
    keys: &KeySet,
    options: &VerifyOptions,
    allowed: &[Algorithm],
    token: &str,
    now: f64,
    scratch: &mut Vec<u8>,
) -> Result<Verified> {
    if token.len() > options.max_token_length {
        return Err(Error::new(
            ErrorKind::TooLarge,
            format!("jwt is longer than maxTokenLength ({} characters)", options.max_token_length),
        ));
    }
    let parts = token::split(token)?;
    // Shape: all three parts must be canonical base64url before anything is interpreted.
    let header_bytes = base64url::decode(parts.header)?;
    let payload_bytes = base64url::decode(parts.payload)?;
    base64url::decode_into(parts.signature, scratch)?;
    let header = header::parse(&header_bytes)?;
    let alg = header::algorithm(&header)?;
    if !allowed.contains(&alg) {
        return Err(Error::new(ErrorKind::AlgorithmNotAllowed, "invalid algorithm"));
    }
    let key = keys.select(alg, header::kid(&header))?;
    key.check_strength(alg, options.allow_weak_key)?;

    key.verify(alg, parts.signing_input.as_bytes(), scratch)?;

    let claims = json::parse_object(&payload_bytes)
        .map_err(|e| Error::malformed(format!("jwt malformed: payload: {}", e.message)))?;
    claims::check_typ(&header, options)?;
    claims::validate(&claims, options, now)?;
    drop((claims, header));
    Ok(Verified { header: into_text(header_bytes), payload: into_text(payload_bytes) })
}

/// Bytes that `serde_json` accepted are UTF-8.
fn into_text(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}
