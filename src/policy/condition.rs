//! Condition clauses and condition operator names (`ForAnyValue:StringLikeIfExists` and so on).
//!
//! This is the grammar of the `Condition` element: which operators exist, their qualifiers, and
//! one parsed clause (operator, key, values). Evaluating a clause is in `operators.rs`.

use super::document::Located;
use super::pattern::Template;
use super::source::Span;

/// The operator families and their members.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BaseOp {
    StringEquals,
    StringNotEquals,
    StringEqualsIgnoreCase,
    StringNotEqualsIgnoreCase,
    StringLike,
    StringNotLike,
    NumericEquals,
    NumericNotEquals,
    NumericLessThan,
    NumericLessThanEquals,
    NumericGreaterThan,
    NumericGreaterThanEquals,
    DateEquals,
    DateNotEquals,
    DateLessThan,
    DateLessThanEquals,
    DateGreaterThan,
    DateGreaterThanEquals,
    Bool,
    BinaryEquals,
    IpAddress,
    NotIpAddress,
    ArnEquals,
    ArnLike,
    ArnNotEquals,
    ArnNotLike,
    Null,
}

/// Every base operator with its name, for parsing and for validation messages.
pub const BASE_OPS: [(&str, BaseOp); 27] = [
    ("StringEquals", BaseOp::StringEquals),
    ("StringNotEquals", BaseOp::StringNotEquals),
    ("StringEqualsIgnoreCase", BaseOp::StringEqualsIgnoreCase),
    ("StringNotEqualsIgnoreCase", BaseOp::StringNotEqualsIgnoreCase),
    ("StringLike", BaseOp::StringLike),
    ("StringNotLike", BaseOp::StringNotLike),
    ("NumericEquals", BaseOp::NumericEquals),
    ("NumericNotEquals", BaseOp::NumericNotEquals),
    ("NumericLessThan", BaseOp::NumericLessThan),
    ("NumericLessThanEquals", BaseOp::NumericLessThanEquals),
    ("NumericGreaterThan", BaseOp::NumericGreaterThan),
    ("NumericGreaterThanEquals", BaseOp::NumericGreaterThanEquals),
    ("DateEquals", BaseOp::DateEquals),
    ("DateNotEquals", BaseOp::DateNotEquals),
    ("DateLessThan", BaseOp::DateLessThan),
    ("DateLessThanEquals", BaseOp::DateLessThanEquals),
    ("DateGreaterThan", BaseOp::DateGreaterThan),
    ("DateGreaterThanEquals", BaseOp::DateGreaterThanEquals),
    ("Bool", BaseOp::Bool),
    ("BinaryEquals", BaseOp::BinaryEquals),
    ("IpAddress", BaseOp::IpAddress),
    ("NotIpAddress", BaseOp::NotIpAddress),
    ("ArnEquals", BaseOp::ArnEquals),
    ("ArnLike", BaseOp::ArnLike),
    ("ArnNotEquals", BaseOp::ArnNotEquals),
    ("ArnNotLike", BaseOp::ArnNotLike),
    ("Null", BaseOp::Null),
];

/// Which family an operator belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    String,
    Numeric,
    Date,
    Bool,
    Binary,
    Ip,
    Arn,
    Null,
}

impl BaseOp {
    /// The operator's name as AWS writes it.
    pub fn name(self) -> &'static str {
        BASE_OPS.iter().find(|(_, op)| *op == self).map_or("", |(n, _)| n)
    }

    /// Negated operators (`...Not...`) match when no value matches, and when the key is absent.
    pub fn negated(self) -> bool {
        use BaseOp::*;
        matches!(
            self,
            StringNotEquals
                | StringNotEqualsIgnoreCase
                | StringNotLike
                | NumericNotEquals
                | DateNotEquals
                | NotIpAddress
                | ArnNotEquals
                | ArnNotLike
        )
    }

    /// The operator family.
    pub fn family(self) -> Family {
        use BaseOp::*;
        match self {
            StringEquals
            | StringNotEquals
            | StringEqualsIgnoreCase
            | StringNotEqualsIgnoreCase
            | StringLike
            | StringNotLike => Family::String,
            NumericEquals
            | NumericNotEquals
            | NumericLessThan
            | NumericLessThanEquals
            | NumericGreaterThan
            | NumericGreaterThanEquals => Family::Numeric,
            DateEquals
            | DateNotEquals
            | DateLessThan
            | DateLessThanEquals
            | DateGreaterThan
            | DateGreaterThanEquals => Family::Date,
            Bool => Family::Bool,
            BinaryEquals => Family::Binary,
            IpAddress | NotIpAddress => Family::Ip,
            ArnEquals | ArnLike | ArnNotEquals | ArnNotLike => Family::Arn,
            Null => Family::Null,
        }
    }
}

/// `ForAnyValue:` / `ForAllValues:`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetOp {
    ForAnyValue,
    ForAllValues,
}

/// A full operator: optional set qualifier, base operator, optional `IfExists`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operator {
    pub set: Option<SetOp>,
    pub base: BaseOp,
    pub if_exists: bool,
}

impl Operator {
    /// Parses an operator name; `None` when AWS does not know it. Names are matched exactly
    /// as AWS documents them, except that the qualifier prefix ignores case.
    pub fn parse(name: &str) -> Option<Operator> {
        let (set, rest) = match name.split_once(':') {
            Some((q, rest)) if q.eq_ignore_ascii_case("ForAnyValue") => (Some(SetOp::ForAnyValue), rest),
            Some((q, rest)) if q.eq_ignore_ascii_case("ForAllValues") => (Some(SetOp::ForAllValues), rest),
            Some(_) => return None,
            None => (None, name),
        };
        let (base_name, if_exists) = match rest.strip_suffix("IfExists") {
            Some(b) => (b, true),
            None => (rest, false),
        };
        let base = BASE_OPS.iter().find(|(n, _)| *n == base_name).map(|(_, op)| *op)?;
        if base == BaseOp::Null && if_exists {
            return None;
        }
        Some(Operator { set, base, if_exists })
    }

    /// The canonical name.
    pub fn name(&self) -> String {
        let prefix = match self.set {
            Some(SetOp::ForAnyValue) => "ForAnyValue:",
            Some(SetOp::ForAllValues) => "ForAllValues:",
            None => "",
        };
        let suffix = if self.if_exists { "IfExists" } else { "" };
        format!("{prefix}{}{suffix}", self.base.name())
    }
}

/// One clause: `"Operator": {"key": [values]}` contributes one clause per key.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    pub operator: Operator,
    /// The operator as written.
    pub operator_source: String,
    pub operator_span: Option<Span>,
    /// The condition key as written (matched case-insensitively).
    pub key: String,
    /// The key in lower case, for context lookups.
    pub key_lower: String,
    pub key_span: Option<Span>,
    /// The values (ORed); numbers and booleans are kept as their text.
    pub values: Vec<Located<Template>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_operator_names() {
        let op = Operator::parse("ForAllValues:StringLikeIfExists").unwrap();
        assert_eq!(op.set, Some(SetOp::ForAllValues));
        assert_eq!(op.base, BaseOp::StringLike);
        assert!(op.if_exists);
        assert_eq!(op.name(), "ForAllValues:StringLikeIfExists");
        assert!(Operator::parse("NullIfExists").is_none());
        assert!(Operator::parse("StringEqual").is_none());
        assert!(Operator::parse("Sometimes:StringEquals").is_none());
        assert!(BaseOp::NotIpAddress.negated());
        assert!(!BaseOp::Null.negated());
    }
}
