//! Rotation schedules: `AutomaticallyAfterDays`, `rate()` and `cron()` expressions with a
//! `Duration` window, as Secrets Manager reads them (User Guide, "Rotation schedules",
//! <https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotate-secrets_schedule.html>):
//! UTC; at most every four hours; `rate(N hours)` and `rate(N days)` windows start at midnight;
//! the window closes after one hour for a schedule in hours and at the end of the UTC day for
//! one in days unless `Duration` (`1h`–`24h`) says otherwise, and must not reach into the next
//! UTC day or the next window.
//!
//! `cron(minutes hours day-of-month month day-of-week year)` is read with numbers, `*`, `?`,
//! lists (`a,b`), ranges (`a-b`), steps (`a/b`, `*/b`) and day names (`MON`–`SUN`); `L`, `W` and
//! `#` are refused as not modelled. The emulator rotates at the start of each window (AWS picks a
//! time inside it).

use crate::kms::time::DAY;

use super::error::SecretsError;

const HOUR: i64 = 3600;
/// The shortest interval between rotations.
pub const MIN_INTERVAL: i64 = 4 * HOUR;

/// A parsed schedule.
#[derive(Debug, Clone, PartialEq)]
pub enum Schedule {
    /// `AutomaticallyAfterDays`: due that many days after the last rotation, the whole UTC day.
    AfterDays(i64),
    /// `rate(N hours)`.
    RateHours(i64),
    /// `rate(N days)`.
    RateDays(i64),
    /// `cron(…)`: the allowed values of each field.
    Cron(Box<Cron>),
}

/// The fields of a cron expression as sets.
#[derive(Debug, Clone, PartialEq)]
pub struct Cron {
    minutes: Vec<u32>,
    hours: Vec<u32>,
    days: Option<Vec<u32>>,
    months: Vec<u32>,
    weekdays: Option<Vec<u32>>,
}

fn invalid(m: impl Into<String>) -> SecretsError {
    SecretsError::invalid_parameter(m)
}

/// Parses one cron field into its values within `lo..=hi`.
fn field(text: &str, lo: u32, hi: u32, names: &[&str]) -> Result<Vec<u32>, SecretsError> {
    let num = |s: &str| -> Result<u32, SecretsError> {
        if let Some(i) = names.iter().position(|n| n.eq_ignore_ascii_case(s)) {
            return u32::try_from(i).map(|i| i + lo).map_err(|_| invalid("cron"));
        }
        s.parse::<u32>().ok().filter(|n| (lo..=hi).contains(n)).ok_or_else(|| {
            invalid(format!("`{s}` is not a value between {lo} and {hi} in the cron expression"))
        })
    };
    let mut out = Vec::new();
    for part in text.split(',') {
        if part.contains(['L', 'W', '#']) && !names.iter().any(|n| n.eq_ignore_ascii_case(part)) {
            return Err(invalid(format!("`{part}`: L, W and # in cron expressions are not modelled")));
        }
        let (range, step) = match part.split_once('/') {
            Some((r, s)) => (
                r,
                s.parse::<u32>()
                    .ok()
                    .filter(|s| *s > 0)
                    .ok_or_else(|| invalid(format!("bad step in `{part}`")))?,
            ),
            None => (part, 1),
        };
        let (a, b) = match range {
            "*" => (lo, hi),
            r => match r.split_once('-') {
                Some((a, b)) => (num(a)?, num(b)?),
                None if part.contains('/') => (num(r)?, hi),
                None => (num(r)?, num(r)?),
            },
        };
        if a > b {
            return Err(invalid(format!("the range `{range}` runs backwards")));
        }
        out.extend((a..=b).step_by(usize::try_from(step).unwrap_or(1)));
    }
    out.sort_unstable();
    out.dedup();
    Ok(out)
}

