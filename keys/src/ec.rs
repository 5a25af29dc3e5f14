//! Elliptic-curve keys for ES256 (P-256), ES384 (P-384) and ES512 (P-521), with the
//! RustCrypto `p256`, `p384`, `p521` and `ecdsa` crates.
//!
//! Signatures are the fixed-size `r || s` of RFC 7518 3.4. Verification refuses any other
//! length (so DER signatures), and `r` or `s` that is zero or not below the group order
//! (the "psychic signatures" bug, CVE-2022-21449). Signing is deterministic (RFC 6979), so
//! it needs no randomness at signing time. Public points are checked to be on the curve.

use ecdsa::elliptic_curve::{CurveArithmetic, Generate};
use ecdsa::signature::{Signer, Verifier};
use ecdsa::{EcdsaCurve, Signature, SigningKey, VerifyingKey};
use zeroize::Zeroizing;

use crate::algorithm::Algorithm;
use crate::error::{Error, ErrorKind, Result};
use crate::kind::invalid;

/// A supported curve.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Curve {
    /// P-256, for ES256.
    P256,
    /// P-384, for ES384.
    P384,
    /// P-521, for ES512.
    P521,
}

impl Curve {
    /// Every supported curve.
    pub const ALL: [Curve; 3] = [Curve::P256, Curve::P384, Curve::P521];

    /// The JWK `crv` name.
    pub const fn name(self) -> &'static str {
        match self {
            Curve::P256 => "P-256",
            Curve::P384 => "P-384",
            Curve::P521 => "P-521",
        }
    }

    /// The one algorithm of keys on this curve (RFC 7518 3.4).
    pub const fn algorithm(self) -> Algorithm {
        match self {
            Curve::P256 => Algorithm::ES256,
            Curve::P384 => Algorithm::ES384,
            Curve::P521 => Algorithm::ES512,
        }
    }

    /// Bytes in a coordinate or a private scalar (and half an `r || s` signature).
    pub const fn scalar_len(self) -> usize {
        match self {
            Curve::P256 => 32,
            Curve::P384 => 48,
            Curve::P521 => 66,
        }
    }

    /// The curve's `namedCurve` object identifier (RFC 5480 2.1.1.1).
    pub const fn oid(self) -> der::oid::ObjectIdentifier {
        match self {
            Curve::P256 => der::oid::ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7"),
            Curve::P384 => der::oid::ObjectIdentifier::new_unwrap("1.3.132.0.34"),
            Curve::P521 => der::oid::ObjectIdentifier::new_unwrap("1.3.132.0.35"),
        }
    }

    /// The curve of a JWK `crv` name.
    pub fn from_name(name: &str) -> Option<Curve> {
        Curve::ALL.into_iter().find(|c| c.name() == name)
    }

    /// The curve of a `namedCurve` object identifier.
    pub fn from_oid(oid: &der::oid::ObjectIdentifier) -> Option<Curve> {
        Curve::ALL.into_iter().find(|c| c.oid() == *oid)
    }

    /// The curve whose one algorithm is `alg` (ES256, ES384 or ES512).
    pub fn from_algorithm(alg: Algorithm) -> Option<Curve> {
        Curve::ALL.into_iter().find(|c| c.algorithm() == alg)
    }
}

/// A public key, or a private key with its public key.
#[derive(Clone)]
pub enum Pair<C: EcdsaCurve + CurveArithmetic> {
    /// A public key.
    Public(VerifyingKey<C>),
    /// A private key (which holds its public key).
    Private(SigningKey<C>),
}

/// A key on one of the supported curves.
#[derive(Clone)]
pub enum EcKey {
    /// A key on P-256.
    P256(Pair<p256::NistP256>),
    /// A key on P-384.
    P384(Pair<p384::NistP384>),
    /// A key on P-521.
    P521(Pair<p521::NistP521>),
}

/// Runs `$body` with `$pair` bound to the key's [`Pair`], whatever its curve.
macro_rules! each {
    ($key:expr, $pair:ident => $body:expr) => {
        match $key {
            EcKey::P256($pair) => $body,
            EcKey::P384($pair) => $body,
            EcKey::P521($pair) => $body,
        }
    };
}

/// Runs `$body` with `$C` as the curve type of `$curve`, and wraps its `Pair<$C>` result.
macro_rules! on_curve {
    ($curve:expr, $C:ident => $body:expr) => {
        match $curve {
            Curve::P256 => {
                type $C = p256::NistP256;
                EcKey::P256($body)
            }
            Curve::P384 => {
                type $C = p384::NistP384;
                EcKey::P384($body)
            }
            Curve::P521 => {
                type $C = p521::NistP521;
                EcKey::P521($body)
            }
        }
    };
}

impl<C: EcdsaCurve + CurveArithmetic> Pair<C> {
    fn verifying_key(&self) -> &VerifyingKey<C> {
        match self {
            Pair::Public(key) => key,
            Pair::Private(key) => key.verifying_key(),
        }
    }
}

