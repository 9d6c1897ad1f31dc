//! Authorization of Secrets Manager calls through the policy engine, as IAM decides them: the
//! caller's identity policies (a role's for its sessions), permissions boundary, session policy
//! and SCPs from the KMS world, plus the secret's resource policy. In the secret's own account
//! either side may allow; across accounts both must (the policy engine's same- vs cross-account
//! rule; IAM User Guide, "Cross-account policy evaluation logic",
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html>).
//!
//! The request context carries the global keys (`aws:PrincipalArn`, `aws:RequestedRegion`,
//! `aws:CurrentTime`, `aws:SourceIp`, `aws:PrincipalTag/…`, `aws:ResourceTag/…`) and the Secrets
//! Manager keys this engine knows (`secretsmanager:SecretId`, `secretsmanager:Name`,
//! `secretsmanager:ResourceTag/…`, `secretsmanager:VersionStage`, `secretsmanager:VersionId`;
//! Service Authorization Reference, <https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssecretsmanager.html>).

use std::sync::Arc;

use crate::kms::auth::{add_global_keys, ResolvedCaller};
use crate::kms::{CallerContext, World};
use crate::policy::json::evaluation_to_json;
use crate::policy::request::{Caller, PrincipalKind};
use crate::policy::{evaluate, parse_policy, parse_policy_value, Decision, Policy, PolicySet, Request};

use super::error::SecretsError;
use super::store::Secret;

fn parsed(world: &World, text: &str) -> Result<Arc<Policy>, SecretsError> {
    world
        .policy_cache
        .get(text)
        .map_err(|e| SecretsError::internal(format!("a stored policy no longer parses: {e}")))
}

/// Authorizes `secretsmanager:<operation>` on `secret` (or on `*` for operations without a
/// resource), with extra context keys.
pub fn authorize(
    world: &World,
    ctx: &CallerContext,
    who: &ResolvedCaller,
    operation: &str,
    secret: Option<&Secret>,
    extra: &[(&str, String)],
) -> Result<(), SecretsError> {
    let action = format!("secretsmanager:{operation}");
    let (resource, resource_account) = match secret {
        Some(s) => (s.arn.clone(), s.account.clone()),
        None => ("*".to_string(), who.account.clone().unwrap_or_default()),
    };
    let mut set = PolicySet::default();
    if let Some(i) = &who.identity {
        for p in i.policies.values() {
            set.identity.push(parsed(world, p)?);
        }
        if let Some(b) = &i.permissions_boundary {
            set.permissions_boundary = Some(parsed(world, b)?);
        }
    }
    let is_session =
        matches!(&who.caller, Caller::Aws(p) if matches!(p.kind, PrincipalKind::AssumedRole { .. }));
    if let (true, Some(sp)) = (is_session, &ctx.session_policy) {
        let r = match sp {
            serde_json::Value::String(s) => parse_policy(s),
            other => parse_policy_value(other),
        };
        let p = r.map_err(|e| {
            SecretsError::invalid_parameter(format!("the caller's `sessionPolicy` does not parse: {e}"))
        })?;
        set.session = Some(Arc::new(p));
    }
    if let Some(acct) = who.account.as_ref().and_then(|a| world.accounts.get(a)) {
        for level in &acct.scps {
            set.scps.push(level.iter().map(|p| parsed(world, p)).collect::<Result<Vec<_>, _>>()?);
        }
    }
    if let Some(p) = secret.and_then(|s| s.policy.as_deref()) {
        set.resource = Some(parsed(world, p)?);
    }

    let mut req = Request {
        caller: who.caller.clone(),
        action: action.clone(),
        resource: resource.clone(),
        resource_account,
        context: Default::default(),
    };
    add_global_keys(&mut req, world.now, who, ctx);
    let add = |req: &mut Request, k: &str, v: String| req.context.insert(k, vec![v], false);
    if let Some(s) = secret {
        add(&mut req, "secretsmanager:SecretId", s.arn.clone());
        add(&mut req, "secretsmanager:Name", s.name.clone());
        for (t, v) in &s.tags {
            add(&mut req, &format!("aws:ResourceTag/{t}"), v.clone());
            add(&mut req, &format!("secretsmanager:ResourceTag/{t}"), v.clone());
        }
    }
    for (k, v) in extra {
        add(&mut req, k, v.clone());
    }
    let req = req.with_derived_keys();

    let eval = evaluate(&set, &req);
    if eval.decision == Decision::Allowed {
        return Ok(());
    }
    let why = match eval.decision {
        Decision::ExplicitDeny => "with an explicit deny".to_string(),
        _ if secret.is_some_and(|s| Some(&s.account) != who.account.as_ref()) => {
            format!("because no resource-based policy allows the {action} action")
        }
        _ => format!("because no identity-based policy allows the {action} action"),
    };
    Err(SecretsError::AccessDenied {
        message: format!(
            "User: {} is not authorized to perform: {action} on resource: {resource} {why}",
            who.arn
        ),
        trace: Box::new(evaluation_to_json(&eval)),
    })
}
