//! Asymmetric keys: RFC vectors, keys and signatures made by an independent implementation
//! (Python `cryptography`, tests/keys/), key confusion, signature edge cases, PEM and JWK
//! strictness, and round trips with generated keys.
#![cfg(feature = "asymmetric")]
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

mod common;

use std::sync::OnceLock;

use common::{as_base64url, pem_body, KEY_FILES};
use jwtkit::asymmetric::AsymmetricKey;
use jwtkit::{base64url, Algorithm, Family, Key};
use serde_json::Value;

fn data(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

fn b64(text: &str) -> Vec<u8> {
    base64url::decode(text).unwrap()
}

fn alg(name: &str) -> Algorithm {
    name.parse().unwrap()
}

fn code<T: std::fmt::Debug>(result: jwtkit::Result<T>) -> &'static str {
    match result {
        Ok(value) => panic!("expected an error, got {value:?}"),
        Err(e) => e.code(),
    }
}

fn pem(text: &str) -> AsymmetricKey {
    AsymmetricKey::from_pem(text).unwrap_or_else(|e| panic!("{e}"))
}

fn jwk(value: &Value) -> AsymmetricKey {
    AsymmetricKey::from_jwk_json(&value.to_string()).unwrap_or_else(|e| panic!("{e}")).0
}

fn sign(key: &AsymmetricKey, alg: Algorithm, input: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    key.sign_into(alg, input, &mut out).unwrap_or_else(|e| panic!("{alg}: {e}"));
    out
}

/// Splits a compact JWS into its signing input and decoded signature.
fn split(token: &str) -> (&str, Vec<u8>) {
    let dot = token.rfind('.').unwrap();
    (&token[..dot], b64(&token[dot + 1..]))
}

fn key_file(name: &str) -> Value {
    data(KEY_FILES.iter().find(|(n, _)| *n == name).unwrap().1)
}

// ---- RFC vectors ------------------------------------------------------------------------

#[test]
fn rfc7515_a2_rs256_signature_verifies_and_is_reproduced() {
    let file = data(include_str!("vectors/rfc7515-a2.json"));
    let key = jwk(&file["jwk"]);
    let (input, signature) = split(file["token"].as_str().unwrap());
    assert_eq!(input.split('.').next().unwrap(), base64url::encode(file["header"].as_str().unwrap().as_bytes()));
    key.verify(Algorithm::RS256, input.as_bytes(), &signature).unwrap();
    key.public_key().verify(Algorithm::RS256, input.as_bytes(), &signature).unwrap();
    assert_eq!(sign(&key, Algorithm::RS256, input.as_bytes()), signature, "PKCS#1 v1.5 is deterministic");
    let mut tampered = signature.clone();
    tampered[100] ^= 0x10;
    assert_eq!(code(key.verify(Algorithm::RS256, input.as_bytes(), &tampered)), "ERR_JWS_INVALID_SIGNATURE");
    assert_eq!(code(key.verify(Algorithm::PS256, input.as_bytes(), &signature)), "ERR_JWS_INVALID_SIGNATURE");
    assert_eq!(code(key.verify(Algorithm::RS384, input.as_bytes(), &signature)), "ERR_JWS_INVALID_SIGNATURE");
}

#[test]
fn rfc7515_a3_es256_and_a4_es512_signatures_verify() {
    for (text, alg) in [
        (include_str!("vectors/rfc7515-a3.json"), Algorithm::ES256),
        (include_str!("vectors/rfc7515-a4.json"), Algorithm::ES512),
    ] {
        let file = data(text);
        assert_eq!(file["alg"], alg.name());
        let key = jwk(&file["jwk"]);
        let (input, signature) = split(file["token"].as_str().unwrap());
        key.public_key().verify(alg, input.as_bytes(), &signature).unwrap_or_else(|e| panic!("{alg}: {e}"));
        let mut tampered = signature.clone();
        tampered[5] ^= 1;
        assert_eq!(code(key.verify(alg, input.as_bytes(), &tampered)), "ERR_JWS_INVALID_SIGNATURE", "{alg}");
        // The key signs deterministically, and its signatures verify.
        let ours = sign(&key, alg, input.as_bytes());
        assert_eq!(ours, sign(&key, alg, input.as_bytes()), "{alg}: RFC 6979 is deterministic");
        key.public_key().verify(alg, input.as_bytes(), &ours).unwrap();
    }
}

#[test]
fn rfc8037_ed25519_signature_verifies_and_is_reproduced() {
    let file = data(include_str!("vectors/rfc8037-a.json"));
    let key = jwk(&file["jwk"]);
    let (input, signature) = split(file["token"].as_str().unwrap());
    assert_eq!(sign(&key, Algorithm::EdDSA, input.as_bytes()), signature);
    let public = jwk(&file["public_jwk"]);
    public.verify(Algorithm::EdDSA, input.as_bytes(), &signature).unwrap();
    assert_eq!(public.thumbprint().unwrap(), file["thumbprint"].as_str().unwrap());
    assert_eq!(key.thumbprint().unwrap(), file["thumbprint"].as_str().unwrap());
    assert_eq!(key.public_key().to_jwk_json(false).unwrap(), public.to_jwk_json(false).unwrap());
    let mut tampered = signature.clone();
    tampered[63] ^= 0x01;
    assert_eq!(code(public.verify(Algorithm::EdDSA, input.as_bytes(), &tampered)), "ERR_JWS_INVALID_SIGNATURE");
}

