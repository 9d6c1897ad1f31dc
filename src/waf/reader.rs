//! The WAF's side of the shared JSON cursor (`common::json_cursor`): its errors as `WafError`,
//! the readers only the WAFv2 model needs (integers, arrays with their pointers, booleans) and
//! the model's constraint checks (ranges, list sizes, entity names, labels).
//!
//! With the shared cursor, this is the only place that knows how JSON types map to model
//! types; it knows nothing of WAF semantics (see `parse`).

use serde_json::Value;

use super::error::{display_pointer, shorten, WafError};
use crate::common::json_cursor::{self, CursorError};

pub(crate) use crate::common::json_cursor::child;

/// A JSON object being read member by member (the shared cursor, with WAF errors).
pub(crate) type Obj<'a> = json_cursor::Obj<'a, WafError>;

impl CursorError for WafError {
    fn wrong_type(pointer: &str, expected: &str) -> Self {
        Self::WrongType { pointer: display_pointer(pointer), expected: expected.to_owned() }
    }
    fn unknown_field(pointer: &str, name: &str, expected: String) -> Self {
        Self::UnknownField { pointer: display_pointer(pointer), name: shorten(name), expected }
    }
    fn missing_field(pointer: &str, name: &str) -> Self {
        Self::MissingField { pointer: display_pointer(pointer), name: name.to_owned() }
    }
    fn constraint(pointer: &str, value: &str, constraint: String) -> Self {
        Self::constraint(pointer, value, constraint)
    }
}

/// The readers only the WAFv2 model needs.
impl<'a> Obj<'a> {
    pub(crate) fn req_i64(&self, name: &str) -> Result<i64, WafError> {
        as_i64(self.req(name)?, &self.at(name))
    }

    pub(crate) fn opt_i64(&self, name: &str) -> Result<Option<i64>, WafError> {
        self.opt(name).map(|v| v.as_i64().map_or_else(|| as_i64(v, &self.at(name)), Ok)).transpose()
    }

    pub(crate) fn opt_bool(&self, name: &str) -> Result<Option<bool>, WafError> {
        self.opt(name)
            .map(|v| {
                v.as_bool().ok_or_else(|| WafError::WrongType {
                    pointer: self.at(name),
                    expected: "a boolean".to_owned(),
                })
            })
            .transpose()
    }

    /// A required array member, with its items and their pointers.
    pub(crate) fn req_array(&self, name: &str) -> Result<Vec<(&'a Value, String)>, WafError> {
        as_array(self.req(name)?, &self.at(name))
    }

    /// An optional array member (absent = empty).
    pub(crate) fn opt_array(&self, name: &str) -> Result<Vec<(&'a Value, String)>, WafError> {
        match self.opt(name) {
            Some(v) => as_array(v, &self.at(name)),
            None => Ok(Vec::new()),
        }
    }

    /// An optional array member's items (absent = none), without building their pointers.
    pub(crate) fn opt_items(&self, name: &str) -> Result<&'a [Value], WafError> {
        match self.opt(name) {
            Some(v) => match v.as_array() {
                Some(items) => Ok(items),
                None => as_array(v, &self.at(name)).map(|_| &[][..]),
            },
            None => Ok(&[]),
        }
    }
}

pub(crate) fn as_str<'a>(value: &'a Value, pointer: &str) -> Result<&'a str, WafError> {
    json_cursor::as_str(value, pointer)
}

pub(crate) fn as_i64(value: &Value, pointer: &str) -> Result<i64, WafError> {
    value.as_i64().ok_or_else(|| WafError::WrongType {
        pointer: display_pointer(pointer),
        expected: "an integer".to_owned(),
    })
}

pub(crate) fn as_array<'a>(value: &'a Value, pointer: &str) -> Result<Vec<(&'a Value, String)>, WafError> {
    let items = value.as_array().ok_or_else(|| WafError::WrongType {
        pointer: display_pointer(pointer),
        expected: "an array".to_owned(),
    })?;
    Ok(items.iter().enumerate().map(|(i, v)| (v, child(pointer, &i.to_string()))).collect())
}

pub(crate) fn check_enum(value: &str, pointer: &str, values: &[&str]) -> Result<(), WafError> {
    json_cursor::check_enum(value, pointer, values)
}

/// Checks a string length (in characters) against the model's bounds.
pub(crate) fn check_len(value: &str, pointer: &str, min: usize, max: usize) -> Result<(), WafError> {
    json_cursor::check_len(value, pointer, min, max)
}

/// Checks an integer against the model's bounds.
pub(crate) fn check_range(value: i64, pointer: &str, min: i64, max: i64) -> Result<(), WafError> {
    if value < min {
        return Err(WafError::constraint(
            pointer,
            value.to_string(),
            format!("Member must have value greater than or equal to {min}"),
        ));
    }
    if value > max {
        return Err(WafError::constraint(
            pointer,
            value.to_string(),
            format!("Member must have value less than or equal to {max}"),
        ));
    }
    Ok(())
}

/// Checks a list length against the model's bounds.
pub(crate) fn check_items(n: usize, pointer: &str, min: usize, max: usize) -> Result<(), WafError> {
    if n < min {
        return Err(WafError::constraint(
            pointer,
            format!("{n} items"),
            format!("Member must have length greater than or equal to {min}"),
        ));
    }
    if n > max {
        return Err(WafError::constraint(
            pointer,
            format!("{n} items"),
            format!("Member must have length less than or equal to {max}"),
        ));
    }
    Ok(())
}

/// Checks that a string only holds characters accepted by `ok`, reporting `pattern` otherwise.
pub(crate) fn check_chars(
    value: &str,
    pointer: &str,
    pattern: &str,
    ok: impl Fn(char) -> bool,
) -> Result<(), WafError> {
    json_cursor::check_chars(value, pointer, pattern, ok)
}

/// The AWS entity name pattern `^[\w\-]+$`, 1..=128.
pub(crate) fn check_entity_name(value: &str, pointer: &str) -> Result<(), WafError> {
    check_len(value, pointer, 1, 128)?;
    check_chars(value, pointer, r"^[\w\-]+$", |c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// The label pattern `^[0-9A-Za-z_\-:]+$`, 1..=1024.
pub(crate) fn check_label(value: &str, pointer: &str) -> Result<(), WafError> {
    check_len(value, pointer, 1, 1024)?;
    check_chars(value, pointer, r"^[0-9A-Za-z_\-:]+$", |c| {
        c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == ':'
    })
}
