//! Signing: the header is encoded once per signer; each token costs one payload encoding
//! and one MAC.

use serde_json::{Map, Value};

use crate::algorithm::{self, Algorithm};
use crate::base64url;
use crate::error::{Error, ErrorKind, Result};
use crate::key::Key;

/// Header members beyond `alg`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HeaderSpec {
    /// `kid`, the key id.
    pub kid: Option<String>,
    /// Extra members as a JSON object's text; may repeat `alg` only with the same value,
    /// may replace `typ` and `kid`.
    pub extra: Option<String>,
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
    /// A signer. The header is `{"alg":...,"typ":"JWT"}`, then `kid`, then extra members
    /// in name order.
    pub fn new(key: Key, alg: Algorithm, spec: &HeaderSpec) -> Result<Signer> {
        if key.family() != alg.family() {
            return Err(Error::new(
                ErrorKind::KeyInvalid,
                format!("this key cannot sign {alg}"),
            ));
        }
        key.check_strength(alg, spec.allow_weak_key)?;
        let header = header_json(alg, spec)?;
        let mut prefix = base64url::encode(header.as_bytes());
        prefix.push('.');
        Ok(Signer { key, alg, prefix })
    }

    /// The algorithm this signer uses.
    pub fn algorithm(&self) -> Algorithm {
        self.alg
    }

    /// Signs a payload given as JSON text. The caller guarantees it is a JSON object (the
    /// JS face passes `JSON.stringify` of a plain object); use [`Signer::sign_claims`] to
    /// have it checked.
    pub fn sign_json(&self, payload: &[u8]) -> String {
        let mut token = String::with_capacity(self.prefix.len() + payload.len() * 4 / 3 + 90);
        token.push_str(&self.prefix);
        base64url::encode_into(payload, &mut token);
        let mut signature = Vec::with_capacity(64);
        self.key
            .sign_into(self.alg, token.as_bytes(), &mut signature)
            .expect("the key family was checked when the signer was made");
        token.push('.');
        base64url::encode_into(&signature, &mut token);
        token
    }

    /// Signs a claims set after checking that it is a JSON object with unique names.
    pub fn sign_claims(&self, payload: &str) -> Result<String> {
        crate::json::parse_object(payload.as_bytes()).map_err(|e| {
            Error::new(
                ErrorKind::InvalidPayload,
                format!("the payload must be a JSON object: {}", e.message),
            )
        })?;
        Ok(self.sign_json(payload.as_bytes()))
    }
}

fn header_json(alg: Algorithm, spec: &HeaderSpec) -> Result<String> {
    let mut extra: Map<String, Value> = match &spec.extra {
        None => Map::new(),
        Some(text) => serde_json::from_str(text)
            .map_err(|_| Error::new(ErrorKind::InvalidOption, "header must be an object"))?,
    };
    match extra.remove("alg") {
        None => {}
        Some(Value::String(a)) if a == alg.name() => {}
        Some(Value::String(a)) if algorithm::is_none(&a) => {
            return Err(Error::new(
                ErrorKind::InvalidOption,
                "algorithm \"none\" is never used",
            ))
        }
        Some(_) => {
            return Err(Error::new(
                ErrorKind::InvalidOption,
                "header.alg cannot differ from the algorithm option",
            ))
        }
    }
    let typ = extra
        .remove("typ")
        .unwrap_or_else(|| Value::String("JWT".into()));
    let kid = extra
        .remove("kid")
        .or_else(|| spec.kid.clone().map(Value::String));

    let mut text = format!("{{\"alg\":\"{}\"", alg.name());
    let mut member = |name: &str, value: &Value| {
        text.push(',');
        text.push_str(&Value::String(name.to_owned()).to_string());
        text.push(':');
        text.push_str(&value.to_string());
    };
    if !typ.is_null() {
        member("typ", &typ);
    }
    if let Some(kid) = &kid {
        member("kid", kid);
    }
    for (name, value) in &extra {
        member(name, value);
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
        assert_eq!(
            header(&HeaderSpec::default()),
            r#"{"alg":"HS256","typ":"JWT"}"#
        );
    }

    #[test]
    fn kid_then_extras_in_name_order() {
        let spec = HeaderSpec {
            kid: Some("k1".into()),
            extra: Some(r#"{"z":1,"a":"b"}"#.into()),
            ..Default::default()
        };
        assert_eq!(
            header(&spec),
            r#"{"alg":"HS256","typ":"JWT","kid":"k1","a":"b","z":1}"#
        );
    }

    #[test]
    fn header_cannot_change_alg() {
        let spec = HeaderSpec {
            extra: Some(r#"{"alg":"none"}"#.into()),
            ..Default::default()
        };
        assert_eq!(
            header_json(Algorithm::HS256, &spec).unwrap_err().code(),
            "ERR_INVALID_OPTION"
        );
        let spec = HeaderSpec {
            extra: Some(r#"{"alg":"HS512"}"#.into()),
            ..Default::default()
        };
        assert_eq!(
            header_json(Algorithm::HS256, &spec).unwrap_err().code(),
            "ERR_INVALID_OPTION"
        );
    }
}
