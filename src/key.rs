//! Keys: HMAC secrets from text, bytes, base64 or a JWK `oct`; with the `asymmetric`
//! feature, RSA, EC and Ed25519 keys from PEM or JWK; and JWK Sets of either.
//!
//! Secrets are wiped from memory when dropped and print as `[redacted]`. The HMAC inner
//! and outer padded states are computed once per key and hash, then cloned for each
//! signature, so repeated signing and verification skip two compression rounds.

use std::fmt;
use std::sync::OnceLock;

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Sha256, Sha384, Sha512};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use crate::algorithm::{Algorithm, Family};
use crate::base64url;
use crate::error::{shortened, Error, ErrorKind, Result};
use crate::tree::{self, Object, Tree};

/// A key usable for signing or verification.
#[derive(Clone)]
#[non_exhaustive]
// The HMAC variant is the hot one: its prepared states stay inline (no indirection on every
// verification); the rare asymmetric variant is boxed. A program holds few keys.
#[allow(clippy::large_enum_variant)]
pub enum Key {
    /// A shared HMAC secret.
    Hmac(HmacKey),
    /// An RSA, EC or Ed25519 key, public or private.
    #[cfg(feature = "asymmetric")]
    Asymmetric(Box<AsymmetricKey>),
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Key::Hmac(_) => f.write_str("Key::Hmac([redacted])"),
            #[cfg(feature = "asymmetric")]
            Key::Asymmetric(key) => write!(f, "Key::Asymmetric({key:?})"),
        }
    }
}

#[cfg(feature = "asymmetric")]
use crate::asymmetric::AsymmetricKey;

impl Key {
    /// A secret from its raw bytes.
    ///
    /// Refuses an empty secret, and bytes that are a PEM key, the JSON text of an RSA, EC or
    /// OKP JWK, or of a JWK Set or JSON array holding one (after a byte-order mark or
    /// whitespace too), a DER key (SubjectPublicKeyInfo, PKCS#8, PKCS#1, SEC1, a certificate)
    /// or its base64 (a PEM body without its armor lines, also after a byte-order mark): a
    /// public key used as an HMAC secret is the classic key-confusion attack.
    pub fn from_secret(bytes: &[u8]) -> Result<Key> {
        if bytes.is_empty() {
            return Err(Error::new(ErrorKind::KeyInvalid, "the secret is empty"));
        }
        if let Some(form) = key_material_form(bytes) {
            return Err(Error::new(ErrorKind::KeyInvalid, format!("{form} cannot be used as an HMAC secret")));
        }
        Ok(Key::Hmac(HmacKey::new(bytes)))
    }

    /// A secret given as base64 or base64url text (padding optional).
    pub fn from_base64_secret(text: &str) -> Result<Key> {
        let bytes = decode_base64(text.as_bytes(), false)
            .ok_or_else(|| Error::new(ErrorKind::KeyInvalid, "the secret is not valid base64"))?;
        Key::from_secret(&bytes)
    }

    /// A key from a JWK's JSON text; also returns the JWK's `kid`, `alg`, `use` and `key_ops`.
    pub fn from_jwk(text: &str) -> Result<(Key, KeyMeta)> {
        let tree = tree::parse(text)
            .map_err(|reason| Error::new(ErrorKind::KeyInvalid, format!("the JWK is not valid JSON: {reason}")))?;
        let jwk = tree
            .as_object()
            .and_then(Jwk::read)
            .ok_or_else(|| Error::new(ErrorKind::KeyInvalid, "the JWK is not a JSON object with a string \"kty\""))?;
        #[cfg(feature = "asymmetric")]
        if matches!(jwk.members.kty.as_str(), "RSA" | "EC" | "OKP") {
            let (key, meta) = AsymmetricKey::from_jwk_json(text)?;
            return Ok((Key::Asymmetric(Box::new(key)), meta));
        }
        jwk.into_key()
    }

    /// A key from PEM text: `PUBLIC KEY`, `RSA PUBLIC KEY`, `PRIVATE KEY`, `RSA PRIVATE KEY`,
    /// `EC PRIVATE KEY` or `CERTIFICATE` (its public key).
    pub fn from_pem(text: &str) -> Result<Key> {
        #[cfg(feature = "asymmetric")]
        {
            AsymmetricKey::from_pem(text).map(|key| Key::Asymmetric(Box::new(key)))
        }
        #[cfg(not(feature = "asymmetric"))]
        {
            let _ = text;
            Err(not_in_this_build())
        }
    }

    /// Whether this key serves `alg`: HMAC secrets HS*, RSA keys RS* and PS*, an EC key the
    /// one ES algorithm of its curve, Ed25519 EdDSA.
    pub fn fits(&self, alg: Algorithm) -> bool {
        self.default_algorithms().contains(&alg)
    }

    /// Whether this key can sign (a secret, or a private key).
    pub fn can_sign(&self) -> bool {
        match self {
            Key::Hmac(_) => true,
            #[cfg(feature = "asymmetric")]
            Key::Asymmetric(key) => key.is_private(),
        }
    }

    /// The family of algorithms this key serves.
    pub fn family(&self) -> Family {
        match self {
            Key::Hmac(_) => Family::Hmac,
            #[cfg(feature = "asymmetric")]
            Key::Asymmetric(key) => key.family(),
        }
    }

