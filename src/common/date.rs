//! Dates as the engines read them: ISO 8601 / RFC 3339 date-times (`2018-08-10`,
//! `2018-08-10T00:00:00Z`, fractional seconds, `+hh:mm` offsets) and epoch seconds, as
//! milliseconds since 1970-01-01T00:00:00Z.
//!
//! Strict about shape: every separator is checked (`-` between date fields, `T`/`t`/space before
//! the time, `:` between time fields, `Z` or a signed offset at the end), every field is in range
//! (the day for its month and year, hours 00–23 or exactly `24:00:00`, offsets up to 23:59).
//! Used by the policy engine's `Date*` operators and by the WAF replay's HAR timestamps. No
//! calendar arithmetic beyond turning a date into an instant; no time zones by name.

/// Most digits read as epoch seconds (beyond the year 30,000).
const MAX_EPOCH_DIGITS: usize = 12;

/// Parses a date value to milliseconds since 1970-01-01T00:00:00Z; `None` when it is not one.
pub fn parse_date(s: &str) -> Option<i64> {
    let s = s.trim();
    let digits = s.strip_prefix('-').unwrap_or(s);
    if !digits.is_empty() && digits.len() <= MAX_EPOCH_DIGITS && digits.bytes().all(|b| b.is_ascii_digit()) {
        // Epoch seconds.
        return s.parse::<i64>().ok().map(|v| v * 1000);
    }
    let b = s.as_bytes();
    let year = num(b, 0, 4)?;
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let month = num(b, 5, 2)?;
    let day = num(b, 8, 2)?;
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    let date = days_from_civil(year, month, day) * 86_400_000;
    if b.len() == 10 {
        return Some(date);
    }
    if !matches!(b.get(10), Some(b'T' | b't' | b' ')) {
        return None;
    }
    let (time, rest) = time_of_day(b)?;
    let offset = offset_millis(b.get(rest..)?)?;
    Some(date + time - offset)
}

/// Reads `hh:mm[:ss[.fff…]]` from byte 11: the milliseconds into the day and where it ends.
fn time_of_day(b: &[u8]) -> Option<(i64, usize)> {
    let hour = num(b, 11, 2)?;
    if b.get(13) != Some(&b':') {
        return None;
    }
    let minute = num(b, 14, 2)?;
    let mut end = 16;
    let (mut second, mut millis) = (0, 0);
    if b.get(end) == Some(&b':') {
        second = num(b, 17, 2)?;
        end = 19;
        if b.get(end) == Some(&b'.') {
            end += 1;
            let digits = b.get(end..).unwrap_or_default().iter().take_while(|d| d.is_ascii_digit()).count();
            if digits == 0 {
                return None;
            }
            // Milliseconds: the first three digits, padded with zeros; finer ones are dropped.
            let frac = b.get(end..end + digits).unwrap_or_default();
            millis = frac.iter().chain(b"000").take(3).fold(0, |acc, d| acc * 10 + i64::from(d - b'0'));
            end += digits;
        }
    }
    let end_of_day = hour == 24 && minute == 0 && second == 0 && millis == 0;
    if (hour > 23 && !end_of_day) || minute > 59 || second > 60 {
        return None;
    }
    Some(((hour * 3600 + minute * 60 + second) * 1000 + millis, end))
}

/// Reads the zone after the time: nothing or `Z` (UTC), or `±hh:mm`, `±hhmm`, `±hh`.
fn offset_millis(zone: &[u8]) -> Option<i64> {
    let (sign, rest) = match zone.split_first() {
        None => return Some(0),
        Some((b'Z' | b'z', [])) => return Some(0),
        Some((b'+', rest)) => (1, rest),
        Some((b'-', rest)) => (-1, rest),
        Some(_) => return None,
    };
    let hours = num(rest, 0, 2)?;
    let minutes = match rest.len() {
        2 => 0,
        4 => num(rest, 2, 2)?,
        5 if rest.get(2) == Some(&b':') => num(rest, 3, 2)?,
        _ => return None,
    };
    if hours > 23 || minutes > 59 {
        return None;
    }
    Some(sign * (hours * 60 + minutes) * 60_000)
}

