//! RSA keys for RS256/384/512 (RSASSA-PKCS1-v1_5) and PS256/384/512 (RSASSA-PSS), with
//! the `rsa` crate.
//!
//! **Private-key operations are not constant-time.** The `rsa` crate's signing is exposed
//! to the "Marvin" timing attack (RUSTSEC-2023-0071): an attacker who can time many
//! signatures made with the same key, precisely (same machine or a low-noise network), may
//! learn enough to recover the key. Signing uses random blinding, which makes this harder
//! but is not a proof against it. Verification uses only the public key and is unaffected.
//! Where that threat matters, sign RS*/PS* tokens elsewhere (WebCrypto, a KMS or HSM), or
//! use ES256 or EdDSA.

use ::rsa::pkcs1::{self, EncodeRsaPrivateKey};
use ::rsa::traits::PublicKeyParts;
use ::rsa::{BoxedUint, Pkcs1v15Sign, PrivateKey, PublicKey};
use der::asn1::UintRef;
use der::{Decode, Encode};
use sha2::{Digest, Sha256, Sha384, Sha512};
use zeroize::Zeroizing;

use crate::algorithm::Algorithm;
use crate::error::{Error, ErrorKind, Result};
use crate::kind::invalid;

/// Moduli under this many bits are refused outright, even with `allow_weak` (the `rsa`
/// crate does not take them either). Between this and [`RECOMMENDED_BITS`] they need it.
pub const MIN_BITS: usize = 1024;
/// RFC 7518 3.3: "A key of size 2048 bits or larger MUST be used".
pub const RECOMMENDED_BITS: usize = 2048;
/// Larger moduli make verification slow enough to be a denial-of-service lever.
pub const MAX_BITS: usize = 8192;

/// An RSA public key, or a private key (which holds its public half).
#[derive(Clone)]
pub enum RsaKey {
    /// A public key.
    Public(PublicKey),
    /// Boxed: a private key is large and rare.
    Private(Box<PrivateKey>),
}

/// The members of a key, as unsigned big-endian bytes without leading zeros.
pub struct Components {
    /// The modulus.
    pub n: Vec<u8>,
    /// The public exponent.
    pub e: Vec<u8>,
    /// `d`, `p`, `q`, `dp`, `dq`, `qi`, for a private key. Wiped on drop.
    pub private: Option<[Zeroizing<Vec<u8>>; 6]>,
}

impl RsaKey {
    /// A public key from its modulus and exponent (big-endian, leading zeros allowed).
    pub fn from_public(n: &[u8], e: &[u8]) -> Result<RsaKey> {
        let (n, e) = (trimmed(n), trimmed(e));
        check_size(n)?;
        let key = PublicKey::new(uint(n), uint(e)).map_err(|_| {
            invalid("the RSA public key is invalid (its modulus must be odd and its exponent odd, from 3 to 2^33 - 1)")
        })?;
        Ok(RsaKey::Public(key))
    }

    /// A private key from its members. `primes_and_crt` is `p`, `q`, `dp`, `dq`, `qi`; when
    /// absent the primes are recovered from `d`. Given `dp`, `dq` and `qi` must be right.
    pub fn from_private(n: &[u8], e: &[u8], d: &[u8], primes_and_crt: Option<[&[u8]; 5]>) -> Result<RsaKey> {
        let (n, e, d) = (trimmed(n), trimmed(e), trimmed(d));
        check_size(n)?;
        let bits = n.len() * 8;
        let wide = |bytes: &[u8]| -> Result<BoxedUint> {
            BoxedUint::from_be_slice(trimmed(bytes), bits as u32)
                .map_err(|_| invalid("an RSA private key member is larger than the modulus"))
        };
        let primes = match primes_and_crt {
            Some([p, q, ..]) => vec![wide(p)?, wide(q)?],
            None => Vec::new(),
        };
        let key = PrivateKey::from_components(uint(n), uint(e), wide(d)?, primes)
            .map_err(|_| invalid("the RSA private key is inconsistent: its members do not make a valid key"))?;
        let key = RsaKey::Private(Box::new(key));
        if let Some([_, _, dp, dq, qi]) = primes_and_crt {
            let computed = key.components()?;
            let [_, _, _, c_dp, c_dq, c_qi] = computed.private.as_ref().expect("a private key has private members");
            let same = |given: &[u8], computed: &[u8]| trimmed(given) == computed;
            if !(same(dp, c_dp) && same(dq, c_dq) && same(qi, c_qi)) {
                return Err(invalid("the RSA private key is inconsistent: dp, dq or qi does not match p, q and d"));
            }
        }
        Ok(key)
    }

