//! Grants: CreateGrant, ListGrants, ListRetirableGrants, RetireGrant, RevokeGrant. A grant gives
//! its grantee operations on one key without any policy naming it; encryption context constraints
//! (`EncryptionContextSubset` / `EncryptionContextEquals`) apply to the operations that take a
//! context. A grant takes effect at once here, and its grant token is accepted at once: the
//! eventual consistency of real grants is not simulated.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::super::auth::Ask;
use super::super::error::KmsError;
use super::super::params::Params;
use super::super::world::{GrantRecord, Key, World};
use super::{
    allow, dry_run, find_key, grant_tokens, key, key_mut, not_pending_deletion, page, paged, random_hex, Call,
};

/// Every grant operation of the model.
pub const GRANT_OPERATIONS: &[&str] = &[
    "Decrypt",
    "Encrypt",
    "GenerateDataKey",
    "GenerateDataKeyWithoutPlaintext",
    "ReEncryptFrom",
    "ReEncryptTo",
    "Sign",
    "Verify",
    "GetPublicKey",
    "CreateGrant",
    "RetireGrant",
    "DescribeKey",
    "GenerateDataKeyPair",
    "GenerateDataKeyPairWithoutPlaintext",
    "GenerateMac",
    "VerifyMac",
    "DeriveSharedSecret",
    "Encapsulate",
    "Decapsulate",
];
/// Operations that take an encryption context (the only ones a constrained grant may list).
const CONTEXT_OPERATIONS: &[&str] = &[
    "Decrypt",
    "Encrypt",
    "GenerateDataKey",
    "GenerateDataKeyWithoutPlaintext",
    "ReEncryptFrom",
    "ReEncryptTo",
    "GenerateDataKeyPair",
    "GenerateDataKeyPairWithoutPlaintext",
    "CreateGrant",
    "RetireGrant",
    "DescribeKey",
];
/// Grants per key this emulator holds (AWS's quota is 50,000).
pub const MAX_GRANTS_PER_KEY: usize = 10_000;

/// The operations a key's type allows in a grant.
fn allowed_for(k: &Key, op: &str) -> bool {
    let common = ["CreateGrant", "RetireGrant", "DescribeKey"];
    if common.contains(&op) {
        return true;
    }
    match k.key_usage.as_str() {
        "ENCRYPT_DECRYPT" if k.is_symmetric() => [
            "Decrypt",
            "Encrypt",
            "GenerateDataKey",
            "GenerateDataKeyWithoutPlaintext",
            "ReEncryptFrom",
            "ReEncryptTo",
            "GenerateDataKeyPair",
            "GenerateDataKeyPairWithoutPlaintext",
        ]
        .contains(&op),
        "ENCRYPT_DECRYPT" => {
            ["Decrypt", "Encrypt", "ReEncryptFrom", "ReEncryptTo", "GetPublicKey"].contains(&op)
        }
        "SIGN_VERIFY" => ["Sign", "Verify", "GetPublicKey"].contains(&op),
        "GENERATE_VERIFY_MAC" => ["GenerateMac", "VerifyMac"].contains(&op),
        "KEY_AGREEMENT" => ["DeriveSharedSecret", "GetPublicKey"].contains(&op),
        "ENCAPSULATE_DECAPSULATE" => ["Encapsulate", "Decapsulate", "GetPublicKey"].contains(&op),
        _ => false,
    }
}

fn check_principal(name: &str, p: &str) -> Result<(), KmsError> {
    let arn_ok = p.starts_with("arn:aws:iam::") || p.starts_with("arn:aws:sts::");
    let service_ok = p.ends_with(".amazonaws.com") && !p.contains(':');
    if !arn_ok && !service_ok {
        return Err(KmsError::validation(format!(
            "{name} `{p}` must be an AWS principal ARN (account, user, role or assumed-role session) or a service principal"
        )));
    }
    Ok(())
}

