//! Strict JSON for headers and claims sets.
//!
//! `serde_json` does the parsing (and bounds nesting, refusing 128 levels and more, without recursing
//! further). On top of it this module refuses duplicate member names at every depth,
//! comparing names after unescaping, so `{"alg":"HS256","\u0061lg":"none"}` is refused
//! rather than read differently by two parsers. It also captures, without building a
//! tree, the top-level members that JOSE gives a meaning to.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

/// How many top-level members are captured (see [`captured_index`]).
pub(crate) const CAPTURED: usize = 12;

/// The slot of a top-level member whose value is captured, in header and claims sets alike.
/// This runs for every top-level member: the three-letter names are matched as one 24-bit
/// integer (in wasm a `match` on strings became calls to memcmp).
#[inline]
pub(crate) fn captured_index(name: &str) -> Option<usize> {
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
    /// `scan::scan_object`).
    pub(crate) fn from_parts(names: Vec<Cow<'a, str>>, captured: [Option<Value<'a>>; CAPTURED]) -> Members<'a> {
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

/// Parses `bytes` as a JSON object with unique member names at every depth.
///
/// The one-pass scanner ([`crate::scan`]) does the work; when it refuses, serde_json runs
/// for the message and position (and, were the two ever to disagree, its verdict stands:
/// the scanner is differential-tested against it).
pub fn parse_object(bytes: &[u8]) -> std::result::Result<Members<'_>, JsonFailure> {
    match crate::scan::scan_object(bytes) {
        Some(members) => Ok(members),
        None => parse_object_with_serde_json(bytes),
    }
}

/// [`parse_object`] by serde_json's deserializer and a walker over it: the reference the
/// scanner is tested against, and the source of error messages.
pub fn parse_object_with_serde_json(bytes: &[u8]) -> std::result::Result<Members<'_>, JsonFailure> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let mut members = Members { names: Vec::with_capacity(16), captured: Default::default() };
    let parsed = TopLevel { members: &mut members }.deserialize(&mut deserializer).and_then(|()| deserializer.end());
    parsed.map(|()| members).map_err(|e| failure(bytes, &e))
}

/// Checks that `bytes` is one JSON value with unique member names at every depth.
pub fn check_value(bytes: &[u8]) -> std::result::Result<(), JsonFailure> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let mut names = Vec::new();
    let checked = Strict { names: &mut names }.deserialize(&mut deserializer).and_then(|()| deserializer.end());
    checked.map_err(|e| failure(bytes, &e))
}

fn failure(bytes: &[u8], error: &serde_json::Error) -> JsonFailure {
    let (line, column) = (error.line(), error.column());
    let full = error.to_string();
    // serde_json appends " at line L column C"; keep the reason only.
    let message = full.split(" at line ").next().unwrap_or(&full).to_owned();
    let message =
        if message == "recursion limit exceeded" { "nesting is deeper than 127 levels".to_owned() } else { message };
    JsonFailure { message, offset: offset_of(bytes, line, column), line, column }
}

fn offset_of(bytes: &[u8], line: usize, column: usize) -> usize {
    let mut current_line = 1;
    let mut line_start = 0;
    for (i, b) in bytes.iter().enumerate() {
        if current_line == line {
            break;
        }
        if *b == b'\n' {
            current_line += 1;
            line_start = i + 1;
        }
    }
    (line_start + column.saturating_sub(1)).min(bytes.len())
}

/// Objects with more members than this are checked for duplicates once, sorted, when they
/// end; smaller ones by a linear scan as each name arrives (no quadratic worst case).
pub(crate) const LINEAR_LIMIT: usize = 24;

/// Member names of the objects being parsed, as one stack shared by the whole document:
/// an object pushes its names and pops them when it ends, so nesting costs no allocation.
type NameStack<'de> = Vec<Cow<'de, str>>;

/// Adds a member name of the object whose names start at `start`; refuses a duplicate
/// found by the linear scan.
fn push_name<'de, E: de::Error>(names: &mut NameStack<'de>, start: usize, name: Cow<'de, str>) -> Result<(), E> {
    if names.len() - start < LINEAR_LIMIT && names[start..].contains(&name) {
        return Err(duplicate(&name));
    }
    names.push(name);
    Ok(())
}

