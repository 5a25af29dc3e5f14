//! Untrusted text quoted in an error message (a claim, option, algorithm or member name, a
//! `kty`, a time span) is shortened to a fixed number of characters, never cut inside one.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

mod common;

use common::{hs256, verifier};
use jwtkit::{json, options::parse_algorithm_option, timespan, Key, VerifyOptions};

/// 100 characters of two bytes each: a byte-based cut would land inside one.
fn long_name() -> String {
    "é".repeat(100)
}

/// The text between the message's first two double quotes.
fn quoted(message: &str) -> &str {
    let (_, rest) = message.split_once('"').expect("a quoted part");
    rest.split_once('"').expect("a closing quote").0
}

/// `message` quotes the first `chars` characters of [`long_name`], and no more of it.
fn assert_shortened_to(message: &str, chars: usize) {
    assert!(message.contains(&format!("\"{}\"", "é".repeat(chars))), "{message}");
}

#[test]
fn a_missing_required_claim() {
    let options = VerifyOptions { required_claims: vec![long_name()], ..Default::default() };
    let token = hs256(r#"{"alg":"HS256","typ":"JWT"}"#, r#"{"sub":"a"}"#);
    let e = verifier(options).verify(&token, 0.0).unwrap_err();
    assert_eq!(e.code(), "ERR_JWT_CLAIM_MISSING");
    assert_shortened_to(e.message(), 64);
}

#[test]
fn an_unknown_option() {
    let e = VerifyOptions::from_json(&format!(r#"{{"{}":1}}"#, long_name())).unwrap_err();
    assert_eq!(e.code(), "ERR_INVALID_OPTION");
    assert_shortened_to(e.message(), 32);
}

#[test]
fn an_unknown_algorithm() {
    let e = parse_algorithm_option(&long_name()).unwrap_err();
    assert_eq!(e.code(), "ERR_INVALID_OPTION");
    assert_shortened_to(e.message(), 20);
}

#[test]
fn a_duplicate_member_name() {
    let name = long_name();
    let e = json::parse_object(format!(r#"{{"{name}":1,"{name}":2}}"#).as_bytes()).unwrap_err();
    assert!(e.message.starts_with("duplicate member name"), "{}", e.message);
    assert_shortened_to(&e.message, 64);
}

#[test]
fn a_jwk_type() {
    let e = Key::from_jwk(&format!(r#"{{"kty":"{}","k":"c2VjcmV0"}}"#, long_name())).unwrap_err();
    assert_eq!(e.code(), "ERR_KEY_INVALID");
    assert_shortened_to(e.message(), 16);
}

/// An asymmetric JWK's `kty`, `crv` (EC and OKP) and `alg`.
#[cfg(feature = "asymmetric")]
#[test]
fn asymmetric_jwk_members() {
    use jwtkit::{Algorithm, AsymmetricKey};
    let long = long_name();
    let public = AsymmetricKey::generate(Algorithm::EdDSA).unwrap().public_key().to_jwk_json(false).unwrap();
    let mut with_alg: serde_json::Value = serde_json::from_str(&public).unwrap();
    with_alg["alg"] = long.clone().into();
    for jwk in [
        format!(r#"{{"kty":"{long}"}}"#),
        format!(r#"{{"kty":"EC","crv":"{long}","x":"AA","y":"AA"}}"#),
        format!(r#"{{"kty":"OKP","crv":"{long}","x":"AA"}}"#),
        with_alg.to_string(),
    ] {
        let e = AsymmetricKey::from_jwk_json(&jwk).unwrap_err();
        assert_eq!(e.code(), "ERR_KEY_INVALID", "{jwk}");
        assert_shortened_to(e.message(), 16);
    }
}

#[test]
fn a_time_span() {
    let e = timespan::parse(&long_name()).unwrap_err();
    assert_eq!(e.code(), "ERR_INVALID_OPTION");
    assert_shortened_to(e.message(), 40);
}

#[test]
fn short_text_is_quoted_whole() {
    let e = parse_algorithm_option("HS999").unwrap_err();
    assert_eq!(quoted(e.message()), "HS999");
    let e = timespan::parse("2 fortnights").unwrap_err();
    assert_eq!(quoted(e.message()), "2 fortnights");
}
