//! The KMS operations: one function per operation, each reading its request with the model's
//! constraints ([`Params`]), resolving the key, authorizing through [`super::auth`], checking the
//! key's state and usage, acting on the [`World`], and answering in the AWS response shape.
//!
//! Order of checks, as AWS: request validation, key lookup (`NotFoundException`), authorization
//! (`AccessDeniedException`), key state (`DisabledException`, `KMSInvalidStateException`), key
//! usage and algorithm (`InvalidKeyUsageException`), then the operation's own errors.
//!
//! Families live in their own files: [`keys`] (lifecycle, policy, rotation, tags), [`aliases`],
//! [`grants`], [`crypto`] (everything that touches key material), [`multi_region`] and
//! [`import`] (imported key material); [`managed`] makes AWS-managed keys on first use.

pub mod aliases;
pub mod crypto;
pub mod grants;
pub mod import;
pub mod keys;
pub mod managed;
pub mod multi_region;

use std::cell::RefCell;

use serde_json::{json, Value};

use super::auth::{authorize, resolve, Ask, ResolvedCaller};
use super::error::KmsError;
use super::params::Params;
use super::world::{CallerContext, Key, KeyState, World, PARTITION};

/// One call in progress: who calls, and what it touched (CloudTrail `resources`).
pub struct Call<'c> {
    pub ctx: &'c CallerContext,
    pub who: ResolvedCaller,
    pub operation: &'c str,
    /// Key ARNs the call resolved, in order.
    pub resources: Vec<String>,
}

/// Every operation this engine answers; others are `UnsupportedOperationException` (custom key
/// stores, which are out of scope) or `UnknownOperationException`.
pub const OPERATIONS: &[&str] = &[
    "CancelKeyDeletion",
    "CreateAlias",
    "CreateGrant",
    "CreateKey",
    "Decapsulate",
    "Decrypt",
    "DeleteAlias",
    "DeleteImportedKeyMaterial",
    "DeriveSharedSecret",
    "DescribeKey",
    "DisableKey",
    "DisableKeyRotation",
    "EnableKey",
    "EnableKeyRotation",
    "Encapsulate",
    "Encrypt",
    "GenerateDataKey",
    "GenerateDataKeyPair",
    "GenerateDataKeyPairWithoutPlaintext",
    "GenerateDataKeyWithoutPlaintext",
    "GenerateMac",
    "GenerateRandom",
    "GetKeyLastUsage",
    "GetKeyPolicy",
    "GetKeyRotationStatus",
    "GetParametersForImport",
    "GetPublicKey",
    "ImportKeyMaterial",
    "ListAliases",
    "ListGrants",
    "ListKeyPolicies",
    "ListKeyRotations",
    "ListKeys",
    "ListResourceTags",
    "ListRetirableGrants",
    "PutKeyPolicy",
    "ReEncrypt",
    "ReplicateKey",
    "RetireGrant",
    "RevokeGrant",
    "RotateKeyOnDemand",
    "ScheduleKeyDeletion",
    "Sign",
    "TagResource",
    "UntagResource",
    "UpdateAlias",
    "UpdateKeyDescription",
    "UpdatePrimaryRegion",
    "Verify",
    "VerifyMac",
];

/// The custom key store operations: out of scope, answered as AWS answers for a missing store.
pub const CUSTOM_KEY_STORE_OPERATIONS: &[&str] = &[
    "ConnectCustomKeyStore",
    "CreateCustomKeyStore",
    "DeleteCustomKeyStore",
    "DescribeCustomKeyStores",
    "DisconnectCustomKeyStore",
    "UpdateCustomKeyStore",
];