// ---- Keys and signatures from another implementation ------------------------------------

#[test]
fn every_format_of_a_test_key_is_the_same_key() {
    for (name, text) in KEY_FILES {
        let file = data(text);
        let thumbprint = file["thumbprint"].as_str().unwrap();
        let mut seen = 0;
        for (format, private) in [
            ("pkcs8", true),
            ("pkcs1", true),
            ("sec1", true),
            ("spki", false),
            ("pkcs1_public", false),
            ("certificate", false),
        ] {
            if let Some(text) = file[format].as_str() {
                let key = pem(text);
                assert_eq!(key.thumbprint().unwrap(), thumbprint, "{name} {format}");
                assert_eq!(key.is_private(), private, "{name} {format}");
                seen += 1;
            }
        }
        assert!(seen >= 3, "{name}");
        let (private, meta) = AsymmetricKey::from_jwk_json(&file["jwk_private"].to_string()).unwrap();
        assert!(private.is_private());
        assert_eq!(meta.kid.as_deref(), Some(thumbprint), "{name}: jwcrypto sets kid to the thumbprint");
        assert_eq!(private.thumbprint().unwrap(), thumbprint, "{name}");
        let public = jwk(&file["jwk_public"]);
        assert!(!public.is_private());
        assert_eq!(public.thumbprint().unwrap(), thumbprint, "{name}");
    }
}

#[test]
fn signatures_made_by_python_cryptography_verify() {
    let mut checked = 0;
    for (name, text) in KEY_FILES {
        let file = data(text);
        let input = file["input"].as_str().unwrap().as_bytes();
        let key = pem(file["spki"].as_str().unwrap());
        for (alg_name, signature) in file["signatures"].as_object().unwrap() {
            let (alg, signature) = (alg(alg_name), b64(signature.as_str().unwrap()));
            key.verify(alg, input, &signature).unwrap_or_else(|e| panic!("{name} {alg}: {e}"));
            assert_eq!(code(key.verify(alg, b"other input", &signature)), "ERR_JWS_INVALID_SIGNATURE", "{name} {alg}");
            checked += 1;
        }
    }
    assert_eq!(checked, 6 + 5 + 1 + 1 + 1 + 1);
}

#[test]
fn exported_pem_matches_the_other_implementation_byte_for_byte() {
    for (name, text) in KEY_FILES {
        let file = data(text);
        let key = pem(file["pkcs8"].as_str().unwrap());
        assert_eq!(key.to_pem(false).unwrap(), file["spki"].as_str().unwrap(), "{name}");
        // The private JWK has the same members as jwcrypto's (which adds a kid).
        let ours = data(&key.to_jwk_json(true).unwrap());
        let mut theirs = file["jwk_private"].clone();
        theirs.as_object_mut().unwrap().remove("kid");
        assert_eq!(ours, theirs, "{name}");
        // PKCS#8 as OpenSSL writes it (v1; EC with its public key and no inner curve).
        assert_eq!(key.to_pem(true).unwrap(), file["pkcs8"].as_str().unwrap(), "{name}");
    }
}

// ---- Key confusion ----------------------------------------------------------------------

#[test]
fn each_key_serves_only_its_own_algorithms() {
    let expected: [(&str, &[Algorithm]); 5] = [
        (
            "rsa-2048",
            &[
                Algorithm::RS256,
                Algorithm::RS384,
                Algorithm::RS512,
                Algorithm::PS256,
                Algorithm::PS384,
                Algorithm::PS512,
            ],
        ),
        ("ec-p256", &[Algorithm::ES256]),
        ("ec-p384", &[Algorithm::ES384]),
        ("ec-p521", &[Algorithm::ES512]),
        ("ed25519", &[Algorithm::EdDSA]),
    ];
    for (name, algorithms) in expected {
        let file = key_file(name);
        let key = pem(file["pkcs8"].as_str().unwrap());
        assert_eq!(key.default_algorithms(), algorithms, "{name}");
        for alg in Algorithm::ALL {
            if algorithms.contains(&alg) {
                continue;
            }
            let signature = vec![1u8; 64];
            assert_eq!(code(key.verify(alg, b"a.b", &signature)), "ERR_JWS_ALG_NOT_ALLOWED", "{name} verifying {alg}");
            assert_eq!(code(key.sign_into(alg, b"a.b", &mut Vec::new())), "ERR_KEY_INVALID", "{name} signing {alg}");
        }
    }
}

#[test]
fn asymmetric_keys_are_never_hmac_secrets() {
    for (name, text) in KEY_FILES {
        let file = data(text);
        for text in
            [file["spki"].as_str().unwrap().to_owned(), file["jwk_public"].to_string(), file["jwk_private"].to_string()]
        {
            assert_eq!(code(Key::from_secret(text.as_bytes())), "ERR_KEY_INVALID", "{name}");
        }
    }
}

