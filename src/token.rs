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

/// What each byte is in a compact token: a base64url character, a dot, or neither.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Base64url,
    Dot,
    Invalid,
}

const CLASSES: [Class; 256] = {
    let mut table = [Class::Invalid; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        if b.is_ascii_alphanumeric() || b == b'-' || b == b'_' {
            table[i] = Class::Base64url;
        } else if b == b'.' {
            table[i] = Class::Dot;
        }
        i += 1;
    }
    table
};

/// Splits a token into exactly three parts whose characters are all base64url.
///
/// One pass over the bytes with a lookup table: this runs on every verification.
pub fn split(token: &str) -> Result<Compact<'_>> {
    if token.is_empty() {
        return Err(Error::malformed("jwt must be provided"));
    }
    let bytes = token.as_bytes();
    let mut dots = [0usize; 4];
    let mut count = 0;
    let mut invalid = false;
    for (i, &b) in bytes.iter().enumerate() {
        match CLASSES[usize::from(b)] {
            Class::Base64url => {}
            Class::Dot => {
                if count < dots.len() {
                    dots[count] = i;
                }
                count += 1;
            }
            Class::Invalid => invalid = true,
        }
    }
    if count != 2 {
        let message = if count == 4 { "jwt malformed (JWE tokens are not supported)" } else { "jwt malformed" };
        return Err(Error::malformed(message));
    }
    let (first, second) = (dots[0], dots[1]);
    if invalid || first == 0 {
        return Err(Error::malformed("jwt malformed"));
    }
    Ok(Compact {
        header: &token[..first],
        payload: &token[first + 1..second],
        signature: &token[second + 1..],
        signing_input: &token[..second],
    })
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