fn parse_cron(body: &str) -> Result<Cron, SecretsError> {
    let f: Vec<&str> = body.split_whitespace().collect();
    let [mi, h, dom, mon, dow, year] = f.as_slice() else {
        return Err(invalid(
            "a cron expression has six fields: minutes hours day-of-month month day-of-week year",
        ));
    };
    if *year != "*" {
        return Err(invalid("only `*` is modelled for the year field of a cron expression"));
    }
    let days = match *dom {
        "?" => None,
        d => Some(field(d, 1, 31, &[])?),
    };
    let weekdays = match *dow {
        "?" => None,
        "*" => Some((1..=7).collect()),
        d => Some(field(d, 1, 7, &["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"])?),
    };
    if days.is_some() && weekdays.is_some() && *dom != "*" && *dow != "*" {
        return Err(invalid("give either day-of-month or day-of-week, the other as `?`"));
    }
    Ok(Cron {
        minutes: field(mi, 0, 59, &[])?,
        hours: field(h, 0, 23, &[])?,
        days,
        months: field(
            mon,
            1,
            12,
            &["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"],
        )?,
        weekdays,
    })
}

/// Reads `RotationRules`: `AutomaticallyAfterDays` (1–1000) or `ScheduleExpression`, not both.
pub fn parse(after_days: Option<i64>, expression: Option<&str>) -> Result<Schedule, SecretsError> {
    match (after_days, expression) {
        (Some(_), Some(_)) => Err(invalid(
            "You can't specify both AutomaticallyAfterDays and ScheduleExpression in RotationRules.",
        )),
        (None, None) => Err(invalid("RotationRules needs AutomaticallyAfterDays or ScheduleExpression.")),
        (Some(d), None) => {
            if !(1..=1000).contains(&d) {
                return Err(invalid("AutomaticallyAfterDays must be between 1 and 1000."));
            }
            Ok(Schedule::AfterDays(d))
        }
        (None, Some(e)) => {
            let e = e.trim();
            if let Some(body) = e.strip_prefix("rate(").and_then(|r| r.strip_suffix(')')) {
                let (n, unit) = body
                    .trim()
                    .split_once(' ')
                    .ok_or_else(|| invalid(format!("`{e}` is not rate(N hours) or rate(N days)")))?;
                let n: i64 = n
                    .parse()
                    .ok()
                    .filter(|n| *n >= 1)
                    .ok_or_else(|| invalid(format!("`{e}`: N must be a positive number")))?;
                return match unit {
                    "hour" | "hours" if n < 4 => {
                        Err(invalid(format!("`{e}`: Secrets Manager rotates at most every four hours")))
                    }
                    "hour" | "hours" if n > 24_000 => Err(invalid(format!("`{e}`: at most 1000 days"))),
                    "hour" | "hours" => Ok(Schedule::RateHours(n)),
                    "day" | "days" if n <= 1000 => Ok(Schedule::RateDays(n)),
                    "day" | "days" => Err(invalid(format!("`{e}`: at most 1000 days"))),
                    _ => Err(invalid(format!("`{e}`: the unit is hours or days"))),
                };
            }
            if let Some(body) = e.strip_prefix("cron(").and_then(|r| r.strip_suffix(')')) {
                let c = parse_cron(body)?;
                let s = Schedule::Cron(Box::new(c));
                // At most every four hours: check the gaps between the first occurrences.
                let mut t = 0;
                let mut prev: Option<i64> = None;
                for _ in 0..200 {
                    let Some(n) = next_start(&s, t) else { break };
                    if prev.is_some_and(|p| n - p < MIN_INTERVAL) {
                        return Err(invalid(format!(
                            "`{e}`: Secrets Manager rotates at most every four hours"
                        )));
                    }
                    prev = Some(n);
                    t = n + 1;
                }
                if prev.is_none() {
                    return Err(invalid(format!("`{e}` never falls due")));
                }
                return Ok(s);
            }
            Err(invalid(format!("`{e}` is not a rate() or cron() expression")))
        }
    }
}

