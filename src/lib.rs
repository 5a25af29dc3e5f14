//! # jwtkit
//!
//! JSON Web Tokens (RFC 7519) as compact JWS (RFC 7515) with the HMAC algorithms of
//! RFC 7518: strict parsing, safe defaults, constant-time signature checks and full claim
//! validation. This crate is the pure Rust core; `src/wasm.rs` is its only binding, which
//! the npm package `jwtkit` wraps.
//!
//! Verification refuses, in this order: tokens over the length limit; anything but three
//! canonical base64url parts; headers that are not strict JSON objects (duplicate member
//! names are refused at every depth); `alg` missing, `none`, not allowed, or not of the
//! key's family; unknown `crit` extensions; a signature that does not match (compared in
//! constant time); payloads that are not strict JSON objects; then the claims.
//!
//! ```
//! use jwtkit::{Algorithm, Key, KeyMeta, KeySet, Signer, Verifier, VerifyOptions};
//! let secret = b"at-least-32-bytes-of-secret-here";
//! let signer = Signer::new(Key::from_secret(secret)?, Algorithm::HS256, &Default::default())?;
//! let token = signer.sign_json(br#"{"sub":"ada","aud":"api"}"#);
//! let options = VerifyOptions { audience: vec!["api".into()], ..Default::default() };
//! let verifier = Verifier::new(KeySet::single(Key::from_secret(secret)?, KeyMeta::default()), options)?;
//! assert_eq!(verifier.verify(&token, 0.0)?.payload, r#"{"sub":"ada","aud":"api"}"#);
//! # Ok::<(), jwtkit::Error>(())
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub use jwtkit_keys::algorithm;
#[cfg(feature = "asymmetric")]
pub mod asymmetric;
pub mod base64url;
pub mod claims;
pub mod decimal;
pub mod decode;
pub use jwtkit_keys::error;
pub mod header;
pub mod inspect;
pub mod json;
pub mod json_text;
pub mod key;
pub mod options;
pub mod scan;
pub mod sign;
pub mod time;
pub mod timespan;
pub mod token;
pub mod tree;
pub mod verify;

#[cfg(target_arch = "wasm32")]
mod wasm;

pub use algorithm::{Algorithm, Family};
#[cfg(feature = "asymmetric")]
pub use asymmetric::AsymmetricKey;
pub use decode::{decode_unverified, Unverified};
pub use error::{Error, ErrorKind, Result};
pub use inspect::{inspect, Report};
pub use key::{Key, KeyMeta, KeyOperation, KeySet};
pub use options::VerifyOptions;
pub use sign::{HeaderSpec, Signer};
pub use verify::{Verified, Verifier};

/// `n` random bytes from the platform's cryptographic source (`crypto.getRandomValues` in
/// JavaScript runtimes).
pub fn random_bytes(n: usize) -> Result<Vec<u8>> {
    let mut bytes = vec![0u8; n];
    getrandom::fill(&mut bytes).map_err(|_| Error::new(ErrorKind::KeyInvalid, "no cryptographic random source"))?;
    Ok(bytes)
}

/// A new random secret for `alg`, as base64url text: as many random bytes as the hash
/// output (32, 48 or 64), which RFC 7518 3.2 asks for.
pub fn generate_secret(alg: Algorithm) -> Result<String> {
    Ok(base64url::encode(&zeroize::Zeroizing::new(random_bytes(alg.min_secret_len())?)))
}
