//! The reads: GetParameter, GetParameters (up to 10 names; the unknown ones in
//! `InvalidParameters`), GetParametersByPath (one level or recursive, 1–10 per page, with
//! `NextToken`) and GetParameterHistory (1–50 per page), with `WithDecryption` through KMS, and the
//! `name:version` / `name:label` selectors
//! (<https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-versions.html>).
//! Names under `/aws/service/` are AWS's public parameters ([`crate::ssm::public`]);
//! `/aws/reference/secretsmanager/<id>` goes to Secrets Manager through [`SecretReferences`].

use serde_json::{json, Value};

use super::super::error::SsmError;
use super::super::names::{check_name, check_path, split_selector, Selector};
use super::super::public::{self, SecretReferences, REFERENCE_PREFIX};
use super::super::store::{ParamType, Store};
use super::describe::{read_filters, Filter};
use super::{page, parameter_json, select, value_of, with_token, Call};
use crate::kms::params::Params;
use crate::kms::world::World;

/// One parameter by `name[:selector]`: `Ok(None)` when it (or the version) does not exist.
fn one(
    store: &Store,
    w: &mut World,
    c: &Call<'_>,
    refs: &mut dyn SecretReferences,
    full: &str,
    decrypt: bool,
) -> Result<Result<Value, SsmError>, SsmError> {
    if let Some(rest) = full.strip_prefix(REFERENCE_PREFIX) {
        // A secret's versions are named by a version id (a UUID, which may start with a digit)
        // or a staging label: only an all-digit selector is a (refused) version number.
        let (id, sel) = match rest.split_once(':') {
            None => (rest, Selector::Latest),
            Some((id, v)) if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) => {
                (id, Selector::Version(v.parse().unwrap_or(i64::MAX)))
            }
            Some((id, l)) if !l.is_empty() && !l.contains(':') => (id, Selector::Label(l.to_string())),
            Some(_) => {
                return Err(SsmError::validation(format!(
                    "`{full}` is not a secret reference with one `:version-id` or `:staging-label`"
                )))
            }
        };
        if !decrypt {
            return Err(SsmError::validation(
                "WithDecryption flag must be True for retrieving a Secret Manager secret.",
            ));
        }
        return Ok(refs.resolve(w, c.ctx, c.region(), id, &sel).map(|mut v| {
            if let (Some(o), Some(s)) = (v.as_object_mut(), sel.text()) {
                o.insert("Selector".into(), json!(s));
            }
            v
        }));
    }
    let (name, sel) = split_selector(full)?;
    check_name(name)?;
    if let Some(pp) = public::find(c.region(), name) {
        if sel != Selector::Latest && sel != Selector::Version(1) {
            return Ok(Err(SsmError::version_not_found(format!(
                "Systems Manager could not find version {} of {name}.",
                full
            ))));
        }
        return Ok(Ok(public::parameter_json(c.region(), &pp, sel.text())));
    }
    let Some(p) = store.get(c.account(), c.region(), name) else {
        return Ok(Err(SsmError::not_found(format!("Parameter {name} not found."))));
    };
    let Some(v) = select(p, &sel) else {
        let what = match &sel {
            Selector::Version(n) => format!("version {n}"),
            Selector::Label(l) => format!("label {l}"),
            Selector::Latest => "the latest version".into(),
        };
        return Ok(Err(SsmError::version_not_found(format!(
            "Systems Manager could not find {what} of {name}. Verify the version and try again."
        ))));
    };
    let v = v.clone();
    let value = value_of(w, c, name, &v, decrypt)?;
    Ok(Ok(parameter_json(c, name, &v, value, sel.text())))
}

/// The name part of `name[:selector]`, for authorization.
fn base(full: &str) -> &str {
    full.split_once(':').map_or(full, |(n, _)| n)
}

/// Authorizes a read of `name` (public parameters are readable by every account).
fn allow_read(store: &Store, w: &World, c: &Call<'_>, name: &str) -> Result<(), SsmError> {
    if let Some(pp) = public::find(c.region(), name) {
        return c.allow_resource(w, c.operation, &public::arn(c.region(), &pp.name));
    }
    c.allow(w, store, name)
}

/// GetParameter.
pub fn get_parameter(
    store: &Store,
    w: &mut World,
    c: &Call<'_>,
    refs: &mut dyn SecretReferences,
    request: &Value,
) -> Result<Value, SsmError> {
    let p = Params::new(request, &["Name", "WithDecryption"])?;
    let full = p.req_str("Name", 1, 2048)?;
    let decrypt = p.bool("WithDecryption")?.unwrap_or(false);
    allow_read(store, w, c, base(full))?;
    let v = one(store, w, c, refs, full, decrypt)??;
    Ok(json!({"Parameter": v}))
}

/// GetParameters: every name authorized (one denial denies the call); unknown names and
/// versions are listed in `InvalidParameters`.
pub fn get_parameters(
    store: &Store,
    w: &mut World,
    c: &Call<'_>,
    refs: &mut dyn SecretReferences,
    request: &Value,
) -> Result<Value, SsmError> {
    let p = Params::new(request, &["Names", "WithDecryption"])?;
    let names = p.str_list("Names", 10, 1, 2048)?.unwrap_or_default();
    if names.is_empty() {
        return Err(SsmError::validation("1 validation error detected: Value at 'names' failed to satisfy constraint: Member must have length greater than or equal to 1"));
    }
    let decrypt = p.bool("WithDecryption")?.unwrap_or(false);
    for n in &names {
        allow_read(store, w, c, base(n))?;
    }
    let (mut found, mut invalid) = (Vec::new(), Vec::new());
    for n in &names {
        match one(store, w, c, refs, n, decrypt)? {
            Ok(v) => found.push(v),
            Err(e) if matches!(e.code(), "ParameterNotFound" | "ParameterVersionNotFound") => {
                invalid.push(json!(n))
            }
            Err(e) => return Err(e),
        }
    }
    let mut out = json!({"Parameters": found});
    if let (false, Some(o)) = (invalid.is_empty(), out.as_object_mut()) {
        o.insert("InvalidParameters".into(), Value::Array(invalid));
    }
    Ok(out)
}

