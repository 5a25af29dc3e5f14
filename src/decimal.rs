//! JSON number text to the nearest `f64`, ties to even: the value `JSON.parse` and the
//! standard library's parser give.
//!
//! The standard library's `f64::from_str` is correct and fast, but its tables (128-bit
//! powers of five) do not compress: about 13 KB of the gzipped HMAC-only .wasm, a sixth of
//! it. The small crate measured instead (lexical-parse-float 1.0.6 with `compact`) rounded
//! some inputs just above a midpoint down, which the midpoint test now in `tests/decimal.rs`
//! found. So this module converts with exact big-integer arithmetic, after a shortcut for
//! short numbers that is exact too.
//!
//! Most numbers never come here: the scanner converts short integers itself, and numbers
//! whose value nothing reads (all but the registered claims) only need [`in_range`], which
//! decides from the digits alone. The rest is kept simple rather than fast. The tests
//! compare it with the standard library bit for bit: at and beside rounding midpoints, at
//! the ends of the range, with long mantissas, and at random.

use std::cmp::Ordering;

/// Converts text already checked to be JSON number syntax
/// (`-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`), or the looser form of a time span's
/// number (`-?[0-9]*\.?[0-9]+`: leading zeros, a bare leading point). `None` when the value
/// is beyond the range of `f64` (it would round to infinity).
pub fn parse(text: &[u8]) -> Option<f64> {
    let negative = text.first() == Some(&b'-');
    let magnitude = Decimal::read(text).nearest()?;
    Some(if negative { -magnitude } else { magnitude })
}

/// Whether [`parse`] would give a finite value, for text checked as for [`parse`]: a
/// comparison of digits, no arithmetic.
pub fn in_range(text: &[u8]) -> bool {
    let decimal = Decimal::read(text);
    match decimal.order {
        _ if decimal.count == 0 => true,
        ..=308 => true,
        309 => {
            // Below the midpoint between f64::MAX and 2^1024, or it rounds to 2^1024 (a tie
            // too: f64::MAX's last bit is odd). Both padded with zeros to the same length.
            let length = decimal.count.max(OVERFLOW.len());
            let digits = decimal.digits().chain(std::iter::repeat(0)).take(length);
            let overflow = OVERFLOW.iter().map(|d| d - b'0').chain(std::iter::repeat(0)).take(length);
            digits.cmp(overflow) == Ordering::Less
        }
        _ => false,
    }
}

/// The digits of the midpoint between f64::MAX and 2^1024, which is 1.797...e308.
const OVERFLOW: &[u8] = b"179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497792";

/// Significant digits kept; any further non-zero digit only marks the value as a little
/// more than the kept digits say. A midpoint between two doubles has at most 767
/// significant digits, so 800 decide every rounding.
const MAX_DIGITS: usize = 800;

/// A number's significant digits `d1 d2 ... d_count` and its order: the value is
/// `0.d1d2... × 10^order`, so it lies in `[10^(order-1), 10^order)`.
struct Decimal<'t> {
    /// The mantissa's text (digits and perhaps a `.`) from its first non-zero digit.
    mantissa: &'t [u8],
    /// How many digits of `mantissa` count: up to its last non-zero digit.
    count: usize,
    order: i64,
}

impl<'t> Decimal<'t> {
    fn read(text: &'t [u8]) -> Decimal<'t> {
        let unsigned = text.strip_prefix(b"-").unwrap_or(text);
        let end = unsigned.iter().position(|&c| c == b'e' || c == b'E').unwrap_or(unsigned.len());
        let (mantissa, exponent) = unsigned.split_at(end);
        let point = mantissa.iter().position(|&c| c == b'.').unwrap_or(mantissa.len());
        let Some(first) = mantissa.iter().position(|&c| matches!(c, b'1'..=b'9')) else {
            return Decimal { mantissa: &[], count: 0, order: 0 };
        };
        // The number of integer digits from the first significant one on, or, for a value
        // under 1, minus the number of zeros between the point and the first significant digit.
        let order = if first < point { (point - first) as i64 } else { point as i64 + 1 - first as i64 };
        let mantissa = &mantissa[first..];
        let last = mantissa.iter().rposition(|&c| matches!(c, b'1'..=b'9')).unwrap_or(0);
        let count = mantissa[..=last].iter().filter(|c| c.is_ascii_digit()).count();
        Decimal { mantissa, count, order: order + read_exponent(exponent) }
    }

    fn digits(&self) -> impl Iterator<Item = u8> + '_ {
        self.mantissa.iter().filter(|c| c.is_ascii_digit()).map(|c| c - b'0').take(self.count)
    }

