//! The audit timeline's layout: the emulator's CloudTrail events on the simulated clock, one lane
//! per principal, each event coloured by its outcome (success, access denied, other error), key
//! rotation and deletion events marked across the lanes.
//!
//! The simulated clock stands still between steps, so many calls share one second: events keep
//! their order along the axis, and a step of the clock leaves a gap (longer for a longer step,
//! on a log scale) labelled with the new time. Pure: made from the audit log's events, tested
//! natively; the SVG is `diagram_view.rs`. Event fields:
//! <https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html>.

use serde_json::Value;

use crate::pages::diagram::{fit, MAX_ITEMS};

/// Drawing width (SVG units).
pub const WIDTH: f64 = 900.0;
/// The left column with the principals' names.
pub const LABEL_W: f64 = 230.0;
/// Lanes drawn at most; the other principals share the last lane.
pub const MAX_LANES: usize = 12;
const LANE_H: f64 = 26.0;
const AXIS_H: f64 = 34.0;
/// The widest step between two neighbouring events.
const MAX_STEP: f64 = 28.0;

/// How a call came out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Success,
    /// `AccessDeniedException`.
    Denied,
    /// Any other error code.
    Error,
}

impl Outcome {
    /// The CSS class (coloured from the theme in `www/style.css`).
    pub fn class(self) -> &'static str {
        match self {
            Outcome::Success => "allow",
            Outcome::Denied => "deny",
            Outcome::Error => "count",
        }
    }
}

/// What an event did to a key's material or life, marked across the lanes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    Rotation,
    Deletion,
}

/// One event's dot.
#[derive(Clone, Debug, PartialEq)]
pub struct Dot {
    pub x: f64,
    pub y: f64,
    pub lane: usize,
    pub outcome: Outcome,
    pub mark: Option<Mark>,
    pub name: String,
    /// What hover and focus show: time, event, principal, key, error.
    pub detail: String,
}

/// A time label on the axis where the clock moved.
#[derive(Clone, Debug, PartialEq)]
pub struct Tick {
    pub x: f64,
    pub label: String,
}

/// The whole drawing.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Timeline {
    pub height: f64,
    /// Principals' names, one per lane (the last may be "other principals").
    pub lanes: Vec<String>,
    pub dots: Vec<Dot>,
    pub ticks: Vec<Tick>,
    /// Earlier events not drawn (past [`MAX_ITEMS`]).
    pub more: usize,
}

fn text<'a>(v: &'a Value, pointer: &str) -> &'a str {
    v.pointer(pointer).and_then(Value::as_str).unwrap_or_default()
}

/// Seconds since 1970 of `YYYY-MM-DDTHH:MM:SSZ` (the audit log's `eventTime`), read by the
/// engines' date reader.
pub fn epoch_seconds(iso: &str) -> Option<i64> {
    secplay::common::date::parse_date(iso).map(|ms| ms.div_euclid(1000))
}

/// The lane name of an event: the caller's ARN, or the service that made it.
fn principal(e: &Value) -> String {
    let arn = text(e, "/userIdentity/arn");
    if !arn.is_empty() {
        return arn.to_string();
    }
    let by = text(e, "/userIdentity/invokedBy");
    if by.is_empty() {
        "anonymous".to_string()
    } else {
        by.to_string()
    }
}

fn mark_of(name: &str) -> Option<Mark> {
    match name {
        "RotateKey" | "RotateKeyOnDemand" | "EnableKeyRotation" => Some(Mark::Rotation),
        "ScheduleKeyDeletion" | "DeleteKey" | "CancelKeyDeletion" | "DeleteImportedKeyMaterial" => {
            Some(Mark::Deletion)
        }
        _ => None,
    }
}

