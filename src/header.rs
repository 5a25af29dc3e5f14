//! The protected header: `alg` checks before any key is touched, and `crit`.

use crate::algorithm::{self, Algorithm};
use crate::error::{Error, ErrorKind, Result};
use crate::json::{self, Members, Value};

/// Parses decoded header bytes as a strict JSON object.
pub fn parse(bytes: &[u8]) -> Result<Members<'_>> {
    json::parse_object(bytes).map_err(|e| Error::malformed(format!("jwt malformed: header: {}", e.message)))
}

/// The header's algorithm, if it is present, not `none`, and known; `crit` refused.
pub fn algorithm(header: &Members<'_>) -> Result<Algorithm> {
    let alg = match header.get("alg") {
        Some(Value::Str(alg)) => alg,
        Some(_) => return Err(Error::malformed("jwt malformed: header \"alg\" is not a string")),
        None => return Err(Error::malformed("jwt malformed: header has no \"alg\"")),
    };
    if algorithm::is_none(alg) {
        return Err(Error::new(ErrorKind::AlgorithmNotAllowed, "invalid algorithm"));
    }
    check_crit(header)?;
    alg.parse()
}

/// RFC 7515 4.1.11: `crit` names extensions the recipient must understand. This library
/// implements none, so any well-formed `crit` is refused, and a malformed one too.
fn check_crit(header: &Members<'_>) -> Result<()> {
    match header.get("crit") {
        None => Ok(()),
        Some(Value::StrArray(names)) if !names.is_empty() => {
            let shown: Vec<&str> = names.iter().take(4).map(|n| n.as_ref()).collect();
            Err(Error::new(
                ErrorKind::CritUnsupported,
                format!("unsupported critical header extension: {}", shown.join(", ")),
            ))
        }
        Some(_) => Err(Error::malformed("jwt malformed: \"crit\" must be a non-empty array of strings")),
    }
}

/// The header's `kid` when it is a string.
pub fn kid<'h>(header: &'h Members<'_>) -> Option<&'h str> {
    header.get("kid").and_then(Value::as_str)
}
