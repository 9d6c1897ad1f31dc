//! The Secrets Manager operations: one function per operation, each reading its request with the
//! model's constraints, finding the secret, authorizing through [`super::auth`], acting on the
//! [`Store`] (and through KMS on the world), and answering in the AWS response shape.
//!
//! Order of checks, as AWS: request validation (`InvalidParameterException`), the secret
//! (`ResourceNotFoundException`), authorization (`AccessDeniedException`), the secret's state
//! (`InvalidRequestException` while scheduled for deletion), then the operation's own errors.
//!
//! Families live in their own files: [`secrets`] (create, describe, list, update, delete,
//! restore, tags), [`values`] (values, versions and staging labels), [`policy`] (resource
//! policies), [`rotation`] (rotation and its schedule), [`replication`] (replicas in other
//! regions).

pub mod policy;
pub mod replication;
pub mod rotation;
pub mod secrets;
pub mod values;

use base64::Engine as _;
use serde_json::{json, Value};

use crate::kms::auth::ResolvedCaller;
use crate::kms::params::Params;
use crate::kms::time::iso8601;
use crate::kms::{CallerContext, World};

use super::auth::authorize;
use super::error::SecretsError;
use super::store::{Secret, Store};

/// One call in progress.
pub struct Call<'c> {
    pub w: &'c mut World,
    pub store: &'c mut Store,
    pub ctx: &'c CallerContext,
    pub who: ResolvedCaller,
}

/// Every operation this engine answers.
pub const OPERATIONS: &[&str] = &[
    "CancelRotateSecret",
    "CreateSecret",
    "DeleteResourcePolicy",
    "DeleteSecret",
    "DescribeSecret",
    "GetRandomPassword",
    "GetResourcePolicy",
    "GetSecretValue",
    "ListSecretVersionIds",
    "ListSecrets",
    "PutResourcePolicy",
    "PutSecretValue",
    "RemoveRegionsFromReplication",
    "ReplicateSecretToRegions",
    "RestoreSecret",
    "RotateSecret",
    "StopReplicationToReplica",
    "TagResource",
    "UntagResource",
    "UpdateSecret",
    "UpdateSecretVersionStage",
    "ValidateResourcePolicy",
];

/// Runs one operation.
pub fn dispatch(c: &mut Call<'_>, operation: &str, request: &Value) -> Result<Value, SecretsError> {
    match operation {
        "CreateSecret" => secrets::create_secret(c, request),
        "DescribeSecret" => secrets::describe_secret(c, request),
        "ListSecrets" => secrets::list_secrets(c, request),
        "UpdateSecret" => secrets::update_secret(c, request),
        "DeleteSecret" => secrets::delete_secret(c, request),
        "RestoreSecret" => secrets::restore_secret(c, request),
        "TagResource" => secrets::tag_resource(c, request),
        "UntagResource" => secrets::untag_resource(c, request),
        "GetSecretValue" => values::get_secret_value(c, request),
        "PutSecretValue" => values::put_secret_value(c, request),
        "UpdateSecretVersionStage" => values::update_secret_version_stage(c, request),
        "ListSecretVersionIds" => values::list_secret_version_ids(c, request),
        "GetRandomPassword" => super::password::get_random_password(c, request),
        "PutResourcePolicy" => policy::put_resource_policy(c, request),
        "GetResourcePolicy" => policy::get_resource_policy(c, request),
        "DeleteResourcePolicy" => policy::delete_resource_policy(c, request),
        "ValidateResourcePolicy" => policy::validate_resource_policy(c, request),
        "RotateSecret" => rotation::rotate_secret(c, request),
        "CancelRotateSecret" => rotation::cancel_rotate_secret(c, request),
        "ReplicateSecretToRegions" => replication::replicate_secret_to_regions(c, request),
        "RemoveRegionsFromReplication" => replication::remove_regions_from_replication(c, request),
        "StopReplicationToReplica" => replication::stop_replication_to_replica(c, request),
        op => Err(SecretsError::unknown_operation(format!(
            "`{op}` is not a Secrets Manager operation this engine answers; it answers {}",
            OPERATIONS.join(", ")
        ))),
    }
}

/// The request's members, each checked against the operation's list.
pub fn params<'a>(request: &'a Value, members: &[&str]) -> Result<Params<'a>, SecretsError> {
    Params::new(request, members).map_err(SecretsError::from_params)
}

/// `ResourceNotFoundException` as AWS words it.
pub fn not_found() -> SecretsError {
    SecretsError::not_found("Secrets Manager can't find the specified secret.")
}

/// Finds the secret a `SecretId` names: its name (in the caller's account and region), its ARN,
/// or its ARN without the six random characters AWS appends (a partial ARN). Another account's
/// secret is reached only by ARN. Returns the secret's ARN.
pub fn find(c: &Call<'_>, secret_id: &str) -> Result<String, SecretsError> {
    let region = &c.who.region;
    let account = c.who.account.clone().unwrap_or_default();
    if c.store.secrets.contains_key(secret_id) {
        let s = c.store.secrets.get(secret_id).ok_or_else(not_found)?;
        if &s.region != region {
            return Err(not_found());
        }
        return Ok(secret_id.to_string());
    }
    let found = if let Some(rest) = secret_id.strip_prefix("arn:aws:secretsmanager:") {
        // A partial ARN: `arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME`.
        c.store
            .secrets
            .values()
            .find(|s| &s.region == region && format!("{}:{}:secret:{}", s.region, s.account, s.name) == rest)
    } else {
        c.store.secrets.values().find(|s| s.name == secret_id && s.account == account && &s.region == region)
    };
    found.map(|s| s.arn.clone()).ok_or_else(not_found)
}

