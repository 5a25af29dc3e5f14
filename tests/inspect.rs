//! The inspector report: never fails, locates problems, explains claims, raises warnings.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

mod common;

use common::{forge, hs256, key, SECRET};
use jwtkit::{inspect, Algorithm, Report};

fn codes(report: &Report) -> Vec<&'static str> {
    report.warnings.iter().map(|w| w.code).collect()
}

#[test]
fn garbage_of_every_kind_gives_a_report_with_consistent_parts() {
    let inputs = ["", ".", "..", "a.b.c.d", "é.ü.ß", "\u{1F600}.x.y", "Bearer abc", "eyJ.eyJ.", &"A".repeat(10_000)];
    for input in inputs {
        let report = inspect(input, None, 0.0);
        assert!(report.error.is_some(), "{input:?} should have a problem");
        let utf16: Vec<u16> = input.encode_utf16().collect();
        assert!(report.parts.len() <= 3, "{input:?}");
        for (part, name) in report.parts.iter().zip(["header", "payload", "signature"]) {
            assert_eq!(part.name, name, "{input:?}");
            let slice = String::from_utf16(&utf16[part.start..part.end]).unwrap();
            assert_eq!(slice, part.text, "{input:?}");
        }
        if let Some(signature) = report.parts.get(2) {
            assert_eq!(signature.end, utf16.len(), "the signature part runs to the end: {input:?}");
        }
    }
}

