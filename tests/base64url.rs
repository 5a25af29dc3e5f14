//! base64url against the `base64` crate (configured as strictly), here and in wasm
//! (`scripts/test-wasm.sh`): in wasm the encoder and decoder take whole blocks with SIMD and
//! the rest byte by byte, so every length and every position of a bad character is tried,
//! across the block boundaries.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

#[path = "common/rng.rs"]
mod rng;

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine;
use jwtkit::base64url;
use rng::Rng;

/// Unpadded base64url, refusing padding and non-zero trailing bits: the oracle.
const STRICT: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::RequireNone)
        .with_decode_allow_trailing_bits(false),
);

/// Byte strings of every length up to 300: all 256 values cycling, and random bytes.
fn samples() -> Vec<Vec<u8>> {
    let mut rng = Rng(0x5eed_ba5e_64ba_5e64);
    let mut all = Vec::new();
    for len in 0..=300usize {
        all.push((0..len).map(|i| (i * 37 + len) as u8).collect());
        all.push((0..len).map(|_| rng.next() as u8).collect());
    }
    all
}

#[test]
fn encoding_matches_the_base64_crate_at_every_length() {
    for bytes in samples() {
        let ours = base64url::encode(&bytes);
        assert_eq!(ours, STRICT.encode(&bytes), "{} bytes", bytes.len());
        assert_eq!(ours.len(), base64url::encoded_len(bytes.len()));
        let mut appended = b"prefix.".to_vec();
        base64url::encode_append(&bytes, &mut appended);
        assert_eq!(&appended[7..], ours.as_bytes());
        // Into a buffer with room to spare, as signing writes: the same characters and length.
        let mut spacious = vec![0u8; 4 * bytes.len() / 3 + 3];
        let written = base64url::encode_slice(&bytes, &mut spacious);
        assert_eq!(&spacious[..written], ours.as_bytes());
    }
}

#[test]
fn every_short_string_decodes_exactly_when_the_base64_crate_decodes_it() {
    // Every string of up to 5 characters over an alphabet mixing edge values, padding,
    // base64-only characters, a dot and a non-ASCII byte.
    let alphabet: &[u8] = b"AQgw_-9z+/=.\xc3";
    let mut texts: Vec<Vec<u8>> = vec![Vec::new()];
    let mut level = texts.clone();
    for _ in 0..5 {
        level = level.iter().flat_map(|t| alphabet.iter().map(move |&c| [t.as_slice(), &[c]].concat())).collect();
        texts.extend(level.iter().cloned());
    }
    let mut accepted = 0;
    for text in &texts {
        let ours = base64url::decode_bytes(text);
        assert_eq!(ours, STRICT.decode(text).ok(), "{:?}", String::from_utf8_lossy(text));
        accepted += usize::from(ours.is_some());
    }
    assert!(accepted > 1000 && accepted < texts.len() / 2, "{accepted} of {}", texts.len());
}

#[test]
fn decoding_round_trips_every_length() {
    for bytes in samples() {
        let text = STRICT.encode(&bytes);
        assert_eq!(base64url::decode_at(&text).as_deref(), Ok(&bytes[..]), "{text}");
    }
}

/// Each character position of texts up to 100 characters long gets, in turn, characters
/// outside the alphabet (`+`, `/`, `=`, space, dot, NUL, DEL, and bytes of multi-byte UTF-8
/// and the bytes next to each range of the alphabet): decoding must refuse every one, and
/// say where.
#[test]
fn a_bad_character_anywhere_is_refused_where_it_is() {
    let bad = ['+', '/', '=', ' ', '.', '\0', '\u{7f}', 'é', '@', '[', '`', '{', ',', ':'];
    let mut rng = Rng(0xbad_c0de);
    for len in (2..=100usize).filter(|len| len % 4 != 1) {
        let valid: String = STRICT.encode((0..len * 3 / 4).map(|_| rng.next() as u8).collect::<Vec<u8>>());
        for position in 0..valid.len() {
            let c = *rng.pick(&bad);
            let mut text = valid.clone();
            text.replace_range(position..position + 1, c.encode_utf8(&mut [0; 4]));
            let failure = base64url::decode_at(&text).expect_err(&text);
            assert_eq!(failure.position, position, "{text:?}");
            assert!(STRICT.decode(&text).is_err(), "{text:?}");
        }
    }
}

/// Random texts over the alphabet and a few bad characters: ours and the oracle agree on
/// whether each decodes, and on the bytes.
#[test]
fn random_texts_decode_exactly_when_the_base64_crate_decodes_them() {
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut rng = Rng(0x0dd_ba11);
    for _ in 0..20_000 {
        let len = rng.below(90);
        let text: String = (0..len)
            .map(|_| if rng.chance(2) { *rng.pick(&['=', '+', '.', ' ']) } else { char::from(*rng.pick(alphabet)) })
            .collect();
        assert_eq!(base64url::decode_at(&text).ok(), STRICT.decode(&text).ok(), "{text:?}");
    }
}
