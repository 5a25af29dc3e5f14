//! Signing: the header is encoded once per signer; each token costs one payload encoding
//! and one MAC.

use crate::algorithm::{self, Algorithm};
use crate::base64url;
use crate::error::{Error, ErrorKind, Result};
use crate::json::{self, Value};
use crate::key::{Key, KeyMeta, KeyOperation};

/// The protected header of the tokens a signer makes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HeaderSpec {
    /// `kid`, the key id, for the default header.
    pub kid: Option<String>,
    /// A complete header as JSON object text, replacing the default one. Its `alg` must be
    /// the signing algorithm. (The JS face builds it from the `header` option.)
    pub header: Option<String>,
    /// Accept a secret shorter than the hash output.
    pub allow_weak_key: bool,
}

/// A prepared signer for one key and algorithm.
#[derive(Debug)]
pub struct Signer {
    key: Key,
    alg: Algorithm,
    /// The encoded header followed by a dot.
    prefix: String,
}

impl Signer {
    /// A signer. The header is `{"alg":...,"typ":"JWT"}` then `kid`, or `spec.header` checked.
    pub fn new(key: Key, alg: Algorithm, spec: &HeaderSpec) -> Result<Signer> {
        if !key.fits(alg) {
            return Err(Error::new(ErrorKind::KeyInvalid, format!("this key cannot sign {alg}")));
        }
        if !key.can_sign() {
            return Err(Error::new(ErrorKind::KeyInvalid, "a public key cannot sign: pass the private key"));
        }
        key.check_strength(alg, spec.allow_weak_key)?;
        let header = header_json(alg, spec)?;
        let mut prefix = base64url::encode(header.as_bytes());
        prefix.push('.');
        Ok(Signer { key, alg, prefix })
    }

    /// A signer for a key read from a JWK, with the JWK's metadata: its `use` and `key_ops`
    /// must allow signing and its `alg`, if any, must be `alg` (else `ERR_KEY_INVALID`); its
    /// `kid` goes in the header unless `spec` names one.
    ///
    /// ```
    /// use jwtkit::{Algorithm, Key, Signer};
    /// let jwk = r#"{"kty":"oct","kid":"k1","use":"sig","k":"YS0zMi1ieXRlLXNlY3JldC1mb3ItaHMyNTYtZGVtbyE"}"#;
    /// let (key, meta) = Key::from_jwk(jwk)?;
    /// let signer = Signer::with_meta(key, meta, Algorithm::HS256, Default::default())?;
    /// assert!(jwtkit::decode_unverified(&signer.sign_json(b"{}"))?.header.contains(r#""kid":"k1""#));
    /// # Ok::<(), jwtkit::Error>(())
    /// ```
    pub fn with_meta(key: Key, meta: KeyMeta, alg: Algorithm, spec: HeaderSpec) -> Result<Signer> {
        meta.check_allows(KeyOperation::Sign)?;
        if meta.alg.is_some_and(|a| a != alg) {
            return Err(Error::new(ErrorKind::KeyInvalid, "the JWK's \"alg\" differs from the algorithm option"));
        }
        let spec = HeaderSpec { kid: spec.kid.or(meta.kid), ..spec };
        Signer::new(key, alg, &spec)
    }

    /// The algorithm this signer uses.
    pub fn algorithm(&self) -> Algorithm {
        self.alg
    }

    /// Signs a payload given as JSON text. The caller guarantees it is a JSON object (the
    /// JS face passes `JSON.stringify` of a plain object); use [`Signer::sign_claims`] to
    /// have it checked. Panics only if the key fails to sign, which [`Signer::new`] rules out
    /// for secrets; use [`Signer::try_sign_json`] with asymmetric keys.
    pub fn sign_json(&self, payload: &[u8]) -> String {
        self.try_sign_json(payload).expect("the key was checked when the signer was made")
    }

