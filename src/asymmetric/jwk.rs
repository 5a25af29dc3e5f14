//! JWKs of `kty` `RSA`, `EC` and `OKP` (RFC 7517, RFC 7518 6.2 and 6.3, RFC 8037 2): reading
//! them strictly and writing them with members in RFC 7638 order.

use std::fmt;

use jwtkit_keys::ec::{Curve, EcKey};
use jwtkit_keys::kind::{invalid, Kind};
use jwtkit_keys::okp::{self, Ed25519Key};
use jwtkit_keys::rsa::RsaKey;
use zeroize::Zeroizing;

use crate::algorithm::Algorithm;
use crate::base64url;
use crate::error::{shortened, Result};
use crate::key::{JwkMembers, KeyMeta};
use crate::tree::{self, Object, Tree};

/// The members of a JWK this module reads; others are ignored (RFC 7517 4).
pub(super) struct Fields {
    members: JwkMembers,
    crv: Option<String>,
    x: Option<String>,
    y: Option<String>,
    n: Option<String>,
    e: Option<String>,
    d: Option<Secret>,
    p: Option<Secret>,
    q: Option<Secret>,
    dp: Option<Secret>,
    dq: Option<Secret>,
    qi: Option<Secret>,
    /// Whether `oth` (RSA multi-prime, any value but `null`) is present.
    oth: bool,
}

impl Fields {
    /// The members of `object`; `None` when `kty` is not a string or a member read here has
    /// the wrong type.
    pub(super) fn read(object: &Object<'_>) -> Option<Fields> {
        let text = |name| tree::optional_string(object, name);
        let secret = |name| tree::optional(object, name, |v| v.as_str().map(|s| Secret(Zeroizing::new(s.into())))).ok();
        Some(Fields {
            members: JwkMembers::read(object)?,
            crv: text("crv")?,
            x: text("x")?,
            y: text("y")?,
            n: text("n")?,
            e: text("e")?,
            d: secret("d")?,
            p: secret("p")?,
            q: secret("q")?,
            dp: secret("dp")?,
            dq: secret("dq")?,
            qi: secret("qi")?,
            oth: !matches!(object.get("oth"), None | Some(Tree::Null)),
        })
    }
}

/// A private member's text, wiped on drop.
struct Secret(Zeroizing<String>);

/// The message for a JWK whose members have the wrong JSON types. It names no values:
/// a parser's own message could quote one.
pub(super) const WRONG_TYPES: &str = "the JWK is not a JSON object with a string \"kty\" and string members \
     (crv, x, y, n, e, d, p, q, dp, dq, qi, kid, alg, use) and an array of strings \"key_ops\"";

/// The key and its metadata from a JWK's members.
pub(super) fn read(fields: Fields) -> Result<(Kind, KeyMeta)> {
    fields.members.check_key_ops()?;
    let kind = match fields.members.kty.as_str() {
        "RSA" => read_rsa(&fields)?,
        "EC" => read_ec(&fields)?,
        "OKP" => read_okp(&fields)?,
        "oct" => return Err(invalid("a JWK of kty \"oct\" is an HMAC secret, not an RSA, EC or OKP key")),
        other => {
            let kty = shortened(other, 16);
            return Err(invalid(format!("unsupported JWK kty \"{kty}\": expected RSA, EC or OKP")));
        }
    };
    let alg = match fields.members.alg.as_deref() {
        None => None,
        Some(name) => match name.parse::<Algorithm>() {
            Ok(alg) if kind.fits(alg) => Some(alg),
            Ok(alg) => {
                return Err(invalid(format!("the JWK's \"alg\" {alg} does not fit its key ({})", kind.description())))
            }
            Err(_) => {
                let name = shortened(name, 16);
                return Err(invalid(format!("the JWK's \"alg\" \"{name}\" is not a JWS signature algorithm")));
            }
        },
    };
    let members = &fields.members;
    Ok((
        kind,
        KeyMeta { kid: members.kid.clone(), alg, usage: members.usage.clone(), key_ops: members.key_ops.clone() },
    ))
}

