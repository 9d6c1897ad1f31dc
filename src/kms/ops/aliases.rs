//! Aliases: CreateAlias, UpdateAlias, DeleteAlias, ListAliases. Names are `alias/` + 1–250 of
//! `[a-zA-Z0-9/_-]`; `alias/aws/` is reserved for AWS-managed keys. An alias and its key are in
//! one account and region; changing an alias needs permission on the alias (IAM) and on the keys
//! (key policy), as AWS documents ("Controlling access to aliases").

use serde_json::{json, Value};

use super::super::auth::Ask;
use super::super::error::KmsError;
use super::super::params::Params;
use super::super::world::{Alias, World};
use super::{alias_arn, allow, find_key, key, not_pending_deletion, page, paged, Call};

/// Aliases per account and region this emulator holds.
pub const MAX_ALIASES_PER_REGION: usize = 10_000;

fn check_name(name: &str) -> Result<(), KmsError> {
    let ok_chars = name.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'_' | b'-' | b':'));
    if !ok_chars {
        return Err(KmsError::validation(format!(
            "1 validation error detected: Value '{name}' at 'aliasName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$"
        )));
    }
    if !name.starts_with("alias/") || name.len() == "alias/".len() {
        return Err(KmsError::validation(format!(
            "Alias `{name}` must begin with `alias/` followed by a name"
        )));
    }
    if name.starts_with("alias/aws/") {
        return Err(KmsError::from_exception(
            "NotAuthorizedException",
            format!("`{name}`: the prefix `alias/aws/` is reserved for AWS managed keys"),
        ));
    }
    Ok(())
}

fn alias_resource(c: &Call<'_>, name: &str) -> String {
    alias_arn(&c.who.region, c.who.account.as_deref().unwrap_or_default(), name)
}

/// A target for an alias: a customer-managed key of the caller's account, not pending deletion.
fn target<'w>(
    w: &'w World,
    c: &mut Call<'_>,
    key_id: &str,
) -> Result<(String, &'w super::super::world::Key), KmsError> {
    if key_id.starts_with("alias/") || key_id.contains(":alias/") {
        return Err(KmsError::validation("TargetKeyId must be a key id or key ARN, not an alias"));
    }
    let arn = find_key(w, c, key_id, false)?;
    let k = key(w, &arn)?;
    Ok((arn, k))
}

/// CreateAlias.
pub fn create_alias(w: &mut World, c: &mut Call<'_>, request: &Value) -> Result<Value, KmsError> {
    let p = Params::new(request, &["AliasName", "TargetKeyId"])?;
    let name = p.req_str("AliasName", 1, 256)?;
    let target_id = p.req_str("TargetKeyId", 1, 2048)?;
    check_name(name)?;
    let a_arn = alias_resource(c, name);
    let (k_arn, k) = target(w, c, target_id)?;
    let alias_ask = Ask { resource: Some(a_arn.clone()), ..Ask::any("CreateAlias") };
    allow(w, c, &alias_ask)?;
    allow(w, c, &Ask::key("CreateAlias", k))?;
    not_pending_deletion(k)?;
    if w.aliases.contains_key(&a_arn) {
        return Err(KmsError::already_exists(format!("An alias with the name {a_arn} already exists")));
    }
    let count = w.aliases.values().filter(|a| a.account == k.account && a.region == k.region).count();
    if count >= MAX_ALIASES_PER_REGION {
        return Err(KmsError::limit_exceeded(format!(
            "at most {MAX_ALIASES_PER_REGION} aliases per account and region"
        )));
    }
    let alias = Alias {
        name: name.to_string(),
        arn: a_arn.clone(),
        target_key_id: k.key_id.clone(),
        account: k.account.clone(),
        region: k.region.clone(),
        creation_date: w.now,
        last_updated: w.now,
    };
    let _ = k_arn;
    w.aliases.insert(a_arn, alias);
    Ok(json!({}))
}

