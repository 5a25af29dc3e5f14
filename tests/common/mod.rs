//! Helpers shared by the integration tests (native and wasm).
#![allow(dead_code)]

use jwtkit::{base64url, Algorithm, Key, KeyMeta, KeySet, Verifier, VerifyOptions};

/// The test keys of `tests/keys/`, each in every format Python `cryptography` and `jwcrypto`
/// wrote it in, as JSON text: the HMAC-only build, which cannot parse them as keys, still
/// sees their every form.
pub const KEY_FILES: [(&str, &str); 6] = [
    ("rsa-2048", include_str!("../keys/rsa-2048.json")),
    ("rsa-1024", include_str!("../keys/rsa-1024.json")),
    ("ec-p256", include_str!("../keys/ec-p256.json")),
    ("ec-p384", include_str!("../keys/ec-p384.json")),
    ("ec-p521", include_str!("../keys/ec-p521.json")),
    ("ed25519", include_str!("../keys/ed25519.json")),
];

/// A 64-byte secret: strong enough for every HMAC algorithm.
pub const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

pub fn hex(text: &str) -> Vec<u8> {
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap()).collect()
}

pub fn key(secret: &[u8]) -> KeySet {
    KeySet::single(Key::from_secret(secret).unwrap(), KeyMeta::default())
}

pub fn verifier(options: VerifyOptions) -> Verifier {
    Verifier::new(key(SECRET), options).unwrap()
}

/// A token with exactly these header and payload bytes, correctly signed with `secret`:
/// so that a test changes one thing and everything else is right.
pub fn forge(header: &[u8], payload: &[u8], secret: &[u8], alg: Algorithm) -> String {
    let input = format!("{}.{}", base64url::encode(header), base64url::encode(payload));
    let mut signature = Vec::new();
    Key::from_secret(secret).unwrap().sign_into(alg, input.as_bytes(), &mut signature).unwrap();
    format!("{input}.{}", base64url::encode(&signature))
}

/// The base64 lines between a PEM block's BEGIN and END lines.
pub fn pem_body(pem: &str) -> String {
    pem.lines().filter(|line| !line.starts_with("-----")).collect::<Vec<_>>().join("\n")
}

/// Standard base64 with line breaks and padding, as in a PEM body, as unpadded base64url.
pub fn as_base64url(body: &str) -> String {
    body.chars()
        .filter(|c| !c.is_ascii_whitespace() && *c != '=')
        .map(|c| match c {
            '+' => '-',
            '/' => '_',
            c => c,
        })
        .collect()
}

pub fn hs256(header: &str, payload: &str) -> String {
    forge(header.as_bytes(), payload.as_bytes(), SECRET, Algorithm::HS256)
}

/// The code of verifying `token` at `now` with default options and [`SECRET`].
pub fn code_of(token: &str, now: f64) -> &'static str {
    match verifier(VerifyOptions::default()).verify(token, now) {
        Ok(_) => "OK",
        Err(e) => e.code(),
    }
}

/// The test key pairs of `tests/keys/` (RSA 2048, P-256, P-384, P-521, Ed25519) as
/// (algorithm, private, public), once for each algorithm the key serves.
#[cfg(feature = "asymmetric")]
pub fn asymmetric_key_pairs() -> Vec<(Algorithm, Key, Key)> {
    let mut pairs = Vec::new();
    // The 1024-bit RSA key is too weak to verify without allowWeakKey.
    for (_, file) in KEY_FILES.iter().filter(|(name, _)| *name != "rsa-1024") {
        let file: serde_json::Value = serde_json::from_str(file).unwrap();
        let private = Key::from_pem(file["pkcs8"].as_str().unwrap()).unwrap();
        let public = Key::from_pem(file["spki"].as_str().unwrap()).unwrap();
        for &alg in public.default_algorithms() {
            pairs.push((alg, private.clone(), public.clone()));
        }
    }
    pairs
}
