//! Strict base64url (RFC 4648 section 5) without padding, as JWS requires (RFC 7515 section 2).
//!
//! Only the canonical encoding of a byte string is accepted: no `=`, no `+` or `/`, no
//! whitespace, and the unused bits of the last character must be zero. Otherwise two
//! different strings would carry the same signature.

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine;

use crate::error::{Error, Result};

const STRICT: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::RequireNone)
        .with_decode_allow_trailing_bits(false),
);

/// Where and why a base64url string failed to decode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeFailure {
    /// Index of the offending character in the input.
    pub position: usize,
    /// What is wrong there.
    pub reason: &'static str,
}

/// Encodes bytes as unpadded base64url.
pub fn encode(bytes: &[u8]) -> String {
    STRICT.encode(bytes)
}

/// Appends the unpadded base64url encoding of `bytes` to `out`.
pub fn encode_into(bytes: &[u8], out: &mut String) {
    STRICT.encode_string(bytes, out)
}

/// Decodes canonical unpadded base64url, saying where it fails.
pub fn decode_at(text: &str) -> std::result::Result<Vec<u8>, DecodeFailure> {
    if let Some(position) = text.bytes().position(|b| !is_alphabet(b)) {
        let reason = match text.as_bytes()[position] {
            b'=' => "padding '=' is not allowed in base64url",
            b'+' | b'/' => "'+' and '/' are base64, not base64url",
            b' ' | b'\t' | b'\r' | b'\n' => "whitespace is not allowed",
            _ => "not a base64url character",
        };
        return Err(DecodeFailure { position, reason });
    }
    if text.len() % 4 == 1 {
        return Err(DecodeFailure { position: text.len() - 1, reason: "impossible length for base64url" });
    }
    STRICT.decode(text).map_err(|_| DecodeFailure {
        // Every character is in the alphabet and the length is possible, so the only
        // remaining failure is non-zero unused bits in the last character.
        position: text.len().saturating_sub(1),
        reason: "non-canonical last character (unused bits are not zero)",
    })
}

/// Decodes canonical unpadded base64url; any failure is `ERR_JWT_MALFORMED`.
pub fn decode(text: &str) -> Result<Vec<u8>> {
    decode_at(text).map_err(|f| Error::malformed(f.reason))
}

/// Decodes canonical base64url into `out`, reusing its allocation.
pub(crate) fn decode_into(text: &str, out: &mut Vec<u8>) -> Result<()> {
    if !text.bytes().all(is_alphabet) {
        return Err(Error::malformed("jwt malformed"));
    }
    out.clear();
    STRICT.decode_vec(text, out).map_err(|_| Error::malformed("jwt malformed"))
}

const fn is_alphabet(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_every_length() {
        for len in 0..40u8 {
            let bytes: Vec<u8> = (0..len).map(|i| i.wrapping_mul(37).wrapping_add(251)).collect();
            assert_eq!(decode(&encode(&bytes)).unwrap(), bytes);
        }
    }

    #[test]
    fn refuses_non_canonical_forms() {
        assert_eq!(decode_at("YQ==").unwrap_err().position, 2);
        assert!(decode_at("a+b/").is_err());
        assert!(decode_at("YR").is_err(), "unused bits set");
        assert!(decode_at("Y").is_err(), "length 1 mod 4");
        assert!(decode_at("YQ ").is_err());
        assert_eq!(decode("YQ").unwrap(), b"a");
    }
}
