//! Verification options, with the defaults of the contract.
//!
//! The JavaScript face checks and normalises user options, then hands them over as JSON
//! (field names in camelCase), so a Rust caller and a JS caller configure the same struct.

use serde::Deserialize;

use crate::algorithm::Algorithm;
use crate::error::{Error, ErrorKind, Result};

/// The default `maxTokenLength`, in bytes of token text.
pub const DEFAULT_MAX_TOKEN_LENGTH: usize = 16_384;

/// What `verify` checks besides the signature.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct VerifyOptions {
    /// Allowed `alg` values; `None` means the key's own family (HS256/384/512 for a secret).
    #[serde(deserialize_with = "algorithms")]
    pub algorithms: Option<Vec<Algorithm>>,
    /// Accepted audiences: the token passes if any of its `aud` values is one of these.
    /// Empty: `aud` is not checked.
    pub audience: Vec<String>,
    /// Accepted issuers. Empty: `iss` is not checked.
    pub issuer: Vec<String>,
    /// The required `sub`.
    pub subject: Option<String>,
    /// The required `jti`.
    pub jwtid: Option<String>,
    /// The required header `typ`, compared case-insensitively, `application/` optional.
    pub typ: Option<String>,
    /// Seconds of leeway for `exp`, `nbf` and `maxAge`.
    pub clock_tolerance: f64,
    /// Greatest accepted age in seconds, from `iat`.
    pub max_age: Option<f64>,
    /// Accept expired tokens.
    pub ignore_expiration: bool,
    /// Accept tokens before their `nbf`.
    pub ignore_not_before: bool,
    /// Claims that must be present.
    pub required_claims: Vec<String>,
    /// Longest accepted token, checked before any decoding.
    pub max_token_length: usize,
    /// Accept HMAC secrets shorter than the hash output.
    pub allow_weak_key: bool,
}

impl Default for VerifyOptions {
    fn default() -> Self {
        VerifyOptions {
            algorithms: None,
            audience: Vec::new(),
            issuer: Vec::new(),
            subject: None,
            jwtid: None,
            typ: None,
            clock_tolerance: 0.0,
            max_age: None,
            ignore_expiration: false,
            ignore_not_before: false,
            required_claims: Vec::new(),
            max_token_length: DEFAULT_MAX_TOKEN_LENGTH,
            allow_weak_key: false,
        }
    }
}

impl VerifyOptions {
    /// Options from their JSON form (camelCase names, as the JS face sends them).
    pub fn from_json(text: &str) -> Result<VerifyOptions> {
        let options: VerifyOptions = serde_json::from_str(text).map_err(|e| {
            // serde_json appends " at line L column C": a position in text the user never wrote.
            let full = e.to_string();
            Error::new(ErrorKind::InvalidOption, full.split(" at line ").next().unwrap_or(&full).to_owned())
        })?;
        options.check()?;
        Ok(options)
    }

    /// Refuses values that make no sense (negative tolerance, empty algorithm list).
    pub fn check(&self) -> Result<()> {
        if !(self.clock_tolerance.is_finite() && self.clock_tolerance >= 0.0) {
            return Err(Error::new(ErrorKind::InvalidOption, "clockTolerance must be a number of seconds >= 0"));
        }
        if self.max_age.is_some_and(|age| !(age.is_finite() && age >= 0.0)) {
            return Err(Error::new(ErrorKind::InvalidOption, "maxAge must be a number of seconds >= 0"));
        }
        if self.algorithms.as_ref().is_some_and(Vec::is_empty) {
            return Err(Error::new(ErrorKind::InvalidOption, "algorithms must list at least one algorithm"));
        }
        Ok(())
    }
}

fn algorithms<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Option<Vec<Algorithm>>, D::Error> {
    let names: Option<Vec<String>> = Option::deserialize(d)?;
    names
        .map(|names| names.iter().map(|name| parse_algorithm_option(name).map_err(serde::de::Error::custom)).collect())
        .transpose()
}

/// An algorithm named in options: `none` is refused outright, unknown names too.
pub fn parse_algorithm_option(name: &str) -> Result<Algorithm> {
    if crate::algorithm::is_none(name) {
        return Err(Error::new(ErrorKind::InvalidOption, "algorithm \"none\" is never accepted"));
    }
    name.parse().map_err(|_| {
        let shown: String = name.chars().take(20).collect();
        Error::new(ErrorKind::InvalidOption, format!("unknown algorithm \"{shown}\""))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_camel_case_and_keeps_defaults() {
        let o = VerifyOptions::from_json(r#"{"audience":["a"],"clockTolerance":5,"algorithms":["HS256"]}"#).unwrap();
        assert_eq!(o.audience, ["a"]);
        assert_eq!(o.clock_tolerance, 5.0);
        assert_eq!(o.algorithms, Some(vec![Algorithm::HS256]));
        assert_eq!(o.max_token_length, DEFAULT_MAX_TOKEN_LENGTH);
    }

    #[test]
    fn refuses_none_unknown_fields_and_negative_tolerance() {
        for text in
            [r#"{"algorithms":["none"]}"#, r#"{"audiense":"a"}"#, r#"{"clockTolerance":-1}"#, r#"{"algorithms":[]}"#]
        {
            assert_eq!(VerifyOptions::from_json(text).unwrap_err().code(), "ERR_INVALID_OPTION", "{text}");
        }
    }
}
