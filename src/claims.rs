//! Claim validation (RFC 7519 section 4.1), in the contract's order: `exp`, `nbf`, `iat`
//! (with `maxAge`), `aud`, `iss`, `sub`, `jti`, then required claims.
//!
//! Times are seconds since the epoch; `now` comes from the caller, so tests are exact.

use crate::error::{shortened, Error, ErrorKind, Result};
use crate::json::{self, Members, Value};
use crate::options::VerifyOptions;

/// Checks the header `typ` against `options.typ`.
pub fn check_typ(header: &Members<'_>, options: &VerifyOptions) -> Result<()> {
    let Some(expected) = options.typ.as_deref() else {
        return Ok(());
    };
    let actual = header.get("typ").and_then(Value::as_str);
    if actual.is_some_and(|actual| normalise_media_type(actual).eq_ignore_ascii_case(normalise_media_type(expected))) {
        Ok(())
    } else {
        Err(typ_error())
    }
}

/// The error for a header `typ` other than the one required.
pub fn typ_error() -> Error {
    Error::new(ErrorKind::ClaimInvalid, "unexpected \"typ\" JWT header value").with_claim("typ")
}

fn normalise_media_type(text: &str) -> &str {
    match text.split_at_checked(12) {
        Some((prefix, rest)) if prefix.eq_ignore_ascii_case("application/") => rest,
        _ => text,
    }
}

/// A NumericDate claim, if present; refuses any other JSON type.
pub fn numeric_date(claims: &Members<'_>, name: &'static str) -> Result<Option<f64>> {
    match claims.get(name) {
        None => Ok(None),
        Some(Value::Number(n)) => Ok(Some(*n)),
        Some(_) => Err(Error::new(ErrorKind::ClaimInvalid, format!("invalid {name} value")).with_claim(name)),
    }
}

/// Validates the claims set against `options` at time `now`.
pub fn validate(claims: &Members<'_>, options: &VerifyOptions, now: f64) -> Result<()> {
    let tolerance = options.clock_tolerance;
    let exp = numeric_date(claims, "exp")?;
    let nbf = numeric_date(claims, "nbf")?;
    let iat = numeric_date(claims, "iat")?;

    if let Some(exp) = exp {
        if !options.ignore_expiration && now >= exp + tolerance {
            return Err(Error::new(ErrorKind::Expired, "jwt expired").with_claim("exp").with_time(exp));
        }
    }
    if let Some(nbf) = nbf {
        if !options.ignore_not_before && nbf > now + tolerance {
            return Err(Error::new(ErrorKind::NotActive, "jwt not active").with_claim("nbf").with_time(nbf));
        }
    }
    if let Some(max_age) = options.max_age {
        let Some(iat) = iat else {
            return Err(Error::new(ErrorKind::ClaimMissing, "iat required when maxAge is specified").with_claim("iat"));
        };
        if now - iat > max_age + tolerance {
            return Err(Error::new(ErrorKind::Expired, "maxAge exceeded").with_claim("iat").with_time(iat + max_age));
        }
        if iat > now + tolerance {
            return Err(Error::new(ErrorKind::ClaimInvalid, "iat is in the future").with_claim("iat"));
        }
    }
    check_audience(claims, &options.audience)?;
    check_one_of(claims, "iss", &options.issuer, "issuer")?;
    if let Some(subject) = &options.subject {
        check_one_of(claims, "sub", std::slice::from_ref(subject), "subject")?;
    }
    if let Some(jwtid) = &options.jwtid {
        check_one_of(claims, "jti", std::slice::from_ref(jwtid), "jwtid")?;
    }
    for name in &options.required_claims {
        if !claims.contains(name) {
            let shown = shortened(name, 64);
            return Err(Error::new(ErrorKind::ClaimMissing, format!("missing required \"{shown}\" claim"))
                .with_claim(name.clone()));
        }
    }
    Ok(())
}

fn check_audience(claims: &Members<'_>, expected: &[String]) -> Result<()> {
    if expected.is_empty() {
        return Ok(());
    }
    let error =
        |kind| Error::new(kind, format!("jwt audience invalid. expected: {}", expected.join(" or "))).with_claim("aud");
    match claims.get("aud") {
        None => Err(error(ErrorKind::ClaimMissing)),
        Some(Value::Str(aud)) if expected.iter().any(|e| e == json::text_of(aud)) => Ok(()),
        Some(Value::StrArray(auds)) if auds.iter().any(|aud| expected.iter().any(|e| e == json::text_of(aud))) => {
            Ok(())
        }
        Some(_) => Err(error(ErrorKind::ClaimInvalid)),
    }
}

fn check_one_of(claims: &Members<'_>, claim: &'static str, expected: &[String], option: &str) -> Result<()> {
    if expected.is_empty() {
        return Ok(());
    }
    let message = || format!("jwt {option} invalid. expected: {}", expected.join(","));
    match claims.get(claim) {
        None => Err(Error::new(ErrorKind::ClaimMissing, message()).with_claim(claim)),
        Some(Value::Str(actual)) if expected.iter().any(|e| e == json::text_of(actual)) => Ok(()),
        Some(_) => Err(Error::new(ErrorKind::ClaimInvalid, message()).with_claim(claim)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse_object;

    fn check(claims: &str, options: &VerifyOptions, now: f64) -> Result<()> {
        validate(&parse_object(claims.as_bytes()).unwrap(), options, now)
    }

    #[test]
    fn expiry_boundary_is_exclusive_and_tolerance_extends_it() {
        let o = VerifyOptions::default();
        assert!(check(r#"{"exp":100}"#, &o, 99.0).is_ok());
        let e = check(r#"{"exp":100}"#, &o, 100.0).unwrap_err();
        assert_eq!((e.code(), e.time()), ("ERR_JWT_EXPIRED", Some(100.0)));
        let tolerant = VerifyOptions { clock_tolerance: 5.0, ..VerifyOptions::default() };
        assert!(check(r#"{"exp":100}"#, &tolerant, 104.0).is_ok());
        assert!(check(r#"{"exp":100}"#, &tolerant, 105.0).is_err());
    }

    #[test]
    fn not_before_boundary_is_inclusive() {
        let o = VerifyOptions::default();
        assert!(check(r#"{"nbf":100}"#, &o, 100.0).is_ok());
        assert_eq!(check(r#"{"nbf":100}"#, &o, 99.0).unwrap_err().code(), "ERR_JWT_NOT_ACTIVE");
    }

    #[test]
    fn times_must_be_numbers() {
        let e = check(r#"{"exp":"100"}"#, &VerifyOptions::default(), 0.0).unwrap_err();
        assert_eq!((e.code(), e.claim()), ("ERR_JWT_CLAIM_INVALID", Some("exp")));
    }
}
