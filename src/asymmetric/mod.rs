//! Asymmetric keys: RSA for RS256/384/512 and PS256/384/512, EC P-256/P-384/P-521 for
//! ES256/ES384/ES512, and Ed25519 for EdDSA (RFC 7518 3.3 to 3.5, RFC 8037).
//!
//! An [`AsymmetricKey`] comes from PEM ([`AsymmetricKey::from_pem`]), a JWK
//! ([`AsymmetricKey::from_jwk_json`]) or [`AsymmetricKey::generate`], and goes out as PEM
//! or JWK. The key decides which algorithms it serves ([`AsymmetricKey::default_algorithms`]):
//! an RSA key never verifies ES256, a P-256 key never ES384, and no asymmetric key ever
//! serves HS256. Private parts are wiped from memory when dropped and never printed.
//!
//! RSA signing is not constant-time (RUSTSEC-2023-0071, "Marvin"): see
//! [`AsymmetricKey::sign_into`]. Verification is unaffected.
//!
//! ```
//! use jwtkit::asymmetric::AsymmetricKey;
//! use jwtkit::Algorithm;
//! let private = AsymmetricKey::generate(Algorithm::ES256)?;
//! let public = AsymmetricKey::from_pem(&private.to_pem(false)?)?;
//! let mut signature = Vec::new();
//! private.sign_into(Algorithm::ES256, b"header.payload", &mut signature)?;
//! public.verify(Algorithm::ES256, b"header.payload", &signature)?;
//! assert_eq!(public.verify(Algorithm::ES384, b"header.payload", &signature).unwrap_err().code(), "ERR_JWS_ALG_NOT_ALLOWED");
//! # Ok::<(), jwtkit::Error>(())
//! ```

mod jwk;

use std::fmt;

use jwtkit_keys::ec::{Curve, EcKey};
use jwtkit_keys::kind::{invalid, Kind};
use jwtkit_keys::okp::Ed25519Key;
use jwtkit_keys::rsa::{self, RsaKey};
use jwtkit_keys::{asn1, pem};
use sha2::{Digest, Sha256};

use crate::algorithm::{Algorithm, Family};
use crate::base64url;
use crate::error::{Error, ErrorKind, Result};
use crate::key::KeyMeta;
use crate::tree;

/// An RSA, EC (P-256, P-384, P-521) or Ed25519 key, public or private.
///
/// `Debug` shows the kind of key only, never key material:
///
/// ```
/// use jwtkit::asymmetric::AsymmetricKey;
/// let key = AsymmetricKey::generate(jwtkit::Algorithm::EdDSA)?;
/// assert_eq!(format!("{key:?}"), "AsymmetricKey(Ed25519 private key, alg EdDSA)");
/// # Ok::<(), jwtkit::Error>(())
/// ```
#[derive(Clone)]
pub struct AsymmetricKey {
    kind: Kind,
    /// The algorithm the key was generated for, or its JWK's `alg`: written to its JWK.
    alg: Option<Algorithm>,
}

impl fmt::Debug for AsymmetricKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AsymmetricKey({}", self.kind.description())?;
        if let Some(alg) = self.alg {
            write!(f, ", alg {alg}")?;
        }
        f.write_str(")")
    }
}

impl AsymmetricKey {
    fn new(kind: Kind) -> AsymmetricKey {
        AsymmetricKey { kind, alg: None }
    }