fn read_rsa(f: &Fields) -> Result<Kind> {
    if f.oth {
        return Err(invalid("multi-prime RSA keys (\"oth\") are not supported"));
    }
    let n = public_member(&f.n, "n", "RSA")?;
    let e = public_member(&f.e, "e", "RSA")?;
    let crt = [&f.p, &f.q, &f.dp, &f.dq, &f.qi];
    let present = crt.iter().filter(|m| m.is_some()).count();
    let key = match &f.d {
        None if present > 0 => return Err(invalid("the RSA JWK has private members but no \"d\"")),
        None => RsaKey::from_public(&n, &e)?,
        Some(d) => {
            let d = secret_member(d, "d")?;
            match present {
                0 => RsaKey::from_private(&n, &e, &d, None)?,
                5 => {
                    let names = ["p", "q", "dp", "dq", "qi"];
                    let mut decoded = Vec::with_capacity(5);
                    for (member, name) in crt.iter().zip(names) {
                        decoded.push(secret_member(member.as_ref().expect("all five are present"), name)?);
                    }
                    let parts = [&decoded[0][..], &decoded[1][..], &decoded[2][..], &decoded[3][..], &decoded[4][..]];
                    RsaKey::from_private(&n, &e, &d, Some(parts))?
                }
                _ => {
                    return Err(invalid(
                        "a private RSA JWK has all of p, q, dp, dq and qi, or none of them (RFC 7518 6.3.2)",
                    ))
                }
            }
        }
    };
    Ok(Kind::Rsa(key))
}

fn read_ec(f: &Fields) -> Result<Kind> {
    let crv = f.crv.as_deref().ok_or_else(|| invalid("an EC JWK needs \"crv\""))?;
    let curve = Curve::from_name(crv).ok_or_else(|| {
        let crv = shortened(crv, 16);
        invalid(format!("unsupported EC curve \"{crv}\": expected P-256, P-384 or P-521"))
    })?;
    let len = curve.scalar_len();
    let x = public_member(&f.x, "x", "EC")?;
    let y = public_member(&f.y, "y", "EC")?;
    for (name, value) in [("x", &x), ("y", &y)] {
        if value.len() != len {
            return Err(invalid(format!(
                "the EC JWK's \"{name}\" has {} bytes; on {} it has exactly {len} (RFC 7518 6.2.1)",
                value.len(),
                curve.name()
            )));
        }
    }
    let mut point = Vec::with_capacity(1 + 2 * len);
    point.push(0x04);
    point.extend_from_slice(&x);
    point.extend_from_slice(&y);
    let key = match &f.d {
        None => EcKey::from_public_point(curve, &point)?,
        Some(d) => {
            let d = secret_member(d, "d")?;
            if d.len() != len {
                return Err(invalid(format!(
                    "the EC JWK's \"d\" has {} bytes; on {} it has exactly {len} (RFC 7518 6.2.2.1)",
                    d.len(),
                    curve.name()
                )));
            }
            EcKey::from_private_scalar(curve, &d, Some(&point))?
        }
    };
    Ok(Kind::Ec(key))
}

fn read_okp(f: &Fields) -> Result<Kind> {
    let crv = f.crv.as_deref().ok_or_else(|| invalid("an OKP JWK needs \"crv\""))?;
    match crv {
        "Ed25519" => {}
        "Ed448" => return Err(invalid("Ed448 keys are not supported: EdDSA here means Ed25519")),
        "X25519" | "X448" => return Err(invalid("an X25519 or X448 key is for key agreement, not signatures")),
        other => {
            let crv = shortened(other, 16);
            return Err(invalid(format!("unsupported OKP curve \"{crv}\": expected Ed25519")));
        }
    }
    let x = public_member(&f.x, "x", "OKP")?;
    if x.len() != okp::LEN {
        return Err(invalid(format!("the Ed25519 JWK's \"x\" has {} bytes, not {}", x.len(), okp::LEN)));
    }
    let key = match &f.d {
        None => Ed25519Key::from_public(&x)?,
        Some(d) => {
            let d = secret_member(d, "d")?;
            if d.len() != okp::LEN {
                return Err(invalid(format!("the Ed25519 JWK's \"d\" has {} bytes, not {}", d.len(), okp::LEN)));
            }
            Ed25519Key::from_private(&d, Some(&x))?
        }
    };
    Ok(Kind::Ed25519(key))
}