/// Runs one operation.
pub fn dispatch(w: &mut World, c: &mut Call<'_>, request: &Value) -> Result<Value, KmsError> {
    managed::on_first_use(w, c, request)?;
    match c.operation {
        "CreateKey" => keys::create_key(w, c, request),
        "DescribeKey" => keys::describe_key(w, c, request),
        "ListKeys" => keys::list_keys(w, c, request),
        "UpdateKeyDescription" => keys::update_key_description(w, c, request),
        "EnableKey" => keys::set_enabled(w, c, request, true),
        "DisableKey" => keys::set_enabled(w, c, request, false),
        "ScheduleKeyDeletion" => keys::schedule_key_deletion(w, c, request),
        "CancelKeyDeletion" => keys::cancel_key_deletion(w, c, request),
        "GetKeyLastUsage" => keys::get_key_last_usage(w, c, request),
        "EnableKeyRotation" => keys::enable_key_rotation(w, c, request),
        "DisableKeyRotation" => keys::disable_key_rotation(w, c, request),
        "GetKeyRotationStatus" => keys::get_key_rotation_status(w, c, request),
        "RotateKeyOnDemand" => keys::rotate_key_on_demand(w, c, request),
        "ListKeyRotations" => keys::list_key_rotations(w, c, request),
        "PutKeyPolicy" => keys::put_key_policy(w, c, request),
        "GetKeyPolicy" => keys::get_key_policy(w, c, request),
        "ListKeyPolicies" => keys::list_key_policies(w, c, request),
        "TagResource" => keys::tag_resource(w, c, request),
        "UntagResource" => keys::untag_resource(w, c, request),
        "ListResourceTags" => keys::list_resource_tags(w, c, request),
        "CreateAlias" => aliases::create_alias(w, c, request),
        "UpdateAlias" => aliases::update_alias(w, c, request),
        "DeleteAlias" => aliases::delete_alias(w, c, request),
        "ListAliases" => aliases::list_aliases(w, c, request),
        "CreateGrant" => grants::create_grant(w, c, request),
        "ListGrants" => grants::list_grants(w, c, request),
        "ListRetirableGrants" => grants::list_retirable_grants(w, c, request),
        "RetireGrant" => grants::retire_grant(w, c, request),
        "RevokeGrant" => grants::revoke_grant(w, c, request),
        "Encrypt" => crypto::encrypt(w, c, request),
        "Decrypt" => crypto::decrypt(w, c, request),
        "ReEncrypt" => crypto::re_encrypt(w, c, request),
        "GenerateDataKey" => crypto::generate_data_key(w, c, request, true),
        "GenerateDataKeyWithoutPlaintext" => crypto::generate_data_key(w, c, request, false),
        "GenerateDataKeyPair" => crypto::generate_data_key_pair(w, c, request, true),
        "GenerateDataKeyPairWithoutPlaintext" => crypto::generate_data_key_pair(w, c, request, false),
        "GenerateRandom" => crypto::generate_random(w, c, request),
        "Sign" => crypto::sign(w, c, request),
        "Verify" => crypto::verify(w, c, request),
        "GetPublicKey" => crypto::get_public_key(w, c, request),
        "GenerateMac" => crypto::generate_mac(w, c, request, false),
        "VerifyMac" => crypto::generate_mac(w, c, request, true),
        "DeriveSharedSecret" => crypto::derive_shared_secret(w, c, request),
        "Encapsulate" => crypto::encapsulate(w, c, request),
        "Decapsulate" => crypto::decapsulate(w, c, request),
        "ReplicateKey" => multi_region::replicate_key(w, c, request),
        "UpdatePrimaryRegion" => multi_region::update_primary_region(w, c, request),
        "GetParametersForImport" => import::get_parameters_for_import(w, c, request),
        "ImportKeyMaterial" => import::import_key_material(w, c, request),
        "DeleteImportedKeyMaterial" => import::delete_imported_key_material(w, c, request),
        op if CUSTOM_KEY_STORE_OPERATIONS.contains(&op) => Err(KmsError::custom_key_store_not_found(
            "custom key stores (CloudHSM and external) are not modelled by this emulator",
        )),
        op => Err(KmsError::unknown_operation(format!(
            "`{op}` is not a KMS operation this emulator answers; see the list of operations in the documentation"
        ))),
    }
}

/// Resolves the caller of a call.
pub fn start<'c>(w: &World, ctx: &'c CallerContext, operation: &'c str) -> Result<Call<'c>, KmsError> {
    Ok(Call { ctx, who: resolve(w, ctx)?, operation, resources: Vec::new() })
}

/// `arn:aws:kms:REGION:ACCOUNT:key/ID`.
pub fn key_arn(region: &str, account: &str, key_id: &str) -> String {
    format!("arn:{PARTITION}:kms:{region}:{account}:key/{key_id}")
}

/// `arn:aws:kms:REGION:ACCOUNT:alias/NAME` for `alias/NAME`.
pub fn alias_arn(region: &str, account: &str, alias_name: &str) -> String {
    format!("arn:{PARTITION}:kms:{region}:{account}:{alias_name}")
}

