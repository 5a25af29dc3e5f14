//! One error type with a stable string code per kind.
//!
//! Messages follow the `jsonwebtoken` npm package where it has one (`jwt expired`,
//! `invalid signature`, ...) so that code written against it keeps working; codes follow
//! `jose`. Messages never contain key material or the token.

use std::borrow::Cow;
use std::fmt;

/// What went wrong, with a stable code (see [`ErrorKind::code`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The token is not a well-formed compact JWS carrying a JSON object.
    Malformed,
    /// The token is longer than the configured maximum.
    TooLarge,
    /// The signature does not match.
    InvalidSignature,
    /// The header's `alg` is missing from the allowed list, is `none`, or does not fit the key.
    AlgorithmNotAllowed,
    /// The header names a critical extension this library does not implement.
    CritUnsupported,
    /// `exp` has passed (or `maxAge` is exceeded).
    Expired,
    /// `nbf` is in the future.
    NotActive,
    /// A claim has the wrong type or value.
    ClaimInvalid,
    /// A required claim is missing.
    ClaimMissing,
    /// A key is malformed or of the wrong kind.
    KeyInvalid,
    /// A key is shorter than its algorithm needs.
    KeyTooWeak,
    /// No key of a JWK Set fits the token (or more than one does).
    JwksNoMatch,
    /// The payload to sign is not a JSON object.
    InvalidPayload,
    /// An option has a wrong type or value.
    InvalidOption,
}

impl ErrorKind {
    /// The stable code, e.g. `ERR_JWT_EXPIRED`.
    pub const fn code(self) -> &'static str {
        match self {
            ErrorKind::Malformed => "ERR_JWT_MALFORMED",
            ErrorKind::TooLarge => "ERR_JWT_TOO_LARGE",
            ErrorKind::InvalidSignature => "ERR_JWS_INVALID_SIGNATURE",
            ErrorKind::AlgorithmNotAllowed => "ERR_JWS_ALG_NOT_ALLOWED",
            ErrorKind::CritUnsupported => "ERR_JWS_CRIT_UNSUPPORTED",
            ErrorKind::Expired => "ERR_JWT_EXPIRED",
            ErrorKind::NotActive => "ERR_JWT_NOT_ACTIVE",
            ErrorKind::ClaimInvalid => "ERR_JWT_CLAIM_INVALID",
            ErrorKind::ClaimMissing => "ERR_JWT_CLAIM_MISSING",
            ErrorKind::KeyInvalid => "ERR_KEY_INVALID",
            ErrorKind::KeyTooWeak => "ERR_KEY_TOO_WEAK",
            ErrorKind::JwksNoMatch => "ERR_JWKS_NO_MATCH",
            ErrorKind::InvalidPayload => "ERR_INVALID_PAYLOAD",
            ErrorKind::InvalidOption => "ERR_INVALID_OPTION",
        }
    }
}

/// An error with a kind, a message, and for claim failures the claim's name and time.
#[derive(Debug, Clone, PartialEq)]
pub struct Error {
    kind: ErrorKind,
    message: Cow<'static, str>,
    claim: Option<Cow<'static, str>>,
    /// For `Expired`: when the token expired; for `NotActive`: when it becomes valid
    /// (seconds since the epoch).
    at: Option<f64>,
}

/// Result with this crate's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// A new error of `kind` with `message`.
    pub fn new(kind: ErrorKind, message: impl Into<Cow<'static, str>>) -> Self {
        Error { kind, message: message.into(), claim: None, at: None }
    }

    /// `jwt malformed` with a more precise message.
    pub fn malformed(message: impl Into<Cow<'static, str>>) -> Self {
        Error::new(ErrorKind::Malformed, message)
    }

    /// The claim the error is about (for jwtkit's claim checks).
    #[doc(hidden)]
    pub fn with_claim(mut self, claim: impl Into<Cow<'static, str>>) -> Self {
        self.claim = Some(claim.into());
        self
    }

    /// The time an expired or not-yet-active token passed or becomes valid (for jwtkit's
    /// claim checks).
    #[doc(hidden)]
    pub fn with_time(mut self, at: f64) -> Self {
        self.at = Some(at);
        self
    }

    /// The kind of error.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The stable code, e.g. `ERR_JWT_EXPIRED`.
    pub fn code(&self) -> &'static str {
        self.kind.code()
    }

    /// A human-readable message without secrets.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The claim that failed, for claim errors.
    pub fn claim(&self) -> Option<&str> {
        self.claim.as_deref()
    }

    /// For expired tokens the expiry time, for not-yet-active tokens the `nbf` time, in
    /// seconds since the epoch.
    pub fn time(&self) -> Option<f64> {
        self.at
    }
}

/// At most `max_chars` characters of `text`: untrusted text (a claim or option name, a `kid`)
/// is quoted in messages shortened, and borrowed rather than copied. For jwtkit's messages.
#[doc(hidden)]
pub fn shortened(text: &str, max_chars: usize) -> &str {
    match text.char_indices().nth(max_chars) {
        Some((end, _)) => text.split_at_checked(end).map_or(text, |(head, _)| head),
        None => text,
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.message, self.code())
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_shows_message_and_code() {
        let e = Error::new(ErrorKind::Expired, "jwt expired").with_time(10.0);
        assert_eq!(e.to_string(), "jwt expired (ERR_JWT_EXPIRED)");
        assert_eq!(e.time(), Some(10.0));
    }

    #[test]
    fn shortened_counts_characters_not_bytes() {
        assert_eq!(shortened("kid", 64), "kid");
        assert_eq!(shortened("abcdef", 3), "abc");
        assert_eq!(shortened("abc", 3), "abc");
        assert_eq!(shortened("", 3), "");
        // Two-, three- and four-byte characters: cut after the third character, never inside one.
        assert_eq!(shortened("é€😀é", 3), "é€😀");
        assert_eq!(shortened("😀😀", 1), "😀");
        assert_eq!(shortened("abc", 0), "");
    }
}
