//! Ed25519 keys for EdDSA (RFC 8037), with `ed25519-dalek`.
//!
//! Verification is `verify_strict`: besides RFC 8032's checks (`S` below the group order,
//! `R` and the key decodable) it refuses small-order keys and `R` values, which would let
//! one signature be valid for many messages. Small-order public keys are also refused when
//! a key is imported. Signing is deterministic.

use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use zeroize::Zeroizing;

use crate::algorithm::Algorithm;
use crate::error::{Error, ErrorKind, Result};
use crate::kind::invalid;

/// Bytes in a public key, and in a private key (the RFC 8032 seed).
pub const LEN: usize = 32;

/// An Ed25519 public key, or a private key with its public key.
#[derive(Clone)]
pub enum Ed25519Key {
    /// A public key.
    Public(VerifyingKey),
    /// A private key (which holds its public key).
    Private(SigningKey),
}

impl Ed25519Key {
    /// A public key from its 32 bytes; refuses encodings that are not a point and
    /// small-order points.
    pub fn from_public(bytes: &[u8]) -> Result<Ed25519Key> {
        let bytes: &[u8; LEN] = bytes
            .try_into()
            .map_err(|_| invalid(format!("an Ed25519 public key has {LEN} bytes, this one {}", bytes.len())))?;
        let key =
            VerifyingKey::from_bytes(bytes).map_err(|_| invalid("the Ed25519 public key is not a valid point"))?;
        if key.is_weak() {
            return Err(invalid("the Ed25519 public key is a small-order point: it would accept forged signatures"));
        }
        Ok(Ed25519Key::Public(key))
    }

    /// A private key from its 32-byte seed. With `public`, the key it must match.
    pub fn from_private(seed: &[u8], public: Option<&[u8]>) -> Result<Ed25519Key> {
        let seed: &[u8; LEN] = seed
            .try_into()
            .map_err(|_| invalid(format!("an Ed25519 private key has {LEN} bytes, this one {}", seed.len())))?;
        let key = SigningKey::from_bytes(seed);
        if let Some(public) = public {
            if public != key.verifying_key().as_bytes() {
                return Err(invalid("the Ed25519 private key does not match its public key"));
            }
        }
        Ok(Ed25519Key::Private(key))
    }

    /// A new random key.
    pub fn generate() -> Result<Ed25519Key> {
        let mut seed = Zeroizing::new([0u8; LEN]);
        getrandom::fill(&mut *seed)
            .map_err(|_| Error::new(ErrorKind::KeyInvalid, "key generation failed: no cryptographic random source"))?;
        Ok(Ed25519Key::Private(SigningKey::from_bytes(&seed)))
    }

    fn verifying_key(&self) -> VerifyingKey {
        match self {
            Ed25519Key::Public(key) => *key,
            Ed25519Key::Private(key) => key.verifying_key(),
        }
    }

    /// Whether this is a private key.
    pub fn is_private(&self) -> bool {
        matches!(self, Ed25519Key::Private(_))
    }

    /// The public half (itself, if already public).
    pub fn to_public(&self) -> Ed25519Key {
        Ed25519Key::Public(self.verifying_key())
    }

    /// The 32 bytes of the public key (RFC 8032).
    pub fn public_bytes(&self) -> [u8; LEN] {
        self.verifying_key().to_bytes()
    }

    /// The seed, for a private key. Wiped on drop.
    pub fn private_bytes(&self) -> Option<Zeroizing<[u8; LEN]>> {
        match self {
            Ed25519Key::Public(_) => None,
            Ed25519Key::Private(key) => Some(Zeroizing::new(key.to_bytes())),
        }
    }

    /// Checks an EdDSA signature strictly (`verify_strict`: no small-order keys or `R`).
    pub fn verify(&self, alg: Algorithm, input: &[u8], signature: &[u8]) -> Result<()> {
        if alg != Algorithm::EdDSA {
            return Err(Error::new(ErrorKind::AlgorithmNotAllowed, "invalid algorithm"));
        }
        let bad = || Error::new(ErrorKind::InvalidSignature, "invalid signature");
        let signature = Signature::from_slice(signature).map_err(|_| bad())?;
        self.verifying_key().verify_strict(input, &signature).map_err(|_| bad())
    }

    /// Signs with EdDSA (deterministic), appending the 64-byte signature; needs a private key.
    pub fn sign_into(&self, alg: Algorithm, input: &[u8], out: &mut Vec<u8>) -> Result<()> {
        if alg != Algorithm::EdDSA {
            return Err(invalid(format!("this key cannot sign {alg}: an Ed25519 key signs EdDSA")));
        }
        let Ed25519Key::Private(key) = self else {
            return Err(invalid("signing needs a private key; this is an Ed25519 public key"));
        };
        out.extend_from_slice(&key.sign(input).to_bytes());
        Ok(())
    }
}