/// Whether `name` is under `path`: a direct child, or (recursive) any descendant.
pub fn under(name: &str, path: &str, recursive: bool) -> bool {
    let prefix = if path.ends_with('/') { path.to_string() } else { format!("{path}/") };
    match name.strip_prefix(prefix.as_str()) {
        Some(rest) if !rest.is_empty() => recursive || !rest.contains('/'),
        _ => false,
    }
}

/// GetParametersByPath: `ssm:GetParametersByPath` on the path's ARN.
pub fn get_parameters_by_path(
    store: &Store,
    w: &mut World,
    c: &Call<'_>,
    request: &Value,
) -> Result<Value, SsmError> {
    let p = Params::new(
        request,
        &["Path", "Recursive", "ParameterFilters", "WithDecryption", "MaxResults", "NextToken"],
    )?;
    let path = p.req_str("Path", 1, 2048)?;
    let recursive = p.bool("Recursive")?.unwrap_or(false);
    let decrypt = p.bool("WithDecryption")?.unwrap_or(false);
    let limit = p.int("MaxResults", 1, 10)?.unwrap_or(10);
    let token = p.str("NextToken", 1, 2048)?;
    let filters = read_filters(request, &["Type", "KeyId", "Label"], true)?;
    check_path(path)?;
    if path.starts_with("/aws/") {
        c.allow_resource(w, c.operation, &public::arn(c.region(), path))?;
    } else {
        c.allow(w, store, path)?;
    }
    let mut matched: Vec<(String, Value)> = Vec::new();
    if path.starts_with("/aws/service/") || path == "/aws/service" {
        for pp in public::under(c.region(), path, recursive) {
            matched.push((pp.name.to_string(), public::parameter_json(c.region(), &pp, None)));
        }
    } else if let Some(params) = store.region(c.account(), c.region()) {
        for (name, param) in params.range(path.to_string()..) {
            if !name.starts_with(path) {
                break;
            }
            if !under(name, path, recursive) || !filters.iter().all(|f: &Filter| f.matches(param)) {
                continue;
            }
            matched.push((name.clone(), Value::Null));
        }
    }
    let limit = usize::try_from(limit).unwrap_or(10);
    let (items, next) = page(&matched, token, limit)?;
    let mut out = Vec::with_capacity(items.len());
    for (name, ready) in items {
        if !ready.is_null() {
            out.push(ready);
            continue;
        }
        let Some(v) = store.get(c.account(), c.region(), &name).and_then(|p| p.current()).cloned() else {
            continue;
        };
        let value = value_of(w, c, &name, &v, decrypt)?;
        out.push(parameter_json(c, &name, &v, value, None));
    }
    Ok(with_token(json!({"Parameters": out}), next))
}

/// GetParameterHistory: every version kept, oldest first, with its labels and policies.
pub fn get_parameter_history(
    store: &Store,
    w: &mut World,
    c: &Call<'_>,
    request: &Value,
) -> Result<Value, SsmError> {
    let p = Params::new(request, &["Name", "WithDecryption", "MaxResults", "NextToken"])?;
    let name = p.req_str("Name", 1, 2048)?;
    let decrypt = p.bool("WithDecryption")?.unwrap_or(false);
    let limit = usize::try_from(p.int("MaxResults", 1, 50)?.unwrap_or(50)).unwrap_or(50);
    let token = p.str("NextToken", 1, 2048)?;
    check_name(name)?;
    c.allow(w, store, name)?;
    let versions = store
        .get(c.account(), c.region(), name)
        .map(|p| p.versions.clone())
        .ok_or_else(|| SsmError::not_found(format!("Parameter {name} not found.")))?;
    let (items, next) = page(&versions, token, limit)?;
    let mut out = Vec::with_capacity(items.len());
    for v in items {
        let value = value_of(w, c, name, &v, decrypt)?;
        let mut h = json!({
            "Name": name,
            "Type": v.param_type.as_str(),
            "LastModifiedDate": v.last_modified,
            "LastModifiedUser": v.last_modified_user,
            "Description": v.description,
            "Value": value,
            "AllowedPattern": v.allowed_pattern,
            "Version": v.version,
            "Labels": v.labels,
            "Tier": v.tier.as_str(),
            "Policies": v.policies.iter().map(|x| x.to_json()).collect::<Vec<_>>(),
            "DataType": v.data_type,
        });
        if let Some(o) = h.as_object_mut() {
            if v.param_type == ParamType::SecureString {
                o.insert("KeyId".into(), json!(v.key_id));
            }
            if v.labels.is_empty() {
                o.remove("Labels");
            }
            if v.description.is_empty() {
                o.remove("Description");
            }
        }
        out.push(h);
    }
    Ok(with_token(json!({"Parameters": out}), next))
}