/// Lays out `events` (the audit log in its own order, oldest first; the newest [`MAX_ITEMS`]
/// are drawn).
pub fn layout(events: &[Value]) -> Timeline {
    // Oldest first: a stable sort keeps the log's own order within one second.
    let mut timed: Vec<(i64, usize, &Value)> = events
        .iter()
        .enumerate()
        .map(|(i, e)| (epoch_seconds(text(e, "/eventTime")).unwrap_or_default(), i, e))
        .collect();
    timed.sort_by_key(|(t, _, _)| *t);
    let more = timed.len().saturating_sub(MAX_ITEMS);
    let drawn = timed.get(more..).unwrap_or_default();
    // Lanes in order of first appearance.
    let mut lanes: Vec<String> = Vec::new();
    for (_, _, e) in drawn {
        let p = principal(e);
        if !lanes.contains(&p) && lanes.len() < MAX_LANES {
            lanes.push(p);
        }
    }
    let overflow = drawn.iter().any(|(_, _, e)| !lanes.contains(&principal(e)));
    if overflow {
        lanes.pop();
        lanes.push("other principals".to_string());
    }
    // Units along the axis: one per event, plus a gap where the clock moved.
    let mut units = Vec::with_capacity(drawn.len());
    let mut u = 0.0f64;
    let mut tick_at: Vec<(f64, i64)> = Vec::new();
    let mut last: Option<i64> = None;
    for (t, _, _) in drawn {
        match last {
            Some(prev) if *t > prev => {
                let hours = (*t - prev) as f64 / 3600.0;
                u += 2.0 + (1.0 + hours).log2().min(18.0);
                tick_at.push((u, *t));
            }
            Some(_) => u += 1.0,
            None => tick_at.push((u, *t)),
        }
        units.push(u);
        last = Some(*t);
    }
    let avail = WIDTH - LABEL_W - 20.0;
    let step = if u > 0.0 { (avail / u).min(MAX_STEP) } else { MAX_STEP };
    let x_of = |u: f64| LABEL_W + 10.0 + u * step;
    let lane_of = |p: &str| lanes.iter().position(|l| l == p).unwrap_or(lanes.len().saturating_sub(1));
    let dots = drawn
        .iter()
        .zip(&units)
        .map(|((_, _, e), u)| {
            let name = text(e, "/eventName").to_string();
            let who = principal(e);
            let lane = lane_of(&who);
            let code = text(e, "/errorCode");
            let outcome = match code {
                "" => Outcome::Success,
                "AccessDeniedException" => Outcome::Denied,
                _ => Outcome::Error,
            };
            let key = text(e, "/resources/0/ARN");
            let mut detail = format!("{} {} by {}", text(e, "/eventTime"), name, who);
            if !key.is_empty() {
                detail.push_str(&format!(" on {}", key.rsplit('/').next().unwrap_or(key)));
            }
            if !code.is_empty() {
                detail.push_str(&format!(": {code}"));
            }
            Dot {
                x: x_of(*u),
                y: AXIS_H + lane as f64 * LANE_H + LANE_H / 2.0,
                lane,
                outcome,
                mark: mark_of(&name).filter(|_| outcome == Outcome::Success),
                name,
                detail,
            }
        })
        .collect();
    // Time labels, skipping one too close to the last drawn.
    let mut ticks: Vec<Tick> = Vec::new();
    for (u, t) in tick_at {
        let x = x_of(u);
        if ticks.last().is_none_or(|l| x - l.x >= 120.0) {
            ticks.push(Tick { x, label: format_time(t) });
        }
    }
    let height = AXIS_H + lanes.len().max(1) as f64 * LANE_H + 4.0;
    Timeline { height, lanes, dots, ticks, more }
}

/// A lane's name as drawn: the ARN without its `arn:aws:iam::` prefix, cut to the column.
pub fn lane_label(name: &str) -> String {
    let short = ["arn:aws:iam::", "arn:aws:sts::"].iter().find_map(|p| name.strip_prefix(p)).unwrap_or(name);
    fit(short, 34)
}

