//! Strict JSON for headers and claims sets.
//!
//! The scanner ([`crate::scan`]) accepts serde_json's syntax and bounds nesting (refusing
//! 128 levels and more). On top of it, duplicate member names are refused at every depth,
//! comparing names after unescaping, so `{"alg":"HS256","\u0061lg":"none"}` is refused
//! rather than read differently by two parsers. Only the top-level members that JOSE gives
//! a meaning to are captured, without building a tree.

use std::borrow::Cow;
use std::collections::BinaryHeap;
use std::fmt;

use crate::scan::Refusal;

/// How many top-level members are captured (see [`captured_index`]).
pub const CAPTURED: usize = 12;

/// The slot of a top-level member whose value is captured, in header and claims sets alike.
/// This runs for every top-level member: the three-letter names are matched as one 24-bit
/// integer (in wasm a `match` on strings became calls to memcmp).
#[inline]
pub fn captured_index(name: &str) -> Option<usize> {
    const fn key(name: &[u8; 3]) -> u32 {
        (name[0] as u32) << 16 | (name[1] as u32) << 8 | name[2] as u32
    }
    const ALG: u32 = key(b"alg");
    const TYP: u32 = key(b"typ");
    const KID: u32 = key(b"kid");
    const CTY: u32 = key(b"cty");
    const EXP: u32 = key(b"exp");
    const NBF: u32 = key(b"nbf");
    const IAT: u32 = key(b"iat");
    const AUD: u32 = key(b"aud");
    const ISS: u32 = key(b"iss");
    const SUB: u32 = key(b"sub");
    const JTI: u32 = key(b"jti");
    match *name.as_bytes() {
        [a, b, c] => Some(match key(&[a, b, c]) {
            ALG => 0,
            TYP => 1,
            KID => 2,
            CTY => 4,
            EXP => 5,
            NBF => 6,
            IAT => 7,
            AUD => 8,
            ISS => 9,
            SUB => 10,
            JTI => 11,
            _ => return None,
        }),
        [b'c', b'r', b'i', b't'] => Some(3),
        _ => None,
    }
}

/// The text of a name or string value. `Cow`'s own `Deref` stayed a call at opt-level "s"
/// (1.4% of a verify in wasm, profiled, in the loop that compares each member name with the
/// earlier ones; about as much again where names and claims are compared).
#[inline(always)]
#[allow(clippy::ptr_arg)] // The `Cow` itself, matched here, is the point.
pub(crate) fn text_of<'c>(text: &'c Cow<'_, str>) -> &'c str {
    match text {
        Cow::Borrowed(text) => text,
        Cow::Owned(text) => text.as_str(),
    }
}

/// The value of a captured member, as far as JOSE needs to know it.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    /// A JSON number, as an `f64`.
    Number(f64),
    /// A JSON string.
    Str(Cow<'a, str>),
    /// An array whose elements are all strings.
    StrArray(Vec<Cow<'a, str>>),
    /// Anything else; the name of its JSON type.
    Other(&'static str),
}

impl Value<'_> {
    /// The JSON type name, for messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Number(_) => "number",
            Value::Str(_) => "string",
            Value::StrArray(_) => "array",
            Value::Other(name) => name,
        }
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }
}

/// A JSON object's top-level member names, with the values of the captured ones.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Members<'a> {
    names: Vec<Cow<'a, str>>,
    captured: [Option<Value<'a>>; CAPTURED],
}

impl<'a> Members<'a> {
    /// Members from their names, in document order, and the captured values by slot (for
    /// `scan::scan_object`, and the tests' reference walker).
    pub fn from_parts(names: Vec<Cow<'a, str>>, captured: [Option<Value<'a>>; CAPTURED]) -> Members<'a> {
        Members { names, captured }
    }

    /// The value of a captured member (`alg`, `typ`, `kid`, `crit`, `cty`, `exp`, `nbf`,
    /// `iat`, `aud`, `iss`, `sub`, `jti`).
    #[inline]
    pub fn get(&self, name: &str) -> Option<&Value<'a>> {
        self.captured[captured_index(name)?].as_ref()
    }

    /// Whether a member of this name is present.
    pub fn contains(&self, name: &str) -> bool {
        self.names.iter().any(|n| n == name)
    }

    /// All member names, in document order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.names.iter().map(|n| n.as_ref())
    }
}

