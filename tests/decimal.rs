//! `decimal::parse`, the conversion of JSON numbers, against the standard library's parser
//! bit for bit, here and in wasm (`scripts/test-wasm.sh`): at and beside the midpoints
//! between neighbouring doubles, over the whole range, and on random numbers. Some cases
//! go through the scanner, as a token's claims do.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

#[path = "common/rng.rs"]
mod rng;

use jwtkit::json::Value;
use jwtkit::scan::scan_object;
use rng::Rng;

/// The `exp` claim of `{"exp":<text>}` as the scanner converts it.
fn exp_claim(text: &str) -> f64 {
    match scan_object(format!("{{\"exp\":{text}}}").as_bytes()).unwrap().get("exp") {
        Some(Value::Number(n)) => *n,
        other => panic!("{text}: {other:?}"),
    }
}

/// The exact decimal text of `m * 2^e` (m odd or not, any sign of `e`), by schoolbook
/// arithmetic on decimal digits: `m * 5^k / 10^k` for a negative `e = -k`.
fn exact_decimal(m: u64, e: i32) -> String {
    let mut digits: Vec<u8> = m.to_string().bytes().map(|b| b - b'0').collect();
    let times = |digits: &mut Vec<u8>, factor: u8| {
        let mut carry = 0;
        for d in digits.iter_mut().rev() {
            let v = *d * factor + carry;
            *d = v % 10;
            carry = v / 10;
        }
        while carry > 0 {
            digits.insert(0, carry % 10);
            carry /= 10;
        }
    };
    let k = e.unsigned_abs() as usize;
    for _ in 0..k {
        times(&mut digits, if e < 0 { 5 } else { 2 });
    }
    let text: String = digits.iter().map(|d| char::from(b'0' + d)).collect();
    if e >= 0 {
        return text;
    }
    let text = format!("{text:0>width$}", width = k + 1);
    let (whole, fraction) = text.split_at(text.len() - k);
    format!("{whole}.{fraction}")
}

/// The midpoint between `m × 2^e` and the next double up, and the same text a digit above
/// and a digit below it.
fn midpoint_and_neighbours(m: u64, e: i32) -> [String; 3] {
    let midpoint = exact_decimal(2 * m + 1, e - 1);
    let above = if midpoint.contains('.') { format!("{midpoint}1") } else { format!("{midpoint}.1") };
    // One unit less in the last digit (with borrows), then `.9`: just below.
    let mut below = midpoint.clone().into_bytes();
    for d in below.iter_mut().rev().filter(|d| d.is_ascii_digit()) {
        if *d > b'0' {
            *d -= 1;
            break;
        }
        *d = b'9';
    }
    let below = String::from_utf8(below).unwrap();
    let below = if below.contains('.') { format!("{below}9") } else { format!("{below}.9") };
    [midpoint, above, below]
}

/// `decimal::parse` against the standard library, bit for bit (both `None` for infinity),
/// and `decimal::in_range` against both.
fn assert_converts_like_std(text: &str) {
    let ours = jwtkit::decimal::parse(text.as_bytes()).map(f64::to_bits);
    let reference = text.parse::<f64>().ok().filter(|f| f.is_finite()).map(f64::to_bits);
    assert_eq!(ours, reference, "{text}");
    assert_eq!(jwtkit::decimal::in_range(text.as_bytes()), ours.is_some(), "in_range({text})");
}

