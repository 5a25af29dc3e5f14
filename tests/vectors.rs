//! Published test vectors, kept as data files named after their source.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

mod common;

use common::hex;
use jwtkit::{base64url, Algorithm, HeaderSpec, Key, KeySet, Signer, Verifier, VerifyOptions};
use serde_json::Value;

fn data(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

#[test]
fn rfc4231_hmac_vectors_sign_and_verify() {
    let file = data(include_str!("vectors/rfc4231-hmac-sha2.json"));
    let vectors = file["vectors"].as_array().unwrap();
    assert_eq!(vectors.len(), 18);
    for v in vectors {
        let case = format!("RFC 4231 case {} {}", v["case"], v["alg"]);
        let alg: Algorithm = v["alg"].as_str().unwrap().parse().unwrap();
        let key = Key::from_secret(&hex(v["key"].as_str().unwrap())).unwrap();
        let data = hex(v["data"].as_str().unwrap());
        let expected = hex(v["mac"].as_str().unwrap());
        let mut mac = Vec::new();
        key.sign_into(alg, &data, &mut mac).unwrap();
        assert_eq!(mac, expected, "{case}");
        key.verify(alg, &data, &expected).unwrap_or_else(|e| panic!("{case}: {e}"));
        let mut wrong = expected.clone();
        wrong[0] ^= 1;
        assert_eq!(key.verify(alg, &data, &wrong).unwrap_err().code(), "ERR_JWS_INVALID_SIGNATURE", "{case}");
        assert!(key.verify(alg, &data, &expected[..expected.len() - 1]).is_err(), "{case}: truncated");
    }
}

#[test]
fn rfc7515_a1_token_verifies_before_its_expiry_only() {
    let file = data(include_str!("vectors/rfc7515-a1.json"));
    let token = file["token"].as_str().unwrap();
    let (key, _) = Key::from_jwk(&file["jwk"].to_string()).unwrap();
    let verifier = Verifier::new(KeySet::single(key, Default::default()), VerifyOptions::default()).unwrap();
    let exp = file["exp"].as_f64().unwrap();
    let verified = verifier.verify(token, exp - 1.0).unwrap();
    assert_eq!(verified.payload, file["payload"].as_str().unwrap());
    assert_eq!(verified.header, file["header"].as_str().unwrap());
    let expired = verifier.verify(token, exp).unwrap_err();
    assert_eq!((expired.code(), expired.time()), ("ERR_JWT_EXPIRED", Some(exp)));
}

#[test]
fn rfc7515_a1_signature_is_reproduced_by_the_signer() {
    let file = data(include_str!("vectors/rfc7515-a1.json"));
    let (key, _) = Key::from_jwk(&file["jwk"].to_string()).unwrap();
    let spec = HeaderSpec { header: Some(file["header"].as_str().unwrap().into()), ..Default::default() };
    let signer = Signer::new(key, Algorithm::HS256, &spec).unwrap();
    assert_eq!(signer.sign_json(file["payload"].as_str().unwrap().as_bytes()), file["token"].as_str().unwrap());
}

#[test]
fn rfc7520_4_4_signature_is_reproduced_and_checked_with_its_kid() {
    let file = data(include_str!("vectors/rfc7520-4.4.json"));
    let token = file["token"].as_str().unwrap();
    let set = KeySet::from_jwks(&format!("{{\"keys\":[{}]}}", file["jwk"])).unwrap();
    let key = set.select(Algorithm::HS256, Some("018c0ae5-4d9b-471b-bfd6-eef314bc7037")).unwrap();
    let (input, signature) = token.rsplit_once('.').unwrap();
    key.verify(Algorithm::HS256, input.as_bytes(), &base64url::decode(signature).unwrap()).unwrap();

    let spec = HeaderSpec { header: Some(file["header"].as_str().unwrap().into()), ..Default::default() };
    let signer = Signer::new(key.clone(), Algorithm::HS256, &spec).unwrap();
    assert_eq!(signer.sign_json(file["payload"].as_str().unwrap().as_bytes()), token);

    // Its payload is text, not a claims set: a JWT verifier checks the signature, then
    // refuses the payload.
    let verifier = Verifier::new(set, VerifyOptions::default()).unwrap();
    let error = verifier.verify(token, 0.0).unwrap_err();
    assert_eq!(error.code(), "ERR_JWT_MALFORMED");
    assert!(error.message().contains("payload"), "{}", error.message());
}