fn grant_json(k: &Key, g: &GrantRecord) -> Value {
    let mut v = json!({
        "KeyId": k.arn,
        "GrantId": g.grant_id,
        "CreationDate": g.creation_date,
        "GranteePrincipal": g.grantee_principal,
        "IssuingAccount": format!("arn:aws:iam::{}:root", g.issuing_account),
        "Operations": g.operations,
    });
    if let Some(o) = v.as_object_mut() {
        if let Some(n) = &g.name {
            o.insert("Name".into(), json!(n));
        }
        if let Some(r) = &g.retiring_principal {
            o.insert("RetiringPrincipal".into(), json!(r));
        }
        let mut c = serde_json::Map::new();
        if let Some(s) = &g.context_subset {
            c.insert("EncryptionContextSubset".into(), json!(s));
        }
        if let Some(e) = &g.context_equals {
            c.insert("EncryptionContextEquals".into(), json!(e));
        }
        if !c.is_empty() {
            o.insert("Constraints".into(), Value::Object(c));
        }
    }
    v
}

/// CreateGrant.
pub fn create_grant(w: &mut World, c: &mut Call<'_>, request: &Value) -> Result<Value, KmsError> {
    let p = Params::new(
        request,
        &[
            "KeyId",
            "GranteePrincipal",
            "RetiringPrincipal",
            "Operations",
            "Constraints",
            "GrantTokens",
            "Name",
            "DryRun",
            "GranteeServicePrincipal",
            "RetiringServicePrincipal",
        ],
    )?;
    let id = p.req_str("KeyId", 1, 2048)?;
    let grantee = match (p.str("GranteePrincipal", 1, 256)?, p.str("GranteeServicePrincipal", 1, 128)?) {
        (Some(g), None) | (None, Some(g)) => g,
        (Some(_), Some(_)) => {
            return Err(KmsError::validation("give GranteePrincipal or GranteeServicePrincipal, not both"))
        }
        (None, None) => return Err(KmsError::validation("1 validation error detected: Value null at 'granteePrincipal' failed to satisfy constraint: Member must not be null")),
    };
    let retiring = p.str("RetiringPrincipal", 1, 256)?.or(p.str("RetiringServicePrincipal", 1, 128)?);
    let ops = p.str_list("Operations", 64, 1, 64)?.unwrap_or_default();
    let name = p.str("Name", 1, 256)?;
    let constraints =
        p.object("Constraints", &["EncryptionContextSubset", "EncryptionContextEquals", "SourceArn"])?;
    let (subset, equals) = match &constraints {
        Some(cp) => {
            if cp.has("SourceArn") {
                return Err(KmsError::unsupported(
                    "the SourceArn grant constraint is not modelled by this emulator",
                ));
            }
            let s = cp
                .has("EncryptionContextSubset")
                .then(|| cp.context("EncryptionContextSubset"))
                .transpose()?;
            let e = cp
                .has("EncryptionContextEquals")
                .then(|| cp.context("EncryptionContextEquals"))
                .transpose()?;
            (s, e)
        }
        None => (None, None),
    };
    grant_tokens(w, &p)?;
    if ops.is_empty() {
        return Err(KmsError::validation("Operations must list at least one grant operation"));
    }
    if let Some(bad) = ops.iter().find(|o| !GRANT_OPERATIONS.contains(&o.as_str())) {
        return Err(KmsError::validation(format!(
            "1 validation error detected: Value '{bad}' at 'operations' failed to satisfy constraint: Member must satisfy enum value set: [{}]",
            GRANT_OPERATIONS.join(", ")
        )));
    }
    check_principal("GranteePrincipal", grantee)?;
    if let Some(r) = retiring {
        check_principal("RetiringPrincipal", r)?;
    }
    if let Some(n) = name {
        if !n.bytes().all(|b| {
            b.is_ascii_alphanumeric() || matches!(b, b':' | b'/' | b'+' | b'=' | b',' | b'.' | b'@' | b'-')
        }) {
            return Err(KmsError::validation(format!(
                "grant name `{n}` may use only a-z, A-Z, 0-9 and :/+=,.@-"
            )));
        }
    }
    let arn = find_key(w, c, id, true)?;
    let k = key(w, &arn)?;
    let mut ask = Ask::key("CreateGrant", k)
        .with("kms:GranteePrincipal", grantee)
        .with_values("kms:GrantOperations", ops.clone())
        .with("kms:GrantIsForAWSResource", c.ctx.via_service.is_some().to_string());
    if let Some(r) = retiring {
        ask = ask.with("kms:RetiringPrincipal", r);
    }
    if subset.is_some() {
        ask = ask.with("kms:GrantConstraintType", "EncryptionContextSubset");
    } else if equals.is_some() {
        ask = ask.with("kms:GrantConstraintType", "EncryptionContextEquals");
    }
    allow(w, c, &ask)?;
    not_pending_deletion(k)?;
    if let Some(bad) = ops.iter().find(|o| !allowed_for(k, o)) {
        return Err(KmsError::validation(format!(
            "the grant operation {bad} is not valid for {} ({} {})",
            k.arn, k.key_spec, k.key_usage
        )));
    }
    if (subset.is_some() || equals.is_some()) && ops.iter().any(|o| !CONTEXT_OPERATIONS.contains(&o.as_str()))
    {
        return Err(KmsError::validation(
            "encryption context grant constraints are allowed only with operations that take an encryption context",
        ));
    }
    dry_run(&p)?;
    let issuing = c.who.account.clone().unwrap_or_else(|| k.account.clone());
    // Same name and same grant: the existing grant is returned (CreateGrant is idempotent).
    let mut sorted_ops = ops.clone();
    sorted_ops.sort();
    if let Some(g) = name.and_then(|n| {
        k.grants.iter().find(|g| {
            let mut o = g.operations.clone();
            o.sort();
            g.name.as_deref() == Some(n)
                && g.grantee_principal == grantee
                && o == sorted_ops
                && g.context_subset == subset
                && g.context_equals == equals
        })
    }) {
        let token = w.grant_tokens.iter().find(|(_, gid)| **gid == g.grant_id).map(|(t, _)| t.clone());
        return Ok(json!({"GrantToken": token, "GrantId": g.grant_id}));
    }
    if k.grants.len() >= MAX_GRANTS_PER_KEY {
        return Err(KmsError::limit_exceeded(format!(
            "{} has reached the limit of {MAX_GRANTS_PER_KEY} grants",
            k.arn
        )));
    }
    let grant_id = random_hex(32)?;
    let token = format!("AQpAM{}", random_hex(48)?);
    let g = GrantRecord {
        grant_id: grant_id.clone(),
        name: name.map(str::to_string),
        grantee_principal: grantee.to_string(),
        retiring_principal: retiring.map(str::to_string),
        issuing_account: issuing,
        operations: ops,
        context_subset: subset.map(|m: BTreeMap<String, String>| m),
        context_equals: equals,
        creation_date: w.now,
    };
    key_mut(w, &arn)?.grants.push(g);
    w.grant_tokens.insert(token.clone(), grant_id.clone());
    Ok(json!({"GrantToken": token, "GrantId": grant_id}))
}