fn public_member(value: &Option<String>, name: &str, kty: &str) -> Result<Vec<u8>> {
    let text = value.as_deref().ok_or_else(|| invalid(format!("a JWK of kty \"{kty}\" needs \"{name}\"")))?;
    base64url::decode(text).map_err(|_| not_base64url(name))
}

fn secret_member(value: &Secret, name: &str) -> Result<Zeroizing<Vec<u8>>> {
    base64url::decode(&value.0).map(Zeroizing::new).map_err(|_| not_base64url(name))
}

fn not_base64url(name: &str) -> crate::Error {
    invalid(format!("the JWK's \"{name}\" is not base64url (unpadded, with - and _)"))
}

/// The JWK text of `kind`: the required public members in the lexicographic order of RFC
/// 7638 3.2, then (`private`) the private members in the order of RFC 7518, then `alg`.
/// Without private members or `alg` it is exactly the RFC 7638 thumbprint input.
pub(super) fn write(kind: &Kind, private: bool, alg: Option<Algorithm>) -> Result<String> {
    // Sized up front so that no copy of private members is left behind by a reallocation.
    let size = match kind {
        Kind::Rsa(key) => key.bits() / 8,
        Kind::Ec(key) => key.curve().scalar_len(),
        Kind::Ed25519(_) => okp::LEN,
    };
    let mut out = Json(String::with_capacity(128 + 8 * size));
    out.0.push('{');
    match kind {
        Kind::Rsa(key) => {
            let members = key.components()?;
            out.member("e", &members.e);
            out.str_member("kty", "RSA");
            out.member("n", &members.n);
            if let (true, Some(private)) = (private, &members.private) {
                for (name, value) in ["d", "p", "q", "dp", "dq", "qi"].into_iter().zip(private) {
                    out.member(name, value);
                }
            }
        }
        Kind::Ec(key) => {
            let point = key.public_point();
            let len = key.curve().scalar_len();
            out.str_member("crv", key.curve().name());
            out.str_member("kty", "EC");
            out.member("x", &point[1..1 + len]);
            out.member("y", &point[1 + len..]);
            if let (true, Some(d)) = (private, key.private_scalar()) {
                out.member("d", &d);
            }
        }
        Kind::Ed25519(key) => {
            out.str_member("crv", "Ed25519");
            out.str_member("kty", "OKP");
            out.member("x", &key.public_bytes());
            if let (true, Some(d)) = (private, key.private_bytes()) {
                out.member("d", &d[..]);
            }
        }
    }
    if let Some(alg) = alg {
        out.str_member("alg", alg.name());
    }
    out.0.push('}');
    Ok(out.0)
}

/// Writes members whose names and values need no JSON escaping (ASCII names, base64url).
struct Json(String);

impl Json {
    fn comma(&mut self) {
        if !self.0.ends_with('{') {
            self.0.push(',');
        }
    }

    fn str_member(&mut self, name: &str, value: &str) {
        self.comma();
        let _ = fmt::Write::write_fmt(&mut self.0, format_args!("\"{name}\":\"{value}\""));
    }

    fn member(&mut self, name: &str, bytes: &[u8]) {
        self.comma();
        self.0.push('"');
        self.0.push_str(name);
        self.0.push_str("\":\"");
        base64url::encode_into(bytes, &mut self.0);
        self.0.push('"');
    }
}