    fn nearest(&self) -> Option<f64> {
        if self.count == 0 {
            return Some(0.0);
        }
        if self.order > 309 {
            return None;
        }
        if self.order <= -324 {
            // Below 10^-324, under half the smallest subnormal (2^-1075).
            return Some(0.0);
        }
        let kept = self.count.min(MAX_DIGITS);
        let truncated = self.count > MAX_DIGITS;
        // The value is (the kept digits as an integer) × 10^exponent, a little more if truncated.
        let exponent = self.order - kept as i64;
        if !truncated && kept <= 15 && exponent.abs() <= 22 {
            // Both operands are exact doubles (under 2^53, and 10^22 = 2^22 × 5^22 with
            // 5^22 < 2^53), and one IEEE operation rounds correctly: Clinger's fast path.
            let whole = self.digits().fold(0.0, |n, d| n * 10.0 + f64::from(d));
            let scale = POWERS_OF_TEN[exponent.unsigned_abs() as usize];
            return Some(if exponent < 0 { whole / scale } else { whole * scale });
        }
        // 10^exponent = 5^exponent × 2^exponent: the power of two goes to the binary exponent.
        let mut numerator = Big::from_digits(self.digits().take(kept));
        if exponent >= 0 {
            numerator.mul_pow5(exponent.unsigned_abs());
            let (top, exponent2, rest) = numerator.top64();
            return round(top, exponent2 + exponent, rest || truncated);
        }
        let mut denominator = Big(vec![1]);
        denominator.mul_pow5(exponent.unsigned_abs());
        // Scale so that the quotient has 63 or 64 bits.
        let scale = denominator.bit_len() as i64 + 63 - numerator.bit_len() as i64;
        if scale >= 0 {
            numerator.shl(scale.unsigned_abs());
        } else {
            denominator.shl(scale.unsigned_abs());
        }
        let (quotient, exact) = numerator.divide(&denominator);
        let shift = quotient.leading_zeros();
        round(quotient << shift, exponent - scale - i64::from(shift), !exact || truncated)
    }
}

/// The exponent after `e`: an optional sign and digits, saturated far beyond any exponent
/// that matters (the order then decides).
fn read_exponent(text: &[u8]) -> i64 {
    let (negative, digits) = match text.get(1) {
        Some(b'-') => (true, text.get(2..).unwrap_or_default()),
        Some(b'+') => (false, text.get(2..).unwrap_or_default()),
        _ => (false, text.get(1..).unwrap_or_default()),
    };
    let digits = digits.iter().filter(|d| d.is_ascii_digit());
    let value = digits.fold(0i64, |e, &d| (e * 10 + i64::from(d - b'0')).min(1 << 40));
    if negative {
        -value
    } else {
        value
    }
}

const POWERS_OF_TEN: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
    1e21, 1e22,
];

/// The double nearest to `top × 2^exponent2` (plus a little when `sticky`), ties to even;
/// `top` has its highest bit set. `None` when that rounds to infinity.
fn round(top: u64, exponent2: i64, sticky: bool) -> Option<f64> {
    let exponent = exponent2 + 63;
    if exponent > 1023 {
        return None;
    }
    // Bits dropped from `top`: 11 for a normal double (53 kept), more for a subnormal.
    let dropped = if exponent >= -1022 { 11 } else { 11 + (-1022 - exponent) };
    if dropped > 64 {
        return Some(0.0);
    }
    let half = 1u64 << (dropped - 1);
    let mut kept = top.checked_shr(dropped as u32).unwrap_or(0);
    let above_half = top & (half - 1) != 0 || sticky;
    if top & half != 0 && (above_half || kept & 1 == 1) {
        kept += 1;
    }
    // With the implicit bit in `kept`, adding it to the exponent field minus one gives the
    // encoding, and a carry out of the mantissa moves the exponent up by itself. A
    // subnormal's encoding is `kept` alone (becoming the smallest normal on a carry).
    let bits = if exponent >= -1022 { (((exponent + 1022) as u64) << 52) + kept } else { kept };
    (bits < f64::INFINITY.to_bits()).then(|| f64::from_bits(bits))
}

