//! Human-readable times for the inspector: ISO 8601 dates and relative phrases.

/// ISO 8601 in UTC (`2011-03-22T18:43:00Z`), or `None` outside years 0..=9999.
pub fn iso8601(seconds: f64) -> Option<String> {
    if !seconds.is_finite() || !(-62_167_219_200.0..253_402_300_800.0).contains(&seconds) {
        return None;
    }
    let whole = seconds.floor() as i64;
    let millis = ((seconds - whole as f64) * 1000.0).round() as i64;
    let (days, secs_of_day) = (whole.div_euclid(86_400), whole.rem_euclid(86_400));
    let (year, month, day) = civil_from_days(days);
    let (h, m, s) = (secs_of_day / 3600, secs_of_day % 3600 / 60, secs_of_day % 60);
    Some(if millis > 0 && millis < 1000 {
        format!("{year:04}-{month:02}-{day:02}T{h:02}:{m:02}:{s:02}.{millis:03}Z")
    } else {
        format!("{year:04}-{month:02}-{day:02}T{h:02}:{m:02}:{s:02}Z")
    })
}

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian (H. Hinnant's method).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// "in 59 minutes", "3 days ago", "now".
pub fn relative(at: f64, now: f64) -> String {
    let delta = at - now;
    if delta.abs() < 1.0 {
        return "now".into();
    }
    let span = duration(delta.abs());
    if delta > 0.0 {
        format!("in {span}")
    } else {
        format!("{span} ago")
    }
}

/// "59 minutes", "2 days", "1 year".
pub fn duration(seconds: f64) -> String {
    const UNITS: [(f64, &str); 6] = [
        (31_557_600.0, "year"),
        (86_400.0, "day"),
        (3600.0, "hour"),
        (60.0, "minute"),
        (1.0, "second"),
        (0.001, "millisecond"),
    ];
    let (size, name) = UNITS.iter().copied().find(|(size, _)| seconds >= *size).unwrap_or(UNITS[5]);
    let count = (seconds / size).floor();
    if !(count.is_finite() && count < 1e15) {
        return "forever".into();
    }
    // Integer formatting: float formatting would add kilobytes of tables to the .wasm.
    let count = count as u64;
    if count == 1 {
        format!("1 {name}")
    } else {
        format!("{count} {name}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_dates() {
        assert_eq!(iso8601(0.0).unwrap(), "1970-01-01T00:00:00Z");
        assert_eq!(iso8601(1_300_819_380.0).unwrap(), "2011-03-22T18:43:00Z");
        assert_eq!(iso8601(951_782_400.0).unwrap(), "2000-02-29T00:00:00Z");
        assert_eq!(iso8601(1.5).unwrap(), "1970-01-01T00:00:01.500Z");
        assert_eq!(iso8601(-86_400.0).unwrap(), "1969-12-31T00:00:00Z");
        assert!(iso8601(1e300).is_none());
    }

    #[test]
    fn phrases_relative_times() {
        assert_eq!(relative(3540.0, 0.0), "in 59 minutes");
        assert_eq!(relative(0.0, 3.0 * 86_400.0), "3 days ago");
        assert_eq!(relative(5.0, 5.2), "now");
        assert_eq!(duration(86_400.0 * 2.5), "2 days");
    }
}
