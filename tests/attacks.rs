//! A table of attack tokens: each changes one thing in an otherwise valid token and names
//! the error code verification must give.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

mod common;
#[path = "common/rng.rs"]
mod rng;

use common::{as_base64url, code_of, forge, hs256, pem_body, verifier, KEY_FILES, SECRET};
use jwtkit::{base64url, Algorithm, Key, KeyMeta, KeySet, Verifier, VerifyOptions};
use rng::Rng;

const HEADER: &str = r#"{"alg":"HS256","typ":"JWT"}"#;
const CLAIMS: &str = r#"{"sub":"ada","exp":2000}"#;
const NOW: f64 = 1000.0;

struct Case {
    name: &'static str,
    token: String,
    code: &'static str,
}

fn case(name: &'static str, token: String, code: &'static str) -> Case {
    Case { name, token, code }
}

fn check(cases: Vec<Case>) {
    let mut failures = Vec::new();
    for c in &cases {
        let got = code_of(&c.token, NOW);
        if got != c.code {
            failures.push(format!("{}: expected {}, got {}", c.name, c.code, got));
        }
    }
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), cases.len(), failures.join("\n"));
}

fn unsigned(header: &str, payload: &str, signature: &str) -> String {
    format!("{}.{}.{}", base64url::encode(header.as_bytes()), base64url::encode(payload.as_bytes()), signature)
}

fn valid() -> String {
    hs256(HEADER, CLAIMS)
}

fn replace_part(token: &str, index: usize, part: &str) -> String {
    let mut parts: Vec<&str> = token.split('.').collect();
    parts[index] = part;
    parts.join(".")
}

#[test]
fn the_valid_token_of_this_table_verifies() {
    assert_eq!(code_of(&valid(), NOW), "OK");
}