/// Finds the key a `KeyId` names (key id, key ARN, alias name or alias ARN) and returns its ARN.
/// Key ids and alias names are looked up in the caller's account and region; another account's
/// key is reached only by ARN, and only by operations that allow it (`cross_account`).
pub fn find_key(w: &World, c: &mut Call<'_>, key_id: &str, cross_account: bool) -> Result<String, KmsError> {
    let region = c.who.region.clone();
    let account = c.who.account.clone().unwrap_or_default();
    let arn = if let Some(rest) = key_id.strip_prefix("arn:") {
        let parts: Vec<&str> = rest.splitn(5, ':').collect();
        let [partition, service, r, a, resource] = parts.as_slice() else {
            return Err(KmsError::not_found(format!("Invalid arn {key_id}")));
        };
        if *partition != PARTITION || *service != "kms" {
            return Err(KmsError::not_found(format!("Invalid arn {key_id}")));
        }
        if *r != region {
            return Err(KmsError::not_found(format!(
                "Invalid arn {key_id}: the key is not in the region called ({region})"
            )));
        }
        if *a != account && !cross_account {
            return Err(KmsError::not_found(format!(
                "Key '{key_id}' does not exist in your account; this operation cannot use another account's key"
            )));
        }
        if resource.starts_with("alias/") {
            let alias = w
                .aliases
                .get(key_id)
                .ok_or_else(|| KmsError::not_found(format!("Alias {key_id} is not found.")))?;
            key_arn(r, a, &alias.target_key_id)
        } else if let Some(id) = resource.strip_prefix("key/") {
            key_arn(r, a, id)
        } else {
            return Err(KmsError::not_found(format!("Invalid arn {key_id}")));
        }
    } else if key_id.starts_with("alias/") {
        let a_arn = alias_arn(&region, &account, key_id);
        let alias = w
            .aliases
            .get(&a_arn)
            .ok_or_else(|| KmsError::not_found(format!("Alias {a_arn} is not found.")))?;
        key_arn(&region, &account, &alias.target_key_id)
    } else {
        key_arn(&region, &account, key_id)
    };
    if !w.keys.contains_key(&arn) {
        return Err(KmsError::not_found(format!("Key '{arn}' does not exist")));
    }
    c.resources.push(arn.clone());
    Ok(arn)
}

/// The key by ARN (found by [`find_key`]).
pub fn key<'w>(w: &'w World, arn: &str) -> Result<&'w Key, KmsError> {
    w.keys.get(arn).ok_or_else(|| KmsError::not_found(format!("Key '{arn}' does not exist")))
}

/// The key by ARN, to change it.
pub fn key_mut<'w>(w: &'w mut World, arn: &str) -> Result<&'w mut Key, KmsError> {
    w.keys.get_mut(arn).ok_or_else(|| KmsError::not_found(format!("Key '{arn}' does not exist")))
}

/// Authorizes the call.
pub fn allow(w: &World, c: &Call<'_>, ask: &Ask<'_>) -> Result<(), KmsError> {
    authorize(w, c.ctx, &c.who, ask)
}

/// A key usable for cryptography: enabled (and not pending anything).
pub fn usable(key: &Key) -> Result<(), KmsError> {
    match key.state {
        KeyState::Enabled => Ok(()),
        KeyState::Disabled => Err(KmsError::disabled(format!("{} is disabled.", key.arn))),
        KeyState::PendingDeletion => {
            Err(KmsError::invalid_state(format!("{} is pending deletion.", key.arn)))
        }
        KeyState::PendingImport => Err(KmsError::invalid_state(format!("{} is pending import.", key.arn))),
        other => Err(KmsError::invalid_state(format!("{} is {}.", key.arn, other.as_str()))),
    }
}

/// A key that management operations may change: anything but pending deletion.
pub fn not_pending_deletion(key: &Key) -> Result<(), KmsError> {
    match key.state {
        KeyState::PendingDeletion | KeyState::PendingReplicaDeletion => {
            Err(KmsError::invalid_state(format!("{} is pending deletion.", key.arn)))
        }
        _ => Ok(()),
    }
}

/// `GrantTokens`: at most 10, each naming an existing grant.
pub fn grant_tokens(w: &World, p: &Params<'_>) -> Result<(), KmsError> {
    for t in p.str_list("GrantTokens", 10, 1, 8192)?.unwrap_or_default() {
        if !w.grant_tokens.contains_key(&t) {
            return Err(KmsError::invalid_grant_token(
                "The grant token is not valid (it names no grant of this world)",
            ));
        }
    }
    Ok(())
}

