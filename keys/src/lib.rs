//! # jwtkit-keys
//!
//! The part of jwtkit that release builds optimise for size: the error and algorithm types
//! every module reports with, and (feature `asymmetric`) the asymmetric keys: PEM and DER
//! (`pem`, `asn1`), RSA, EC P-256/P-384/P-521 and Ed25519 (`rsa`, `ec`, `okp`), and the
//! [`kind::Kind`] that holds one of them.
//!
//! It is a crate of its own for the build profile alone. A per-package `opt-level` applies
//! to the code a crate compiles, and generic code (RustCrypto's curve and big-integer
//! arithmetic) is compiled in the crate that instantiates it: here, where the key types are
//! used, and not in `jwtkit`, whose token path is built for speed. The `jwtkit` crate
//! re-exports [`error`] and [`algorithm`] and wraps the keys in `jwtkit::asymmetric`.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod algorithm;
pub mod error;

#[cfg(feature = "asymmetric")]
pub mod asn1;
#[cfg(feature = "asymmetric")]
pub mod ec;
#[cfg(feature = "asymmetric")]
pub mod kind;
#[cfg(feature = "asymmetric")]
pub mod okp;
#[cfg(feature = "asymmetric")]
pub mod pem;
#[cfg(feature = "asymmetric")]
pub mod rsa;
