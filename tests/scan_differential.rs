//! `scan::scan_object` against `json::parse_object_with_serde_json`: the same verdict on every input, and
//! the same members (names in order, captured values, numbers to the bit) when both accept;
//! and `scan::scan_tree` against `json::check_value` on the same inputs.
//! A table of tricky inputs with their expected verdicts, then a few hundred thousand
//! pseudo-random ones: mutations of realistic JSON and generated documents.

#[path = "common/rng.rs"]
mod rng;
#[path = "common/serde_walker.rs"]
mod serde_walker;

use jwtkit::json::{check_value, Value};
use jwtkit::scan::{scan_object, scan_tree};
use jwtkit::tree::Tree;
use rng::Rng;
use serde_walker::{check_value_with_serde_json, parse_object_with_serde_json};

const CAPTURED_NAMES: [&str; 12] =
    ["alg", "typ", "kid", "crit", "cty", "exp", "nbf", "iat", "aud", "iss", "sub", "jti"];

/// Runs both on `input`, asserts that they agree, and returns whether they accepted. Also
/// checks `scan_tree` against `check_value` on the same input (see [`compare_tree`]).
fn compare(input: &[u8]) -> bool {
    compare_tree(input);
    let scanned = scan_object(input);
    let parsed = parse_object_with_serde_json(input);
    // Whatever the verdict, `parse_object` reports the scanner's (a refusal's offset is
    // inside the input).
    match (jwtkit::json::parse_object(input), &scanned) {
        (Ok(a), Ok(b)) => assert_eq!(&a, b),
        (Err(failure), Err(refusal)) => {
            assert_eq!(failure.offset, refusal.offset);
            assert!(failure.offset <= input.len() && failure.line >= 1 && failure.column >= 1);
        }
        _ => panic!("parse_object and scan_object differ on {:?}", String::from_utf8_lossy(input)),
    }
    let shown = || String::from_utf8_lossy(&input[..input.len().min(400)]).into_owned();
    match (&scanned, &parsed) {
        (Ok(s), Ok(p)) => {
            assert_eq!(s, p, "members differ for {:?}", shown());
            // `PartialEq` for f64 says 0.0 == -0.0: compare the bits too.
            for name in CAPTURED_NAMES {
                if let (Some(Value::Number(a)), Some(Value::Number(b))) = (s.get(name), p.get(name)) {
                    assert_eq!(a.to_bits(), b.to_bits(), "{name}: {a} vs {b} in {:?}", shown());
                }
            }
            true
        }
        (Err(_), Err(_)) => false,
        (Ok(_), Err(e)) => {
            panic!("scan_object accepted what parse_object_with_serde_json refuses ({e}): {:?}", shown())
        }
        (Err(r), Ok(_)) => {
            panic!("scan_object refused ({r:?}) what parse_object_with_serde_json accepts: {:?}", shown())
        }
    }
}

/// `scan_tree` (options, JWKs) against the reference's `check_value`: the same verdict; for an
/// accepted object, the same member names in order as the members walker, and numbers of
/// the captured names to the bit.
fn compare_tree(input: &[u8]) {
    let shown = || String::from_utf8_lossy(&input[..input.len().min(400)]).into_owned();
    let tree = scan_tree(input);
    match (&tree, check_value_with_serde_json(input)) {
        (Ok(_), Err(e)) => panic!("scan_tree accepted what serde_json refuses ({e}): {:?}", shown()),
        (Err(r), Ok(())) => panic!("scan_tree refused ({r:?}) what serde_json accepts: {:?}", shown()),
        _ => {}
    }
    assert_eq!(check_value(input).is_ok(), tree.is_ok());
    let (Ok(Tree::Object(object)), Ok(members)) = (&tree, parse_object_with_serde_json(input)) else { return };
    assert!(object.members().map(|(n, _)| n).eq(members.names()), "names differ for {:?}", shown());
    assert_eq!(object.text().as_bytes(), input.trim_ascii(), "object text of {:?}", shown());
    for name in CAPTURED_NAMES {
        if let (Some(Tree::Number(a)), Some(Value::Number(b))) = (object.get(name), members.get(name)) {
            assert_eq!(a.to_bits(), b.to_bits(), "{name}: {a} vs {b} in {:?}", shown());
        }
    }
}

