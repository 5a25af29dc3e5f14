//! The bodies of the fuzz targets, as plain functions of the input bytes.
//!
//! Each function panics when an invariant breaks; otherwise it returns. The cargo-fuzz
//! binaries in `fuzz_targets/` call them, and `tests/fuzz_regressions.rs` (a normal
//! `cargo test`) includes this file to replay `fuzz/seeds/` and `fuzz/regressions/`, so an
//! input that once crashed a target stays a failing test until the bug is fixed.
//!
//! Only `jwtkit`, `serde_json` and the tests' serde_json walker are used, so the file
//! compiles in both places.
//! Inputs are sliced by hand (a leading flags byte, segments separated by a 0 byte) rather
//! than through `arbitrary`, which keeps the seed files readable: see each function's docs.

use jwtkit::{
    base64url, decode_unverified, inspect as inspect_token, json, token, Algorithm, Error, ErrorKind, Family,
    HeaderSpec, Key, KeyMeta, KeySet, Signer, Verifier, VerifyOptions,
};
use serde_json::Value;

#[path = "../../tests/common/serde_walker.rs"]
mod serde_walker;

/// The fixed secret of the verify, inspect and sign targets: 64 bytes, strong for HS512.
pub const SECRET: &[u8] = b"fuzzing-secret-0123456789abcdef-fuzzing-secret-0123456789abcdef!";

/// Every code an error may carry today.
const CODES: [&str; 14] = [
    "ERR_JWT_MALFORMED",
    "ERR_JWT_TOO_LARGE",
    "ERR_JWS_INVALID_SIGNATURE",
    "ERR_JWS_ALG_NOT_ALLOWED",
    "ERR_JWS_CRIT_UNSUPPORTED",
    "ERR_JWT_EXPIRED",
    "ERR_JWT_NOT_ACTIVE",
    "ERR_JWT_CLAIM_INVALID",
    "ERR_JWT_CLAIM_MISSING",
    "ERR_KEY_INVALID",
    "ERR_KEY_TOO_WEAK",
    "ERR_JWKS_NO_MATCH",
    "ERR_INVALID_PAYLOAD",
    "ERR_INVALID_OPTION",
];

/// Times the targets verify at. All finite: the JS face only passes finite times.
const NOWS: [f64; 8] = [0.0, 1000.0, 1999.0, 2000.0, 1_700_000_000.0, -1.0, 4e15, 1.5];

/// The input as a string: UTF-8 when it is, otherwise each byte as one Latin-1 character
/// (so arbitrary bytes still become, for example, non-ASCII text in a token).
pub fn text(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(_) => bytes.iter().map(|&b| char::from(b)).collect(),
    }
}

/// Whether `s` is JSON number syntax: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
pub fn is_json_number(s: &str) -> bool {
    let digits = |t: &str| t.len() - t.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let t = s.strip_prefix('-').unwrap_or(s);
    let whole = digits(t);
    if whole == 0 || (whole > 1 && t.starts_with('0')) {
        return false;
    }
    let mut t = &t[whole..];
    if let Some(fraction) = t.strip_prefix('.') {
        let n = digits(fraction);
        if n == 0 {
            return false;
        }
        t = &fraction[n..];
    }
    if let Some(exponent) = t.strip_prefix(['e', 'E']) {
        let exponent = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
        let n = digits(exponent);
        if n == 0 {
            return false;
        }
        t = &exponent[n..];
    }
    t.is_empty()
}

/// Splits at 0 bytes into at most `n` segments (the last one keeps any further 0 bytes).
pub fn segments(bytes: &[u8], n: usize) -> Vec<&[u8]> {
    bytes.splitn(n, |b| *b == 0).collect()
}

fn fixed_keys() -> KeySet {
    KeySet::single(Key::from_secret(SECRET).expect("the fixed secret is a valid key"), KeyMeta::default())
}

/// A token with exactly these header and payload bytes, signed with `secret` under `alg`.
pub fn forge(header: &[u8], payload: &[u8], secret: &[u8], alg: Algorithm) -> String {
    let mut token = base64url::encode(header);
    token.push('.');
    base64url::encode_into(payload, &mut token);
    let mut signature = Vec::new();
    Key::from_secret(secret).expect("a valid secret").sign_into(alg, token.as_bytes(), &mut signature).unwrap();
    token.push('.');
    base64url::encode_into(&signature, &mut token);
    token
}

/// A known code, a message, and no part of the secret, unless the input itself played with
/// the secret's text (messages may quote input, such as an unknown option name or a PEM label,
/// and the fuzzer copies the secret's text from the seeds into them).
fn check_error_for(error: &Error, input: &[u8]) {
    assert!(CODES.contains(&error.code()), "unknown error code {}", error.code());
    assert!(!error.message().is_empty(), "empty message for {}", error.code());
    let secret = &SECRET[..16];
    if error.message().as_bytes().windows(secret.len()).any(|w| w == secret) {
        // Messages quote input with non-printable characters dropped: compare with that.
        let printable: Vec<u8> = input.iter().copied().filter(|b| b.is_ascii_graphic() || *b == b' ').collect();
        let played = printable.windows(secret.len()).any(|w| w == secret);
        assert!(played, "an error message shows the secret: {}", error.message());
    }
}