/// The number written by `len` ASCII digits at `at`.
fn num(b: &[u8], at: usize, len: usize) -> Option<i64> {
    let digits = b.get(at..at + len)?;
    let mut v = 0i64;
    for d in digits {
        if !d.is_ascii_digit() {
            return None;
        }
        v = v * 10 + i64::from(d - b'0');
    }
    Some(v)
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    const AUG_10_2018: i64 = 1_533_859_200_000;

    #[test]
    fn iso_and_epoch() {
        assert_eq!(parse_date("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_date("2018-08-10T00:00:00Z"), Some(AUG_10_2018));
        assert_eq!(parse_date("2018-08-10"), Some(AUG_10_2018));
        assert_eq!(parse_date("1533859200"), Some(AUG_10_2018));
        assert_eq!(parse_date("-86400"), Some(-86_400_000));
        assert_eq!(parse_date("2018-08-10T02:00:00+02:00"), Some(AUG_10_2018));
        assert_eq!(parse_date("2018-08-10T02:00:00+0200"), Some(AUG_10_2018));
        assert_eq!(parse_date("2018-08-10T02:00:00+02"), Some(AUG_10_2018));
        assert_eq!(parse_date("2018-08-09T22:00:00-02:00"), Some(AUG_10_2018));
        assert_eq!(parse_date("2018-08-10 00:00:00z"), Some(AUG_10_2018));
        assert_eq!(parse_date("2018-08-10T00:00:00.5Z"), Some(AUG_10_2018 + 500));
        assert_eq!(parse_date("2018-08-10T00:00:00.123456Z"), Some(AUG_10_2018 + 123));
        assert_eq!(parse_date("2018-08-09T24:00:00Z"), Some(AUG_10_2018), "24:00 ends the day");
        assert_eq!(parse_date("2020-02-29T00:00Z"), Some(1_582_934_400_000));
        assert_eq!(parse_date("2000-03-01T00:00:00.5Z"), Some(951_868_800_500));
    }

    #[test]
    fn out_of_range_fields_are_not_dates() {
        for bad in [
            "2019-02-29",
            "2018-02-31T00:00:00Z",
            "2018-13-01",
            "2018-00-10",
            "2018-08-00",
            "2018-08-10T24:00:01Z",
            "2018-08-10T24:30:00Z",
            "2018-08-10T25:00:00Z",
            "2018-08-10T00:60:00Z",
            "2018-08-10T00:00:61Z",
            "2018-08-10T00:00:00+24:00",
            "2018-08-10T00:00:00+02:60",
            "yesterday",
            "",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    /// The WAF replay once read fields by position only and accepted all of these.
    #[test]
    fn separators_are_checked() {
        for bad in [
            "2018/08/10T00:00:00Z",
            "2018-08/10T00:00:00Z",
            "2018.08.10",
            "2018-08-10X00:00:00Z",
            "2018-08-10_00:00:00Z",
            "2018-08-10T00-00-00Z",
            "2018-08-10T00:00-00Z",
            "2018-08-10T00.00:00Z",
            "2018-08-10T00:00:00.Z",
            "2018-08-10T00:00:00X02:00",
            "2018-08-10T00:00:00 02:00",
            "2018-08-10T00:00:00+02-00",
            "2018-08-10T00:00:00+02:0",
            "2018-08-10T00:00:00+2:00",
            "2018-08-10T00:00:00+02:00junk",
            "2018-08-10T00:00:00Zjunk",
            "2018-08-10T00:00:00ZZ",
            "2018-08-10T",
            "2018-08-10T0:00:00Z",
            "+2018-08-10",
            "2018-8-10",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }
}