/// The secret by ARN (found by [`find`]).
pub fn secret<'s>(store: &'s Store, arn: &str) -> Result<&'s Secret, SecretsError> {
    store.secrets.get(arn).ok_or_else(not_found)
}

/// The secret by ARN, to change.
pub fn secret_mut<'s>(store: &'s mut Store, arn: &str) -> Result<&'s mut Secret, SecretsError> {
    store.secrets.get_mut(arn).ok_or_else(not_found)
}

/// Authorizes `secretsmanager:<operation>` on the secret `arn` (or on `*`).
pub fn allow(
    c: &Call<'_>,
    operation: &str,
    arn: Option<&str>,
    extra: &[(&str, String)],
) -> Result<(), SecretsError> {
    let s = match arn {
        Some(a) => Some(secret(c.store, a)?),
        None => None,
    };
    authorize(c.w, c.ctx, &c.who, operation, s, extra)
}

/// `InvalidRequestException` for a secret scheduled for deletion.
pub fn not_deleted(s: &Secret) -> Result<(), SecretsError> {
    if s.is_deleted() {
        return Err(SecretsError::invalid_request(
            "You can't perform this operation on the secret because it was marked for deletion.",
        ));
    }
    Ok(())
}

/// Epoch seconds as AWS JSON 1.1 timestamps are (a number).
pub fn ts(t: i64) -> Value {
    json!(t)
}

/// Day resolution (`LastAccessedDate`).
pub fn day_of(t: i64) -> i64 {
    t - t.rem_euclid(crate::kms::time::DAY)
}

/// A page of a list: `(items, next token)`. Tokens are opaque to the caller.
pub fn page<T: Clone>(items: &[T], p: &Params<'_>) -> Result<(Vec<T>, Option<String>), SecretsError> {
    let limit = p.int("MaxResults", 1, 100).map_err(SecretsError::from_params)?.unwrap_or(100);
    let start = match p.str("NextToken", 1, 4096).map_err(SecretsError::from_params)? {
        None => 0,
        Some(t) => base64::engine::general_purpose::STANDARD
            .decode(t)
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .and_then(|s| s.strip_prefix("secplay-page:").and_then(|n| n.parse::<usize>().ok()))
            .filter(|s| *s <= items.len())
            .ok_or_else(|| SecretsError::invalid_next_token("The NextToken value is not valid."))?,
    };
    let end = start.saturating_add(usize::try_from(limit).unwrap_or(100)).min(items.len());
    let out = items.get(start..end).map(<[T]>::to_vec).unwrap_or_default();
    let next = (end < items.len())
        .then(|| base64::engine::general_purpose::STANDARD.encode(format!("secplay-page:{end}")));
    Ok((out, next))
}

/// `Tags`: `[{Key, Value}]`, at most 50, keys 1–128 and values 0–256 characters
/// (<https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_Tag.html>).
pub fn tags(v: Option<&Value>) -> Result<Option<Vec<(String, String)>>, SecretsError> {
    let Some(v) = v else { return Ok(None) };
    let items = v
        .as_array()
        .ok_or_else(|| SecretsError::invalid_parameter("`Tags` must be a list of {Key, Value}"))?;
    if items.len() > 50 {
        return Err(SecretsError::invalid_parameter("a secret has at most 50 tags"));
    }
    let mut out = Vec::with_capacity(items.len());
    for t in items {
        let k = t.get("Key").and_then(Value::as_str);
        let val = t.get("Value").and_then(Value::as_str).unwrap_or("");
        let Some(k) = k.filter(|k| (1..=128).contains(&k.chars().count())) else {
            return Err(SecretsError::invalid_parameter("each tag needs a `Key` of 1 to 128 characters"));
        };
        if val.chars().count() > 256 {
            return Err(SecretsError::invalid_parameter(format!(
                "the value of tag `{k}` is longer than 256 characters"
            )));
        }
        out.push((k.to_string(), val.to_string()));
    }
    Ok(Some(out))
}

/// Tags in the AWS shape.
pub fn tags_json(tags: &[(String, String)]) -> Value {
    Value::Array(tags.iter().map(|(k, v)| json!({"Key": k, "Value": v})).collect())
}

/// `iso8601` re-exported for messages.
pub fn when(t: i64) -> String {
    iso8601(t)
}

/// Six random characters, as AWS appends to a secret's name in its ARN.
pub fn arn_suffix() -> Result<String, SecretsError> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut b = [0u8; 6];
    getrandom::fill(&mut b).map_err(|e| SecretsError::internal(format!("no randomness: {e}")))?;
    Ok(b.iter()
        .map(|x| char::from(ALPHABET.get(usize::from(*x) % ALPHABET.len()).copied().unwrap_or(b'A')))
        .collect())
}

/// A new version id (a UUID, as the SDKs make for `ClientRequestToken`).
pub fn new_version_id() -> Result<String, SecretsError> {
    crate::kms::ops::uuid().map_err(|e| SecretsError::internal(e.to_string()))
}
