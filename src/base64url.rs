//! Strict base64url (RFC 4648 section 5) without padding, as JWS requires (RFC 7515 section 2).
//!
//! Only the canonical encoding of a byte string is accepted: no `=`, no `+` or `/`, no
//! whitespace, and the unused bits of the last character must be zero. Otherwise two
//! different strings would carry the same signature.

use crate::error::{Error, Result};

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
    let mut out = String::new();
    encode_into(bytes, &mut out);
    out
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// The length of the unpadded encoding of `len` bytes.
pub const fn encoded_len(len: usize) -> usize {
    len / 3 * 4 + (len % 3 * 4).div_ceil(3)
}

/// Encodes `bytes` into `out` (which must hold `4 * len / 3 + 3` bytes); returns the length.
///
/// Signing and verifying encode on every call (the payload, the MAC): whole blocks with SIMD
/// in wasm (the `simd` module), then a plain index loop, which at opt-level "s" ran about three
/// times faster in wasm than the `base64` engine.
pub fn encode_slice(bytes: &[u8], out: &mut [u8]) -> usize {
    let letter = |n: u32, shift: u32| ALPHABET[(n >> shift) as usize & 63];
    let full = bytes.len() / 3 * 3;
    let (mut i, mut o) = simd::encode_blocks(bytes, out);
    while i < full {
        let n = u32::from(bytes[i]) << 16 | u32::from(bytes[i + 1]) << 8 | u32::from(bytes[i + 2]);
        out[o] = letter(n, 18);
        out[o + 1] = letter(n, 12);
        out[o + 2] = letter(n, 6);
        out[o + 3] = letter(n, 0);
        i += 3;
        o += 4;
    }
    match bytes.len() - full {
        1 => {
            let n = u32::from(bytes[i]) << 16;
            out[o] = letter(n, 18);
            out[o + 1] = letter(n, 12);
            o + 2
        }
        2 => {
            let n = u32::from(bytes[i]) << 16 | u32::from(bytes[i + 1]) << 8;
            out[o] = letter(n, 18);
            out[o + 1] = letter(n, 12);
            out[o + 2] = letter(n, 6);
            o + 3
        }
        _ => o,
    }
}

