//! Dates in condition values and request context: ISO 8601 (`2018-08-10`, `2018-08-10T00:00:00Z`,
//! fractional seconds, `+hh:mm` offsets) and epoch seconds, as milliseconds since the epoch.
//!
//! Only what `Date*` operators need; no calendar arithmetic beyond converting to an instant.

/// Parses a date value to milliseconds since 1970-01-01T00:00:00Z.
pub fn parse_date(s: &str) -> Option<i64> {
    let s = s.trim();
    let digits = s.strip_prefix('-').unwrap_or(s);
    if !digits.is_empty() && digits.len() <= 12 && digits.bytes().all(|b| b.is_ascii_digit()) {
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
    let mut millis = days_from_civil(year, month, day) * 86_400_000;
    let mut i = 10;
    if b.len() == i {
        return Some(millis);
    }
    if !matches!(b.get(i), Some(b'T' | b't' | b' ')) {
        return None;
    }
    let hour = num(b, 11, 2)?;
    if b.get(13) != Some(&b':') {
        return None;
    }
    let minute = num(b, 14, 2)?;
    i = 16;
    let mut second = 0;
    if b.get(i) == Some(&b':') {
        second = num(b, 17, 2)?;
        i = 19;
        if b.get(i) == Some(&b'.') {
            i += 1;
            let start = i;
            let mut frac = 0i64;
            let mut scale = 1000i64;
            while let Some(d) = b.get(i).filter(|d| d.is_ascii_digit()) {
                scale /= 10;
                frac += i64::from(d - b'0') * scale.max(0);
                i += 1;
            }
            if i == start {
                return None;
            }
            millis += frac;
        }
    }
    if hour > 24 || minute > 59 || second > 60 {
        return None;
    }
    millis += (hour * 3600 + minute * 60 + second) * 1000;
    match b.get(i) {
        None => Some(millis),
        Some(b'Z' | b'z') if b.len() == i + 1 => Some(millis),
        Some(sign @ (b'+' | b'-')) => {
            let oh = num(b, i + 1, 2)?;
            let om = match b.get(i + 3) {
                Some(b':') if b.len() == i + 6 => num(b, i + 4, 2)?,
                Some(_) if b.len() == i + 5 => num(b, i + 3, 2)?,
                None => 0,
                _ => return None,
            };
            let offset = (oh * 60 + om) * 60_000;
            Some(if *sign == b'+' { millis - offset } else { millis + offset })
        }
        _ => None,
    }
}

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

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
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

    #[test]
    fn iso_and_epoch() {
        assert_eq!(parse_date("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_date("2018-08-10T00:00:00Z"), Some(1_533_859_200_000));
        assert_eq!(parse_date("2018-08-10"), Some(1_533_859_200_000));
        assert_eq!(parse_date("1533859200"), Some(1_533_859_200_000));
        assert_eq!(parse_date("2018-08-10T02:00:00+02:00"), Some(1_533_859_200_000));
        assert_eq!(parse_date("2018-08-10T00:00:00.5Z"), Some(1_533_859_200_500));
        assert_eq!(parse_date("2020-02-29T00:00Z"), Some(1_582_934_400_000));
        assert_eq!(parse_date("2019-02-29"), None);
        assert_eq!(parse_date("yesterday"), None);
        assert_eq!(parse_date("2018-08-10T00:00:00Zjunk"), None);
    }
}