/// `2026-03-01 12:00` (UTC) from epoch seconds.
fn format_time(t: i64) -> String {
    let iso = secplay::kms::time::iso8601(t);
    iso.get(..16).map_or(iso.clone(), |s| s.replace('T', " "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use secplay::kms::{self, World};
    use serde_json::json;

    #[test]
    fn iso_times_read_back() {
        assert_eq!(epoch_seconds("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(epoch_seconds("2026-01-01T00:00:00Z"), Some(kms::time::START_OF_2026));
        assert_eq!(epoch_seconds(&kms::time::iso8601(1_800_000_123)), Some(1_800_000_123));
        assert_eq!(epoch_seconds("2026-13-01T00:00:00Z"), None);
        assert_eq!(epoch_seconds("soon"), None);
    }

    fn event(time: &str, name: &str, arn: &str, error: Option<&str>) -> Value {
        let mut e = json!({"eventTime": time, "eventName": name, "userIdentity": {"arn": arn},
            "resources": [{"ARN": "arn:aws:kms:us-east-1:111122223333:key/k1"}]});
        if let Some(c) = error {
            e["errorCode"] = json!(c);
        }
        e
    }

    /// Events are laid out in time order, coloured by outcome, one lane per principal.
    #[test]
    fn lanes_per_principal_outcomes_and_order() {
        let alice = "arn:aws:iam::111122223333:user/alice";
        let bob = "arn:aws:iam::444455556666:user/bob";
        let log = vec![
            event("2026-01-01T00:00:00Z", "CreateKey", alice, None),
            event("2026-01-01T00:00:00Z", "Encrypt", alice, None),
            event("2026-01-01T00:00:00Z", "Decrypt", bob, Some("AccessDeniedException")),
            event("2026-02-01T00:00:00Z", "Decrypt", alice, Some("KMSInvalidStateException")),
            event("2026-02-01T00:00:00Z", "ScheduleKeyDeletion", alice, None),
        ];
        let l = layout(&log);
        assert_eq!(l.lanes, [alice, bob]);
        assert_eq!(lane_label(alice), "111122223333:user/alice");
        let names: Vec<&str> = l.dots.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, ["CreateKey", "Encrypt", "Decrypt", "Decrypt", "ScheduleKeyDeletion"]);
        let outcomes: Vec<Outcome> = l.dots.iter().map(|d| d.outcome).collect();
        use Outcome::*;
        assert_eq!(outcomes, [Success, Success, Denied, Error, Success]);
        assert_eq!(l.dots[2].lane, 1);
        assert_eq!(l.dots[4].mark, Some(Mark::Deletion));
        assert!(l.dots.windows(2).all(|w| w[0].x < w[1].x), "time runs left to right");
        // The month's clock step leaves a wider gap than two calls in one second.
        assert!(l.dots[3].x - l.dots[2].x > 2.0 * (l.dots[1].x - l.dots[0].x));
        assert_eq!(l.ticks.len(), 2);
        assert!(l.dots.iter().all(|d| d.x <= WIDTH));
    }

    /// The real emulator's log: a denied call and a clock-driven rotation, as KMS logs them:
    /// https://docs.aws.amazon.com/kms/latest/developerguide/ct-rotatekey.html
    #[test]
    fn the_emulators_log_with_a_rotation_on_the_clock() {
        let mut w: World = kms::new_world(&Value::Null).unwrap();
        let admin = json!({"principal": "arn:aws:iam::111122223333:role/Admin", "region": "us-east-1"});
        let created = kms::call(&mut w, "CreateKey", &json!({}), &admin).unwrap();
        let key = created["KeyMetadata"]["Arn"].as_str().unwrap().to_string();
        kms::call(&mut w, "EnableKeyRotation", &json!({"KeyId": key, "RotationPeriodInDays": 90}), &admin)
            .unwrap();
        let partner = json!({"principal": "arn:aws:iam::444455556666:role/Admin", "region": "us-east-1"});
        assert!(kms::call(&mut w, "DescribeKey", &json!({"KeyId": key}), &partner).is_err());
        kms::advance_clock(&mut w, 100 * kms::time::DAY).unwrap();
        let l = layout(&w.audit);
        let rotated = l.dots.iter().find(|d| d.name == "RotateKey").expect("a rotation on the clock");
        assert_eq!(rotated.mark, Some(Mark::Rotation));
        assert!(l.lanes.iter().any(|n| n == "kms.amazonaws.com"), "{:?}", l.lanes);
        assert!(l.dots.iter().any(|d| d.outcome != Outcome::Success), "the stranger's call failed");
    }

    #[test]
    fn a_long_log_draws_the_newest_events_and_bounded_lanes() {
        let log: Vec<Value> = (0..250)
            .map(|i| {
                event(
                    &kms::time::iso8601(kms::time::START_OF_2026 + i * 60),
                    "Encrypt",
                    &format!("arn:aws:iam::111122223333:user/u{i}"),
                    None,
                )
            })
            .collect();
        let l = layout(&log);
        assert_eq!((l.dots.len(), l.more), (MAX_ITEMS, 150));
        assert_eq!(l.lanes.len(), MAX_LANES);
        assert_eq!(l.lanes.last().map(String::as_str), Some("other principals"));
        assert!(l.dots.first().unwrap().detail.contains("user/u150"));
        assert!(l.dots.iter().all(|d| d.x <= WIDTH && d.y <= l.height));
    }
}