    /// A public key from a PKCS#1 `RSAPublicKey` (the `RSA PUBLIC KEY` PEM block, or the
    /// key inside an `rsaEncryption` SubjectPublicKeyInfo).
    pub fn from_pkcs1_public(der: &[u8]) -> Result<RsaKey> {
        let key = pkcs1::RsaPublicKeyRef::from_der(der)
            .map_err(|_| invalid("the RSA public key is not a valid PKCS#1 RSAPublicKey"))?;
        RsaKey::from_public(key.modulus.as_bytes(), key.public_exponent.as_bytes())
    }

    /// A private key from a PKCS#1 `RSAPrivateKey` (the `RSA PRIVATE KEY` PEM block, or the
    /// key inside an `rsaEncryption` PKCS#8 PrivateKeyInfo). Two-prime keys only.
    pub fn from_pkcs1_private(der: &[u8]) -> Result<RsaKey> {
        let key = pkcs1::RsaPrivateKeyRef::from_der(der)
            .map_err(|_| invalid("the RSA private key is not a valid PKCS#1 RSAPrivateKey"))?;
        if key.other_prime_infos.is_some() {
            return Err(invalid("multi-prime RSA keys are not supported"));
        }
        RsaKey::from_private(
            key.modulus.as_bytes(),
            key.public_exponent.as_bytes(),
            key.private_exponent.as_bytes(),
            Some([
                key.prime1.as_bytes(),
                key.prime2.as_bytes(),
                key.exponent1.as_bytes(),
                key.exponent2.as_bytes(),
                key.coefficient.as_bytes(),
            ]),
        )
    }

    /// A new key of `bits` bits with exponent 65537.
    pub fn generate(bits: usize) -> Result<RsaKey> {
        let key = PrivateKey::new(&mut getrandom::SysRng, bits).map_err(|_| {
            Error::new(ErrorKind::KeyInvalid, "RSA key generation failed (no cryptographic random source?)")
        })?;
        Ok(RsaKey::Private(Box::new(key)))
    }

    /// The public key (a private key's public half).
    pub fn public(&self) -> &PublicKey {
        match self {
            RsaKey::Public(key) => key,
            RsaKey::Private(key) => key.as_public_key(),
        }
    }

    /// Whether this is a private key.
    pub fn is_private(&self) -> bool {
        matches!(self, RsaKey::Private(_))
    }

    /// The public half (itself, if already public).
    pub fn to_public(&self) -> RsaKey {
        RsaKey::Public(self.public().clone())
    }

    /// The modulus length in bits.
    pub fn bits(&self) -> usize {
        self.public().n().bit_width_vartime() as usize
    }

    /// Checks an RS* or PS* signature (of exactly the modulus length; PSS with a salt as
    /// long as the hash, RFC 7518 3.5).
    pub fn verify(&self, alg: Algorithm, input: &[u8], signature: &[u8]) -> Result<()> {
        let key = self.public();
        let checked = match alg {
            Algorithm::RS256 => key.pkcs1v15_verify::<Sha256>(input, signature),
            Algorithm::RS384 => key.pkcs1v15_verify::<Sha384>(input, signature),
            Algorithm::RS512 => key.pkcs1v15_verify::<Sha512>(input, signature),
            Algorithm::PS256 => key.pss_verify::<Sha256>(input, signature),
            Algorithm::PS384 => key.pss_verify::<Sha384>(input, signature),
            Algorithm::PS512 => key.pss_verify::<Sha512>(input, signature),
            _ => return Err(Error::new(ErrorKind::AlgorithmNotAllowed, "invalid algorithm")),
        };
        checked.map_err(|_| Error::new(ErrorKind::InvalidSignature, "invalid signature"))
    }