#[test]
fn generated_keys_as_der_or_pem_bodies_are_never_hmac_secrets() {
    for alg in [Algorithm::RS256, Algorithm::ES256, Algorithm::ES384, Algorithm::ES512, Algorithm::EdDSA] {
        for private in [false, true] {
            let pem = generated(alg).to_pem(private).unwrap();
            let body = pem_body(&pem);
            let der = b64(&as_base64url(&body));
            let name = format!("{alg} {}", if private { "PKCS#8" } else { "SPKI" });
            assert_eq!(code(Key::from_secret(&der)), "ERR_KEY_INVALID", "{name} DER");
            assert_eq!(code(Key::from_secret(body.as_bytes())), "ERR_KEY_INVALID", "{name} PEM body");
            assert_eq!(code(Key::from_base64_secret(&body.replace('\n', ""))), "ERR_KEY_INVALID", "{name} as base64");
        }
    }
}

#[test]
fn families_follow_the_key_type() {
    assert_eq!(pem(key_file("rsa-2048")["spki"].as_str().unwrap()).family(), Family::Rsa);
    assert_eq!(pem(key_file("ec-p384")["spki"].as_str().unwrap()).family(), Family::Ec);
    assert_eq!(pem(key_file("ed25519")["spki"].as_str().unwrap()).family(), Family::Okp);
}

// ---- ECDSA signature edge cases ---------------------------------------------------------

/// The group orders of P-256, P-384 and P-521 (big-endian), padded to the field length.
fn order(alg: Algorithm) -> Vec<u8> {
    let hex = match alg {
        Algorithm::ES256 => "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551",
        Algorithm::ES384 => "ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973",
        _ => "01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409",
    };
    (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap()).collect()
}

fn plus(bytes: &[u8], add: u8) -> Vec<u8> {
    let mut out = bytes.to_vec();
    let mut carry = add as u16;
    for b in out.iter_mut().rev() {
        let sum = *b as u16 + carry;
        *b = sum as u8;
        carry = sum >> 8;
    }
    out
}

#[test]
fn ecdsa_zero_and_out_of_range_r_or_s_are_refused() {
    for (name, alg, len) in
        [("ec-p256", Algorithm::ES256, 32), ("ec-p384", Algorithm::ES384, 48), ("ec-p521", Algorithm::ES512, 66)]
    {
        let file = key_file(name);
        let key = pem(file["spki"].as_str().unwrap());
        let input = file["input"].as_str().unwrap().as_bytes();
        let valid = b64(file["signatures"][alg.name()].as_str().unwrap());
        let (r, s) = valid.split_at(len);
        let n = order(alg);
        assert_eq!(n.len(), len);
        let zero = vec![0u8; len];
        let cases: Vec<(&str, Vec<u8>)> = vec![
            ("all zero (CVE-2022-21449)", [&zero[..], &zero[..]].concat()),
            ("r zero", [&zero[..], s].concat()),
            ("s zero", [r, &zero[..]].concat()),
            ("r = n", [&n[..], s].concat()),
            ("s = n", [r, &n[..]].concat()),
            ("r = n + 1", [&plus(&n, 1)[..], s].concat()),
            ("s = n + 2", [r, &plus(&n, 2)[..]].concat()),
            ("all ones", vec![0xff; 2 * len]),
            ("truncated", valid[..2 * len - 1].to_vec()),
            ("one byte longer", [&valid[..], &[0u8][..]].concat()),
            ("leading zero added", [&[0u8][..], &valid[..]].concat()),
            ("DER", b64(file["der_signature"].as_str().unwrap())),
            ("empty", Vec::new()),
        ];
        key.verify(alg, input, &valid).unwrap();
        for (case, signature) in cases {
            assert_eq!(code(key.verify(alg, input, &signature)), "ERR_JWS_INVALID_SIGNATURE", "{name}: {case}");
        }
    }
}

#[test]
fn eddsa_and_rsa_refuse_zero_and_malformed_signatures() {
    let ed = key_file("ed25519");
    let key = pem(ed["spki"].as_str().unwrap());
    let input = ed["input"].as_str().unwrap().as_bytes();
    for signature in [vec![0u8; 64], vec![0xff; 64], vec![0u8; 63], vec![]] {
        assert_eq!(code(key.verify(Algorithm::EdDSA, input, &signature)), "ERR_JWS_INVALID_SIGNATURE");
    }
    let rsa = key_file("rsa-2048");
    let key = pem(rsa["spki"].as_str().unwrap());
    let valid = b64(rsa["signatures"]["RS256"].as_str().unwrap());
    for signature in
        [vec![0u8; 256], vec![0xff; 256], vec![1u8], valid[1..].to_vec(), [&[0u8][..], &valid[..]].concat()]
    {
        assert_eq!(code(key.verify(Algorithm::RS256, input, &signature)), "ERR_JWS_INVALID_SIGNATURE");
    }
}

// ---- RSA specifics ----------------------------------------------------------------------