/// UpdateAlias: to a key of the same type (same usage, symmetric or not).
pub fn update_alias(w: &mut World, c: &mut Call<'_>, request: &Value) -> Result<Value, KmsError> {
    let p = Params::new(request, &["AliasName", "TargetKeyId"])?;
    let name = p.req_str("AliasName", 1, 256)?;
    let target_id = p.req_str("TargetKeyId", 1, 2048)?;
    check_name(name)?;
    let a_arn = alias_resource(c, name);
    let old_id = w
        .aliases
        .get(&a_arn)
        .map(|a| a.target_key_id.clone())
        .ok_or_else(|| KmsError::not_found(format!("Alias {a_arn} is not found.")))?;
    let (_, new_key) = target(w, c, target_id)?;
    let old_arn = find_key(w, c, &old_id, false)?;
    let old_key = key(w, &old_arn)?;
    allow(w, c, &Ask { resource: Some(a_arn.clone()), ..Ask::any("UpdateAlias") })?;
    allow(w, c, &Ask::key("UpdateAlias", old_key))?;
    allow(w, c, &Ask::key("UpdateAlias", new_key))?;
    not_pending_deletion(new_key)?;
    if old_key.key_usage != new_key.key_usage || old_key.is_symmetric() != new_key.is_symmetric() {
        return Err(KmsError::validation(format!(
            "{} and {} are not the same type of key (key usage and key spec must match)",
            old_key.arn, new_key.arn
        )));
    }
    let new_id = new_key.key_id.clone();
    let now = w.now;
    if let Some(a) = w.aliases.get_mut(&a_arn) {
        a.target_key_id = new_id;
        a.last_updated = now;
    }
    Ok(json!({}))
}

/// DeleteAlias.
pub fn delete_alias(w: &mut World, c: &mut Call<'_>, request: &Value) -> Result<Value, KmsError> {
    let p = Params::new(request, &["AliasName"])?;
    let name = p.req_str("AliasName", 1, 256)?;
    check_name(name)?;
    let a_arn = alias_resource(c, name);
    let target_id = w
        .aliases
        .get(&a_arn)
        .map(|a| a.target_key_id.clone())
        .ok_or_else(|| KmsError::not_found(format!("Alias {a_arn} is not found.")))?;
    let k_arn = find_key(w, c, &target_id, false)?;
    allow(w, c, &Ask { resource: Some(a_arn.clone()), ..Ask::any("DeleteAlias") })?;
    allow(w, c, &Ask::key("DeleteAlias", key(w, &k_arn)?))?;
    w.aliases.remove(&a_arn);
    Ok(json!({}))
}

/// ListAliases: the caller's account and region, optionally for one key.
pub fn list_aliases(w: &mut World, c: &mut Call<'_>, request: &Value) -> Result<Value, KmsError> {
    let p = Params::new(request, &["KeyId", "Limit", "Marker"])?;
    let key_id = p.str("KeyId", 1, 2048)?;
    let filter = match key_id {
        Some(id) => {
            let arn = find_key(w, c, id, false)?;
            Some(key(w, &arn)?.key_id.clone())
        }
        None => None,
    };
    allow(w, c, &Ask::any("ListAliases"))?;
    let account = c.who.account.clone().unwrap_or_default();
    let rows: Vec<Value> = w
        .aliases
        .values()
        .filter(|a| a.account == account && a.region == c.who.region)
        .filter(|a| filter.as_ref().is_none_or(|f| *f == a.target_key_id))
        .map(|a| {
            json!({
                "AliasName": a.name,
                "AliasArn": a.arn,
                "TargetKeyId": a.target_key_id,
                "CreationDate": a.creation_date,
                "LastUpdatedDate": a.last_updated,
            })
        })
        .collect();
    let (items, next) = page(&rows, &p, 50)?;
    Ok(paged(json!({"Aliases": items}), next))
}
