//! DescribeParameters with `ParameterFilters` (and the older `Filters`), and the filters
//! GetParametersByPath shares, as the API reference lists keys and options
//! (<https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_ParameterStringFilter.html>):
//! `Name` (Equals, BeginsWith, Contains), `Path` (OneLevel, Recursive), `Type` and `KeyId`
//! (Equals, BeginsWith), `Tier`, `DataType`, `Label` (Equals; GetParametersByPath only) and
//! `tag:<key>` (Equals; without values: the tag is present). Metadata only: no values.

use serde_json::{json, Value};

use super::super::error::SsmError;
use super::super::store::{ParamType, Parameter, Store};
use super::read::under;
use super::{page, with_token, Call};
use crate::kms::params::Params;
use crate::kms::world::World;

/// One filter, read and checked.
#[derive(Debug, Clone)]
pub struct Filter {
    pub key: String,
    pub option: String,
    pub values: Vec<String>,
}

fn options_for(key: &str) -> &'static [&'static str] {
    match key {
        "Name" => &["Equals", "BeginsWith", "Contains"],
        "Path" => &["OneLevel", "Recursive"],
        "Type" | "KeyId" => &["Equals", "BeginsWith"],
        _ => &["Equals"],
    }
}

/// Reads `ParameterFilters`, allowing `keys` (and `tag:…` when `tags`).
pub fn read_filters(request: &Value, keys: &[&str], tags: bool) -> Result<Vec<Filter>, SsmError> {
    let Some(v) = request.get("ParameterFilters").filter(|v| !v.is_null()) else { return Ok(Vec::new()) };
    let items = v.as_array().ok_or_else(|| SsmError::serialization("`ParameterFilters` must be a list"))?;
    if items.len() > 50 {
        return Err(SsmError::validation("at most 50 parameter filters"));
    }
    let mut out = Vec::with_capacity(items.len());
    for it in items {
        let key = it
            .get("Key")
            .and_then(Value::as_str)
            .ok_or_else(|| SsmError::serialization("each parameter filter needs a `Key` string"))?;
        let is_tag = key.strip_prefix("tag:").is_some_and(|k| !k.is_empty());
        if !(keys.contains(&key) || (tags && is_tag)) {
            return Err(SsmError::invalid_filter_key(format!(
                "The following filter key is not valid: {key}. Valid filter keys include: [{}{}]",
                keys.join(", "),
                if tags { ", tag:<key>" } else { "" }
            )));
        }
        let option = it.get("Option").and_then(Value::as_str).map(str::to_string);
        let allowed = if is_tag { &["Equals"][..] } else { options_for(key) };
        let option = option.unwrap_or_else(|| allowed.first().copied().unwrap_or("Equals").to_string());
        if !allowed.contains(&option.as_str()) {
            return Err(SsmError::invalid_filter_option(format!(
                "The following filter option is not valid: {option}. Valid options include: [{}]",
                allowed.join(", ")
            )));
        }
        let values: Vec<String> = match it.get("Values") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(a)) => a
                .iter()
                .map(|x| x.as_str().map(str::to_string))
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| SsmError::serialization("filter `Values` must be strings"))?,
            Some(_) => return Err(SsmError::serialization("filter `Values` must be a list of strings")),
        };
        if values.len() > 50 || values.iter().any(|v| v.is_empty() || v.chars().count() > 1024) {
            return Err(SsmError::invalid_filter_value(format!(
                "The filter `{key}` takes 1 to 50 values of 1 to 1024 characters"
            )));
        }
        if values.is_empty() && !is_tag {
            return Err(SsmError::invalid_filter_value(format!(
                "The filter `{key}` needs at least one value"
            )));
        }
        if key == "Type" && values.iter().any(|v| ParamType::parse(v).is_none()) && option == "Equals" {
            return Err(SsmError::invalid_filter_value(
                "The Type filter takes String, StringList or SecureString",
            ));
        }
        if key == "Path" && values.iter().any(|v| !v.starts_with('/')) {
            return Err(SsmError::invalid_filter_value("The Path filter takes paths beginning with /"));
        }
        out.push(Filter { key: key.to_string(), option, values });
    }
    Ok(out)
}

impl Filter {
    fn test(&self, s: &str) -> bool {
        self.values.iter().any(|v| match self.option.as_str() {
            "BeginsWith" => s.starts_with(v.as_str()),
            "Contains" => s.contains(v.as_str()),
            _ => s == v,
        })
    }

