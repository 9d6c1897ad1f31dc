//! Authorization of every call through the policy engine, as AWS KMS decides it.
//!
//! The caller's principal is looked up in the world (an unknown principal cannot sign:
//! `UnrecognizedClientException`); its identity policies (a role's for its sessions), permissions
//! boundary, session policy and its account's SCPs, the key's policy and the key's grants form one
//! [`PolicySet`]. The request context carries the global keys AWS sets (`aws:PrincipalArn`,
//! `aws:SourceIp`, `aws:PrincipalTag/…`, `aws:ResourceTag/…`, `aws:RequestedRegion`,
//! `aws:CurrentTime`, `aws:MultiFactorAuthPresent`, `aws:SourceVpce`) and the KMS keys
//! (`kms:CallerAccount`, `kms:ViaService`, `kms:KeySpec`, `kms:KeyUsage`, `kms:KeyOrigin`,
//! `kms:MultiRegion`, `kms:ResourceAliases`, plus what each operation adds, such as
//! `kms:EncryptionContext:…`). The policy engine applies the KMS rule that the key policy must
//! allow or delegate to the account, and that a cross-account call needs both sides.
//!
//! A denial becomes `AccessDeniedException` in the form IAM documents ("User: ARN is not
//! authorized to perform: ACTION on resource: ARN because no resource-based policy allows the
//! ACTION action"; see <https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html>),
//! carrying the evaluation and its trace.

pub mod cache;

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::policy::grants::Grant;
use crate::policy::json::evaluation_to_json;
use crate::policy::request::{Caller, PrincipalKind};
use crate::policy::{
    evaluate, parse_policy, parse_policy_value, Decision, Policy, PolicyKind, PolicySet, Request,
};

use super::error::KmsError;
use super::time::iso8601;
use super::world::{CallerContext, IdentityKind, Key, Principal, World};

/// A caller resolved against the world.
#[derive(Debug, Clone)]
pub struct ResolvedCaller {
    pub caller: Caller,
    /// The principal ARN as given.
    pub arn: String,
    /// The caller's account (`None` for a service principal).
    pub account: Option<String>,
    /// The IAM user or role whose policies apply (a session's role).
    pub identity: Option<Principal>,
    /// Principal tags, with session tags applied.
    pub tags: BTreeMap<String, String>,
    pub region: String,
}

/// Resolves the caller of a request; unknown principals and regions are refused.
pub fn resolve(world: &World, ctx: &CallerContext) -> Result<ResolvedCaller, KmsError> {
    let region = ctx.region.clone().unwrap_or_else(|| world.default_region().to_string());
    if !world.regions.contains(&region) {
        return Err(KmsError::unrecognized_client(format!(
            "the region `{region}` is not in this world; add it or call one of {}",
            world.regions.join(", ")
        )));
    }
    let invalid = || {
        KmsError::unrecognized_client(format!(
            "The security token included in the request is invalid (no principal `{}` in this world)",
            ctx.principal
        ))
    };
    if !ctx.principal.starts_with("arn:") {
        let service = ctx.principal.strip_suffix(".amazonaws.com").ok_or_else(invalid)?;
        if service.is_empty() || !service.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
        {
            return Err(invalid());
        }
        return Ok(ResolvedCaller {
            caller: Caller::Service(ctx.principal.clone()),
            arn: ctx.principal.clone(),
            account: None,
            identity: None,
            tags: BTreeMap::new(),
            region,
        });
    }
    let caller = Caller::classify(Some(&ctx.principal));
    let Caller::Aws(p) = &caller else {
        return Err(invalid());
    };
    let account = world.accounts.get(&p.account).ok_or_else(invalid)?;
    let identity = match &p.kind {
        PrincipalKind::Root => None,
        PrincipalKind::User | PrincipalKind::Role => {
            Some(account.principals.get(&p.arn).ok_or_else(invalid)?)
        }
        PrincipalKind::AssumedRole { role_arn } => {
            // The session ARN names the role without its path.
            let name = role_arn.rsplit('/').next().unwrap_or_default();
            let role = account
                .principals
                .values()
                .find(|r| r.kind == IdentityKind::Role && r.arn.rsplit('/').next() == Some(name))
                .ok_or_else(invalid)?;
            Some(role)
        }
        PrincipalKind::FederatedUser | PrincipalKind::Other => return Err(invalid()),
    };
    let mut tags = identity.map(|i| i.tags.clone()).unwrap_or_default();
    let identity = identity.cloned();
    if matches!(p.kind, PrincipalKind::AssumedRole { .. }) {
        if let Some(session) = &ctx.tags {
            tags.extend(session.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
    }
    Ok(ResolvedCaller {
        arn: ctx.principal.clone(),
        account: Some(p.account.clone()),
        caller: caller.clone(),
        identity,
        tags,
        region,
    })
}

/// What one call asks to do, for authorization.
#[derive(Debug, Clone)]
pub struct Ask<'k> {
    /// The operation name, e.g. `Encrypt` (the action is `kms:Encrypt`).
    pub operation: &'k str,
    /// The key acted on, if any.
    pub key: Option<&'k Key>,
    /// The resource when it is not a key: an alias ARN, or `*`.
    pub resource: Option<String>,
    /// Operation-specific context keys: name, values, multivalued.
    pub context: Vec<(String, Vec<String>, bool)>,
}

impl<'k> Ask<'k> {
    /// A request on a key.
    pub fn key(operation: &'k str, key: &'k Key) -> Ask<'k> {
        Ask { operation, key: Some(key), resource: None, context: Vec::new() }
    }

    /// A request with no resource-level permission (resource `*`).
    pub fn any(operation: &'k str) -> Ask<'k> {
        Ask { operation, key: None, resource: None, context: Vec::new() }
    }

    /// Adds a single-valued context key.
    pub fn with(mut self, key: &str, value: impl Into<String>) -> Ask<'k> {
        self.context.push((key.to_string(), vec![value.into()], false));
        self
    }

    /// Adds a multivalued context key.
    pub fn with_values(mut self, key: &str, values: Vec<String>) -> Ask<'k> {
        self.context.push((key.to_string(), values, true));
        self
    }

    /// Adds `kms:EncryptionContext:…` and `kms:EncryptionContextKeys` for an encryption context.
    pub fn with_encryption_context(mut self, ec: &BTreeMap<String, String>) -> Ask<'k> {
        for (k, v) in ec {
            self.context.push((format!("kms:EncryptionContext:{k}"), vec![v.clone()], false));
        }
        if !ec.is_empty() {
            self.context.push(("kms:EncryptionContextKeys".into(), ec.keys().cloned().collect(), true));
        }
        self
    }
}

