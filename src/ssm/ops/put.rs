//! PutParameter: create a parameter or, with `Overwrite`, a new version of it
//! (<https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html>).
//!
//! Rules, each with the user guide page it comes from:
//! - overwrite: an existing name needs `Overwrite: true` (`ParameterAlreadyExists`), and tags
//!   cannot be given with it; the type cannot change (`HierarchyTypeMismatchException`);
//! - `KeyId` only for SecureString; SecureString defaults to `alias/aws/ssm`;
//! - data types `text` and `aws:ec2:image` (String only, `ami-` + 8 or 17 hex digits; never
//!   changed to or from; "Parameter data types",
//!   <https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-data-types.html>);
//! - `AllowedPattern`: a regular expression the value must match;
//! - tiers ("Managing parameter tiers",
//!   <https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html>):
//!   Standard 4 KB values, 10,000 per account and region, no policies; Advanced 8 KB, 100,000,
//!   policies; `Intelligent-Tiering` picks Advanced only when needed; upgrade, never downgrade;
//! - history: the 100 newest versions are kept; the oldest is dropped unless it has a label
//!   (`ParameterMaxVersionLimitExceeded`).
//!
//! Not modelled: the Parameter Store default-tier setting (always Standard), the asynchronous
//! check that an `aws:ec2:image` AMI exists (the format is checked at once instead), the newer
//! data types (`aws:ssm:integration`, …).

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::super::crypto::{self, DEFAULT_KEY};
use super::super::error::SsmError;
use super::super::events;
use super::super::names::check_new_name;
use super::super::policies::{self, ParameterPolicy};
use super::super::store::{
    ParamType, Parameter, Store, StoredValue, Tier, Version, ADVANCED_VALUE, MAX_ADVANCED, MAX_STANDARD,
    MAX_VERSIONS, STANDARD_VALUE,
};
use super::Call;
use crate::kms::params::Params;
use crate::kms::world::World;

const MEMBERS: &[&str] = &[
    "Name",
    "Description",
    "Value",
    "Type",
    "KeyId",
    "Overwrite",
    "AllowedPattern",
    "Tags",
    "Tier",
    "Policies",
    "DataType",
];
const TIERS_PAGE: &str =
    "https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html";

/// `Tags`: `[{Key, Value}]`, at most 50 (keys 1–128, values 0–256 characters).
pub fn read_tags(request: &Value) -> Result<Option<BTreeMap<String, String>>, SsmError> {
    let Some(v) = request.get("Tags").filter(|v| !v.is_null()) else { return Ok(None) };
    let items =
        v.as_array().ok_or_else(|| SsmError::serialization("`Tags` must be a list of {Key, Value}"))?;
    if items.len() > 50 {
        return Err(SsmError::validation("a parameter has at most 50 tags"));
    }
    let mut out = BTreeMap::new();
    for it in items {
        let (Some(k), Some(v)) =
            (it.get("Key").and_then(Value::as_str), it.get("Value").and_then(Value::as_str))
        else {
            return Err(SsmError::serialization("`Tags` must be a list of {Key, Value} strings"));
        };
        if k.is_empty() || k.chars().count() > 128 || v.chars().count() > 256 {
            return Err(SsmError::validation(format!(
                "the tag `{k}`: keys are 1 to 128 characters, values up to 256"
            )));
        }
        out.insert(k.to_string(), v.to_string());
    }
    Ok(Some(out))
}