    /// Whether a parameter passes this filter.
    pub fn matches(&self, p: &Parameter) -> bool {
        let Some(cur) = p.current() else { return false };
        if let Some(tag) = self.key.strip_prefix("tag:") {
            return match p.tags.get(tag) {
                Some(v) => self.values.is_empty() || self.values.contains(v),
                None => false,
            };
        }
        match self.key.as_str() {
            "Name" => self.test(&p.name),
            "Path" => self.values.iter().any(|v| under(&p.name, v, self.option == "Recursive")),
            "Type" => self.test(cur.param_type.as_str()),
            "KeyId" => cur.key_id.as_deref().is_some_and(|k| self.test(k)),
            "Tier" => self.test(cur.tier.as_str()),
            "DataType" => self.test(&cur.data_type),
            "Label" => p.versions.iter().any(|v| v.labels.iter().any(|l| self.test(l))),
            _ => false,
        }
    }
}

/// The older `Filters` member (`Name`, `Type`, `KeyId`; `Name` matches by prefix).
fn legacy_filters(request: &Value) -> Result<Vec<Filter>, SsmError> {
    let Some(v) = request.get("Filters").filter(|v| !v.is_null()) else { return Ok(Vec::new()) };
    let items = v.as_array().ok_or_else(|| SsmError::serialization("`Filters` must be a list"))?;
    let mut out = Vec::new();
    for it in items {
        let key = it.get("Key").and_then(Value::as_str).unwrap_or("");
        if !["Name", "Type", "KeyId"].contains(&key) {
            return Err(SsmError::validation(format!("`{key}` is not a Filters key: Name, Type or KeyId")));
        }
        let values: Vec<String> = it
            .get("Values")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(|x| x.as_str().map(str::to_string)).collect())
            .unwrap_or_default();
        if values.is_empty() || values.len() > 50 {
            return Err(SsmError::validation(format!("the `{key}` filter takes 1 to 50 values")));
        }
        let option = if key == "Name" { "BeginsWith" } else { "Equals" };
        out.push(Filter { key: key.to_string(), option: option.into(), values });
    }
    Ok(out)
}

/// The `ParameterMetadata` shape.
fn metadata(c: &Call<'_>, p: &Parameter) -> Option<Value> {
    let v = p.current()?;
    let mut m = json!({
        "Name": p.name,
        "ARN": c.arn(&p.name),
        "Type": v.param_type.as_str(),
        "LastModifiedDate": v.last_modified,
        "LastModifiedUser": v.last_modified_user,
        "Version": v.version,
        "Tier": v.tier.as_str(),
        "Policies": v.policies.iter().map(|x| x.to_json()).collect::<Vec<_>>(),
        "DataType": v.data_type,
    });
    if let Some(o) = m.as_object_mut() {
        if let Some(k) = &v.key_id {
            o.insert("KeyId".into(), json!(k));
        }
        if !v.description.is_empty() {
            o.insert("Description".into(), json!(v.description));
        }
        if !v.allowed_pattern.is_empty() {
            o.insert("AllowedPattern".into(), json!(v.allowed_pattern));
        }
    }
    Some(m)
}

/// DescribeParameters: `ssm:DescribeParameters` on `*` (the action has no resource-level
/// permission), the caller's account and region, sorted by name.
pub fn describe_parameters(
    store: &mut Store,
    w: &mut World,
    c: &Call<'_>,
    request: &Value,
) -> Result<Value, SsmError> {
    let p = Params::new(request, &["Filters", "ParameterFilters", "MaxResults", "NextToken", "Shared"])?;
    let limit = usize::try_from(p.int("MaxResults", 1, 50)?.unwrap_or(50)).unwrap_or(50);
    let token = p.str("NextToken", 1, 2048)?;
    if p.bool("Shared")? == Some(true) {
        return Err(SsmError::validation("shared parameters (AWS RAM) are not modelled by this playground"));
    }
    if p.has("Filters") && p.has("ParameterFilters") {
        return Err(SsmError::validation(
            "You can use either Filters or ParameterFilters in a single request, not both",
        ));
    }
    let mut filters = legacy_filters(request)?;
    filters.extend(read_filters(request, &["Name", "Type", "KeyId", "Path", "Tier", "DataType"], true)?);
    c.allow_resource(w, c.operation, "*")?;
    let items: Vec<Value> = store
        .region(c.account(), c.region())
        .map(|r| {
            r.values()
                .filter(|p| filters.iter().all(|f| f.matches(p)))
                .filter_map(|p| metadata(c, p))
                .collect()
        })
        .unwrap_or_default();
    let (items, next) = page(&items, token, limit)?;
    Ok(with_token(json!({"Parameters": items}), next))
}
