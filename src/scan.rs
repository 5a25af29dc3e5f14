//! A one-pass scanner for the JSON objects of headers and claims sets.
//!
//! [`scan_object`] accepts exactly what [`json::parse_object_with_serde_json`] accepts (serde_json 1.x
//! `from_slice` syntax, unique member names at every depth after unescaping, at most 127
//! levels of nesting, numbers within `f64` range) and returns the same [`Members`], in one
//! pass without serde_json's deserializer (but for rare number shapes, below). It refuses
//! with `None` and no reason: the caller then runs [`json::parse_object_with_serde_json`] for the message
//! and position.
//!
//! Two observations keep it simple:
//! - Outside strings an accepted document is ASCII, and an escape is ASCII, so the document
//!   is valid UTF-8 exactly when every string in it is: one `str::from_utf8` of the whole
//!   input replaces the check of each string, and strings without escapes are then slices
//!   of that `str`.
//! - Numbers of the common shape (an integer of at most 15 digits) are converted here
//!   exactly; every other number goes to serde_json itself, so range errors and rounding
//!   are serde_json's.

use std::borrow::Cow;

use crate::json::{self, Members, Value, CAPTURED, LINEAR_LIMIT};
use crate::tree::{Object, Tree};

/// serde_json's recursion limit: 127 levels of objects and arrays, the top-level object
/// included, are accepted; the 128th is refused.
const MAX_DEPTH: usize = 127;

/// The most digits of an integer converted here (below 2^53, so exact as an `f64`).
const FAST_DIGITS: usize = 15;

/// Bytes that end the plain run of a string: `"`, `\` and the control characters.
static STRING_STOP: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = true;
        b += 1;
    }
    table[b'"' as usize] = true;
    table[b'\\' as usize] = true;
    table
};

/// Scans `bytes` as one JSON object with unique member names at every depth, exactly as
/// `json::parse_object_with_serde_json` accepts; `None` when it would refuse (the caller then runs
/// `json::parse_object_with_serde_json` for the message and position).
pub fn scan_object(bytes: &[u8]) -> Option<Members<'_>> {
    let text = std::str::from_utf8(bytes).ok()?;
    let mut names = Vec::with_capacity(16);
    let mut captured: [Option<Value<'_>>; CAPTURED] = Default::default();
    Scanner { bytes, text, pos: 0, names: &mut names, starts: Vec::new() }.top_level(&mut captured)?;
    Some(Members::from_parts(names, captured))
}

/// Scans `bytes` as one JSON value of any type into a [`Tree`], accepting exactly what
/// `json::check_value` accepts; `None` when it would refuse. Recursive, bounded by
/// [`MAX_DEPTH`] like the rest of this module.
pub fn scan_tree(bytes: &[u8]) -> Option<Tree<'_>> {
    let text = std::str::from_utf8(bytes).ok()?;
    let mut names = Vec::new();
    let mut scanner = Scanner { bytes, text, pos: 0, names: &mut names, starts: Vec::new() };
    let tree = scanner.tree(1)?;
    match scanner.ws() {
        None => Some(tree),
        Some(_) => None,
    }
}

struct Scanner<'a, 'm> {
    bytes: &'a [u8],
    /// The same bytes, known to be UTF-8.
    text: &'a str,
    pos: usize,
    /// Member names of the objects being scanned, as one stack: the top-level names first,
    /// then those of the open nested objects (popped when each ends).
    names: &'m mut Vec<Cow<'a, str>>,
    /// Where the names of each open nested object start in `names`.
    starts: Vec<usize>,
}

