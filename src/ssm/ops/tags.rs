//! AddTagsToResource, RemoveTagsFromResource and ListTagsForResource for parameters
//! (<https://docs.aws.amazon.com/systems-manager/latest/userguide/tagging-parameters.html>): the
//! way to change an existing parameter's tags, since PutParameter refuses tags with `Overwrite`.
//! At most 50 tags per parameter (`TooManyTagsError`). Tags feed `aws:ResourceTag/…` in
//! authorization ([`super::super::auth`]). Other resource types answer `InvalidResourceType`.

use serde_json::{json, Value};

use super::super::error::SsmError;
use super::super::names::check_name;
use super::super::store::Store;
use super::put::read_tags;
use super::Call;
use crate::kms::params::Params;
use crate::kms::world::World;

/// Tags a parameter may carry.
pub const MAX_TAGS: usize = 50;

/// The parameter a tagging request names (after validation and authorization).
fn target<'a>(store: &Store, w: &World, c: &Call<'_>, p: &Params<'a>) -> Result<&'a str, SsmError> {
    let ty = p.req_str("ResourceType", 1, 64)?;
    if ty != "Parameter" {
        return Err(SsmError::invalid_resource_type(format!(
            "The resource type `{ty}` is not valid here: this playground tags parameters only (ResourceType Parameter)"
        )));
    }
    let name = p.req_str("ResourceId", 1, 2048)?;
    check_name(name)?;
    c.allow(w, store, name)?;
    if store.get(c.account(), c.region(), name).is_none() {
        return Err(SsmError::invalid_resource_id(format!(
            "The resource ID `{name}` is not valid: no such parameter"
        )));
    }
    Ok(name)
}

/// AddTagsToResource: adds or replaces tags.
pub fn add_tags(store: &mut Store, w: &mut World, c: &Call<'_>, request: &Value) -> Result<Value, SsmError> {
    let p = Params::new(request, &["ResourceType", "ResourceId", "Tags"])?;
    let name = target(store, w, c, &p)?;
    let tags = read_tags(request)?.unwrap_or_default();
    if tags.is_empty() {
        return Err(SsmError::validation("1 validation error detected: `Tags` must have at least 1 tag"));
    }
    let (account, region) = (c.account().to_string(), c.region().to_string());
    let param = store
        .region_mut(&account, &region)
        .get_mut(name)
        .ok_or_else(|| SsmError::invalid_resource_id(format!("no parameter `{name}`")))?;
    let after = param.tags.keys().chain(tags.keys().filter(|k| !param.tags.contains_key(*k))).count();
    if after > MAX_TAGS {
        return Err(SsmError::too_many_tags(format!(
            "The Targets parameter includes too many tags: a parameter has at most {MAX_TAGS}"
        )));
    }
    param.tags.extend(tags);
    Ok(json!({}))
}

/// RemoveTagsFromResource: removes the keys given (absent keys are ignored).
pub fn remove_tags(
    store: &mut Store,
    w: &mut World,
    c: &Call<'_>,
    request: &Value,
) -> Result<Value, SsmError> {
    let p = Params::new(request, &["ResourceType", "ResourceId", "TagKeys"])?;
    let name = target(store, w, c, &p)?;
    let keys = p.str_list("TagKeys", 50, 1, 128)?.unwrap_or_default();
    let (account, region) = (c.account().to_string(), c.region().to_string());
    if let Some(param) = store.region_mut(&account, &region).get_mut(name) {
        for k in keys {
            param.tags.remove(&k);
        }
    }
    Ok(json!({}))
}

/// ListTagsForResource.
pub fn list_tags(store: &mut Store, w: &mut World, c: &Call<'_>, request: &Value) -> Result<Value, SsmError> {
    let p = Params::new(request, &["ResourceType", "ResourceId"])?;
    let name = target(store, w, c, &p)?;
    let tags: Vec<Value> = store
        .get(c.account(), c.region(), name)
        .map(|p| p.tags.iter().map(|(k, v)| json!({"Key": k, "Value": v})).collect())
        .unwrap_or_default();
    Ok(json!({"TagList": tags}))
}
