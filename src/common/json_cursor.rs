//! A cursor over a JSON object that tracks its JSON pointer, rejects members the model does not
//! define, and reads members as model types, with the AWS API models' constraint checks
//! (enums, string lengths, patterns). Shared by the engines that read AWS JSON (the WAF and
//! Firewall Manager); each maps the failures into its own error enum through [`CursorError`]
//! and adds the readers only it needs in its own `reader` module. Knows nothing of either
//! engine's semantics.

use std::marker::PhantomData;

use serde_json::{Map, Value};

/// How an engine's error enum says what the cursor found wrong. Pointers are passed as built
/// (the root is the empty string); the engine decides how to show them.
pub(crate) trait CursorError: Sized {
    /// The value at `pointer` is not `expected` (`a string`, `an object`, …).
    fn wrong_type(pointer: &str, expected: &str) -> Self;
    /// The object at `pointer` has a member `name` the model does not define.
    fn unknown_field(pointer: &str, name: &str, expected: String) -> Self;
    /// The object at `pointer` lacks the required member `name`.
    fn missing_field(pointer: &str, name: &str) -> Self;
    /// The value at `pointer` breaks a model constraint (AWS's wording in `constraint`).
    fn constraint(pointer: &str, value: &str, constraint: String) -> Self;
}

/// Appends one reference token to a JSON pointer, escaping `~` and `/`.
pub(crate) fn child(pointer: &str, token: &str) -> String {
    let escaped = token.replace('~', "~0").replace('/', "~1");
    format!("{pointer}/{escaped}")
}

/// A JSON object being read member by member; errors are `E`.
pub(crate) struct Obj<'a, E> {
    map: &'a Map<String, Value>,
    pointer: String,
    allowed: &'static [&'static str],
    error: PhantomData<fn() -> E>,
}

impl<'a, E: CursorError> Obj<'a, E> {
    /// Opens `value` as an object whose members must be among `allowed`.
    pub(crate) fn new(value: &'a Value, pointer: &str, allowed: &'static [&'static str]) -> Result<Self, E> {
        let map = value.as_object().ok_or_else(|| E::wrong_type(pointer, "an object"))?;
        for name in map.keys() {
            if !allowed.contains(&name.as_str()) {
                return Err(E::unknown_field(pointer, name, allowed.join(", ")));
            }
        }
        Ok(Self { map, pointer: pointer.to_owned(), allowed, error: PhantomData })
    }

    /// The pointer of one member.
    pub(crate) fn at(&self, name: &str) -> String {
        child(&self.pointer, name)
    }

    /// Whether the member is present (and not null).
    pub(crate) fn has(&self, name: &str) -> bool {
        self.opt(name).is_some()
    }

    /// Names of the present members (for "exactly one of" checks).
    pub(crate) fn present(&self) -> Vec<&'a str> {
        self.map
            .iter()
            .filter(|(k, v)| !v.is_null() && self.allowed.contains(&k.as_str()))
            .map(|(k, _)| k.as_str())
            .collect()
    }

    /// An optional member (null counts as absent).
    pub(crate) fn opt(&self, name: &str) -> Option<&'a Value> {
        self.map.get(name).filter(|v| !v.is_null())
    }

    /// A required member.
    pub(crate) fn req(&self, name: &str) -> Result<&'a Value, E> {
        self.opt(name).ok_or_else(|| E::missing_field(&self.pointer, name))
    }

    /// A required string member.
    pub(crate) fn req_str(&self, name: &str) -> Result<&'a str, E> {
        as_str(self.req(name)?, &self.at(name))
    }

    /// An optional string member.
    pub(crate) fn opt_str(&self, name: &str) -> Result<Option<&'a str>, E> {
        // The pointer is built only for the error (this runs for every request evaluated).
        self.opt(name).map(|v| v.as_str().map_or_else(|| as_str(v, &self.at(name)), Ok)).transpose()
    }

    /// A required string member checked against an enum.
    pub(crate) fn req_enum(&self, name: &str, values: &[&str]) -> Result<&'a str, E> {
        let s = self.req_str(name)?;
        check_enum(s, &self.at(name), values)?;
        Ok(s)
    }

    /// An optional string member checked against an enum.
    pub(crate) fn opt_enum(&self, name: &str, values: &[&str]) -> Result<Option<&'a str>, E> {
        let s = self.opt_str(name)?;
        if let Some(s) = s {
            check_enum(s, &self.at(name), values)?;
        }
        Ok(s)
    }
}

/// A string value.
pub(crate) fn as_str<'a, E: CursorError>(value: &'a Value, pointer: &str) -> Result<&'a str, E> {
    value.as_str().ok_or_else(|| E::wrong_type(pointer, "a string"))
}

/// Checks a string against an enum.
pub(crate) fn check_enum<E: CursorError>(value: &str, pointer: &str, values: &[&str]) -> Result<(), E> {
    if values.contains(&value) {
        Ok(())
    } else {
        Err(E::constraint(
            pointer,
            value,
            format!("Member must satisfy enum value set: [{}]", values.join(", ")),
        ))
    }
}

/// Checks a string length (in characters) against the model's bounds.
pub(crate) fn check_len<E: CursorError>(value: &str, pointer: &str, min: usize, max: usize) -> Result<(), E> {
    let n = value.chars().count();
    if n < min {
        return Err(E::constraint(
            pointer,
            value,
            format!("Member must have length greater than or equal to {min}"),
        ));
    }
    if n > max {
        return Err(E::constraint(
            pointer,
            value,
            format!("Member must have length less than or equal to {max}"),
        ));
    }
    Ok(())
}

/// Checks that a string holds only characters accepted by `ok`, reporting the model's `pattern`
/// otherwise.
pub(crate) fn check_chars<E: CursorError>(
    value: &str,
    pointer: &str,
    pattern: &str,
    ok: impl Fn(char) -> bool,
) -> Result<(), E> {
    if value.chars().all(ok) {
        Ok(())
    } else {
        Err(E::constraint(
            pointer,
            value,
            format!("Member must satisfy regular expression pattern: {pattern}"),
        ))
    }
}