/// A stored policy text parsed (once per text, through the world's cache); a stored policy was
/// checked when it was set.
fn parsed(world: &World, text: &str) -> Result<Arc<Policy>, KmsError> {
    world
        .policy_cache
        .get(text)
        .map_err(|e| KmsError::kms_internal(format!("a stored policy no longer parses: {e}")))
}

/// The session policy the caller passed (object or JSON text).
fn session_policy(v: &serde_json::Value) -> Result<Policy, KmsError> {
    let r = match v {
        serde_json::Value::String(s) => parse_policy(s),
        other => parse_policy_value(other),
    };
    r.map_err(|e| KmsError::validation(format!("the caller's `sessionPolicy` does not parse: {e}")))
}

/// Grants of a key as the policy engine reads them.
pub fn engine_grants(key: &Key) -> Vec<Grant> {
    let pairs = |m: &BTreeMap<String, String>| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    key.grants
        .iter()
        .map(|g| Grant {
            grant_id: Some(g.grant_id.clone()),
            key_id: None,
            grantee_principal: g.grantee_principal.clone(),
            operations: g.operations.clone(),
            context_subset: g.context_subset.as_ref().map(pairs),
            context_equals: g.context_equals.as_ref().map(pairs),
        })
        .collect()
}

/// The aliases that point at a key (`kms:ResourceAliases`).
fn key_aliases(world: &World, key: &Key) -> Vec<String> {
    world
        .aliases
        .values()
        .filter(|a| a.target_key_id == key.key_id && a.account == key.account && a.region == key.region)
        .map(|a| a.name.clone())
        .collect()
}

