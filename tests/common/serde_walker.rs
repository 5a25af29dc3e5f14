//! The reference the scanner is tested against: serde_json's deserializer (with
//! `float_roundtrip`, so numbers round correctly) and a walker over it that refuses
//! duplicate member names at every depth and captures the members JOSE defines, as
//! `json::parse_object` does. Used by `tests/scan_differential.rs` and the fuzz targets.

// Each includer uses part of it.
#![allow(dead_code)]

use std::borrow::Cow;
use std::fmt;

use jwtkit::json::{captured_index, duplicate_in_large_object, JsonFailure, Members, Value, CAPTURED, LINEAR_LIMIT};
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

/// [`parse_object`] by serde_json's deserializer and a walker over it: the reference the
/// scanner is tested against, and the source of error messages.
pub fn parse_object_with_serde_json(bytes: &[u8]) -> std::result::Result<Members<'_>, JsonFailure> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let mut names = Vec::with_capacity(16);
    let mut captured: [Option<Value<'_>>; CAPTURED] = Default::default();
    let parsed = TopLevel { names: &mut names, captured: &mut captured }
        .deserialize(&mut deserializer)
        .and_then(|()| deserializer.end());
    parsed.map(|()| Members::from_parts(names, captured)).map_err(|e| failure(bytes, &e))
}

/// Checks that `bytes` is one JSON value with unique member names at every depth.
pub fn check_value_with_serde_json(bytes: &[u8]) -> std::result::Result<(), JsonFailure> {
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
    names: &'m mut NameStack<'de>,
    captured: &'m mut [Option<Value<'de>>; CAPTURED],
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
        let TopLevel { names, captured } = self;
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
