//! Properties that hold for every input, checked on generated ones (proptest): sign then
//! verify gives the claims back (every algorithm), no input makes the parsers panic, one
//! changed character makes verification fail, base64url is canonical both ways. Case counts
//! are kept modest so the file runs in a few seconds; failures are shrunk and saved under
//! `tests/proptest-regressions/` to be committed with the fix.
//!
//! Native only: proptest is a native dev-dependency.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::SECRET;
use jwtkit::{
    base64url, decode_unverified, inspect, timespan, Algorithm, HeaderSpec, Key, KeyMeta, KeySet, Signer, Verifier,
    VerifyOptions,
};
use proptest::prelude::*;
use serde_json::{Map, Number, Value};

const NOW: f64 = 1_700_000_000.0;

// ---- generators -------------------------------------------------------------------------

/// Strings with escapes, controls, astral and other non-ASCII characters.
fn json_string() -> impl Strategy<Value = String> {
    let special = prop_oneof![
        Just('\u{1F600}'),
        Just('\u{10FFFF}'),
        Just('"'),
        Just('\\'),
        Just('/'),
        Just('\n'),
        Just('\u{0}'),
        Just('\u{1F}'),
        Just('\u{7F}'),
        Just('\u{2028}'),
        Just('\u{FEFF}'),
        Just('é'),
        Just('中'),
        any::<char>(),
    ];
    prop_oneof!["[a-z_]{0,8}", proptest::collection::vec(special, 0..12).prop_map(|chars| chars.into_iter().collect()),]
}

fn json_number() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_filter_map("finite", |f| Number::from_f64(f).map(Value::Number)),
        (-1e6f64..1e6).prop_map(Value::from),
        (0u32..4_000_000_000).prop_map(Value::from),
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        json_number(),
        json_string().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 24, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::btree_map(json_string(), inner, 0..4)
                .prop_map(|members| Value::Object(members.into_iter().collect())),
        ]
    })
}

/// A claims set: any JSON object whose `exp`, `nbf`, `iat`, when present, are numbers (the
/// verifier refuses other types by design), with registered claims mixed in.
fn json_object() -> impl Strategy<Value = Map<String, Value>> {
    let registered = proptest::collection::btree_map(
        prop_oneof![Just("iss"), Just("sub"), Just("aud"), Just("jti"), Just("exp"), Just("nbf"), Just("iat")],
        json_value(),
        0..4,
    );
    (proptest::collection::btree_map(json_string(), json_value(), 0..6), registered).prop_map(
        |(members, registered)| {
            let mut map: Map<String, Value> = members.into_iter().collect();
            map.extend(registered.into_iter().map(|(k, v)| (k.to_owned(), v)));
            for name in ["exp", "nbf", "iat"] {
                if map.get(name).is_some_and(|v| !v.is_number()) {
                    map.insert(name.to_owned(), Value::from(NOW));
                }
            }
            map
        },
    )
}

fn algorithm() -> impl Strategy<Value = Algorithm> {
    prop_oneof![Just(Algorithm::HS256), Just(Algorithm::HS384), Just(Algorithm::HS512)]
}

/// Arbitrary bytes read as Latin-1, so every byte value becomes one character.
fn latin1() -> impl Strategy<Value = String> {
    proptest::collection::vec(any::<u8>(), 0..300).prop_map(|bytes| bytes.into_iter().map(char::from).collect())
}

/// Characters a mutation puts into a token: its own alphabet, separators, padding, the
/// standard alphabet, whitespace, non-ASCII.
fn replacement_char() -> impl Strategy<Value = char> {
    prop_oneof![
        4 => proptest::char::ranges(vec!['A'..='Z', 'a'..='z', '0'..='9'].into()),
        1 => prop_oneof![Just('-'), Just('_'), Just('.'), Just('='), Just('+'), Just('/'), Just(' '), Just('\n')],
        1 => any::<char>(),
    ]
}

// ---- helpers ----------------------------------------------------------------------------

fn signer(alg: Algorithm) -> Signer {
    Signer::new(Key::from_secret(SECRET).unwrap(), alg, &HeaderSpec::default()).unwrap()
}

/// Checks only the signature and the shape: times are ignored, any length is accepted.
fn lenient() -> Verifier {
    let options = VerifyOptions {
        ignore_expiration: true,
        ignore_not_before: true,
        max_token_length: usize::MAX,
        ..VerifyOptions::default()
    };
    Verifier::new(common::key(SECRET), options).unwrap()
}