/// Rounding is where a float parser goes wrong: exact midpoints between two neighbouring
/// doubles (which must round to the even one), and the same text a digit above and below
/// (which must not). The standard library's parser is the reference; serde_json with
/// `float_roundtrip` agrees with it. Normal magnitudes go through the scanner; subnormals
/// and the top of the range through `decimal::parse`, whose texts run to 1,100 digits.
#[test]
fn numbers_round_to_nearest_even_at_and_beside_midpoints() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut checked = 0;
    for _ in 0..4000 {
        let m = (1u64 << 52) | (rng.next() >> 12);
        let e = rng.below(160) as i32 - 120;
        for text in midpoint_and_neighbours(m, e) {
            let expected: f64 = text.parse().unwrap();
            let got = exp_claim(&text);
            assert_eq!(got.to_bits(), expected.to_bits(), "{text}");
            checked += 1;
        }
    }
    for case in 0..300 {
        let (m, e) = match case % 3 {
            // Subnormal: fewer than 53 significant bits, at the smallest exponent.
            0 => {
                let shift = 12 + rng.below(52);
                (rng.next() >> shift, -1074)
            }
            // The smallest normals.
            1 => ((1u64 << 52) | (rng.next() >> 12), -1074 + rng.below(60) as i32),
            // The largest, up to the midpoint between f64::MAX and 2^1024 (which is infinity).
            _ => ((1u64 << 52) | (rng.next() >> 12), 971 - rng.below(60) as i32),
        };
        midpoint_and_neighbours(m, e).iter().for_each(|text| assert_converts_like_std(text));
        checked += 3;
    }
    let top = (1u64 << 53) - 1;
    midpoint_and_neighbours(top, 971).iter().for_each(|text| assert_converts_like_std(text));
    midpoint_and_neighbours(0, -1074).iter().for_each(|text| assert_converts_like_std(text));
    for text in [
        "4.9406564584124654e-324",
        "2.4703282292062327e-324",
        "2.4703282292062328e-324",
        "2.2250738585072011e-308",
        "2.2250738585072014e-308",
        "1.7976931348623157e308",
        "1.7976931348623158e308",
        "9007199254740993",
        "9007199254740992.5",
        "9007199254740993.0000000000000000000000000000000000000000000000000000000000000001",
        "0.1000000000000000055511151231257827021181583404541015625",
        "0.1000000000000000055511151231257827021181583404541015624",
        "0.1000000000000000055511151231257827021181583404541015626",
    ] {
        let expected: f64 = text.parse().unwrap();
        assert_eq!(exp_claim(text).to_bits(), expected.to_bits(), "{text}");
        checked += 1;
    }
    let long = format!("1.{}e-5", "0123456789".repeat(80));
    assert_eq!(exp_claim(&long).to_bits(), long.parse::<f64>().unwrap().to_bits());
    assert!(checked > 12_900);
}

/// Random numbers of every shape the JSON grammar allows, against the standard library.
#[test]
fn random_numbers_convert_like_the_standard_library() {
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    for _ in 0..100_000 {
        let negative = rng.chance(50);
        let most = if rng.chance(10) { 60 } else { 20 };
        let digits = 1 + rng.below(most);
        let mut text = String::new();
        text.push(char::from(b'1' + rng.below(9) as u8));
        (1..digits).for_each(|_| text.push(char::from(b'0' + rng.below(10) as u8)));
        if rng.chance(20) {
            text = format!("0.{}{text}", "0".repeat(rng.below(30)));
        } else if rng.chance(60) {
            let point = 1 + rng.below(digits);
            if point < digits {
                text.insert(point, '.');
            }
        }
        if rng.chance(60) {
            text.push_str(&format!("e{}", rng.below(700) as i64 - 350));
        }
        if negative {
            text.insert(0, '-');
        }
        assert_converts_like_std(&text);
    }
}

/// Time spans (`'.5h'`, `'007.25d'`) hand `decimal::parse` the looser number forms `ms`
/// accepts, `-?\d*\.?\d+`: leading zeros and a bare leading point. `parseFloat` reads them as
/// the standard library does, so that is the reference again.
#[test]
fn time_span_number_forms_convert_like_the_standard_library() {
    for text in [".5", "-.5", "007", "007.25", "-0", "-.0", "0000", ".000123", "00.1", "0.3", "641.350"] {
        assert_converts_like_std(text);
    }
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for _ in 0..20_000 {
        let mut text = String::new();
        if rng.chance(25) {
            text.push('-');
        }
        (0..rng.below(8)).for_each(|_| text.push(char::from(b'0' + rng.below(10) as u8)));
        if text.trim_start_matches('-').is_empty() || rng.chance(70) {
            text.push('.');
            (0..1 + rng.below(30)).for_each(|_| text.push(char::from(b'0' + rng.below(10) as u8)));
        }
        assert_converts_like_std(&text);
    }
}