    /// The algorithms this key allows when the caller names none.
    pub fn default_algorithms(&self) -> &'static [Algorithm] {
        match self {
            Key::Hmac(_) => &Algorithm::HMAC,
            #[cfg(feature = "asymmetric")]
            Key::Asymmetric(key) => key.default_algorithms(),
        }
    }

    /// Refuses a key too short for `alg` unless `allow_weak`.
    pub fn check_strength(&self, alg: Algorithm, allow_weak: bool) -> Result<()> {
        match self {
            Key::Hmac(key) if !allow_weak && key.len() < alg.min_secret_len() => Err(Error::new(
                ErrorKind::KeyTooWeak,
                format!(
                    "{alg} needs a secret of at least {} bytes, this one has {}: use generateSecret('{alg}'), or allowWeakKey: true to accept it",
                    alg.min_secret_len(),
                    key.len()
                ),
            )),
            #[cfg(feature = "asymmetric")]
            Key::Asymmetric(key) => key.check_strength(alg, allow_weak),
            _ => Ok(()),
        }
    }

    /// Computes the prepared states for every algorithm of the key's family now, so that
    /// clones start prepared.
    pub fn prepare(&self) {
        match self {
            Key::Hmac(key) => {
                key.hs256.get_or_init(|| prepared(&key.secret));
                key.hs384.get_or_init(|| prepared(&key.secret));
                key.hs512.get_or_init(|| prepared(&key.secret));
            }
            #[cfg(feature = "asymmetric")]
            Key::Asymmetric(_) => {}
        }
    }

    /// Signs `input` with `alg`, appending the signature to `out`.
    pub fn sign_into(&self, alg: Algorithm, input: &[u8], out: &mut Vec<u8>) -> Result<()> {
        match self {
            Key::Hmac(key) => key.sign_into(alg, input, out),
            #[cfg(feature = "asymmetric")]
            Key::Asymmetric(key) => key.sign_into(alg, input, out),
        }
    }

    /// Checks a signature given as canonical base64url text. For HMAC the expected MAC is
    /// encoded and the texts compared in constant time, which spares decoding the signature.
    pub fn verify_encoded(&self, alg: Algorithm, input: &[u8], signature: &str) -> Result<()> {
        match self {
            Key::Hmac(key) => key.verify_encoded(alg, input, signature),
            #[cfg(feature = "asymmetric")]
            Key::Asymmetric(key) => {
                let bytes = base64url::decode(signature)?;
                key.verify(alg, input, &bytes)
            }
        }
    }

    /// Checks `signature` over `input` with `alg`, in constant time.
    pub fn verify(&self, alg: Algorithm, input: &[u8], signature: &[u8]) -> Result<()> {
        match self {
            Key::Hmac(key) => key.verify(alg, input, signature),
            #[cfg(feature = "asymmetric")]
            Key::Asymmetric(key) => key.verify(alg, input, signature),
        }
    }
}

/// Compares two byte strings of equal length (at most 88 bytes) in constant time, eight bytes
/// per step: `subtle` compares slices element by element behind an optimisation barrier
/// each, and as words that is 11 barriers for an HS512 signature instead of 86.
fn equal_in_constant_time(a: &[u8], b: &[u8]) -> bool {
    const WORDS: usize = 11;
    fn words(bytes: &[u8]) -> [u64; WORDS] {
        let mut padded = [0u8; WORDS * 8];
        padded[..bytes.len()].copy_from_slice(bytes);
        std::array::from_fn(|i| u64::from_le_bytes(padded[i * 8..i * 8 + 8].try_into().expect("eight bytes")))
    }
    debug_assert!(a.len() == b.len() && a.len() <= WORDS * 8);
    let used = a.len().div_ceil(8);
    bool::from(words(a)[..used].ct_eq(&words(b)[..used]))
}

/// What a JWK says about how its key may be used.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeyMeta {
    /// `kid`: the key's id.
    pub kid: Option<String>,
    /// `alg`: the one algorithm the key is for.
    pub alg: Option<Algorithm>,
    /// `use`: `sig` or `enc`.
    pub usage: Option<String>,
    /// `key_ops`: the operations the key is for (`sign`, `verify`, ...).
    pub key_ops: Option<Vec<String>>,
}

/// What a key is asked to do, as the JWK `key_ops` member names it (RFC 7517 4.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyOperation {
    /// Computing a signature or MAC.
    Sign,
    /// Checking a signature or MAC.
    Verify,
}

impl KeyOperation {
    /// The `key_ops` value: `sign` or `verify`.
    pub const fn name(self) -> &'static str {
        match self {
            KeyOperation::Sign => "sign",
            KeyOperation::Verify => "verify",
        }
    }
}

impl KeyMeta {
    /// Whether the JWK's `use` and `key_ops` allow `operation`: `use`, if present, must be
    /// `sig` and `key_ops`, if present, must list the operation (RFC 7517 4.2 and 4.3).
    ///
    /// ```
    /// use jwtkit::{Key, KeyOperation};
    /// let (_, meta) = Key::from_jwk(r#"{"kty":"oct","key_ops":["verify"],"k":"c2VjcmV0"}"#)?;
    /// assert!(meta.allows(KeyOperation::Verify));
    /// assert_eq!(meta.check_allows(KeyOperation::Sign).unwrap_err().code(), "ERR_KEY_INVALID");
    /// # Ok::<(), jwtkit::Error>(())
    /// ```
    pub fn allows(&self, operation: KeyOperation) -> bool {
        self.usage.as_deref().is_none_or(|usage| usage == "sig")
            && self.key_ops.as_ref().is_none_or(|ops| ops.iter().any(|op| op == operation.name()))
    }

