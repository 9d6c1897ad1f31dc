//! Authorization of Parameter Store calls through the policy engine, as IAM decides them for
//! Systems Manager ("Restricting access to Parameter Store parameters using IAM policies",
//! <https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-access.html>).
//!
//! The caller is resolved in the KMS world (its accounts and principals, [`crate::kms::auth::resolve`]);
//! its identity policies, permissions boundary, session policy and its account's SCPs form the
//! [`PolicySet`]. Parameters have no resource policies here, so the identity side decides. The
//! action is `ssm:<Operation>` and the resource the parameter's ARN
//! (`arn:aws:ssm:REGION:ACCOUNT:parameter/NAME`), a path's ARN for GetParametersByPath, or `*`
//! for DescribeParameters. The request carries `aws:RequestedRegion`, `aws:CurrentTime`,
//! `aws:SourceIp`, `aws:PrincipalTag/…` and the parameter's `aws:ResourceTag/…`.
//! Not modelled: shared (cross-account) advanced parameters and their RAM resource policies.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::kms::auth::{add_global_keys, resolve, ResolvedCaller};
use crate::kms::world::{CallerContext, World};
use crate::policy::json::evaluation_to_json;
use crate::policy::request::{Caller, PrincipalKind};
use crate::policy::{
    evaluate, parse_policy, parse_policy_value, Decision, Policy, PolicyKind, PolicySet, Request,
};

use super::error::SsmError;

/// The caller of a Parameter Store call: resolved in the world, in an account.
pub struct Who {
    pub resolved: ResolvedCaller,
    pub account: String,
}

/// Resolves the caller; a service principal (no account) cannot own parameters.
pub fn who(world: &World, ctx: &CallerContext) -> Result<Who, SsmError> {
    let resolved = resolve(world, ctx).map_err(SsmError::from_kms)?;
    let account = resolved.account.clone().ok_or_else(|| {
        SsmError::unrecognized_client(format!(
            "`{}` is a service principal; Parameter Store is called by an account's root, user or role",
            ctx.principal
        ))
    })?;
    Ok(Who { resolved, account })
}

fn parsed(world: &World, text: &str) -> Result<Arc<Policy>, SsmError> {
    world
        .policy_cache
        .get(text)
        .map_err(|e| SsmError::internal(format!("a stored policy no longer parses: {e}")))
}

/// Authorizes `ssm:<operation>` on `resource` (with the parameter's tags, if any).
pub fn authorize(
    world: &World,
    ctx: &CallerContext,
    who: &Who,
    operation: &str,
    resource: &str,
    tags: Option<&BTreeMap<String, String>>,
) -> Result<(), SsmError> {
    let action = format!("ssm:{operation}");
    let r = &who.resolved;
    let mut set = PolicySet::default();
    if let Some(i) = &r.identity {
        for p in i.policies.values() {
            set.identity.push(parsed(world, p)?);
        }
        if let Some(b) = &i.permissions_boundary {
            set.permissions_boundary = Some(parsed(world, b)?);
        }
    }
    let is_session =
        matches!(&r.caller, Caller::Aws(p) if matches!(p.kind, PrincipalKind::AssumedRole { .. }));
    if let (true, Some(sp)) = (is_session, &ctx.session_policy) {
        let p = match sp {
            serde_json::Value::String(s) => parse_policy(s),
            other => parse_policy_value(other),
        }
        .map_err(|e| SsmError::validation(format!("the caller's `sessionPolicy` does not parse: {e}")))?;
        set.session = Some(Arc::new(p));
    }
    if let Some(acct) = world.accounts.get(&who.account) {
        for level in &acct.scps {
            set.scps.push(level.iter().map(|p| parsed(world, p)).collect::<Result<Vec<_>, _>>()?);
        }
    }
    let mut req = Request {
        caller: r.caller.clone(),
        action: action.clone(),
        resource: resource.to_string(),
        resource_account: who.account.clone(),
        context: Default::default(),
    };
    add_global_keys(&mut req, world.now, r, ctx);
    let mut add = |k: &str, v: String| req.context.insert(k, vec![v], false);
    add("aws:ViaAWSService", "false".into());
    for (k, v) in tags.into_iter().flatten() {
        add(&format!("aws:ResourceTag/{k}"), v.clone());
    }
    let req = req.with_derived_keys();
    let eval = evaluate(&set, &req);
    if eval.decision == Decision::Allowed {
        return Ok(());
    }
    let why = if eval.decision == Decision::ExplicitDeny {
        let kind = eval.matched_statements.first().map_or(PolicyKind::Identity, |m| m.kind);
        let phrase = match kind {
            PolicyKind::Scp => "a service control policy",
            PolicyKind::PermissionsBoundary => "a permissions boundary",
            PolicyKind::Session => "a session policy",
            _ => "an identity-based policy",
        };
        format!("with an explicit deny in {phrase}")
    } else {
        let says = |subject: &str| {
            eval.trace.iter().any(|s| s.subject.starts_with(subject) && s.message.contains("does not allow"))
        };
        let kind = if says("scps") {
            "service control policy"
        } else if says("permissionsBoundary") {
            "permissions boundary"
        } else if says("session") {
            "session policy"
        } else {
            "identity-based policy"
        };
        format!("because no {kind} allows the {action} action")
    };
    Err(SsmError::AccessDenied {
        message: format!(
            "User: {} is not authorized to perform: {action} on resource: {resource} {why}",
            r.arn
        ),
        trace: Box::new(evaluation_to_json(&eval)),
    })
}