/// Whole blocks with WebAssembly SIMD, twelve bytes to sixteen characters and back per step
/// (the method of Muła and Lemire's vectorised base64, in 128-bit lanes). In wasm the scalar
/// encoder alone was about 8% of a whole `sign` and the decoder about 4.5% of a `verify` (V8
/// profiles); with these, `signInput` took about 5% less and `verifyInput` about 3% less.
/// The scalar loops go on from where a block function stops, and keep the checks of the last
/// group (canonical unused bits); invalid characters in the blocks are reported as `seen`.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod simd {
    use core::arch::wasm32::*;

    /// The 16 bytes of `bytes` from `at` as one vector, without `v128_load` (which is
    /// `unsafe`, and this crate forbids it): two 8-byte loads that compile to lane loads.
    #[inline(always)]
    fn load(bytes: &[u8], at: usize) -> v128 {
        let chunk: &[u8; 16] = bytes[at..at + 16].try_into().expect("16 bytes");
        let lo = u64::from_le_bytes(chunk[..8].try_into().expect("8 bytes"));
        let hi = u64::from_le_bytes(chunk[8..].try_into().expect("8 bytes"));
        u64x2(lo, hi)
    }

    /// Encodes whole 12-byte blocks while 16 bytes can be read; returns the bytes read and
    /// the characters written, for the scalar loop to go on from.
    pub fn encode_blocks(bytes: &[u8], out: &mut [u8]) -> (usize, usize) {
        // Each 32-bit lane gets one 3-byte group as a big-endian number `a << 16 | b << 8 | c`.
        let spread = u8x16(2, 1, 0, 0x80, 5, 4, 3, 0x80, 8, 7, 6, 0x80, 11, 10, 9, 0x80);
        // Offsets from a 6-bit value to its letter, by class: 26-51, then 52-61 (one entry
        // each), 62, 63, and 0-25 (class 13).
        let offsets = i8x16(71, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -17, 32, 65, 0, 0);
        let (mut i, mut o) = (0, 0);
        while i + 16 <= bytes.len() && o + 16 <= out.len() {
            let n = i8x16_swizzle(load(bytes, i), spread);
            // The four 6-bit values of each lane, first one in the lowest byte.
            let values = v128_or(
                v128_or(v128_and(u32x4_shr(n, 18), u32x4_splat(0x3f)), v128_and(u32x4_shr(n, 4), u32x4_splat(0x3f00))),
                v128_or(
                    v128_and(i32x4_shl(n, 10), u32x4_splat(0x3f_0000)),
                    v128_and(i32x4_shl(n, 24), u32x4_splat(0x3f00_0000)),
                ),
            );
            let class = v128_or(
                u8x16_sub_sat(values, u8x16_splat(51)),
                v128_and(u8x16_lt(values, u8x16_splat(26)), u8x16_splat(13)),
            );
            let letters = i8x16_add(values, i8x16_swizzle(offsets, class));
            // Array assignments: `copy_from_slice` became a call per half.
            let (first, second) = out[o..o + 16].split_at_mut(8);
            *<&mut [u8; 8]>::try_from(first).expect("8 bytes") = u64x2_extract_lane::<0>(letters).to_le_bytes();
            *<&mut [u8; 8]>::try_from(second).expect("8 bytes") = u64x2_extract_lane::<1>(letters).to_le_bytes();
            i += 12;
            o += 16;
        }
        (i, o)
    }

    /// Decodes whole 16-character blocks of `text` (no partial last group) into 12 bytes
    /// each; returns the characters read, the bytes written, and `INVALID` if any character
    /// read is outside the alphabet (else 0), as the scalar loop's `seen`.
    pub fn decode_blocks(text: &[u8], out: &mut [u8]) -> (usize, usize, u8) {
        // Each 32-bit lane's 24 bits, most significant byte first, packed into 12 bytes.
        let gather = u8x16(2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, 0x80, 0x80, 0x80, 0x80);
        let mut invalid = u8x16_splat(0);
        let (mut i, mut o) = (0, 0);
        while i + 16 <= text.len() && o + 12 <= out.len() {
            let c = load(text, i);
            // Each class by one unsigned range check on the character minus the class's start.
            let upper = i8x16_sub(c, u8x16_splat(b'A'));
            let lower = i8x16_sub(c, u8x16_splat(b'a'));
            let digit = i8x16_sub(c, u8x16_splat(b'0'));
            let is_upper = u8x16_lt(upper, u8x16_splat(26));
            let is_lower = u8x16_lt(lower, u8x16_splat(26));
            let is_digit = u8x16_lt(digit, u8x16_splat(10));
            let is_dash = i8x16_eq(c, u8x16_splat(b'-'));
            let is_underscore = i8x16_eq(c, u8x16_splat(b'_'));
            let valid = v128_or(v128_or(v128_or(is_upper, is_lower), v128_or(is_digit, is_dash)), is_underscore);
            invalid = v128_or(invalid, v128_not(valid));
            let values = v128_or(
                v128_or(v128_and(is_upper, upper), v128_and(is_lower, i8x16_add(lower, u8x16_splat(26)))),
                v128_or(
                    v128_and(is_digit, i8x16_add(digit, u8x16_splat(52))),
                    v128_or(v128_and(is_dash, u8x16_splat(62)), v128_and(is_underscore, u8x16_splat(63))),
                ),
            );
            // Four 6-bit values per lane, first one in the lowest byte, to one 24-bit number.
            let n = v128_or(
                v128_or(
                    i32x4_shl(v128_and(values, u32x4_splat(0x3f)), 18),
                    i32x4_shl(v128_and(values, u32x4_splat(0x3f00)), 4),
                ),
                v128_or(u32x4_shr(v128_and(values, u32x4_splat(0x3f_0000)), 10), u32x4_shr(values, 24)),
            );
            let bytes = i8x16_swizzle(n, gather);
            let (first, second) = out[o..o + 12].split_at_mut(8);
            *<&mut [u8; 8]>::try_from(first).expect("8 bytes") = u64x2_extract_lane::<0>(bytes).to_le_bytes();
            *<&mut [u8; 4]>::try_from(second).expect("4 bytes") = u32x4_extract_lane::<2>(bytes).to_le_bytes();
            i += 16;
            o += 12;
        }
        (i, o, if v128_any_true(invalid) { super::INVALID } else { 0 })
    }
}

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
mod simd {
    /// Without WebAssembly SIMD, the scalar loop does every block.
    pub fn encode_blocks(_: &[u8], _: &mut [u8]) -> (usize, usize) {
        (0, 0)
    }

    /// Without WebAssembly SIMD, the scalar loop does every block.
    pub fn decode_blocks(_: &[u8], _: &mut [u8]) -> (usize, usize, u8) {
        (0, 0, 0)
    }
}

/// Appends the unpadded base64url encoding of `bytes` to `out`.
pub fn encode_append(bytes: &[u8], out: &mut Vec<u8>) {
    let start = out.len();
    out.resize(start + encoded_len(bytes.len()), 0);
    encode_slice(bytes, &mut out[start..]);
}

/// Appends the unpadded base64url encoding of `bytes` to `out`.
pub fn encode_into(bytes: &[u8], out: &mut String) {
    let mut encoded = Vec::with_capacity(encoded_len(bytes.len()));
    encode_append(bytes, &mut encoded);
    // `unreachable!` rather than `expect`: `expect` would format the error, bringing its
    // `Debug` code into the .wasm.
    out.push_str(std::str::from_utf8(&encoded).unwrap_or_else(|_| unreachable!("the base64url alphabet is ASCII")));
}

/// Decodes canonical unpadded base64url, saying where it fails.
pub fn decode_at(text: &str) -> std::result::Result<Vec<u8>, DecodeFailure> {
    decode_bytes(text.as_bytes()).ok_or_else(|| failure_of(text))
}

