//! The simulated clock's calendar: epoch seconds to the ISO 8601 form CloudTrail prints, and
//! day arithmetic. No time zone but UTC; no leap seconds.

/// 2026-01-01T00:00:00Z, where a fresh world's clock starts.
pub const START_OF_2026: i64 = 1_767_225_600;
/// Seconds in a day.
pub const DAY: i64 = 86_400;
/// The latest instant the clock reaches: 9999-12-31T23:59:59Z. Keeping the clock in
/// `0..=MAX_TIME` keeps every date the engine computes from it (windows, rotations, expiries)
/// far from overflow, also for a world read from an untrusted snapshot.
pub const MAX_TIME: i64 = 253_402_300_799;

/// `2026-01-01T00:00:00Z`.
pub fn iso8601(epoch_seconds: i64) -> String {
    let days = epoch_seconds.div_euclid(DAY);
    let secs = epoch_seconds.rem_euclid(DAY);
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", secs / 3600, secs % 3600 / 60, secs % 60)
}

/// Year, month, day of a day count since 1970-01-01 (H. Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_instants() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso8601(START_OF_2026), "2026-01-01T00:00:00Z");
        assert_eq!(iso8601(START_OF_2026 + 59 * DAY + 3661), "2026-03-01T01:01:01Z");
        assert_eq!(iso8601(951_782_400), "2000-02-29T00:00:00Z");
    }
}
