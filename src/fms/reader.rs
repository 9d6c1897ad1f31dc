//! A cursor over a JSON object that tracks its JSON pointer and rejects members the model does
//! not define, with the FMS API reference's constraint checks (lengths, patterns, enums, list
//! sizes). Knows nothing of Firewall Manager semantics (see `org` and `policy`).

use serde_json::{Map, Value};

use super::error::{display_pointer, shorten, FmsError};

/// Appends one reference token to a JSON pointer, escaping `~` and `/`.
pub(crate) fn child(pointer: &str, token: &str) -> String {
    let escaped = token.replace('~', "~0").replace('/', "~1");
    format!("{pointer}/{escaped}")
}

/// A JSON object being read member by member.
pub(crate) struct Obj<'a> {
    map: &'a Map<String, Value>,
    pointer: String,
}

impl<'a> Obj<'a> {
    /// Opens `value` as an object whose members must be among `allowed`.
    pub(crate) fn new(value: &'a Value, pointer: &str, allowed: &[&str]) -> Result<Self, FmsError> {
        let map = value.as_object().ok_or_else(|| wrong(pointer, "an object"))?;
        for name in map.keys() {
            if !allowed.contains(&name.as_str()) {
                return Err(FmsError::UnknownField {
                    pointer: display_pointer(pointer),
                    name: shorten(name),
                    expected: allowed.join(", "),
                });
            }
        }
        Ok(Self { map, pointer: pointer.to_owned() })
    }

    /// The pointer of one member.
    pub(crate) fn at(&self, name: &str) -> String {
        child(&self.pointer, name)
    }

    /// An optional member (null counts as absent).
    pub(crate) fn opt(&self, name: &str) -> Option<&'a Value> {
        self.map.get(name).filter(|v| !v.is_null())
    }

    /// A required member.
    pub(crate) fn req(&self, name: &str) -> Result<&'a Value, FmsError> {
        self.opt(name).ok_or_else(|| FmsError::MissingField {
            pointer: display_pointer(&self.pointer),
            name: name.to_owned(),
        })
    }

    pub(crate) fn req_str(&self, name: &str) -> Result<&'a str, FmsError> {
        as_str(self.req(name)?, &self.at(name))
    }

    pub(crate) fn opt_str(&self, name: &str) -> Result<Option<&'a str>, FmsError> {
        self.opt(name).map(|v| as_str(v, &self.at(name))).transpose()
    }

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

    /// An optional string member checked against an enum.
    pub(crate) fn opt_enum(&self, name: &str, values: &[&str]) -> Result<Option<&'a str>, FmsError> {
        let s = self.opt_str(name)?;
        if let Some(s) = s {
            check_enum(s, &self.at(name), values)?;
        }
        Ok(s)
    }
}

pub(crate) fn wrong(pointer: &str, expected: &str) -> FmsError {
    FmsError::WrongType { pointer: display_pointer(pointer), expected: expected.to_owned() }
}

pub(crate) fn as_str<'a>(value: &'a Value, pointer: &str) -> Result<&'a str, FmsError> {
    value.as_str().ok_or_else(|| wrong(pointer, "a string"))
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

pub(crate) fn check_enum(value: &str, pointer: &str, values: &[&str]) -> Result<(), FmsError> {
    if values.contains(&value) {
        Ok(())
    } else {
        Err(FmsError::constraint(
            pointer,
            value,
            format!("Member must satisfy enum value set: [{}]", values.join(", ")),
        ))
    }
}

/// Checks a string length (in characters) against the model's bounds.
pub(crate) fn check_len(value: &str, pointer: &str, min: usize, max: usize) -> Result<(), FmsError> {
    let n = value.chars().count();
    if n < min {
        return Err(FmsError::constraint(
            pointer,
            value,
            format!("Member must have length greater than or equal to {min}"),
        ));
    }
    if n > max {
        return Err(FmsError::constraint(
            pointer,
            value,
            format!("Member must have length less than or equal to {max}"),
        ));
    }
    Ok(())
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
    if value.chars().all(ok) {
        Ok(())
    } else {
        Err(FmsError::constraint(
            pointer,
            value,
            format!("Member must satisfy regular expression pattern: {pattern}"),
        ))
    }
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