/// Each byte's 6-bit value, or `INVALID` (bit 7 set) outside the base64url alphabet.
const VALUES: [u8; 256] = {
    let mut table = [INVALID; 256];
    let mut i = 0;
    while i < 256 {
        if let Some(v) = value_of(i as u8) {
            table[i] = v;
        }
        i += 1;
    }
    table
};
const INVALID: u8 = 0x80;

/// Decodes canonical unpadded base64url, or `None`. This runs for every verified payload,
/// so it is one table-driven pass that writes into an output of the exact length: the
/// general-purpose `base64` engine, tuned for long inputs, cost several times more here
/// (a tenth of a whole verification in wasm, profiled). The tests check this decoder and
/// [`encode_slice`] against the `base64` crate.
pub fn decode_bytes(text: &[u8]) -> Option<Vec<u8>> {
    let tail = text.len() % 4;
    if tail == 1 {
        return None;
    }
    let full = text.len() - tail;
    let mut out = vec![0u8; full / 4 * 3 + tail.saturating_sub(1)];
    // Invalid characters set bit 7 of `seen`: one check at the end instead of one per byte.
    let (mut i, mut o, mut seen) = simd::decode_blocks(&text[..full], &mut out);
    let value = |i: usize| VALUES[usize::from(text[i])];
    // Plain index loops: at opt-level "s" the zipped chunk iterators compiled to state kept
    // in memory, several times slower in wasm.
    // Eight characters to six bytes per step: one bounds check for each side.
    while i + 8 <= full {
        let g: &[u8; 8] = text[i..i + 8].try_into().expect("i + 8 <= full");
        let v = |k: usize| VALUES[usize::from(g[k])];
        let (v0, v1, v2, v3, v4, v5, v6, v7) = (v(0), v(1), v(2), v(3), v(4), v(5), v(6), v(7));
        seen |= v0 | v1 | v2 | v3 | v4 | v5 | v6 | v7;
        let n = u64::from(v0) << 42
            | u64::from(v1) << 36
            | u64::from(v2) << 30
            | u64::from(v3) << 24
            | u64::from(v4) << 18
            | u64::from(v5) << 12
            | u64::from(v6) << 6
            | u64::from(v7);
        // Six shifts, not `to_be_bytes`: wasm has no byte swap, and that became a long sequence.
        let six: &mut [u8; 6] = (&mut out[o..o + 6]).try_into().expect("o + 6 <= the output length");
        *six = [(n >> 40) as u8, (n >> 32) as u8, (n >> 24) as u8, (n >> 16) as u8, (n >> 8) as u8, n as u8];
        i += 8;
        o += 6;
    }
    while i < full {
        let (a, b, c, d) = (value(i), value(i + 1), value(i + 2), value(i + 3));
        seen |= a | b | c | d;
        let n = u32::from(a) << 18 | u32::from(b) << 12 | u32::from(c) << 6 | u32::from(d);
        out[o] = (n >> 16) as u8;
        out[o + 1] = (n >> 8) as u8;
        out[o + 2] = n as u8;
        i += 4;
        o += 3;
    }
    if tail > 0 {
        let a = value(full);
        let b = value(full + 1);
        let c = if tail == 3 { value(full + 2) } else { 0 };
        seen |= a | b | c;
        // The unused low bits of the last character must be zero (canonical encoding).
        let unused = if tail == 2 { b & 0b1111 } else { c & 0b11 };
        if unused != 0 {
            return None;
        }
        let n = u32::from(a & 0x3f) << 18 | u32::from(b & 0x3f) << 12 | u32::from(c & 0x3f) << 6;
        out[o] = (n >> 16) as u8;
        if tail == 3 {
            out[o + 1] = (n >> 8) as u8;
        }
    }
    (seen & INVALID == 0).then_some(out)
}

/// Why `text` is not canonical base64url (the slow path, after decoding failed).
fn failure_of(text: &str) -> DecodeFailure {
    if let Some(position) = text.bytes().position(|b| !is_alphabet(b)) {
        let reason = match text.as_bytes()[position] {
            b'=' => "padding '=' is not allowed in base64url",
            b'+' | b'/' => "'+' and '/' are base64, not base64url",
            b' ' | b'\t' | b'\r' | b'\n' => "whitespace is not allowed",
            _ => "not a base64url character",
        };
        return DecodeFailure { position, reason };
    }
    if text.len() % 4 == 1 {
        return DecodeFailure { position: text.len() - 1, reason: "impossible length for base64url" };
    }
    // Every character is in the alphabet and the length is possible, so the only remaining
    // failure is non-zero unused bits in the last character.
    DecodeFailure {
        position: text.len().saturating_sub(1),
        reason: "non-canonical last character (unused bits are not zero)",
    }
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
    VALUES[usize::from(last)] & (unused_bits_mask | INVALID) == 0
}

const fn value_of(c: u8) -> Option<u8> {
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
    // The comparisons with the `base64` crate are in tests/base64url.rs, which also runs in
    // wasm, where the SIMD blocks are.
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
