//! The DER structures keys come in: SubjectPublicKeyInfo (RFC 5280 4.1, with the key
//! formats of RFC 3279, RFC 5480 and RFC 8410), PKCS#8 PrivateKeyInfo (RFC 5958), SEC1
//! ECPrivateKey (RFC 5915) and, far enough to take its SubjectPublicKeyInfo, an X.509
//! certificate. PKCS#1 (RFC 8017 A.1) lives with the RSA key.

use der::asn1::{AnyRef, BitStringRef, OctetStringRef};
use der::oid::ObjectIdentifier;
use der::{Decode, Encode, Reader, SliceReader, Tag, TagNumber};
use pkcs8::PrivateKeyInfoRef;
use sec1::{EcParameters, EcPrivateKey};
use spki::{AlgorithmIdentifierRef, SubjectPublicKeyInfoRef};
use zeroize::Zeroizing;

use crate::ec::{Curve, EcKey};
use crate::error::Result;
use crate::kind::{invalid, Kind};
use crate::okp::Ed25519Key;
use crate::rsa::RsaKey;

const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const RSASSA_PSS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.10");
const EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const X25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.110");
const X448: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.111");
const ED25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");
const ED448: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.113");

/// A public key from a DER SubjectPublicKeyInfo (the `PUBLIC KEY` PEM block).
pub fn from_spki(der: &[u8]) -> Result<Kind> {
    let info = SubjectPublicKeyInfoRef::from_der(der)
        .map_err(|_| invalid("the key is not a valid SubjectPublicKeyInfo (what a PUBLIC KEY block holds)"))?;
    let key = info
        .subject_public_key
        .as_bytes()
        .ok_or_else(|| invalid("the SubjectPublicKeyInfo's key is not a whole number of bytes"))?;
    let algorithm = &info.algorithm;
    match algorithm.oid {
        RSA_ENCRYPTION => {
            null_or_absent(algorithm)?;
            Ok(Kind::Rsa(RsaKey::from_pkcs1_public(key)?))
        }
        EC_PUBLIC_KEY => Ok(Kind::Ec(EcKey::from_public_point(named_curve(algorithm)?, key)?)),
        ED25519 => {
            absent(algorithm)?;
            Ok(Kind::Ed25519(Ed25519Key::from_public(key)?))
        }
        oid => Err(unsupported(&oid)),
    }
}

/// A private key from a DER PKCS#8 PrivateKeyInfo (the `PRIVATE KEY` PEM block), v1 or v2.
pub fn from_pkcs8(der: &[u8]) -> Result<Kind> {
    let info = PrivateKeyInfoRef::from_der(der)
        .map_err(|_| invalid("the key is not a valid PKCS#8 PrivateKeyInfo (what a PRIVATE KEY block holds)"))?;
    let private_key = info.private_key.as_bytes();
    let public_key = match &info.public_key {
        None => None,
        Some(bits) => {
            Some(bits.as_bytes().ok_or_else(|| invalid("the PKCS#8 public key is not a whole number of bytes"))?)
        }
    };
    let algorithm = &info.algorithm;
    match algorithm.oid {
        RSA_ENCRYPTION => {
            null_or_absent(algorithm)?;
            Ok(Kind::Rsa(RsaKey::from_pkcs1_private(private_key)?))
        }
        EC_PUBLIC_KEY => {
            let curve = named_curve(algorithm)?;
            let inner = EcPrivateKey::from_der(private_key)
                .map_err(|_| invalid("the PKCS#8 EC key does not hold a valid SEC1 ECPrivateKey"))?;
            from_ec_private_key(&inner, Some(curve), public_key)
        }
        ED25519 => {
            absent(algorithm)?;
            // RFC 8410 7: the private key is an OCTET STRING inside the OCTET STRING.
            let seed = <&OctetStringRef>::from_der(private_key)
                .map_err(|_| invalid("the PKCS#8 Ed25519 key is not an OCTET STRING"))?;
            Ok(Kind::Ed25519(Ed25519Key::from_private(seed.as_bytes(), public_key)?))
        }
        oid => Err(unsupported(&oid)),
    }
}