/// The duplicate check for objects too large for the linear scan.
fn check_large_object<E: de::Error>(names: &[Cow<'_, str>]) -> Result<(), E> {
    match duplicate_in_large_object(names) {
        Some(name) => Err(duplicate(name)),
        None => Ok(()),
    }
}

/// A name that appears twice in an object of more than [`LINEAR_LIMIT`] members (found once,
/// sorted, when the object ends); `None` for smaller objects, which the linear scan checked.
/// Shared by this walker and the scanner ([`crate::scan`]).
pub(crate) fn duplicate_in_large_object<'n>(names: &'n [Cow<'_, str>]) -> Option<&'n str> {
    if names.len() <= LINEAR_LIMIT {
        return None;
    }
    let mut sorted: Vec<&str> = names.iter().map(|n| n.as_ref()).collect();
    sorted.sort_unstable();
    sorted.windows(2).find(|w| w[0] == w[1]).map(|w| w[0])
}

fn duplicate<E: de::Error>(name: &str) -> E {
    let shown: String = name.chars().take(64).collect();
    E::custom(format_args!("duplicate member name \"{shown}\""))
}

/// A member name, borrowed from the input when it has no escapes.
struct Name<'a>(Cow<'a, str>);

impl<'de> de::Deserialize<'de> for Name<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct NameVisitor;
        impl<'de> Visitor<'de> for NameVisitor {
            type Value = Name<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a member name")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Name<'de>, E> {
                Ok(Name(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Name<'de>, E> {
                Ok(Name(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E>(self, v: String) -> Result<Name<'de>, E> {
                Ok(Name(Cow::Owned(v)))
            }
        }
        d.deserialize_str(NameVisitor)
    }
}

/// Walks the members of a nested object, refusing duplicates, then pops its names.
fn walk_object<'de, A: MapAccess<'de>>(names: &mut NameStack<'de>, mut map: A) -> Result<(), A::Error> {
    let start = names.len();
    while let Some(Name(name)) = map.next_key::<Name<'de>>()? {
        push_name(names, start, name)?;
        map.next_value_seed(Strict { names: &mut *names })?;
    }
    let checked = check_large_object(&names[start..]);
    names.truncate(start);
    checked
}

/// Walks any JSON value, refusing duplicate member names; builds nothing.
struct Strict<'n, 'de> {
    names: &'n mut NameStack<'de>,
}

impl<'de> DeserializeSeed<'de> for Strict<'_, 'de> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Strict<'_, 'de> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(Strict { names: &mut *self.names })?.is_some() {}
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        walk_object(self.names, map)
    }
}

/// The top level: must be an object; keeps its member names and captures the members
/// JOSE defines.
struct TopLevel<'m, 'de> {
    members: &'m mut Members<'de>,
}

impl<'de> DeserializeSeed<'de> for TopLevel<'_, 'de> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for TopLevel<'_, 'de> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let Members { names, captured } = self.members;
        while let Some(Name(name)) = map.next_key::<Name<'de>>()? {
            let slot = captured_index(&name);
            push_name(names, 0, name)?;
            match slot {
                Some(index) => captured[index] = Some(map.next_value_seed(Captured { names: &mut *names })?),
                None => map.next_value_seed(Strict { names: &mut *names })?,
            }
        }
        check_large_object(names)
    }
}

/// A captured member's value.
struct Captured<'n, 'de> {
    names: &'n mut NameStack<'de>,
}

impl<'de> DeserializeSeed<'de> for Captured<'_, 'de> {
    type Value = Value<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value<'de>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Captured<'_, 'de> {
    type Value = Value<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<Value<'de>, E> {
        Ok(Value::Other("boolean"))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value<'de>, E> {
        Ok(Value::Number(v as f64))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value<'de>, E> {
        Ok(Value::Number(v as f64))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value<'de>, E> {
        Ok(Value::Number(v))
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Value<'de>, E> {
        Ok(Value::Str(Cow::Borrowed(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value<'de>, E> {
        Ok(Value::Str(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E>(self, v: String) -> Result<Value<'de>, E> {
        Ok(Value::Str(Cow::Owned(v)))
    }
    fn visit_unit<E>(self) -> Result<Value<'de>, E> {
        Ok(Value::Other("null"))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value<'de>, A::Error> {
        let mut strings = Vec::new();
        let mut all_strings = true;
        while let Some(element) = seq.next_element_seed(Captured { names: &mut *self.names })? {
            match element {
                Value::Str(s) if all_strings => strings.push(s),
                _ => all_strings = false,
            }
        }
        Ok(if all_strings { Value::StrArray(strings) } else { Value::Other("array") })
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Value<'de>, A::Error> {
        walk_object(self.names, map)?;
        Ok(Value::Other("object"))
    }
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
    fn reports_the_offset_of_a_syntax_error() {
        let text = b"{\"a\":1,\n \"b\":}";
        let e = parse_object(text).unwrap_err();
        assert_eq!(e.line, 2);
        assert_eq!(text[e.offset], b'}');
    }
}