    /// Like [`KeyMeta::allows`], as an `ERR_KEY_INVALID` error naming the member that forbids
    /// `operation`.
    pub fn check_allows(&self, operation: KeyOperation) -> Result<()> {
        let op = operation.name();
        if let Some(usage) = self.usage.as_deref().filter(|usage| *usage != "sig") {
            let mut shown = String::new();
            crate::json_text::write_string(&mut shown, shortened(usage, 16));
            return Err(Error::new(
                ErrorKind::KeyInvalid,
                format!("the JWK's \"use\" is {shown}, not \"sig\": this key cannot {op}"),
            ));
        }
        if !self.allows(operation) {
            return Err(Error::new(
                ErrorKind::KeyInvalid,
                format!("the JWK's \"key_ops\" do not include \"{op}\": this key cannot {op}"),
            ));
        }
        Ok(())
    }
}

/// An HMAC secret with its prepared states.
#[derive(Clone)]
pub struct HmacKey {
    secret: Zeroizing<Vec<u8>>,
    hs256: OnceLock<Hmac<Sha256>>,
    hs384: OnceLock<Hmac<Sha384>>,
    hs512: OnceLock<Hmac<Sha512>>,
}

macro_rules! with_mac {
    ($key:expr, $alg:expr, |$mac:ident| $body:expr) => {
        match $alg {
            Algorithm::HS256 => {
                let mut $mac = $key.hs256.get_or_init(|| prepared(&$key.secret)).clone();
                $body
            }
            Algorithm::HS384 => {
                let mut $mac = $key.hs384.get_or_init(|| prepared(&$key.secret)).clone();
                $body
            }
            Algorithm::HS512 => {
                let mut $mac = $key.hs512.get_or_init(|| prepared(&$key.secret)).clone();
                $body
            }
            _ => Err(Error::new(ErrorKind::AlgorithmNotAllowed, "invalid algorithm")),
        }
    };
}

fn prepared<M: KeyInit>(secret: &[u8]) -> M {
    // HMAC takes keys of any length (longer ones are hashed first), so this cannot fail.
    M::new_from_slice(secret).expect("HMAC accepts keys of any length")
}

impl HmacKey {
    fn new(bytes: &[u8]) -> HmacKey {
        HmacKey {
            secret: Zeroizing::new(bytes.to_vec()),
            hs256: OnceLock::new(),
            hs384: OnceLock::new(),
            hs512: OnceLock::new(),
        }
    }

    /// The secret as base64url text (for exporting it as a JWK `oct`).
    pub fn to_base64url(&self) -> String {
        base64url::encode(&self.secret)
    }

    /// The secret's length in bytes.
    pub fn len(&self) -> usize {
        self.secret.len()
    }

    /// Always false: empty secrets are refused.
    pub fn is_empty(&self) -> bool {
        self.secret.is_empty()
    }

    fn sign_into(&self, alg: Algorithm, input: &[u8], out: &mut Vec<u8>) -> Result<()> {
        with_mac!(self, alg, |mac| {
            mac.update(input);
            out.extend_from_slice(&mac.finalize().into_bytes());
            Ok(())
        })
    }

    fn verify_encoded(&self, alg: Algorithm, input: &[u8], signature: &str) -> Result<()> {
        let mut mac = [0u8; 64];
        let len = with_mac!(self, alg, |mac_state| {
            mac_state.update(input);
            let bytes = mac_state.finalize().into_bytes();
            mac[..bytes.len()].copy_from_slice(&bytes);
            Ok(bytes.len())
        })?;
        let mut expected = [0u8; 86];
        let expected_len = base64url::encode_slice(&mac[..len], &mut expected);
        // Lengths are public (fixed per algorithm); the contents are compared in constant time.
        if signature.len() == expected_len && equal_in_constant_time(&expected[..expected_len], signature.as_bytes()) {
            Ok(())
        } else {
            Err(Error::new(ErrorKind::InvalidSignature, "invalid signature"))
        }
    }

    fn verify(&self, alg: Algorithm, input: &[u8], signature: &[u8]) -> Result<()> {
        with_mac!(self, alg, |mac| {
            mac.update(input);
            // `verify_slice` compares in constant time and refuses a wrong length.
            mac.verify_slice(signature).map_err(|_| Error::new(ErrorKind::InvalidSignature, "invalid signature"))
        })
    }
}

/// A set of keys chosen per token by `kid`, `alg`, `use` and `key_ops` (RFC 7517 section 5).
#[derive(Debug, Clone, Default)]
pub struct KeySet {
    entries: Vec<(Key, KeyMeta)>,
    /// A JWK Set chooses keys by `kid`; a single key ignores the token's `kid`, as
    /// `jsonwebtoken` and `jose` do with a plain secret.
    is_set: bool,
}