    /// Signs a payload given as JSON text (a JSON object, as for [`Signer::sign_json`]).
    /// An RSA key can still fail here (a weak key allowed with a too-long PSS hash).
    pub fn try_sign_json(&self, payload: &[u8]) -> Result<String> {
        self.try_sign_bytes(payload)
            .map(|token| String::from_utf8(token).unwrap_or_else(|_| unreachable!("base64url text and dots are ASCII")))
    }

    /// Like [`Signer::try_sign_json`], returning the token's (ASCII) bytes.
    pub fn try_sign_bytes(&self, payload: &[u8]) -> Result<Vec<u8>> {
        let mut token = Vec::with_capacity(self.prefix.len() + payload.len() * 4 / 3 + 90);
        token.extend_from_slice(self.prefix.as_bytes());
        base64url::encode_append(payload, &mut token);
        let mut signature = Vec::with_capacity(64);
        self.key.sign_into(self.alg, &token, &mut signature)?;
        token.push(b'.');
        base64url::encode_append(&signature, &mut token);
        Ok(token)
    }

    /// Signs a claims set after checking that it is a JSON object with unique names.
    pub fn sign_claims(&self, payload: &str) -> Result<String> {
        crate::json::parse_object(payload.as_bytes()).map_err(|e| {
            Error::new(ErrorKind::InvalidPayload, format!("the payload must be a JSON object: {}", e.message))
        })?;
        self.try_sign_json(payload.as_bytes())
    }
}

/// The header text: `{"alg":"HS256","typ":"JWT"}` plus `kid`, as `jsonwebtoken` writes it,
/// or the caller's complete header after checking it.
fn header_json(alg: Algorithm, spec: &HeaderSpec) -> Result<String> {
    if let Some(text) = &spec.header {
        let members = json::parse_object(text.as_bytes()).map_err(|e| {
            Error::new(ErrorKind::InvalidOption, format!("header must be a JSON object: {}", e.message))
        })?;
        return match members.get("alg") {
            Some(Value::Str(a)) if a == alg.name() => Ok(text.clone()),
            Some(Value::Str(a)) if algorithm::is_none(a) => {
                Err(Error::new(ErrorKind::InvalidOption, "algorithm \"none\" is never used"))
            }
            _ => Err(Error::new(ErrorKind::InvalidOption, "header.alg cannot differ from the algorithm option")),
        };
    }
    let mut text = format!("{{\"alg\":\"{}\",\"typ\":\"JWT\"", alg.name());
    if let Some(kid) = &spec.kid {
        text.push_str(",\"kid\":");
        crate::json_text::write_string(&mut text, kid);
    }
    text.push('}');
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(spec: &HeaderSpec) -> String {
        header_json(Algorithm::HS256, spec).unwrap()
    }

    #[test]
    fn plain_header_matches_jsonwebtoken() {
        assert_eq!(header(&HeaderSpec::default()), r#"{"alg":"HS256","typ":"JWT"}"#);
    }

    #[test]
    fn kid_is_escaped_after_typ() {
        let spec = HeaderSpec { kid: Some("k\"1".into()), ..Default::default() };
        assert_eq!(header(&spec), r#"{"alg":"HS256","typ":"JWT","kid":"k\"1"}"#);
    }

    #[test]
    fn header_cannot_change_alg() {
        for text in
            [r#"{"alg":"none"}"#, r#"{"alg":"HS512"}"#, r#"{"typ":"JWT"}"#, r#"{"alg":"HS256","alg":"HS256"}"#, "[]"]
        {
            let spec = HeaderSpec { header: Some(text.into()), ..Default::default() };
            assert_eq!(header_json(Algorithm::HS256, &spec).unwrap_err().code(), "ERR_INVALID_OPTION", "{text}");
        }
        let spec = HeaderSpec { header: Some(r#"{"alg":"HS256","cty":"x"}"#.into()), ..Default::default() };
        assert_eq!(header(&spec), r#"{"alg":"HS256","cty":"x"}"#);
    }
}
