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

/// What each byte is in a compact token: 0 for a base64url character, `DOT`, or `INVALID`.
const DOT: u8 = 1;
const INVALID: u8 = 2;
const CLASSES: [u8; 256] = {
    let mut table = [INVALID; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        if b.is_ascii_alphanumeric() || b == b'-' || b == b'_' {
            table[i] = 0;
        } else if b == b'.' {
            table[i] = DOT;
        }
        i += 1;
    }
    table
};

/// Splits a token into exactly three parts whose characters are all base64url.
///
/// This runs on every verification: one branch-free pass over the bytes with a lookup
/// table (classes OR-ed together, dots counted), then the two dots found by search.
pub fn split(token: &str) -> Result<Compact<'_>> {
    if token.is_empty() {
        return Err(Error::malformed("jwt must be provided"));
    }
    let bytes = token.as_bytes();
    let mut seen = 0u8;
    let mut count = 0usize;
    for &b in bytes {
        let class = CLASSES[usize::from(b)];
        seen |= class;
        count += usize::from(class & DOT);
    }
    if count != 2 {
        let message = if count == 4 { "jwt malformed (JWE tokens are not supported)" } else { "jwt malformed" };
        return Err(Error::malformed(message));
    }
    if seen & INVALID != 0 || bytes[0] == b'.' {
        return Err(Error::malformed("jwt malformed"));
    }
    split_fast(token).ok_or_else(|| Error::malformed("jwt malformed"))
}

/// Splits at the first and the last dot without looking at the other characters: two byte
/// searches over the short header and signature, not over the payload. The caller must check
/// every part's characters, as verification does by decoding or comparing each (a dot left
/// in the payload is not base64url); `None` when there are fewer than two dots.
pub fn split_fast(token: &str) -> Option<Compact<'_>> {
    // `split_once` and `split_at_checked` rather than `token[a..b]`: indexing a `str` can
    // panic, and its panic message pulls the Unicode printing tables (8 KB) into the .wasm.
    let (header, rest) = token.split_once('.')?;
    let (payload, signature) = rest.rsplit_once('.')?;
    let (signing_input, _) = token.split_at_checked(header.len() + 1 + payload.len())?;
    Some(Compact { header, payload, signature, signing_input })
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