fn number(value: Option<&Value>) -> Option<f64> {
    value.and_then(Value::as_f64)
}

// ---- parse ------------------------------------------------------------------------------

/// Token parsing: `token::split`, `decode_unverified`, base64url and strict JSON.
///
/// Input: the whole input is the token (see [`text`]); it is also used as raw bytes for
/// base64url encoding and as JSON text.
pub fn parse(data: &[u8]) {
    let s = text(data);

    // Number conversion: bit for bit the standard library's, when the input is a JSON number.
    if is_json_number(&s) {
        let ours = jwtkit::decimal::parse(s.as_bytes());
        let reference = s.parse::<f64>().ok().filter(|f| f.is_finite());
        assert_eq!(ours.map(f64::to_bits), reference.map(f64::to_bits), "{s}");
        assert_eq!(jwtkit::decimal::in_range(s.as_bytes()), ours.is_some(), "{s}");
    }

    if let Ok(c) = token::split(&s) {
        assert_eq!(format!("{}.{}.{}", c.header, c.payload, c.signature), s, "split lost characters");
        assert_eq!(c.signing_input, format!("{}.{}", c.header, c.payload));
        assert!(!c.header.is_empty(), "split accepted an empty header");
        for part in [c.header, c.payload, c.signature] {
            assert!(part.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'), "{part:?}");
        }
    }

    match decode_unverified(&s) {
        Ok(u) => {
            let c = token::split(&s).expect("decode_unverified accepted a token that split refuses");
            assert_eq!(base64url::encode(u.header.as_bytes()), c.header, "header is not the decoded part");
            assert_eq!(base64url::encode(u.payload.as_bytes()), c.payload, "payload is not the decoded part");
            assert_eq!(u.signature, c.signature);
            for part in [&u.header, &u.payload] {
                let value: Value = serde_json::from_str(part).expect("decode_unverified gave non-JSON");
                assert!(value.is_object(), "decode_unverified gave a non-object: {part}");
            }
        }
        Err(e) => {
            check_error_for(&e, data);
            assert_eq!(e.code(), "ERR_JWT_MALFORMED", "{e}");
        }
    }

    // base64url: canonical in both directions.
    match base64url::decode_at(&s) {
        Ok(bytes) => assert_eq!(base64url::encode(&bytes), s, "accepted a non-canonical encoding"),
        Err(failure) => {
            assert!(failure.position < s.len(), "failure position {} past the end", failure.position);
            assert!(s.is_char_boundary(failure.position), "failure position inside a character");
        }
    }
    assert_eq!(base64url::decode(&s).is_ok(), base64url::decode_at(&s).is_ok());
    if s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
        // The fast canonical check (no decoding) agrees with decoding.
        assert_eq!(base64url::is_canonical(&s), base64url::decode_at(&s).is_ok(), "is_canonical({s:?})");
    }
    let mut out = vec![0u8; 4 * data.len() / 3 + 3];
    let len = base64url::encode_slice(data, &mut out);
    assert_eq!(&out[..len], base64url::encode(data).as_bytes(), "encode_slice differs from encode");
    assert_eq!(base64url::decode(&base64url::encode(data)).unwrap(), data, "encode/decode round trip");

    // The one-pass scanner agrees with the serde_json walker it replaces on the hot path.
    match (jwtkit::scan::scan_object(data), serde_walker::parse_object_with_serde_json(data)) {
        (Ok(scanned), Ok(walked)) => {
            assert_eq!(scanned, walked, "scanner and serde_json walker give different members");
            for name in ["exp", "nbf", "iat"] {
                if let (Some(json::Value::Number(a)), Some(json::Value::Number(b))) =
                    (scanned.get(name), walked.get(name))
                {
                    assert_eq!(a.to_bits(), b.to_bits(), "{name} differs in its bits");
                }
            }
        }
        (Err(_), Err(_)) => {}
        (scanned, walked) => {
            panic!("scanner accepts: {}, serde_json walker accepts: {}", scanned.is_ok(), walked.is_ok())
        }
    }

    // Strict JSON agrees with serde_json, and only ever refuses more.
    let strict = json::check_value(data);
    match json::parse_object(data) {
        Ok(members) => {
            assert!(strict.is_ok(), "parse_object accepted what check_value refuses");
            let value: Value = serde_json::from_slice(data).expect("parse_object accepted what serde_json refuses");
            let object = value.as_object().expect("parse_object accepted a non-object");
            assert_eq!(members.names().count(), object.len(), "duplicate names got through");
            for name in members.names() {
                assert!(object.contains_key(name));
            }
            for name in ["alg", "exp", "nbf", "iat", "sub", "aud"] {
                match (members.get(name), object.get(name)) {
                    (None, None) => {}
                    (Some(json::Value::Number(n)), Some(v)) => assert_eq!(Some(*n), v.as_f64(), "{name}"),
                    (Some(json::Value::Str(s)), Some(v)) => assert_eq!(Some(s.as_ref()), v.as_str(), "{name}"),
                    (Some(json::Value::StrArray(a)), Some(Value::Array(v))) => {
                        assert_eq!(a.len(), v.len(), "{name}");
                        assert!(a.iter().zip(v).all(|(a, v)| Some(a.as_ref()) == v.as_str()), "{name}");
                    }
                    (Some(json::Value::Other(t)), Some(v)) => {
                        assert!(!(v.is_number() || v.is_string()), "{name}: {t} vs {v}")
                    }
                    (a, b) => panic!("captured {name} differs: {a:?} vs {b:?}"),
                }
            }
        }
        Err(failure) => assert!(failure.offset <= data.len(), "offset past the end"),
    }
    if strict.is_ok() {
        serde_json::from_slice::<Value>(data).expect("check_value accepted what serde_json refuses");
    }
}