fn valid_token() -> impl Strategy<Value = String> {
    (json_object(), algorithm()).prop_map(|(claims, alg)| {
        signer(alg).sign_claims(&serde_json::to_string(&Value::Object(claims)).unwrap()).unwrap()
    })
}

/// Everything that takes untrusted text; none of it may panic.
fn exercise(text: &str) {
    let _ = decode_unverified(text);
    let _ = common::verifier(VerifyOptions::default()).verify(text, NOW);
    let _ = lenient().verify(text, NOW);
    let report = inspect(text, None, NOW);
    // The report's JSON is valid JSON, whatever the input.
    let json = report.to_json();
    assert!(serde_json::from_str::<serde_json::Value>(&json).is_ok(), "{json}");
    let _ = inspect(text, Some(&common::key(SECRET)), NOW);
    let _ = base64url::decode_at(text);
    let _ = Key::from_jwk(text);
    let _ = KeySet::from_jwks(text);
    let _ = Key::from_base64_secret(text);
    let _ = VerifyOptions::from_json(text);
    let _ = timespan::parse(text);
}

// ---- properties -------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn sign_then_verify_gives_the_claims_back_for_any_json_object(claims in json_object(), alg in algorithm()) {
        let text = serde_json::to_string(&Value::Object(claims.clone())).unwrap();
        let token = signer(alg).sign_claims(&text).unwrap();
        let verified = lenient().verify(&token, NOW).unwrap();
        prop_assert_eq!(&verified.payload, &text, "the payload text comes back byte for byte");
        let header: Value = serde_json::from_str(&verified.header).unwrap();
        prop_assert_eq!(header["alg"].as_str(), Some(alg.name()));
        prop_assert_eq!(decode_unverified(&token).unwrap().payload, text);
    }

    #[test]
    fn a_token_with_any_kid_verifies_with_the_plain_secret(claims in json_object(), kid in json_string(), alg in algorithm()) {
        let spec = HeaderSpec { kid: Some(kid), ..HeaderSpec::default() };
        let signer = Signer::new(Key::from_secret(SECRET).unwrap(), alg, &spec).unwrap();
        let text = serde_json::to_string(&Value::Object(claims)).unwrap();
        let token = signer.sign_claims(&text).unwrap();
        prop_assert_eq!(lenient().verify(&token, NOW).unwrap().payload, text);
    }

    #[test]
    fn a_kid_chooses_the_key_of_a_jwk_set(claims in json_object(), kid in json_string(), alg in algorithm()) {
        let spec = HeaderSpec { kid: Some(kid.clone()), ..HeaderSpec::default() };
        let signer = Signer::new(Key::from_secret(SECRET).unwrap(), alg, &spec).unwrap();
        let text = serde_json::to_string(&Value::Object(claims)).unwrap();
        let token = signer.sign_claims(&text).unwrap();
        let other = base64url::encode(b"another-secret-another-secret-another-secret-another-secret-1234");
        let jwks = serde_json::json!({ "keys": [
            { "kty": "oct", "kid": format!("{kid}-other"), "k": other },
            { "kty": "oct", "kid": kid, "k": base64url::encode(SECRET) },
        ]});
        let set = KeySet::from_jwks(&jwks.to_string()).unwrap();
        let options = VerifyOptions { ignore_expiration: true, ignore_not_before: true, max_token_length: usize::MAX, ..VerifyOptions::default() };
        let verified = Verifier::new(set, options).unwrap().verify(&token, NOW).unwrap();
        prop_assert_eq!(verified.payload, text);
    }

    #[test]
    fn no_string_makes_decode_verify_or_inspect_panic(text in any::<String>()) {
        exercise(&text);
    }

    #[test]
    fn no_latin1_bytes_make_decode_verify_or_inspect_panic(text in latin1()) {
        exercise(&text);
    }

    #[test]
    fn no_token_shaped_text_makes_decode_verify_or_inspect_panic(
        parts in proptest::collection::vec("[A-Za-z0-9_=+/ -]{0,40}", 0..6)
    ) {
        exercise(&parts.join("."));
    }

    #[test]
    fn no_mutation_of_a_valid_token_makes_anything_panic(
        token in valid_token(),
        edits in proptest::collection::vec((any::<prop::sample::Index>(), replacement_char(), 0u8..3), 1..6),
    ) {
        let mut chars: Vec<char> = token.chars().collect();
        for (index, c, op) in edits {
            let i = index.index(chars.len() + 1);
            match op {
                0 if i < chars.len() => chars[i] = c,
                1 => chars.insert(i, c),
                _ if i < chars.len() => { chars.remove(i); }
                _ => {}
            }
        }
        exercise(&chars.into_iter().collect::<String>());
    }

    #[test]
    fn one_changed_character_anywhere_makes_verify_fail(
        token in valid_token(),
        index in any::<prop::sample::Index>(),
        c in replacement_char(),
    ) {
        let mut chars: Vec<char> = token.chars().collect();
        let i = index.index(chars.len());
        prop_assume!(chars[i] != c);
        chars[i] = c;
        let changed: String = chars.into_iter().collect();
        prop_assert!(lenient().verify(&token, NOW).is_ok());
        prop_assert!(lenient().verify(&changed, NOW).is_err(), "{} verified after changing position {}", changed, i);
    }

    #[test]
    fn a_token_of_the_wrong_shape_is_malformed_whatever_else_is_wrong(
        token in valid_token(),
        index in any::<prop::sample::Index>(),
        c in prop_oneof![Just('.'), Just('='), Just('+'), Just(' '), Just('é'), replacement_char()],
    ) {
        // Verification checks the characters of each part on the way (not in a first pass),
        // so this pins that shape errors still come first, with the header cache cold or warm.
        let mut chars: Vec<char> = token.chars().collect();
        let i = index.index(chars.len());
        chars[i] = c;
        let changed: String = chars.into_iter().collect();
        let expected = match jwtkit::token::split(&changed) {
            Err(e) => Some(e.message().to_owned()),
            Ok(parts) => [parts.header, parts.payload, parts.signature]
                .iter()
                .any(|p| !jwtkit::base64url::is_canonical(p))
                .then(|| "jwt malformed".to_owned()),
        };
        let verifier = lenient();
        let mut warm = jwtkit::verify::Scratch::default();
        prop_assert!(verifier.verify_payload(&token, NOW, &mut warm).is_ok());
        for result in [verifier.verify(&changed, NOW).map(|v| v.payload), verifier.verify_payload(&changed, NOW, &mut warm)] {
            match (&expected, result) {
                (Some(message), Err(e)) => {
                    prop_assert_eq!((e.code(), e.message()), ("ERR_JWT_MALFORMED", message.as_str()), "{}", changed);
                }
                (Some(_), Ok(_)) => prop_assert!(false, "{} verified", changed),
                (None, result) => prop_assert!(changed == token || result.is_err(), "{} verified", changed),
            }
        }
    }

    #[test]
    fn one_changed_byte_anywhere_makes_verify_fail(
        token in valid_token(),
        index in any::<prop::sample::Index>(),
        flip in 1u8..=255,
    ) {
        // Any byte value, read as Latin-1 where the result is not UTF-8.
        let mut bytes = token.clone().into_bytes();
        let i = index.index(bytes.len());
        bytes[i] ^= flip;
        let changed = match String::from_utf8(bytes.clone()) {
            Ok(text) => text,
            Err(_) => bytes.iter().map(|&b| char::from(b)).collect(),
        };
        prop_assert!(lenient().verify(&changed, NOW).is_err(), "{} verified after changing byte {}", changed, i);
    }

    #[test]
    fn one_inserted_or_deleted_character_makes_verify_fail(
        token in valid_token(),
        index in any::<prop::sample::Index>(),
        c in replacement_char(),
        insert in any::<bool>(),
    ) {
        let mut chars: Vec<char> = token.chars().collect();
        if insert {
            chars.insert(index.index(chars.len() + 1), c);
        } else {
            chars.remove(index.index(chars.len()));
        }
        let changed: String = chars.into_iter().collect();
        prop_assert!(lenient().verify(&changed, NOW).is_err(), "{} verified", changed);
    }

    #[test]
    fn only_the_signing_algorithm_verifies_whatever_the_header_says(
        alg in prop_oneof![
            Just("HS256".to_owned()), Just("none".to_owned()), Just("None".to_owned()),
            Just("hs256".to_owned()), Just("RS256".to_owned()), Just("ES256".to_owned()), "[A-Za-z0-9]{0,8}",
        ],
        claims in json_object(),
    ) {
        // Every token is correctly signed with the verifier's secret under HS256; only a
        // header that says HS256 may pass.
        let header = serde_json::json!({ "alg": alg, "typ": "JWT" }).to_string();
        let payload = serde_json::to_string(&Value::Object(claims)).unwrap();
        let token = common::forge(header.as_bytes(), payload.as_bytes(), SECRET, Algorithm::HS256);
        let result = lenient().verify(&token, NOW);
        prop_assert_eq!(result.is_ok(), alg == "HS256", "alg {:?}: {:?}", alg, result);
    }

    #[test]
    fn base64url_decoding_accepts_only_canonical_text(text in prop_oneof!["[A-Za-z0-9_-]{0,70}", "[A-Za-z0-9_+/= -]{0,12}", any::<String>()]) {
        match base64url::decode(&text) {
            Ok(bytes) => prop_assert_eq!(base64url::encode(&bytes), text),
            Err(e) => prop_assert_eq!(e.code(), "ERR_JWT_MALFORMED"),
        }
    }

    #[test]
    fn base64url_encoding_round_trips_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let text = base64url::encode(&bytes);
        prop_assert!(text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        prop_assert_eq!(text.len(), (bytes.len() * 4).div_ceil(3));
        prop_assert_eq!(base64url::decode(&text).unwrap(), bytes);
    }
}