impl KeySet {
    /// A set from a JWK Set's JSON text `{"keys":[...]}`. Keys of a type this build does not
    /// support are skipped, as other libraries do; a malformed supported key is an error.
    pub fn from_jwks(text: &str) -> Result<KeySet> {
        let tree = tree::parse(text)
            .map_err(|reason| Error::new(ErrorKind::KeyInvalid, format!("the JWK Set is not valid JSON: {reason}")))?;
        let keys = tree.as_object().and_then(|set| set.get("keys")?.as_array()).ok_or_else(|| {
            Error::new(ErrorKind::KeyInvalid, "a JWK Set is an object with an array \"keys\" of JWK objects")
        })?;
        let mut entries = Vec::with_capacity(keys.len());
        for value in keys {
            let object = value.as_object();
            let jwk = object.and_then(Jwk::read).ok_or_else(|| {
                Error::new(ErrorKind::KeyInvalid, "every key of a JWK Set is an object with a string \"kty\"")
            })?;
            match jwk.members.kty.as_str() {
                "oct" => entries.push(jwk.into_key()?),
                // Identity providers publish keys this library cannot use (other curves,
                // encryption keys): they are skipped, as other libraries do.
                #[cfg(feature = "asymmetric")]
                "RSA" | "EC" | "OKP" => {
                    if let Some(Ok((key, meta))) = object.map(AsymmetricKey::from_jwk_object) {
                        entries.push((Key::Asymmetric(Box::new(key)), meta));
                    }
                }
                _ => {}
            }
        }
        Ok(KeySet { entries, is_set: true })
    }

    /// One key; the token's `kid` is not used to choose it.
    pub fn single(key: Key, meta: KeyMeta) -> KeySet {
        KeySet { entries: vec![(key, meta)], is_set: false }
    }

    /// Whether this is a JWK Set (keys chosen by `kid`), not a single key.
    pub fn is_set(&self) -> bool {
        self.is_set
    }

    /// The number of usable keys.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no usable key is in the set.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The keys with their metadata.
    pub fn iter(&self) -> impl Iterator<Item = &(Key, KeyMeta)> {
        self.entries.iter()
    }

    /// Prepares every key (see [`Key::prepare`]).
    pub fn prepare(&self) {
        self.entries.iter().for_each(|(key, _)| key.prepare());
    }

    /// The key at `index` (as returned by [`KeySet::select_index`]).
    pub fn get(&self, index: usize) -> Option<&Key> {
        self.entries.get(index).map(|(key, _)| key)
    }

    /// The one key that fits a token with `alg` and `kid`.
    pub fn select(&self, alg: Algorithm, kid: Option<&str>) -> Result<&Key> {
        let index = self.select_index(alg, kid)?;
        Ok(&self.entries[index].0)
    }

    /// The index of the one key that fits a token with `alg` and `kid`.
    pub fn select_index(&self, alg: Algorithm, kid: Option<&str>) -> Result<usize> {
        if !self.is_set {
            return self.single_index(alg);
        }
        let mut found = self.entries.iter().enumerate().filter(|(_, (key, meta))| {
            key.fits(alg)
                && meta.alg.is_none_or(|a| a == alg)
                && meta.allows(KeyOperation::Verify)
                && kid.is_none_or(|kid| meta.kid.as_deref() == Some(kid))
        });
        let first = found.next();
        // The kid is the token's (attacker-chosen) text: shortened and escaped for logs.
        let kid_text = kid.map(|k| {
            let mut text = String::from(" with kid ");
            crate::json_text::write_string(&mut text, shortened(k, 64));
            text
        });
        match (first, found.next()) {
            (Some((index, _)), None) => Ok(index),
            (None, _) => Err(Error::new(
                ErrorKind::JwksNoMatch,
                format!("no key in the JWK Set fits a {alg} token{}", kid_text.unwrap_or_default()),
            )),
            (Some(_), Some(_)) => Err(Error::new(
                ErrorKind::JwksNoMatch,
                format!(
                    "more than one key in the JWK Set fits a {alg} token{}: give the keys distinct \"kid\" values",
                    kid_text.unwrap_or_default()
                ),
            )),
        }
    }

    /// The single key's index, if it fits `alg`. A token whose `alg` is not the key's (of
    /// another family, or not the JWK's `alg`) is refused as the algorithm, not as a failed
    /// search of a JWK Set; a key its JWK does not allow to verify is refused as a key.
    fn single_index(&self, alg: Algorithm) -> Result<usize> {
        let Some((key, meta)) = self.entries.first() else {
            return Err(Error::new(ErrorKind::KeyInvalid, "no usable key"));
        };
        // Whatever the allowed list says: a key of another family would be key confusion.
        if !key.fits(alg) || meta.alg.is_some_and(|a| a != alg) {
            return Err(Error::new(ErrorKind::AlgorithmNotAllowed, "invalid algorithm"));
        }
        meta.check_allows(KeyOperation::Verify)?;
        Ok(0)
    }
}

#[cfg(not(feature = "asymmetric"))]
fn not_in_this_build() -> Error {
    Error::new(
        ErrorKind::KeyInvalid,
        "RSA, EC and Ed25519 keys are not in this HMAC-only build: import the full package",
    )
}

/// The members every JWK may have (RFC 7517 section 4), read alike for every key type.
pub(crate) struct JwkMembers {
    pub(crate) kty: String,
    pub(crate) kid: Option<String>,
    pub(crate) alg: Option<String>,
    pub(crate) usage: Option<String>,
    pub(crate) key_ops: Option<Vec<String>>,
}