// ---- verify -----------------------------------------------------------------------------

fn options_from_flags(flags: u8, param: u8) -> VerifyOptions {
    let mut o = VerifyOptions {
        ignore_expiration: flags & 1 != 0,
        ignore_not_before: flags & 2 != 0,
        allow_weak_key: flags & 4 != 0,
        clock_tolerance: f64::from(param >> 5) * 30.0,
        ..VerifyOptions::default()
    };
    if flags & 8 != 0 {
        let list: Vec<Algorithm> =
            Algorithm::HMAC.into_iter().enumerate().filter(|(i, _)| param & (1 << i) != 0).map(|(_, a)| a).collect();
        let list = if param & 8 != 0 { [list, vec![Algorithm::RS256, Algorithm::ES256]].concat() } else { list };
        if !list.is_empty() {
            o.algorithms = Some(list);
        }
    }
    if flags & 16 != 0 {
        o.audience = vec!["api".into(), "other".into()];
        o.issuer = vec!["iss".into()];
        o.subject = Some("ada".into());
        o.jwtid = (param & 16 != 0).then(|| "j1".into());
        o.typ = (param & 16 != 0).then(|| "JWT".into());
        o.max_age = Some(3600.0);
        o.required_claims = vec!["sub".into(), "exp".into()];
    }
    if flags & 128 != 0 {
        o.max_token_length = usize::from(param) * 2;
    }
    o
}