/// A private key from a DER SEC1 ECPrivateKey (the `EC PRIVATE KEY` PEM block), which must
/// name its curve.
pub fn from_sec1(der: &[u8]) -> Result<Kind> {
    let key = EcPrivateKey::from_der(der)
        .map_err(|_| invalid("the key is not a valid SEC1 ECPrivateKey (what an EC PRIVATE KEY block holds)"))?;
    from_ec_private_key(&key, None, None)
}

/// The public key of a DER X.509 certificate. Nothing else in the certificate is checked
/// or used: not its signature, validity dates, issuer or extensions.
pub fn from_certificate(der: &[u8]) -> Result<Kind> {
    let spki = certificate_spki(der)
        .map_err(|_| invalid("the certificate is not a valid X.509 certificate (what a CERTIFICATE block holds)"))?;
    from_spki(spki)
}

/// A DER SubjectPublicKeyInfo for the public half of `kind`.
pub fn to_spki(kind: &Kind) -> Result<Vec<u8>> {
    let failed = |_| invalid("the public key could not be encoded");
    let (oid, curve_oid, key) = match kind {
        Kind::Rsa(key) => (RSA_ENCRYPTION, None, key.public_der()?),
        Kind::Ec(key) => (EC_PUBLIC_KEY, Some(key.curve().oid()), key.public_point()),
        Kind::Ed25519(key) => (ED25519, None, key.public_bytes().to_vec()),
    };
    let info = SubjectPublicKeyInfoRef {
        algorithm: algorithm_identifier(oid, curve_oid.as_ref()),
        subject_public_key: BitStringRef::from_bytes(&key).map_err(failed)?,
    };
    info.to_der().map_err(failed)
}

/// A DER PKCS#8 PrivateKeyInfo (v1, as OpenSSL writes it) for a private `kind`. Wiped on drop.
pub fn to_pkcs8(kind: &Kind) -> Result<Zeroizing<Vec<u8>>> {
    let failed = |_| invalid("the private key could not be encoded");
    let no_private = || invalid("this is a public key: it has no private part to export");
    let (oid, curve_oid, inner) = match kind {
        Kind::Rsa(key) => (RSA_ENCRYPTION, None, key.private_der()?),
        Kind::Ec(key) => {
            let scalar = key.private_scalar().ok_or_else(no_private)?;
            let point = key.public_point();
            let inner = EcPrivateKey { private_key: &scalar, parameters: None, public_key: Some(&point) };
            (EC_PUBLIC_KEY, Some(key.curve().oid()), Zeroizing::new(inner.to_der().map_err(failed)?))
        }
        Kind::Ed25519(key) => {
            let seed = key.private_bytes().ok_or_else(no_private)?;
            let inner = OctetStringRef::new(&seed[..]).map_err(failed)?.to_der().map_err(failed)?;
            (ED25519, None, Zeroizing::new(inner))
        }
    };
    let info = PrivateKeyInfoRef::new(
        algorithm_identifier(oid, curve_oid.as_ref()),
        OctetStringRef::new(&inner).map_err(failed)?,
    );
    Ok(Zeroizing::new(info.to_der().map_err(failed)?))
}

fn algorithm_identifier<'a>(
    oid: ObjectIdentifier,
    curve_oid: Option<&'a ObjectIdentifier>,
) -> AlgorithmIdentifierRef<'a> {
    let parameters = match (oid, curve_oid) {
        (_, Some(curve)) => Some(AnyRef::from(curve)),
        // RFC 3279 2.3.1: rsaEncryption has NULL parameters; RFC 8410 3: Ed25519 has none.
        (RSA_ENCRYPTION, None) => Some(AnyRef::NULL),
        _ => None,
    };
    AlgorithmIdentifierRef { oid, parameters }
}