impl JwkMembers {
    /// `None` when `kty` is not a string or another of these members has the wrong type.
    pub(crate) fn read(object: &Object<'_>) -> Option<JwkMembers> {
        Some(JwkMembers {
            kty: object.get("kty")?.as_str()?.to_owned(),
            kid: tree::optional_string(object, "kid")?,
            alg: tree::optional_string(object, "alg")?,
            usage: tree::optional_string(object, "use")?,
            key_ops: tree::optional(object, "key_ops", Tree::as_strings).ok()?,
        })
    }

    /// Refuses `key_ops` that allow neither signing nor verifying.
    pub(crate) fn check_key_ops(&self) -> Result<()> {
        match &self.key_ops {
            Some(ops) if !ops.iter().any(|op| op == "sign" || op == "verify") => {
                Err(Error::new(ErrorKind::KeyInvalid, "the JWK's \"key_ops\" allow neither sign nor verify"))
            }
            _ => Ok(()),
        }
    }
}

/// The members of a JWK that an `oct` key uses; other members are ignored.
struct Jwk {
    members: JwkMembers,
    k: Option<String>,
}

impl Jwk {
    /// `None` when `kty` is not a string or a member read here has the wrong type.
    fn read(object: &Object<'_>) -> Option<Jwk> {
        Some(Jwk { members: JwkMembers::read(object)?, k: tree::optional_string(object, "k")? })
    }

    fn into_key(self) -> Result<(Key, KeyMeta)> {
        let members = self.members;
        if members.kty != "oct" {
            let kty = shortened(&members.kty, 16);
            return Err(Error::new(
                ErrorKind::KeyInvalid,
                format!("a JWK of kty \"{kty}\" cannot be used here: HS256/384/512 need kty \"oct\""),
            ));
        }
        let alg = match members.alg.as_deref() {
            None => None,
            Some(name) => match name.parse::<Algorithm>() {
                Ok(alg) if alg.family() == Family::Hmac => Some(alg),
                _ => return Err(Error::new(ErrorKind::KeyInvalid, "the JWK's \"alg\" is not HS256, HS384 or HS512")),
            },
        };
        members.check_key_ops()?;
        let k = self.k.ok_or_else(|| Error::new(ErrorKind::KeyInvalid, "a JWK of kty \"oct\" needs \"k\""))?;
        let secret = Zeroizing::new(
            base64url::decode(&k).map_err(|_| Error::new(ErrorKind::KeyInvalid, "the JWK's \"k\" is not base64url"))?,
        );
        let key = Key::from_secret(&secret)?;
        Ok((key, KeyMeta { kid: members.kid, alg, usage: members.usage, key_ops: members.key_ops }))
    }
}

/// What form of key `bytes` are in, as the refusal names it, if they look like a key: a PEM
/// key, the JSON text of an asymmetric JWK or JWK Set, a DER key, or its base64.
fn key_material_form(bytes: &[u8]) -> Option<&'static str> {
    if looks_like_pem(bytes) {
        return Some("a PEM key");
    }
    if looks_like_der_key(bytes) {
        return Some("a DER key (SPKI, PKCS#8, PKCS#1, SEC1 or a certificate)");
    }
    // The text forms, also in a file saved with a UTF-8 byte-order mark (by some editors and
    // by PowerShell), which strict JSON and base64 refuse: the key is still a key.
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Some(form) = asymmetric_jwk_text(text) {
        return Some(form);
    }
    looks_like_base64_der_key(text).then_some("a PEM key's base64 without its BEGIN and END lines")
}

/// Any text holding a PEM block is a PEM key, never a secret: OpenSSL and jsonwebtoken read
/// keys after explanatory text (`openssl x509 -text`), so such text used as an HMAC secret
/// would let the public key's holders forge tokens.
fn looks_like_pem(bytes: &[u8]) -> bool {
    contains_bytes(bytes, b"-----BEGIN ")
}

/// Whether `needle` occurs in `haystack`. A byte search: `str::contains(&str)` would add a
/// general substring searcher, with its panic paths, to the .wasm.
pub(crate) fn contains_bytes(haystack: &[u8], needle: &[u8]) -> bool {
    needle.is_empty() || haystack.windows(needle.len()).any(|w| w == needle)
}

/// Whether `text` is the JSON text of an RSA, EC or OKP JWK, of a JWK Set holding one (a
/// JWKS kept as text, say, in an environment variable nobody parsed), or of a bare array of
/// JWKs holding one (a JWK Set's `keys`, kept on their own).
fn asymmetric_jwk_text(text: &[u8]) -> Option<&'static str> {
    let json = text.trim_ascii_start();
    if !json.starts_with(b"{") && !json.starts_with(b"[") {
        return None;
    }
    let Ok(text) = std::str::from_utf8(json) else { return None };
    let is_asymmetric_jwk = |value: &Tree<'_>| {
        value
            .as_object()
            .and_then(|jwk| jwk.get("kty")?.as_str())
            .is_some_and(|kty| matches!(kty, "RSA" | "EC" | "OKP"))
    };
    match tree::parse(text) {
        Ok(tree) if is_asymmetric_jwk(&tree) => Some("an RSA, EC or OKP JWK"),
        Ok(tree) if tree.as_array().is_some_and(|keys| keys.iter().any(is_asymmetric_jwk)) => {
            Some("a JSON array holding an RSA, EC or OKP JWK")
        }
        Ok(tree) => tree
            .as_object()
            .and_then(|set| set.get("keys")?.as_array())
            .is_some_and(|keys| keys.iter().any(is_asymmetric_jwk))
            .then_some("a JWK Set holding an RSA, EC or OKP key"),
        // Not strict JSON: still refused if it names a key type at all, rather than risk
        // taking a slightly malformed public JWK (or JWK Set) for a secret.
        Err(_) => contains_bytes(json, b"\"kty\"").then_some("an RSA, EC or OKP JWK"),
    }
}