/// `Verifier::verify` with options and keys from the input.
///
/// Input: byte 0 = flags, byte 1 = a parameter, then by mode (`(flags >> 5) & 3`):
/// - 0: the rest is a token, checked with options from the flags and the fixed key;
/// - 1: the rest is `header \0 payload`, signed with the fixed key (alg from the parameter's
///   low 2 bits; 3 = a wrong key), so verification goes past the signature into the claims;
/// - 2: a valid token edited by the rest, as pairs `(position, byte)`: it must then fail
///   unless the edits changed nothing;
/// - 3: the rest is `options JSON \0 JWK Set JSON (empty = the fixed key) \0 token`.
pub fn verify(data: &[u8]) {
    let [flags, param, rest @ ..] = data else { return };
    let (flags, param) = (*flags, *param);
    let now = NOWS[usize::from(param) % NOWS.len()];
    let mut keys = fixed_keys();
    let mut fixed_key = true;
    let mut options = options_from_flags(flags, param);
    let mut signed_with: Option<(Algorithm, Option<String>)> = None;
    let mut original: Option<String> = None;

    let token = match (flags >> 5) & 3 {
        0 => text(rest),
        1 => {
            let parts = segments(rest, 2);
            let (header, payload) = (parts[0], parts.get(1).copied().unwrap_or_default());
            let alg = Algorithm::HMAC[usize::from(param & 3) % 3];
            let secret: &[u8] = if param & 3 == 3 {
                b"another-secret-another-secret-another-secret-another-secret-1234"
            } else {
                SECRET
            };
            if param & 3 != 3 {
                signed_with = Some((alg, std::str::from_utf8(payload).ok().map(str::to_owned)));
            }
            forge(header, payload, secret, alg)
        }
        2 => {
            let valid = forge(
                br#"{"alg":"HS256","typ":"JWT"}"#,
                br#"{"sub":"ada","aud":"api","iss":"iss","exp":2000,"iat":1000,"jti":"j1"}"#,
                SECRET,
                Algorithm::HS256,
            );
            let mut bytes = valid.clone().into_bytes();
            for edit in rest.chunks_exact(2) {
                let position = usize::from(edit[0]) % (bytes.len() + 1);
                match edit[1] {
                    0 if position < bytes.len() => {
                        bytes.remove(position);
                    }
                    1 => bytes.insert(position, b'A'),
                    b if position < bytes.len() => bytes[position] = b,
                    _ => {}
                }
            }
            original = Some(valid);
            text(&bytes)
        }
        _ => {
            let parts = segments(rest, 3);
            let options_text = text(parts[0]);
            match VerifyOptions::from_json(&options_text) {
                Ok(parsed) => options = parsed,
                Err(e) => {
                    check_error_for(&e, data);
                    assert_eq!(e.code(), "ERR_INVALID_OPTION");
                }
            }
            let jwks = parts.get(1).copied().unwrap_or_default();
            if !jwks.is_empty() {
                match KeySet::from_jwks(&text(jwks)) {
                    Ok(set) => {
                        keys = set;
                        fixed_key = false;
                    }
                    Err(e) => check_error_for(&e, data),
                }
            }
            text(parts.get(2).copied().unwrap_or_default())
        }
    };

    let default_allowed = jwtkit::verify::default_algorithms(&keys);
    let verifier = match Verifier::new(keys, options.clone()) {
        Ok(v) => v,
        Err(e) => {
            check_error_for(&e, data);
            return;
        }
    };
    let result = verifier.verify(&token, now);
    // The scratch-reusing path gives the same answer, also with a header cached from an
    // earlier token (the scratch remembers the last accepted header): primed with this
    // token, or with a valid token of another header, or with nothing.
    let mut scratch = jwtkit::verify::Scratch::default();
    match param % 3 {
        1 => {
            let _ = verifier.verify_payload(&token, now, &mut scratch);
        }
        2 => {
            let other =
                forge(br#"{"alg":"HS256","typ":"JWT"}"#, br#"{"sub":"ada","aud":"api"}"#, SECRET, Algorithm::HS256);
            let _ = verifier.verify_payload(&other, now, &mut scratch);
        }
        _ => {}
    }
    let payload = verifier.verify_payload(&token, now, &mut scratch);
    assert_eq!(payload, result.clone().map(|v| v.payload), "verify_payload differs from verify");

    if token.len() > options.max_token_length {
        assert_eq!(result.as_ref().unwrap_err().kind(), ErrorKind::TooLarge, "length not checked first");
    }
    if let Some(original) = &original {
        if *original != token {
            assert!(result.is_err(), "an edited token verified: {token}");
        }
    }
    match result {
        Err(e) => check_error_for(&e, data),
        Ok(verified) => {
            let unverified = decode_unverified(&token).expect("verified but does not decode");
            assert_eq!(unverified.header, verified.header);
            assert_eq!(unverified.payload, verified.payload);
            let header: Value = serde_json::from_str(&verified.header).unwrap();
            let alg_name = header["alg"].as_str().expect("verified without a string alg");
            let alg: Algorithm = alg_name.parse().expect("verified with an unknown alg");
            let allowed = options.algorithms.clone().unwrap_or(default_allowed);
            assert!(allowed.contains(&alg), "verified {alg} outside {allowed:?}");
            assert!(header.get("crit").is_none(), "verified a token with crit");
            if fixed_key {
                let (input, _) = token.rsplit_once('.').unwrap();
                let mut mac = Vec::new();
                Key::from_secret(SECRET).unwrap().sign_into(alg, input.as_bytes(), &mut mac).unwrap();
                assert_eq!(base64url::encode(&mac), token.rsplit('.').next().unwrap(), "verified a wrong MAC");
            }
            if let Some((signed_alg, payload)) = &signed_with {
                assert_eq!(alg, *signed_alg, "verified under an alg it was not signed with");
                if let Some(payload) = payload {
                    assert_eq!(&verified.payload, payload);
                }
            }
            let claims: Value = serde_json::from_str(&verified.payload).unwrap();
            assert!(claims.is_object());
            let tolerance = options.clock_tolerance;
            if let (Some(exp), false) = (number(claims.get("exp")), options.ignore_expiration) {
                assert!(now < exp + tolerance, "verified an expired token: exp {exp}, now {now}");
            }
            if let (Some(nbf), false) = (number(claims.get("nbf")), options.ignore_not_before) {
                assert!(nbf <= now + tolerance, "verified a token before nbf: nbf {nbf}, now {now}");
            }
            for name in ["exp", "nbf", "iat"] {
                assert!(claims.get(name).is_none_or(Value::is_number), "verified a non-numeric {name}");
            }
            if !options.audience.is_empty() {
                let ok = match &claims["aud"] {
                    Value::String(a) => options.audience.contains(a),
                    Value::Array(list) => {
                        list.iter().any(|a| a.as_str().is_some_and(|a| options.audience.iter().any(|e| e == a)))
                    }
                    _ => false,
                };
                assert!(ok, "verified a token for another audience: {}", claims["aud"]);
            }
            if !options.issuer.is_empty() {
                assert!(claims["iss"].as_str().is_some_and(|i| options.issuer.iter().any(|e| e == i)));
            }
            if let Some(sub) = &options.subject {
                assert_eq!(claims["sub"].as_str(), Some(sub.as_str()));
            }
            for name in &options.required_claims {
                assert!(claims.get(name).is_some(), "verified without the required {name}");
            }
        }
    }
}

// ---- inspect ----------------------------------------------------------------------------

/// `inspect` with and without a key: never panics, and the report is consistent.
///
/// Input: byte 0 = mode (`% 3`: 0 no key, 1 `secret \0 token`, 2 `JWK Set \0 token`),
/// byte 1 picks the time, the rest as the mode says.
pub fn inspect(data: &[u8]) {
    let [mode, param, rest @ ..] = data else { return };
    let now = NOWS[usize::from(*param) % NOWS.len()];
    let (keys, input) = match mode % 3 {
        0 => (None, text(rest)),
        m => {
            let parts = segments(rest, 2);
            let key_text = parts[0];
            let input = text(parts.get(1).copied().unwrap_or_default());
            let keys = if m == 1 {
                Key::from_secret(key_text).ok().map(|k| KeySet::single(k, KeyMeta::default()))
            } else {
                KeySet::from_jwks(&text(key_text)).ok()
            };
            (keys, input)
        }
    };
    let report = inspect_token(&input, keys.as_ref(), now);
    let without_key = inspect_token(&input, None, now);
    assert_eq!(without_key.signature.status, "not checked");

    // Parts tile the input, in UTF-16 positions.
    let utf16: Vec<u16> = input.encode_utf16().collect();
    let mut expected_start = 0;
    for (i, part) in report.parts.iter().enumerate() {
        assert_eq!(part.start, expected_start, "part {i} does not start where the previous ended");
        assert!(part.end <= utf16.len(), "part {i} ends past the input");
        assert_eq!(String::from_utf16(&utf16[part.start..part.end]).unwrap(), part.text, "part {i} text");
        expected_start = part.end + 1;
    }
    assert_eq!(report.parts.last().map_or(0, |p| p.end), utf16.len(), "parts do not reach the end");
    for problem in &report.errors {
        assert!(problem.position <= utf16.len(), "problem position {} past the end", problem.position);
        assert!(!problem.message.is_empty());
    }
    assert_eq!(report.error.is_some(), !report.errors.is_empty());

    let decoded = decode_unverified(&input);
    assert_eq!(
        report.errors.is_empty(),
        decoded.is_ok(),
        "inspect and decode disagree: {:?} vs {:?}",
        report.errors,
        decoded
    );
    if let Ok(u) = &decoded {
        assert_eq!(report.header_json.as_deref(), Some(u.header.as_str()));
        assert_eq!(report.payload_json.as_deref(), Some(u.payload.as_str()));
    }
    match (&keys, report.errors.is_empty()) {
        (Some(keys), true) => {
            let lenient = VerifyOptions {
                ignore_expiration: true,
                ignore_not_before: true,
                allow_weak_key: true,
                max_token_length: usize::MAX,
                ..VerifyOptions::default()
            };
            let verified = Verifier::new(keys.clone(), lenient).map(|v| v.verify(&input, now));
            // Claims are checked after the signature, and the lenient options leave only one
            // claim error: a time claim of the wrong type. The inspector reports the signature
            // alone, so such a token's signature is valid.
            let valid = match &verified {
                Ok(Ok(_)) => true,
                Ok(Err(e)) => e.kind() == ErrorKind::ClaimInvalid,
                Err(_) => false,
            };
            assert_eq!(report.signature.status == "valid", valid, "{:?} vs {verified:?}", report.signature);
            assert!(["valid", "invalid"].contains(&report.signature.status));
        }
        _ => assert_eq!(report.signature.status, "not checked"),
    }
    for warning in &report.warnings {
        assert!(["critical", "high", "medium", "low", "info"].contains(&warning.severity), "{warning:?}");
    }
    let json = report.to_json();
    assert!(serde_json::from_str::<Value>(&json).is_ok());
}

// ---- keys -------------------------------------------------------------------------------

/// A parsed key prints as redacted (secrets), and signs and verifies with `alg` (or its own
/// first algorithm) when it can sign at all (public keys cannot).
fn check_key(key: &Key, alg: Option<Algorithm>) {
    let debug = format!("{key:?}");
    if key.family() == Family::Hmac {
        assert!(debug.contains("redacted"), "a secret prints as {debug}");
    }
    let alg = alg.unwrap_or(key.default_algorithms()[0]);
    let mut signature = Vec::new();
    match key.sign_into(alg, b"input", &mut signature) {
        Ok(()) => {
            key.verify(alg, b"input", &signature).expect("a key verifies its own signature");
            assert!(key.verify(alg, b"inpuT", &signature).is_err(), "a signature verified other input");
        }
        Err(e) => assert!(key.family() != Family::Hmac, "a secret could not sign {alg}: {e}"),
    }
}

/// Key parsing: `Key::from_secret`, `Key::from_base64_secret`, `Key::from_jwk`,
/// `KeySet::from_jwks`, all on the whole input.
pub fn keys(data: &[u8]) {
    let s = text(data);
    match Key::from_secret(data) {
        Ok(key) => check_key(&key, Some(Algorithm::HS256)),
        Err(e) => {
            check_error_for(&e, data);
            assert_eq!(e.code(), "ERR_KEY_INVALID");
        }
    }
    match Key::from_base64_secret(&s) {
        Ok(key) => check_key(&key, Some(Algorithm::HS384)),
        Err(e) => assert_eq!(e.code(), "ERR_KEY_INVALID"),
    }
    // A long `k` must never appear in an error message.
    let k = serde_json::from_str::<Value>(&s).ok().and_then(|v| v.get("k").and_then(Value::as_str).map(str::to_owned));
    let no_echo = |e: &Error| {
        check_error_for(e, data);
        if let Some(k) = k.as_deref().filter(|k| k.len() >= 16) {
            assert!(!e.message().contains(k), "an error message echoes \"k\": {}", e.message());
        }
    };
    match Key::from_pem(&s) {
        Ok(key) => {
            assert_ne!(key.family(), Family::Hmac, "a PEM became a secret");
            check_key(&key, None);
        }
        Err(e) => check_error_for(&e, data),
    }
    match Key::from_jwk(&s) {
        Ok((key, meta)) => check_key(&key, meta.alg),
        Err(e) => no_echo(&e),
    }
    match KeySet::from_jwks(&s) {
        Ok(set) => {
            for (key, meta) in set.iter() {
                check_key(key, meta.alg);
                for alg in Algorithm::ALL {
                    if let Err(e) = set.select(alg, meta.kid.as_deref()) {
                        check_error_for(&e, data);
                    }
                }
            }
            if let Err(e) = set.select(Algorithm::HS256, None) {
                check_error_for(&e, data);
            }
        }
        Err(e) => no_echo(&e),
    }
}

// ---- sign round trip --------------------------------------------------------------------

/// Builds a JSON object from bytes: strings with escapes, astral characters and controls,
/// integers, floats, nesting. Always valid JSON; names may repeat only by construction
/// through serde_json's map (which keeps one).
pub fn generated_object(bytes: &[u8]) -> String {
    let mut reader = Reader { bytes, at: 0 };
    let mut object = serde_json::Map::new();
    let members = reader.byte() % 12;
    for _ in 0..members {
        let name = reader.string();
        let value = reader.value(0);
        object.insert(name, value);
    }
    serde_json::to_string(&Value::Object(object)).unwrap()
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn byte(&mut self) -> u8 {
        let b = self.bytes.get(self.at).copied().unwrap_or(0);
        self.at += 1;
        b
    }

    fn string(&mut self) -> String {
        const PALETTE: [&str; 16] = [
            "a",
            "é",
            "\u{1F600}",
            "\u{10FFFF}",
            "\"",
            "\\",
            "\n",
            "\u{0}",
            "\u{1f}",
            "\u{2028}",
            "/",
            "exp",
            "中",
            "\u{FEFF}",
            "aud",
            " ",
        ];
        let len = self.byte() % 10;
        (0..len).map(|_| PALETTE[usize::from(self.byte() % 16)]).collect()
    }

    fn value(&mut self, depth: usize) -> Value {
        let kind = self.byte() % if depth < 6 { 9 } else { 7 };
        match kind {
            0 => Value::Null,
            1 => Value::Bool(self.byte() & 1 == 1),
            2 => Value::from(i64::from_le_bytes(self.eight())),
            3 => Value::from(u64::from_le_bytes(self.eight())),
            4 => serde_json::Number::from_f64(f64::from_le_bytes(self.eight())).map_or(Value::Null, Value::Number),
            5 => Value::from(f64::from(self.byte()) / 8.0 + 1_700_000_000.0),
            6 => Value::String(self.string()),
            7 => Value::Array((0..self.byte() % 5).map(|_| self.value(depth + 1)).collect()),
            _ => {
                let mut map = serde_json::Map::new();
                for _ in 0..self.byte() % 5 {
                    let name = self.string();
                    map.insert(name, self.value(depth + 1));
                }
                Value::Object(map)
            }
        }
    }

    fn eight(&mut self) -> [u8; 8] {
        std::array::from_fn(|_| self.byte())
    }
}

/// Sign then verify: `Signer::sign_claims` then `Verifier::verify` gives the payload back.
///
/// Input: byte 0 = flags (low 2 bits: HS256/384/512, 3 = HS256; bit 2: a `kid` from the
/// first segment; bit 3: a whole header from the first segment; bit 4: the payload is
/// [`generated_object`] of the rest rather than the rest as text). With bit 2 or 3 the
/// rest is `segment \0 payload`.
pub fn sign_roundtrip(data: &[u8]) {
    let [flags, rest @ ..] = data else { return };
    let flags = *flags;
    let alg = Algorithm::HMAC[usize::from(flags & 3) % 3];
    let (first, body) = if flags & 12 != 0 {
        let parts = segments(rest, 2);
        (Some(text(parts[0])), parts.get(1).copied().unwrap_or_default())
    } else {
        (None, rest)
    };
    let spec = HeaderSpec {
        kid: first.clone().filter(|_| flags & 4 != 0),
        header: first.filter(|_| flags & 8 != 0),
        allow_weak_key: false,
    };
    let payload = if flags & 16 != 0 { generated_object(body) } else { text(body) };

    let signer = match Signer::new(Key::from_secret(SECRET).unwrap(), alg, &spec) {
        Ok(signer) => signer,
        Err(e) => {
            check_error_for(&e, data);
            assert!(spec.header.is_some(), "only a caller's header can be refused: {e}");
            return;
        }
    };
    let token = match signer.sign_claims(&payload) {
        Ok(token) => token,
        Err(e) => {
            assert_eq!(e.code(), "ERR_INVALID_PAYLOAD");
            assert!(json::parse_object(payload.as_bytes()).is_err(), "a JSON object was refused: {payload}");
            assert!(flags & 16 == 0, "a generated object was refused: {payload}");
            return;
        }
    };
    assert_eq!(token, signer.sign_json(payload.as_bytes()), "signing is not deterministic");

    let options = VerifyOptions {
        ignore_expiration: true,
        ignore_not_before: true,
        max_token_length: usize::MAX,
        ..VerifyOptions::default()
    };
    let verifier = Verifier::new(fixed_keys(), options).unwrap();
    match verifier.verify(&token, 1_700_000_000.0) {
        Ok(verified) => {
            assert_eq!(verified.payload, payload, "the payload did not come back");
            let decoded = decode_unverified(&token).unwrap();
            assert_eq!(decoded.payload, payload);
            assert_eq!(decoded.header, verified.header);
        }
        Err(e) => {
            check_error_for(&e, data);
            let claims: Value = serde_json::from_str(&payload).unwrap();
            let bad_time = ["exp", "nbf", "iat"].iter().any(|n| claims.get(*n).is_some_and(|v| !v.is_number()));
            let header_crit = spec
                .header
                .as_deref()
                .and_then(|h| serde_json::from_str::<Value>(h).ok())
                .is_some_and(|h| h.get("crit").is_some());
            assert!(
                (bad_time && e.code() == "ERR_JWT_CLAIM_INVALID") || header_crit,
                "a signed object did not verify: {e} for {payload}"
            );
        }
    }
}

// ---- asymmetric keys and signatures ------------------------------------------------------

#[cfg(feature = "asymmetric")]
/// The fixed asymmetric test keys (`tests/keys/`, PKCS#8 private keys): RSA 2048, P-256,
/// P-384, P-521, Ed25519.
fn fixed_asymmetric_keys() -> &'static [Key] {
    static KEYS: std::sync::OnceLock<Vec<Key>> = std::sync::OnceLock::new();
    KEYS.get_or_init(|| {
        [
            include_str!("../../tests/keys/rsa-2048.json"),
            include_str!("../../tests/keys/ec-p256.json"),
            include_str!("../../tests/keys/ec-p384.json"),
            include_str!("../../tests/keys/ec-p521.json"),
            include_str!("../../tests/keys/ed25519.json"),
        ]
        .iter()
        .map(|file| {
            let file: Value = serde_json::from_str(file).unwrap();
            Key::from_pem(file["pkcs8"].as_str().unwrap()).expect("a test key parses")
        })
        .collect()
    })
}