/// An AMI id as EC2 prints it: `ami-` and 8 or 17 lowercase hex digits.
pub fn is_ami_id(s: &str) -> bool {
    s.strip_prefix("ami-").is_some_and(|h| {
        (h.len() == 8 || h.len() == 17) && h.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}

/// The tier a request ends up in.
fn decide_tier(
    requested: Option<&str>,
    existing: Option<Tier>,
    value_len: usize,
    has_policies: bool,
    standard_full: bool,
) -> Result<Tier, SsmError> {
    let needs_advanced = value_len > STANDARD_VALUE || has_policies;
    let standard = |existing: Option<Tier>| -> Result<Tier, SsmError> {
        if value_len > STANDARD_VALUE {
            return Err(SsmError::validation(format!(
                "Standard tier parameters support a maximum parameter value of {STANDARD_VALUE} characters. To create a larger parameter value, upgrade the parameter to use the advanced-parameter tier. For more information, see {TIERS_PAGE}"
            )));
        }
        if has_policies {
            return Err(SsmError::validation(format!(
                "Parameter policies are available only on the advanced-parameter tier: give `Tier: Advanced` (or Intelligent-Tiering). See {TIERS_PAGE}"
            )));
        }
        let _ = existing;
        Ok(Tier::Standard)
    };
    let tier = match requested {
        Some("Advanced") => Tier::Advanced,
        Some("Standard") => {
            if existing == Some(Tier::Advanced) {
                return Err(SsmError::validation(format!(
                    "This parameter uses the advanced-parameter tier. You can't downgrade a parameter from the advanced-parameter tier to the standard-parameter tier. If necessary, you can delete the advanced parameter and recreate it as a standard parameter. See {TIERS_PAGE}"
                )));
            }
            standard(existing)?
        }
        Some("Intelligent-Tiering") => {
            if existing == Some(Tier::Advanced) || needs_advanced || (existing.is_none() && standard_full) {
                Tier::Advanced
            } else {
                Tier::Standard
            }
        }
        // No tier given: the default tier (Standard); an advanced parameter stays advanced.
        _ => {
            if existing == Some(Tier::Advanced) {
                Tier::Advanced
            } else {
                standard(existing)?
            }
        }
    };
    if value_len > ADVANCED_VALUE {
        return Err(SsmError::validation(format!(
            "Advanced tier parameters support a maximum parameter value of {ADVANCED_VALUE} characters"
        )));
    }
    Ok(tier)
}

/// PutParameter.
pub fn put_parameter(
    store: &mut Store,
    w: &mut World,
    c: &Call<'_>,
    request: &Value,
) -> Result<Value, SsmError> {
    let p = Params::new(request, MEMBERS)?;
    let name = p.req_str("Name", 1, 2048)?;
    let value = p.req_str("Value", 1, 1 << 20)?;
    let description = p.str("Description", 0, 1024)?;
    let ty = p.enum_str("Type", &["String", "StringList", "SecureString"])?;
    let key_id = p.str("KeyId", 1, 256)?;
    let overwrite = p.bool("Overwrite")?.unwrap_or(false);
    let allowed_pattern = p.str("AllowedPattern", 0, 1024)?;
    let tier = p.enum_str("Tier", &["Standard", "Advanced", "Intelligent-Tiering"])?;
    let policies_text = p.str("Policies", 1, 4096)?;
    let data_type = p.str("DataType", 0, 128)?;
    let tags = read_tags(request)?;
    check_new_name(name)?;
    if let Some(k) = key_id {
        if !k.chars().all(|ch| ch.is_ascii_alphanumeric() || matches!(ch, ':' | '/' | '_' | '-')) {
            return Err(SsmError::validation(format!("`KeyId` `{k}` may contain only a-zA-Z0-9:/_-")));
        }
    }
    c.allow(w, store, name)?;

    let (account, region) = (c.account().to_string(), c.region().to_string());
    let existing = store.get(&account, &region, name).and_then(|p| p.current().cloned());
    if existing.is_some() && !overwrite {
        return Err(SsmError::already_exists(
            "The parameter already exists. To overwrite this value, set the overwrite option in the request to true.",
        ));
    }
    if existing.is_some() && tags.is_some() {
        return Err(SsmError::validation(
            "Invalid request: tags and overwrite can't be used together. To create a parameter with tags, please remove overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.",
        ));
    }
    let ty = match (ty.and_then(ParamType::parse), &existing) {
        (Some(t), Some(e)) if t != e.param_type => {
            return Err(SsmError::hierarchy_type(format!(
                "Parameter Store doesn't support changing a parameter type: `{name}` is a {} parameter, not {}. Create a new, unique parameter.",
                e.param_type.as_str(),
                t.as_str()
            )))
        }
        (Some(t), _) => t,
        (None, Some(e)) => e.param_type,
        (None, None) => return Err(SsmError::validation("A parameter type is required when you create a parameter.")),
    };
    if key_id.is_some() && ty != ParamType::SecureString {
        return Err(SsmError::validation("KeyId is required for SecureString type parameter only."));
    }
    let data_type = match (data_type, &existing) {
        (Some(d), _) if !d.is_empty() => d.to_string(),
        (_, Some(e)) => e.data_type.clone(),
        _ => "text".to_string(),
    };
    if data_type != "text" && data_type != "aws:ec2:image" {
        return Err(SsmError::validation(format!(
            "The data type `{data_type}` is not supported here: use `text` or `aws:ec2:image`"
        )));
    }
    if let Some(e) = &existing {
        if (e.data_type == "aws:ec2:image") != (data_type == "aws:ec2:image") {
            return Err(SsmError::validation(format!(
                "You can't change a parameter to or from the aws:ec2:image data type (`{name}` is {})",
                e.data_type
            )));
        }
    }
    if data_type == "aws:ec2:image" {
        if ty != ParamType::String {
            return Err(SsmError::validation(
                "The aws:ec2:image data type is supported only for String parameters",
            ));
        }
        if !is_ami_id(value) {
            return Err(SsmError::validation(format!(
                "Parameter value `{value}` is not a valid AMI id for the aws:ec2:image data type (ami- and 8 or 17 hex digits)"
            )));
        }
    }
    if let Some(pattern) = allowed_pattern.filter(|s| !s.is_empty()) {
        let re = regex::RegexBuilder::new(pattern).size_limit(1 << 20).build().map_err(|e| {
            SsmError::invalid_allowed_pattern(format!(
                "The request doesn't meet the regular expression requirement: {e}"
            ))
        })?;
        if !re.is_match(value) {
            return Err(SsmError::pattern_mismatch(format!(
                "Parameter value, cannot be validated against allowedPattern: {pattern}"
            )));
        }
    }
    let policies: Vec<ParameterPolicy> = match policies_text {
        Some(t) => policies::parse(t, w.now)?,
        None => Vec::new(),
    };
    let value_len = value.chars().count();
    let existing_tier = existing.as_ref().map(|e| e.tier);
    let standard_count = store.count(&account, &region, Tier::Standard);
    let tier =
        decide_tier(tier, existing_tier, value_len, !policies.is_empty(), standard_count >= MAX_STANDARD)?;
    if existing.is_none() {
        match tier {
            Tier::Standard if standard_count >= MAX_STANDARD => {
                return Err(SsmError::limit_exceeded(format!(
                    "You have exceeded the number of parameters for this AWS account: {MAX_STANDARD} standard parameters per Region. Delete parameters, or use the advanced-parameter tier, and try again."
                )))
            }
            Tier::Advanced if store.count(&account, &region, Tier::Advanced) >= MAX_ADVANCED => {
                return Err(SsmError::limit_exceeded(format!(
                    "You have exceeded the number of parameters for this AWS account: {MAX_ADVANCED} advanced parameters per Region. Delete parameters and try again."
                )))
            }
            _ => {}
        }
    } else if existing_tier == Some(Tier::Standard)
        && tier == Tier::Advanced
        && store.count(&account, &region, Tier::Advanced) >= MAX_ADVANCED
    {
        return Err(SsmError::limit_exceeded(format!(
            "{MAX_ADVANCED} advanced parameters per Region: none left to upgrade to"
        )));
    }
    if let Some(old) = store.get(&account, &region, name) {
        if old.versions.len() >= MAX_VERSIONS {
            if let Some(oldest) = old.versions.first().filter(|v| !v.labels.is_empty()) {
                return Err(SsmError::max_versions(format!(
                    "You attempted to create a new version of {name} by calling the PutParameter API with the overwrite flag. Version {}, the oldest version, can't be deleted because it has a label associated with it. Move the label to another version of the parameter, and try again.",
                    oldest.version
                )));
            }
        }
    }

    let key_id = (ty == ParamType::SecureString).then(|| key_id.unwrap_or(DEFAULT_KEY).to_string());
    let stored = match &key_id {
        Some(k) => crypto::encrypt(w, &c.kms_caller()?, k, &c.arn(name), value, tier)?,
        None => StoredValue::Plain(value.to_string()),
    };
    let version_no = existing.as_ref().map_or(1, |e| e.version + 1);
    let description = description
        .map(str::to_string)
        .or_else(|| existing.as_ref().map(|e| e.description.clone()))
        .unwrap_or_default();
    let has_policies = !policies.is_empty();
    let version = Version {
        version: version_no,
        param_type: ty,
        value: stored,
        key_id,
        description: description.clone(),
        allowed_pattern: allowed_pattern.unwrap_or_default().to_string(),
        data_type,
        tier,
        policies,
        labels: Vec::new(),
        last_modified: w.now,
        last_modified_user: c.who.resolved.arn.clone(),
    };
    let params = store.region_mut(&account, &region);
    let param = params.entry(name.to_string()).or_insert_with(|| Parameter {
        name: name.to_string(),
        versions: Vec::new(),
        tags: tags.unwrap_or_default(),
    });
    param.versions.push(version);
    if param.versions.len() > MAX_VERSIONS {
        param.versions.remove(0);
    }
    if has_policies {
        store.evaluated_to = None;
    }
    let op = if existing.is_some() { "Update" } else { "Create" };
    let ev = events::change(&account, &region, w.now, op, name, ty, &description);
    store.emit(ev);
    Ok(json!({"Version": version_no, "Tier": tier.as_str()}))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ami_ids() {
        assert!(is_ami_id("ami-0abcdef1234567890"));
        assert!(is_ami_id("ami-12345678"));
        assert!(!is_ami_id("ami-1234567"));
        assert!(!is_ami_id("ami-0ABCDEF1234567890"));
        assert!(!is_ami_id("i-12345678"));
    }
}
