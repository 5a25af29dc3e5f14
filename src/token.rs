//! The compact serialisation (RFC 7515 section 7.1): three base64url parts joined by dots.

use crate::error::{Error, Result};

/// A compact JWS split into its parts; nothing is decoded yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Compact<'a> {
    /// The encoded protected header.
    pub header: &'a str,
    /// The encoded payload.
    pub payload: &'a str,
    /// The encoded signature (empty for an unsecured token).
    pub signature: &'a str,
    /// `header.payload`: the bytes the signature covers.
    pub signing_input: &'a str,
}

/// Splits a token into exactly three parts whose characters are all base64url.
pub fn split(token: &str) -> Result<Compact<'_>> {
    if token.is_empty() {
        return Err(Error::malformed("jwt must be provided"));
    }
    let mut dots = token.bytes().enumerate().filter(|(_, b)| *b == b'.').map(|(i, _)| i);
    let (Some(first), Some(second)) = (dots.next(), dots.next()) else {
        return Err(Error::malformed("jwt malformed"));
    };
    if let Some(_third) = dots.next() {
        let parts = 3 + dots.count() + 1;
        let message = if parts == 5 { "jwt malformed (JWE tokens are not supported)" } else { "jwt malformed" };
        return Err(Error::malformed(message));
    }
    let compact = Compact {
        header: &token[..first],
        payload: &token[first + 1..second],
        signature: &token[second + 1..],
        signing_input: &token[..second],
    };
    let all_base64url = token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.');
    if compact.header.is_empty() || !all_base64url {
        return Err(Error::malformed("jwt malformed"));
    }
    Ok(compact)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn needs_exactly_three_base64url_parts() {
        let c = split("a.b.c").unwrap();
        assert_eq!((c.header, c.payload, c.signature, c.signing_input), ("a", "b", "c", "a.b"));
        assert!(split("a.b.").is_ok(), "an empty signature is a shape the signature check refuses");
        for bad in ["", "a.b", "a.b.c.d", "a.b.c.d.e", ".b.c", "a.b=.c", "a.b.c ", "a.b+.c"] {
            assert_eq!(split(bad).unwrap_err().code(), "ERR_JWT_MALFORMED", "{bad:?}");
        }
    }
}
