//! The authorization problems the policy benchmark measures, written twice: as one AWS KMS key
//! policy of N statements for secplay's engine, and as N Cedar policies for `cedar-policy`.
//!
//! Statement `i` and Cedar policy `policy{i}` say the same thing:
//! - effect: every fifth (`i % 5 == 0`, 20 %) is a `Deny` / `forbid`, the rest `Allow` / `permit`;
//! - scope: even `i` name the caller (`Principal: {"AWS": role/app}` ↔ `principal == Role::"…"`)
//!   and `kms:Decrypt`/`kms:Encrypt` (↔ `action in [Action::"kms:Decrypt", Action::"kms:Encrypt"]`);
//!   odd `i` are irrelevant to the request: another role (`i % 4 == 1`) or other actions
//!   (`i % 4 == 3`); `Resource: "*"` ↔ an unconstrained `resource`;
//! - denies carry an IP condition: `NotIpAddress aws:SourceIp 10.0.0.0/8` ↔
//!   `!context.sourceIp.isInRange(ip("10.0.0.0/8"))`, or `IpAddress … 203.0.113.0/24` ↔
//!   `context.sourceIp.isInRange(ip("203.0.113.0/24"))`;
//! - permits carry one condition in turn: encryption-context equality (`StringEquals
//!   kms:EncryptionContext:dept` ↔ `context.ec.dept == "…"`), an IP range (`IpAddress` ↔
//!   `isInRange`), or a pattern (`StringLike kms:EncryptionContext:app "app-3-*"` ↔
//!   `context.ec.app like "app-3-*"`).
//!
//! The two are equivalent on requests that supply every key the conditions use (as every request
//! here does): with a key absent, IAM's `NotIpAddress` holds while Cedar's attribute access is an
//! error that skips the policy. [`check_equivalent`] asserts, before anything is timed, that both
//! engines reach the same decision *and* name the same deciding statements on a set of requests.

use std::fmt::Write as _;
use std::str::FromStr as _;

use serde_json::{json, Value};

/// The sizes measured.
pub const SIZES: [usize; 3] = [10, 100, 1000];

pub const ACCOUNT: &str = "111122223333";
pub const CALLER: &str = "arn:aws:iam::111122223333:role/app";
pub const KEY: &str = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

/// One request, in terms both engines can be given.
#[derive(Debug, Clone)]
pub struct Ask {
    pub principal: String,
    pub action: &'static str,
    pub source_ip: &'static str,
    pub dept: &'static str,
    pub app: &'static str,
}

impl Ask {
    /// The request that is timed: allowed by some permits, no forbid applies.
    pub fn timed() -> Ask {
        Ask {
            principal: CALLER.to_string(),
            action: "kms:Decrypt",
            source_ip: "10.3.1.2",
            dept: "dept-3",
            app: "app-3-prod",
        }
    }

    /// Requests checked for equivalence (allowed, explicitly and implicitly denied).
    pub fn checked() -> Vec<Ask> {
        let base = Ask::timed();
        vec![
            base.clone(),
            Ask { action: "kms:Encrypt", dept: "dept-5", app: "app-0-x", ..base.clone() },
            Ask { source_ip: "198.51.100.7", ..base.clone() },
            Ask { source_ip: "203.0.113.9", ..base.clone() },
            Ask { source_ip: "10.200.0.1", dept: "none", app: "none", ..base.clone() },
            Ask { action: "kms:ScheduleKeyDeletion", ..base.clone() },
            Ask { principal: "arn:aws:iam::111122223333:role/other-1".to_string(), ..base.clone() },
            Ask {
                action: "kms:PutKeyPolicy",
                principal: "arn:aws:iam::111122223333:role/other-5".to_string(),
                ..base
            },
        ]
    }

    /// The request for secplay's typed API.
    pub fn ours(&self) -> secplay::policy::Request {
        secplay::policy::Request::new(Some(&self.principal), self.action, KEY, ACCOUNT)
            .with_context("aws:SourceIp", self.source_ip)
            .with_context("kms:EncryptionContext:dept", self.dept)
            .with_context("kms:EncryptionContext:app", self.app)
    }

    /// The `request` member of an `evaluatePolicy` input.
    pub fn ours_json(&self) -> Value {
        json!({
            "principal": self.principal,
            "action": self.action,
            "resource": KEY,
            "resourceAccount": ACCOUNT,
            "context": {
                "aws:SourceIp": self.source_ip,
                "kms:EncryptionContext:dept": self.dept,
                "kms:EncryptionContext:app": self.app,
            },
        })
    }