#[cfg(feature = "asymmetric")]
/// Checks a parsed asymmetric key: exports re-import to the same key, the thumbprint is the
/// public key's, and `Debug` shows no private material.
fn check_asymmetric(key: &Key) {
    let Key::Asymmetric(key) = key else { return };
    let public_jwk = key.to_jwk_json(false).expect("every key exports its public JWK");
    let reparsed = |jwk: &str| {
        jwtkit::asymmetric::AsymmetricKey::from_jwk_json(jwk).unwrap_or_else(|e| panic!("its own JWK re-imports: {e}"))
    };
    assert_eq!(reparsed(&public_jwk).0.to_jwk_json(false).unwrap(), public_jwk, "public JWK round trip");
    let pem = key.to_pem(false).expect("every key exports its public PEM");
    let from_pem = Key::from_pem(&pem).unwrap_or_else(|e| panic!("its own PEM re-imports: {e}"));
    let Key::Asymmetric(from_pem) = from_pem else { panic!("a PEM became a secret") };
    assert_eq!(from_pem.to_jwk_json(false).unwrap(), public_jwk, "public PEM round trip");
    assert_eq!(key.thumbprint().unwrap(), key.public_key().thumbprint().unwrap());
    assert!(Key::from_secret(pem.as_bytes()).is_err(), "a PEM public key was taken as an HMAC secret");
    assert!(Key::from_secret(public_jwk.as_bytes()).is_err(), "a public JWK was taken as an HMAC secret");
    if key.is_private() {
        let private_jwk = key.to_jwk_json(true).unwrap();
        let (again, _) = reparsed(&private_jwk);
        assert!(again.is_private());
        assert_eq!(again.to_jwk_json(true).unwrap(), private_jwk, "private JWK round trip");
        let private_pem = key.to_pem(true).unwrap();
        let Ok(Key::Asymmetric(again)) = Key::from_pem(&private_pem) else { panic!("its own private PEM re-imports") };
        assert_eq!(again.to_jwk_json(true).unwrap(), private_jwk, "private PEM round trip");
        let d: Value = serde_json::from_str(&private_jwk).unwrap();
        let d = d["d"].as_str().unwrap();
        assert!(!format!("{key:?}").contains(d), "Debug shows the private key");
    }
}

