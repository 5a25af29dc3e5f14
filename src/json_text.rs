//! Writing JSON text: strings escaped as `JSON.stringify` and serde_json escape them, and
//! objects member by member. The core writes little JSON (the inspector report, header
//! `kid`s), so a few lines here replace a serializer in the `.wasm`.

/// Appends `text` as a JSON string: `"` and `\` escaped, control characters as `\n`-style
/// or `\u00XX` escapes, everything else (non-ASCII included) as is.
pub fn write_string(out: &mut String, text: &str) {
    out.push('"');
    let mut plain = 0;
    for (i, byte) in text.bytes().enumerate() {
        let escape = match byte {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue,
        };
        // `get`, not `text[plain..i]`: `i` is at an ASCII byte, so this never misses, and
        // str indexing would bring its panic message (and the Unicode tables) into the .wasm.
        out.push_str(text.get(plain..i).unwrap_or_default());
        if escape.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\u00");
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 15)]));
        } else {
            out.push_str(escape);
        }
        plain = i + 1;
    }
    out.push_str(text.get(plain..).unwrap_or_default());
    out.push('"');
}

/// A JSON value this module can write as a member.
pub enum Member<'v> {
    /// A string.
    Str(&'v str),
    /// A whole number.
    Count(usize),
    /// `true` or `false`.
    Bool(bool),
    /// `null`.
    Null,
}

impl<'v> From<&'v str> for Member<'v> {
    fn from(text: &'v str) -> Self {
        Member::Str(text)
    }
}

impl From<usize> for Member<'_> {
    fn from(n: usize) -> Self {
        Member::Count(n)
    }
}

impl From<bool> for Member<'_> {
    fn from(b: bool) -> Self {
        Member::Bool(b)
    }
}

impl<'v, T: Into<Member<'v>>> From<Option<T>> for Member<'v> {
    fn from(value: Option<T>) -> Self {
        value.map_or(Member::Null, Into::into)
    }
}

/// Writes one JSON object into a string, member by member.
pub struct ObjectWriter<'o> {
    out: &'o mut String,
    empty: bool,
}

impl<'o> ObjectWriter<'o> {
    /// Opens an object at the end of `out`.
    pub fn new(out: &'o mut String) -> ObjectWriter<'o> {
        out.push('{');
        ObjectWriter { out, empty: true }
    }

    /// Writes the name of the next member; its value must follow.
    pub fn name(&mut self, name: &str) -> &mut String {
        if !self.empty {
            self.out.push(',');
        }
        self.empty = false;
        write_string(self.out, name);
        self.out.push(':');
        self.out
    }

    /// Writes a member.
    pub fn member<'v>(&mut self, name: &str, value: impl Into<Member<'v>>) -> &mut Self {
        let out = self.name(name);
        match value.into() {
            Member::Str(text) => write_string(out, text),
            Member::Count(n) => out.push_str(&n.to_string()),
            Member::Bool(b) => out.push_str(if b { "true" } else { "false" }),
            Member::Null => out.push_str("null"),
        }
        self
    }

    /// Writes an array member, each element written by `element`.
    pub fn array<T>(&mut self, name: &str, items: &[T], mut element: impl FnMut(&mut String, &T)) -> &mut Self {
        let out = self.name(name);
        out.push('[');
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            element(out, item);
        }
        out.push(']');
        self
    }

    /// Closes the object.
    pub fn end(&mut self) {
        self.out.push('}');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn string(text: &str) -> String {
        let mut out = String::new();
        write_string(&mut out, text);
        out
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let mut every_char: String = (0u8..0x80).map(char::from).collect();
        every_char.push_str("é\u{2028}😀/");
        for text in ["", "plain", "a\"b\\c", "\u{0}\u{1f}\u{7f}", "tab\there\nnew", every_char.as_str()] {
            assert_eq!(string(text), serde_json::to_string(text).unwrap(), "{text:?}");
        }
    }

    #[test]
    fn objects_are_written_member_by_member() {
        let mut out = String::new();
        let mut object = ObjectWriter::new(&mut out);
        object
            .member("s", "x\"y")
            .member("n", 42usize)
            .member("b", false)
            .member("none", None::<&str>)
            .member("some", Some(7usize))
            .array("list", &["p", "q"], |out, s| write_string(out, s))
            .array("empty", &[] as &[&str], |out, s| write_string(out, s));
        object.end();
        let expected = r#"{"s":"x\"y","n":42,"b":false,"none":null,"some":7,"list":["p","q"],"empty":[]}"#;
        assert_eq!(out, expected);
        assert!(serde_json::from_str::<serde_json::Value>(&out).is_ok());
        let mut empty = String::new();
        ObjectWriter::new(&mut empty).end();
        assert_eq!(empty, "{}");
    }
}
