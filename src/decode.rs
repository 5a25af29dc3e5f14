//! Decoding WITHOUT verification. Nothing here checks a signature: never trust the result.

use crate::base64url;
use crate::error::{Error, Result};
use crate::header;
use crate::json;
use crate::token;

/// A token's parts, decoded but not verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unverified {
    /// The header JSON text.
    pub header: String,
    /// The payload JSON text.
    pub payload: String,
    /// The signature part, still base64url.
    pub signature: String,
}

/// Decodes a token with the same strict shape, base64url and JSON rules as verification,
/// but does not verify it.
pub fn decode_unverified(token: &str) -> Result<Unverified> {
    let parts = token::split(token)?;
    let header_bytes = base64url::decode(parts.header)?;
    header::parse(&header_bytes)?;
    let payload_bytes = base64url::decode(parts.payload)?;
    json::parse_object(&payload_bytes)
        .map_err(|e| Error::malformed(format!("jwt malformed: payload: {}", e.message)))?;
    base64url::decode(parts.signature)?;
    Ok(Unverified {
        header: String::from_utf8(header_bytes).map_err(|_| Error::malformed("jwt malformed"))?,
        payload: String::from_utf8(payload_bytes).map_err(|_| Error::malformed("jwt malformed"))?,
        signature: parts.signature.to_owned(),
    })
}
