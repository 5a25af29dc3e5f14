//! PEM armor (RFC 7468): finding the key block in a text and writing one.
//!
//! Reading is lenient about layout, as OpenSSL is: text before, between and after blocks is
//! ignored (`Bag Attributes`, a certificate's text dump), whitespace inside the base64 may be
//! anything (any line width, `\r\n`, one long line), and the padding `=` may be left out. It
//! is strict about the rest: `BEGIN` and `END` labels must match, the base64 alphabet is the
//! standard one, and legacy encrypted blocks (`Proc-Type: 4,ENCRYPTED`) are refused.

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine;
use zeroize::Zeroizing;

use crate::error::Result;
use crate::kind::invalid;

const BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_encode_padding(true).with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// The labels of the blocks a key is taken from, in the order messages list them.
pub const KEY_LABELS: [&str; 6] =
    ["PUBLIC KEY", "RSA PUBLIC KEY", "PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY", "CERTIFICATE"];

/// One decoded PEM block.
pub struct Block {
    /// The label, e.g. `PUBLIC KEY`: one of [`KEY_LABELS`].
    pub label: &'static str,
    /// The DER bytes. Wiped on drop: they may be a private key.
    pub der: Zeroizing<Vec<u8>>,
}

/// The first block of `text` whose label is one of [`KEY_LABELS`]. Blocks with other labels
/// before it (such as the `EC PARAMETERS` that `openssl ecparam -genkey` writes first) are
/// skipped; blocks after it are ignored (the rest of a certificate chain, say).
pub fn first_key_block(text: &str) -> Result<Block> {
    let mut rest = text;
    let mut skipped: Option<String> = None;
    loop {
        let Some(start) = rest.find("-----BEGIN ") else {
            return Err(match skipped {
                None => invalid("no PEM block found: a PEM key starts with a line like -----BEGIN PUBLIC KEY-----"),
                Some(label) => invalid(format!(
                    "unsupported PEM block \"{label}\": expected PUBLIC KEY, RSA PUBLIC KEY, PRIVATE KEY, RSA PRIVATE KEY, EC PRIVATE KEY or CERTIFICATE"
                )),
            });
        };
        let after_begin = &rest[start + "-----BEGIN ".len()..];
        let label_end = after_begin
            .find("-----")
            .filter(|&end| !after_begin[..end].contains(['\n', '\r']))
            .ok_or_else(|| invalid("malformed PEM: a -----BEGIN line does not end with -----"))?;
        let label = &after_begin[..label_end];
        let body_and_rest = &after_begin[label_end + "-----".len()..];
        let end_line = format!("-----END {label}-----");
        let body_end = body_and_rest.find(&end_line).ok_or_else(|| {
            invalid(format!("malformed PEM: the block \"{}\" has no matching END line", shown(label)))
        })?;
        let body = &body_and_rest[..body_end];
        rest = &body_and_rest[body_end + end_line.len()..];

        if label == "ENCRYPTED PRIVATE KEY" {
            return Err(invalid("encrypted private keys are not supported: decrypt the key first"));
        }
        let Some(known) = KEY_LABELS.iter().find(|known| **known == label) else {
            skipped.get_or_insert_with(|| shown(label));
            continue;
        };
        if body.contains(':') {
            // RFC 1421 headers, used only by legacy encryption (`Proc-Type: 4,ENCRYPTED`).
            return Err(invalid("encrypted private keys are not supported: decrypt the key first"));
        }
        let compact: Zeroizing<Vec<u8>> = Zeroizing::new(body.bytes().filter(|b| !b.is_ascii_whitespace()).collect());
        let der = BASE64
            .decode(&*compact)
            .map_err(|_| invalid(format!("malformed PEM: the body of the block \"{known}\" is not valid base64")))?;
        if der.is_empty() {
            return Err(invalid(format!("malformed PEM: the block \"{known}\" is empty")));
        }
        return Ok(Block { label: known, der: Zeroizing::new(der) });
    }
}

impl std::fmt::Debug for Block {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Block({}, {} bytes)", self.label, self.der.len())
    }
}

/// `der` as a PEM block with `label`: base64 in lines of 64 characters, `\n` line ends.
pub fn encode(label: &str, der: &[u8]) -> String {
    let body = Zeroizing::new(BASE64.encode(der));
    let mut out = String::with_capacity(body.len() + body.len() / 64 + 2 * label.len() + 40);
    out.push_str("-----BEGIN ");
    out.push_str(label);
    out.push_str("-----\n");
    for line in body.as_bytes().chunks(64) {
        // base64 output is ASCII, so every chunk is valid UTF-8.
        out.push_str(std::str::from_utf8(line).unwrap_or_default());
        out.push('\n');
    }
    out.push_str("-----END ");
    out.push_str(label);
    out.push_str("-----\n");
    out
}

/// A label for a message: labels are short ASCII words, but the text is the caller's.
fn shown(label: &str) -> String {
    label.chars().take(40).filter(|c| c.is_ascii_graphic() || *c == ' ').collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_unknown_blocks_and_takes_the_first_key_block() {
        let text = "junk\n-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n\
                    -----BEGIN PUBLIC KEY-----\r\nAQID\r\n-----END PUBLIC KEY-----\n\
                    -----BEGIN CERTIFICATE-----\nBAUG\n-----END CERTIFICATE-----\n";
        let block = first_key_block(text).unwrap();
        assert_eq!((block.label, &block.der[..]), ("PUBLIC KEY", &[1u8, 2, 3][..]));
    }

    #[test]
    fn refuses_mismatched_labels_bad_base64_and_encrypted_blocks() {
        let mismatched = "-----BEGIN PUBLIC KEY-----\nAQID\n-----END PRIVATE KEY-----\n";
        assert!(first_key_block(mismatched).unwrap_err().message().contains("no matching END"));
        let bad = "-----BEGIN PUBLIC KEY-----\nAQ*D\n-----END PUBLIC KEY-----\n";
        assert!(first_key_block(bad).unwrap_err().message().contains("base64"));
        let legacy = "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n\nAQID\n-----END RSA PRIVATE KEY-----\n";
        assert!(first_key_block(legacy).unwrap_err().message().contains("encrypted"));
        let unknown = "-----BEGIN OPENSSH PRIVATE KEY-----\nAQID\n-----END OPENSSH PRIVATE KEY-----\n";
        assert!(first_key_block(unknown).unwrap_err().message().contains("\"OPENSSH PRIVATE KEY\""));
        assert!(first_key_block("hello").unwrap_err().message().contains("no PEM block"));
    }

    #[test]
    fn encodes_in_lines_of_64() {
        let pem = encode("PUBLIC KEY", &[7u8; 100]);
        let lines: Vec<&str> = pem.lines().collect();
        assert_eq!(lines[0], "-----BEGIN PUBLIC KEY-----");
        assert_eq!(lines[1].len(), 64);
        assert_eq!(lines.last(), Some(&"-----END PUBLIC KEY-----"));
        assert_eq!(&first_key_block(&pem).unwrap().der[..], &[7u8; 100][..]);
    }
}
