//! A one-pass scanner for the JSON objects of headers and claims sets, and for the small
//! documents (options, JWKs) read as a [`Tree`].
//!
//! [`scan_object`] accepts serde_json 1.x `from_slice` syntax, unique member names at every
//! depth after unescaping, at most 127 levels of nesting and numbers within `f64` range,
//! and returns the [`Members`]; otherwise a [`Refusal`]: the offset and the reason, worded
//! as serde_json words it. The tests hold it to a serde_json walker
//! (`tests/common/serde_walker.rs`) verdict for verdict, member for member and number for
//! number, on a table of tricky inputs and a few hundred thousand generated ones.
//!
//! Two observations keep it simple:
//! - Outside strings an accepted document is ASCII, and an escape is ASCII, so the document
//!   is valid UTF-8 exactly when every string in it is: one `str::from_utf8` of the whole
//!   input replaces the check of each string, and strings without escapes are then slices
//!   of that `str`.
//! - Numbers of the common shape (an integer of at most 15 digits) are converted here
//!   exactly; every other number by the standard library, which rounds correctly.

use std::borrow::Cow;

use crate::decimal;
use crate::error::shortened;
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

/// Scans `bytes` as one JSON object with unique member names at every depth.
pub fn scan_object(bytes: &[u8]) -> Result<Members<'_>, Refusal> {
    let mut names = Vec::with_capacity(16);
    let mut captured: [Option<Value<'_>>; CAPTURED] = Default::default();
    let mut scanner = Scanner::new(bytes, &mut names)?;
    match scanner.top_level(&mut captured) {
        Some(()) => Ok(Members::from_parts(names, captured)),
        None => Err(scanner.refusal()),
    }
}

/// Scans `bytes` as one JSON value of any type into a [`Tree`], with the same rules as
/// [`scan_object`]. Recursive, bounded at 127 levels like the rest of this module.
pub fn scan_tree(bytes: &[u8]) -> Result<Tree<'_>, Refusal> {
    let mut names = Vec::new();
    let mut scanner = Scanner::new(bytes, &mut names)?;
    let tree = scanner.tree(1).and_then(|tree| match scanner.ws() {
        None => Some(tree),
        Some(_) => scanner.refuse(scanner.pos, TRAILING),
    });
    tree.ok_or_else(|| scanner.refusal())
}

/// Why and where a document was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// Byte offset of the offending byte (the length for an unexpected end).
    pub offset: usize,
    /// What is wrong.
    pub reason: Cow<'static, str>,
}

impl Refusal {
    fn new(offset: usize, reason: &'static str) -> Refusal {
        Refusal { offset, reason: Cow::Borrowed(reason) }
    }
}

const EOF: &str = "EOF while parsing the JSON text";
const INVALID_UTF8: &str = "invalid UTF-8";
const NOT_OBJECT: &str = "expected a JSON object";
const EXPECTED_NAME: &str = "key must be a string";
const EXPECTED_COLON: &str = "expected `:`";
const EXPECTED_VALUE: &str = "expected value";
const EXPECTED_OBJECT_END: &str = "expected `,` or `}`";
const EXPECTED_ARRAY_END: &str = "expected `,` or `]`";
const TRAILING: &str = "trailing characters";
const CONTROL: &str = "control character (\\u0000-\\u001F) found while parsing a string";
const INVALID_ESCAPE: &str = "invalid escape";
const INVALID_NUMBER: &str = "invalid number";
const OUT_OF_RANGE: &str = "number out of range";
const TOO_DEEP: &str = "nesting is deeper than 127 levels";

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
    /// The first refusal, recorded where it is found (the scan functions return `None`).
    refusal: Option<Refusal>,
}

impl<'a, 'm> Scanner<'a, 'm> {
    /// A scanner at the start of `bytes`, which must be UTF-8 (see the module's notes).
    fn new(bytes: &'a [u8], names: &'m mut Vec<Cow<'a, str>>) -> Result<Scanner<'a, 'm>, Refusal> {
        let text = std::str::from_utf8(bytes).map_err(|e| Refusal::new(e.valid_up_to(), INVALID_UTF8))?;
        Ok(Scanner { bytes, text, pos: 0, names, starts: Vec::new(), refusal: None })
    }

    /// Records that the document is refused because of the byte at `at` (an unexpected end
    /// when `at` is past the input); returns `None` for the caller to pass up.
    #[cold]
    fn refuse<T>(&mut self, at: usize, reason: &'static str) -> Option<T> {
        let reason = if at >= self.bytes.len() { EOF } else { reason };
        self.refusal.get_or_insert(Refusal::new(at.min(self.bytes.len()), reason));
        None
    }

