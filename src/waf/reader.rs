//! A cursor over a JSON object that tracks its JSON pointer, hands out members once, and
//! rejects members the WAFv2 model does not define.
//!
//! This is the only place that knows how JSON types map to model types; it knows nothing of
//! WAF semantics (see `parse`).

use serde_json::{Map, Value};

use super::error::{display_pointer, shorten, WafError};

/// Appends one reference token to a JSON pointer, escaping `~` and `/`.
pub(crate) fn child(pointer: &str, token: &str) -> String {
    let escaped = token.replace('~', "~0").replace('/', "~1");
    format!("{pointer}/{escaped}")
}

/// A JSON object being read member by member.
pub(crate) struct Obj<'a> {
    map: &'a Map<String, Value>,
    pointer: String,
    allowed: &'static [&'static str],
}

impl<'a> Obj<'a> {
    /// Opens `value` as an object whose members must be among `allowed`.
    pub(crate) fn new(
        value: &'a Value,
        pointer: &str,
        allowed: &'static [&'static str],
    ) -> Result<Self, WafError> {
        let map = value.as_object().ok_or_else(|| WafError::WrongType {
            pointer: display_pointer(pointer),
            expected: "an object".to_owned(),
        })?;
        for name in map.keys() {
            if !allowed.contains(&name.as_str()) {
                return Err(WafError::UnknownField {
                    pointer: display_pointer(pointer),
                    name: shorten(name),
                    expected: allowed.join(", "),
                });
            }
        }
        Ok(Self { map, pointer: pointer.to_owned(), allowed })
    }

    /// The pointer of one member.
    pub(crate) fn at(&self, name: &str) -> String {
        child(&self.pointer, name)
    }

    /// Whether the member is present (and not null).
    pub(crate) fn has(&self, name: &str) -> bool {
        self.map.get(name).is_some_and(|v| !v.is_null())
    }

    /// Names of the present members (for "exactly one of" checks).
    pub(crate) fn present(&self) -> Vec<&'a str> {
        self.map
            .iter()
            .filter(|(k, v)| !v.is_null() && self.allowed.contains(&k.as_str()))
            .map(|(k, _)| k.as_str())
            .collect()
    }

    /// An optional member.
    pub(crate) fn opt(&self, name: &str) -> Option<&'a Value> {
        self.map.get(name).filter(|v| !v.is_null())
    }

    /// A required member.
    pub(crate) fn req(&self, name: &str) -> Result<&'a Value, WafError> {
        self.opt(name).ok_or_else(|| WafError::MissingField {
            pointer: display_pointer(&self.pointer),
            name: name.to_owned(),
        })
    }

    pub(crate) fn req_str(&self, name: &str) -> Result<&'a str, WafError> {
        as_str(self.req(name)?, &self.at(name))
    }

    pub(crate) fn opt_str(&self, name: &str) -> Result<Option<&'a str>, WafError> {
        // The pointer is built only for the error (this runs for every request evaluated).
        self.opt(name).map(|v| v.as_str().map_or_else(|| as_str(v, &self.at(name)), Ok)).transpose()
    }

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

    /// A required string member checked against an enum.
    pub(crate) fn req_enum(&self, name: &str, values: &[&str]) -> Result<&'a str, WafError> {
        let s = self.req_str(name)?;
        check_enum(s, &self.at(name), values)?;
        Ok(s)
    }

    /// An optional string member checked against an enum.
    pub(crate) fn opt_enum(&self, name: &str, values: &[&str]) -> Result<Option<&'a str>, WafError> {
        let s = self.opt_str(name)?;
        if let Some(s) = s {
            check_enum(s, &self.at(name), values)?;
        }
        Ok(s)
    }
}

pub(crate) fn as_str<'a>(value: &'a Value, pointer: &str) -> Result<&'a str, WafError> {
    value.as_str().ok_or_else(|| WafError::WrongType {
        pointer: display_pointer(pointer),
        expected: "a string".to_owned(),
    })
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
    if values.contains(&value) {
        Ok(())
    } else {
        Err(WafError::constraint(
            pointer,
            value,
            format!("Member must satisfy enum value set: [{}]", values.join(", ")),
        ))
    }
}

/// Checks a string length (in characters) against the model's bounds.
pub(crate) fn check_len(value: &str, pointer: &str, min: usize, max: usize) -> Result<(), WafError> {
    let n = value.chars().count();
    if n < min {
        return Err(WafError::constraint(
            pointer,
            value,
            format!("Member must have length greater than or equal to {min}"),
        ));
    }
    if n > max {
        return Err(WafError::constraint(
            pointer,
            value,
            format!("Member must have length less than or equal to {max}"),
        ));
    }
    Ok(())
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
    if value.chars().all(ok) {
        Ok(())
    } else {
        Err(WafError::constraint(
            pointer,
            value,
            format!("Member must satisfy regular expression pattern: {pattern}"),
        ))
    }
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