#[test]
fn rsa_keys_under_2048_bits_need_allow_weak_key() {
    let file = key_file("rsa-1024");
    for format in ["pkcs8", "pkcs1", "spki", "pkcs1_public"] {
        let key = pem(file[format].as_str().unwrap());
        let error = key.check_strength(Algorithm::RS256, false).unwrap_err();
        assert_eq!(error.code(), "ERR_KEY_TOO_WEAK", "{format}");
        assert!(error.message().contains("1024"), "{}", error.message());
        key.check_strength(Algorithm::RS256, true).unwrap();
        let signature = b64(file["signatures"]["RS256"].as_str().unwrap());
        key.verify(Algorithm::RS256, file["input"].as_str().unwrap().as_bytes(), &signature).unwrap();
    }
    let strong = pem(key_file("rsa-2048")["spki"].as_str().unwrap());
    strong.check_strength(Algorithm::PS512, false).unwrap();
}

#[test]
fn rsa_keys_under_1024_bits_are_refused_outright() {
    let refused = data(include_str!("keys/refused.json"));
    assert_eq!(code(AsymmetricKey::from_pem(refused["rsa_512_spki"].as_str().unwrap())), "ERR_KEY_TOO_WEAK");
}

#[test]
fn pss_needs_a_salt_as_long_as_the_hash() {
    let file = key_file("rsa-2048");
    let key = pem(file["spki"].as_str().unwrap());
    let input = file["input"].as_str().unwrap().as_bytes();
    let salt_0 = b64(file["ps256_salt_0"].as_str().unwrap());
    assert_eq!(code(key.verify(Algorithm::PS256, input, &salt_0)), "ERR_JWS_INVALID_SIGNATURE");
    // PKCS#1 v1.5 and PSS signatures are not interchangeable.
    let rs = b64(file["signatures"]["RS256"].as_str().unwrap());
    let ps = b64(file["signatures"]["PS256"].as_str().unwrap());
    assert_eq!(code(key.verify(Algorithm::PS256, input, &rs)), "ERR_JWS_INVALID_SIGNATURE");
    assert_eq!(code(key.verify(Algorithm::RS256, input, &ps)), "ERR_JWS_INVALID_SIGNATURE");
}

#[test]
fn rsa_private_jwk_must_be_consistent() {
    let file = key_file("rsa-2048");
    let good = &file["jwk_private"];
    // Only d: the primes are recovered.
    let mut only_d = good.clone();
    for member in ["p", "q", "dp", "dq", "qi"] {
        only_d.as_object_mut().unwrap().remove(member);
    }
    assert_eq!(jwk(&only_d).thumbprint().unwrap(), file["thumbprint"].as_str().unwrap());
    let mut cases: Vec<(&str, Value)> = Vec::new();
    let mut partial = good.clone();
    partial.as_object_mut().unwrap().remove("qi");
    cases.push(("qi missing", partial));
    let mut no_d = good.clone();
    no_d.as_object_mut().unwrap().remove("d");
    cases.push(("private members without d", no_d));
    let mut swapped = good.clone();
    swapped["dp"] = good["dq"].clone();
    cases.push(("dp wrong", swapped));
    let mut wrong_q = good.clone();
    wrong_q["q"] = good["p"].clone();
    cases.push(("q wrong", wrong_q));
    let mut multi = good.clone();
    multi["oth"] = serde_json::json!([{"r": "AQAB", "d": "AQAB", "t": "AQAB"}]);
    cases.push(("multi-prime", multi));
    let mut other_d = good.clone();
    other_d["d"] = key_file("rsa-1024")["jwk_private"]["d"].clone();
    cases.push(("d of another key", other_d));
    for (case, value) in cases {
        let error = AsymmetricKey::from_jwk_json(&value.to_string()).unwrap_err();
        assert_eq!(error.code(), "ERR_KEY_INVALID", "{case}");
        for secret in ["d", "p", "q"] {
            assert!(!error.message().contains(good[secret].as_str().unwrap()), "{case}: message echoes {secret}");
        }
    }
}

// ---- PEM ---------------------------------------------------------------------------------

fn relabel(text: &str, label: &str) -> String {
    format!("-----BEGIN {label}-----\n{}\n-----END {label}-----\n", pem_body(text))
}

#[test]
fn a_pem_label_that_does_not_match_its_contents_is_refused() {
    let rsa = key_file("rsa-2048");
    let ec = key_file("ec-p256");
    let ed = key_file("ed25519");
    let cases = [
        (&rsa["pkcs8"], "PUBLIC KEY"),
        (&rsa["pkcs8"], "RSA PRIVATE KEY"),
        (&rsa["pkcs8"], "CERTIFICATE"),
        (&rsa["pkcs1"], "PRIVATE KEY"),
        (&rsa["pkcs1"], "RSA PUBLIC KEY"),
        (&rsa["spki"], "RSA PUBLIC KEY"),
        (&rsa["spki"], "PRIVATE KEY"),
        (&rsa["pkcs1_public"], "PUBLIC KEY"),
        (&rsa["certificate"], "PUBLIC KEY"),
        (&ec["sec1"], "PRIVATE KEY"),
        (&ec["pkcs8"], "EC PRIVATE KEY"),
        (&ec["spki"], "CERTIFICATE"),
        (&ec["sec1"], "RSA PRIVATE KEY"),
        (&ed["pkcs8"], "PUBLIC KEY"),
        (&ed["spki"], "PRIVATE KEY"),
    ];
    for (text, label) in cases {
        let relabelled = relabel(text.as_str().unwrap(), label);
        let error = AsymmetricKey::from_pem(&relabelled).unwrap_err();
        assert_eq!(error.code(), "ERR_KEY_INVALID", "{label}: {}", &relabelled[..40]);
    }
}

