//! The Parameter Store operations: one function per operation, each reading its request with the
//! model's constraints, authorizing `ssm:<Operation>` ([`super::auth`]), acting on the
//! [`Store`] (and, for SecureString, on the KMS [`World`] through [`super::crypto`]), and
//! answering in the AWS response shape.
//!
//! Order of checks, as AWS: request validation, authorization, then the operation's own errors.
//! Families: [`put`] (PutParameter), [`read`] (GetParameter, GetParameters,
//! GetParametersByPath, GetParameterHistory), [`labels`] (Label/UnlabelParameterVersion),
//! [`delete`] (DeleteParameter, DeleteParameters), [`describe`] (DescribeParameters), [`tags`]
//! (Add/RemoveTagsFromResource, ListTagsForResource).

pub mod delete;
pub mod describe;
pub mod labels;
pub mod put;
pub mod read;
pub mod tags;

use serde_json::{json, Value};

use super::auth::{self, Who};
use super::crypto;
use super::error::SsmError;
use super::names::{parameter_arn, Selector};
use super::public::SecretReferences;
use super::store::{ParamType, Parameter, Store, Version};
use crate::kms::world::{CallerContext, World};

/// Every operation this engine answers.
pub const OPERATIONS: &[&str] = &[
    "AddTagsToResource",
    "DeleteParameter",
    "DeleteParameters",
    "DescribeParameters",
    "GetParameter",
    "GetParameterHistory",
    "GetParameters",
    "GetParametersByPath",
    "LabelParameterVersion",
    "ListTagsForResource",
    "PutParameter",
    "RemoveTagsFromResource",
    "UnlabelParameterVersion",
];

/// One call in progress.
pub struct Call<'c> {
    pub ctx: &'c CallerContext,
    pub who: Who,
    pub operation: &'c str,
}

impl Call<'_> {
    pub fn account(&self) -> &str {
        &self.who.account
    }

    pub fn region(&self) -> &str {
        &self.who.resolved.region
    }

    pub fn arn(&self, name: &str) -> String {
        parameter_arn(self.region(), self.account(), name)
    }

    /// Authorizes this call's action on a parameter (by name) or another resource ARN.
    pub fn allow(&self, w: &World, store: &Store, name: &str) -> Result<(), SsmError> {
        let tags = store.get(self.account(), self.region(), name).map(|p| &p.tags);
        auth::authorize(w, self.ctx, &self.who, self.operation, &self.arn(name), tags)
    }

    /// Authorizes `ssm:<action>` (another action than the operation's) on `resource`.
    pub fn allow_resource(&self, w: &World, action: &str, resource: &str) -> Result<(), SsmError> {
        auth::authorize(w, self.ctx, &self.who, action, resource, None)
    }

    /// The caller as KMS sees it (through `ssm.<region>.amazonaws.com`).
    pub fn kms_caller(&self) -> Result<Value, SsmError> {
        crypto::via_ssm(self.ctx, self.region())
    }
}

/// Runs one operation.
pub fn dispatch(
    store: &mut Store,
    w: &mut World,
    c: &Call<'_>,
    refs: &mut dyn SecretReferences,
    request: &Value,
) -> Result<Value, SsmError> {
    match c.operation {
        "PutParameter" => put::put_parameter(store, w, c, request),
        "GetParameter" => read::get_parameter(store, w, c, refs, request),
        "GetParameters" => read::get_parameters(store, w, c, refs, request),
        "GetParametersByPath" => read::get_parameters_by_path(store, w, c, request),
        "GetParameterHistory" => read::get_parameter_history(store, w, c, request),
        "LabelParameterVersion" => labels::label_parameter_version(store, w, c, request),
        "UnlabelParameterVersion" => labels::unlabel_parameter_version(store, w, c, request),
        "DeleteParameter" => delete::delete_parameter(store, w, c, request),
        "DeleteParameters" => delete::delete_parameters(store, w, c, request),
        "DescribeParameters" => describe::describe_parameters(store, w, c, request),
        "AddTagsToResource" => tags::add_tags(store, w, c, request),
        "RemoveTagsFromResource" => tags::remove_tags(store, w, c, request),
        "ListTagsForResource" => tags::list_tags(store, w, c, request),
        op => Err(SsmError::unknown_operation(format!(
            "`{op}` is not a Parameter Store operation this emulator answers (it answers {})",
            OPERATIONS.join(", ")
        ))),
    }
}

/// The version a selector picks.
pub fn select<'p>(p: &'p Parameter, sel: &Selector) -> Option<&'p Version> {
    match sel {
        Selector::Latest => p.current(),
        Selector::Version(v) => p.version(*v),
        Selector::Label(l) => p.labelled(l),
    }
}

/// The value a response carries: decrypted (through KMS, as the caller) when asked and a
/// SecureString, else as stored.
pub fn value_of(
    w: &mut World,
    c: &Call<'_>,
    name: &str,
    v: &Version,
    decrypt: bool,
) -> Result<String, SsmError> {
    if decrypt && v.param_type == ParamType::SecureString {
        let caller = c.kms_caller()?;
        let plain = crypto::decrypt(w, &caller, &c.arn(name), &v.value)?;
        return Ok(plain.to_string());
    }
    Ok(crypto::shown(&v.value).to_string())
}

/// The `Parameter` shape.
pub fn parameter_json(
    c: &Call<'_>,
    name: &str,
    v: &Version,
    value: String,
    selector: Option<String>,
) -> Value {
    let mut o = json!({
        "Name": name,
        "Type": v.param_type.as_str(),
        "Value": value,
        "Version": v.version,
        "LastModifiedDate": v.last_modified,
        "ARN": c.arn(name),
        "DataType": v.data_type,
    });
    if let (Some(s), Some(m)) = (selector, o.as_object_mut()) {
        m.insert("Selector".into(), json!(s));
    }
    o
}

/// The request as an object (null = empty), or a `SerializationException`.
pub fn object(request: &Value) -> Result<serde_json::Map<String, Value>, SsmError> {
    match request {
        Value::Object(m) => Ok(m.clone()),
        Value::Null => Ok(serde_json::Map::new()),
        _ => Err(SsmError::serialization("the request must be a JSON object")),
    }
}

/// A page of `items` from a `NextToken` (the decimal offset this emulator hands out).
pub fn page<T: Clone>(
    items: &[T],
    token: Option<&str>,
    limit: usize,
) -> Result<(Vec<T>, Option<String>), SsmError> {
    let start = match token {
        None => 0,
        Some(t) => t.parse::<usize>().ok().filter(|s| *s <= items.len()).ok_or_else(|| {
            SsmError::invalid_next_token(
                "The specified token isn't valid (it is not one this emulator returned)",
            )
        })?,
    };
    let end = start.saturating_add(limit).min(items.len());
    let out = items.get(start..end).map(<[T]>::to_vec).unwrap_or_default();
    Ok((out, (end < items.len()).then(|| end.to_string())))
}

/// Adds `NextToken` to a response when there is one.
pub fn with_token(mut v: Value, next: Option<String>) -> Value {
    if let (Some(t), Some(o)) = (next, v.as_object_mut()) {
        o.insert("NextToken".into(), json!(t));
    }
    v
}