    /// A key from PEM text. Accepted blocks: `PUBLIC KEY` (SubjectPublicKeyInfo), `RSA PUBLIC
    /// KEY` (PKCS#1), `PRIVATE KEY` (PKCS#8 v1 or v2: RSA, EC or Ed25519), `RSA PRIVATE KEY`
    /// (PKCS#1), `EC PRIVATE KEY` (SEC1, naming its curve) and `CERTIFICATE` (X.509: its
    /// public key is taken; the certificate itself is not validated in any way).
    ///
    /// With several blocks, the first block with one of those labels is used: blocks with
    /// other labels before it (such as `EC PARAMETERS`) are skipped, blocks after it (the
    /// rest of a certificate chain) are ignored. A label that does not match the contents
    /// is `ERR_KEY_INVALID`, as are encrypted keys, unsupported algorithms and curves, RSA
    /// keys over 8192 bits; RSA keys under 1024 bits are `ERR_KEY_TOO_WEAK`.
    ///
    /// ```
    /// use jwtkit::asymmetric::AsymmetricKey;
    /// let pem = "-----BEGIN PUBLIC KEY-----
    /// MCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=
    /// -----END PUBLIC KEY-----";
    /// let key = AsymmetricKey::from_pem(pem)?;
    /// assert_eq!(key.default_algorithms(), [jwtkit::Algorithm::EdDSA]);
    /// assert!(!key.is_private());
    /// # Ok::<(), jwtkit::Error>(())
    /// ```
    pub fn from_pem(text: &str) -> Result<AsymmetricKey> {
        let block = pem::first_key_block(text)?;
        let kind = match block.label {
            "PUBLIC KEY" => asn1::from_spki(&block.der)?,
            "RSA PUBLIC KEY" => Kind::Rsa(RsaKey::from_pkcs1_public(&block.der)?),
            "PRIVATE KEY" => asn1::from_pkcs8(&block.der)?,
            "RSA PRIVATE KEY" => Kind::Rsa(RsaKey::from_pkcs1_private(&block.der)?),
            "EC PRIVATE KEY" => asn1::from_sec1(&block.der)?,
            _ => asn1::from_certificate(&block.der)?,
        };
        Ok(AsymmetricKey::new(kind))
    }

    /// A key from a JWK's JSON text, with the JWK's `kid`, `alg`, `use` and `key_ops`.
    ///
    /// `kty` `RSA` (`n`, `e`; private with `d` and either all of `p`, `q`, `dp`, `dq`, `qi`
    /// or none), `EC` (`crv` P-256, P-384 or P-521; `x`, `y` and `d` of exactly the curve's
    /// length, the point on the curve, `d` matching it) or `OKP` (`crv` Ed25519; `x` and `d`
    /// of 32 bytes). The JSON must be strict (no duplicate member names), members base64url
    /// without padding, `alg` (if any) one this key serves and `key_ops` (if any) must allow
    /// `sign` or `verify`. Other members (`x5c`, `ext`, ...) are ignored, not checked.
    ///
    /// ```
    /// use jwtkit::asymmetric::AsymmetricKey;
    /// let jwk = r#"{"kty":"OKP","crv":"Ed25519","kid":"k1","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#;
    /// let (key, meta) = AsymmetricKey::from_jwk_json(jwk)?;
    /// assert_eq!(meta.kid.as_deref(), Some("k1"));
    /// assert_eq!(key.family(), jwtkit::Family::Okp);
    /// # Ok::<(), jwtkit::Error>(())
    /// ```
    pub fn from_jwk_json(text: &str) -> Result<(AsymmetricKey, KeyMeta)> {
        let tree = tree::parse(text).map_err(|reason| invalid(format!("the JWK is not valid JSON: {reason}")))?;
        let object = tree.as_object().ok_or_else(|| invalid(jwk::WRONG_TYPES))?;
        AsymmetricKey::from_jwk_object(object)
    }

    /// Like [`AsymmetricKey::from_jwk_json`], for one JWK already parsed, e.g. a member of
    /// a JWK Set.
    ///
    /// ```
    /// use jwtkit::asymmetric::AsymmetricKey;
    /// let set = jwtkit::tree::parse(
    ///     r#"{"keys":[{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]}"#,
    /// ).unwrap();
    /// let first = &set.as_object().unwrap().get("keys").unwrap().as_array().unwrap()[0];
    /// let (key, _) = AsymmetricKey::from_jwk_object(first.as_object().unwrap())?;
    /// assert!(!key.is_private());
    /// # Ok::<(), jwtkit::Error>(())
    /// ```
    pub fn from_jwk_object(object: &tree::Object<'_>) -> Result<(AsymmetricKey, KeyMeta)> {
        let fields = jwk::Fields::read(object).ok_or_else(|| invalid(jwk::WRONG_TYPES))?;
        AsymmetricKey::from_jwk_fields(fields)
    }

    fn from_jwk_fields(fields: jwk::Fields) -> Result<(AsymmetricKey, KeyMeta)> {
        let (kind, meta) = jwk::read(fields)?;
        Ok((AsymmetricKey { kind, alg: meta.alg }, meta))
    }