#[test]
fn unsupported_and_encrypted_pem_keys_are_refused_with_a_reason() {
    let refused = data(include_str!("keys/refused.json"));
    for (name, expected) in [("secp256k1_spki", "secp256k1"), ("ed448_spki", "Ed448"), ("encrypted_pkcs8", "encrypted")]
    {
        let error = AsymmetricKey::from_pem(refused[name].as_str().unwrap()).unwrap_err();
        assert_eq!(error.code(), "ERR_KEY_INVALID", "{name}");
        assert!(error.message().contains(expected), "{name}: {}", error.message());
    }
    for text in ["", "not a key", "-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----\n"] {
        assert_eq!(code(AsymmetricKey::from_pem(text)), "ERR_KEY_INVALID");
    }
}

#[test]
fn pem_layout_is_read_leniently() {
    let ec = key_file("ec-p256");
    let thumbprint = ec["thumbprint"].as_str().unwrap();
    let spki = ec["spki"].as_str().unwrap();
    let one_line = pem_body(spki).replace('\n', "");
    let variants = [
        spki.replace('\n', "\r\n"),
        format!("-----BEGIN PUBLIC KEY-----{one_line}-----END PUBLIC KEY-----"),
        format!("subject=CN = x\nBag Attributes: none\n{spki}trailing text"),
        format!(
            "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n{}",
            ec["sec1"].as_str().unwrap()
        ),
        format!("{}{}", ec["certificate"].as_str().unwrap(), key_file("rsa-2048")["certificate"].as_str().unwrap()),
        format!("  -----BEGIN PUBLIC KEY-----\n{}\n-----END PUBLIC KEY-----", one_line.trim_end_matches('=')),
    ];
    for text in variants {
        let key = AsymmetricKey::from_pem(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
        assert_eq!(key.thumbprint().unwrap(), thumbprint, "{text}");
    }
}

// ---- JWK ---------------------------------------------------------------------------------

#[test]
fn ec_jwk_coordinates_must_have_exactly_the_curve_length() {
    for name in ["ec-p256", "ec-p384", "ec-p521"] {
        let file = key_file(name);
        for member in ["x", "y", "d"] {
            let value = b64(file["jwk_private"][member].as_str().unwrap());
            for (case, changed) in
                [("one byte short", value[1..].to_vec()), ("a leading zero added", [&[0u8][..], &value[..]].concat())]
            {
                let mut key = file["jwk_private"].clone();
                key[member] = Value::String(base64url::encode(&changed));
                if member != "d" {
                    key.as_object_mut().unwrap().remove("d");
                }
                let error = AsymmetricKey::from_jwk_json(&key.to_string()).unwrap_err();
                assert_eq!(error.code(), "ERR_KEY_INVALID", "{name} {member} {case}");
                assert!(error.message().contains("exactly"), "{name} {member} {case}: {}", error.message());
            }
        }
    }
}

#[test]
fn ec_jwk_points_must_be_on_the_curve_and_match_d() {
    for name in ["ec-p256", "ec-p384", "ec-p521"] {
        let file = key_file(name);
        let mut off_curve = file["jwk_public"].clone();
        let mut y = b64(off_curve["y"].as_str().unwrap());
        *y.last_mut().unwrap() ^= 1;
        off_curve["y"] = Value::String(base64url::encode(&y));
        let error = AsymmetricKey::from_jwk_json(&off_curve.to_string()).unwrap_err();
        assert_eq!(error.code(), "ERR_KEY_INVALID", "{name}");
        assert!(error.message().contains("not a valid point"), "{}", error.message());
        let zero = base64url::encode(&vec![0u8; y.len()]);
        let mut origin = file["jwk_public"].clone();
        origin["x"] = Value::String(zero.clone());
        origin["y"] = Value::String(zero);
        assert_eq!(code(AsymmetricKey::from_jwk_json(&origin.to_string())), "ERR_KEY_INVALID", "{name}");
        // A private key whose public point is another key's.
        let mut mismatched = file["jwk_private"].clone();
        let alg = pem(file["spki"].as_str().unwrap()).default_algorithms()[0];
        mismatched["d"] = data(&generated(alg).to_jwk_json(true).unwrap())["d"].clone();
        let error = AsymmetricKey::from_jwk_json(&mismatched.to_string()).unwrap_err();
        assert!(error.message().contains("does not match"), "{name}: {}", error.message());
        assert!(!error.message().contains(mismatched["d"].as_str().unwrap()));
    }
}

#[test]
fn jwk_strictness() {
    let ec = key_file("ec-p256");
    let public = ec["jwk_public"].clone();
    let x = public["x"].as_str().unwrap().to_owned();
    let with = |member: &str, value: Value| {
        let mut key = public.clone();
        key[member] = value;
        key.to_string()
    };
    let cases = [
        ("alg for another curve", with("alg", "ES384".into())),
        ("alg of another family", with("alg", "RS256".into())),
        ("HMAC alg", with("alg", "HS256".into())),
        ("unknown alg", with("alg", "ES256K".into())),
        ("padded base64", with("x", format!("{x}=").into())),
        ("base64 alphabet", with("x", x.replace('-', "+").replace('_', "/").into())),
        ("number member", with("x", 5.into())),
        ("unknown curve", with("crv", "P-192".into())),
        ("secp256k1", with("crv", "secp256k1".into())),
        ("key_ops without sign or verify", with("key_ops", serde_json::json!(["encrypt"]))),
        ("kty oct", with("kty", "oct".into())),
        ("kty missing", serde_json::json!({"crv": "P-256", "x": x}).to_string()),
        ("y missing", serde_json::json!({"kty": "EC", "crv": "P-256", "x": x}).to_string()),
        ("duplicate member", format!(r#"{{"kty":"EC","kty":"EC","crv":"P-256","x":"{x}","y":{}}}"#, public["y"])),
        ("Ed448", r#"{"kty":"OKP","crv":"Ed448","x":"AQAB"}"#.to_owned()),
        ("X25519", r#"{"kty":"OKP","crv":"X25519","x":"AQAB"}"#.to_owned()),
        ("not JSON", "{".to_owned()),
        ("not an object", "[]".to_owned()),
    ];
    for (case, text) in cases {
        assert_eq!(code(AsymmetricKey::from_jwk_json(&text)), "ERR_KEY_INVALID", "{case}");
    }
    let ed = key_file("ed25519");
    let mut short = ed["jwk_public"].clone();
    short["x"] = Value::String(base64url::encode(&[9u8; 31]));
    assert_eq!(code(AsymmetricKey::from_jwk_json(&short.to_string())), "ERR_KEY_INVALID");
    // Small-order Ed25519 points (here the identity) are refused.
    let mut identity = ed["jwk_public"].clone();
    let mut one = [0u8; 32];
    one[0] = 1;
    identity["x"] = Value::String(base64url::encode(&one));
    let error = AsymmetricKey::from_jwk_json(&identity.to_string()).unwrap_err();
    assert!(error.message().contains("small-order"), "{}", error.message());
}

#[test]
fn jwk_metadata_is_returned_and_alg_is_kept() {
    let ec = key_file("ec-p384");
    let mut value = ec["jwk_public"].clone();
    value["alg"] = "ES384".into();
    value["use"] = "sig".into();
    value["key_ops"] = serde_json::json!(["verify"]);
    value["x5c"] = serde_json::json!(["ignored"]);
    let (key, meta) = AsymmetricKey::from_jwk_json(&value.to_string()).unwrap();
    assert_eq!(meta.kid.as_deref(), ec["jwk_public"]["kid"].as_str());
    assert_eq!(meta.alg, Some(Algorithm::ES384));
    assert_eq!(meta.usage.as_deref(), Some("sig"));
    assert_eq!(key.algorithm(), Some(Algorithm::ES384));
    assert!(key.to_jwk_json(false).unwrap().ends_with(r#","alg":"ES384"}"#));
    let text = value.to_string();
    let tree = jwtkit::tree::parse(&text).unwrap();
    let (same, _) = AsymmetricKey::from_jwk_object(tree.as_object().unwrap()).unwrap();
    assert_eq!(same.thumbprint().unwrap(), key.thumbprint().unwrap());
}

// ---- Generated keys ----------------------------------------------------------------------

/// One generated key per family and curve (RSA key generation is slow in debug builds).
fn generated(alg: Algorithm) -> &'static AsymmetricKey {
    static KEYS: OnceLock<Vec<AsymmetricKey>> = OnceLock::new();
    let keys = KEYS.get_or_init(|| {
        [Algorithm::RS256, Algorithm::ES256, Algorithm::ES384, Algorithm::ES512, Algorithm::EdDSA]
            .into_iter()
            .map(|alg| AsymmetricKey::generate(alg).unwrap())
            .collect()
    });
    keys.iter().find(|key| key.default_algorithms().contains(&alg)).unwrap()
}

/// Every algorithm but the HMAC ones.
fn asymmetric_algorithms() -> impl Iterator<Item = Algorithm> {
    Algorithm::ALL.into_iter().filter(|alg| alg.family() != jwtkit::Family::Hmac)
}

#[test]
fn generated_keys_sign_and_verify_every_algorithm() {
    for alg in asymmetric_algorithms() {
        let key = generated(alg);
        assert!(key.is_private());
        key.check_strength(alg, false).unwrap();
        let input = format!("eyJhbGciOiJ{alg}\".e30");
        let signature = sign(key, alg, input.as_bytes());
        let expected_len = match alg {
            Algorithm::ES256 => 64,
            Algorithm::ES384 => 96,
            Algorithm::ES512 => 132,
            Algorithm::EdDSA => 64,
            _ => 256,
        };
        assert_eq!(signature.len(), expected_len, "{alg}");
        key.verify(alg, input.as_bytes(), &signature).unwrap_or_else(|e| panic!("{alg}: {e}"));
        let public = key.public_key();
        public.verify(alg, input.as_bytes(), &signature).unwrap_or_else(|e| panic!("{alg}: {e}"));
        assert_eq!(code(public.verify(alg, b"another input", &signature)), "ERR_JWS_INVALID_SIGNATURE", "{alg}");
        assert_eq!(code(public.sign_into(alg, input.as_bytes(), &mut Vec::new())), "ERR_KEY_INVALID", "{alg}");
    }
}

#[test]
fn generated_keys_round_trip_through_pem_and_jwk() {
    for alg in [Algorithm::RS256, Algorithm::ES256, Algorithm::ES384, Algorithm::ES512, Algorithm::EdDSA] {
        let key = generated(alg);
        let input = b"header.payload";
        let signature = sign(key, alg, input);
        let thumbprint = key.thumbprint().unwrap();
        let private_pem = key.to_pem(true).unwrap();
        let public_pem = key.to_pem(false).unwrap();
        let private_jwk = key.to_jwk_json(true).unwrap();
        let public_jwk = key.to_jwk_json(false).unwrap();
        assert!(private_pem.starts_with("-----BEGIN PRIVATE KEY-----\n"), "{alg}");
        assert!(public_pem.starts_with("-----BEGIN PUBLIC KEY-----\n"), "{alg}");
        assert!(public_jwk.ends_with(&format!(r#","alg":"{alg}"}}"#)), "{alg}: {public_jwk}");
        assert!(!public_jwk.contains("\"d\""), "{alg}");
        let from_private_pem = pem(&private_pem);
        let from_public_pem = pem(&public_pem);
        let (from_private_jwk, meta) = AsymmetricKey::from_jwk_json(&private_jwk).unwrap();
        assert_eq!(meta.alg, Some(alg));
        let (from_public_jwk, _) = AsymmetricKey::from_jwk_json(&public_jwk).unwrap();
        for (format, other, private) in [
            ("private PEM", &from_private_pem, true),
            ("public PEM", &from_public_pem, false),
            ("private JWK", &from_private_jwk, true),
            ("public JWK", &from_public_jwk, false),
        ] {
            assert_eq!(other.thumbprint().unwrap(), thumbprint, "{alg} {format}");
            assert_eq!(other.is_private(), private, "{alg} {format}");
            other.verify(alg, input, &signature).unwrap_or_else(|e| panic!("{alg} {format}: {e}"));
        }
        // PEM -> JWK -> PEM gives the same text, both ways.
        assert_eq!(from_private_pem.to_pem(true).unwrap(), private_pem, "{alg}");
        assert_eq!(from_private_jwk.to_pem(true).unwrap(), private_pem, "{alg}");
        assert_eq!(
            data(&from_private_pem.to_jwk_json(true).unwrap()),
            data(&private_jwk.replace(&format!(r#","alg":"{alg}""#), "")),
            "{alg}"
        );
        assert_eq!(from_public_jwk.to_pem(false).unwrap(), public_pem, "{alg}");
        // The re-imported private key signs as the original.
        let again = sign(&from_private_jwk, alg, input);
        key.verify(alg, input, &again).unwrap();
        // Public keys export no private parts.
        assert_eq!(code(from_public_pem.to_pem(true)), "ERR_KEY_INVALID", "{alg}");
        assert_eq!(code(from_public_pem.to_jwk_json(true)), "ERR_KEY_INVALID", "{alg}");
    }
}

#[test]
fn signing_is_deterministic_for_rs_es_and_eddsa_and_salted_for_ps() {
    for alg in asymmetric_algorithms() {
        let key = generated(alg);
        let (a, b) = (sign(key, alg, b"x.y"), sign(key, alg, b"x.y"));
        let salted = matches!(alg, Algorithm::PS256 | Algorithm::PS384 | Algorithm::PS512);
        assert_eq!(a != b, salted, "{alg}");
    }
}

#[test]
fn debug_output_shows_no_key_material() {
    for alg in [Algorithm::RS256, Algorithm::ES256, Algorithm::ES512, Algorithm::EdDSA] {
        let key = generated(alg);
        let shown = format!("{key:?} {:?}", key.public_key());
        let jwk = data(&key.to_jwk_json(true).unwrap());
        for member in ["d", "x", "n", "p"] {
            if let Some(value) = jwk[member].as_str() {
                assert!(!shown.contains(&value[..12]), "{alg}: {shown}");
            }
        }
        assert!(shown.starts_with("AsymmetricKey("), "{shown}");
    }
    assert_eq!(format!("{:?}", generated(Algorithm::RS256)), "AsymmetricKey(RSA 2048-bit private key, alg RS256)");
}

#[test]
fn hmac_algorithms_have_no_key_pairs() {
    for alg in Algorithm::HMAC {
        assert_eq!(code(AsymmetricKey::generate(alg)), "ERR_KEY_INVALID");
    }
}

#[test]
fn a_single_key_of_another_family_is_alg_not_allowed_even_when_listed() {
    let pem = jwtkit::Key::from_pem(&{
        let keys: serde_json::Value = serde_json::from_str(include_str!("keys/ec-p256.json")).unwrap();
        keys["spki"].as_str().expect("the SPKI PEM of the test key").to_owned()
    })
    .unwrap();
    let options = jwtkit::VerifyOptions { algorithms: Some(vec![jwtkit::Algorithm::HS256]), ..Default::default() };
    let verifier = jwtkit::Verifier::new(jwtkit::KeySet::single(pem, Default::default()), options).unwrap();
    let token = "eyJhbGciOiJIUzI1NiJ9.e30.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    assert_eq!(verifier.verify(token, 0.0).unwrap_err().code(), "ERR_JWS_ALG_NOT_ALLOWED");
}

#[test]
fn a_single_rsa_jwk_for_rs256_refuses_a_ps256_token_as_the_algorithm() {
    let keys: serde_json::Value = serde_json::from_str(include_str!("keys/rsa-2048.json")).unwrap();
    let private = jwtkit::Key::from_pem(keys["pkcs8"].as_str().unwrap()).unwrap();
    let ps256 = jwtkit::Signer::new(private, Algorithm::PS256, &Default::default()).unwrap().sign_json(b"{}");
    let mut public = keys["jwk_public"].clone();
    public["alg"] = "RS256".into();
    let (key, meta) = jwtkit::Key::from_jwk(&public.to_string()).unwrap();
    let listed = jwtkit::VerifyOptions { algorithms: Some(vec![Algorithm::PS256]), ..Default::default() };
    let verifier = jwtkit::Verifier::new(jwtkit::KeySet::single(key, meta), listed).unwrap();
    let e = verifier.verify(&ps256, 0.0).unwrap_err();
    assert_eq!((e.code(), e.message()), ("ERR_JWS_ALG_NOT_ALLOWED", "invalid algorithm"));
}

#[test]
fn pem_after_explanatory_text_is_never_an_hmac_secret() {
    let keys: serde_json::Value = serde_json::from_str(include_str!("keys/ec-p256.json")).unwrap();
    let spki = keys["spki"].as_str().unwrap();
    let with_text = format!("Subject Public Key Info:\n    Public Key Algorithm: id-ecPublicKey\n{spki}");
    assert_eq!(jwtkit::Key::from_secret(with_text.as_bytes()).unwrap_err().code(), "ERR_KEY_INVALID");
    // Read as a PEM it is the EC key, which never serves HS256.
    let key = jwtkit::Key::from_pem(&with_text).unwrap();
    assert!(!key.fits(jwtkit::Algorithm::HS256) && key.fits(jwtkit::Algorithm::ES256));
}

#[test]
fn public_keys_and_keys_of_another_curve_cannot_sign() {
    let keys: serde_json::Value = serde_json::from_str(include_str!("keys/ec-p256.json")).unwrap();
    let public = jwtkit::Key::from_pem(keys["spki"].as_str().unwrap()).unwrap();
    let e = jwtkit::Signer::new(public, jwtkit::Algorithm::ES256, &Default::default()).unwrap_err();
    assert_eq!(e.code(), "ERR_KEY_INVALID");
    let private = jwtkit::Key::from_pem(keys["pkcs8"].as_str().unwrap()).unwrap();
    let e = jwtkit::Signer::new(private, jwtkit::Algorithm::ES384, &Default::default()).unwrap_err();
    assert_eq!(e.code(), "ERR_KEY_INVALID");
}

#[test]
fn a_jwk_set_without_kid_is_chosen_by_curve() {
    let p256: serde_json::Value = serde_json::from_str(include_str!("keys/ec-p256.json")).unwrap();
    let p384: serde_json::Value = serde_json::from_str(include_str!("keys/ec-p384.json")).unwrap();
    let strip_kid = |mut jwk: serde_json::Value| {
        jwk.as_object_mut().unwrap().remove("kid");
        jwk
    };
    let set =
        format!(r#"{{"keys":[{},{}]}}"#, strip_kid(p256["jwk_public"].clone()), strip_kid(p384["jwk_public"].clone()));
    let set = jwtkit::KeySet::from_jwks(&set).unwrap();
    let chosen = set.select(jwtkit::Algorithm::ES256, None).unwrap();
    assert!(chosen.fits(jwtkit::Algorithm::ES256));
    assert!(set.select(jwtkit::Algorithm::ES384, None).unwrap().fits(jwtkit::Algorithm::ES384));
}

#[test]
fn inspect_flags_an_rsa_key_under_2048_bits_that_verify_would_refuse() {
    let keys: serde_json::Value = serde_json::from_str(include_str!("keys/rsa-1024.json")).unwrap();
    let private = jwtkit::Key::from_pem(keys["pkcs8"].as_str().unwrap()).unwrap();
    let spec = jwtkit::HeaderSpec { allow_weak_key: true, ..Default::default() };
    let token = jwtkit::Signer::new(private, jwtkit::Algorithm::RS256, &spec).unwrap().sign_json(br#"{"exp":100}"#);
    let public =
        jwtkit::KeySet::single(jwtkit::Key::from_pem(keys["spki"].as_str().unwrap()).unwrap(), Default::default());
    let report = jwtkit::inspect(&token, Some(&public), 0.0);
    assert_eq!(report.signature.status, "valid");
    assert!(report.warnings.iter().any(|w| w.code == "WEAK_KEY"), "{:?}", report.warnings);
}
