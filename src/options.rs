//! Verification options, with the defaults of the contract.
//!
//! The JavaScript face checks and normalises user options, then hands them over as JSON
//! (field names in camelCase), so a Rust caller and a JS caller configure the same struct.

use crate::algorithm::Algorithm;
use crate::error::{shortened, Error, ErrorKind, Result};
use crate::tree::{self, Tree};

/// The default `maxTokenLength`, in bytes of token text.
pub const DEFAULT_MAX_TOKEN_LENGTH: usize = 16_384;

/// What `verify` checks besides the signature.
#[derive(Debug, Clone, PartialEq)]
pub struct VerifyOptions {
    /// Allowed `alg` values; `None` means the key's own family, for a secret only the HMAC
    /// algorithms it is long enough for (see [`crate::verify::default_allowed`]).
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
    /// Options from their JSON form (camelCase names, as the JS face sends them). A member
    /// that is absent or `null` keeps its default; an unknown one is refused.
    pub fn from_json(text: &str) -> Result<VerifyOptions> {
        let tree = tree::parse(text).map_err(|reason| invalid(format!("the options are not valid JSON: {reason}")))?;
        let object = tree.as_object().ok_or_else(|| invalid("the options must be a JSON object".into()))?;
        let mut options = VerifyOptions::default();
        for (name, value) in object.members() {
            if *value == Tree::Null {
                continue;
            }
            let wrong = |what: &str| invalid(format!("\"{name}\" must be {what}"));
            let strings = || value.as_strings().ok_or_else(|| wrong("an array of strings"));
            let string = || value.as_str().map(str::to_owned).ok_or_else(|| wrong("a string"));
            let number = || match value {
                Tree::Number(n) => Ok(*n),
                _ => Err(wrong("a number")),
            };
            let flag = || match value {
                Tree::Bool(b) => Ok(*b),
                _ => Err(wrong("true or false")),
            };
            match name {
                "algorithms" => {
                    let names = strings()?;
                    options.algorithms = Some(names.iter().map(|n| parse_algorithm_option(n)).collect::<Result<_>>()?);
                }
                "audience" => options.audience = strings()?,
                "issuer" => options.issuer = strings()?,
                "subject" => options.subject = Some(string()?),
                "jwtid" => options.jwtid = Some(string()?),
                "typ" => options.typ = Some(string()?),
                "clockTolerance" => options.clock_tolerance = number()?,
                "maxAge" => options.max_age = Some(number()?),
                "ignoreExpiration" => options.ignore_expiration = flag()?,
                "ignoreNotBefore" => options.ignore_not_before = flag()?,
                "requiredClaims" => options.required_claims = strings()?,
                "maxTokenLength" => {
                    let n = number()?;
                    if !(n >= 0.0 && n.fract() == 0.0) {
                        return Err(wrong("a whole number of characters"));
                    }
                    // Saturating: a limit beyond usize is no limit.
                    options.max_token_length = n as usize;
                }
                "allowWeakKey" => options.allow_weak_key = flag()?,
                _ => {
                    let shown = shortened(name, 32);
                    return Err(invalid(format!("unknown option \"{shown}\"")));
                }
            }
        }
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

fn invalid(message: String) -> Error {
    Error::new(ErrorKind::InvalidOption, message)
}

/// An algorithm named in options: `none` is refused outright, unknown names too.
pub fn parse_algorithm_option(name: &str) -> Result<Algorithm> {
    if crate::algorithm::is_none(name) {
        return Err(Error::new(ErrorKind::InvalidOption, "algorithm \"none\" is never accepted"));
    }
    name.parse().map_err(|_| {
        let shown = shortened(name, 20);
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

    #[test]
    fn names_the_option_of_the_wrong_type() {
        for (text, message) in [
            (r#"{"audience":"a"}"#, r#""audience" must be an array of strings"#),
            (r#"{"issuer":[1]}"#, r#""issuer" must be an array of strings"#),
            (r#"{"subject":5}"#, r#""subject" must be a string"#),
            (r#"{"clockTolerance":"5"}"#, r#""clockTolerance" must be a number"#),
            (r#"{"ignoreExpiration":1}"#, r#""ignoreExpiration" must be true or false"#),
            (r#"{"maxTokenLength":1.5}"#, r#""maxTokenLength" must be a whole number of characters"#),
            (r#"{"maxTokenLength":-1}"#, r#""maxTokenLength" must be a whole number of characters"#),
            (r#"{"audiense":["a"]}"#, r#"unknown option "audiense""#),
            (r#"["audience"]"#, "the options must be a JSON object"),
            (
                r#"{"audience":["a"],"audience":["b"]}"#,
                r#"the options are not valid JSON: duplicate member name "audience""#,
            ),
            (r#"{"audience":"#, "the options are not valid JSON: EOF while parsing the JSON text"),
        ] {
            let error = VerifyOptions::from_json(text).unwrap_err();
            assert_eq!((error.code(), error.message()), ("ERR_INVALID_OPTION", message), "{text}");
        }
    }

    #[test]
    fn null_keeps_the_default() {
        let o = VerifyOptions::from_json(r#"{"algorithms":null,"audience":null,"maxAge":null,"maxTokenLength":null}"#);
        assert_eq!(o.unwrap(), VerifyOptions::default());
        let o = VerifyOptions::from_json(r#"{"maxTokenLength":100,"maxAge":0.5,"allowWeakKey":true}"#).unwrap();
        assert_eq!((o.max_token_length, o.max_age, o.allow_weak_key), (100, Some(0.5), true));
    }
}
