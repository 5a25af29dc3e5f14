//! Time spans as the `ms` npm package reads them (`'90s'`, `'15m'`, `'2 days'`, `'1y'`).
//!
//! One deliberate difference: a string without a unit (`'120'`) is refused. `ms` reads it
//! as milliseconds, and `jsonwebtoken` users keep writing `expiresIn: '120'` meaning seconds.

use crate::error::{shortened, Error, ErrorKind, Result};

const SECOND: f64 = 1.0;
const MINUTE: f64 = 60.0;
const HOUR: f64 = 3600.0;
const DAY: f64 = 86_400.0;
const WEEK: f64 = 7.0 * DAY;
const YEAR: f64 = 365.25 * DAY;

/// Parses a time span into seconds (fractions kept: `'500ms'` is 0.5).
///
/// ```
/// assert_eq!(jwtkit::timespan::parse("2 days").unwrap(), 172_800.0);
/// assert_eq!(jwtkit::timespan::parse("1.5h").unwrap(), 5_400.0);
/// assert!(jwtkit::timespan::parse("120").is_err());
/// ```
pub fn parse(text: &str) -> Result<f64> {
    let invalid = || {
        Error::new(
            ErrorKind::InvalidOption,
            format!(
                "\"{}\" is not a time span: use a number of seconds or a string such as '90s', '15m', '1h', '2 days'",
                shortened(text, 40)
            ),
        )
    };
    if text.len() > 100 {
        return Err(invalid());
    }
    let number_len = numeric_prefix_len(text);
    if number_len == 0 {
        return Err(invalid());
    }
    let (number_text, unit) = text.split_at_checked(number_len).ok_or_else(invalid)?;
    let unit = unit.trim_start_matches(' ').to_ascii_lowercase();
    let value = decimal_value(number_text).ok_or_else(invalid)?;
    if unit.is_empty() {
        return Err(Error::new(
            ErrorKind::InvalidOption,
            format!(
                "time span \"{number_text}\" has no unit: write '{number_text}s' or the number {number_text} for seconds (jsonwebtoken would read it as milliseconds)"
            ),
        ));
    }
    let scale = match unit.as_str() {
        "years" | "year" | "yrs" | "yr" | "y" => YEAR,
        "weeks" | "week" | "w" => WEEK,
        "days" | "day" | "d" => DAY,
        "hours" | "hour" | "hrs" | "hr" | "h" => HOUR,
        "minutes" | "minute" | "mins" | "min" | "m" => MINUTE,
        "seconds" | "second" | "secs" | "sec" | "s" => SECOND,
        "milliseconds" | "millisecond" | "msecs" | "msec" | "ms" => SECOND / 1000.0,
        _ => return Err(invalid()),
    };
    let seconds = value * scale;
    if seconds.is_finite() {
        Ok(seconds)
    } else {
        Err(invalid())
    }
}

/// The value of `-?\d*(\.\d+)?`, by hand: `f64::from_str` would add its tables to the
/// .wasm, and a time span needs no last-bit exactness (results are rounded to seconds).
fn decimal_value(text: &str) -> Option<f64> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let mut value = 0.0f64;
    for digit in whole.bytes() {
        value = value * 10.0 + f64::from(digit - b'0');
    }
    let mut scale = 1.0f64;
    for digit in fraction.bytes() {
        scale /= 10.0;
        value += f64::from(digit - b'0') * scale;
    }
    value.is_finite().then_some(if negative { -value } else { value })
}

/// Length of the number at the start of `text` as `ms` reads it (`-?\d*\.?\d+`), or 0.
fn numeric_prefix_len(text: &str) -> usize {
    let bytes = text.as_bytes();
    let sign = usize::from(bytes.first() == Some(&b'-'));
    let digits = |from: usize| bytes[from..].iter().take_while(|b| b.is_ascii_digit()).count();
    let whole = digits(sign);
    let after_whole = sign + whole;
    if bytes.get(after_whole) == Some(&b'.') {
        let fraction = digits(after_whole + 1);
        if fraction > 0 {
            return after_whole + 1 + fraction;
        }
        // "1." is not a number for `ms`; the dot is then read as the start of the unit.
    }
    if whole > 0 {
        after_whole
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn reads_every_unit_spelling() {
        let cases = [
            ("90s", 90.0),
            ("15m", 900.0),
            ("1h", 3600.0),
            ("2 days", 172_800.0),
            ("7d", 604_800.0),
            ("1y", 31_557_600.0),
            ("1w", 604_800.0),
            ("500ms", 0.5),
            ("1.5H", 5400.0),
            (".5m", 30.0),
            ("-1h", -3600.0),
            ("-1.5h", -5400.0),
            ("-.5m", -30.0),
            ("3 Minutes", 180.0),
            ("10 secs", 10.0),
            ("2 yrs", 63_115_200.0),
        ];
        for (text, seconds) in cases {
            assert_eq!(parse(text).unwrap(), seconds, "{text}");
        }
    }

    #[test]
    fn refuses_unitless_and_garbage() {
        let e = parse("120").unwrap_err();
        assert_eq!(e.code(), "ERR_INVALID_OPTION");
        assert!(e.message().contains("'120s'"), "{}", e.message());
        for text in ["", "h", "1 fortnight", "1..2h", "1.h", "--1h", " 1h", "1h ", &"9".repeat(101)] {
            assert!(parse(text).is_err(), "{text:?} should be refused");
        }
    }
}