#[test]
fn the_generators_make_what_the_properties_claim_to_cover() {
    // A guard against generators that quietly stop producing the interesting cases.
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let (mut astral, mut nested, mut floats, mut big) = (false, false, false, false);
    for _ in 0..200 {
        let object = json_object().new_tree(&mut runner).unwrap().current();
        let text = serde_json::to_string(&Value::Object(object)).unwrap();
        astral |= text.chars().any(|c| c > '\u{FFFF}');
        nested |= text.contains("[{") || text.contains(":{");
        floats |= text.contains('.') && text.chars().any(|c| c.is_ascii_digit());
        big |= text.contains("e+") || text.contains("e-") || text.chars().filter(char::is_ascii_digit).count() > 18;
    }
    assert!(astral && nested && floats && big, "astral {astral}, nested {nested}, floats {floats}, big {big}");
    let _ = KeyMeta::default();
}

// ---- asymmetric algorithms --------------------------------------------------------------

/// The test keys of `tests/keys/` as (private, public) per algorithm they serve.
#[cfg(feature = "asymmetric")]
fn asymmetric_keys() -> &'static [(Algorithm, Key, Key)] {
    static KEYS: std::sync::OnceLock<Vec<(Algorithm, Key, Key)>> = std::sync::OnceLock::new();
    KEYS.get_or_init(common::asymmetric_key_pairs)
}