    /// The request for Cedar.
    pub fn cedar(&self) -> Result<cedar_policy::Request, String> {
        let uid = |s: &str| cedar_policy::EntityUid::from_str(s).map_err(|e| e.to_string());
        let context = cedar_policy::Context::from_json_value(
            json!({
                "sourceIp": {"__extn": {"fn": "ip", "arg": self.source_ip}},
                "ec": {"dept": self.dept, "app": self.app},
            }),
            None,
        )
        .map_err(|e| e.to_string())?;
        cedar_policy::Request::new(
            uid(&format!("Role::{:?}", self.principal))?,
            uid(&format!("Action::{:?}", self.action))?,
            uid(&format!("Key::{KEY:?}"))?,
            context,
            None,
        )
        .map_err(|e| e.to_string())
    }
}

/// What statement `i` says, in terms of both languages.
struct Rule {
    deny: bool,
    principal: String,
    actions: &'static [&'static str],
    /// (IAM operator, IAM key, value, Cedar condition)
    condition: (&'static str, &'static str, String, String),
}

fn rule(i: usize) -> Rule {
    let deny = i.is_multiple_of(5);
    let principal =
        if i % 4 == 1 { format!("arn:aws:iam::{ACCOUNT}:role/other-{i}") } else { CALLER.to_string() };
    let actions: &[&str] = if i % 4 == 3 {
        &["kms:ScheduleKeyDeletion", "kms:PutKeyPolicy"]
    } else {
        &["kms:Decrypt", "kms:Encrypt"]
    };
    let condition = if deny {
        if (i / 5).is_multiple_of(2) {
            (
                "NotIpAddress",
                "aws:SourceIp",
                "10.0.0.0/8".to_string(),
                "!context.sourceIp.isInRange(ip(\"10.0.0.0/8\"))".to_string(),
            )
        } else {
            (
                "IpAddress",
                "aws:SourceIp",
                "203.0.113.0/24".to_string(),
                "context.sourceIp.isInRange(ip(\"203.0.113.0/24\"))".to_string(),
            )
        }
    } else {
        match i % 3 {
            0 => {
                let v = format!("dept-{}", i % 7);
                (
                    "StringEquals",
                    "kms:EncryptionContext:dept",
                    v.clone(),
                    format!("context.ec.dept == \"{v}\""),
                )
            }
            1 => {
                let v = format!("10.{}.0.0/16", i % 16);
                ("IpAddress", "aws:SourceIp", v.clone(), format!("context.sourceIp.isInRange(ip(\"{v}\"))"))
            }
            _ => {
                let v = format!("app-{}-*", i % 5);
                ("StringLike", "kms:EncryptionContext:app", v.clone(), format!("context.ec.app like \"{v}\""))
            }
        }
    };
    Rule { deny, principal, actions, condition }
}

/// The key policy of `n` statements, as JSON text (what `get-key-policy` prints).
pub fn key_policy(n: usize) -> String {
    let statements: Vec<Value> = (0..n)
        .map(|i| {
            let r = rule(i);
            let (op, key, value, _) = r.condition;
            json!({
                "Sid": format!("s{i}"),
                "Effect": if r.deny { "Deny" } else { "Allow" },
                "Principal": {"AWS": r.principal},
                "Action": r.actions,
                "Resource": "*",
                "Condition": {op: {key: value}},
            })
        })
        .collect();
    serde_json::to_string_pretty(
        &json!({"Version": "2012-10-17", "Id": format!("bench-{n}"), "Statement": statements}),
    )
    .unwrap_or_default()
}

/// The same rules as `n` Cedar policies (ids `policy0` … in order).
pub fn cedar_policies(n: usize) -> String {
    let mut out = String::new();
    for i in 0..n {
        let r = rule(i);
        let actions: Vec<String> = r.actions.iter().map(|a| format!("Action::{a:?}")).collect();
        let _ = writeln!(
            out,
            "{}(\n  principal == Role::{:?},\n  action in [{}],\n  resource\n) when {{ {} }};\n",
            if r.deny { "forbid" } else { "permit" },
            r.principal,
            actions.join(", "),
            r.condition.3
        );
    }
    out
}

/// The `evaluatePolicy` input (one case of the vector format) for size `n`.
pub fn eval_input(n: usize, ask: &Ask) -> Value {
    json!({"request": ask.ours_json(), "policies": {"resource": key_policy(n)}})
}

/// The same request and policy set as one call of Cedar's JSON-in/JSON-out API
/// (`cedar_policy::ffi::is_authorized_json_str`, what Cedar's wasm package calls): the policies
/// as text, parsed on every call, like our `evaluatePolicy`.
pub fn cedar_json_input(n: usize, ask: &Ask) -> Value {
    json!({
        "principal": {"type": "Role", "id": ask.principal},
        "action": {"type": "Action", "id": ask.action},
        "resource": {"type": "Key", "id": KEY},
        "context": {
            "sourceIp": {"__extn": {"fn": "ip", "arg": ask.source_ip}},
            "ec": {"dept": ask.dept, "app": ask.app},
        },
        "policies": {"staticPolicies": cedar_policies(n)},
        "entities": [],
    })
}