const PAYLOAD: &str = r#"{"sub":"1234567890","name":"Ada Lovelace","iss":"https://auth.example","aud":"api.example","iat":1790000000,"nbf":1789999940,"exp":1790003600}"#;
const HEADER: &str = r#"{"alg":"HS256","typ":"JWT"}"#;

#[test]
fn tricky_inputs_get_the_expected_verdict_from_both() {
    let table: &[(&[u8], bool)] = &[
        // Shapes and whitespace.
        (b"{}", true),
        (b" \t\n\r{ } \t\n\r", true),
        (b"", false),
        (b"   ", false),
        (b"[]", false),
        (b"[{}]", false),
        (b"\"{}\"", false),
        (b"null", false),
        (b"0", false),
        (b"{} x", false),
        (b"{}{}", false),
        (b"{},", false),
        (b"{}\x00", false),
        (b"\x0c{}", false),
        (b"\x0b{}", false),
        (b"{}\xc2\xa0", false),
        (b"\xef\xbb\xbf{}", false),
        (b"{", false),
        (b"}", false),
        (b"{\"a\" : 1 , \"b\" :\n[ ]\t}", true),
        // Members and punctuation.
        (b"{\"a\":1,}", false),
        (b"{,\"a\":1}", false),
        (b"{\"a\":1,,\"b\":2}", false),
        (b"{\"a\" 1}", false),
        (b"{\"a\"::1}", false),
        (b"{\"a\":}", false),
        (b"{\"a\"}", false),
        (b"{a:1}", false),
        (b"{'a':1}", false),
        (b"{1:1}", false),
        (b"{\"a\":1 \"b\":2}", false),
        (b"{\"a\":[1,]}", false),
        (b"{\"a\":[,1]}", false),
        (b"{\"a\":[1 2]}", false),
        (b"{\"a\":[1}", false),
        (b"{\"a\":{]}", false),
        (b"{\"a\":{\"b\":1]}", false),
        (b"{\"\":0}", true),
        // Literals.
        (b"{\"a\":[true,false,null]}", true),
        (b"{\"a\":tru}", false),
        (b"{\"a\":True}", false),
        (b"{\"a\":nul}", false),
        (b"{\"a\":nulll}", false),
        (b"{\"a\":NaN}", false),
        (b"{\"a\":undefined}", false),
        // Strings: escapes.
        (br#"{"a":"\"\\\/\b\f\n\r\t"}"#, true),
        (br#"{"a":"\u00e9\u00E9\uABCD\uabcd"}"#, true),
        (br#"{"a":"\u0000"}"#, true),
        (br#"{"a":"\x41"}"#, false),
        (br#"{"a":"\a"}"#, false),
        (br#"{"a":"\'"}"#, false),
        (br#"{"a":"\U0041"}"#, false),
        (br#"{"a":"\u004"}"#, false),
        (br#"{"a":"\u004G"}"#, false),
        (br#"{"a":"\u"}"#, false),
        (br#"{"a":"\"}"#, false),
        (b"{\"a\":\"abc", false),
        // Strings: surrogates.
        (br#"{"a":"\ud83d\ude00"}"#, true),
        (br#"{"a":"\uD83D\uDE00"}"#, true),
        (br#"{"a":"\udbff\udfff"}"#, true),
        (br#"{"a":"\ud800"}"#, false),
        (br#"{"a":"\udc00"}"#, false),
        (br#"{"a":"\udfff\ud800"}"#, false),
        (br#"{"a":"\ud800x"}"#, false),
        (br#"{"a":"\ud800\n"}"#, false),
        (br#"{"a":"\ud800\\"}"#, false),
        (br#"{"a":"\ud800\u0041"}"#, false),
        (br#"{"a":"\ud800\ud800\udc00"}"#, false),
        (br#"{"a":"\ud800\u"}"#, false),
        (br#"{"\ud800":1}"#, false),
        (br#"{"x":{"y":["\udc00"]}}"#, false),
        // Strings: raw bytes.
        ("{\"a\":\"é€𝄞\"}".as_bytes(), true),
        ("{\"é\":\"x\"}".as_bytes(), true),
        (b"{\"a\":\"\x7f\"}", true),
        (b"{\"a\":\"\x80\"}", false),
        (b"{\"a\":\"\xc3\"}", false),
        (b"{\"a\":\"\xc3\\u00a9\"}", false),
        (b"{\"a\":\"\xc0\xaf\"}", false),
        (b"{\"a\":\"\xed\xa0\x80\"}", false),
        (b"{\"a\":\"\xf4\x90\x80\x80\"}", false),
        (b"{\"a\":\"\xff\"}", false),
        (b"{\"\xfe\":1}", false),
        (b"{\"x\":[\"ok\",\"\xe2\x82\"]}", false),
        (b"{\"a\":1,\xc3\xa9}", false),
        (b"{\"a\":\"\x00\"}", false),
        (b"{\"a\":\"\x1f\"}", false),
        (b"{\"a\":\"\t\"}", false),
        (b"{\"a\":\"\n\"}", false),
        (b"{\"a\x01\":1}", false),
        // Numbers.
        (b"{\"a\":[0,-0,1,-1,123456789012345,-123456789012345]}", true),
        (b"{\"a\":[1234567890123456,12345678901234567890,123456789012345678901234567890]}", true),
        (b"{\"a\":[18446744073709551615,18446744073709551616,-9223372036854775808,-9223372036854775809]}", true),
        (b"{\"a\":[1.0,-0.0,0.5,1e3,1E3,1e+3,1e-3,1.5E-3,0e0,-0e-0]}", true),
        (b"{\"a\":[1.7976931348623157e308,4.9e-324,1e-400,-1e-400,0e99999999999]}", true),
        (b"{\"a\":1e309}", false),
        (b"{\"a\":1e999}", false),
        (b"{\"a\":-1E400}", false),
        (b"{\"a\":1.8e308}", false),
        (b"{\"a\":1e99999999999}", false),
        (b"{\"x\":{\"y\":[1e400]}}", false),
        (b"{\"a\":01}", false),
        (b"{\"a\":-01}", false),
        (b"{\"a\":00}", false),
        (b"{\"a\":+1}", false),
        (b"{\"a\":-}", false),
        (b"{\"a\":--1}", false),
        (b"{\"a\":1.}", false),
        (b"{\"a\":.5}", false),
        (b"{\"a\":1.e3}", false),
        (b"{\"a\":1e}", false),
        (b"{\"a\":1e+}", false),
        (b"{\"a\":1e+-1}", false),
        (b"{\"a\":0x10}", false),
        (b"{\"a\":1.5.5}", false),
        (b"{\"a\":Infinity}", false),
        (b"{\"a\":-Infinity}", false),
        // Captured members.
        (br#"{"exp":-0,"nbf":-0.0,"iat":0}"#, true),
        (br#"{"exp":1790003600.5,"nbf":17900036005e-1,"iat":1.79e9}"#, true),
        (br#"{"exp":18446744073709551616,"nbf":-9223372036854775809,"iat":123456789012345678901234567890}"#, true),
        (br#"{"exp":9007199254740993,"nbf":-9007199254740993,"iat":9007199254740993.0}"#, true),
        (br#"{"exp":1e400}"#, false),
        (br#"{"aud":[],"crit":["b64"],"sub":"\u0041da","iss":"a\/b"}"#, true),
        (br#"{"aud":["a",1],"crit":[null],"kid":{"a":1},"typ":true,"cty":false,"jti":null}"#, true),
        (br#"{"aud":["a",["b"]],"crit":[[]],"alg":[{}]}"#, true),
        (br#"{"x":{"exp":"nested","aud":1},"y":[{"sub":2}]}"#, true),
        // Duplicates.
        (br#"{"a":1,"a":1}"#, false),
        (br#"{"alg":"HS256","\u0061lg":"none"}"#, false),
        (r#"{"\u00e9":1,"é":2}"#.as_bytes(), false),
        (r#"{"\ud83d\ude00":1,"😀":2}"#.as_bytes(), false),
        (br#"{"a":{"b":1,"b":2}}"#, false),
        (br#"{"a":[{"b":1,"\u0062":2}]}"#, false),
        (br#"{"aud":[{"b":1,"b":2}]}"#, false),
        (br#"{"a":{"a":{"a":1}},"b":{"a":2},"c":[{"a":1},{"a":2}]}"#, true),
        (br#"{"a":{"b":{}},"b":{"b":{}}}"#, true),
        (br#"{"a":1,"A":2,"a ":3}"#, true),
    ];
    assert!(table.len() >= 80, "{}", table.len());
    for (input, expected) in table {
        assert_eq!(compare(input), *expected, "{:?}", String::from_utf8_lossy(input));
    }
}

#[test]
fn realistic_tokens_parts_and_every_prefix() {
    for text in [PAYLOAD, HEADER] {
        assert!(compare(text.as_bytes()));
        for end in 0..text.len() {
            assert!(!compare(&text.as_bytes()[..end]), "prefix of {end} bytes");
        }
        // Every prefix followed by the rest after one dropped byte.
        for skip in 0..text.len() {
            let mut dropped = text.as_bytes().to_vec();
            dropped.remove(skip);
            compare(&dropped);
        }
    }
}

/// `levels` levels: the top-level object, then arrays and objects alternating, the
/// innermost being `innermost` (`[]` or `{}`).
fn mixed(levels: usize, innermost: &str) -> String {
    let (mut open, mut close) = (String::new(), String::new());
    for level in 1..levels {
        if level % 2 == 1 {
            open.push_str("{\"o\":");
            close.insert(0, '}');
        } else {
            open.push('[');
            close.insert(0, ']');
        }
    }
    format!("{open}{innermost}{close}")
}

#[test]
fn nesting_is_accepted_to_127_levels_and_refused_from_128() {
    // The top-level object is level 1.
    for (levels, ok) in [(126, true), (127, true), (128, false), (129, false)] {
        let inner = levels - 1;
        let cases = [
            format!("{{\"a\":{}0{}}}", "[".repeat(inner), "]".repeat(inner)),
            format!("{{\"aud\":{}{}}}", "[".repeat(inner), "]".repeat(inner)),
            format!("{}{}", "{\"a\":".repeat(levels - 1) + "{", "}".repeat(levels)),
            format!("{}null{}", "{\"exp\":".repeat(levels), "}".repeat(levels)),
            mixed(levels, "[]"),
            mixed(levels, "{}"),
            format!("{{\"a\":[{}],\"b\":1}}", "[".repeat(inner - 1) + &"]".repeat(inner - 1)),
        ];
        for case in cases {
            assert_eq!(compare(case.as_bytes()), ok, "{levels} levels: {case}");
        }
    }
    for deep in [
        format!("{{\"a\":{}{}}}", "[".repeat(100_000), "]".repeat(100_000)),
        "{\"a\":".repeat(100_000),
        format!("{{\"aud\":{}", "[".repeat(100_000)),
        "[".repeat(100_000),
    ] {
        assert!(!compare(deep.as_bytes()));
    }
}

#[test]
fn large_objects_with_and_without_duplicates() {
    for count in [23, 24, 25, 26, 100] {
        let names: Vec<String> = (0..count).map(|i| format!("k{i}")).collect();
        let body = |names: &[String]| names.iter().map(|n| format!("\"{n}\":0")).collect::<Vec<_>>().join(",");
        for wrap in [
            |b: &str| format!("{{{b}}}"),
            |b: &str| format!("{{\"o\":{{{b}}}}}"),
            |b: &str| format!("{{\"aud\":[{{{b}}}]}}"),
        ] {
            assert!(compare(wrap(&body(&names)).as_bytes()), "{count} distinct");
            for (dup_of, at) in [(0, count), (count - 1, count), (0, 1), (count / 2, count)] {
                let mut with_dup = names.clone();
                with_dup.insert(at, names[dup_of].clone());
                assert!(!compare(wrap(&body(&with_dup)).as_bytes()), "{count}: duplicate of {dup_of} at {at}");
                // Escaped: "k" as \u006b.
                let escaped = format!("\\u006b{}", &names[dup_of][1..]);
                with_dup[at] = escaped;
                assert!(!compare(wrap(&body(&with_dup)).as_bytes()), "{count}: escaped duplicate");
            }
        }
    }
}

const SEEDS: &[&str] = &[
    PAYLOAD,
    HEADER,
    r#"{"alg":"RS256","typ":"JWT","kid":"2024-01-key"}"#,
    r#"{"alg":"ES256","crit":["exp"],"exp":1790003600,"kid":"k\u0031"}"#,
    r#"{"iss":"https:\/\/auth.example","aud":["api","web"],"exp":1.7900036e9,"nbf":-0,"iat":0,"jti":"a-b-c"}"#,
    r#"{"sub":"\u00c9mile","name":"Zo\u00eb \ud83d\ude00","roles":["admin","user"],"meta":{"a":[1,2.5,-3e2],"b":null,"c":true}}"#,
    r#"{ "sub" : "x" , "exp" : 1790003600 , "cnf" : { "jkt" : "abc" } , "flags" : [ true , false , null ] }"#,
    "{\"name\":\"Ada é 𝄞\",\"aud\":[],\"x\":[[],{},[{}],{\"y\":{}}],\"n\":123456789012345678901234567890}",
    r#"{"a":{"b":{"c":{"d":[{"e":"f"}]}}},"exp":18446744073709551616,"nbf":0.000001,"iat":1E2}"#,
    r#"{"k0":0,"k1":1,"k2":2,"k3":3,"k4":4,"k5":5,"k6":6,"k7":7,"k8":8,"k9":9,"k10":10,"k11":11,"k12":12,"k13":13,"k14":14,"k15":15,"k16":16,"k17":17,"k18":18,"k19":19,"k20":20,"k21":21,"k22":22,"k23":23,"k24":24,"k25":25}"#,
    "{\"esc\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\",\"aud\":\"\\u0061pi\",\"\\u0073ub\":\"s\"}",
];

/// Bytes and short pieces that matter to JSON, for insertions and replacements.
const SIGNIFICANT: &[&[u8]] = &[
    b"{",
    b"}",
    b"[",
    b"]",
    b"\"",
    b":",
    b",",
    b"\\",
    b" ",
    b"\t",
    b"\n",
    b"\r",
    b"0",
    b"1",
    b"9",
    b"-",
    b"+",
    b".",
    b"e",
    b"E",
    b"t",
    b"n",
    b"u",
    b"\x00",
    b"\x1f",
    b"\x7f",
    b"\x80",
    b"\xc3",
    b"\xed",
    b"\xf0",
    b"\xff",
    b"\\u",
    b"\\ud800",
    b"\\udc00",
    b"\\ud83d\\ude00",
    b"\\u0061",
    b"1e999",
    b"-0",
    b"0.5",
    b"true",
    b"null",
    b"[]",
    b"{}",
    b"\"a\":1,",
    b"\"exp\":",
    b",\"sub\":\"x\"",
    b"\xc3\xa9",
    b"\"\"",
];

fn mutate(rng: &mut Rng, input: &mut Vec<u8>) {
    let len = input.len();
    let at = rng.below(len + 1);
    match rng.below(8) {
        // Replace a byte by a significant one or a random one.
        0 | 1 if len > 0 => {
            let at = rng.below(len);
            input[at] = if rng.chance(70) { *rng.pick(SIGNIFICANT).first().unwrap_or(&b' ') } else { rng.next() as u8 };
        }
        // Insert a significant piece.
        2 | 3 => {
            let piece = rng.pick(SIGNIFICANT);
            input.splice(at..at, piece.iter().copied());
        }
        // Delete a byte or a short range.
        4 if len > 0 => {
            let end = (at + 1 + rng.below(4)).min(len);
            input.drain(at.min(len - 1)..end);
        }
        // Truncate.
        5 => input.truncate(at),
        // Splice with another seed.
        6 => {
            let other = rng.pick(SEEDS).as_bytes();
            let from = rng.below(other.len() + 1);
            input.truncate(at);
            input.extend_from_slice(&other[from..]);
        }
        // Copy a range elsewhere (makes duplicate members).
        _ if len > 0 => {
            let start = rng.below(len);
            let end = (start + 1 + rng.below(24)).min(len);
            let piece = input[start..end].to_vec();
            let to = rng.below(len + 1);
            input.splice(to..to, piece);
        }
        _ => input.push(b'}'),
    }
}

/// A random JSON document: mostly valid, with duplicates, bad escapes, out-of-range numbers
/// and deep nesting now and then.
struct Generator<'r> {
    rng: &'r mut Rng,
    out: Vec<u8>,
}

const NAMES: &[&str] = &[
    "alg",
    "typ",
    "kid",
    "crit",
    "cty",
    "exp",
    "nbf",
    "iat",
    "aud",
    "iss",
    "sub",
    "jti",
    "a",
    "b",
    "name",
    "",
    "é",
    "\\u0061",
    "\\u0061lg",
    "\\u00e9",
    "e\\u0078p",
    "\\ud83d\\ude00",
    "😀",
    "k\\n",
    "roles",
    "x",
];

impl Generator<'_> {
    fn ws(&mut self) {
        if self.rng.chance(10) {
            let w = *self.rng.pick(&[&b" "[..], b"\n", b"\t", b"\r\n  "]);
            self.out.extend_from_slice(w);
        }
    }

    fn string(&mut self) {
        const PIECES: &[&str] = &[
            "a",
            "HS256",
            "JWT",
            "https://x",
            " ",
            "é",
            "€",
            "𝄞",
            "\\\"",
            "\\\\",
            "\\/",
            "\\b",
            "\\f",
            "\\n",
            "\\r",
            "\\t",
            "\\u0041",
            "\\u00e9",
            "\\uFFFF",
            "\\u0000",
            "\\ud83d\\ude00",
            "\\uDBFF\\uDFFF",
            "\x7f",
        ];
        const RARE: &[&str] = &["\\ud800", "\\udc00", "\\ud800\\u0041", "\\x", "\x01", "\\u12", "\\ud800\\n"];
        self.out.push(b'"');
        for _ in 0..self.rng.below(5) {
            let piece = if self.rng.chance(2) { self.rng.pick(RARE) } else { self.rng.pick(PIECES) };
            self.out.extend_from_slice(piece.as_bytes());
        }
        self.out.push(b'"');
    }

    fn number(&mut self) {
        const SHAPES: &[&str] = &[
            "0",
            "-0",
            "1",
            "-1",
            "1790003600",
            "123456789012345",
            "-123456789012345",
            "1234567890123456",
            "9007199254740993",
            "18446744073709551615",
            "18446744073709551616",
            "-9223372036854775808",
            "-9223372036854775809",
            "123456789012345678901234567890",
            "1.0",
            "-0.0",
            "0.5",
            "1.5e9",
            "1E3",
            "1e+2",
            "2.5E-3",
            "1e-400",
            "-1e-400",
            "1.7976931348623157e308",
            "5e-324",
            "0.1",
            "3.14159265358979323846",
            "1e308",
            "12345678901234567890e-10",
            "0e999999999999",
        ];
        const OUT_OF_RANGE: &[&str] = &["1e999", "-1e309", "1.8e308", "1e99999999999"];
        let shape = if self.rng.chance(2) { self.rng.pick(OUT_OF_RANGE) } else { self.rng.pick(SHAPES) };
        if self.rng.chance(30) {
            // A random integer or decimal of random length.
            if self.rng.chance(30) {
                self.out.push(b'-');
            }
            let digits = 1 + self.rng.below(22);
            self.out.push(b'1' + self.rng.below(9) as u8);
            for _ in 1..digits {
                self.out.push(b'0' + self.rng.below(10) as u8);
            }
            if self.rng.chance(30) {
                self.out.extend_from_slice(format!(".{}", self.rng.below(1000)).as_bytes());
            }
            if self.rng.chance(20) {
                self.out.extend_from_slice(format!("e{}", self.rng.below(700) as i64 - 350).as_bytes());
            }
        } else {
            self.out.extend_from_slice(shape.as_bytes());
        }
    }

    fn name(&mut self) {
        let name = *self.rng.pick(NAMES);
        self.out.push(b'"');
        self.out.extend_from_slice(name.as_bytes());
        if self.rng.chance(40) {
            self.out.extend_from_slice(format!("{}", self.rng.below(40)).as_bytes());
        }
        self.out.push(b'"');
    }

    fn value(&mut self, depth: usize) {
        self.ws();
        let container = depth < 6 && self.rng.chance(25);
        match self.rng.below(if container { 2 } else { 6 }) {
            0 if container => self.object(depth + 1),
            1 if container => self.array(depth + 1),
            0 | 1 => self.string(),
            2 | 3 => self.number(),
            4 => {
                let word = *self.rng.pick(&["true", "false", "null"]);
                self.out.extend_from_slice(word.as_bytes());
            }
            _ => {
                // An array of strings (what `aud` and `crit` hold).
                self.out.push(b'[');
                for i in 0..self.rng.below(4) {
                    if i > 0 {
                        self.out.push(b',');
                    }
                    self.string();
                }
                self.out.push(b']');
            }
        }
        self.ws();
    }

    fn object(&mut self, depth: usize) {
        self.out.push(b'{');
        let members = if self.rng.chance(3) { 20 + self.rng.below(20) } else { self.rng.below(6) };
        for i in 0..members {
            if i > 0 {
                self.out.push(b',');
            }
            self.ws();
            self.name();
            self.ws();
            self.out.push(b':');
            self.value(depth);
        }
        self.ws();
        self.out.push(b'}');
    }

    fn array(&mut self, depth: usize) {
        self.out.push(b'[');
        for i in 0..self.rng.below(5) {
            if i > 0 {
                self.out.push(b',');
            }
            self.value(depth);
        }
        self.out.push(b']');
    }

    /// A document; now and then nested near the limit.
    fn document(&mut self) -> Vec<u8> {
        self.out.clear();
        if self.rng.chance(3) {
            let levels = 124 + self.rng.below(7);
            let mut inner = Vec::new();
            for _ in 0..levels - 1 {
                inner.push(self.rng.chance(50));
            }
            self.out.extend_from_slice(b"{\"a\":");
            for &object in &inner {
                self.out.extend_from_slice(if object { b"{\"b\":" } else { b"[" });
            }
            self.value(6);
            for &object in inner.iter().rev() {
                self.out.push(if object { b'}' } else { b']' });
            }
            self.out.push(b'}');
        } else {
            self.ws();
            self.object(1);
            self.ws();
        }
        std::mem::take(&mut self.out)
    }
}

#[test]
fn pseudo_random_inputs_get_the_same_verdict_and_members() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let (mut mutated_ok, mut mutated) = (0usize, 0usize);
    let (mut generated_ok, mut generated) = (0usize, 0usize);

    // Mutations of the seeds and of generated documents.
    let mut pool: Vec<Vec<u8>> = SEEDS.iter().map(|s| s.as_bytes().to_vec()).collect();
    for i in 0..200_000 {
        if i % 1000 == 0 {
            let doc = Generator { rng: &mut rng, out: Vec::new() }.document();
            let slot = rng.below(pool.len() + 1);
            if slot < SEEDS.len() || slot >= pool.len() || pool.len() < 32 {
                pool.push(doc);
            } else {
                pool[slot] = doc;
            }
        }
        let mut input = pool[rng.below(pool.len())].clone();
        // One mutation half the time: inputs near valid ones find the most differences.
        let mutations = if rng.chance(50) { 1 } else { 2 + rng.below(3) };
        for _ in 0..mutations {
            mutate(&mut rng, &mut input);
        }
        mutated += 1;
        mutated_ok += usize::from(compare(&input));
    }

    // Generated documents.
    for _ in 0..100_000 {
        let doc = Generator { rng: &mut rng, out: Vec::new() }.document();
        generated += 1;
        generated_ok += usize::from(compare(&doc));
    }

    let (ok, total) = (mutated_ok + generated_ok, mutated + generated);
    println!("mutated: {mutated_ok}/{mutated} accepted; generated: {generated_ok}/{generated} accepted");
    assert!(total >= 200_000);
    assert!(ok * 10 >= total && (total - ok) * 10 >= total, "{ok} of {total} accepted");
    // Each kind must exercise both outcomes too.
    assert!(mutated_ok * 20 >= mutated && (mutated - mutated_ok) * 10 >= mutated, "{mutated_ok} of {mutated}");
    assert!(generated_ok * 10 >= generated && (generated - generated_ok) * 20 >= generated, "{generated_ok}");
}

/// Timing only, nothing asserted: `cargo test --release --test scan_differential --
/// --ignored --nocapture timing`. The best of five runs of a million calls each.
#[test]
#[ignore = "timing, print only"]
fn timing() {
    use std::hint::black_box;
    use std::time::Instant;
    const CALLS: u32 = 1_000_000;
    for (label, text) in [("payload", PAYLOAD), ("header", HEADER)] {
        let bytes = text.as_bytes();
        let (mut scan, mut parse) = (f64::MAX, f64::MAX);
        for _ in 0..5 {
            let start = Instant::now();
            for _ in 0..CALLS {
                let _ = black_box(scan_object(black_box(bytes)));
            }
            scan = scan.min(start.elapsed().as_nanos() as f64 / f64::from(CALLS));
            let start = Instant::now();
            for _ in 0..CALLS {
                let _ = black_box(parse_object_with_serde_json(black_box(bytes)));
            }
            parse = parse.min(start.elapsed().as_nanos() as f64 / f64::from(CALLS));
        }
        println!(
            "{label} ({} bytes): scan_object {scan:.1} ns, parse_object_with_serde_json {parse:.1} ns, {:.2}x",
            bytes.len(),
            parse / scan
        );
    }
}

// ---- Cases first written beside the scanner ----------------------------------------------

/// The scanner against the reference on `text` (see [`compare`]); whether it accepted.
fn agree(text: &[u8]) -> bool {
    compare(text)
}

fn number_of(text: &str, name: &str) -> f64 {
    match scan_object(text.as_bytes()).unwrap().get(name) {
        Some(Value::Number(n)) => *n,
        other => panic!("{other:?}"),
    }
}

#[test]
fn captures_like_parse_object() {
    let text = br#"{"sub":"a","x":{"y":[1,2]},"exp":1.5,"aud":["p","q"],"alg":null,"typ":true,"kid":{},"crit":[1]}"#;
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
fn borrows_plain_strings_and_unescapes_the_others() {
    let m = scan_object(br#"{"sub":"plain","iss":"a\"b\\c\/d\b\f\n\r\t\u00e9\uD83D\ude00"}"#).unwrap();
    assert!(matches!(m.get("sub"), Some(Value::Str(std::borrow::Cow::Borrowed("plain")))));
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
    assert!(scan_object(deep.as_bytes()).is_err());
    let deep = "{\"a\":".repeat(100_000);
    assert!(scan_object(deep.as_bytes()).is_err());
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
