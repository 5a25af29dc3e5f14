//! Time spans as the `ms` npm package reads them (`'90s'`, `'15m'`, `'2 days'`, `'1y'`).
//!
//! One deliberate difference: a string without a unit (`'120'`) is refused. `ms` reads it
//! as milliseconds, and `jsonwebtoken` users keep writing `expiresIn: '120'` meaning seconds.

use crate::error::{shortened, Error, ErrorKind, Result};

// Milliseconds per unit, as `ms` defines them (all exact in an f64).
const MILLISECOND: f64 = 1.0;
const SECOND: f64 = 1000.0;
const MINUTE: f64 = 60.0 * SECOND;
const HOUR: f64 = 60.0 * MINUTE;
const DAY: f64 = 24.0 * HOUR;
const WEEK: f64 = 7.0 * DAY;
const YEAR: f64 = 365.25 * DAY;

/// Parses a time span into seconds (fractions kept: `'500ms'` is 0.5).
///
/// The value is jsonwebtoken's `ms(text) / 1000`, bit for bit: the number read exactly (as
/// `parseFloat` reads it), times the unit's milliseconds, divided by 1000. A claim set from
/// a span is then floored to whole seconds, so one rounding step more or less would move it
/// by a second where the sum lands next to a whole number.
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
    let value = crate::decimal::parse(number_text.as_bytes()).ok_or_else(invalid)?;
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
        "milliseconds" | "millisecond" | "msecs" | "msec" | "ms" => MILLISECOND,
        _ => return Err(invalid()),
    };
    let seconds = value * scale / 1000.0;
    if seconds.is_finite() {
        Ok(seconds)
    } else {
        Err(invalid())
    }
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

    /// Spans where summing `iat` and the seconds, then flooring as jsonwebtoken does, lands on
    /// the other side of a whole second unless the seconds are exactly `ms(span) / 1000`.
    /// The `exp` values are jsonwebtoken 9's, signed with `{ iat }` and `expiresIn: span`.
    #[test]
    fn floored_sums_match_jsonwebtoken_next_to_whole_seconds() {
        let cases = [
            ("641.350y", 1_700_011_368.0, 21_939_478_128.0),
            ("449.735y", 1_700_092_045.0, 15_892_649_281.0),
            ("99963.4 days", 1_700_097_493.0, 10_336_935_252.0),
            ("70971.9450 days", 1_700_041_178.0, 7_832_017_226.0),
            ("-740433.45d", 1_700_013_052.0, -62_273_437_028.0),
            ("9486.35y", 1_700_047_460.0, 301_066_486_220.0),
        ];
        for (text, iat, exp) in cases {
            assert_eq!((iat + parse(text).unwrap()).floor(), exp, "{text}");
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
