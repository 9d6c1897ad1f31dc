//! The permission checks S3 makes while replicating, each through the policy engine: the role's
//! trust, its `s3:` actions on the source and destination, `kms:Decrypt` / `kms:Encrypt` /
//! `kms:GenerateDataKey` on the keys with the context S3 sends, against the key policies and the
//! destination bucket policy.
//!
//! S3 calls as a session of the replication role (`assumed-role/<name>/s3-replication`), so a key
//! or bucket policy naming the role ARN matches. A decision that cannot depend on the object
//! (no policy names anything inside a bucket) may be memoised per bucket: see [`Checker::memo`].

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::Value;

use super::model::Role;
use super::reason::Check;
use crate::policy::request::{AwsPrincipal, PrincipalKind};
use crate::policy::result::StepOutcome;
use crate::policy::{evaluate, Caller, Decision, Evaluation, Policy, PolicyKind, PolicySet, Request};

/// Who refused a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The role's identity policies or its permissions boundary.
    Role,
    /// The resource's policy (key policy, bucket policy, trust policy).
    Resource,
}

/// The result of one check.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub allowed: bool,
    pub side: Side,
    pub check: Check,
}

/// Makes the checks for one role, caching policy sets and (optionally) decisions.
pub struct Checker {
    role: Option<Role>,
    role_arn: String,
    role_account: String,
    sets: HashMap<String, PolicySet>,
    /// When set, decisions are memoised by (policy set, action, bucket): see the module note.
    pub memo: bool,
    decisions: HashMap<(String, String, String), Evaluation>,
}

/// The account of an IAM ARN (`arn:aws:iam::<account>:role/...`).
pub fn arn_account(arn: &str) -> String {
    arn.split(':').nth(4).unwrap_or_default().to_string()
}

impl Checker {
    pub fn new(role_arn: &str, role: Option<Role>) -> Checker {
        Checker {
            role,
            role_arn: role_arn.to_string(),
            role_account: arn_account(role_arn),
            sets: HashMap::new(),
            memo: false,
            decisions: HashMap::new(),
        }
    }

    pub fn role_account(&self) -> &str {
        &self.role_account
    }

    fn caller(&self) -> Caller {
        let name = self.role_arn.rsplit('/').next().unwrap_or_default();
        Caller::Aws(AwsPrincipal {
            arn: format!("arn:aws:sts::{}:assumed-role/{name}/s3-replication", self.role_account),
            account: self.role_account.clone(),
            kind: PrincipalKind::AssumedRole { role_arn: self.role_arn.clone() },
        })
    }

    /// Whether the role's trust policy lets S3 assume it (`None`: no trust policy given).
    pub fn trust(&self) -> Option<Outcome> {
        let trust = self.role.as_ref()?.trust.clone()?;
        let set = PolicySet { resource: Some(Arc::new(trust)), ..PolicySet::default() };
        let req =
            Request::new(Some("s3.amazonaws.com"), "sts:AssumeRole", &self.role_arn, &self.role_account)
                .with_derived_keys();
        let evaluation = evaluate(&set, &req);
        Some(Outcome {
            allowed: evaluation.decision == Decision::Allowed,
            side: Side::Resource,
            check: Check { action: req.action, resource: req.resource, context: Vec::new(), evaluation },
        })
    }

    /// One request of the role: `set_id` names the resource policy (cached with the role's own);
    /// `memo_scope` is what the decision may depend on when memoised (the bucket, not the object).
    #[allow(clippy::too_many_arguments)]
    pub fn check(
        &mut self,
        set_id: &str,
        resource_policy: Option<&Policy>,
        action: &str,
        resource: &str,
        resource_account: &str,
        context: Vec<(String, String)>,
        memo_scope: &str,
    ) -> Outcome {
        let memo_key = (set_id.to_string(), action.to_string(), memo_scope.to_string());
        let evaluation = match self.memo.then(|| self.decisions.get(&memo_key)).flatten() {
            Some(e) => e.clone(),
            None => {
                let caller = self.caller();
                let role = self.role.as_ref();
                let set = self.sets.entry(set_id.to_string()).or_insert_with(|| PolicySet {
                    identity: role
                        .map(|r| r.policies.iter().cloned().map(Arc::new).collect())
                        .unwrap_or_default(),
                    permissions_boundary: role.and_then(|r| r.boundary.clone()).map(Arc::new),
                    resource: resource_policy.cloned().map(Arc::new),
                    ..PolicySet::default()
                });
                let mut req = Request {
                    caller,
                    action: action.to_string(),
                    resource: resource.to_string(),
                    resource_account: resource_account.to_string(),
                    context: Default::default(),
                };
                for (k, v) in &context {
                    if k == "kms:EncryptionContextKeys" {
                        req.context.insert(k, vec![v.clone()], true);
                    } else {
                        req.context.insert(k, vec![v.clone()], false);
                    }
                }
                let req = req.with_derived_keys();
                let e = evaluate(set, &req);
                if self.memo {
                    self.decisions.insert(memo_key, e.clone());
                }
                e
            }
        };
        let side = deciding_side(&evaluation, resource_account != self.role_account);
        Outcome {
            allowed: evaluation.decision == Decision::Allowed,
            side,
            check: Check { action: action.to_string(), resource: resource.to_string(), context, evaluation },
        }
    }
}

/// Which side refused. An explicit deny names its policy. An implicit deny is the role's when only
/// its identity policies (or boundary) fail to allow, the resource policy's when only it fails
/// (or, across accounts, is missing); when both fail, the resource policy's across accounts (the
/// role's owner cannot fix it alone) and the role's within one account.
fn deciding_side(e: &Evaluation, cross_account: bool) -> Side {
    if e.decision == Decision::ExplicitDeny {
        return match e.matched_statements.first().map(|m| m.kind) {
            Some(PolicyKind::Resource) => Side::Resource,
            _ => Side::Role,
        };
    }
    let role_refuses = e.trace.iter().any(|s| {
        (s.subject == "identity" || s.subject == "permissionsBoundary") && s.outcome != StepOutcome::Allow
    });
    let resource_step = e.trace.iter().find(|s| s.subject == "resource" && s.outcome != StepOutcome::Rule);
    let resource_refuses = match resource_step {
        Some(s) => s.outcome != StepOutcome::Allow,
        None => cross_account,
    };
    match (role_refuses, resource_refuses) {
        (true, false) => Side::Role,
        (false, true) => Side::Resource,
        _ if cross_account => Side::Resource,
        _ => Side::Role,
    }
}

/// Whether a policy document can tell objects of one bucket apart: it names an S3 ARN with
/// something inside a bucket other than a trailing `*`, or uses a policy variable. When no
/// policy can, a decision for one object of a bucket holds for all of them.
pub fn object_dependent(policy: &Value) -> bool {
    match policy {
        Value::String(s) => {
            if s.contains("${") {
                return true;
            }
            s.find("arn:aws:s3:::").is_some_and(|at| {
                let rest = s.get(at + "arn:aws:s3:::".len()..).unwrap_or_default();
                rest.split_once('/').is_some_and(|(_, inside)| inside != "*")
            })
        }
        Value::Array(a) => a.iter().any(object_dependent),
        Value::Object(o) => {
            o.iter().any(|(k, v)| k.starts_with("s3:ExistingObjectTag") || object_dependent(v))
        }
        _ => false,
    }
}