#[cfg(feature = "asymmetric")]
/// Asymmetric keys and signatures.
///
/// Input: byte 0 = mode (`% 4`), byte 1 picks a fixed key (`% 5`: RSA, P-256, P-384, P-521,
/// Ed25519) and an algorithm it serves, then:
/// - 0: the rest is PEM or JWK text, parsed by `Key::from_pem` and `Key::from_jwk`: a key
///   that parses exports and re-imports to itself, and signs and verifies when private;
/// - 1: the rest is a token, verified with the fixed key's public half;
/// - 2: the rest is `header \0 payload`, signed with the fixed private key, then verified
///   with its public half: accepted only under the alg it was signed with;
/// - 3: the rest is `header \0 payload \0 signature bytes`: any signature (DER, zero `r`,
///   wrong lengths) is refused without a panic, and for the deterministic algorithms (RS*,
///   EdDSA) accepted only when it is the signature the key makes.
pub fn asymmetric(data: &[u8]) {
    let [mode, param, rest @ ..] = data else { return };
    let private = &fixed_asymmetric_keys()[usize::from(*param) % 5];
    let Key::Asymmetric(inner) = private else { unreachable!() };
    let public = Key::Asymmetric(Box::new(inner.public_key()));
    let algs = private.default_algorithms();
    let alg = algs[usize::from(*param / 5) % algs.len()];
    let verifier =
        |options: VerifyOptions| Verifier::new(KeySet::single(public.clone(), KeyMeta::default()), options).unwrap();
    let lenient = VerifyOptions {
        ignore_expiration: true,
        ignore_not_before: true,
        max_token_length: usize::MAX,
        ..VerifyOptions::default()
    };
    match mode % 4 {
        0 => {
            let s = text(rest);
            match Key::from_pem(&s) {
                Ok(key) => {
                    assert_ne!(key.family(), Family::Hmac);
                    check_asymmetric(&key);
                    check_key(&key, None);
                }
                Err(e) => check_error_for(&e, data),
            }
            match Key::from_jwk(&s) {
                Ok((key, meta)) => {
                    check_asymmetric(&key);
                    check_key(&key, meta.alg);
                }
                Err(e) => check_error_for(&e, data),
            }
        }
        1 => {
            let token = text(rest);
            let result = verifier(VerifyOptions::default()).verify(&token, 1000.0);
            if let Err(e) = &result {
                check_error_for(e, data);
            }
            if result.is_ok() {
                // Only tokens this key signed verify; the fuzzer cannot sign, so a valid one
                // must come from a seed made with the fixed key.
                let header: Value = serde_json::from_str(&decode_unverified(&token).unwrap().header).unwrap();
                assert!(algs.iter().any(|a| Some(a.name()) == header["alg"].as_str()));
            }
        }
        2 => {
            let parts = segments(rest, 2);
            let (header, payload) = (parts[0], parts.get(1).copied().unwrap_or_default());
            let mut token = base64url::encode(header);
            token.push('.');
            base64url::encode_into(payload, &mut token);
            // Signing with a public key, or with an algorithm the key does not serve, is an
            // error, never a panic (a panic would wedge the wasm instance).
            for other in Algorithm::ALL {
                let mut out = Vec::new();
                assert!(public.sign_into(other, token.as_bytes(), &mut out).is_err(), "a public key signed {other}");
                if !algs.contains(&other) {
                    assert!(private.sign_into(other, token.as_bytes(), &mut out).is_err(), "signed {other}");
                }
            }
            let mut signature = Vec::new();
            private.sign_into(alg, token.as_bytes(), &mut signature).expect("a private key signs its algorithms");
            public.verify(alg, token.as_bytes(), &signature).expect("the public key verifies the signature");
            token.push('.');
            base64url::encode_into(&signature, &mut token);
            match verifier(lenient).verify(&token, 1000.0) {
                Ok(verified) => {
                    let h: Value = serde_json::from_str(&verified.header).unwrap();
                    assert_eq!(h["alg"].as_str(), Some(alg.name()), "verified under another alg");
                    assert_eq!(verified.payload.as_bytes(), payload);
                }
                Err(e) => check_error_for(&e, data),
            }
        }
        _ => {
            let parts = segments(rest, 3);
            let header = format!(r#"{{"alg":"{}"}}"#, alg.name());
            let header = if parts[0].is_empty() { header.into_bytes() } else { parts[0].to_vec() };
            let payload = parts.get(1).copied().unwrap_or(b"{}");
            let signature = parts.get(2).copied().unwrap_or_default();
            let input = format!("{}.{}", base64url::encode(&header), base64url::encode(payload));
            let direct = public.verify(alg, input.as_bytes(), signature);
            let token = format!("{input}.{}", base64url::encode(signature));
            let result = verifier(lenient).verify(&token, 1000.0);
            let deterministic = alg.name().starts_with("RS") || alg == Algorithm::EdDSA;
            if deterministic && (direct.is_ok() || result.is_ok()) {
                let mut own = Vec::new();
                private.sign_into(alg, input.as_bytes(), &mut own).unwrap();
                assert_eq!(own, signature, "a signature the key did not make verified under {alg}");
            }
            if let Err(e) = &result {
                check_error_for(e, data);
            }
        }
    }
}