    #[cold]
    fn refuse_duplicate<T>(&mut self, at: usize, name: &str) -> Option<T> {
        let shown = shortened(name, 64);
        let reason = Cow::Owned(format!("duplicate member name \"{shown}\""));
        self.refusal.get_or_insert(Refusal { offset: at, reason });
        None
    }

    /// The refusal recorded; a `None` with none recorded came from running out of input.
    fn refusal(&mut self) -> Refusal {
        self.refusal.take().unwrap_or_else(|| Refusal::new(self.bytes.len(), EOF))
    }

    /// The duplicate check, when an object of more names than the linear scan checks ends
    /// (its names from `start` on the stack).
    fn check_large_object(&mut self, start: usize) -> Option<()> {
        match json::duplicate_in_large_object(self.names.get(start..)?) {
            None => Some(()),
            Some(name) => {
                let name = name.to_owned();
                self.refuse_duplicate(self.pos, &name)
            }
        }
    }

    /// The top-level object through the end of the input, capturing into `captured`.
    fn top_level(&mut self, captured: &mut [Option<Value<'a>>; CAPTURED]) -> Option<()> {
        if self.ws()? != b'{' {
            return self.refuse(self.pos, NOT_OBJECT);
        }
        self.pos += 1;
        let mut next = self.ws()?;
        if next != b'}' {
            loop {
                if next != b'"' {
                    return self.refuse(self.pos, EXPECTED_NAME);
                }
                self.pos += 1;
                let name = self.string()?;
                let slot = json::captured_index(json::text_of(&name));
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
                    _ => return self.refuse(self.pos, EXPECTED_OBJECT_END),
                }
            }
            self.check_large_object(0)?;
        }
        self.pos += 1;
        // Only whitespace may follow.
        match self.ws() {
            None => Some(()),
            Some(_) => self.refuse(self.pos, TRAILING),
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
            return self.refuse(self.pos, EXPECTED_COLON);
        }
        self.pos += 1;
        Some(())
    }

