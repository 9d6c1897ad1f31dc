//! Policy JSON with positions: the shared reader ([`crate::common::json_source`]) with its
//! failures as [`PolicyError`]s, and its tree types under the names the policy engine uses.
//!
//! The positions are what let the engine point at the statement or element that decided a
//! request, and let validation underline findings in place.

pub use crate::common::json_source::{Member, Node, NodeValue, Pos, Span, MAX_SOURCE_BYTES};

use crate::common::json_source::{self, JsonError};

use super::error::PolicyError;

/// Parses policy or evaluation-input JSON text into a [`Node`] tree with positions.
pub fn parse_json(text: &str) -> Result<Node, PolicyError> {
    json_source::parse_json(text).map_err(PolicyError::from)
}

impl From<JsonError> for PolicyError {
    fn from(e: JsonError) -> Self {
        match e {
            JsonError::Malformed { line, column, message } => {
                PolicyError::MalformedJson { line, column, message }
            }
            JsonError::TooLarge { limit } => PolicyError::TooLarge { limit },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_are_policy_errors() {
        let e = parse_json("{\n \"a\": [1,, 2]}").unwrap_err();
        assert_eq!(e, PolicyError::MalformedJson { line: 2, column: 10, message: "expected a value".into() });
        assert_eq!(e.to_string(), "malformed json at 2:10: expected a value");
        let big = " ".repeat(MAX_SOURCE_BYTES + 1);
        assert_eq!(parse_json(&big).unwrap_err(), PolicyError::TooLarge { limit: MAX_SOURCE_BYTES });
    }
}