#[test]
fn a_base64_problem_is_located_at_its_character() {
    let token = hs256(r#"{"alg":"HS256"}"#, r#"{"exp":1}"#);
    let broken = token.replacen('.', ".!", 1);
    let report = inspect(&broken, None, 0.0);
    let error = report.error.unwrap();
    assert_eq!((error.part, error.code), ("payload", "ERR_JWT_MALFORMED"));
    assert_eq!(&broken[error.position..error.position + 1], "!");
}

#[test]
fn a_json_problem_names_the_part_line_and_column() {
    let token = hs256("{\"alg\":\"HS256\"}", "{\"exp\":1,\n\"x\":}");
    let report = inspect(&token, None, 0.0);
    let error = report.error.unwrap();
    assert_eq!((error.part, error.line, error.column), ("payload", Some(2), Some(5)));
    assert!(report.parts[1].start <= error.position && error.position <= report.parts[1].end);
    assert!(report.header_json.is_some() && report.payload_json.is_none());
}

#[test]
fn signature_status_is_valid_invalid_or_not_checked() {
    let token = hs256(r#"{"alg":"HS256"}"#, r#"{"sub":"a","exp":1}"#);
    assert_eq!(inspect(&token, None, 0.0).signature.status, "not checked");
    // Expired tokens still have a valid signature: the report separates the two.
    assert_eq!(inspect(&token, Some(&key(SECRET)), 1e9).signature.status, "valid");
    let wrong = inspect(&token, Some(&key(b"another-secret-another-secret-!!")), 0.0);
    assert_eq!((wrong.signature.status, wrong.signature.code), ("invalid", Some("ERR_JWS_INVALID_SIGNATURE")));
}

/// `token` with the first character of its signature changed (still canonical base64url).
fn with_altered_signature(token: &str) -> String {
    let (input, signature) = token.rsplit_once('.').unwrap();
    let first = if signature.starts_with('A') { 'B' } else { 'A' };
    format!("{input}.{first}{}", &signature[1..])
}

#[test]
fn the_signature_status_ignores_time_claims_of_the_wrong_type() {
    for claims in [r#"{"exp":"tomorrow"}"#, r#"{"nbf":"yesterday"}"#, r#"{"iat":"now"}"#, r#"{"exp":null,"nbf":[1]}"#] {
        let token = hs256(r#"{"alg":"HS256"}"#, claims);
        let report = inspect(&token, Some(&key(SECRET)), 0.0);
        assert_eq!(report.signature.status, "valid", "{claims}: {:?}", report.signature);
        assert!(codes(&report).contains(&"CLAIM_TYPE"), "{claims}: the claim is reported apart");
        let altered = inspect(&with_altered_signature(&token), Some(&key(SECRET)), 0.0);
        assert_eq!(
            (altered.signature.status, altered.signature.code),
            ("invalid", Some("ERR_JWS_INVALID_SIGNATURE")),
            "{claims}"
        );
    }
}

#[test]
fn a_single_jwk_not_for_verifying_or_of_another_alg_gives_an_invalid_signature_status_with_the_reason() {
    let token = hs256(r#"{"alg":"HS256"}"#, r#"{"exp":1}"#);
    let status = |members: &str| {
        let jwk = format!(r#"{{"kty":"oct",{members}"k":"{}"}}"#, jwtkit::base64url::encode(SECRET));
        let (key, meta) = jwtkit::Key::from_jwk(&jwk).unwrap();
        let report = inspect(&token, Some(&jwtkit::KeySet::single(key, meta)), 0.0);
        (report.signature.status, report.signature.code)
    };
    assert_eq!(status(r#""use":"sig","key_ops":["verify"],"#), ("valid", None));
    assert_eq!(status(r#""use":"enc","#), ("invalid", Some("ERR_KEY_INVALID")));
    assert_eq!(status(r#""key_ops":["sign"],"#), ("invalid", Some("ERR_KEY_INVALID")));
    assert_eq!(status(r#""alg":"HS384","#), ("invalid", Some("ERR_JWS_ALG_NOT_ALLOWED")));
}

#[test]
fn times_are_explained_with_dates_and_relative_phrases() {
    let token = hs256(r#"{"alg":"HS256"}"#, r#"{"iat":1300815780,"exp":1300819380,"sub":"joe","custom":1}"#);
    let report = inspect(&token, None, 1_300_816_000.0);
    let exp = report.claims.iter().find(|c| c.name == "exp").unwrap();
    assert_eq!(exp.date.as_deref(), Some("2011-03-22T18:43:00Z"));
    assert_eq!(exp.relative.as_deref(), Some("in 56 minutes"));
    assert_eq!(exp.in_force, Some(true));
    assert!(report.claims.iter().any(|c| c.name == "sub" && c.description.starts_with("Subject")));
    assert!(!report.claims.iter().any(|c| c.name == "custom"));
}

#[test]
fn warnings_cover_the_classic_mistakes() {
    let none = inspect(&format!("{}.{}.", b64(r#"{"alg":"none"}"#), b64(r#"{"sub":"a","password":"x"}"#)), None, 0.0);
    for code in ["ALG_NONE", "NO_EXP", "SENSITIVE_DATA", "NO_SIGNATURE"] {
        assert!(codes(&none).contains(&code), "{code} in {:?}", codes(&none));
    }
    let long = inspect(
        &hs256(
            r#"{"alg":"HS256","jku":"https://x","kid":"../../etc/passwd","crit":["x"]}"#,
            r#"{"iat":10,"exp":200000}"#,
        ),
        None,
        5.0,
    );
    for code in ["LONG_LIFETIME", "IAT_FUTURE", "EMBEDDED_KEY", "KID_SUSPICIOUS", "CRIT"] {
        assert!(codes(&long).contains(&code), "{code} in {:?}", codes(&long));
    }
    let typed = inspect(&hs256(r#"{"alg":"HS256"}"#, r#"{"exp":"soon"}"#), None, 0.0);
    assert!(codes(&typed).contains(&"CLAIM_TYPE"));
    let clean = inspect(&hs256(r#"{"alg":"HS256"}"#, r#"{"iat":10,"exp":100}"#), Some(&key(SECRET)), 50.0);
    assert!(clean.warnings.is_empty(), "{:?}", codes(&clean));
}

#[test]
fn tokens_signed_with_well_known_secrets_are_flagged() {
    let token = forge(br#"{"alg":"HS256"}"#, br#"{"exp":100}"#, b"your-256-bit-secret", Algorithm::HS256);
    let report = inspect(&token, None, 0.0);
    assert!(codes(&report).contains(&"KNOWN_SECRET"), "{:?}", codes(&report));
    let short = inspect(&token, Some(&key(b"your-256-bit-secret")), 0.0);
    assert!(codes(&short).contains(&"WEAK_KEY"));
    assert_eq!(short.signature.status, "valid", "a weak key still verifies in the inspector");
}

#[test]
fn a_secret_too_short_for_the_tokens_hash_still_checks_the_signature_with_a_warning() {
    // verify allows such a secret only the shorter hashes by default; the inspector checks
    // the signature whatever the key's strength and warns instead.
    let secret = &SECRET[..32];
    let token = forge(br#"{"alg":"HS512"}"#, br#"{"exp":100}"#, secret, Algorithm::HS512);
    let report = inspect(&token, Some(&key(secret)), 0.0);
    assert_eq!(report.signature.status, "valid", "{:?}", report.signature);
    assert!(codes(&report).contains(&"WEAK_KEY"), "{:?}", codes(&report));
}

#[test]
fn large_tokens_and_jwe_are_reported() {
    let big = hs256(r#"{"alg":"HS256"}"#, &format!(r#"{{"exp":1,"x":"{}"}}"#, "y".repeat(5000)));
    assert!(codes(&inspect(&big, None, 0.0)).contains(&"LARGE_TOKEN"));
    let jwe = inspect("a.b.c.d.e", None, 0.0);
    assert!(jwe.error.unwrap().message.contains("JWE"));
}

fn b64(text: &str) -> String {
    jwtkit::base64url::encode(text.as_bytes())
}

#[test]
fn inputs_over_one_mebibyte_are_reported_too_large_without_decoding() {
    let huge = "A".repeat(jwtkit::inspect::MAX_INSPECT + 1);
    let report = inspect(&huge, None, 0.0);
    assert_eq!(report.error.unwrap().code, "ERR_JWT_TOO_LARGE");
    assert!(report.parts.is_empty() && report.warnings.is_empty());
}

/// The JSON the inspector page reads: every field, camelCase, with the report's values.
#[test]
fn the_report_json_carries_every_field_in_camel_case() {
    let token = hs256(r#"{"alg":"HS256","kid":"a\"b"}"#, r#"{"sub":"s","exp":1000,"nbf":10}"#);
    let report = inspect(&token, Some(&key(SECRET)), 500.0);
    let json: serde_json::Value = serde_json::from_str(&report.to_json()).unwrap();
    let keys = |v: &serde_json::Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    let mut expected =
        ["algorithm", "claims", "error", "errors", "headerJson", "parts", "payloadJson", "signature", "warnings"];
    expected.sort();
    assert_eq!(keys(&json), expected);
    assert_eq!(json["headerJson"], report.header_json.as_deref().unwrap());
    assert_eq!(json["payloadJson"], report.payload_json.as_deref().unwrap());
    assert_eq!(json["algorithm"], "HS256");
    assert!(json["error"].is_null() && json["errors"].as_array().unwrap().is_empty());
    assert_eq!(json["signature"], serde_json::json!({"status": "valid", "code": null, "message": null}));
    for (value, part) in json["parts"].as_array().unwrap().iter().zip(&report.parts) {
        let expected = serde_json::json!({"name": part.name, "text": part.text, "start": part.start, "end": part.end});
        assert_eq!(value, &expected);
    }
    let claims = json["claims"].as_array().unwrap();
    assert_eq!(claims.len(), report.claims.len());
    for (value, claim) in claims.iter().zip(&report.claims) {
        let expected = serde_json::json!({"name": claim.name, "description": claim.description, "date": claim.date,
            "relative": claim.relative, "inForce": claim.in_force});
        assert_eq!(value, &expected);
    }
    assert!(claims.iter().any(|c| c["inForce"] == true), "{claims:?}");
    let warnings = json["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), report.warnings.len());
    for (value, warning) in warnings.iter().zip(&report.warnings) {
        let expected =
            serde_json::json!({"code": warning.code, "severity": warning.severity, "message": warning.message});
        assert_eq!(value, &expected);
    }

    // A problem carries its position, and line and column for JSON errors.
    let broken = hs256(r#"{"alg":"HS256"}"#, "{\"exp\":1,\n\"x\":}");
    let report = inspect(&broken, None, 0.0);
    let json: serde_json::Value = serde_json::from_str(&report.to_json()).unwrap();
    let problem = report.error.as_ref().unwrap();
    let expected = serde_json::json!({"code": problem.code, "message": problem.message, "part": "payload",
        "position": problem.position, "line": 2, "column": 5});
    assert_eq!(json["error"], expected);
    assert_eq!(json["errors"][0], expected);
    assert!(json["payloadJson"].is_null());
}