impl<'a> Scanner<'a, '_> {
    /// The top-level object through the end of the input, capturing into `captured`.
    fn top_level(&mut self, captured: &mut [Option<Value<'a>>; CAPTURED]) -> Option<()> {
        if self.ws()? != b'{' {
            return None;
        }
        self.pos += 1;
        let mut next = self.ws()?;
        if next != b'}' {
            loop {
                if next != b'"' {
                    return None;
                }
                self.pos += 1;
                let name = self.string()?;
                let slot = json::captured_index(&name);
                self.push_name(0, name)?;
                self.colon()?;
                match slot {
                    Some(index) => captured[index] = Some(self.captured()?),
                    None => self.value(1)?,
                }
                match self.ws()? {
                    b',' => {
                        self.pos += 1;
                        next = self.ws()?;
                    }
                    b'}' => break,
                    _ => return None,
                }
            }
            check_large_object(self.names)?;
        }
        self.pos += 1;
        // Only whitespace may follow.
        match self.ws() {
            None => Some(()),
            Some(_) => None,
        }
    }

    /// The next byte that is not whitespace, not consumed; `None` at the end.
    #[inline]
    fn ws(&mut self) -> Option<u8> {
        loop {
            let b = *self.bytes.get(self.pos)?;
            match b {
                b' ' | b'\t' | b'\n' | b'\r' => self.pos += 1,
                _ => return Some(b),
            }
        }
    }

    /// The `:` after a member name.
    #[inline]
    fn colon(&mut self) -> Option<()> {
        if self.ws()? != b':' {
            return None;
        }
        self.pos += 1;
        Some(())
    }

    /// Adds a member name of the object whose names start at `start`; refuses a duplicate
    /// found by the linear scan.
    #[inline(always)]
    fn push_name(&mut self, start: usize, name: Cow<'a, str>) -> Option<()> {
        let earlier = self.names.get(start..)?;
        if earlier.len() < LINEAR_LIMIT && earlier.iter().any(|n| same(text_of(n), &name)) {
            return None;
        }
        self.names.push(name);
        Some(())
    }

    /// A member name and its colon in a nested object whose names start at `start`; at the
    /// opening quote.
    fn nested_name(&mut self, start: usize) -> Option<()> {
        self.pos += 1;
        let name = self.string()?;
        self.push_name(start, name)?;
        self.colon()
    }

    /// Scans one value (after optional whitespace) inside `base` open containers, building
    /// nothing. Iterative: nested containers are tracked in a bit set (`1` = object) and in
    /// `starts`, and refused beyond [`MAX_DEPTH`].
    fn value(&mut self, base: usize) -> Option<()> {
        let mut depth = base;
        let mut objects: u128 = 0;
        loop {
            // A value is expected.
            match self.ws()? {
                b'{' => {
                    depth += 1;
                    if depth > MAX_DEPTH {
                        return None;
                    }
                    self.pos += 1;
                    match self.ws()? {
                        b'}' => {
                            self.pos += 1;
                            depth -= 1;
                        }
                        b'"' => {
                            objects |= 1 << depth;
                            let start = self.names.len();
                            self.starts.push(start);
                            self.nested_name(start)?;
                            continue;
                        }
                        _ => return None,
                    }
                }
                b'[' => {
                    depth += 1;
                    if depth > MAX_DEPTH {
                        return None;
                    }
                    self.pos += 1;
                    if self.ws()? != b']' {
                        objects &= !(1 << depth);
                        continue;
                    }
                    self.pos += 1;
                    depth -= 1;
                }
                b'"' => {
                    self.pos += 1;
                    self.skip_string()?;
                }
                b => self.scalar(b)?,
            }
            // A value has ended: close containers until one goes on.
            loop {
                if depth == base {
                    return Some(());
                }
                let b = self.ws()?;
                self.pos += 1;
                if objects >> depth & 1 == 1 {
                    match b {
                        b',' => {
                            if self.ws()? != b'"' {
                                return None;
                            }
                            let start = *self.starts.last()?;
                            self.nested_name(start)?;
                            break;
                        }
                        b'}' => {
                            let start = self.starts.pop()?;
                            check_large_object(self.names.get(start..)?)?;
                            self.names.truncate(start);
                            depth -= 1;
                        }
                        _ => return None,
                    }
                } else {
                    match b {
                        b',' => break,
                        b']' => depth -= 1,
                        _ => return None,
                    }
                }
            }
        }
    }

    /// One value as a tree; `depth` is the nesting level a container here would have.
    fn tree(&mut self, depth: usize) -> Option<Tree<'a>> {
        Some(match self.ws()? {
            b'{' => {
                if depth > MAX_DEPTH {
                    return None;
                }
                let start = self.pos;
                self.pos += 1;
                let (mut names, mut values) = (Vec::new(), Vec::new());
                if self.ws()? != b'}' {
                    loop {
                        if self.ws()? != b'"' {
                            return None;
                        }
                        self.pos += 1;
                        let name = self.string()?;
                        if names.len() < LINEAR_LIMIT && names.iter().any(|n| same(text_of(n), &name)) {
                            return None;
                        }
                        names.push(name);
                        self.colon()?;
                        values.push(self.tree(depth + 1)?);
                        match self.ws()? {
                            b',' => self.pos += 1,
                            b'}' => break,
                            _ => return None,
                        }
                    }
                    check_large_object(&names)?;
                }
                self.pos += 1;
                Tree::Object(Object::new(names, values, self.text.get(start..self.pos)?))
            }
            b'[' => {
                if depth > MAX_DEPTH {
                    return None;
                }
                self.pos += 1;
                let mut elements = Vec::new();
                if self.ws()? != b']' {
                    loop {
                        elements.push(self.tree(depth + 1)?);
                        match self.ws()? {
                            b',' => self.pos += 1,
                            b']' => break,
                            _ => return None,
                        }
                    }
                }
                self.pos += 1;
                Tree::Array(elements)
            }
            b'"' => {
                self.pos += 1;
                Tree::String(self.string()?)
            }
            b't' => {
                self.literal(b"true")?;
                Tree::Bool(true)
            }
            b'f' => {
                self.literal(b"false")?;
                Tree::Bool(false)
            }
            b'n' => {
                self.literal(b"null")?;
                Tree::Null
            }
            b'-' | b'0'..=b'9' => Tree::Number(self.number()?),
            _ => return None,
        })
    }

    /// A number or `true`, `false`, `null`, starting with `b`.
    fn scalar(&mut self, b: u8) -> Option<()> {
        match b {
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'n' => self.literal(b"null"),
            b'-' | b'0'..=b'9' => self.number().map(drop),
            _ => None,
        }
    }

    fn literal(&mut self, word: &[u8]) -> Option<()> {
        let end = self.pos + word.len();
        if self.bytes.get(self.pos..end)? != word {
            return None;
        }
        self.pos = end;
        Some(())
    }

    /// The value of a captured top-level member.
    fn captured(&mut self) -> Option<Value<'a>> {
        Some(match self.ws()? {
            b'"' => {
                self.pos += 1;
                Value::Str(self.string()?)
            }
            b'-' | b'0'..=b'9' => Value::Number(self.number()?),
            b'[' => self.captured_array()?,
            b'{' => {
                self.value(1)?;
                Value::Other("object")
            }
            b @ (b't' | b'f') => {
                self.scalar(b)?;
                Value::Other("boolean")
            }
            b'n' => {
                self.literal(b"null")?;
                Value::Other("null")
            }
            _ => return None,
        })
    }

    /// A captured array (level 2): its strings if all its elements are strings.
    fn captured_array(&mut self) -> Option<Value<'a>> {
        self.pos += 1;
        let mut strings = Vec::new();
        if self.ws()? == b']' {
            self.pos += 1;
            return Some(Value::StrArray(strings));
        }
        let mut all_strings = true;
        loop {
            if all_strings && self.ws()? == b'"' {
                self.pos += 1;
                strings.push(self.string()?);
            } else {
                all_strings = false;
                self.value(2)?;
            }
            match self.ws()? {
                b',' => self.pos += 1,
                b']' => break,
                _ => return None,
            }
        }
        self.pos += 1;
        Some(if all_strings { Value::StrArray(strings) } else { Value::Other("array") })
    }

    /// A number, as serde_json converts it when visiting it: integers of up to 15 digits
    /// here, every other shape by serde_json itself (which also refuses those out of range).
    fn number(&mut self) -> Option<f64> {
        let bytes = self.bytes;
        let start = self.pos;
        let negative = bytes.get(start) == Some(&b'-');
        let digits = start + usize::from(negative);
        let mut i = digits;
        let mut n: u64 = 0;
        if let Some(eight) = load8(bytes, i).filter(|&v| eight_digits(v)) {
            n = eight_digits_value(eight);
            i += 8;
        }
        while let Some(&c) = bytes.get(i) {
            let digit = c.wrapping_sub(b'0');
            if digit > 9 {
                break;
            }
            n = n.wrapping_mul(10).wrapping_add(u64::from(digit));
            i += 1;
        }
        let count = i - digits;
        if count == 0 || (count > 1 && bytes.get(digits) == Some(&b'0')) {
            return None;
        }
        let next = bytes.get(i).copied();
        if count <= FAST_DIGITS && !matches!(next, Some(b'.' | b'e' | b'E')) {
            self.pos = i;
            // `-0` is -0.0 in serde_json too; other negatives are exact i64s.
            let f = n as f64;
            return Some(if negative { -f } else { f });
        }
        if next == Some(b'.') {
            i = digits_end(bytes, i + 1)?;
        }
        if matches!(bytes.get(i), Some(b'e' | b'E')) {
            i += 1;
            if matches!(bytes.get(i), Some(b'+' | b'-')) {
                i += 1;
            }
            i = digits_end(bytes, i)?;
        }
        self.pos = i;
        slow_number(bytes.get(start..i)?)
    }

    /// A string after its opening quote: borrowed when it has no escapes.
    #[inline(always)]
    fn string(&mut self) -> Option<Cow<'a, str>> {
        let start = self.pos;
        let end = plain_end(self.bytes, start);
        match *self.bytes.get(end)? {
            b'"' => {
                self.pos = end + 1;
                Some(Cow::Borrowed(self.text.get(start..end)?))
            }
            b'\\' => self.escaped_string(start, end).map(Cow::Owned),
            _ => None,
        }
    }

    /// A string with escapes, from its start and its first backslash.
    #[cold]
    fn escaped_string(&mut self, start: usize, backslash: usize) -> Option<String> {
        let mut out = String::with_capacity(backslash - start + 8);
        out.push_str(self.text.get(start..backslash)?);
        let mut i = backslash;
        loop {
            let (c, after) = escape(self.bytes, i + 1)?;
            out.push(c);
            i = plain_end(self.bytes, after);
            out.push_str(self.text.get(after..i)?);
            match *self.bytes.get(i)? {
                b'"' => {
                    self.pos = i + 1;
                    return Some(out);
                }
                b'\\' => {}
                _ => return None,
            }
        }
    }

    /// A string after its opening quote, checked but not kept.
    fn skip_string(&mut self) -> Option<()> {
        let mut i = self.pos;
        loop {
            i = plain_end(self.bytes, i);
            match *self.bytes.get(i)? {
                b'"' => {
                    self.pos = i + 1;
                    return Some(());
                }
                b'\\' => i = escape(self.bytes, i + 1)?.1,
                _ => return None,
            }
        }
    }
}