/// Where and why JSON parsing failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonFailure {
    /// What is wrong.
    pub message: String,
    /// Byte offset in the JSON text (approximate for some syntax errors).
    pub offset: usize,
    /// 1-based line, as `serde_json` reports it.
    pub line: usize,
    /// 1-based column, as `serde_json` reports it.
    pub column: usize,
}

impl fmt::Display for JsonFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at line {} column {}", self.message, self.line, self.column)
    }
}

/// Parses `bytes` as a JSON object with unique member names at every depth (the one-pass
/// scanner, [`crate::scan`]).
pub fn parse_object(bytes: &[u8]) -> std::result::Result<Members<'_>, JsonFailure> {
    crate::scan::scan_object(bytes).map_err(|refusal| failure(bytes, refusal))
}

/// Checks that `bytes` is one JSON value with unique member names at every depth.
pub fn check_value(bytes: &[u8]) -> std::result::Result<(), JsonFailure> {
    crate::scan::scan_tree(bytes).map(drop).map_err(|refusal| failure(bytes, refusal))
}

/// A refusal with its line and column (1-based; columns count bytes, as serde_json's do).
pub(crate) fn failure(bytes: &[u8], refusal: Refusal) -> JsonFailure {
    let offset = refusal.offset.min(bytes.len());
    let before = &bytes[..offset];
    let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
    let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    JsonFailure { message: refusal.reason.into_owned(), offset, line, column: offset - line_start + 1 }
}

/// Objects with more members than this are checked for duplicates once, sorted, when they
/// end; smaller ones by a linear scan as each name arrives (no quadratic worst case).
pub const LINEAR_LIMIT: usize = 24;