/// An unsigned big integer, 32-bit words, least significant first, no zero words on top.
struct Big(Vec<u32>);

impl Big {
    fn from_digits(digits: impl Iterator<Item = u8>) -> Big {
        let mut big = Big(Vec::new());
        let (mut chunk, mut scale) = (0u32, 1u32);
        for digit in digits {
            chunk = chunk * 10 + u32::from(digit);
            scale *= 10;
            if scale == 1_000_000_000 {
                big.mul_add(scale, chunk);
                (chunk, scale) = (0, 1);
            }
        }
        big.mul_add(scale, chunk);
        big
    }

    fn mul_add(&mut self, factor: u32, add: u32) {
        let mut carry = u64::from(add);
        for word in &mut self.0 {
            let v = u64::from(*word) * u64::from(factor) + carry;
            *word = v as u32;
            carry = v >> 32;
        }
        if carry != 0 {
            self.0.push(carry as u32);
        }
    }

    fn mul_pow5(&mut self, mut power: u64) {
        // 5^13 is the largest power of five in a u32.
        while power >= 13 {
            self.mul_add(1_220_703_125, 0);
            power -= 13;
        }
        self.mul_add(5u32.pow(power as u32), 0);
    }

    /// `self × factor`, as a new number.
    fn times(&self, factor: u64) -> Big {
        let mut product = Vec::with_capacity(self.0.len() + 2);
        let mut carry = 0u128;
        for &word in &self.0 {
            let v = u128::from(word) * u128::from(factor) + carry;
            product.push(v as u32);
            carry = v >> 32;
        }
        while carry != 0 {
            product.push(carry as u32);
            carry >>= 32;
        }
        let mut big = Big(product);
        big.trim();
        big
    }

    fn bit_len(&self) -> u64 {
        self.0.last().map_or(0, |top| self.0.len() as u64 * 32 - u64::from(top.leading_zeros()))
    }

    /// The 128 bits from bit `from` up: `(self >> from) mod 2^128`.
    fn bits_from(&self, from: u64) -> u128 {
        let (word, bit) = ((from / 32) as usize, (from % 32) as u32);
        let words: [u32; 5] = std::array::from_fn(|i| self.0.get(word + i).copied().unwrap_or(0));
        let low = words[..4].iter().rev().fold(0u128, |acc, &w| acc << 32 | u128::from(w));
        if bit == 0 {
            low
        } else {
            low >> bit | u128::from(words[4]) << (128 - bit)
        }
    }

    /// Whether any bit below bit `end` is set.
    fn any_below(&self, end: u64) -> bool {
        let (word, bit) = ((end / 32) as usize, end % 32);
        self.0.iter().take(word).any(|&w| w != 0) || self.0.get(word).is_some_and(|&w| w & ((1u32 << bit) - 1) != 0)
    }

    fn shl(&mut self, bits: u64) {
        let (words, bits) = ((bits / 32) as usize, (bits % 32) as u32);
        if bits != 0 {
            let mut carry = 0;
            for word in &mut self.0 {
                let shifted = *word << bits | carry;
                carry = *word >> (32 - bits);
                *word = shifted;
            }
            if carry != 0 {
                self.0.push(carry);
            }
        }
        self.0.splice(0..0, std::iter::repeat_n(0, words));
    }

    fn trim(&mut self) {
        while self.0.last() == Some(&0) {
            self.0.pop();
        }
    }

    fn compare(&self, other: &Big) -> Ordering {
        self.0.len().cmp(&other.0.len()).then_with(|| self.0.iter().rev().cmp(other.0.iter().rev()))
    }