#[cfg(feature = "asymmetric")]
proptest! {
    // RSA signing costs milliseconds: fewer cases.
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn sign_then_verify_gives_the_claims_back_with_every_asymmetric_algorithm(
        claims in json_object(),
        index in any::<prop::sample::Index>(),
        edit in (any::<prop::sample::Index>(), replacement_char()),
    ) {
        let keys = asymmetric_keys();
        let (alg, private, public) = &keys[index.index(keys.len())];
        let text = serde_json::to_string(&Value::Object(claims)).unwrap();
        let token = Signer::new(private.clone(), *alg, &HeaderSpec::default()).unwrap().sign_claims(&text).unwrap();
        let options = VerifyOptions { ignore_expiration: true, ignore_not_before: true, max_token_length: usize::MAX, ..VerifyOptions::default() };
        let verifier = Verifier::new(KeySet::single(public.clone(), KeyMeta::default()), options).unwrap();
        let verified = verifier.verify(&token, NOW).unwrap();
        prop_assert_eq!(&verified.payload, &text);
        let header: Value = serde_json::from_str(&verified.header).unwrap();
        prop_assert_eq!(header["alg"].as_str(), Some(alg.name()));
        // One changed character anywhere makes it fail.
        let mut chars: Vec<char> = token.chars().collect();
        let i = edit.0.index(chars.len());
        prop_assume!(chars[i] != edit.1);
        chars[i] = edit.1;
        let changed: String = chars.into_iter().collect();
        prop_assert!(verifier.verify(&changed, NOW).is_err(), "{} verified after changing position {}", alg, i);
    }

    #[test]
    fn no_signature_bytes_make_asymmetric_verify_panic_or_pass(
        index in any::<prop::sample::Index>(),
        signature in proptest::collection::vec(any::<u8>(), 0..600),
    ) {
        let keys = asymmetric_keys();
        let (alg, _, public) = &keys[index.index(keys.len())];
        let input = format!("{}.{}", base64url::encode(format!(r#"{{"alg":"{alg}"}}"#).as_bytes()), base64url::encode(b"{}"));
        let token = format!("{input}.{}", base64url::encode(&signature));
        let verifier = Verifier::new(KeySet::single(public.clone(), KeyMeta::default()), VerifyOptions::default()).unwrap();
        prop_assert!(verifier.verify(&token, NOW).is_err());
    }
}