/// ListGrants.
pub fn list_grants(w: &mut World, c: &mut Call<'_>, request: &Value) -> Result<Value, KmsError> {
    let p = Params::new(
        request,
        &["Limit", "Marker", "KeyId", "GrantId", "GranteePrincipal", "GranteeServicePrincipal"],
    )?;
    let id = p.req_str("KeyId", 1, 2048)?;
    let grant_id = p.str("GrantId", 1, 128)?;
    let grantee = p.str("GranteePrincipal", 1, 256)?.or(p.str("GranteeServicePrincipal", 1, 128)?);
    let arn = find_key(w, c, id, true)?;
    let k = key(w, &arn)?;
    allow(w, c, &Ask::key("ListGrants", k))?;
    let rows: Vec<Value> = k
        .grants
        .iter()
        .filter(|g| grant_id.is_none_or(|i| i == g.grant_id))
        .filter(|g| grantee.is_none_or(|p| p == g.grantee_principal))
        .map(|g| grant_json(k, g))
        .collect();
    let (items, next) = page(&rows, &p, 50)?;
    Ok(paged(json!({"Grants": items}), next))
}

/// ListRetirableGrants: grants of the caller's account's keys that name a retiring principal.
pub fn list_retirable_grants(w: &mut World, c: &mut Call<'_>, request: &Value) -> Result<Value, KmsError> {
    let p = Params::new(request, &["Limit", "Marker", "RetiringPrincipal", "RetiringServicePrincipal"])?;
    let retiring = p
        .str("RetiringPrincipal", 1, 256)?
        .or(p.str("RetiringServicePrincipal", 1, 128)?)
        .ok_or_else(|| KmsError::validation("1 validation error detected: Value null at 'retiringPrincipal' failed to satisfy constraint: Member must not be null"))?;
    allow(w, c, &Ask::any("ListRetirableGrants"))?;
    let rows: Vec<Value> = w
        .keys
        .values()
        .filter(|k| k.region == c.who.region)
        .flat_map(|k| {
            k.grants
                .iter()
                .filter(|g| g.retiring_principal.as_deref() == Some(retiring))
                .map(move |g| grant_json(k, g))
        })
        .collect();
    let (items, next) = page(&rows, &p, 50)?;
    Ok(paged(json!({"Grants": items}), next))
}

