//! Claim validation at its exact boundaries, and each verify option.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

mod common;

use common::{hs256, verifier};
use jwtkit::VerifyOptions;

const HEADER: &str = r#"{"alg":"HS256","typ":"JWT"}"#;

fn result(payload: &str, options: VerifyOptions, now: f64) -> Result<(), (&'static str, Option<String>)> {
    verifier(options)
        .verify(&hs256(HEADER, payload), now)
        .map(|_| ())
        .map_err(|e| (e.code(), e.claim().map(str::to_owned)))
}

fn code(payload: &str, options: VerifyOptions, now: f64) -> &'static str {
    match result(payload, options, now) {
        Ok(()) => "OK",
        Err((code, _)) => code,
    }
}

fn options() -> VerifyOptions {
    VerifyOptions::default()
}

#[test]
fn expired_at_exp_and_after_valid_just_before() {
    assert_eq!(code(r#"{"exp":100}"#, options(), 99.0), "OK");
    assert_eq!(code(r#"{"exp":100}"#, options(), 99.999), "OK");
    assert_eq!(code(r#"{"exp":100}"#, options(), 100.0), "ERR_JWT_EXPIRED");
    assert_eq!(code(r#"{"exp":100}"#, options(), 101.0), "ERR_JWT_EXPIRED");
}

#[test]
fn expired_token_within_tolerance_is_accepted() {
    let tolerant = || VerifyOptions { clock_tolerance: 30.0, ..options() };
    assert_eq!(code(r#"{"exp":100}"#, tolerant(), 129.0), "OK");
    assert_eq!(code(r#"{"exp":100}"#, tolerant(), 130.0), "ERR_JWT_EXPIRED");
}

#[test]
fn not_before_is_in_force_from_nbf_on() {
    assert_eq!(code(r#"{"nbf":100}"#, options(), 100.0), "OK");
    assert_eq!(code(r#"{"nbf":100}"#, options(), 99.0), "ERR_JWT_NOT_ACTIVE");
    let tolerant = VerifyOptions { clock_tolerance: 1.0, ..options() };
    assert_eq!(code(r#"{"nbf":100}"#, tolerant, 99.0), "OK");
    let ignoring = VerifyOptions { ignore_not_before: true, ..options() };
    assert_eq!(code(r#"{"nbf":100}"#, ignoring, 0.0), "OK");
}

#[test]
fn ignore_expiration_accepts_expired_tokens_but_still_checks_types() {
    let ignoring = || VerifyOptions { ignore_expiration: true, ..options() };
    assert_eq!(code(r#"{"exp":100}"#, ignoring(), 1e9), "OK");
    assert_eq!(code(r#"{"exp":"100"}"#, ignoring(), 0.0), "ERR_JWT_CLAIM_INVALID");
}

#[test]
fn max_age_counts_from_iat_with_tolerance() {
    let max_age = |tolerance| VerifyOptions { max_age: Some(60.0), clock_tolerance: tolerance, ..options() };
    assert_eq!(code(r#"{"iat":100}"#, max_age(0.0), 160.0), "OK");
    let e = result(r#"{"iat":100}"#, max_age(0.0), 161.0).unwrap_err();
    assert_eq!(e, ("ERR_JWT_EXPIRED", Some("iat".into())));
    assert_eq!(code(r#"{"iat":100}"#, max_age(5.0), 165.0), "OK");
    assert_eq!(result(r#"{}"#, max_age(0.0), 0.0).unwrap_err(), ("ERR_JWT_CLAIM_MISSING", Some("iat".into())));
    assert_eq!(
        result(r#"{"iat":200}"#, max_age(0.0), 100.0).unwrap_err(),
        ("ERR_JWT_CLAIM_INVALID", Some("iat".into()))
    );
}

#[test]
fn expired_error_carries_the_expiry_time() {
    let e = verifier(options()).verify(&hs256(HEADER, r#"{"exp":100.5}"#), 200.0).unwrap_err();
    assert_eq!((e.code(), e.message(), e.time()), ("ERR_JWT_EXPIRED", "jwt expired", Some(100.5)));
    let e = verifier(options()).verify(&hs256(HEADER, r#"{"nbf":300}"#), 200.0).unwrap_err();
    assert_eq!((e.code(), e.message(), e.time()), ("ERR_JWT_NOT_ACTIVE", "jwt not active", Some(300.0)));
}

#[test]
fn audience_passes_if_any_token_audience_is_expected() {
    let aud = |list: &[&str]| VerifyOptions { audience: list.iter().map(|s| s.to_string()).collect(), ..options() };
    assert_eq!(code(r#"{"aud":"api"}"#, aud(&["api"]), 0.0), "OK");
    assert_eq!(code(r#"{"aud":["web","api"]}"#, aud(&["api"]), 0.0), "OK");
    assert_eq!(code(r#"{"aud":["web"]}"#, aud(&["db", "web"]), 0.0), "OK");
    assert_eq!(
        result(r#"{"aud":"web"}"#, aud(&["api"]), 0.0).unwrap_err(),
        ("ERR_JWT_CLAIM_INVALID", Some("aud".into()))
    );
    assert_eq!(result(r#"{"aud":[]}"#, aud(&["api"]), 0.0).unwrap_err(), ("ERR_JWT_CLAIM_INVALID", Some("aud".into())));
    assert_eq!(result(r#"{"aud":7}"#, aud(&["api"]), 0.0).unwrap_err(), ("ERR_JWT_CLAIM_INVALID", Some("aud".into())));
    assert_eq!(result(r#"{}"#, aud(&["api"]), 0.0).unwrap_err(), ("ERR_JWT_CLAIM_MISSING", Some("aud".into())));
    let e = verifier(aud(&["a", "b"])).verify(&hs256(HEADER, r#"{"aud":"c"}"#), 0.0).unwrap_err();
    assert_eq!(e.message(), "jwt audience invalid. expected: a or b");
}

#[test]
fn issuer_subject_and_jwtid_must_match_exactly() {
    let iss = VerifyOptions { issuer: vec!["https://a".into(), "https://b".into()], ..options() };
    assert_eq!(code(r#"{"iss":"https://b"}"#, iss.clone(), 0.0), "OK");
    let e = verifier(iss.clone()).verify(&hs256(HEADER, r#"{"iss":"https://c"}"#), 0.0).unwrap_err();
    assert_eq!((e.code(), e.message()), ("ERR_JWT_CLAIM_INVALID", "jwt issuer invalid. expected: https://a,https://b"));
    assert_eq!(code(r#"{}"#, iss, 0.0), "ERR_JWT_CLAIM_MISSING");
    let sub = || VerifyOptions { subject: Some("ada".into()), ..options() };
    assert_eq!(code(r#"{"sub":"ada"}"#, sub(), 0.0), "OK");
    assert_eq!(result(r#"{"sub":"Ada"}"#, sub(), 0.0).unwrap_err(), ("ERR_JWT_CLAIM_INVALID", Some("sub".into())));
    let jti = || VerifyOptions { jwtid: Some("1".into()), ..options() };
    assert_eq!(code(r#"{"jti":"1"}"#, jti(), 0.0), "OK");
    assert_eq!(result(r#"{"jti":1}"#, jti(), 0.0).unwrap_err(), ("ERR_JWT_CLAIM_INVALID", Some("jti".into())));
}

#[test]
fn typ_is_compared_case_insensitively_with_optional_application_prefix() {
    let typ = |t: &str| VerifyOptions { typ: Some(t.into()), ..options() };
    let with_typ = |t: &str| hs256(&format!(r#"{{"alg":"HS256","typ":"{t}"}}"#), "{}");
    for (expected, actual, ok) in [
        ("JWT", "jwt", true),
        ("at+jwt", "application/at+JWT", true),
        ("application/at+jwt", "at+jwt", true),
        ("at+jwt", "JWT", false),
    ] {
        let outcome = verifier(typ(expected)).verify(&with_typ(actual), 0.0);
        assert_eq!(outcome.is_ok(), ok, "{expected} vs {actual}");
    }
    let e = verifier(typ("JWT")).verify(&hs256(r#"{"alg":"HS256"}"#, "{}"), 0.0).unwrap_err();
    assert_eq!((e.code(), e.claim()), ("ERR_JWT_CLAIM_INVALID", Some("typ")));
}

#[test]
fn required_claims_must_be_present() {
    let required = || VerifyOptions { required_claims: vec!["exp".into(), "tenant".into()], ..options() };
    assert_eq!(code(r#"{"exp":10,"tenant":"t"}"#, required(), 0.0), "OK");
    assert_eq!(
        result(r#"{"tenant":"t"}"#, required(), 0.0).unwrap_err(),
        ("ERR_JWT_CLAIM_MISSING", Some("exp".into()))
    );
    let e = verifier(required()).verify(&hs256(HEADER, r#"{"exp":10}"#), 0.0).unwrap_err();
    assert_eq!((e.code(), e.message()), ("ERR_JWT_CLAIM_MISSING", "missing required \"tenant\" claim"));
    // Names outside the registered set are reported as the claim too.
    assert_eq!(e.claim(), Some("tenant"));
}

#[test]
fn claims_are_checked_in_the_contract_order() {
    // Expired and wrong audience and wrong issuer: expiry is reported first, then audience.
    let all = VerifyOptions { audience: vec!["api".into()], issuer: vec!["me".into()], ..options() };
    assert_eq!(code(r#"{"exp":1,"aud":"x","iss":"x"}"#, all.clone(), 5.0), "ERR_JWT_EXPIRED");
    let e = verifier(all).verify(&hs256(HEADER, r#"{"aud":"x","iss":"x"}"#), 5.0).unwrap_err();
    assert_eq!(e.claim(), Some("aud"));
}

#[test]
fn options_parse_from_the_json_the_face_sends() {
    let o = VerifyOptions::from_json(r#"{"audience":["a"],"issuer":["i"],"subject":"s","jwtid":"j","typ":"JWT","clockTolerance":1,"maxAge":2,"ignoreExpiration":true,"ignoreNotBefore":true,"requiredClaims":["x"],"maxTokenLength":10,"allowWeakKey":true,"algorithms":["HS384"]}"#).unwrap();
    assert_eq!(o.max_token_length, 10);
    assert_eq!(o.max_age, Some(2.0));
    assert!(o.ignore_expiration && o.ignore_not_before && o.allow_weak_key);
    assert_eq!(VerifyOptions::from_json(r#"{"maxAge":-1}"#).unwrap_err().code(), "ERR_INVALID_OPTION");
}

#[test]
fn a_current_time_that_is_not_a_finite_number_is_refused() {
    // NaN compares false with everything: it would pass both the exp and the nbf checks.
    for now in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        assert_eq!(code(r#"{"exp":1,"nbf":1e12}"#, options(), now), "ERR_INVALID_OPTION", "{now}");
    }
}