    /// A new private key for `alg`: RSA 2048 bits (exponent 65537) for RS* and PS*, P-256,
    /// P-384 or P-521 for ES256, ES384, ES512, Ed25519 for EdDSA. The key remembers `alg`
    /// and writes it into its JWK. HS* is `ERR_KEY_INVALID` (use
    /// [`crate::generate_secret`]).
    ///
    /// ```
    /// use jwtkit::{asymmetric::AsymmetricKey, Algorithm};
    /// let key = AsymmetricKey::generate(Algorithm::ES384)?;
    /// assert!(key.is_private());
    /// assert!(key.to_jwk_json(false)?.ends_with(r#""alg":"ES384"}"#));
    /// # Ok::<(), jwtkit::Error>(())
    /// ```
    pub fn generate(alg: Algorithm) -> Result<AsymmetricKey> {
        let kind = match alg.family() {
            Family::Rsa => Kind::Rsa(RsaKey::generate(rsa::RECOMMENDED_BITS)?),
            Family::Ec => {
                let curve =
                    Curve::from_algorithm(alg).ok_or_else(|| invalid(format!("cannot generate a key for {alg}")))?;
                Kind::Ec(EcKey::generate(curve)?)
            }
            Family::Okp => Kind::Ed25519(Ed25519Key::generate()?),
            _ => {
                return Err(invalid(format!("{alg} uses a shared secret, not a key pair: use generateSecret('{alg}')")))
            }
        };
        Ok(AsymmetricKey { kind, alg: Some(alg) })
    }

    /// The family of algorithms this key serves.
    ///
    /// ```
    /// # use jwtkit::{asymmetric::AsymmetricKey, Algorithm, Family};
    /// assert_eq!(AsymmetricKey::generate(Algorithm::ES256)?.family(), Family::Ec);
    /// # Ok::<(), jwtkit::Error>(())
    /// ```
    pub fn family(&self) -> Family {
        self.kind.family()
    }

    /// Whether this is a private key (which can also verify, with its public half).
    ///
    /// ```
    /// # use jwtkit::{asymmetric::AsymmetricKey, Algorithm};
    /// let key = AsymmetricKey::generate(Algorithm::EdDSA)?;
    /// assert!(key.is_private() && !key.public_key().is_private());
    /// # Ok::<(), jwtkit::Error>(())
    /// ```
    pub fn is_private(&self) -> bool {
        self.kind.is_private()
    }

    /// The algorithm remembered from [`AsymmetricKey::generate`] or the JWK's `alg`.
    ///
    /// ```
    /// # use jwtkit::{asymmetric::AsymmetricKey, Algorithm};
    /// assert_eq!(AsymmetricKey::generate(Algorithm::EdDSA)?.algorithm(), Some(Algorithm::EdDSA));
    /// # Ok::<(), jwtkit::Error>(())
    /// ```
    pub fn algorithm(&self) -> Option<Algorithm> {
        self.alg
    }