#[test]
fn alg_none_is_refused_in_every_spelling_with_or_without_signature() {
    let mut cases = Vec::new();
    for alg in ["none", "None", "NONE", "nOnE", "NoNe"] {
        let header = format!(r#"{{"alg":"{alg}","typ":"JWT"}}"#);
        cases.push(case("alg none, empty signature", unsigned(&header, CLAIMS, ""), "ERR_JWS_ALG_NOT_ALLOWED"));
        cases.push(case("alg none, HS256 signature", hs256(&header, CLAIMS), "ERR_JWS_ALG_NOT_ALLOWED"));
    }
    check(cases);
}

#[test]
fn alg_missing_unknown_or_of_another_family_is_refused() {
    check(vec![
        case("no alg", hs256(r#"{"typ":"JWT"}"#, CLAIMS), "ERR_JWT_MALFORMED"),
        case("alg not a string", hs256(r#"{"alg":256}"#, CLAIMS), "ERR_JWT_MALFORMED"),
        case("alg lower case", hs256(r#"{"alg":"hs256"}"#, CLAIMS), "ERR_JWS_ALG_NOT_ALLOWED"),
        case("alg unknown", hs256(r#"{"alg":"HS1024"}"#, CLAIMS), "ERR_JWS_ALG_NOT_ALLOWED"),
        // Key confusion: an RS256 header with a secret key never reaches a MAC check.
        case("RS256 with a secret", hs256(r#"{"alg":"RS256"}"#, CLAIMS), "ERR_JWS_ALG_NOT_ALLOWED"),
        case("ES256 with a secret", hs256(r#"{"alg":"ES256"}"#, CLAIMS), "ERR_JWS_ALG_NOT_ALLOWED"),
        case("EdDSA with a secret", hs256(r#"{"alg":"EdDSA"}"#, CLAIMS), "ERR_JWS_ALG_NOT_ALLOWED"),
    ]);
}

#[test]
fn algorithm_outside_the_allowed_list_is_refused() {
    let token = forge(HEADER.replace("HS256", "HS512").as_bytes(), CLAIMS.as_bytes(), SECRET, Algorithm::HS512);
    let only_256 = Verifier::new(
        common::key(SECRET),
        VerifyOptions { algorithms: Some(vec![Algorithm::HS256]), ..Default::default() },
    )
    .unwrap();
    assert_eq!(only_256.verify(&token, NOW).unwrap_err().code(), "ERR_JWS_ALG_NOT_ALLOWED");
    assert!(verifier(VerifyOptions::default()).verify(&token, NOW).is_ok(), "HS512 is in the default list");
}

#[test]
fn signatures_stripped_foreign_truncated_or_extended_are_refused() {
    let token = valid();
    let signature = token.rsplit('.').next().unwrap();
    let foreign = forge(HEADER.as_bytes(), CLAIMS.as_bytes(), b"another-secret-that-is-32-bytes!", Algorithm::HS256);
    let bytes = base64url::decode(signature).unwrap();
    check(vec![
        case("stripped signature", replace_part(&token, 2, ""), "ERR_JWS_INVALID_SIGNATURE"),
        case("foreign signature", foreign, "ERR_JWS_INVALID_SIGNATURE"),
        case(
            "truncated signature",
            replace_part(&token, 2, &base64url::encode(&bytes[..31])),
            "ERR_JWS_INVALID_SIGNATURE",
        ),
        case(
            "extended signature",
            replace_part(&token, 2, &base64url::encode(&[&bytes[..], &[0]].concat())),
            "ERR_JWS_INVALID_SIGNATURE",
        ),
        case(
            "HS512 signature under HS256 header",
            forge(HEADER.as_bytes(), CLAIMS.as_bytes(), SECRET, Algorithm::HS512),
            "ERR_JWS_INVALID_SIGNATURE",
        ),
        case(
            "payload swapped",
            replace_part(&token, 1, &base64url::encode(br#"{"sub":"eve","exp":2000}"#)),
            "ERR_JWS_INVALID_SIGNATURE",
        ),
    ]);
}

#[test]
fn every_non_canonical_base64url_form_is_refused() {
    let token = valid();
    let parts: Vec<&str> = token.split('.').collect();
    // A signature whose last character differs only in its unused low bits.
    let sig = parts[2];
    let last = sig.chars().last().unwrap();
    let alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let index = alphabet.find(last).unwrap();
    let sibling = alphabet.chars().nth(index ^ 1).unwrap();
    let non_canonical_sig = format!("{}{}", &sig[..sig.len() - 1], sibling);
    assert_eq!(base64url::decode(&non_canonical_sig).ok(), None, "43 chars of a 32-byte value have 2 unused bits");
    let standard_sig = sig.replace('-', "+").replace('_', "/");
    check(vec![
        case("padding on header", replace_part(&token, 0, &format!("{}=", parts[0])), "ERR_JWT_MALFORMED"),
        case("padding on signature", replace_part(&token, 2, &format!("{sig}=")), "ERR_JWT_MALFORMED"),
        case("non-zero unused bits in signature", replace_part(&token, 2, &non_canonical_sig), "ERR_JWT_MALFORMED"),
        case(
            "space inside payload",
            replace_part(&token, 1, &format!("{} {}", &parts[1][..4], &parts[1][4..])),
            "ERR_JWT_MALFORMED",
        ),
        case(
            "newline inside header",
            replace_part(&token, 0, &format!("{}\n{}", &parts[0][..4], &parts[0][4..])),
            "ERR_JWT_MALFORMED",
        ),
        case("leading whitespace", format!(" {token}"), "ERR_JWT_MALFORMED"),
        case("trailing newline", format!("{token}\n"), "ERR_JWT_MALFORMED"),
        case("impossible length", replace_part(&token, 1, &format!("{}A", parts[1])), "ERR_JWT_MALFORMED"),
        case("non-ASCII character", replace_part(&token, 1, &format!("{}é", parts[1])), "ERR_JWT_MALFORMED"),
    ]);
    if standard_sig != sig {
        check(vec![case("standard base64 alphabet", replace_part(&token, 2, &standard_sig), "ERR_JWT_MALFORMED")]);
    }
    // Standard alphabet in a signed part, whichever token makes one appear.
    let with_plus = replace_part(&token, 1, &format!("{}+{}", &parts[1][..4], &parts[1][5..]));
    let with_slash = replace_part(&token, 1, &format!("{}/{}", &parts[1][..4], &parts[1][5..]));
    check(vec![
        case("'+' in payload", with_plus, "ERR_JWT_MALFORMED"),
        case("'/' in payload", with_slash, "ERR_JWT_MALFORMED"),
    ]);
}

#[test]
fn duplicate_member_names_are_refused_even_when_escaped() {
    check(vec![
        case("duplicate alg", hs256(r#"{"alg":"HS256","alg":"none"}"#, CLAIMS), "ERR_JWT_MALFORMED"),
        case("escaped duplicate alg", hs256(r#"{"alg":"HS256","\u0061lg":"none"}"#, CLAIMS), "ERR_JWT_MALFORMED"),
        case("duplicate exp", hs256(HEADER, r#"{"exp":2000,"exp":1}"#), "ERR_JWT_MALFORMED"),
        case(
            "escaped duplicate sub",
            hs256(HEADER, r#"{"sub":"ada","s\u0075b":"eve","exp":2000}"#),
            "ERR_JWT_MALFORMED",
        ),
        case("nested duplicate", hs256(HEADER, r#"{"exp":2000,"x":{"a":1,"a":2}}"#), "ERR_JWT_MALFORMED"),
        case(
            "duplicate in array of objects",
            hs256(HEADER, r#"{"exp":2000,"x":[{"a":1,"a":2}]}"#),
            "ERR_JWT_MALFORMED",
        ),
    ]);
}

#[test]
fn invalid_utf8_and_non_object_json_are_refused() {
    check(vec![
        case(
            "invalid UTF-8 in header",
            forge(b"{\"alg\":\"HS256\",\"x\":\"\xff\"}", CLAIMS.as_bytes(), SECRET, Algorithm::HS256),
            "ERR_JWT_MALFORMED",
        ),
        case(
            "invalid UTF-8 in payload",
            forge(HEADER.as_bytes(), b"{\"sub\":\"\xc3\x28\",\"exp\":2000}", SECRET, Algorithm::HS256),
            "ERR_JWT_MALFORMED",
        ),
        case(
            "overlong UTF-8",
            forge(HEADER.as_bytes(), b"{\"sub\":\"\xc0\xaf\",\"exp\":2000}", SECRET, Algorithm::HS256),
            "ERR_JWT_MALFORMED",
        ),
        case("lone surrogate escape", hs256(HEADER, r#"{"sub":"\ud800","exp":2000}"#), "ERR_JWT_MALFORMED"),
        case("header is an array", hs256(r#"["HS256"]"#, CLAIMS), "ERR_JWT_MALFORMED"),
        case("payload is a string", hs256(HEADER, r#""ada""#), "ERR_JWT_MALFORMED"),
        case("payload is null", hs256(HEADER, "null"), "ERR_JWT_MALFORMED"),
        case("trailing data after payload", hs256(HEADER, r#"{"exp":2000} {}"#), "ERR_JWT_MALFORMED"),
        case("header not JSON", hs256("alg=HS256", CLAIMS), "ERR_JWT_MALFORMED"),
        case("empty header", hs256("", CLAIMS), "ERR_JWT_MALFORMED"),
    ]);
}

#[test]
fn crit_is_refused_whether_well_formed_or_not() {
    check(vec![
        case(
            "crit with unknown extension",
            hs256(r#"{"alg":"HS256","crit":["exp"],"exp":1}"#, CLAIMS),
            "ERR_JWS_CRIT_UNSUPPORTED",
        ),
        case("crit b64", hs256(r#"{"alg":"HS256","crit":["b64"],"b64":false}"#, CLAIMS), "ERR_JWS_CRIT_UNSUPPORTED"),
        case("crit empty", hs256(r#"{"alg":"HS256","crit":[]}"#, CLAIMS), "ERR_JWT_MALFORMED"),
        case("crit not an array", hs256(r#"{"alg":"HS256","crit":"exp"}"#, CLAIMS), "ERR_JWT_MALFORMED"),
    ]);
}

#[test]
fn wrong_part_counts_and_empty_input_are_refused() {
    let token = valid();
    let (first_two, _) = token.rsplit_once('.').unwrap();
    check(vec![
        case("empty", String::new(), "ERR_JWT_MALFORMED"),
        case("one part", "abc".into(), "ERR_JWT_MALFORMED"),
        case("two parts", first_two.to_owned(), "ERR_JWT_MALFORMED"),
        case("four parts", format!("{token}.abc"), "ERR_JWT_MALFORMED"),
        case("five parts (JWE)", format!("{token}.abc.def"), "ERR_JWT_MALFORMED"),
        case("dots only", "..".into(), "ERR_JWT_MALFORMED"),
        case(
            "four parts, MAC valid over the first three",
            signed_over(&format!("{}.e30", &token[..token.rfind('.').unwrap()])),
            "ERR_JWT_MALFORMED",
        ),
        case(
            "a dot in the payload, MAC valid",
            signed_over(&format!("{}.{}", base64url::encode(HEADER.as_bytes()), ".e30")),
            "ERR_JWT_MALFORMED",
        ),
    ]);
}

/// `input` and its valid HS256 MAC as a last part, whatever the dots in `input`.
fn signed_over(input: &str) -> String {
    let mut mac = Vec::new();
    Key::from_secret(SECRET).unwrap().sign_into(Algorithm::HS256, input.as_bytes(), &mut mac).unwrap();
    format!("{input}.{}", base64url::encode(&mac))
}

#[test]
fn a_one_megabyte_input_is_refused_by_its_length_before_any_decoding() {
    // Not even base64url: refusing it as too large shows the length came first.
    let huge = "!".repeat(1 << 20);
    assert_eq!(code_of(&huge, NOW), "ERR_JWT_TOO_LARGE");
    let huge_token = hs256(HEADER, &format!(r#"{{"exp":2000,"pad":"{}"}}"#, "x".repeat(1 << 20)));
    assert_eq!(code_of(&huge_token, NOW), "ERR_JWT_TOO_LARGE");
}

#[test]
fn nesting_100000_deep_is_refused_without_a_crash() {
    let deep =
        |open: &str, close: &str| format!(r#"{{"exp":2000,"x":{}{}}}"#, open.repeat(100_000), close.repeat(100_000));
    let unlimited = verifier(VerifyOptions { max_token_length: usize::MAX, ..Default::default() });
    for payload in [deep("[", "]"), deep(r#"{"a":"#, "}")] {
        let error = unlimited.verify(&hs256(HEADER, &payload), NOW).unwrap_err();
        assert_eq!(error.code(), "ERR_JWT_MALFORMED");
        assert!(error.message().contains("nesting"), "{}", error.message());
    }
    let deep_header = format!(r#"{{"alg":"HS256","x":{}{}}}"#, "[".repeat(100_000), "]".repeat(100_000));
    assert_eq!(unlimited.verify(&hs256(&deep_header, CLAIMS), NOW).unwrap_err().code(), "ERR_JWT_MALFORMED");
}

#[test]
fn time_claims_of_the_wrong_type_or_range_are_handled() {
    check(vec![
        case("exp as a string", hs256(HEADER, r#"{"exp":"2000"}"#), "ERR_JWT_CLAIM_INVALID"),
        case("exp null", hs256(HEADER, r#"{"exp":null}"#), "ERR_JWT_CLAIM_INVALID"),
        case("exp boolean", hs256(HEADER, r#"{"exp":true}"#), "ERR_JWT_CLAIM_INVALID"),
        case("exp array", hs256(HEADER, r#"{"exp":[2000]}"#), "ERR_JWT_CLAIM_INVALID"),
        case("nbf as a string", hs256(HEADER, r#"{"exp":2000,"nbf":"1"}"#), "ERR_JWT_CLAIM_INVALID"),
        case("iat as a string", hs256(HEADER, r#"{"exp":2000,"iat":"1"}"#), "ERR_JWT_CLAIM_INVALID"),
        case("exp float in the future", hs256(HEADER, r#"{"exp":1000.5}"#), "OK"),
        case("exp float just passed", hs256(HEADER, r#"{"exp":999.999}"#), "ERR_JWT_EXPIRED"),
        case("exp huge", hs256(HEADER, r#"{"exp":1e300}"#), "OK"),
        case("exp huge integer", hs256(HEADER, r#"{"exp":123456789012345678901234567890}"#), "OK"),
        case("exp beyond f64", hs256(HEADER, r#"{"exp":1e999}"#), "ERR_JWT_MALFORMED"),
        case("exp negative", hs256(HEADER, r#"{"exp":-1}"#), "ERR_JWT_EXPIRED"),
    ]);
}

#[test]
fn weak_secrets_are_refused_unless_allowed() {
    for (alg, min) in [(Algorithm::HS256, 32), (Algorithm::HS384, 48), (Algorithm::HS512, 64)] {
        let weak = &SECRET[..min - 1];
        let header = format!(r#"{{"alg":"{alg}"}}"#);
        let token = forge(header.as_bytes(), CLAIMS.as_bytes(), weak, alg);
        // Listed explicitly: by default a secret long enough for a shorter hash does not
        // allow this algorithm at all (see the test after this one).
        let listed = VerifyOptions { algorithms: Some(vec![alg]), ..Default::default() };
        let strict = Verifier::new(common::key(weak), listed).unwrap();
        let e = strict.verify(&token, NOW).unwrap_err();
        assert_eq!(e.code(), "ERR_KEY_TOO_WEAK", "{alg}");
        assert!(e.message().contains("generateSecret"), "{}", e.message());
        let lenient =
            Verifier::new(common::key(weak), VerifyOptions { allow_weak_key: true, ..Default::default() }).unwrap();
        assert!(lenient.verify(&token, NOW).is_ok(), "{alg} with allowWeakKey");
        let exact = forge(header.as_bytes(), CLAIMS.as_bytes(), &SECRET[..min], alg);
        assert!(Verifier::new(common::key(&SECRET[..min]), VerifyOptions::default())
            .unwrap()
            .verify(&exact, NOW)
            .is_ok());
    }
}

#[test]
fn by_default_a_secret_allows_only_the_hmac_algorithms_it_is_long_enough_for() {
    let attacker = b"attacker-secret-attacker-secret-attacker-secret-attacker-secret!";
    let forged = |alg: Algorithm| {
        let header = format!(r#"{{"alg":"{alg}"}}"#);
        forge(header.as_bytes(), CLAIMS.as_bytes(), attacker, alg)
    };
    for (length, allowed) in
        [(32, &[Algorithm::HS256][..]), (48, &[Algorithm::HS256, Algorithm::HS384][..]), (64, &Algorithm::HMAC[..])]
    {
        let secret = &SECRET[..length];
        let verifier = Verifier::new(common::key(secret), VerifyOptions::default()).unwrap();
        for alg in Algorithm::HMAC {
            let header = format!(r#"{{"alg":"{alg}"}}"#);
            let signed = forge(header.as_bytes(), CLAIMS.as_bytes(), secret, alg);
            let forged = verifier.verify(&forged(alg), NOW).unwrap_err();
            if allowed.contains(&alg) {
                assert!(verifier.verify(&signed, NOW).is_ok(), "{alg}, {length}-byte secret");
                assert_eq!(forged.code(), "ERR_JWS_INVALID_SIGNATURE", "{alg}, {length}-byte secret");
            } else {
                // An attacker choosing a longer hash gets "invalid algorithm", as for any alg
                // not allowed, not a weak-key error that advises weakening the configuration.
                assert_eq!(
                    (forged.code(), forged.message()),
                    ("ERR_JWS_ALG_NOT_ALLOWED", "invalid algorithm"),
                    "{alg}, {length}-byte secret"
                );
                assert_eq!(verifier.verify(&signed, NOW).unwrap_err().code(), "ERR_JWS_ALG_NOT_ALLOWED");
            }
        }
    }
}

#[test]
fn a_weak_key_is_still_reported_when_nothing_else_explains_the_failure() {
    // allowWeakKey keeps every HMAC algorithm; an explicit list is taken as written.
    let secret = &SECRET[..32];
    let hs512 = forge(br#"{"alg":"HS512"}"#, CLAIMS.as_bytes(), secret, Algorithm::HS512);
    let weak_allowed = VerifyOptions { allow_weak_key: true, ..Default::default() };
    assert!(Verifier::new(common::key(secret), weak_allowed).unwrap().verify(&hs512, NOW).is_ok());
    let listed = VerifyOptions { algorithms: Some(vec![Algorithm::HS512]), ..Default::default() };
    let e = Verifier::new(common::key(secret), listed).unwrap().verify(&hs512, NOW).unwrap_err();
    assert_eq!(e.code(), "ERR_KEY_TOO_WEAK");
    // A secret too short for every algorithm keeps them all, so the weak key is named.
    let short = &SECRET[..31];
    let verifier = Verifier::new(common::key(short), VerifyOptions::default()).unwrap();
    for alg in Algorithm::HMAC {
        let header = format!(r#"{{"alg":"{alg}"}}"#);
        let token = forge(header.as_bytes(), CLAIMS.as_bytes(), short, alg);
        assert_eq!(verifier.verify(&token, NOW).unwrap_err().code(), "ERR_KEY_TOO_WEAK", "{alg}");
    }
    // A JWK that names HS512 for a 32-byte secret: its one algorithm is too long for it.
    let jwk = format!(r#"{{"kty":"oct","alg":"HS512","k":"{}"}}"#, base64url::encode(secret));
    let (key, meta) = Key::from_jwk(&jwk).unwrap();
    let e = Verifier::new(KeySet::single(key, meta), VerifyOptions::default()).unwrap().verify(&hs512, NOW);
    assert_eq!(e.unwrap_err().code(), "ERR_KEY_TOO_WEAK");
}

#[test]
fn keys_in_the_header_are_never_used() {
    let attacker = b"attacker-secret-attacker-secret!";
    let jwk = format!(r#"{{"kty":"oct","k":"{}"}}"#, base64url::encode(attacker));
    for member in ["jwk", "jku", "x5u", "x5c"] {
        let value = if member == "jwk" { jwk.clone() } else { r#""https://attacker.example/k""#.into() };
        let header = format!(r#"{{"alg":"HS256","{member}":{value}}}"#);
        let token = forge(header.as_bytes(), CLAIMS.as_bytes(), attacker, Algorithm::HS256);
        assert_eq!(code_of(&token, NOW), "ERR_JWS_INVALID_SIGNATURE", "{member}");
    }
}

#[test]
fn kid_chooses_the_key_and_unknown_kids_find_none() {
    let set = KeySet::from_jwks(&format!(
        r#"{{"keys":[{{"kty":"oct","kid":"old","k":"{}"}},{{"kty":"oct","kid":"new","k":"{}"}}]}}"#,
        base64url::encode(SECRET),
        base64url::encode(&SECRET[..48])
    ))
    .unwrap();
    let verifier = Verifier::new(set, VerifyOptions::default()).unwrap();
    let old = forge(br#"{"alg":"HS256","kid":"old"}"#, CLAIMS.as_bytes(), SECRET, Algorithm::HS256);
    let new = forge(br#"{"alg":"HS256","kid":"new"}"#, CLAIMS.as_bytes(), &SECRET[..48], Algorithm::HS256);
    let swapped = forge(br#"{"alg":"HS256","kid":"new"}"#, CLAIMS.as_bytes(), SECRET, Algorithm::HS256);
    let unknown = forge(br#"{"alg":"HS256","kid":"gone"}"#, CLAIMS.as_bytes(), SECRET, Algorithm::HS256);
    let none = forge(br#"{"alg":"HS256"}"#, CLAIMS.as_bytes(), SECRET, Algorithm::HS256);
    assert!(verifier.verify(&old, NOW).is_ok());
    assert!(verifier.verify(&new, NOW).is_ok());
    assert_eq!(verifier.verify(&swapped, NOW).unwrap_err().code(), "ERR_JWS_INVALID_SIGNATURE");
    assert_eq!(verifier.verify(&unknown, NOW).unwrap_err().code(), "ERR_JWKS_NO_MATCH");
    assert_eq!(verifier.verify(&none, NOW).unwrap_err().code(), "ERR_JWKS_NO_MATCH", "ambiguous without kid");
}

#[test]
fn jwk_alg_and_use_restrict_a_key() {
    let k = base64url::encode(SECRET);
    let set = KeySet::from_jwks(&format!(
        r#"{{"keys":[{{"kty":"oct","kid":"a","alg":"HS512","k":"{k}"}},{{"kty":"oct","kid":"b","use":"enc","k":"{k}"}}]}}"#
    ))
    .unwrap();
    let verifier = Verifier::new(set, VerifyOptions::default()).unwrap();
    let hs256_a = forge(br#"{"alg":"HS256","kid":"a"}"#, CLAIMS.as_bytes(), SECRET, Algorithm::HS256);
    let hs512_a = forge(br#"{"alg":"HS512","kid":"a"}"#, CLAIMS.as_bytes(), SECRET, Algorithm::HS512);
    let enc_b = forge(br#"{"alg":"HS256","kid":"b"}"#, CLAIMS.as_bytes(), SECRET, Algorithm::HS256);
    assert_eq!(verifier.verify(&hs256_a, NOW).unwrap_err().code(), "ERR_JWKS_NO_MATCH");
    assert!(verifier.verify(&hs512_a, NOW).is_ok());
    assert_eq!(verifier.verify(&enc_b, NOW).unwrap_err().code(), "ERR_JWKS_NO_MATCH");
}

/// A single key from an `oct` JWK of [`SECRET`] with these extra members.
fn single_jwk(members: &str) -> (Key, KeyMeta) {
    Key::from_jwk(&format!(r#"{{"kty":"oct",{members}"k":"{}"}}"#, base64url::encode(SECRET))).unwrap()
}

#[test]
fn a_single_jwk_refuses_a_token_of_another_alg_as_the_algorithm_not_as_a_jwk_set_miss() {
    let hs256 = forge(br#"{"alg":"HS256"}"#, CLAIMS.as_bytes(), SECRET, Algorithm::HS256);
    let hs512 = forge(br#"{"alg":"HS512"}"#, CLAIMS.as_bytes(), SECRET, Algorithm::HS512);
    // Listed or not, HS256 is not the JWK's algorithm.
    for algorithms in [None, Some(vec![Algorithm::HS256, Algorithm::HS512])] {
        let (key, meta) = single_jwk(r#""alg":"HS512","#);
        let options = VerifyOptions { algorithms: algorithms.clone(), ..Default::default() };
        let verifier = Verifier::new(KeySet::single(key, meta), options).unwrap();
        let e = verifier.verify(&hs256, NOW).unwrap_err();
        assert_eq!((e.code(), e.message()), ("ERR_JWS_ALG_NOT_ALLOWED", "invalid algorithm"), "{algorithms:?}");
        assert!(verifier.verify(&hs512, NOW).is_ok(), "{algorithms:?}");
    }
    // The same key in a JWK Set: no key of the set fits.
    let set = KeySet::from_jwks(&format!(
        r#"{{"keys":[{{"kty":"oct","alg":"HS512","k":"{}"}}]}}"#,
        base64url::encode(SECRET)
    ))
    .unwrap();
    let e = Verifier::new(set, VerifyOptions::default()).unwrap().verify(&hs256, NOW).unwrap_err();
    assert_eq!((e.code(), e.message()), ("ERR_JWKS_NO_MATCH", "no key in the JWK Set fits a HS256 token"));
}

#[test]
fn a_single_jwk_signs_and_verifies_only_as_its_use_and_key_ops_allow() {
    let token = hs256(HEADER, CLAIMS);
    let sign = |members: &str| {
        let (key, meta) = single_jwk(members);
        jwtkit::Signer::with_meta(key, meta, Algorithm::HS256, Default::default()).map(|_| ())
    };
    let new_verifier = |members: &str| {
        let (key, meta) = single_jwk(members);
        Verifier::new(KeySet::single(key, meta), VerifyOptions::default())
    };
    let verify = |members: &str| new_verifier(members).and_then(|v| v.verify(&token, NOW)).map(|_| ());
    let message = |result: jwtkit::Result<()>| {
        let e = result.unwrap_err();
        assert_eq!(e.code(), "ERR_KEY_INVALID");
        e.message().to_owned()
    };
    for usable in
        ["", r#""use":"sig","#, r#""key_ops":["sign","verify"],"#, r#""use":"sig","key_ops":["verify","sign"],"#]
    {
        assert!(sign(usable).is_ok(), "sign with {usable}");
        assert!(verify(usable).is_ok(), "verify with {usable}");
    }
    let enc = r#""use":"enc","#;
    assert_eq!(message(sign(enc)), r#"the JWK's "use" is "enc", not "sig": this key cannot sign"#);
    // A key that cannot verify is refused when the verifier is made, before any token.
    let refused = message(new_verifier(enc).map(drop));
    assert_eq!(refused, r#"the JWK's "use" is "enc", not "sig": this key cannot verify"#);
    let sign_only = r#""key_ops":["sign"],"#;
    assert!(sign(sign_only).is_ok());
    let refused = message(new_verifier(sign_only).map(drop));
    assert_eq!(refused, r#"the JWK's "key_ops" do not include "verify": this key cannot verify"#);
    let verify_only = r#""key_ops":["verify"],"#;
    assert!(verify(verify_only).is_ok());
    assert_eq!(message(sign(verify_only)), r#"the JWK's "key_ops" do not include "sign": this key cannot sign"#);
    // The JWK's alg and kid still apply when signing.
    let (key, meta) = single_jwk(r#""alg":"HS512","#);
    let e = jwtkit::Signer::with_meta(key, meta, Algorithm::HS256, Default::default()).unwrap_err();
    assert_eq!(e.code(), "ERR_KEY_INVALID");
    let (key, meta) = single_jwk(r#""kid":"k1","#);
    let signed = jwtkit::Signer::with_meta(key, meta, Algorithm::HS256, Default::default()).unwrap().sign_json(b"{}");
    assert_eq!(jwtkit::decode_unverified(&signed).unwrap().header, r#"{"alg":"HS256","typ":"JWT","kid":"k1"}"#);
}

#[test]
fn a_jwk_set_skips_keys_whose_key_ops_do_not_include_verify() {
    let k = base64url::encode(SECRET);
    let set = |key_ops: &str| {
        let set = KeySet::from_jwks(&format!(r#"{{"keys":[{{"kty":"oct","key_ops":{key_ops},"k":"{k}"}}]}}"#)).unwrap();
        Verifier::new(set, VerifyOptions::default()).unwrap().verify(&valid(), NOW).map(|_| ())
    };
    assert!(set(r#"["verify"]"#).is_ok());
    assert_eq!(set(r#"["sign"]"#).unwrap_err().code(), "ERR_JWKS_NO_MATCH");
}

#[test]
fn public_keys_cannot_be_used_as_secrets() {
    let pem = "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----\n";
    assert_eq!(Key::from_secret(pem.as_bytes()).unwrap_err().code(), "ERR_KEY_INVALID");
    assert_eq!(Key::from_secret(format!("  \n{pem}").as_bytes()).unwrap_err().code(), "ERR_KEY_INVALID");
    // An RSA JWK is never an HMAC key: with asymmetric support it is an RSA key (this one,
    // a 17-bit modulus, is refused as weak or invalid); without, it is refused.
    match Key::from_jwk(r#"{"kty":"RSA","n":"AQAB","e":"AQAB"}"#) {
        Ok((key, _)) => assert_ne!(key.family(), jwtkit::Family::Hmac),
        Err(e) => assert!(matches!(e.code(), "ERR_KEY_INVALID" | "ERR_KEY_TOO_WEAK"), "{}", e.code()),
    }
    assert_eq!(Key::from_jwk(r#"{"kty":"oct"}"#).unwrap_err().code(), "ERR_KEY_INVALID");
    assert_eq!(Key::from_jwk(r#"{"kty":"oct","k":"a+b/"}"#).unwrap_err().code(), "ERR_KEY_INVALID");
    assert_eq!(Key::from_jwk(r#"{"kty":"oct","kty":"oct","k":"YWJj"}"#).unwrap_err().code(), "ERR_KEY_INVALID");
    let _ = KeyMeta::default();
}

/// Asserts that `make_key` refuses every case as `ERR_KEY_INVALID` with a message about HMAC
/// secrets that quotes none of the key; reports every case that is not refused.
fn check_never_secrets(cases: &[(String, Vec<u8>)], make_key: impl Fn(&[u8]) -> jwtkit::Result<Key>) {
    let mut failures = Vec::new();
    for (name, bytes) in cases {
        match make_key(bytes) {
            Ok(_) => failures.push(format!("{name}: accepted as an HMAC secret")),
            Err(e) if e.code() != "ERR_KEY_INVALID" || !e.message().contains("cannot be used as an HMAC secret") => {
                failures.push(format!("{name}: {} {}", e.code(), e.message()))
            }
            Err(e) if bytes.windows(12).any(|quoted| e.message().as_bytes().windows(12).any(|w| w == quoted)) => {
                failures.push(format!("{name}: the message quotes the key"))
            }
            Err(_) => {}
        }
    }
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), cases.len(), failures.join("\n"));
}

#[test]
fn random_secrets_even_framed_as_der_are_never_taken_for_keys() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut random_bytes = |len: usize| (0..len).map(|_| (rng.next() >> 56) as u8).collect::<Vec<u8>>();
    let mut refused = Vec::new();
    let mut check = |input: &[u8], result: jwtkit::Result<Key>| {
        if let Err(e) = result {
            refused.push(format!("{input:02x?}: {}", e.message()));
        }
    };
    for len in (1..=96).cycle().take(100_000) {
        let secret = random_bytes(len);
        check(&secret, Key::from_secret(&secret));
    }
    // Secrets that pass the first test of a DER key (a SEQUENCE spanning all the bytes)
    // and are random after it: enough that a check of the first tags alone, without
    // elements that tile, would refuse some.
    for _ in 0..1_000_000 {
        let mut secret = random_bytes(32);
        secret[..2].copy_from_slice(&[0x30, 30]);
        check(&secret, Key::from_secret(&secret));
    }
    // generateSecret's text (base64url of 32, 48 or 64 random bytes), some of it starting
    // with `M` as a DER key's base64 does; and the same text given as base64.
    for len in [32, 48, 64].into_iter().cycle().take(30_000) {
        let mut bytes = random_bytes(len);
        if bytes[0] & 1 == 0 {
            bytes[..2].copy_from_slice(&[0x30, len as u8 - 2]);
        }
        let text = base64url::encode(&bytes);
        check(text.as_bytes(), Key::from_secret(text.as_bytes()));
        check(text.as_bytes(), Key::from_base64_secret(&text));
    }
    assert!(refused.is_empty(), "{} random secrets refused:\n{}", refused.len(), refused.join("\n"));
}

#[test]
fn der_keys_and_pem_bodies_are_never_secrets() {
    let (mut cases, mut bodies) = (Vec::new(), Vec::new());
    for (file, text) in KEY_FILES {
        let keys: serde_json::Value = serde_json::from_str(text).unwrap();
        for form in ["spki", "pkcs1_public", "certificate", "pkcs8", "pkcs1", "sec1"] {
            let Some(pem) = keys[form].as_str() else { continue };
            let body = pem_body(pem);
            let url_safe = as_base64url(&body);
            let der = base64url::decode(&url_safe).unwrap();
            // The key as `fs.readFileSync('key.der')`, and its PEM without the armor lines.
            cases.push((format!("{file} {form} DER"), der));
            cases.push((format!("{file} {form} PEM body"), body.clone().into_bytes()));
            cases.push((format!("{file} {form} PEM body with CRLF"), body.replace('\n', "\r\n").into_bytes()));
            cases.push((format!("{file} {form} PEM body on one line"), body.replace('\n', "").into_bytes()));
            cases.push((format!("{file} {form} as base64url"), url_safe.into_bytes()));
            cases.push((format!("{file} {form} PEM body after a BOM"), format!("\u{feff}{body}").into_bytes()));
            bodies.push((
                format!("{file} {form} PEM body given as a base64 secret"),
                body.replace('\n', "").into_bytes(),
            ));
        }
    }
    // Public keys this library does not take are public all the same.
    let refused: serde_json::Value = serde_json::from_str(include_str!("keys/refused.json")).unwrap();
    for form in ["secp256k1_spki", "ed448_spki", "rsa_512_spki"] {
        let body = pem_body(refused[form].as_str().unwrap());
        cases.push((format!("{form} DER"), base64url::decode(&as_base64url(&body)).unwrap()));
        cases.push((format!("{form} PEM body"), body.into_bytes()));
    }
    // RSA: SPKI, PKCS#1 public, PKCS#8, PKCS#1 (the 1024-bit file has no certificate); EC: SPKI,
    // certificate, PKCS#8, SEC1; Ed25519: SPKI, certificate, PKCS#8.
    assert_eq!(bodies.len(), 5 + 4 + 3 * 4 + 3, "every form of every file");
    check_never_secrets(&cases, Key::from_secret);
    check_never_secrets(&bodies, |text| Key::from_base64_secret(std::str::from_utf8(text).unwrap()));
}

#[test]
fn jwk_sets_arrays_of_jwks_and_jwks_after_a_byte_order_mark_are_never_secrets() {
    let oct = format!(r#"{{"kty":"oct","k":"{}"}}"#, base64url::encode(SECRET));
    let mut cases = Vec::new();
    for (file, text) in KEY_FILES {
        let keys: serde_json::Value = serde_json::from_str(text).unwrap();
        for form in ["jwk_public", "jwk_private"] {
            let jwk = keys[form].to_string();
            let set = format!(r#"{{"keys":[{jwk}]}}"#);
            let pretty = serde_json::to_string_pretty(&serde_json::json!({ "keys": [keys[form].clone()] })).unwrap();
            for (how, text) in [
                // A JWKS kept as text (an environment variable not JSON.parsed).
                ("a JWK Set", set.clone()),
                ("a pretty-printed JWK Set", pretty),
                ("a JWK Set after an oct key", format!(r#"{{"keys":[{oct},{jwk}]}}"#)),
                ("a JWK Set after a BOM", format!("\u{feff}{set}")),
                ("a JWK Set that is not strict JSON", format!(r#"{{"keys":[{jwk},]}}"#)),
                // A JWK Set's `keys` kept on their own.
                ("a bare array of JWKs", format!("[{oct},{jwk}]")),
                ("a bare array of JWKs after a BOM", format!("\u{feff}[{jwk}]")),
                // A file saved by an editor or PowerShell starts with a UTF-8 byte-order mark.
                ("a JWK after a BOM", format!("\u{feff}{jwk}")),
                ("a JWK after whitespace", format!(" \r\n\t{jwk}\n")),
                ("a JWK after a BOM and whitespace", format!("\u{feff}\n  {jwk}")),
            ] {
                cases.push((format!("{file} {form} as {how}"), text.into_bytes()));
            }
        }
    }
    check_never_secrets(&cases, Key::from_secret);
}

#[test]
fn a_single_key_ignores_the_tokens_kid() {
    // jsonwebtoken and jose verify a token carrying `kid` with a plain secret; only JWK Sets
    // choose keys by `kid`.
    let token = forge(br#"{"alg":"HS256","kid":"any"}"#, CLAIMS.as_bytes(), SECRET, Algorithm::HS256);
    assert_eq!(code_of(&token, NOW), "OK");
    let (key, meta) =
        Key::from_jwk(&format!(r#"{{"kty":"oct","kid":"other","k":"{}"}}"#, base64url::encode(SECRET))).unwrap();
    let single_jwk = Verifier::new(KeySet::single(key, meta), VerifyOptions::default()).unwrap();
    assert!(single_jwk.verify(&token, NOW).is_ok());
}