/// A name that appears twice in an object of more than [`LINEAR_LIMIT`] members (found once,
/// sorted, when the object ends); `None` for smaller objects, which the linear scan checked.
/// Public for the tests' reference walker, which checks large objects the same way.
pub fn duplicate_in_large_object<'n>(names: &'n [Cow<'_, str>]) -> Option<&'n str> {
    if names.len() <= LINEAR_LIMIT {
        return None;
    }
    // A heap sort: `into_sorted_vec` is a few hundred bytes of .wasm, `sort_unstable` 3 KB,
    // and this runs only for large objects; both are O(n log n) in the worst case.
    let sorted = BinaryHeap::from_iter(names.iter().map(|n| n.as_ref())).into_sorted_vec();
    sorted.windows(2).find(|w| w[0] == w[1]).map(|w| w[0])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn captures_registered_members_and_keeps_order() {
        let m = parse_object(br#"{"sub":"a","x":{"y":[1,2]},"exp":1.5,"aud":["p","q"]}"#).unwrap();
        assert_eq!(m.get("sub"), Some(&Value::Str("a".into())));
        assert_eq!(m.get("exp"), Some(&Value::Number(1.5)));
        assert_eq!(m.get("aud"), Some(&Value::StrArray(vec!["p".into(), "q".into()])));
        assert_eq!(m.names().collect::<Vec<_>>(), ["sub", "x", "exp", "aud"]);
    }

    #[test]
    fn large_objects_are_checked_for_duplicates_wherever_they_are() {
        let names = |n: usize| (0..n).map(|i| Cow::Owned(format!("m{i}"))).collect::<Vec<_>>();
        assert_eq!(duplicate_in_large_object(&names(LINEAR_LIMIT + 50)), None);
        for (first, second) in [(0, 1), (0, LINEAR_LIMIT + 49), (30, 7), (LINEAR_LIMIT + 48, LINEAR_LIMIT + 49)] {
            let mut with_duplicate = names(LINEAR_LIMIT + 50);
            with_duplicate[second] = with_duplicate[first].clone();
            assert_eq!(duplicate_in_large_object(&with_duplicate), Some(format!("m{first}").as_str()));
        }
        // Small objects are the linear scan's: this function does not look at them.
        assert_eq!(duplicate_in_large_object(&[Cow::Borrowed("a"), Cow::Borrowed("a")]), None);
    }

    #[test]
    fn every_captured_name_has_its_own_slot_and_near_misses_have_none() {
        let names = ["alg", "typ", "kid", "crit", "cty", "exp", "nbf", "iat", "aud", "iss", "sub", "jti"];
        let slots: Vec<usize> = names.iter().map(|n| captured_index(n).unwrap()).collect();
        assert_eq!(slots, (0..CAPTURED).collect::<Vec<_>>());
        for miss in ["", "al", "algs", "Alg", "crit ", "cri", "exq", "\u{0}lg", "jtj", "aud\0"] {
            assert_eq!(captured_index(miss), None, "{miss:?}");
        }
    }

    #[test]
    fn refuses_duplicates_after_unescaping_at_any_depth() {
        assert!(parse_object(br#"{"alg":"HS256","\u0061lg":"none"}"#).is_err());
        assert!(parse_object(br#"{"a":{"b":1,"b":2}}"#).is_err());
        assert!(parse_object(br#"{"a":[{"b":1,"b":2}]}"#).is_err());
    }

    #[test]
    fn duplicate_detection_switches_to_a_set_for_large_objects() {
        let mut text = String::from("{");
        for i in 0..100 {
            text.push_str(&format!("\"k{i}\":{i},"));
        }
        text.push_str("\"k7\":0}");
        let e = parse_object(text.as_bytes()).unwrap_err();
        assert!(e.message.contains("duplicate member name \"k7\""), "{}", e.message);
    }

    #[test]
    fn refuses_non_objects_trailing_data_and_deep_nesting() {
        assert!(parse_object(b"[1]").is_err());
        assert!(parse_object(b"{} x").is_err());
        let deep = format!("{{\"a\":{}{}}}", "[".repeat(100_000), "]".repeat(100_000));
        let e = parse_object(deep.as_bytes()).unwrap_err();
        assert_eq!(e.message, "nesting is deeper than 127 levels");
    }

    #[test]
    fn every_refusal_has_a_reason_and_the_offending_offset() {
        // (input, reason, the offending text from the offset on)
        let cases: [(&[u8], &str, &[u8]); 22] = [
            (b"", "EOF while parsing the JSON text", b""),
            (b"{\"a\":1", "EOF while parsing the JSON text", b""),
            (b"{\"a\":\"x", "EOF while parsing the JSON text", b""),
            (b"[1]", "expected a JSON object", b"[1]"),
            (b"{1:2}", "key must be a string", b"1:2}"),
            (b"{\"a\":1,}", "key must be a string", b"}"),
            (b"{\"a\" 1}", "expected `:`", b"1}"),
            (b"{\"a\":}", "expected value", b"}"),
            (b"{\"a\":tru}", "expected value", b"}"),
            (b"{\"a\":1 2}", "expected `,` or `}`", b"2}"),
            (b"{\"a\":[1 2]}", "expected `,` or `]`", b"2]}"),
            (b"{\"a\":{\"b\":1 2}}", "expected `,` or `}`", b"2}}"),
            (b"{\"a\":[[1 2]]}", "expected `,` or `]`", b"2]]}"),
            (b"{} x", "trailing characters", b"x"),
            (b"{\"a\":\"\x01\"}", "control character (\\u0000-\\u001F) found while parsing a string", b"\x01\"}"),
            (b"{\"a\":\"\\x\"}", "invalid escape", b"\\x\"}"),
            (b"{\"a\":\"\\ud800\"}", "invalid escape", b"\\ud800\"}"),
            (b"{\"a\":01}", "invalid number", b"1}"),
            (b"{\"a\":1.}", "invalid number", b"}"),
            (b"{\"a\":1e999}", "number out of range", b"1e999}"),
            (b"{\"a\":\"\xff\"}", "invalid UTF-8", b"\xff\"}"),
            (b"{\"a\":1,\"a\":2}", "duplicate member name \"a\"", b":2}"),
        ];
        for (input, reason, rest) in cases {
            let e = parse_object(input).unwrap_err();
            let shown = String::from_utf8_lossy(input);
            assert_eq!((e.message.as_str(), &input[e.offset..]), (reason, rest), "{shown}");
            assert!(check_value(input).is_err() || input == b"[1]", "{shown}");
        }
        let deep = format!("{{\"a\":{}1{}}}", "[".repeat(200), "]".repeat(200));
        let e = parse_object(deep.as_bytes()).unwrap_err();
        assert_eq!((e.message.as_str(), e.offset), ("nesting is deeper than 127 levels", 5 + 126));
    }

    #[test]
    fn reports_the_offset_of_a_syntax_error() {
        let text = b"{\"a\":1,\n \"b\":}";
        let e = parse_object(text).unwrap_err();
        assert_eq!(e.line, 2);
        assert_eq!(text[e.offset], b'}');
    }
}