    /// The algorithms this key serves, which are the ones it allows when the caller names
    /// none: RSA: RS256/384/512 and PS256/384/512; P-256: ES256; P-384: ES384; P-521:
    /// ES512; Ed25519: EdDSA.
    ///
    /// ```
    /// # use jwtkit::{asymmetric::AsymmetricKey, Algorithm};
    /// assert_eq!(AsymmetricKey::generate(Algorithm::ES512)?.default_algorithms(), [Algorithm::ES512]);
    /// # Ok::<(), jwtkit::Error>(())
    /// ```
    pub fn default_algorithms(&self) -> &'static [Algorithm] {
        self.kind.default_algorithms()
    }

    /// What kind of key this is, for messages and the inspector: "RSA 2048-bit public key",
    /// "EC P-256 private key", "Ed25519 public key".
    ///
    /// ```
    /// # use jwtkit::{asymmetric::AsymmetricKey, Algorithm};
    /// assert_eq!(AsymmetricKey::generate(Algorithm::ES256)?.description(), "EC P-256 private key");
    /// # Ok::<(), jwtkit::Error>(())
    /// ```
    pub fn description(&self) -> String {
        self.kind.description()
    }

    /// Refuses an RSA key under 2048 bits (RFC 7518 3.3) with `ERR_KEY_TOO_WEAK` unless
    /// `allow_weak`. EC and Ed25519 keys have fixed sizes and always pass.
    ///
    /// ```
    /// # use jwtkit::{asymmetric::AsymmetricKey, Algorithm};
    /// AsymmetricKey::generate(Algorithm::ES256)?.check_strength(Algorithm::ES256, false)?;
    /// # Ok::<(), jwtkit::Error>(())
    /// ```
    pub fn check_strength(&self, alg: Algorithm, allow_weak: bool) -> Result<()> {
        match &self.kind {
            Kind::Rsa(key) if !allow_weak && key.bits() < rsa::RECOMMENDED_BITS => Err(Error::new(
                ErrorKind::KeyTooWeak,
                format!(
                    "{alg} needs an RSA key of at least {} bits, this one has {}: use generateKeyPair('{alg}'), or allowWeakKey: true to accept it",
                    rsa::RECOMMENDED_BITS,
                    key.bits()
                ),
            )),
            _ => Ok(()),
        }
    }

    /// Checks `signature` over `input` with `alg`. An `alg` this key does not serve is
    /// `ERR_JWS_ALG_NOT_ALLOWED`; a signature that does not verify, or has the wrong length
    /// or encoding, is `ERR_JWS_INVALID_SIGNATURE` "invalid signature". ECDSA signatures are
    /// the raw `r || s` of RFC 7518 3.4 (64, 96 or 132 bytes), with `r` and `s` in
    /// `1..n`; RSA-PSS needs a salt as long as the hash (RFC 7518 3.5); Ed25519 is checked
    /// strictly (no small-order keys or `R`). A private key verifies with its public half.
    ///
    /// ```
    /// # use jwtkit::{asymmetric::AsymmetricKey, Algorithm};
    /// let key = AsymmetricKey::generate(Algorithm::EdDSA)?;
    /// let mut signature = Vec::new();
    /// key.sign_into(Algorithm::EdDSA, b"a.b", &mut signature)?;
    /// key.public_key().verify(Algorithm::EdDSA, b"a.b", &signature)?;
    /// let error = key.verify(Algorithm::EdDSA, b"a.c", &signature).unwrap_err();
    /// assert_eq!((error.code(), error.message()), ("ERR_JWS_INVALID_SIGNATURE", "invalid signature"));
    /// # Ok::<(), jwtkit::Error>(())
    /// ```
    pub fn verify(&self, alg: Algorithm, input: &[u8], signature: &[u8]) -> Result<()> {
        if !self.kind.fits(alg) {
            return Err(Error::new(ErrorKind::AlgorithmNotAllowed, "invalid algorithm"));
        }
        match &self.kind {
            Kind::Rsa(key) => key.verify(alg, input, signature),
            Kind::Ec(key) => key.verify(alg, input, signature),
            Kind::Ed25519(key) => key.verify(alg, input, signature),
        }
    }

    /// Signs `input` with `alg`, appending the signature to `out`. Needs a private key
    /// serving `alg` (else `ERR_KEY_INVALID`). ECDSA is deterministic (RFC 6979) and writes
    /// raw `r || s`; RS* is deterministic; PS* uses a random salt as long as the hash;
    /// EdDSA is deterministic.
    ///
    /// **RSA timing:** the `rsa` crate's private-key operation is not constant-time
    /// (RUSTSEC-2023-0071, "Marvin"). Signing is blinded with fresh randomness, but an
    /// attacker who can time many RS*/PS* signatures made with one key precisely may still
    /// recover the key. Where that is a risk, prefer ES256 or EdDSA, or sign elsewhere
    /// (WebCrypto, a KMS). Verification does not use the private key and is unaffected.
    ///
    /// ```
    /// # use jwtkit::{asymmetric::AsymmetricKey, Algorithm};
    /// let key = AsymmetricKey::generate(Algorithm::ES256)?;
    /// let mut signature = Vec::new();
    /// key.sign_into(Algorithm::ES256, b"a.b", &mut signature)?;
    /// assert_eq!(signature.len(), 64);
    /// assert_eq!(key.public_key().sign_into(Algorithm::ES256, b"a.b", &mut signature).unwrap_err().code(), "ERR_KEY_INVALID");
    /// # Ok::<(), jwtkit::Error>(())
    /// ```
    pub fn sign_into(&self, alg: Algorithm, input: &[u8], out: &mut Vec<u8>) -> Result<()> {
        if !self.kind.fits(alg) {
            return Err(invalid(format!("this key cannot sign {alg}: it is an {}", self.kind.description())));
        }
        match &self.kind {
            Kind::Rsa(key) => key.sign_into(alg, input, out),
            Kind::Ec(key) => key.sign_into(alg, input, out),
            Kind::Ed25519(key) => key.sign_into(alg, input, out),
        }
    }

    /// The key as JWK text: the public members in RFC 7638 order (`e`, `kty`, `n` for RSA;
    /// `crv`, `kty`, `x`, `y` for EC; `crv`, `kty`, `x` for OKP), then with `private` the
    /// private members, then `alg` if the key has one. `private` on a public key is
    /// `ERR_KEY_INVALID`.
    ///
    /// ```
    /// # use jwtkit::asymmetric::AsymmetricKey;
    /// let (key, _) = AsymmetricKey::from_jwk_json(
    ///     r#"{"x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","kty":"OKP","crv":"Ed25519"}"#)?;
    /// assert_eq!(key.to_jwk_json(false)?, r#"{"crv":"Ed25519","kty":"OKP","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#);
    /// assert_eq!(key.to_jwk_json(true).unwrap_err().code(), "ERR_KEY_INVALID");
    /// # Ok::<(), jwtkit::Error>(())
    /// ```
    pub fn to_jwk_json(&self, private: bool) -> Result<String> {
        if private && !self.is_private() {
            return Err(invalid("this is a public key: it has no private part to export"));
        }
        jwk::write(&self.kind, private, self.alg)
    }

    /// The RFC 7638 JWK thumbprint (SHA-256, base64url), a good `kid`. The same for a
    /// private key and its public key.
    ///
    /// ```
    /// # use jwtkit::asymmetric::AsymmetricKey;
    /// let (key, _) = AsymmetricKey::from_jwk_json(
    ///     r#"{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#)?;
    /// assert_eq!(key.thumbprint()?, "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"); // RFC 8037 A.3
    /// # Ok::<(), jwtkit::Error>(())
    /// ```
    pub fn thumbprint(&self) -> Result<String> {
        let canonical = jwk::write(&self.kind, false, None)?;
        Ok(base64url::encode(&Sha256::digest(canonical.as_bytes())))
    }

    /// The key as PEM: the public key as SubjectPublicKeyInfo (`PUBLIC KEY`), or with
    /// `private` the private key as PKCS#8 (`PRIVATE KEY`). `private` on a public key is
    /// `ERR_KEY_INVALID`.
    ///
    /// ```
    /// # use jwtkit::{asymmetric::AsymmetricKey, Algorithm};
    /// let key = AsymmetricKey::generate(Algorithm::EdDSA)?;
    /// assert!(key.to_pem(true)?.starts_with("-----BEGIN PRIVATE KEY-----\n"));
    /// assert!(key.to_pem(false)?.starts_with("-----BEGIN PUBLIC KEY-----\n"));
    /// # Ok::<(), jwtkit::Error>(())
    /// ```
    pub fn to_pem(&self, private: bool) -> Result<String> {
        if private {
            if !self.is_private() {
                return Err(invalid("this is a public key: it has no private part to export"));
            }
            Ok(pem::encode("PRIVATE KEY", &asn1::to_pkcs8(&self.kind)?))
        } else {
            Ok(pem::encode("PUBLIC KEY", &asn1::to_spki(&self.kind)?))
        }
    }

    /// The public half (itself, if already public). Keeps the remembered algorithm.
    ///
    /// ```
    /// # use jwtkit::{asymmetric::AsymmetricKey, Algorithm};
    /// let private = AsymmetricKey::generate(Algorithm::ES256)?;
    /// assert_eq!(private.public_key().to_jwk_json(false)?, private.to_jwk_json(false)?);
    /// # Ok::<(), jwtkit::Error>(())
    /// ```
    pub fn public_key(&self) -> AsymmetricKey {
        let kind = match &self.kind {
            Kind::Rsa(key) => Kind::Rsa(key.to_public()),
            Kind::Ec(key) => Kind::Ec(key.to_public()),
            Kind::Ed25519(key) => Kind::Ed25519(key.to_public()),
        };
        AsymmetricKey { kind, alg: self.alg }
    }
}