fn remove_grant(w: &mut World, arn: &str, grant_id: &str) -> Result<(), KmsError> {
    let k = key_mut(w, arn)?;
    let before = k.grants.len();
    k.grants.retain(|g| g.grant_id != grant_id);
    if k.grants.len() == before {
        return Err(KmsError::not_found(format!("Grant ID {grant_id} not found")));
    }
    w.grant_tokens.retain(|_, g| g != grant_id);
    Ok(())
}

/// RetireGrant: by the retiring principal, the grantee (when the grant lists RetireGrant) or the
/// account the grant was created in; no policy takes part.
pub fn retire_grant(w: &mut World, c: &mut Call<'_>, request: &Value) -> Result<Value, KmsError> {
    let p = Params::new(request, &["GrantToken", "KeyId", "GrantId", "DryRun"])?;
    let token = p.str("GrantToken", 1, 8192)?;
    let key_id = p.str("KeyId", 1, 2048)?;
    let grant_id = p.str("GrantId", 1, 128)?;
    let grant_id = match (token, key_id, grant_id) {
        (Some(t), _, _) => w.grant_tokens.get(t).cloned().ok_or_else(|| {
            KmsError::invalid_grant_token("The grant token is not valid (it names no grant of this world)")
        })?,
        (None, Some(_), Some(g)) => g.to_string(),
        _ => return Err(KmsError::validation("give a GrantToken, or a KeyId and a GrantId")),
    };
    let arn = match key_id {
        Some(id) => find_key(w, c, id, true)?,
        None => {
            let arn = w
                .keys
                .values()
                .find(|k| k.grants.iter().any(|g| g.grant_id == grant_id))
                .map(|k| k.arn.clone())
                .ok_or_else(|| KmsError::not_found(format!("Grant ID {grant_id} not found")))?;
            c.resources.push(arn.clone());
            arn
        }
    };
    let k = key(w, &arn)?;
    let g = k
        .grants
        .iter()
        .find(|g| g.grant_id == grant_id)
        .ok_or_else(|| KmsError::not_found(format!("Grant ID {grant_id} not found")))?;
    let me = c.who.arn.as_str();
    let session_role = match &c.who.caller {
        crate::policy::Caller::Aws(p) => match &p.kind {
            crate::policy::request::PrincipalKind::AssumedRole { role_arn } => Some(role_arn.clone()),
            _ => None,
        },
        _ => None,
    };
    let is = |who: &str| who == me || session_role.as_deref() == Some(who);
    let may = g.retiring_principal.as_deref().is_some_and(is)
        || (g.operations.iter().any(|o| o == "RetireGrant") && is(&g.grantee_principal))
        || (me == format!("arn:aws:iam::{}:root", g.issuing_account));
    if !may {
        return Err(KmsError::AccessDenied {
            message: format!(
                "User: {me} is not authorized to perform: kms:RetireGrant on resource: {arn} because it is neither the grant's retiring principal, its grantee with the RetireGrant operation, nor the account that created it"
            ),
            trace: Box::new(json!({"decision": "implicitDeny", "trace": [{"subject": "grant", "outcome": "noMatch", "message": "RetireGrant is decided by the grant itself, not by policies"}]})),
        });
    }
    dry_run(&p)?;
    remove_grant(w, &arn, &grant_id)?;
    Ok(json!({}))
}

/// RevokeGrant.
pub fn revoke_grant(w: &mut World, c: &mut Call<'_>, request: &Value) -> Result<Value, KmsError> {
    let p = Params::new(request, &["KeyId", "GrantId", "DryRun"])?;
    let id = p.req_str("KeyId", 1, 2048)?;
    let grant_id = p.req_str("GrantId", 1, 128)?;
    let arn = find_key(w, c, id, true)?;
    let k = key(w, &arn)?;
    allow(w, c, &Ask::key("RevokeGrant", k))?;
    if !k.grants.iter().any(|g| g.grant_id == grant_id) {
        return Err(KmsError::not_found(format!("Grant ID {grant_id} not found")));
    }
    dry_run(&p)?;
    remove_grant(w, &arn, grant_id)?;
    Ok(json!({}))
}
