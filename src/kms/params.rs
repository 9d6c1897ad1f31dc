//! Reading a request's members with the botocore model's constraints: types, required members,
//! enums, length and range bounds, base64 blobs (their length bounded before decoding).
//!
//! A member of the wrong JSON type is a `SerializationException`; a constraint broken is a
//! `ValidationException` in AWS's form ("1 validation error detected: Value … at 'keyId' failed
//! to satisfy constraint: Member must …"); a member the operation does not have is refused.

use std::collections::BTreeMap;

use base64::Engine as _;
use serde_json::{Map, Value};
use zeroize::Zeroizing;

use super::error::KmsError;

/// The members of one request.
pub struct Params<'a> {
    map: &'a Map<String, Value>,
}

/// `keyId` from `KeyId`: how AWS names members in validation messages.
fn lower_first(name: &str) -> String {
    let mut c = name.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

fn violation(name: &str, value: &str, constraint: &str) -> KmsError {
    KmsError::validation(format!(
        "1 validation error detected: Value {value} at '{}' failed to satisfy constraint: {constraint}",
        lower_first(name)
    ))
}

fn wrong_type(name: &str, expected: &str) -> KmsError {
    KmsError::serialization(format!("`{name}` must be {expected}"))
}

/// At most 64 characters of a value, quoted, for messages.
fn shown(s: &str) -> String {
    let cut: String = s.chars().take(64).collect();
    if cut.len() < s.len() {
        format!("'{cut}…'")
    } else {
        format!("'{cut}'")
    }
}

/// Encryption context and tag keys are bounded like this in the model.
const EC_MAX_PAIRS: usize = 64;

impl<'a> Params<'a> {
    /// The request object; a member outside `members` is refused.
    pub fn new(request: &'a Value, members: &[&str]) -> Result<Params<'a>, KmsError> {
        let map = match request {
            Value::Object(m) => m,
            Value::Null => {
                static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();
                EMPTY.get_or_init(Map::new)
            }
            _ => return Err(KmsError::serialization("the request must be a JSON object")),
        };
        if let Some(unknown) = map.keys().find(|k| !members.contains(&k.as_str())) {
            return Err(KmsError::validation(format!(
                "1 validation error detected: `{unknown}` is not a member of this request (members: {})",
                members.join(", ")
            )));
        }
        Ok(Params { map })
    }

    fn get(&self, name: &str) -> Option<&'a Value> {
        self.map.get(name).filter(|v| !v.is_null())
    }

    /// An optional string with length bounds (in characters).
    pub fn str(&self, name: &str, min: usize, max: usize) -> Result<Option<&'a str>, KmsError> {
        let Some(v) = self.get(name) else { return Ok(None) };
        let s = v.as_str().ok_or_else(|| wrong_type(name, "a string"))?;
        let n = s.chars().count();
        if n < min {
            return Err(violation(
                name,
                &shown(s),
                &format!("Member must have length greater than or equal to {min}"),
            ));
        }
        if n > max {
            return Err(violation(
                name,
                &shown(s),
                &format!("Member must have length less than or equal to {max}"),
            ));
        }
        Ok(Some(s))
    }

    /// A required string.
    pub fn req_str(&self, name: &str, min: usize, max: usize) -> Result<&'a str, KmsError> {
        self.str(name, min, max)?.ok_or_else(|| violation(name, "null", "Member must not be null"))
    }

    /// An optional enum member.
    pub fn enum_str(&self, name: &str, allowed: &[&str]) -> Result<Option<&'a str>, KmsError> {
        let Some(s) = self.str(name, 0, 256)? else { return Ok(None) };
        if !allowed.contains(&s) {
            return Err(violation(
                name,
                &shown(s),
                &format!("Member must satisfy enum value set: [{}]", allowed.join(", ")),
            ));
        }
        Ok(Some(s))
    }

    /// A required enum member.
    pub fn req_enum(&self, name: &str, allowed: &[&str]) -> Result<&'a str, KmsError> {
        self.enum_str(name, allowed)?.ok_or_else(|| violation(name, "null", "Member must not be null"))
    }

    /// An optional base64 blob of `min..=max` bytes.
    pub fn blob(&self, name: &str, min: usize, max: usize) -> Result<Option<Zeroizing<Vec<u8>>>, KmsError> {
        let Some(v) = self.get(name) else { return Ok(None) };
        let s = v.as_str().ok_or_else(|| wrong_type(name, "base64 text"))?;
        // Bound the text before decoding: base64 of `max` bytes is at most this long.
        if s.len() > max.saturating_add(2) / 3 * 4 + 4 {
            return Err(violation(
                name,
                "(blob)",
                &format!("Member must have length less than or equal to {max}"),
            ));
        }
        let bytes = Zeroizing::new(
            base64::engine::general_purpose::STANDARD
                .decode(s.as_bytes())
                .map_err(|_| KmsError::serialization(format!("`{name}` is not valid base64")))?,
        );
        if bytes.len() < min {
            return Err(violation(
                name,
                "(blob)",
                &format!("Member must have length greater than or equal to {min}"),
            ));
        }
        if bytes.len() > max {
            return Err(violation(
                name,
                "(blob)",
                &format!("Member must have length less than or equal to {max}"),
            ));
        }
        Ok(Some(bytes))
    }

    /// A required blob.
    pub fn req_blob(&self, name: &str, min: usize, max: usize) -> Result<Zeroizing<Vec<u8>>, KmsError> {
        self.blob(name, min, max)?.ok_or_else(|| violation(name, "null", "Member must not be null"))
    }

    /// An optional integer in `min..=max`.
    pub fn int(&self, name: &str, min: i64, max: i64) -> Result<Option<i64>, KmsError> {
        let Some(v) = self.get(name) else { return Ok(None) };
        let n = v.as_i64().ok_or_else(|| wrong_type(name, "an integer"))?;
        if n < min {
            return Err(violation(
                name,
                &format!("'{n}'"),
                &format!("Member must have value greater than or equal to {min}"),
            ));
        }
        if n > max {
            return Err(violation(
                name,
                &format!("'{n}'"),
                &format!("Member must have value less than or equal to {max}"),
            ));
        }
        Ok(Some(n))
    }

    /// An optional boolean.
    pub fn bool(&self, name: &str) -> Result<Option<bool>, KmsError> {
        let Some(v) = self.get(name) else { return Ok(None) };
        v.as_bool().map(Some).ok_or_else(|| wrong_type(name, "true or false"))
    }

    /// A string → string map (an encryption context); absent = empty.
    pub fn context(&self, name: &str) -> Result<BTreeMap<String, String>, KmsError> {
        let Some(v) = self.get(name) else { return Ok(BTreeMap::new()) };
        let obj = v.as_object().ok_or_else(|| wrong_type(name, "an object of string pairs"))?;
        if obj.len() > EC_MAX_PAIRS {
            return Err(violation(
                name,
                "(map)",
                &format!("Member must have at most {EC_MAX_PAIRS} entries"),
            ));
        }
        let mut out = BTreeMap::new();
        for (k, v) in obj {
            let s = v.as_str().ok_or_else(|| wrong_type(&format!("{name}.{k}"), "a string"))?;
            if k.is_empty() || k.len() > 2048 || s.len() > 2048 {
                return Err(violation(
                    name,
                    "(map)",
                    "Member keys must be 1-2048 and values 0-2048 characters",
                ));
            }
            out.insert(k.clone(), s.to_string());
        }
        Ok(out)
    }

    /// An optional list of strings.
    pub fn str_list(
        &self,
        name: &str,
        max_items: usize,
        item_min: usize,
        item_max: usize,
    ) -> Result<Option<Vec<String>>, KmsError> {
        let Some(v) = self.get(name) else { return Ok(None) };
        let items = v.as_array().ok_or_else(|| wrong_type(name, "a list of strings"))?;
        if items.len() > max_items {
            return Err(violation(
                name,
                "(list)",
                &format!("Member must have length less than or equal to {max_items}"),
            ));
        }
        let mut out = Vec::with_capacity(items.len());
        for it in items {
            let s = it.as_str().ok_or_else(|| wrong_type(name, "a list of strings"))?;
            let n = s.chars().count();
            if n < item_min || n > item_max {
                return Err(violation(
                    name,
                    &shown(s),
                    &format!("Member must have length between {item_min} and {item_max}"),
                ));
            }
            out.push(s.to_string());
        }
        Ok(Some(out))
    }

    /// `Tags`: `[{TagKey, TagValue}]` (keys 1–128, values 0–256 characters).
    pub fn tags(&self, name: &str) -> Result<Option<Vec<(String, String)>>, KmsError> {
        let Some(v) = self.get(name) else { return Ok(None) };
        let items = v.as_array().ok_or_else(|| wrong_type(name, "a list of {TagKey, TagValue}"))?;
        if items.len() > 50 {
            return Err(KmsError::tag("too many tags: a key has at most 50"));
        }
        let mut out = Vec::with_capacity(items.len());
        for it in items {
            let obj = it.as_object().ok_or_else(|| wrong_type(name, "a list of {TagKey, TagValue}"))?;
            if obj.keys().any(|k| k != "TagKey" && k != "TagValue") {
                return Err(wrong_type(name, "a list of {TagKey, TagValue}"));
            }
            let key =
                obj.get("TagKey").and_then(Value::as_str).ok_or_else(|| wrong_type("TagKey", "a string"))?;
            let value = obj
                .get("TagValue")
                .and_then(Value::as_str)
                .ok_or_else(|| wrong_type("TagValue", "a string"))?;
            if key.is_empty() || key.chars().count() > 128 {
                return Err(violation("tagKey", &shown(key), "Member must have length between 1 and 128"));
            }
            if value.chars().count() > 256 {
                return Err(violation(
                    "tagValue",
                    &shown(value),
                    "Member must have length less than or equal to 256",
                ));
            }
            out.push((key.to_string(), value.to_string()));
        }
        Ok(Some(out))
    }

    /// A nested object member, read with its own members.
    pub fn object(&self, name: &str, members: &[&str]) -> Result<Option<Params<'a>>, KmsError> {
        let Some(v) = self.get(name) else { return Ok(None) };
        if !v.is_object() {
            return Err(wrong_type(name, "an object"));
        }
        Params::new(v, members).map(Some)
    }

    /// Whether the member is present.
    pub fn has(&self, name: &str) -> bool {
        self.get(name).is_some()
    }
}

/// Base64 of bytes, as the JSON protocol carries blobs.
pub fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}