    /// Signs with RS* (deterministic) or PS* (random salt as long as the hash), with random
    /// blinding of the private-key operation. See the module docs on timing (RUSTSEC-2023-0071).
    pub fn sign_into(&self, alg: Algorithm, input: &[u8], out: &mut Vec<u8>) -> Result<()> {
        let RsaKey::Private(key) = self else {
            return Err(invalid("signing needs a private key; this is an RSA public key"));
        };
        let rng = &mut getrandom::SysRng;
        let signature = match alg {
            Algorithm::RS256 => key.sign_with_rng(rng, Pkcs1v15Sign::new::<Sha256>(), &Sha256::digest(input)),
            Algorithm::RS384 => key.sign_with_rng(rng, Pkcs1v15Sign::new::<Sha384>(), &Sha384::digest(input)),
            Algorithm::RS512 => key.sign_with_rng(rng, Pkcs1v15Sign::new::<Sha512>(), &Sha512::digest(input)),
            Algorithm::PS256 => key.pss_sign_with_rng::<Sha256, _>(rng, input),
            Algorithm::PS384 => key.pss_sign_with_rng::<Sha384, _>(rng, input),
            Algorithm::PS512 => key.pss_sign_with_rng::<Sha512, _>(rng, input),
            _ => return Err(invalid(format!("this key cannot sign {alg}"))),
        };
        let signature = signature.map_err(|_| invalid(format!("{alg} signing failed")))?;
        out.extend_from_slice(&signature);
        Ok(())
    }

    /// The PKCS#1 `RSAPublicKey` DER.
    pub fn public_der(&self) -> Result<Vec<u8>> {
        let key = self.public();
        let (n, e) = (key.n_bytes(), key.e_bytes());
        let encoded = pkcs1::RsaPublicKeyRef { modulus: uint_ref(&n)?, public_exponent: uint_ref(&e)? }.to_der();
        encoded.map_err(|_| invalid("the RSA public key could not be encoded"))
    }

    /// The PKCS#1 `RSAPrivateKey` DER, for a private key. Wiped on drop.
    pub fn private_der(&self) -> Result<Zeroizing<Vec<u8>>> {
        let RsaKey::Private(key) = self else {
            return Err(invalid("this is an RSA public key: it has no private part to export"));
        };
        let document = key.to_pkcs1_der().map_err(|_| invalid("the RSA private key could not be encoded"))?;
        Ok(Zeroizing::new(document.as_bytes().to_vec()))
    }

    /// The members for a JWK (RFC 7518 6.3).
    pub fn components(&self) -> Result<Components> {
        let key = self.public();
        let (n, e) = (key.n_bytes().into_vec(), key.e_bytes().into_vec());
        let private = match self {
            RsaKey::Public(_) => None,
            RsaKey::Private(_) => {
                let der = self.private_der()?;
                let parsed = pkcs1::RsaPrivateKeyRef::from_der(&der)
                    .map_err(|_| invalid("the RSA private key could not be encoded"))?;
                let own = |value: UintRef<'_>| Zeroizing::new(value.as_bytes().to_vec());
                Some([
                    own(parsed.private_exponent),
                    own(parsed.prime1),
                    own(parsed.prime2),
                    own(parsed.exponent1),
                    own(parsed.exponent2),
                    own(parsed.coefficient),
                ])
            }
        };
        Ok(Components { n, e, private })
    }
}

fn check_size(n: &[u8]) -> Result<()> {
    let bits = n.first().map_or(0, |top| n.len() * 8 - top.leading_zeros() as usize);
    if bits < MIN_BITS {
        return Err(Error::new(
            ErrorKind::KeyTooWeak,
            format!("RSA keys under {MIN_BITS} bits are not supported, even with allowWeakKey; this one has {bits}"),
        ));
    }
    if bits > MAX_BITS {
        return Err(invalid(format!("RSA keys over {MAX_BITS} bits are not supported; this one has {bits}")));
    }
    Ok(())
}

/// Without leading zero bytes.
fn trimmed(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len());
    &bytes[start..]
}

/// An integer of exactly its own width (public values only: the width is visible).
fn uint(bytes: &[u8]) -> BoxedUint {
    let bits = (bytes.len().max(1) * 8) as u32;
    BoxedUint::from_be_slice(bytes, bits).expect("the precision fits the bytes")
}

fn uint_ref(bytes: &[u8]) -> Result<UintRef<'_>> {
    UintRef::new(bytes).map_err(|_| invalid("the RSA key could not be encoded"))
}