fn from_ec_private_key(key: &EcPrivateKey<'_>, outer: Option<Curve>, outer_public: Option<&[u8]>) -> Result<Kind> {
    let inner = match key.parameters {
        None => None,
        Some(EcParameters::NamedCurve(oid)) => Some(Curve::from_oid(&oid).ok_or_else(|| unsupported_curve(&oid))?),
    };
    let curve = match (outer, inner) {
        (Some(outer), Some(inner)) if outer != inner => {
            return Err(invalid("the EC private key names two different curves"));
        }
        (Some(curve), _) | (None, Some(curve)) => curve,
        (None, None) => return Err(invalid("the EC PRIVATE KEY does not name its curve")),
    };
    let public = match (key.public_key, outer_public) {
        (Some(a), Some(b)) if a != b => return Err(invalid("the EC private key carries two different public keys")),
        (Some(public), _) | (None, Some(public)) => Some(public),
        (None, None) => None,
    };
    Ok(Kind::Ec(EcKey::from_private_scalar(curve, key.private_key, public)?))
}

/// Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }, and
/// TBSCertificate ::= SEQUENCE { [0] version OPTIONAL, serialNumber, signature, issuer,
/// validity, subject, subjectPublicKeyInfo, ... } (RFC 5280 4.1): skip to the seventh.
fn certificate_spki(der: &[u8]) -> der::Result<&[u8]> {
    let mut reader = SliceReader::new(der)?;
    let spki = reader.sequence(|certificate| {
        let spki = certificate.sequence(|tbs| {
            let version = Tag::ContextSpecific { constructed: true, number: TagNumber(0) };
            if Tag::peek(tbs)? == version {
                AnyRef::decode(tbs)?;
            }
            for _field in ["serialNumber", "signature", "issuer", "validity", "subject"] {
                AnyRef::decode(tbs)?;
            }
            let spki = tbs.tlv_bytes()?;
            tbs.drain(tbs.remaining_len())?;
            Ok::<_, der::Error>(spki)
        })?;
        certificate.drain(certificate.remaining_len())?;
        Ok::<_, der::Error>(spki)
    })?;
    reader.finish()?;
    Ok(spki)
}

fn named_curve(algorithm: &AlgorithmIdentifierRef<'_>) -> Result<Curve> {
    let oid = algorithm
        .parameters_oid()
        .map_err(|_| invalid("the EC key does not name its curve (only named curves are supported)"))?;
    Curve::from_oid(&oid).ok_or_else(|| unsupported_curve(&oid))
}

fn null_or_absent(algorithm: &AlgorithmIdentifierRef<'_>) -> Result<()> {
    match algorithm.parameters {
        None => Ok(()),
        Some(parameters) if parameters.is_null() => Ok(()),
        Some(_) => Err(invalid("the RSA key's algorithm parameters must be NULL")),
    }
}

fn absent(algorithm: &AlgorithmIdentifierRef<'_>) -> Result<()> {
    match algorithm.parameters {
        None => Ok(()),
        Some(_) => Err(invalid("the Ed25519 key's algorithm must have no parameters (RFC 8410)")),
    }
}

fn unsupported(oid: &ObjectIdentifier) -> crate::error::Error {
    let name = match *oid {
        RSASSA_PSS => "an RSASSA-PSS-only RSA key (OID 1.2.840.113549.1.1.10): use an rsaEncryption RSA key, it serves PS256/384/512 too",
        ED448 => "an Ed448 key: only Ed25519 is supported for EdDSA",
        X25519 | X448 => "a key-agreement key (X25519/X448), not a signing key",
        _ => return invalid(format!("unsupported key algorithm (OID {oid}): expected RSA, EC P-256/P-384/P-521 or Ed25519")),
    };
    invalid(format!("unsupported key: {name}"))
}

fn unsupported_curve(oid: &ObjectIdentifier) -> crate::error::Error {
    let known = match oid.to_string().as_str() {
        "1.3.132.0.10" => " (secp256k1)",
        "1.2.840.10045.3.1.1" => " (P-192)",
        "1.3.132.0.33" => " (P-224)",
        _ => "",
    };
    invalid(format!("unsupported elliptic curve {oid}{known}: expected P-256, P-384 or P-521"))
}