/// Whether `bytes` are a DER key or certificate, read as `fs.readFileSync('key.der')`. A
/// structural check, so that the HMAC-only build (which has no key parser) refuses them too:
/// one SEQUENCE spanning all the bytes, made of whole elements end to end, that is shaped
/// like PKCS#1 or SEC1 or names a key algorithm by its OID. Random bytes pass all of that
/// with a chance under 2^-40 (a fitting header, then elements that tile exactly), so a real
/// secret is not refused; a text secret would need control characters to.
fn looks_like_der_key(bytes: &[u8]) -> bool {
    const SEQUENCE: u8 = 0x30;
    const INTEGER: u8 = 0x02;
    const OCTET_STRING: u8 = 0x04;
    let Some((SEQUENCE, contents, [])) = der_element(bytes) else { return false };
    let mut first_tags = [0u8; 2];
    let (mut rest, mut index) = (contents, 0);
    while !rest.is_empty() {
        let Some((tag, _, after)) = der_element(rest) else { return false };
        if let Some(slot) = first_tags.get_mut(index) {
            *slot = tag;
        }
        (rest, index) = (after, index + 1);
    }
    match first_tags {
        // PKCS#1 RSAPublicKey (n, e) and RSAPrivateKey (version, n, ...); SEC1 ECPrivateKey
        // (version, private key): no OID needed to know them.
        [INTEGER, INTEGER | OCTET_STRING] => true,
        // SubjectPublicKeyInfo, PKCS#8 and certificates name the key's algorithm by OID.
        _ => KEY_ALGORITHM_OIDS.iter().any(|oid| contains_bytes(contents, oid)),
    }
}

/// The starts of the OIDs (as DER: tag, length, value) that name a key's algorithm: any in
/// the PKCS#1 arc (rsaEncryption, RSASSA-PSS), id-ecPublicKey, and any in 1.3.101 (RFC 8410's
/// X25519, X448, Ed25519 and Ed448).
const KEY_ALGORITHM_OIDS: [&[u8]; 3] = [
    &[0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01],
    &[0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01],
    &[0x06, 0x03, 0x2b, 0x65],
];

/// One DER element at the start of `bytes`: its tag, its contents and the bytes after it.
/// DER lengths are definite; three length bytes (16 MB) are more than any key needs.
fn der_element(bytes: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let [tag, first, rest @ ..] = bytes else { return None };
    let (len, rest) = match *first {
        short @ 0..=0x7f => (usize::from(short), rest),
        0x81..=0x83 => {
            let (len_bytes, rest) = rest.split_at_checked(usize::from(first & 0x7f))?;
            (len_bytes.iter().fold(0, |len, &b| len << 8 | usize::from(b)), rest)
        }
        _ => return None,
    };
    let (contents, rest) = rest.split_at_checked(len)?;
    Some((*tag, contents, rest))
}

/// Whether `bytes` are the base64 (either alphabet, any line breaks) of a DER key: a PEM body
/// copied without its BEGIN and END lines.
fn looks_like_base64_der_key(bytes: &[u8]) -> bool {
    // DER keys start with a SEQUENCE tag, 0x30, which base64 writes as `M`: other secrets
    // are not even decoded.
    if !bytes.trim_ascii_start().starts_with(b"M") {
        return false;
    }
    decode_base64(bytes, true).is_some_and(|der| looks_like_der_key(&der))
}