    /// `self -= other`, for `self >= other`.
    fn subtract(&mut self, other: &Big) {
        let mut borrow = 0i64;
        for (i, word) in self.0.iter_mut().enumerate() {
            let v = i64::from(*word) - i64::from(other.0.get(i).copied().unwrap_or(0)) - borrow;
            *word = v as u32;
            borrow = i64::from(v < 0);
        }
        self.trim();
    }

    /// `self / divisor` for a quotient under 2^64, and whether it is exact.
    fn divide(mut self, divisor: &Big) -> (u64, bool) {
        let divisor_len = divisor.bit_len();
        let estimate = if divisor_len <= 64 {
            // Both fit in 128 bits: exact.
            self.bits_from(0) / divisor.bits_from(0)
        } else {
            // From the leading bits: the divisor's top 64 bits plus one overstate it by
            // under 2^-63 of itself, so this is at most a few below the quotient.
            let from = divisor_len - 64;
            self.bits_from(from) / (divisor.bits_from(from) + 1)
        };
        let mut quotient = estimate as u64;
        self.subtract(&divisor.times(quotient));
        while self.compare(divisor) != Ordering::Less {
            self.subtract(divisor);
            quotient += 1;
        }
        (quotient, self.0.is_empty())
    }

    /// The 64 highest bits (the top one set), the power of two they stand for, and whether
    /// any lower bit is set.
    fn top64(&self) -> (u64, i64, bool) {
        let len = self.bit_len();
        if len <= 64 {
            let value = self.bits_from(0) as u64;
            return (value << (64 - len), len as i64 - 64, false);
        }
        let from = len - 64;
        (self.bits_from(from) as u64, from as i64, self.any_below(from))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Ours and the standard library's, as bits (`u64::MAX` for out of range); and checks
    /// that `in_range` says the same as `parse`.
    fn both(text: &str) -> (u64, u64) {
        let ours = parse(text.as_bytes());
        assert_eq!(in_range(text.as_bytes()), ours.is_some(), "in_range({text})");
        let reference = text.parse::<f64>().ok().filter(|f| f.is_finite()).map_or(u64::MAX, f64::to_bits);
        (ours.map_or(u64::MAX, f64::to_bits), reference)
    }

    #[test]
    fn agrees_with_the_standard_library_on_hand_picked_numbers() {
        for text in [
            "0",
            "-0",
            "0.0",
            "-0.0",
            "0e5",
            "1",
            "1.5",
            "-2.25",
            "0.1",
            "0.3",
            "1e22",
            "1e23",
            "123456789012345.6",
            "1234567890123456",
            "12345678901234567890",
            "9007199254740993",
            "1.5e300",
            "1e308",
            "1.7976931348623157e308",
            "1.7976931348623158e308",
            "1.7976931348623159e308",
            "1e309",
            "2.2250738585072011e-308",
            "2.2250738585072014e-308",
            "4.9406564584124654e-324",
            "2.4703282292062327e-324",
            "2.4703282292062328e-324",
            "1e-324",
            "1e-323",
            "1e-400",
            "0.000001",
            "1790003600.5",
            "1e-7",
            "100e-2",
            "0.00000000000000000000000000000000000000001e41",
            "1000000000000000000000000e-24",
            "120",
            "1200e-1",
            "0.0120",
            "-0.5e-1",
        ] {
            let (ours, reference) = both(text);
            assert_eq!(ours, reference, "{text}");
        }
    }

    #[test]
    fn the_top_of_the_range_is_decided_by_the_digits() {
        // 2^1024 - 2^970 is the midpoint between f64::MAX and 2^1024: it and anything above
        // round to infinity; anything below to f64::MAX.
        let midpoint = std::str::from_utf8(OVERFLOW).unwrap();
        assert!(midpoint.ends_with('2'));
        let below = format!("{}1.99999", &midpoint[..midpoint.len() - 1]);
        for (text, finite) in [
            (midpoint.to_owned(), false),
            (format!("{midpoint}.0000"), false),
            (format!("{midpoint}.0001"), false),
            (below, true),
            (format!("{}e-3", &midpoint[..306]), true),
            ("1.79769313486231580793728971405303415079934132710037826937e308".to_owned(), false),
            ("1.79769313486231580793728971405303415079934132710037826936e308".to_owned(), true),
            ("9.9e308".to_owned(), false),
            ("0.1e309".to_owned(), true),
        ] {
            let (ours, reference) = both(&text);
            assert_eq!(ours, reference, "{text}");
            assert_eq!(ours != u64::MAX, finite, "{text}");
        }
    }

    #[test]
    fn text_that_is_not_a_number_does_not_panic() {
        // The scanner passes only checked syntax; the public functions still never panic.
        for text in [
            "", "-", ".", "e", "1e", "1e+", "1e-x", "--1", "1.2.3", "abc", "1e99x9", "1e9-", "1e9 ", "\u{ff}", "0x1f",
            "1_000",
        ] {
            let _ = parse(text.as_bytes());
            let _ = in_range(text.as_bytes());
        }
    }

    #[test]
    fn exponents_too_long_for_any_integer_saturate() {
        assert_eq!(parse(b"1e99999999999999999999999"), None);
        assert!(!in_range(b"1e99999999999999999999999"));
        assert_eq!(parse(b"1e-99999999999999999999999"), Some(0.0));
        assert_eq!(parse(b"0e99999999999999999999999"), Some(0.0));
        assert!(in_range(b"0e99999999999999999999999"));
        assert_eq!(parse(b"-0.0e-99999999999999999999999").map(f64::to_bits), Some((-0.0f64).to_bits()));
    }

    #[test]
    fn digits_beyond_the_kept_ones_still_count() {
        // A midpoint (ties to even: down) followed by a non-zero digit past MAX_DIGITS.
        let midpoint = "9007199254740993";
        let zeros = "0".repeat(MAX_DIGITS);
        for (text, up) in [(format!("{midpoint}.{zeros}"), false), (format!("{midpoint}.{zeros}1"), true)] {
            let (ours, reference) = both(&text);
            assert_eq!(ours, reference);
            assert_eq!(ours == 9007199254740994f64.to_bits(), up);
        }
        let long_integer = format!("1{}", "0".repeat(MAX_DIGITS + 10));
        assert_eq!(parse(long_integer.as_bytes()), None);
        let long_fraction = format!("0.{}1", "0".repeat(MAX_DIGITS + 10));
        assert_eq!(parse(long_fraction.as_bytes()), Some(0.0));
    }

    #[test]
    fn big_integer_division_corrects_its_estimate() {
        // Divisors of under and over 64 bits, quotients near both ends of [2^62, 2^64).
        for (numerator, divisor) in [(u128::MAX >> 1, 3u128), ((1 << 126) + 12345, (1 << 63) + 7), (1 << 64, 5)] {
            let big = |v: u128| {
                let mut b = Big((0..4).map(|i| (v >> (32 * i)) as u32).collect());
                b.trim();
                b
            };
            if numerator / divisor < 1 << 64 {
                let (q, exact) = big(numerator).divide(&big(divisor));
                assert_eq!((u128::from(q), exact), (numerator / divisor, numerator % divisor == 0));
            }
        }
        // A large divisor: 5^200 into 5^200 × (2^64 - 1) + 5^200 - 1.
        let mut divisor = Big(vec![1]);
        divisor.mul_pow5(200);
        let mut numerator = divisor.times(u64::MAX);
        let mut less_one = Big(divisor.0.clone());
        less_one.subtract(&Big(vec![1]));
        let sum = numerator.0.len().max(less_one.0.len()) + 1;
        let mut carry = 0u64;
        numerator.0.resize(sum, 0);
        for (i, word) in numerator.0.iter_mut().enumerate() {
            let v = u64::from(*word) + u64::from(less_one.0.get(i).copied().unwrap_or(0)) + carry;
            *word = v as u32;
            carry = v >> 32;
        }
        numerator.trim();
        assert_eq!(numerator.divide(&divisor), (u64::MAX, false));
    }
}
