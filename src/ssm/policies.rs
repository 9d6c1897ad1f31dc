//! Parameter policies (advanced parameters only): `Expiration` (delete the parameter at a
//! time), `ExpirationNotification` (an EventBridge event some days or hours before it) and
//! `NoChangeNotification` (an event when the parameter has not changed for some days or hours),
//! as the user guide gives them ("Assigning parameter policies in Parameter Store",
//! <https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-policies.html>).
//!
//! [`parse`] reads the `Policies` member (a JSON array of policies, at most 10, one of each type:
//! "You can't, for example, specify two Expiration policies", `IncompatiblePolicyException` in the
//! API reference); [`run_clock`] applies what falls due when the simulated clock has moved, emitting the
//! events ([`super::events`]). Not modelled: the ~minutes AWS may take to act on a policy.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::error::SsmError;
use super::events;
use super::store::{Parameter, Store};
use crate::kms::time::{iso8601, DAY, MAX_TIME};

/// At most this many policies per parameter.
pub const MAX_POLICIES: usize = 10;
/// Hours, in seconds.
const HOUR: i64 = 3600;

/// What a policy does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "type")]
pub enum PolicyKind {
    /// Delete the parameter at `at` (epoch seconds).
    Expiration { at: i64 },
    /// Notify `before` seconds before the expiration.
    ExpirationNotification { before: i64 },
    /// Notify when the parameter has not changed for `after` seconds.
    NoChangeNotification { after: i64 },
}

impl PolicyKind {
    pub fn type_name(&self) -> &'static str {
        match self {
            PolicyKind::Expiration { .. } => "Expiration",
            PolicyKind::ExpirationNotification { .. } => "ExpirationNotification",
            PolicyKind::NoChangeNotification { .. } => "NoChangeNotification",
        }
    }
}

/// One policy of a parameter version: what it does, its JSON text, and its status (`Pending`,
/// `Finished`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ParameterPolicy {
    pub kind: PolicyKind,
    pub text: String,
    pub status: String,
}

impl ParameterPolicy {
    /// The `ParameterInlinePolicy` shape.
    pub fn to_json(&self) -> Value {
        json!({"PolicyText": self.text, "PolicyType": self.kind.type_name(), "PolicyStatus": self.status})
    }
}

fn attr_err(msg: String) -> SsmError {
    SsmError::invalid_policy_attribute(msg)
}

/// `"15"` + `"Days"`/`"Hours"` as seconds.
fn duration(attrs: &Value, member: &str, ty: &str) -> Result<i64, SsmError> {
    let n = attrs
        .get(member)
        .and_then(|v| v.as_str().map(str::to_string).or_else(|| v.as_i64().map(|n| n.to_string())))
        .ok_or_else(|| attr_err(format!("the {ty} policy needs the attribute `{member}`")))?;
    let n: i64 = n.parse().ok().filter(|n| (1..=100 * 365).contains(n)).ok_or_else(|| {
        attr_err(format!("`{member}` of the {ty} policy must be a positive whole number, not `{n}`"))
    })?;
    let unit = attrs.get("Unit").and_then(Value::as_str).unwrap_or("Days");
    match unit {
        "Days" => Ok(n * DAY),
        "Hours" => Ok(n * HOUR),
        other => Err(attr_err(format!("`Unit` of the {ty} policy must be Days or Hours, not `{other}`"))),
    }
}

/// Reads the `Policies` member: a JSON array of `{Type, Version, Attributes}`.
pub fn parse(text: &str, now: i64) -> Result<Vec<ParameterPolicy>, SsmError> {
    let v: Value =
        serde_json::from_str(text).map_err(|e| attr_err(format!("the policies are not JSON: {e}")))?;
    let items = match v {
        Value::Array(a) => a,
        o @ Value::Object(_) => vec![o],
        _ => return Err(attr_err("the policies must be a JSON array of policies".into())),
    };
    if items.len() > MAX_POLICIES {
        return Err(SsmError::policies_limit(format!(
            "You specified more than the maximum number of allowed policies for the parameter. The maximum is {MAX_POLICIES}."
        )));
    }
    let mut out: Vec<ParameterPolicy> = Vec::new();
    for item in items {
        let ty = item.get("Type").and_then(Value::as_str).unwrap_or("");
        let attrs = item.get("Attributes").cloned().unwrap_or(Value::Null);
        let kind = match ty {
            "Expiration" => {
                let ts = attrs
                    .get("Timestamp")
                    .and_then(Value::as_str)
                    .ok_or_else(|| attr_err("the Expiration policy needs the attribute `Timestamp`".into()))?;
                let at = parse_timestamp(ts)
                    .ok_or_else(|| attr_err(format!("`{ts}` is not an ISO 8601 timestamp (2026-12-02T21:34:33.000Z)")))?;
                if at <= now {
                    return Err(attr_err(format!("the expiration `{ts}` is not in the future")));
                }
                PolicyKind::Expiration { at }
            }
            "ExpirationNotification" => {
                PolicyKind::ExpirationNotification { before: duration(&attrs, "Before", ty)? }
            }
            "NoChangeNotification" => PolicyKind::NoChangeNotification { after: duration(&attrs, "After", ty)? },
            other => {
                return Err(SsmError::invalid_policy_type(format!(
                    "The policy type `{other}` isn't supported. Parameter Store supports the following policy types: Expiration, ExpirationNotification, and NoChangeNotification."
                )))
            }
        };
        if out.iter().any(|p| p.kind.type_name() == kind.type_name()) {
            return Err(SsmError::incompatible_policy(format!(
                "There is a conflict in the policies specified for this parameter: two {} policies",
                kind.type_name()
            )));
        }
        out.push(ParameterPolicy { kind, text: item.to_string(), status: "Pending".into() });
    }
    Ok(out)
}