    /// Adds a member name of the object whose names start at `start`; refuses a duplicate
    /// found by the linear scan.
    #[inline(always)]
    fn push_name(&mut self, start: usize, name: Cow<'a, str>) -> Option<()> {
        if repeats(self.names.get(start..)?, json::text_of(&name)) {
            return self.refuse_duplicate(self.pos, &name);
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
                        return self.refuse(self.pos, TOO_DEEP);
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
                        _ => return self.refuse(self.pos, EXPECTED_NAME),
                    }
                }
                b'[' => {
                    depth += 1;
                    if depth > MAX_DEPTH {
                        return self.refuse(self.pos, TOO_DEEP);
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
                                return self.refuse(self.pos, EXPECTED_NAME);
                            }
                            let start = *self.starts.last()?;
                            self.nested_name(start)?;
                            break;
                        }
                        b'}' => {
                            let start = self.starts.pop()?;
                            self.check_large_object(start)?;
                            self.names.truncate(start);
                            depth -= 1;
                        }
                        _ => return self.refuse(self.pos - 1, EXPECTED_OBJECT_END),
                    }
                } else {
                    match b {
                        b',' => break,
                        b']' => depth -= 1,
                        _ => return self.refuse(self.pos - 1, EXPECTED_ARRAY_END),
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
                    return self.refuse(self.pos, TOO_DEEP);
                }
                let start = self.pos;
                self.pos += 1;
                let (mut names, mut values) = (Vec::new(), Vec::new());
                if self.ws()? != b'}' {
                    loop {
                        if self.ws()? != b'"' {
                            return self.refuse(self.pos, EXPECTED_NAME);
                        }
                        self.pos += 1;
                        let name = self.string()?;
                        if repeats(&names, &name) {
                            return self.refuse_duplicate(self.pos, &name);
                        }
                        names.push(name);
                        self.colon()?;
                        values.push(self.tree(depth + 1)?);
                        match self.ws()? {
                            b',' => self.pos += 1,
                            b'}' => break,
                            _ => return self.refuse(self.pos, EXPECTED_OBJECT_END),
                        }
                    }
                    if let Some(name) = json::duplicate_in_large_object(&names) {
                        return self.refuse_duplicate(self.pos, name);
                    }
                }
                self.pos += 1;
                Tree::Object(Object::new(names, values, self.text.get(start..self.pos)?))
            }
            b'[' => {
                if depth > MAX_DEPTH {
                    return self.refuse(self.pos, TOO_DEEP);
                }
                self.pos += 1;
                let mut elements = Vec::new();
                if self.ws()? != b']' {
                    loop {
                        elements.push(self.tree(depth + 1)?);
                        match self.ws()? {
                            b',' => self.pos += 1,
                            b']' => break,
                            _ => return self.refuse(self.pos, EXPECTED_ARRAY_END),
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
            _ => return self.refuse(self.pos, EXPECTED_VALUE),
        })
    }

    /// A number or `true`, `false`, `null`, starting with `b`.
    fn scalar(&mut self, b: u8) -> Option<()> {
        match b {
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'n' => self.literal(b"null"),
            b'-' | b'0'..=b'9' => self.unread_number(),
            _ => self.refuse(self.pos, EXPECTED_VALUE),
        }
    }

    fn literal(&mut self, word: &[u8]) -> Option<()> {
        let end = self.pos + word.len();
        if self.bytes.get(self.pos..end) != Some(word) {
            // At the first byte that differs (the end of the input if none does).
            let same = self.bytes[self.pos..].iter().zip(word).take_while(|(a, b)| a == b).count();
            return self.refuse(self.pos + same, EXPECTED_VALUE);
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
            _ => return self.refuse(self.pos, EXPECTED_VALUE),
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
                _ => return self.refuse(self.pos, EXPECTED_ARRAY_END),
            }
        }
        self.pos += 1;
        Some(if all_strings { Value::StrArray(strings) } else { Value::Other("array") })
    }

    /// A number, converted as serde_json converts it: integers of up to 15 digits here,
    /// every other shape by [`decimal::parse`] (which also refuses those out of range).
    fn number(&mut self) -> Option<f64> {
        let start = self.pos;
        match self.number_syntax()? {
            Some(value) => Some(value),
            None => decimal::parse(self.bytes.get(start..self.pos)?).or_else(|| self.refuse(start, OUT_OF_RANGE)),
        }
    }

    /// A number whose value nothing reads: checked, not converted. Out-of-range numbers are
    /// still refused (as serde_json refuses them), which [`decimal::in_range`] decides from
    /// the digits: so a token full of numbers costs no arithmetic.
    fn unread_number(&mut self) -> Option<()> {
        let start = self.pos;
        match self.number_syntax()? {
            Some(_) => Some(()),
            None if decimal::in_range(self.bytes.get(start..self.pos)?) => Some(()),
            None => self.refuse(start, OUT_OF_RANGE),
        }
    }

    /// Moves past a number, checking its syntax. Its value when it is an integer of up to
    /// [`FAST_DIGITS`] digits; `Some(None)` for the other shapes, which the callers convert
    /// or check.
    fn number_syntax(&mut self) -> Option<Option<f64>> {
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
            return self.refuse(if count == 0 { i } else { digits + 1 }, INVALID_NUMBER);
        }
        let next = bytes.get(i).copied();
        if count <= FAST_DIGITS && !matches!(next, Some(b'.' | b'e' | b'E')) {
            self.pos = i;
            // `-0` is -0.0 in serde_json too; other negatives are exact i64s.
            let f = n as f64;
            return Some(Some(if negative { -f } else { f }));
        }
        if next == Some(b'.') {
            i = digits_end(bytes, i + 1).or_else(|| self.refuse(i + 1, INVALID_NUMBER))?;
        }
        if matches!(bytes.get(i), Some(b'e' | b'E')) {
            i += 1;
            if matches!(bytes.get(i), Some(b'+' | b'-')) {
                i += 1;
            }
            i = digits_end(bytes, i).or_else(|| self.refuse(i, INVALID_NUMBER))?;
        }
        self.pos = i;
        Some(None)
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
            _ => self.refuse(end, CONTROL),
        }
    }

    /// A string with escapes, from its start and its first backslash.
    #[cold]
    fn escaped_string(&mut self, start: usize, backslash: usize) -> Option<String> {
        let mut out = String::with_capacity(backslash - start + 8);
        out.push_str(self.text.get(start..backslash)?);
        let mut i = backslash;
        loop {
            let (c, after) = escape(self.bytes, i + 1).or_else(|| self.refuse(i, INVALID_ESCAPE))?;
            out.push(c);
            i = plain_end(self.bytes, after);
            out.push_str(self.text.get(after..i)?);
            match *self.bytes.get(i)? {
                b'"' => {
                    self.pos = i + 1;
                    return Some(out);
                }
                b'\\' => {}
                _ => return self.refuse(i, CONTROL),
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
                b'\\' => i = escape(self.bytes, i + 1).or_else(|| self.refuse(i, INVALID_ESCAPE))?.1,
                _ => return self.refuse(i, CONTROL),
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

/// Whether `name` repeats one of `earlier`, the names so far of its object, found by the
/// linear scan; objects of more than [`LINEAR_LIMIT`] names are checked once more, sorted,
/// when they end.
#[inline(always)]
fn repeats(earlier: &[Cow<'_, str>], name: &str) -> bool {
    earlier.len() < LINEAR_LIMIT && earlier.iter().any(|n| same(json::text_of(n), name))
}

/// Whether two names are equal; the lengths and the first and last bytes first, which
/// tell most different names apart without a call to `memcmp`.
#[inline]
fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.first() == b.first() && a.last() == b.last() && a == b
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
