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

/// Encodes `bytes` into `out` (which must hold `4 * len / 3 + 3` bytes); returns the length.
pub fn encode_slice(bytes: &[u8], out: &mut [u8]) -> usize {
    STRICT.encode_slice(bytes, out).expect("the caller sizes the output for the input")
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

/// Whether text of base64url characters is a canonical encoding: a possible length, and the
/// unused low bits of the last character zero. Cheaper than decoding; `token::split` has
/// already checked the alphabet.
pub fn is_canonical(text: &str) -> bool {
    let Some(&last) = text.as_bytes().last() else { return true };
    let unused_bits_mask = match text.len() % 4 {
        0 => return true,
        1 => return false,
        2 => 0b1111,
        _ => 0b11,
    };
    value_of(last).is_some_and(|v| v & unused_bits_mask == 0)
}

fn value_of(c: u8) -> Option<u8> {
    match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'-' => Some(62),
        b'_' => Some(63),
        _ => None,
    }
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

    #[test]
    fn canonical_check_agrees_with_decoding() {
        let alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for len in 0..9 {
            for last in alphabet.chars() {
                let text = format!("{}{}", "Q".repeat(len), last);
                assert_eq!(is_canonical(&text), decode_at(&text).is_ok(), "{text}");
            }
        }
    }
}