/// Decodes base64 or base64url, padding optional, and ASCII whitespace too if
/// `skip_whitespace`. Both the text and the bytes may be a secret: they are wiped when dropped.
fn decode_base64(text: &[u8], skip_whitespace: bool) -> Option<Zeroizing<Vec<u8>>> {
    let mut url_safe: Zeroizing<Vec<u8>> = Zeroizing::new(
        text.iter()
            .filter(|b| !(skip_whitespace && b.is_ascii_whitespace()))
            .map(|&b| match b {
                b'+' => b'-',
                b'/' => b'_',
                b => b,
            })
            .collect(),
    );
    while url_safe.last() == Some(&b'=') {
        url_safe.pop();
    }
    base64url::decode_bytes(&url_safe).map(Zeroizing::new)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_kid_is_quoted_and_shortened_in_the_message() {
        let set = KeySet::from_jwks(
            r#"{"keys":[{"kty":"oct","kid":"a","k":"c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA"}]}"#,
        )
        .unwrap();
        let e = set.select_index(Algorithm::HS256, Some("x\"\n")).unwrap_err();
        assert_eq!(
            (e.code(), e.message()),
            ("ERR_JWKS_NO_MATCH", r#"no key in the JWK Set fits a HS256 token with kid "x\"\n""#)
        );
        let long = "k".repeat(100);
        let e = set.select_index(Algorithm::HS256, Some(&long)).unwrap_err();
        assert!(e.message().ends_with(&format!(" with kid \"{}\"", "k".repeat(64))), "{}", e.message());
    }

    #[test]
    fn constant_time_comparison_agrees_with_equality_at_every_length_and_position() {
        for len in 0..=86usize {
            let a: Vec<u8> = (0..len).map(|i| (i * 37 + 11) as u8).collect();
            assert!(equal_in_constant_time(&a, &a.clone()), "length {len}");
            for position in 0..len {
                let mut b = a.clone();
                b[position] ^= 1 << (position % 8);
                assert!(!equal_in_constant_time(&a, &b), "length {len}, position {position}");
            }
        }
    }

    #[test]
    fn refuses_pem_and_asymmetric_jwk_text_as_secrets() {
        let pem = b"-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----\n";
        assert_eq!(Key::from_secret(pem).unwrap_err().code(), "ERR_KEY_INVALID");
        let jwk = br#"{"kty":"RSA","n":"AQAB","e":"AQAB"}"#;
        assert_eq!(Key::from_secret(jwk).unwrap_err().code(), "ERR_KEY_INVALID");
        assert_eq!(Key::from_secret(b"").unwrap_err().code(), "ERR_KEY_INVALID");
        // After explanatory text, and in JSON that is not strict but names a key type.
        let explained = b"Public-Key: (2048 bit)\n-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----\n";
        assert_eq!(Key::from_secret(explained).unwrap_err().code(), "ERR_KEY_INVALID");
        let loose = br#"{"kty":"RSA","n":"AQAB","e":"AQAB",}"#;
        assert_eq!(Key::from_secret(loose).unwrap_err().code(), "ERR_KEY_INVALID");
        // Braces alone do not make a key: this is a secret.
        assert!(Key::from_secret(b"{not JSON, and long enough to be a secret}").is_ok());
    }

    #[test]
    fn refuses_jwk_sets_holding_an_asymmetric_key_as_secrets() {
        let message = |text: &str| Key::from_secret(text.as_bytes()).unwrap_err().message().to_owned();
        let set_refusal = "a JWK Set holding an RSA, EC or OKP key cannot be used as an HMAC secret";
        assert_eq!(message(r#"{"keys":[{"kty":"OKP","crv":"Ed25519","x":"AQAB"}]}"#), set_refusal);
        assert_eq!(message(r#"{"keys":[{"kty":"oct","k":"YWJj"},{"kty":"EC","crv":"P-256"}]}"#), set_refusal);
        assert_eq!(message("\n{ \"keys\" : [ { \"kty\" : \"RSA\" } ] }\n"), set_refusal);
        // A set that is not strict JSON is refused for naming a key type.
        assert_eq!(Key::from_secret(br#"{"keys":[{"kty":"RSA",}]}"#).unwrap_err().code(), "ERR_KEY_INVALID");
    }

    #[test]
    fn refuses_bare_arrays_of_jwks_holding_an_asymmetric_key_as_secrets() {
        let message = |text: &str| Key::from_secret(text.as_bytes()).unwrap_err().message().to_owned();
        let array_refusal = "a JSON array holding an RSA, EC or OKP JWK cannot be used as an HMAC secret";
        assert_eq!(message(r#"[{"kty":"RSA","n":"AQAB","e":"AQAB"}]"#), array_refusal);
        assert_eq!(
            message("\u{feff} [{\"kty\":\"oct\",\"k\":\"YWJj\"}, {\"kty\":\"EC\",\"crv\":\"P-256\"}]"),
            array_refusal
        );
        // Not strict JSON, but naming a key type.
        assert_eq!(Key::from_secret(br#"[{"kty":"OKP",}]"#).unwrap_err().code(), "ERR_KEY_INVALID");
        // Brackets alone, and arrays without an asymmetric JWK, do not make a key.
        for secret in ["[a secret in brackets, long enough to be one]", r#"[{"kty":"oct","k":"YWJj"}, 1, "x"]"#] {
            assert!(Key::from_secret(secret.as_bytes()).is_ok(), "{secret}");
        }
    }

    #[test]
    fn refuses_asymmetric_jwk_text_after_a_byte_order_mark_or_whitespace() {
        let refusal = "an RSA, EC or OKP JWK cannot be used as an HMAC secret";
        for text in [
            "\u{feff}{\"kty\":\"EC\",\"crv\":\"P-256\"}",
            " \t\r\n{\"kty\":\"EC\",\"crv\":\"P-256\"}",
            "\u{feff}\r\n {\"kty\":\"RSA\",\"n\":\"AQAB\",\"e\":\"AQAB\"}",
            "\u{feff}{\"kty\":\"OKP\",\"x\":\"AQAB\",}",
        ] {
            assert_eq!(Key::from_secret(text.as_bytes()).unwrap_err().message(), refusal, "{text:?}");
        }
        // The mark alone does not make a key: this is a secret.
        assert!(Key::from_secret("\u{feff}a secret that starts with a byte-order mark".as_bytes()).is_ok());
    }

    /// `contents` as one DER element with `tag`, in the short or long length form.
    fn der(tag: u8, contents: &[u8]) -> Vec<u8> {
        let mut out = vec![tag];
        match contents.len() {
            len @ 0..=0x7f => out.push(len as u8),
            len @ 0x80..=0xff => out.extend([0x81, len as u8]),
            len => out.extend([0x82, (len >> 8) as u8, len as u8]),
        }
        out.extend_from_slice(contents);
        out
    }

    fn sequence(elements: &[Vec<u8>]) -> Vec<u8> {
        der(0x30, &elements.concat())
    }

    const DER_REFUSAL: &str =
        "a DER key (SPKI, PKCS#8, PKCS#1, SEC1 or a certificate) cannot be used as an HMAC secret";
    const BASE64_REFUSAL: &str = "a PEM key's base64 without its BEGIN and END lines cannot be used as an HMAC secret";

    #[test]
    fn refuses_der_keys_of_every_shape_as_secrets() {
        let integer = |len: usize| der(0x02, &vec![0x5a; len]);
        let oid = |bytes: &[u8]| der(0x06, bytes);
        let point = der(0x03, &[0; 33]);
        let spki = |algorithm: Vec<u8>| sequence(&[sequence(&[algorithm]), point.clone()]);
        let rsa_encryption = oid(&[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01]);
        let rsassa_pss = oid(&[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a]);
        let ec_public_key = oid(&[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01]);
        let cases = [
            ("PKCS#1 RSAPublicKey, 2048 bits", sequence(&[integer(257), integer(3)])),
            ("PKCS#1 RSAPublicKey, 1024 bits", sequence(&[integer(129), integer(3)])),
            ("PKCS#1 RSAPrivateKey", sequence(&[integer(1), integer(129), integer(3), integer(128), integer(65)])),
            ("SEC1 ECPrivateKey", sequence(&[integer(1), der(0x04, &[7; 32]), der(0xa1, &point)])),
            ("SPKI rsaEncryption", spki(rsa_encryption.clone())),
            ("SPKI RSASSA-PSS", spki(rsassa_pss)),
            ("SPKI id-ecPublicKey", spki(ec_public_key.clone())),
            ("PKCS#8 id-ecPublicKey", sequence(&[integer(1), sequence(&[ec_public_key]), der(0x04, &[7; 40])])),
            ("certificate", sequence(&[sequence(&[der(0xa0, &integer(1)), spki(rsa_encryption)]), point.clone()])),
        ];
        let edwards = (0x6e..=0x71).map(|last| ("SPKI of RFC 8410", spki(oid(&[0x2b, 0x65, last]))));
        for (name, der) in cases.into_iter().chain(edwards) {
            assert_eq!(Key::from_secret(&der).unwrap_err().message(), DER_REFUSAL, "{name}");
        }
    }

    #[test]
    fn refuses_the_base64_of_a_der_key_as_a_secret() {
        // The body of the PEM of RFC 8410 10.1, an Ed25519 public key.
        let body = "MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=";
        let der = decode_base64(body.as_bytes(), false).unwrap();
        assert_eq!(Key::from_secret(&der).unwrap_err().message(), DER_REFUSAL);
        let url_safe = base64url::encode(&der);
        let wrapped = format!("{}\r\n{}\r\n", &body[..30], &body[30..]);
        for text in [body, body.trim_end_matches('='), &url_safe, &wrapped, &format!("\n  {body}\n")] {
            assert_eq!(Key::from_secret(text.as_bytes()).unwrap_err().message(), BASE64_REFUSAL, "{text:?}");
        }
        // Decoded by the caller, it is the DER key again.
        assert_eq!(Key::from_base64_secret(body).unwrap_err().message(), DER_REFUSAL);
    }

    #[test]
    fn debug_output_never_shows_the_secret() {
        let key = Key::from_secret(b"hunter2hunter2hunter2hunter2hunter2").unwrap();
        assert!(!format!("{key:?}").contains("hunter2"));
    }

    #[test]
    fn base64_secrets_accept_both_alphabets_and_padding() {
        let mac_of = |text: &str| {
            let key = Key::from_base64_secret(text).unwrap();
            assert!(matches!(key, Key::Hmac(_)), "a secret is an HMAC key");
            let mut mac = Vec::new();
            key.sign_into(Algorithm::HS256, b"input", &mut mac).unwrap();
            mac
        };
        let direct = |secret: &[u8]| {
            let mut mac = Vec::new();
            Key::from_secret(secret).unwrap().sign_into(Algorithm::HS256, b"input", &mut mac).unwrap();
            mac
        };
        assert_eq!(mac_of("+/+/"), direct(&[0xfb, 0xff, 0xbf]));
        assert_eq!(mac_of("-_-_"), direct(&[0xfb, 0xff, 0xbf]));
        assert_eq!(mac_of("YWE="), direct(b"aa"));
        assert_eq!(mac_of("YWE"), direct(b"aa"));
        assert_eq!(mac_of("YQ=="), direct(b"a"));
        for bad in ["a", "YW E", "é", "YW.E", "YWF="] {
            assert_eq!(Key::from_base64_secret(bad).unwrap_err().code(), "ERR_KEY_INVALID", "{bad:?}");
        }
    }

    #[test]
    fn key_sets_choose_by_kid_and_refuse_ambiguity() {
        let set = KeySet::from_jwks(
            r#"{"keys":[{"kty":"oct","kid":"a","k":"YWFh"},{"kty":"oct","kid":"b","k":"YmJi"},{"kty":"RSA","n":"x","e":"AQAB"}]}"#,
        )
        .unwrap();
        assert_eq!(set.len(), 2);
        assert!(set.select(Algorithm::HS256, Some("a")).is_ok());
        assert_eq!(set.select(Algorithm::HS256, Some("c")).unwrap_err().code(), "ERR_JWKS_NO_MATCH");
        assert_eq!(set.select(Algorithm::HS256, None).unwrap_err().code(), "ERR_JWKS_NO_MATCH");
    }
}
