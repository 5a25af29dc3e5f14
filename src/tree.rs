//! A JSON value as a tree, for the small documents the core is configured with: verify
//! options, JWKs and JWK Sets.
//!
//! Built by the strict scanner ([`crate::scan::scan_tree`]): serde_json's syntax, unique
//! member names at every depth, at most 127 levels.

use std::borrow::Cow;

/// A JSON value. Numbers are `f64`, converted as serde_json converts them.
#[derive(Debug, Clone, PartialEq)]
pub enum Tree<'a> {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number.
    Number(f64),
    /// A string, borrowed from the input when it has no escapes.
    String(Cow<'a, str>),
    /// An array.
    Array(Vec<Tree<'a>>),
    /// An object.
    Object(Object<'a>),
}

/// A JSON object: its members in document order (names unique), and its own text.
#[derive(Debug, Clone, PartialEq)]
pub struct Object<'a> {
    names: Vec<Cow<'a, str>>,
    values: Vec<Tree<'a>>,
    text: &'a str,
}

impl<'a> Object<'a> {
    pub(crate) fn new(names: Vec<Cow<'a, str>>, values: Vec<Tree<'a>>, text: &'a str) -> Object<'a> {
        Object { names, values, text }
    }

    /// The value of member `name`.
    pub fn get(&self, name: &str) -> Option<&Tree<'a>> {
        self.names.iter().position(|n| n == name).map(|i| &self.values[i])
    }

    /// The members, in document order.
    pub fn members(&self) -> impl Iterator<Item = (&str, &Tree<'a>)> {
        self.names.iter().map(|n| n.as_ref()).zip(&self.values)
    }

    /// The object's JSON text, exactly as in the input.
    pub fn text(&self) -> &'a str {
        self.text
    }
}

impl<'a> Tree<'a> {
    /// The JSON type name, for messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Tree::Null => "null",
            Tree::Bool(_) => "boolean",
            Tree::Number(_) => "number",
            Tree::String(_) => "string",
            Tree::Array(_) => "array",
            Tree::Object(_) => "object",
        }
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Tree::String(s) => Some(s),
            _ => None,
        }
    }

    /// The object, if this is one.
    pub fn as_object(&self) -> Option<&Object<'a>> {
        match self {
            Tree::Object(o) => Some(o),
            _ => None,
        }
    }

    /// The elements, if this is an array.
    pub fn as_array(&self) -> Option<&[Tree<'a>]> {
        match self {
            Tree::Array(a) => Some(a),
            _ => None,
        }
    }

    /// The strings, if this is an array of strings only.
    pub fn as_strings(&self) -> Option<Vec<String>> {
        self.as_array()?.iter().map(|v| v.as_str().map(str::to_owned)).collect()
    }
}

/// `text` as a tree, or why it is not strict JSON.
pub fn parse(text: &str) -> Result<Tree<'_>, String> {
    crate::scan::scan_tree(text.as_bytes()).map_err(|refusal| crate::json::failure(text.as_bytes(), refusal).message)
}

/// The value of an optional member: absent and `null` are `None`; `read` must accept any
/// other value, or the member is of the wrong type (`Err(())`).
pub(crate) fn optional<'t, 'a, T>(
    object: &'t Object<'a>,
    name: &str,
    read: impl FnOnce(&'t Tree<'a>) -> Option<T>,
) -> Result<Option<T>, ()> {
    match object.get(name) {
        None | Some(Tree::Null) => Ok(None),
        Some(value) => read(value).map(Some).ok_or(()),
    }
}

/// An optional string member: `Some(None)` when absent or `null`, `None` when of another
/// type.
pub(crate) fn optional_string(object: &Object<'_>, name: &str) -> Option<Option<String>> {
    optional(object, name, |v| v.as_str().map(str::to_owned)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::scan_tree;

    #[test]
    fn reads_every_type_and_keeps_object_text() {
        let text = r#" {"a":null,"b":true,"c":-1.5e1,"d":"x\u0041","e":[1,"s"],"f":{"g":[]}} "#;
        let tree = scan_tree(text.as_bytes()).unwrap();
        let object = tree.as_object().unwrap();
        assert_eq!(object.text(), text.trim());
        let names: Vec<&str> = object.members().map(|(n, _)| n).collect();
        assert_eq!(names, ["a", "b", "c", "d", "e", "f"]);
        assert_eq!(object.get("a"), Some(&Tree::Null));
        assert_eq!(object.get("b"), Some(&Tree::Bool(true)));
        assert_eq!(object.get("c"), Some(&Tree::Number(-15.0)));
        assert_eq!(object.get("d").and_then(Tree::as_str), Some("xA"));
        assert_eq!(object.get("e").and_then(Tree::as_array).map(<[_]>::len), Some(2));
        assert_eq!(object.get("e").and_then(Tree::as_strings), None);
        let inner = object.get("f").and_then(Tree::as_object).unwrap();
        assert_eq!(inner.text(), r#"{"g":[]}"#);
        assert_eq!(inner.get("g").and_then(Tree::as_strings), Some(vec![]));
        assert_eq!(object.get("z"), None);
        assert_eq!(scan_tree(b"\"top\"").unwrap().as_str(), Some("top"));
        assert_eq!(scan_tree(b"[1,2]").unwrap().type_name(), "array");
    }

    #[test]
    fn optional_members_treat_null_as_absent_and_refuse_wrong_types() {
        let tree = scan_tree(br#"{"s":"x","n":null,"i":3}"#).unwrap();
        let object = tree.as_object().unwrap();
        assert_eq!(optional(object, "s", Tree::as_str), Ok(Some("x")));
        assert_eq!(optional(object, "n", Tree::as_str), Ok(None));
        assert_eq!(optional(object, "absent", Tree::as_str), Ok(None));
        assert_eq!(optional(object, "i", Tree::as_str), Err(()));
    }

    #[test]
    fn refuses_what_check_value_refuses() {
        for bad in [
            &br#"{"a":1,"a":2}"#[..],
            br#"{"a":{"b":1,"\u0062":2}}"#,
            br#"[{"a":1,"a":1}]"#,
            b"{} x",
            b"",
            b"[1,]",
            b"{\"a\":\"\x01\"}",
            b"01",
            b"1e999",
        ] {
            assert!(scan_tree(bad).is_err(), "{:?}", String::from_utf8_lossy(bad));
            assert!(crate::json::check_value(bad).is_err(), "{:?}", String::from_utf8_lossy(bad));
        }
    }
}
