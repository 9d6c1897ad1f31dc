//! Evaluates one condition clause against the request context, as AWS documents it.
//!
//! Rules: several values in a clause are ORed (negated operators: NOR); a missing key makes a
//! positive operator false and a negated one true; `ForAnyValue:` is false and `ForAllValues:`
//! true on a missing or empty set, with or without `...IfExists` (the set operator decides
//! first); otherwise `...IfExists` makes a missing key true. A policy variable with no value
//! stands for a null value that nothing equals or is like: that one policy value matches no
//! request value, so positive operators fail on it and negated ones hold, while the clause's
//! other values are compared as usual. Combining clauses (AND) is in `statement.rs`.

use std::borrow::Cow;

use base64::Engine as _;

use super::condition::{BaseOp, Condition, Family, SetOp};
use super::pattern::Glob;
use super::request::Context;
use crate::common::date::parse_date;
use crate::common::ip::{parse_addr, Cidr};

/// What evaluating a clause found, besides its truth value.
#[derive(Debug, Default)]
pub struct ClauseNotes {
    /// Condition keys or variable keys that the request did not supply.
    pub missing: Vec<String>,
}

/// A policy value resolved for one evaluation.
enum Resolved<'a> {
    Text(Cow<'a, str>),
    Glob(Cow<'a, Glob>),
}

/// Evaluates a clause; records absent keys in `notes`.
pub fn eval_condition(c: &Condition, ctx: &Context, notes: &mut ClauseNotes) -> bool {
    let op = c.operator;
    let present = ctx.get(&c.key_lower).filter(|v| !v.values.is_empty());
    if present.is_none() {
        notes.missing.push(c.key.clone());
    }
    if op.base == BaseOp::Null {
        return eval_null(c, present.map(|v| v.values.as_slice()));
    }
    let Some(value) = present else {
        return match (op.set, op.if_exists) {
            // The set operator is resolved before `IfExists`: a missing set has no value for
            // `ForAnyValue` to find, and nothing for `ForAllValues` to contradict.
            (Some(SetOp::ForAllValues), _) => true,
            (Some(SetOp::ForAnyValue), _) => false,
            (None, true) => true,
            (None, false) => op.base.negated(),
        };
    };
    let wildcards = matches!(
        op.base,
        BaseOp::StringLike
            | BaseOp::StringNotLike
            | BaseOp::ArnLike
            | BaseOp::ArnNotLike
            | BaseOp::ArnEquals
            | BaseOp::ArnNotEquals
    );
    let mut policy_values = Vec::with_capacity(c.values.len());
    for v in &c.values {
        let r = if wildcards {
            v.value.resolve_glob(ctx, true).map(Resolved::Glob)
        } else {
            v.value.resolve_text(ctx).map(Resolved::Text)
        };
        match r {
            Ok(x) => policy_values.push(x),
            // A policy variable without a value: this policy value is null and matches no
            // request value; the others still count.
            Err(key) => notes.missing.push(key),
        }
    }
    let single = |v: &str| -> bool {
        match positive_any(op.base, v, &policy_values) {
            None => false,
            Some(m) => m != op.base.negated(),
        }
    };
    let values = value.values.iter().map(String::as_str);
    match op.set {
        Some(SetOp::ForAnyValue) => values.clone().any(single),
        Some(SetOp::ForAllValues) => values.clone().all(single),
        None if op.base.negated() => values.clone().all(single),
        None => values.clone().any(single),
    }
}

fn eval_null(c: &Condition, present: Option<&[String]>) -> bool {
    let wants = |p: &str, is_null: bool| {
        (p.eq_ignore_ascii_case("true") && is_null) || (p.eq_ignore_ascii_case("false") && !is_null)
    };
    let any_value = |is_null: bool| c.values.iter().any(|p| wants(p.value.source(), is_null));
    match (c.operator.set, present) {
        (None, p) => any_value(p.is_none()),
        // As a set operator, each present value is tested for being null (it never is).
        (Some(SetOp::ForAllValues), None) => true,
        (Some(SetOp::ForAnyValue), None) => false,
        (Some(_), Some(_)) => any_value(false),
    }
}

/// Whether a context value matches any policy value under the positive form of the operator;
/// `None` when the context value cannot be read as the operator's type.
fn positive_any(base: BaseOp, v: &str, ps: &[Resolved]) -> Option<bool> {
    use BaseOp::*;
    let texts = || {
        ps.iter().filter_map(|p| match p {
            Resolved::Text(t) => Some(t.as_ref()),
            Resolved::Glob(_) => None,
        })
    };
    let globs = || {
        ps.iter().filter_map(|p| match p {
            Resolved::Glob(g) => Some(g.as_ref()),
            Resolved::Text(_) => None,
        })
    };
    Some(match base.family() {
        Family::String => match base {
            StringEquals | StringNotEquals => texts().any(|p| p == v),
            StringEqualsIgnoreCase | StringNotEqualsIgnoreCase => {
                let lv = v.to_lowercase();
                texts().any(|p| p.to_lowercase() == lv)
            }
            _ => globs().any(|g| g.matches(v, false)),
        },
        Family::Numeric => {
            let x: f64 = v.trim().parse().ok()?;
            texts().filter_map(|p| p.trim().parse::<f64>().ok()).any(|p| compare(base, x.partial_cmp(&p)))
        }
        Family::Date => {
            let x = parse_date(v)?;
            texts().filter_map(parse_date).any(|p| compare(base, Some(x.cmp(&p))))
        }
        Family::Bool => {
            let x = parse_bool(v)?;
            texts().filter_map(parse_bool).any(|p| p == x)
        }
        Family::Binary => {
            let engine = base64::engine::general_purpose::STANDARD;
            let x = engine.decode(v.trim()).ok();
            texts().any(|p| match (&x, engine.decode(p.trim()).ok()) {
                (Some(a), Some(b)) => *a == b,
                _ => p == v,
            })
        }
        Family::Ip => {
            let ip = parse_addr(v)?;
            texts().filter_map(|t| Cidr::parse(t).ok()).any(|c| c.contains(ip))
        }
        Family::Arn => {
            super::pattern::split_arn(v)?;
            globs().any(|g| g.matches_arn_operator(v) == Some(true))
        }
        Family::Null => return None,
    })
}

fn parse_bool(s: &str) -> Option<bool> {
    if s.eq_ignore_ascii_case("true") {
        Some(true)
    } else if s.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// Applies a numeric or date comparison operator to `context.cmp(policy)`.
fn compare(base: BaseOp, ord: Option<std::cmp::Ordering>) -> bool {
    use std::cmp::Ordering::*;
    use BaseOp::*;
    let Some(o) = ord else { return false };
    match base {
        NumericEquals | NumericNotEquals | DateEquals | DateNotEquals => o == Equal,
        NumericLessThan | DateLessThan => o == Less,
        NumericLessThanEquals | DateLessThanEquals => o != Greater,
        NumericGreaterThan | DateGreaterThan => o == Greater,
        NumericGreaterThanEquals | DateGreaterThanEquals => o != Less,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::parse::parse_policy;

    fn clause(op: &str, key: &str, values: &str) -> Condition {
        let text = format!(
            r#"{{"Version":"2012-10-17","Statement":{{"Effect":"Allow","Action":"*","Condition":{{"{op}":{{"{key}":{values}}}}}}}}}"#
        );
        parse_policy(&text).unwrap().statements[0].conditions[0].clone()
    }

    fn ctx(pairs: &[(&str, &[&str], bool)]) -> Context {
        let mut c = Context::default();
        for (k, v, multi) in pairs {
            c.insert(k, v.iter().map(|s| s.to_string()).collect(), *multi);
        }
        c
    }

    fn eval(c: &Condition, cx: &Context) -> bool {
        eval_condition(c, cx, &mut ClauseNotes::default())
    }

    #[test]
    fn missing_keys() {
        let empty = Context::default();
        assert!(!eval(&clause("StringEquals", "k", "\"a\""), &empty));
        assert!(eval(&clause("StringNotEquals", "k", "\"a\""), &empty));
        assert!(eval(&clause("StringEqualsIfExists", "k", "\"a\""), &empty));
        assert!(eval(&clause("ForAllValues:StringEquals", "k", "\"a\""), &empty));
        assert!(!eval(&clause("ForAnyValue:StringEquals", "k", "\"a\""), &empty));
        // The set operator decides before `IfExists`.
        assert!(!eval(&clause("ForAnyValue:StringEqualsIfExists", "k", "\"a\""), &empty));
        assert!(eval(&clause("ForAllValues:StringEqualsIfExists", "k", "\"a\""), &empty));
        assert!(eval(&clause("Null", "k", "\"true\""), &empty));
        assert!(!eval(&clause("Null", "k", "\"false\""), &empty));
        let mut notes = ClauseNotes::default();
        eval_condition(&clause("Bool", "aws:SecureTransport", "true"), &empty, &mut notes);
        assert_eq!(notes.missing, vec!["aws:SecureTransport".to_string()]);
    }

    #[test]
    fn negated_operators_are_nor() {
        let c = clause("StringNotEquals", "k", "[\"a\",\"b\"]");
        assert!(!eval(&c, &ctx(&[("k", &["b"], false)])));
        assert!(eval(&c, &ctx(&[("k", &["c"], false)])));
        let c = clause("NotIpAddress", "aws:SourceIp", "[\"10.0.0.0/8\",\"192.168.0.0/16\"]");
        assert!(!eval(&c, &ctx(&[("aws:SourceIp", &["192.168.1.1"], false)])));
        assert!(eval(&c, &ctx(&[("aws:SourceIp", &["8.8.8.8"], false)])));
    }

    #[test]
    fn set_operators() {
        let all = clause("ForAllValues:StringEquals", "aws:TagKeys", "[\"a\",\"b\"]");
        assert!(eval(&all, &ctx(&[("aws:TagKeys", &["a"], true)])));
        assert!(!eval(&all, &ctx(&[("aws:TagKeys", &["a", "c"], true)])));
        assert!(eval(&all, &ctx(&[("aws:TagKeys", &[], true)])));
        let any = clause("ForAnyValue:StringLike", "aws:TagKeys", "\"x-*\"");
        assert!(eval(&any, &ctx(&[("aws:TagKeys", &["a", "x-1"], true)])));
        assert!(!eval(&any, &ctx(&[("aws:TagKeys", &[], true)])));
        let none = clause("ForAllValues:StringNotEquals", "aws:TagKeys", "[\"secret\"]");
        assert!(eval(&none, &ctx(&[("aws:TagKeys", &["a", "b"], true)])));
        assert!(!eval(&none, &ctx(&[("aws:TagKeys", &["a", "secret"], true)])));
    }

    #[test]
    fn families() {
        let cx = ctx(&[
            ("n", &["10"], false),
            ("d", &["2020-01-02T00:00:00Z"], false),
            ("b", &["TRUE"], false),
            ("a", &["arn:aws:iam::123456789012:role/x/y"], false),
            ("bin", &["QmluYXJ5"], false),
            ("s", &["Hello"], false),
        ]);
        assert!(eval(&clause("NumericLessThanEquals", "n", "10"), &cx));
        assert!(!eval(&clause("NumericLessThan", "n", "\"10\""), &cx));
        assert!(eval(&clause("NumericGreaterThan", "n", "9.5"), &cx));
        assert!(eval(&clause("DateGreaterThan", "d", "\"2020-01-01\""), &cx));
        assert!(!eval(&clause("DateLessThan", "d", "\"1500000000\""), &cx));
        assert!(eval(&clause("DateLessThan", "d", "\"1600000000\""), &cx));
        assert!(eval(&clause("Bool", "b", "true"), &cx));
        assert!(eval(&clause("ArnLike", "a", "\"arn:aws:iam::*:role/*\""), &cx));
        assert!(!eval(&clause("ArnLike", "a", "\"arn:aws:iam:*:role/*\""), &cx));
        assert!(eval(&clause("ArnNotLike", "a", "\"arn:aws:iam::*:user/*\""), &cx));
        assert!(eval(&clause("BinaryEquals", "bin", "\"QmluYXJ5\""), &cx));
        assert!(eval(&clause("StringEqualsIgnoreCase", "s", "\"hello\""), &cx));
        assert!(!eval(&clause("StringEquals", "s", "\"hello\""), &cx));
        assert!(eval(&clause("StringLike", "s", "\"H?l*\""), &cx));
        assert!(!eval(&clause("StringEquals", "s", "\"H*\""), &cx));
    }

    #[test]
    fn variables_in_values() {
        let c = clause("StringEquals", "aws:ResourceTag/p", "\"${aws:PrincipalTag/p}\"");
        let cx = ctx(&[("aws:ResourceTag/p", &["blue"], false)]);
        let mut notes = ClauseNotes::default();
        assert!(!eval_condition(&c, &cx, &mut notes));
        assert_eq!(notes.missing, vec!["aws:PrincipalTag/p".to_string()]);
        let cx = ctx(&[("aws:ResourceTag/p", &["blue"], false), ("aws:principaltag/p", &["blue"], false)]);
        assert!(eval(&c, &cx));
        // With no value, the variable is null: negated operators hold, and the clause's other
        // values still decide.
        let cx = ctx(&[("aws:ResourceTag/p", &["blue"], false)]);
        assert!(eval(&clause("StringNotEquals", "aws:ResourceTag/p", "\"${aws:PrincipalTag/p}\""), &cx));
        let list = "[\"${aws:PrincipalTag/p}\", \"blue\"]";
        assert!(eval(&clause("StringEquals", "aws:ResourceTag/p", list), &cx));
        assert!(!eval(&clause("StringNotEquals", "aws:ResourceTag/p", list), &cx));
    }
}