/// The decision and deciding policy indices from Cedar's JSON answer.
pub fn cedar_json_outcome(answer: &str) -> Result<(bool, Vec<usize>), String> {
    let v: Value = serde_json::from_str(answer).map_err(|e| e.to_string())?;
    let response = v.get("response").ok_or_else(|| format!("cedar's JSON call failed: {answer}"))?;
    if response.pointer("/diagnostics/errors").and_then(Value::as_array).is_none_or(|e| !e.is_empty()) {
        return Err(format!("cedar's JSON call reported errors: {answer}"));
    }
    let mut ids = response
        .pointer("/diagnostics/reason")
        .and_then(Value::as_array)
        .ok_or_else(|| format!("no reasons in {answer}"))?
        .iter()
        .map(|id| {
            id.as_str()
                .and_then(|s| s.trim_start_matches("policy").parse::<usize>().ok())
                .ok_or_else(|| format!("unexpected policy id {id}"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    ids.sort_unstable();
    Ok((response.get("decision").and_then(Value::as_str) == Some("allow"), ids))
}

/// Ours: the decision and the deciding statement indices (allows when allowed, denies when
/// explicitly denied), mapped to Cedar's vocabulary.
pub fn ours_outcome(e: &secplay::policy::Evaluation) -> (bool, Vec<usize>) {
    let mut ids: Vec<usize> = e.matched_statements.iter().map(|m| m.statement_index).collect();
    ids.sort_unstable();
    (e.decision == secplay::policy::Decision::Allowed, ids)
}

/// Cedar: the decision and the deciding policies' indices.
pub fn cedar_outcome(r: &cedar_policy::Response) -> Result<(bool, Vec<usize>), String> {
    if let Some(e) = r.diagnostics().errors().next() {
        return Err(format!("cedar reported an evaluation error: {e}"));
    }
    let mut ids = r
        .diagnostics()
        .reason()
        .map(|id| id.to_string().trim_start_matches("policy").parse::<usize>().map_err(|e| e.to_string()))
        .collect::<Result<Vec<_>, _>>()?;
    ids.sort_unstable();
    Ok((r.decision() == cedar_policy::Decision::Allow, ids))
}

/// Checks, for size `n`, that both engines (and our JSON path) agree on every checked request:
/// same decision, same deciding statements. Returns how many requests were allowed, explicitly
/// denied and implicitly denied.
pub fn check_equivalent(n: usize) -> Result<[usize; 3], String> {
    let ours_set = secplay::policy::PolicySet {
        resource: Some(secplay::policy::parse_policy(&key_policy(n)).map_err(|e| e.to_string())?.into()),
        ..Default::default()
    };
    let cedar_set = cedar_policy::PolicySet::from_str(&cedar_policies(n)).map_err(|e| e.to_string())?;
    if cedar_set.policies().count() != n || ours_set.resource.as_ref().map(|p| p.statements.len()) != Some(n)
    {
        return Err(format!("size {n}: the two sets do not both hold {n} rules"));
    }
    let authorizer = cedar_policy::Authorizer::new();
    let entities = cedar_policy::Entities::empty();
    let mut counts = [0; 3];
    for ask in Ask::checked() {
        let ours = ours_outcome(&secplay::policy::evaluate(&ours_set, &ask.ours()));
        let cedar = cedar_outcome(&authorizer.is_authorized(&ask.cedar()?, &cedar_set, &entities))?;
        if ours != cedar {
            return Err(format!("size {n}, {ask:?}: ours {ours:?}, cedar {cedar:?}"));
        }
        let cedar_json = cedar_policy::ffi::is_authorized_json_str(&cedar_json_input(n, &ask).to_string())
            .map_err(|e| e.to_string())?;
        if cedar_json_outcome(&cedar_json)? != cedar {
            return Err(format!("size {n}, {ask:?}: cedar's JSON path disagrees with its typed API"));
        }
        let via_json = secplay::policy::evaluate_policy(&eval_input(n, &ask)).map_err(|e| e.to_string())?;
        let want = if ours.0 {
            "allowed"
        } else if ours.1.is_empty() {
            "implicitDeny"
        } else {
            "explicitDeny"
        };
        if via_json.get("decision").and_then(Value::as_str) != Some(want) {
            return Err(format!(
                "size {n}, {ask:?}: the JSON path says {:?}, not {want}",
                via_json.get("decision")
            ));
        }
        let slot = match want {
            "allowed" => &mut counts[0],
            "explicitDeny" => &mut counts[1],
            _ => &mut counts[2],
        };
        *slot += 1;
    }
    Ok(counts)
}
