//! LabelParameterVersion and UnlabelParameterVersion, with the label rules of the API reference
//! (<https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_LabelParameterVersion.html>):
//! a version has at most 10 labels; a label is on at most one version of a parameter, and moves
//! when attached to another; a label that breaks the naming rules is not attached and comes back
//! in `InvalidLabels`.

use serde_json::{json, Value};

use super::super::error::SsmError;
use super::super::events;
use super::super::names::{check_name, valid_label};
use super::super::store::Store;
use super::Call;
use crate::kms::params::Params;
use crate::kms::world::World;

/// Labels a version may carry.
pub const MAX_LABELS_PER_VERSION: usize = 10;

fn labels_member(p: &Params<'_>) -> Result<Vec<String>, SsmError> {
    let labels = p.str_list("Labels", 10, 1, 100)?.unwrap_or_default();
    if labels.is_empty() {
        return Err(SsmError::validation("1 validation error detected: Value at 'labels' failed to satisfy constraint: Member must have length greater than or equal to 1"));
    }
    Ok(labels)
}

/// LabelParameterVersion (the latest version when `ParameterVersion` is absent).
pub fn label_parameter_version(
    store: &mut Store,
    w: &mut World,
    c: &Call<'_>,
    request: &Value,
) -> Result<Value, SsmError> {
    let p = Params::new(request, &["Name", "ParameterVersion", "Labels"])?;
    let name = p.req_str("Name", 1, 2048)?;
    let version = p.int("ParameterVersion", 1, i64::MAX)?;
    let labels = labels_member(&p)?;
    check_name(name)?;
    c.allow(w, store, name)?;
    let (account, region) = (c.account().to_string(), c.region().to_string());
    let param = store
        .region_mut(&account, &region)
        .get_mut(name)
        .ok_or_else(|| SsmError::not_found(format!("Parameter {name} not found.")))?;
    let target = match version {
        Some(v) => v,
        None => param.current().map(|v| v.version).unwrap_or(1),
    };
    if param.version(target).is_none() {
        return Err(SsmError::version_not_found(format!(
            "Systems Manager could not find version {target} of {name}. Verify the version and try again."
        )));
    }
    let (valid, invalid): (Vec<String>, Vec<String>) = labels.into_iter().partition(|l| valid_label(l));
    let mut unique: Vec<String> = Vec::new();
    for l in valid {
        if !unique.contains(&l) {
            unique.push(l);
        }
    }
    let on_target = param.version(target).map(|v| v.labels.clone()).unwrap_or_default();
    let after = on_target.iter().chain(unique.iter().filter(|l| !on_target.contains(l))).count();
    if after > MAX_LABELS_PER_VERSION {
        return Err(SsmError::label_limit(format!(
            "A parameter version can have maximum {MAX_LABELS_PER_VERSION} labels. Move one or more labels to another version and try again."
        )));
    }
    for v in &mut param.versions {
        if v.version == target {
            for l in &unique {
                if !v.labels.contains(l) {
                    v.labels.push(l.clone());
                }
            }
        } else {
            v.labels.retain(|l| !unique.contains(l));
        }
    }
    let ty = param.current().map(|v| v.param_type);
    if let Some(ty) = ty {
        let ev = events::change(&account, &region, w.now, "LabelParameterVersion", name, ty, "");
        store.emit(ev);
    }
    let mut out = json!({"ParameterVersion": target});
    if let (false, Some(o)) = (invalid.is_empty(), out.as_object_mut()) {
        o.insert("InvalidLabels".into(), json!(invalid));
    }
    Ok(out)
}

/// UnlabelParameterVersion: labels not on that version come back in `InvalidLabels`.
pub fn unlabel_parameter_version(
    store: &mut Store,
    w: &mut World,
    c: &Call<'_>,
    request: &Value,
) -> Result<Value, SsmError> {
    let p = Params::new(request, &["Name", "ParameterVersion", "Labels"])?;
    let name = p.req_str("Name", 1, 2048)?;
    let version = p
        .int("ParameterVersion", 1, i64::MAX)?
        .ok_or_else(|| SsmError::validation("1 validation error detected: `ParameterVersion` is required"))?;
    let labels = labels_member(&p)?;
    check_name(name)?;
    c.allow(w, store, name)?;
    let (account, region) = (c.account().to_string(), c.region().to_string());
    let param = store
        .region_mut(&account, &region)
        .get_mut(name)
        .ok_or_else(|| SsmError::not_found(format!("Parameter {name} not found.")))?;
    let v = param.versions.iter_mut().find(|v| v.version == version).ok_or_else(|| {
        SsmError::version_not_found(format!("Systems Manager could not find version {version} of {name}."))
    })?;
    let (removed, invalid): (Vec<String>, Vec<String>) =
        labels.into_iter().partition(|l| v.labels.contains(l));
    v.labels.retain(|l| !removed.contains(l));
    let mut out = json!({});
    if let Some(o) = out.as_object_mut() {
        if !removed.is_empty() {
            o.insert("RemovedLabels".into(), json!(removed));
        }
        if !invalid.is_empty() {
            o.insert("InvalidLabels".into(), json!(invalid));
        }
    }
    Ok(out)
}