/// The end of the run of plain string bytes from `i`: the index of the first `"`, `\` or
/// control character, or the length.
#[inline]
fn plain_end(bytes: &[u8], mut i: usize) -> usize {
    // Eight bytes at a time, as serde_json does: a byte is flagged when it is below 0x20 or
    // equal to `"` or `\` (the "has zero byte" test on `v`, `v ^ "` and `v ^ \`). Borrows
    // only propagate upwards from a real match, so the lowest flag is the first match.
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    const HIGH: u64 = ONES << 7;
    while let Some(v) = load8(bytes, i) {
        let quote = v ^ (ONES * u64::from(b'"'));
        let backslash = v ^ (ONES * u64::from(b'\\'));
        let flags = (v.wrapping_sub(ONES * 0x20) & !v
            | quote.wrapping_sub(ONES) & !quote
            | backslash.wrapping_sub(ONES) & !backslash)
            & HIGH;
        if flags != 0 {
            return i + (flags.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while let Some(&b) = bytes.get(i) {
        if STRING_STOP[usize::from(b)] {
            break;
        }
        i += 1;
    }
    i
}

/// The eight bytes at `i` as a little-endian `u64` (the first byte lowest).
#[inline]
fn load8(bytes: &[u8], i: usize) -> Option<u64> {
    let chunk: [u8; 8] = bytes.get(i..i + 8)?.try_into().ok()?;
    Some(u64::from_le_bytes(chunk))
}

/// Whether the eight bytes of `v` are all ASCII digits.
#[inline]
fn eight_digits(v: u64) -> bool {
    const HIGH_NIBBLES: u64 = 0xf0f0_f0f0_f0f0_f0f0;
    const ZEROS: u64 = 0x3030_3030_3030_3030;
    // The high nibbles are 3, and stay 3 when 6 is added to the low ones (no carry out of a
    // byte is possible then).
    v & HIGH_NIBBLES == ZEROS && v.wrapping_add(0x0606_0606_0606_0606) & HIGH_NIBBLES == ZEROS
}

/// The value of eight ASCII digits, the first the most significant (see [`load8`]).
#[inline]
fn eight_digits_value(v: u64) -> u64 {
    const MASK: u64 = 0x0000_00ff_0000_00ff;
    let v = v.wrapping_sub(0x3030_3030_3030_3030);
    // Pairs of digits, then pairs of pairs, then the two halves.
    let v = v.wrapping_mul(10).wrapping_add(v >> 8);
    let high = (v & MASK).wrapping_mul(100 + (1_000_000 << 32));
    let low = ((v >> 16) & MASK).wrapping_mul(1 + (10_000 << 32));
    high.wrapping_add(low) >> 32
}

/// The escape after a backslash at `i - 1`: its character and the index after it. Like
/// serde_json for `&str` output, a `\u` surrogate must be a high one followed by `\u` and a
/// low one.
fn escape(bytes: &[u8], i: usize) -> Option<(char, usize)> {
    let c = match *bytes.get(i)? {
        b'"' => '"',
        b'\\' => '\\',
        b'/' => '/',
        b'b' => '\x08',
        b'f' => '\x0c',
        b'n' => '\n',
        b'r' => '\r',
        b't' => '\t',
        b'u' => {
            let high = hex4(bytes, i + 1)?;
            if !(0xD800..=0xDFFF).contains(&high) {
                return Some((char::from_u32(high)?, i + 5));
            }
            if high >= 0xDC00 || bytes.get(i + 5..i + 7)? != b"\\u" {
                return None;
            }
            let low = hex4(bytes, i + 7)?;
            if !(0xDC00..=0xDFFF).contains(&low) {
                return None;
            }
            let code = 0x1_0000 + ((high - 0xD800) << 10) + (low - 0xDC00);
            return Some((char::from_u32(code)?, i + 11));
        }
        _ => return None,
    };
    Some((c, i + 1))
}

/// Four hex digits (either case) at `i`.
fn hex4(bytes: &[u8], i: usize) -> Option<u32> {
    let digits = bytes.get(i..i + 4)?;
    let mut n = 0;
    for &d in digits {
        n = n << 4 | char::from(d).to_digit(16)?;
    }
    Some(n)
}

/// The end of a non-empty run of digits from `i`.
fn digits_end(bytes: &[u8], mut i: usize) -> Option<usize> {
    let from = i;
    while bytes.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    (i > from).then_some(i)
}

/// A number serde_json converts with its own algorithm (fractions, exponents, long
/// integers): the same `parse_integer` path, and the same `as f64` for integers, as a
/// number met by `deserialize_any`.
#[cold]
fn slow_number(number: &[u8]) -> Option<f64> {
    serde_json::from_slice::<f64>(number).ok()
}

/// The text of a name. `Cow`'s own `Deref` stayed a call at opt-level "s" (1.4% of a verify
/// in wasm, profiled), in the loop that compares each name with the earlier ones.
#[inline(always)]
#[allow(clippy::ptr_arg)] // The `Cow` itself, matched here, is the point.
fn text_of<'c>(name: &'c Cow<'_, str>) -> &'c str {
    match name {
        Cow::Borrowed(text) => text,
        Cow::Owned(text) => text.as_str(),
    }
}

/// Whether two names are equal; the lengths and the first and last bytes first, which
/// tell most different names apart without a call to `memcmp`.
#[inline]
fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.first() == b.first() && a.last() == b.last() && a == b
}

/// The duplicate check for objects too large for the linear scan, as the walker does it.
fn check_large_object(names: &[Cow<'_, str>]) -> Option<()> {
    json::duplicate_in_large_object(names).is_none().then_some(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse_object_with_serde_json;

    /// Scans `text` and checks the verdict and the members against `json::parse_object_with_serde_json`.
    fn agree(text: &[u8]) -> bool {
        let scanned = scan_object(text);
        let parsed = parse_object_with_serde_json(text);
        assert_eq!(scanned.is_some(), parsed.is_ok(), "{:?}", String::from_utf8_lossy(text));
        if let (Some(s), Ok(p)) = (&scanned, &parsed) {
            assert_eq!(s, p, "{:?}", String::from_utf8_lossy(text));
        }
        scanned.is_some()
    }

    fn number_of(text: &str, name: &str) -> f64 {
        match scan_object(text.as_bytes()).unwrap().get(name) {
            Some(Value::Number(n)) => *n,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn captures_like_parse_object() {
        let text =
            br#"{"sub":"a","x":{"y":[1,2]},"exp":1.5,"aud":["p","q"],"alg":null,"typ":true,"kid":{},"crit":[1]}"#;
        assert!(agree(text));
        let m = scan_object(text).unwrap();
        assert_eq!(m.get("sub"), Some(&Value::Str("a".into())));
        assert_eq!(m.get("exp"), Some(&Value::Number(1.5)));
        assert_eq!(m.get("aud"), Some(&Value::StrArray(vec!["p".into(), "q".into()])));
        assert_eq!(m.get("alg"), Some(&Value::Other("null")));
        assert_eq!(m.get("typ"), Some(&Value::Other("boolean")));
        assert_eq!(m.get("kid"), Some(&Value::Other("object")));
        assert_eq!(m.get("crit"), Some(&Value::Other("array")));
        assert_eq!(m.names().collect::<Vec<_>>(), ["sub", "x", "exp", "aud", "alg", "typ", "kid", "crit"]);
        assert_eq!(scan_object(br#"{"aud":[]}"#).unwrap().get("aud"), Some(&Value::StrArray(vec![])));
        assert_eq!(scan_object(br#"{"aud":["a",["b"]]}"#).unwrap().get("aud"), Some(&Value::Other("array")));
    }

    #[test]
    fn plain_end_finds_the_first_stop_byte() {
        let naive = |bytes: &[u8], i: usize| {
            i + bytes[i..].iter().position(|&b| STRING_STOP[b as usize]).unwrap_or(bytes.len() - i)
        };
        let fillers = [b'a', b' ', 0x7f, 0x80, 0xff, b'!', b'#', b'[', b']', b'0'];
        for len in 0..20 {
            for at in 0..=len {
                for stop in 0..=255u8 {
                    for &filler in &fillers {
                        let mut bytes = vec![filler; len];
                        if at < len {
                            bytes[at] = stop;
                        }
                        for from in 0..=len.min(3) {
                            assert_eq!(plain_end(&bytes, from), naive(&bytes, from), "{bytes:?} from {from}");
                        }
                    }
                }
            }
        }
        // Two stops: the first is found even when a borrow from it flags a later byte.
        for first in [0u8, 0x1f, b'"', b'\\'] {
            for second in [0u8, 0x1f, 0x20, 0x21, b'"', b'#', b'\\', b']'] {
                let bytes = [b'a', b'a', first, second, b'a', b'a', b'a', b'a', b'a'];
                assert_eq!(plain_end(&bytes, 0), 2);
            }
        }
    }

    #[test]
    fn eight_digits_at_a_time() {
        for text in ["00000000", "12345678", "99999999", "17900036", "00000001", "10000000", "09876543"] {
            let v = load8(text.as_bytes(), 0).unwrap();
            assert!(eight_digits(v), "{text}");
            assert_eq!(eight_digits_value(v), text.parse::<u64>().unwrap(), "{text}");
        }
        let mut x = 0x1234_5678_9abc_def1_u64;
        for _ in 0..100_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let text = format!("{:08}", x % 100_000_000);
            assert_eq!(eight_digits_value(load8(text.as_bytes(), 0).unwrap()), x % 100_000_000);
        }
        for at in 0..8 {
            for b in (0..=255u8).filter(|b| !b.is_ascii_digit()) {
                let mut bytes = *b"12345678";
                bytes[at] = b;
                assert!(!eight_digits(u64::from_le_bytes(bytes)), "{bytes:?}");
            }
        }
    }

    #[test]
    fn captures_only_at_the_top_level() {
        let m = scan_object(br#"{"x":{"exp":1,"sub":"s"}}"#).unwrap();
        assert_eq!(m.get("exp"), None);
        assert_eq!(m.get("sub"), None);
        assert_eq!(m.names().collect::<Vec<_>>(), ["x"]);
    }

    #[test]
    fn borrows_plain_strings_and_unescapes_the_others() {
        let m = scan_object(br#"{"sub":"plain","iss":"a\"b\\c\/d\b\f\n\r\t\u00e9\uD83D\ude00"}"#).unwrap();
        assert!(matches!(m.get("sub"), Some(Value::Str(Cow::Borrowed("plain")))));
        assert_eq!(m.get("iss").and_then(Value::as_str), Some("a\"b\\c/d\u{8}\u{c}\n\r\té\u{1F600}"));
        let m = scan_object(br#"{"\u0061lg":"x"}"#).unwrap();
        assert_eq!(m.get("alg").and_then(Value::as_str), Some("x"));
        assert!(agree(br#"{"a":"\u0000"}"#));
    }

    #[test]
    fn refuses_duplicates_after_unescaping_at_any_depth() {
        assert!(!agree(br#"{"alg":"HS256","\u0061lg":"none"}"#));
        assert!(!agree(br#"{"a":{"b":1,"b":2}}"#));
        assert!(!agree(br#"{"a":[{"b":1,"\u0062":2}]}"#));
        assert!(!agree(br#"{"aud":[{"b":1,"b":2}]}"#));
        // The same name in sibling and nested objects is fine.
        assert!(agree(br#"{"a":{"a":{"a":1}},"b":{"a":2},"c":[{"a":1},{"a":2}]}"#));
    }

    #[test]
    fn refuses_duplicates_in_large_objects() {
        for nested in [false, true] {
            let mut text = String::new();
            for i in 0..100 {
                text.push_str(&format!("\"k{i}\":{i},"));
            }
            let wrap = |body: &str| if nested { format!("{{\"o\":{{{body}}}}}") } else { format!("{{{body}}}") };
            assert!(agree(wrap(&text[..text.len() - 1]).as_bytes()));
            assert!(!agree(wrap(&format!("{text}\"k7\":0")).as_bytes()));
            assert!(!agree(wrap(&format!("{text}\"k99\":0")).as_bytes()));
        }
    }

    #[test]
    fn surrogates_must_pair_like_serde_json() {
        assert!(agree(br#"{"a":"\ud83d\uDE00"}"#));
        // Lone low, lone high, high then a non-surrogate escape or another high.
        assert!(!agree(br#"{"a":"\udc00"}"#));
        assert!(!agree(br#"{"a":"\ud800"}"#));
        assert!(!agree(br#"{"a":"\ud800x"}"#));
        assert!(!agree(br#"{"a":"\ud800\n"}"#));
        assert!(!agree(br#"{"a":"\ud800\u0041"}"#));
        assert!(!agree(br#"{"a":"\ud800\ud800\udc00"}"#));
        assert!(!agree(br#"{"\udfff":1}"#));
        assert!(!agree(br#"{"x":["\ud800"]}"#));
    }

    #[test]
    fn strings_must_be_utf8_without_raw_control_characters() {
        assert!(agree("{\"a\":\"é\u{1F600}\"}".as_bytes()));
        assert!(!agree(b"{\"a\":\"\xff\"}"));
        assert!(!agree(b"{\"a\":\"\xc3\"}"));
        assert!(!agree(b"{\"a\":\"\xc3\\u0041\"}"));
        assert!(!agree(b"{\"a\":\"\xed\xa0\x80\"}"));
        assert!(!agree(b"{\"x\":[\"\xc3\x28\"]}"));
        assert!(!agree(b"{\"a\":\"\x1f\"}"));
        assert!(!agree(b"{\"a\":\"\t\"}"));
        assert!(agree(b"{\"a\":\"\x7f\"}"));
        assert!(!agree(br#"{"a":"\x"}"#));
        assert!(!agree(br#"{"a":"\u12G4"}"#));
        assert!(!agree(br#"{"a":"\u12"}"#));
    }

    #[test]
    fn numbers_convert_like_serde_json() {
        for (text, expected) in [
            ("0", 0.0_f64),
            ("-0", -0.0),
            ("1790000000", 1_790_000_000.0),
            ("-123456789012345", -123_456_789_012_345.0),
            ("1234567890123456789", 1_234_567_890_123_456_789.0),
            ("18446744073709551615", 18_446_744_073_709_551_615.0),
            ("18446744073709551616", 18_446_744_073_709_551_616.0),
            ("-9223372036854775809", -9_223_372_036_854_775_809.0),
            ("1.0", 1.0),
            ("-0.0", -0.0),
            ("1.5e3", 1500.0),
            ("1E-2", 0.01),
            ("-1e-400", -0.0),
        ] {
            let n = number_of(&format!("{{\"exp\":{text}}}"), "exp");
            assert_eq!(n.to_bits(), expected.to_bits(), "{text}: {n}");
            assert!(agree(format!("{{\"exp\":{text}}}").as_bytes()));
        }
        for text in ["1e999", "-1E400", "01", "-", "1.", ".5", "1e", "1e+", "+1", "--1", "1.e3", "0x1", "Infinity"] {
            assert!(!agree(format!("{{\"exp\":{text}}}").as_bytes()), "{text}");
            assert!(!agree(format!("{{\"x\":[{text}]}}").as_bytes()), "{text}");
        }
    }

    #[test]
    fn nesting_stops_at_128_levels_without_recursing() {
        // The top-level object is level 1.
        for (levels, ok) in [(126, true), (127, true), (128, false), (129, false)] {
            let arrays = format!("{{\"a\":{}0{}}}", "[".repeat(levels - 1), "]".repeat(levels - 1));
            assert_eq!(agree(arrays.as_bytes()), ok, "arrays {levels}");
            let objects = format!("{}1{}", "{\"a\":".repeat(levels), "}".repeat(levels));
            assert_eq!(agree(objects.as_bytes()), ok, "objects {levels}");
            let captured = format!("{{\"aud\":{}{}}}", "[".repeat(levels - 1), "]".repeat(levels - 1));
            assert_eq!(agree(captured.as_bytes()), ok, "captured {levels}");
        }
        let deep = format!("{{\"a\":{}{}}}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(scan_object(deep.as_bytes()).is_none());
        let deep = "{\"a\":".repeat(100_000);
        assert!(scan_object(deep.as_bytes()).is_none());
    }

    #[test]
    fn syntax_outside_strings() {
        assert!(agree(b" \t\r\n{ \"a\" : [ 1 , true , null , false , { } , [ ] ] } \n"));
        assert!(agree(b"{}"));
        for text in [
            &b""[..],
            b"[1]",
            b"\"a\"",
            b"1",
            b"null",
            b"{} x",
            b"{}{}",
            b"\x0c{}",
            b"\xef\xbb\xbf{}",
            b"{\"a\":1,}",
            b"{\"a\":[1,]}",
            b"{\"a\" 1}",
            b"{\"a\":1 \"b\":2}",
            b"{a:1}",
            b"{'a':1}",
            b"{\"a\":tru}",
            b"{\"a\":nul}",
            b"{\"a\":True}",
            b"{\"a\":[1}",
            b"{\"a\":{]}",
            b"{\"a\":1",
            b"{,}",
            b"{\"a\":1}\x00",
        ] {
            assert!(!agree(text), "{:?}", String::from_utf8_lossy(text));
        }
    }

    #[test]
    fn every_prefix_of_a_payload_is_refused() {
        let text = br#"{"sub":"1234567890","name":"Ada \u00e9","aud":["a","b"],"exp":1.5e9,"x":{"y":[null]}}"#;
        assert!(agree(text));
        for end in 0..text.len() {
            assert!(!agree(&text[..end]), "{end}");
        }
    }
}