impl EcKey {
    /// A public key from a SEC1 point (`04 || x || y`, or compressed), checked to be on the
    /// curve and not the identity.
    pub fn from_public_point(curve: Curve, point: &[u8]) -> Result<EcKey> {
        Ok(on_curve!(curve, C => Pair::Public(
            VerifyingKey::<C>::from_sec1_bytes(point).map_err(|_| not_on_curve(curve))?
        )))
    }

    /// A private key from its scalar (big-endian; shorter encodings are left-padded, as some
    /// old encoders dropped leading zeros). With `public`, the SEC1 point that must match it.
    pub fn from_private_scalar(curve: Curve, scalar: &[u8], public: Option<&[u8]>) -> Result<EcKey> {
        if scalar.len() > curve.scalar_len() {
            return Err(invalid(format!(
                "the {} private key has {} bytes, more than {}",
                curve.name(),
                scalar.len(),
                curve.scalar_len()
            )));
        }
        let key = on_curve!(curve, C => Pair::Private(SigningKey::<C>::from_slice(scalar).map_err(|_| {
            invalid(format!("the {} private key is out of range (zero, or not below the group order)", curve.name()))
        })?));
        if let Some(point) = public {
            let given = EcKey::from_public_point(curve, point)?;
            if given.public_point() != key.public_point() {
                return Err(invalid(format!("the {} private key does not match its public key", curve.name())));
            }
        }
        Ok(key)
    }

    /// A new random key.
    pub fn generate(curve: Curve) -> Result<EcKey> {
        let failed = || Error::new(ErrorKind::KeyInvalid, "key generation failed: no cryptographic random source");
        Ok(on_curve!(curve, C => Pair::Private(
            SigningKey::<C>::try_generate_from_rng(&mut getrandom::SysRng).map_err(|_| failed())?
        )))
    }

    /// The key's curve.
    pub fn curve(&self) -> Curve {
        match self {
            EcKey::P256(_) => Curve::P256,
            EcKey::P384(_) => Curve::P384,
            EcKey::P521(_) => Curve::P521,
        }
    }

    /// Whether this is a private key.
    pub fn is_private(&self) -> bool {
        each!(self, pair => matches!(pair, Pair::Private(_)))
    }

    /// The public half (itself, if already public).
    pub fn to_public(&self) -> EcKey {
        match self {
            EcKey::P256(pair) => EcKey::P256(Pair::Public(*pair.verifying_key())),
            EcKey::P384(pair) => EcKey::P384(Pair::Public(*pair.verifying_key())),
            EcKey::P521(pair) => EcKey::P521(Pair::Public(*pair.verifying_key())),
        }
    }

    /// The uncompressed SEC1 point `04 || x || y`.
    pub fn public_point(&self) -> Vec<u8> {
        each!(self, pair => pair.verifying_key().to_sec1_point(false).as_bytes().to_vec())
    }

    /// The private scalar, exactly [`Curve::scalar_len`] bytes, for a private key. Wiped on drop.
    pub fn private_scalar(&self) -> Option<Zeroizing<Vec<u8>>> {
        each!(self, pair => match pair {
            Pair::Public(_) => None,
            Pair::Private(key) => Some(Zeroizing::new(Zeroizing::new(key.to_bytes()).to_vec())),
        })
    }

    /// Checks a raw `r || s` signature made with this key's algorithm.
    pub fn verify(&self, alg: Algorithm, input: &[u8], signature: &[u8]) -> Result<()> {
        if alg != self.curve().algorithm() {
            return Err(Error::new(ErrorKind::AlgorithmNotAllowed, "invalid algorithm"));
        }
        // `from_slice` refuses a wrong length, and r or s that is zero or >= n.
        let valid = each!(self, pair => match Signature::from_slice(signature) {
            Ok(signature) => pair.verifying_key().verify(input, &signature).is_ok(),
            Err(_) => false,
        });
        if valid {
            Ok(())
        } else {
            Err(Error::new(ErrorKind::InvalidSignature, "invalid signature"))
        }
    }

    /// Signs with this key's algorithm (RFC 6979 deterministic nonce), appending `r || s`.
    pub fn sign_into(&self, alg: Algorithm, input: &[u8], out: &mut Vec<u8>) -> Result<()> {
        if alg != self.curve().algorithm() {
            return Err(invalid(format!(
                "this key cannot sign {alg}: an EC {} key signs {}",
                self.curve().name(),
                self.curve().algorithm()
            )));
        }
        let signed = each!(self, pair => match pair {
            Pair::Public(_) => None,
            Pair::Private(key) => {
                let signature: Signature<_> = key.try_sign(input).map_err(|_| invalid(format!("{alg} signing failed")))?;
                out.extend_from_slice(&signature.to_bytes());
                Some(())
            }
        });
        signed.ok_or_else(|| {
            invalid(format!("signing needs a private key; this is an EC {} public key", self.curve().name()))
        })
    }
}

fn not_on_curve(curve: Curve) -> Error {
    invalid(format!("the EC public key is not a valid point on {}", curve.name()))
}
