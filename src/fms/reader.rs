//! Firewall Manager's side of the shared JSON cursor (`common::json_cursor`): its errors as
//! `FmsError`, the readers only the FMS model needs (booleans, clock seconds, arrays bounded in
//! size) and the FMS API reference's constraint checks (names, tags, account and OU IDs).
//! Knows nothing of Firewall Manager semantics (see `org` and `policy`).

use serde_json::Value;

use super::error::{display_pointer, shorten, FmsError};
use crate::common::json_cursor::{self, CursorError};

pub(crate) use crate::common::json_cursor::child;

/// A JSON object being read member by member (the shared cursor, with Firewall Manager errors).
pub(crate) type Obj<'a> = json_cursor::Obj<'a, FmsError>;

impl CursorError for FmsError {
    fn wrong_type(pointer: &str, expected: &str) -> Self {
        wrong(pointer, expected)
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

/// The readers only the FMS model needs.
impl<'a> Obj<'a> {
    pub(crate) fn req_bool(&self, name: &str) -> Result<bool, FmsError> {
        as_bool(self.req(name)?, &self.at(name))
    }

    pub(crate) fn opt_bool(&self, name: &str) -> Result<Option<bool>, FmsError> {
        self.opt(name).map(|v| as_bool(v, &self.at(name))).transpose()
    }

    /// An optional non-negative integer (seconds on the simulated clock).
    pub(crate) fn opt_u64(&self, name: &str) -> Result<Option<u64>, FmsError> {
        self.opt(name)
            .map(|v| v.as_u64().ok_or_else(|| wrong(&self.at(name), "a non-negative integer")))
            .transpose()
    }

    /// An optional array member (absent = empty), with its items and their pointers, at most
    /// `max` items.
    pub(crate) fn opt_array(&self, name: &str, max: usize) -> Result<Vec<(&'a Value, String)>, FmsError> {
        match self.opt(name) {
            Some(v) => as_array(v, &self.at(name), max),
            None => Ok(Vec::new()),
        }
    }
}

pub(crate) fn wrong(pointer: &str, expected: &str) -> FmsError {
    FmsError::WrongType { pointer: display_pointer(pointer), expected: expected.to_owned() }
}

pub(crate) fn as_str<'a>(value: &'a Value, pointer: &str) -> Result<&'a str, FmsError> {
    json_cursor::as_str(value, pointer)
}

pub(crate) fn check_enum(value: &str, pointer: &str, values: &[&str]) -> Result<(), FmsError> {
    json_cursor::check_enum(value, pointer, values)
}

/// Checks a string length (in characters) against the model's bounds.
pub(crate) fn check_len(value: &str, pointer: &str, min: usize, max: usize) -> Result<(), FmsError> {
    json_cursor::check_len(value, pointer, min, max)
}

pub(crate) fn as_bool(value: &Value, pointer: &str) -> Result<bool, FmsError> {
    value.as_bool().ok_or_else(|| wrong(pointer, "a boolean"))
}

/// An array's items with their pointers; more than `max` items is a `LimitExceeded`.
pub(crate) fn as_array<'a>(
    value: &'a Value,
    pointer: &str,
    max: usize,
) -> Result<Vec<(&'a Value, String)>, FmsError> {
    let items = value.as_array().ok_or_else(|| wrong(pointer, "an array"))?;
    if items.len() > max {
        return Err(FmsError::limit(pointer, format!("{} items; at most {max} are accepted", items.len())));
    }
    Ok(items.iter().enumerate().map(|(i, v)| (v, child(pointer, &i.to_string()))).collect())
}

/// The FMS name pattern `^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$` (`PolicyName`, `ResourceSet.Name`,
/// `ResourceType`), within `min..=max` characters.
pub(crate) fn check_fms_name(value: &str, pointer: &str, min: usize, max: usize) -> Result<(), FmsError> {
    check_len(value, pointer, min, max)?;
    check_pattern(value, pointer, r"^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$", |c| {
        c.is_alphanumeric() || c.is_whitespace() || "_.:/=+-@".contains(c)
    })
}

/// The `ResourceTag` pattern `^([\p{L}\p{Z}\p{N}_.:\/=+\-@*\\]*)$`.
pub(crate) fn check_tag(value: &str, pointer: &str, min: usize, max: usize) -> Result<(), FmsError> {
    check_len(value, pointer, min, max)?;
    check_pattern(value, pointer, r"^([\p{L}\p{Z}\p{N}_.:\/=+\-@*\\]*)$", |c| {
        c.is_alphanumeric() || c.is_whitespace() || "_.:/=+-@*\\".contains(c)
    })
}

/// Checks that a string holds only characters accepted by `ok`, reporting `pattern` otherwise.
pub(crate) fn check_pattern(
    value: &str,
    pointer: &str,
    pattern: &str,
    ok: impl Fn(char) -> bool,
) -> Result<(), FmsError> {
    json_cursor::check_chars(value, pointer, pattern, ok)
}

/// An AWS account ID: twelve digits (`^[0-9]+$`, length 1–1024 in the FMS model; AWS account
/// IDs are always twelve digits).
pub(crate) fn check_account_id(value: &str, pointer: &str) -> Result<(), FmsError> {
    if value.len() == 12 && value.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(FmsError::constraint(pointer, value, "an AWS account ID is twelve digits"))
    }
}

/// An Organizations OU ID (`^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$`) or root ID (`^r-[0-9a-z]{4,32}$`).
pub(crate) fn check_ou_id(value: &str, pointer: &str) -> Result<(), FmsError> {
    let lower = |s: &str, min: usize, max: usize| {
        (min..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit() || b.is_ascii_lowercase())
    };
    let ok = if let Some(rest) = value.strip_prefix("ou-") {
        rest.split_once('-').is_some_and(|(a, b)| lower(a, 4, 32) && lower(b, 8, 32))
    } else if let Some(rest) = value.strip_prefix("r-") {
        lower(rest, 4, 32)
    } else {
        false
    };
    if ok {
        Ok(())
    } else {
        Err(FmsError::constraint(
            pointer,
            value,
            r"Member must satisfy regular expression pattern: ^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$ or ^r-[0-9a-z]{4,32}$",
        ))
    }
}