/// Authorizes one call; `Err(AccessDeniedException)` with the trace when the policies deny.
pub fn authorize(
    world: &World,
    ctx: &CallerContext,
    who: &ResolvedCaller,
    ask: &Ask<'_>,
) -> Result<(), KmsError> {
    let action = format!("kms:{}", ask.operation);
    let (resource, resource_account) = match (ask.key, &ask.resource) {
        (Some(k), _) => (k.arn.clone(), k.account.clone()),
        (None, Some(r)) => (r.clone(), who.account.clone().unwrap_or_default()),
        (None, None) => ("*".to_string(), who.account.clone().unwrap_or_default()),
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
        set.session = Some(Arc::new(session_policy(sp)?));
    }
    if let Some(acct) = who.account.as_ref().and_then(|a| world.accounts.get(a)) {
        for level in &acct.scps {
            set.scps.push(level.iter().map(|p| parsed(world, p)).collect::<Result<Vec<_>, _>>()?);
        }
    }
    if let Some(k) = ask.key {
        set.resource = Some(parsed(world, &k.policy)?);
        set.grants = engine_grants(k);
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
    if let Some(acct) = &who.account {
        add(&mut req, "kms:CallerAccount", acct.clone());
    }
    if let Some(s) = &ctx.via_service {
        add(&mut req, "kms:ViaService", s.clone());
        add(&mut req, "aws:ViaAWSService", "true".into());
        add(&mut req, "aws:CalledViaFirst", s.clone());
    } else {
        add(&mut req, "aws:ViaAWSService", "false".into());
    }
    if let Some(k) = ask.key {
        for (t, v) in &k.tags {
            add(&mut req, &format!("aws:ResourceTag/{t}"), v.clone());
        }
        add(&mut req, "kms:KeySpec", k.key_spec.clone());
        add(&mut req, "kms:CustomerMasterKeySpec", k.key_spec.clone());
        add(&mut req, "kms:KeyUsage", k.key_usage.clone());
        add(&mut req, "kms:CustomerMasterKeyUsage", k.key_usage.clone());
        add(&mut req, "kms:KeyOrigin", k.origin.clone());
        add(&mut req, "kms:MultiRegion", k.multi_region.to_string());
        if k.multi_region {
            let kind = if k.primary_arn.is_some() { "REPLICA" } else { "PRIMARY" };
            add(&mut req, "kms:MultiRegionKeyType", kind.into());
        }
        req.context.insert("kms:ResourceAliases", key_aliases(world, k), true);
    }
    for (k, v, multi) in &ask.context {
        req.context.insert(k, v.clone(), *multi);
    }
    let req = req.with_derived_keys();

    let eval = evaluate(&set, &req);
    if eval.decision == Decision::Allowed {
        return Ok(());
    }
    let why = match eval.decision {
        Decision::ExplicitDeny => {
            let kind = eval.matched_statements.first().map_or(PolicyKind::Identity, |m| m.kind);
            format!("with an explicit deny in {}", policy_phrase(kind))
        }
        _ => {
            let last = eval
                .trace
                .iter()
                .rev()
                .find(|s| s.subject == "decision")
                .map(|s| s.message.as_str())
                .unwrap_or("");
            let kind = if last.contains("SCP") {
                "service control policy"
            } else if last.contains("permissions boundary")
                || eval
                    .trace
                    .iter()
                    .any(|s| s.subject == "permissionsBoundary" && s.message.contains("does not allow"))
            {
                "permissions boundary"
            } else if eval
                .trace
                .iter()
                .any(|s| s.subject == "session" && s.message.contains("does not allow"))
            {
                "session policy"
            } else if ask.key.is_some()
                && (last.contains("resource policy neither")
                    || last.contains("resource policy does not")
                    || last.contains("no resource policy"))
            {
                "resource-based policy"
            } else {
                "identity-based policy"
            };
            format!("because no {kind} allows the {action} action")
        }
    };
    Err(KmsError::AccessDenied {
        message: format!(
            "User: {} is not authorized to perform: {action} on resource: {resource} {why}",
            who.arn
        ),
        trace: Box::new(evaluation_to_json(&eval)),
    })
}

/// The global condition keys every request carries, as AWS sets them: `aws:RequestedRegion`,
/// `aws:CurrentTime`, `aws:EpochTime`, `aws:SecureTransport`, and from the caller `aws:SourceIp`,
/// `aws:SourceVpce`, `aws:MultiFactorAuthPresent` and `aws:PrincipalTag/…`. KMS and the services
/// over its world (Secrets Manager, Parameter Store) add their own keys to these.
pub fn add_global_keys(req: &mut Request, now: i64, who: &ResolvedCaller, ctx: &CallerContext) {
    let mut add = |k: &str, v: String| req.context.insert(k, vec![v], false);
    add("aws:RequestedRegion", who.region.clone());
    add("aws:CurrentTime", iso8601(now));
    add("aws:EpochTime", now.to_string());
    add("aws:SecureTransport", "true".into());
    if let Some(ip) = &ctx.source_ip {
        add("aws:SourceIp", ip.clone());
    }
    if let Some(v) = &ctx.vpc_endpoint {
        add("aws:SourceVpce", v.clone());
    }
    if let Some(m) = ctx.mfa {
        add("aws:MultiFactorAuthPresent", m.to_string());
    }
    for (k, v) in &who.tags {
        add(&format!("aws:PrincipalTag/{k}"), v.clone());
    }
}

fn policy_phrase(kind: PolicyKind) -> &'static str {
    match kind {
        PolicyKind::Identity => "an identity-based policy",
        PolicyKind::Resource | PolicyKind::Grant => "a resource-based policy",
        PolicyKind::PermissionsBoundary => "a permissions boundary",
        PolicyKind::Session => "a session policy",
        PolicyKind::Scp => "a service control policy",
        PolicyKind::Rcp => "a resource control policy",
        PolicyKind::VpcEndpoint => "a VPC endpoint policy",
    }
}