/// `DryRun`: after the checks, a dry run answers `DryRunOperationException`.
pub fn dry_run(p: &Params<'_>) -> Result<(), KmsError> {
    if p.bool("DryRun")? == Some(true) {
        return Err(KmsError::dry_run("The request would have succeeded, but the DryRun option is set."));
    }
    Ok(())
}

/// A page of a list: `(items, next marker)`. Markers are the decimal offset into the list.
pub fn page<T: Clone>(
    items: &[T],
    p: &Params<'_>,
    default_limit: i64,
) -> Result<(Vec<T>, Option<String>), KmsError> {
    let limit = p.int("Limit", 1, 1000)?.unwrap_or(default_limit);
    let start = match p.str("Marker", 1, 1024)? {
        None => 0,
        Some(m) => m
            .parse::<usize>()
            .ok()
            .filter(|s| *s <= items.len())
            .ok_or_else(|| KmsError::invalid_marker("the marker is not one this emulator returned"))?,
    };
    let end = start.saturating_add(usize::try_from(limit).unwrap_or(1)).min(items.len());
    let out = items.get(start..end).map(<[T]>::to_vec).unwrap_or_default();
    Ok((out, (end < items.len()).then(|| end.to_string())))
}

/// Adds `NextMarker` and `Truncated` to a list response.
pub fn paged(mut v: Value, next: Option<String>) -> Value {
    if let Some(o) = v.as_object_mut() {
        o.insert("Truncated".into(), json!(next.is_some()));
        if let Some(m) = next {
            o.insert("NextMarker".into(), json!(m));
        }
    }
    v
}

/// Bytes of OS randomness kept for identifiers ([`uuid`]).
const ID_POOL: usize = 512;

thread_local! {
    /// The pool and how much of it is spent.
    static ID_BYTES: RefCell<([u8; ID_POOL], usize)> = const { RefCell::new(([0; ID_POOL], ID_POOL)) };
}

/// Unpredictable bytes for identifiers (request, event and key ids), drawn from a pool of the OS's
/// randomness refilled when spent: one system call per 32 ids rather than one per id (in wasm each is
/// a `crypto.getRandomValues` call, and a KMS call makes three ids). Secrets (key material, nonces,
/// grant tokens) never come from here.
fn id_bytes(out: &mut [u8]) -> Result<(), KmsError> {
    let no_randomness = |e: getrandom::Error| KmsError::kms_internal(format!("no randomness: {e}"));
    if out.len() > ID_POOL {
        return getrandom::fill(out).map_err(no_randomness);
    }
    ID_BYTES.with(|pool| {
        let mut pool = pool.try_borrow_mut().map_err(|_| KmsError::kms_internal("identifier pool in use"))?;
        let (bytes, spent) = &mut *pool;
        if ID_POOL - *spent < out.len() {
            getrandom::fill(bytes).map_err(no_randomness)?;
            *spent = 0;
        }
        let end = *spent + out.len();
        let take = bytes.get(*spent..end).ok_or_else(|| KmsError::kms_internal("identifier pool"))?;
        out.copy_from_slice(take);
        *spent = end;
        Ok(())
    })
}

/// 16 random bytes as a UUID (version 4 form).
pub fn uuid() -> Result<String, KmsError> {
    let mut b = [0u8; 16];
    id_bytes(&mut b)?;
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex(&b);
    Ok(format!(
        "{}-{}-{}-{}-{}",
        h.get(0..8).unwrap_or_default(),
        h.get(8..12).unwrap_or_default(),
        h.get(12..16).unwrap_or_default(),
        h.get(16..20).unwrap_or_default(),
        h.get(20..32).unwrap_or_default()
    ))
}

/// `n` random bytes as lowercase hex.
pub fn random_hex(n: usize) -> Result<String, KmsError> {
    let mut b = vec![0u8; n];
    getrandom::fill(&mut b).map_err(|e| KmsError::kms_internal(format!("no randomness: {e}")))?;
    Ok(hex(&b))
}

/// Lowercase hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_stay_distinct_and_version_4_across_pool_refills() {
        // 16 bytes each: 100 ids spend the 512-byte pool three times over.
        let ids: Vec<String> = (0..100).map(|_| uuid().unwrap()).collect();
        let distinct: std::collections::BTreeSet<&String> = ids.iter().collect();
        assert_eq!(distinct.len(), ids.len(), "an identifier came out twice");
        for id in &ids {
            assert_eq!(id.len(), 36, "{id}");
            assert_eq!(id.as_bytes()[14], b'4', "{id}: not version 4");
        }
    }
}