/// Whether the schedule is in hours (its default window is one hour) or days (the rest of the day).
fn in_hours(s: &Schedule) -> bool {
    match s {
        Schedule::RateHours(_) => true,
        Schedule::Cron(c) => c.hours.len() > 1,
        _ => false,
    }
}

/// Reads `Duration` (`1h`–`24h`) against the schedule: the window must end within the UTC day
/// and before the next window. Returns the window length in seconds.
pub fn window(s: &Schedule, duration: Option<&str>) -> Result<i64, SecretsError> {
    let Some(d) = duration else {
        return Ok(if in_hours(s) { HOUR } else { DAY });
    };
    let h: i64 = d
        .strip_suffix('h')
        .and_then(|n| n.parse().ok())
        .filter(|n| (1..=24).contains(n))
        .ok_or_else(|| invalid(format!("Duration `{d}` must be between 1h and 24h")))?;
    let len = h * HOUR;
    let starts: Vec<i64> = match s {
        Schedule::AfterDays(_) | Schedule::RateDays(_) => vec![0],
        Schedule::RateHours(n) => (0..24).map(|k| k * n * HOUR).filter(|t| *t < DAY).collect(),
        Schedule::Cron(c) => c
            .hours
            .iter()
            .flat_map(|h| c.minutes.iter().map(move |m| i64::from(*h) * HOUR + i64::from(*m) * 60))
            .collect(),
    };
    for (i, st) in starts.iter().enumerate() {
        if st + len > DAY {
            return Err(invalid(format!(
                "Duration `{d}`: the rotation window must not extend into the next UTC day"
            )));
        }
        let next = starts.get(i + 1).copied().or(match s {
            Schedule::RateHours(n) => Some(st + n * HOUR),
            _ => None,
        });
        if next.is_some_and(|n| st + len > n) {
            return Err(invalid(format!(
                "Duration `{d}`: the rotation window must not extend into the next window"
            )));
        }
    }
    Ok(len)
}

fn civil(t: i64) -> (u32, u32, u32) {
    // Month, day of month, weekday (1 = Sunday) of an instant.
    let days = t.div_euclid(DAY);
    let weekday = u32::try_from((days + 4).rem_euclid(7)).unwrap_or(0) + 1;
    let date = crate::kms::time::iso8601(t);
    let month = date.get(5..7).and_then(|m| m.parse().ok()).unwrap_or(1);
    let day = date.get(8..10).and_then(|m| m.parse().ok()).unwrap_or(1);
    (month, day, weekday)
}

/// The start of the first window at or after `from` (for `AfterDays` and `rate()`, `from` is the
/// last rotation; the window comes that interval later).
pub fn next_start(s: &Schedule, from: i64) -> Option<i64> {
    match s {
        Schedule::AfterDays(n) | Schedule::RateDays(n) => {
            let day = from - from.rem_euclid(DAY);
            Some(day + n * DAY)
        }
        Schedule::RateHours(n) => {
            let step = n * HOUR;
            let day = from - from.rem_euclid(DAY);
            // Windows start at midnight and every N hours after.
            let mut t = day;
            while t <= from {
                t += step;
            }
            Some(t)
        }
        Schedule::Cron(c) => {
            let mut day = from - from.rem_euclid(DAY);
            for _ in 0..(366 * 5) {
                let (month, dom, dow) = civil(day);
                let ok = c.months.contains(&month)
                    && c.days.as_ref().is_none_or(|d| d.contains(&dom))
                    && c.weekdays.as_ref().is_none_or(|w| w.contains(&dow));
                if ok {
                    for h in &c.hours {
                        for m in &c.minutes {
                            let t = day + i64::from(*h) * HOUR + i64::from(*m) * 60;
                            if t >= from {
                                return Some(t);
                            }
                        }
                    }
                }
                day += DAY;
            }
            None
        }
    }
}
