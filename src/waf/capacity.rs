//! Web ACL capacity units (WCUs) from AWS's cost table: per statement, per rule and per ACL,
//! with the 1,500 (included) and 5,000 (maximum) web ACL limits. Offline arithmetic only.

use super::eval::Resources;
use super::field::FieldToMatch;
use super::managed;
use super::model::*;
use super::transform::Transformation;

/// WCUs a web ACL includes before extra charges.
pub const INCLUDED_WCU: u64 = 1_500;
/// Maximum WCUs of a web ACL.
pub const MAX_WCU: u64 = 5_000;
/// Maximum WCUs of a rule group.
pub const MAX_GROUP_WCU: u64 = 1_500;

fn field_cost(base: u64, ins: &Inspect) -> u64 {
    let base = if matches!(ins.field, FieldToMatch::JsonBody(_)) { base * 2 } else { base };
    let all_args = if matches!(ins.field, FieldToMatch::AllQueryArguments) { 10 } else { 0 };
    let tts = ins.transformations.iter().filter(|t| **t != Transformation::None).count() as u64;
    base + all_args + 10 * tts
}

/// WCUs of one statement. Own rule groups cost their declared capacity (as AWS charges);
/// managed groups their published capacity (0 if unknown), plus any scope-down statement.
pub fn statement(st: &Statement, res: &Resources) -> u64 {
    match st {
        Statement::ByteMatch(b) => {
            let base =
                if matches!(b.position, Positional::Contains | Positional::ContainsWord) { 10 } else { 2 };
            field_cost(base, &b.inspect)
        }
        Statement::Regex(_, _, ins) => field_cost(3, ins),
        Statement::RegexSet(_, ins) => field_cost(25, ins),
        Statement::Sqli(ins, s) => field_cost(if *s == Sensitivity::High { 30 } else { 20 }, ins),
        Statement::Xss(ins) => field_cost(40, ins),
        Statement::Size(ins, _, _) => field_cost(1, ins),
        Statement::Geo(..) | Statement::Asn(..) | Statement::LabelMatch(..) => 1,
        Statement::IpSet(_, fwd) => {
            if fwd.as_ref().is_some_and(|f| f.position == ForwardedPosition::Any) {
                5
            } else {
                1
            }
        }
        Statement::RateBased(rb) => {
            let keys = match &rb.aggregate {
                Aggregate::Custom(k) => k.len() as u64,
                _ => 0,
            };
            2 + 30 * keys + rb.scope_down.as_ref().map_or(0, |s| statement(s, res))
        }
        Statement::And(list) | Statement::Or(list) => list.iter().map(|s| statement(s, res)).sum(),
        Statement::Not(s) => statement(s, res),
        Statement::RuleGroup(g) => res.rule_groups.get(&g.arn_or_vendor).map_or(0, |d| d.capacity),
        Statement::Managed(g) => {
            managed::capacity(&g.arn_or_vendor, &g.name).unwrap_or(0)
                + g.scope_down.as_ref().map_or(0, |s| statement(s, res))
        }
    }
}

/// WCUs of each rule, in priority order, and the total.
pub fn rules(rules: &[Rule], res: &Resources) -> (Vec<(String, u64)>, u64) {
    let per: Vec<(String, u64)> =
        rules.iter().map(|r| (r.name.clone(), statement(&r.statement, res))).collect();
    let total = per.iter().map(|(_, c)| c).sum();
    (per, total)
}