/// `2026-12-02T21:34:33Z`, with optional fractional seconds, `Z` or `±HH:MM`.
pub fn parse_timestamp(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    let num = |from: usize, len: usize| -> Option<i64> {
        let part = s.get(from..from + len)?;
        if !part.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        part.parse().ok()
    };
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') || b.get(10) != Some(&b'T') {
        return None;
    }
    let (y, mo, d) = (num(0, 4)?, num(5, 2)?, num(8, 2)?);
    let (h, mi, se) = (num(11, 2)?, num(14, 2)?, num(17, 2)?);
    if b.get(13) != Some(&b':') || b.get(16) != Some(&b':') {
        return None;
    }
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || se > 60 {
        return None;
    }
    let mut rest = s.get(19..)?;
    if let Some(frac) = rest.strip_prefix('.') {
        let digits = frac.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        rest = frac.get(digits..)?;
    }
    let offset = match rest {
        "Z" | "" => 0,
        _ => {
            let sign = match rest.as_bytes().first() {
                Some(b'+') => 1,
                Some(b'-') => -1,
                _ => return None,
            };
            let oh: i64 = rest.get(1..3)?.parse().ok()?;
            let om: i64 = rest.get(4..6)?.parse().ok()?;
            if rest.len() != 6 || rest.as_bytes().get(3) != Some(&b':') {
                return None;
            }
            sign * (oh * HOUR + om * 60)
        }
    };
    let t = days_from_civil(y, mo, d) * DAY + h * HOUR + mi * 60 + se - offset;
    (0..=MAX_TIME).contains(&t).then_some(t)
}

/// Days since 1970-01-01 of a civil date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// When each pending policy of a parameter falls due: `(due, policy index)`.
fn due_times(p: &Parameter) -> Vec<(i64, usize)> {
    let Some(cur) = p.current() else { return Vec::new() };
    let expiry = cur.policies.iter().find_map(|x| match x.kind {
        PolicyKind::Expiration { at } => Some(at),
        _ => None,
    });
    cur.policies
        .iter()
        .enumerate()
        .filter(|(_, x)| x.status == "Pending")
        .filter_map(|(i, x)| match x.kind {
            PolicyKind::Expiration { at } => Some((at, i)),
            PolicyKind::ExpirationNotification { before } => expiry.map(|e| (e - before, i)),
            PolicyKind::NoChangeNotification { after } => Some((cur.last_modified + after, i)),
        })
        .collect()
}

/// Applies every policy that fell due up to `now`, in time order: notifications are emitted and
/// marked `Finished`; an expiration deletes the parameter. Returns the events emitted.
pub fn run_clock(store: &mut Store, now: i64) -> Vec<Value> {
    let mut due: Vec<(i64, String, String, usize)> = Vec::new();
    for (scope, params) in &store.regions {
        for (name, p) in params {
            for (t, i) in due_times(p) {
                if t <= now {
                    due.push((t, scope.clone(), name.clone(), i));
                }
            }
        }
    }
    due.sort();
    let mut emitted = Vec::new();
    for (t, scope, name, i) in due {
        let Some((account, region)) = scope.split_once(':') else { continue };
        let Some(param) = store.regions.get_mut(&scope).and_then(|r| r.get_mut(&name)) else { continue };
        let Some(cur) = param.versions.last_mut() else { continue };
        let Some(policy) = cur.policies.get_mut(i) else { continue };
        if policy.status != "Pending" {
            continue;
        }
        policy.status = "Finished".into();
        let (policy, ty) = (policy.clone(), cur.param_type);
        let reason = match policy.kind {
            PolicyKind::Expiration { .. } => {
                format!("The parameter expired at {} and was deleted", iso8601(t))
            }
            PolicyKind::ExpirationNotification { .. } => {
                format!("The parameter expires within {}", policy.text)
            }
            PolicyKind::NoChangeNotification { .. } => {
                format!("The parameter has not changed since {}", iso8601(cur.last_modified))
            }
        };
        let ev = events::policy_action(account, region, t, &name, ty, &policy, &reason);
        if matches!(policy.kind, PolicyKind::Expiration { .. }) {
            if let Some(r) = store.regions.get_mut(&scope) {
                r.remove(&name);
            }
        }
        store.emit(ev.clone());
        emitted.push(ev);
    }
    emitted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps() {
        assert_eq!(parse_timestamp("2026-01-01T00:00:00Z"), Some(1_767_225_600));
        assert_eq!(parse_timestamp("2026-01-01T00:00:00.000Z"), Some(1_767_225_600));
        assert_eq!(parse_timestamp("2026-01-01T01:00:00+01:00"), Some(1_767_225_600));
        assert_eq!(parse_timestamp("2026-13-01T00:00:00Z"), None);
        assert_eq!(parse_timestamp("2026-01-01"), None);
        assert_eq!(parse_timestamp("2026-01-01T00:00:00.Z"), None);
    }
}
