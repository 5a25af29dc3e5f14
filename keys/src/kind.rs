//! An asymmetric key of one of the supported kinds, and what it serves.

use crate::algorithm::{Algorithm, Family};
use crate::ec::{Curve, EcKey};
use crate::error::{Error, ErrorKind};
use crate::okp::Ed25519Key;
use crate::rsa::RsaKey;

/// The key itself.
#[derive(Clone)]
pub enum Kind {
    /// RSA, for RS256/384/512 and PS256/384/512.
    Rsa(RsaKey),
    /// EC P-256, P-384 or P-521, for ES256, ES384 or ES512.
    Ec(EcKey),
    /// Ed25519, for EdDSA.
    Ed25519(Ed25519Key),
}

/// The RSA algorithms, in RFC 7518 order.
pub const RSA_ALGORITHMS: [Algorithm; 6] =
    [Algorithm::RS256, Algorithm::RS384, Algorithm::RS512, Algorithm::PS256, Algorithm::PS384, Algorithm::PS512];

impl Kind {
    /// The family of algorithms the key serves.
    pub fn family(&self) -> Family {
        match self {
            Kind::Rsa(_) => Family::Rsa,
            Kind::Ec(_) => Family::Ec,
            Kind::Ed25519(_) => Family::Okp,
        }
    }

    /// Whether this is a private key.
    pub fn is_private(&self) -> bool {
        match self {
            Kind::Rsa(key) => key.is_private(),
            Kind::Ec(key) => key.is_private(),
            Kind::Ed25519(key) => key.is_private(),
        }
    }

    /// The algorithms the key serves: RSA all six RS* and PS*, an EC key its curve's one,
    /// Ed25519 EdDSA.
    pub fn default_algorithms(&self) -> &'static [Algorithm] {
        match self {
            Kind::Rsa(_) => &RSA_ALGORITHMS,
            Kind::Ec(key) => match key.curve() {
                Curve::P256 => &[Algorithm::ES256],
                Curve::P384 => &[Algorithm::ES384],
                Curve::P521 => &[Algorithm::ES512],
            },
            Kind::Ed25519(_) => &[Algorithm::EdDSA],
        }
    }

    /// Whether this key serves `alg` at all.
    pub fn fits(&self, alg: Algorithm) -> bool {
        self.default_algorithms().contains(&alg)
    }

    /// "RSA 2048-bit public key", "EC P-256 private key", "Ed25519 public key".
    pub fn description(&self) -> String {
        let visibility = if self.is_private() { "private" } else { "public" };
        match self {
            Kind::Rsa(key) => format!("RSA {}-bit {visibility} key", key.bits()),
            Kind::Ec(key) => format!("EC {} {visibility} key", key.curve().name()),
            Kind::Ed25519(_) => format!("Ed25519 {visibility} key"),
        }
    }
}

/// A `KeyInvalid` error.
pub fn invalid(message: impl Into<std::borrow::Cow<'static, str>>) -> Error {
    Error::new(ErrorKind::KeyInvalid, message)
}
