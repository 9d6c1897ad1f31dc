//! Which rules of a web ACL a log replay cannot judge, and why: AWS WAF logs carry no body, and
//! carry the JA3/JA4 fingerprints only in newer records; managed rule groups the playground does
//! not model match nothing here. Read from the parsed ACL once, before the replay.

use crate::waf::eval::Engine;
use crate::waf::field::FieldToMatch;
use crate::waf::model::{Aggregate, CustomKey, Inspect, RuleGroupDef, Statement};

/// The reason a rule cannot be judged from a log (the first one found).
pub fn reason(engine: &Engine, statement: &Statement) -> Option<String> {
    let mut out = None;
    walk(engine, statement, &mut out, 0);
    out
}

const BODY: &str = "inspects the request body, which AWS WAF logs do not carry";
const JA3: &str =
    "inspects the JA3 fingerprint: judged only for records that log `ja3Fingerprint`, otherwise its fallback applies";
const JA4: &str =
    "inspects the JA4 fingerprint: judged only for records that log `ja4Fingerprint`, otherwise its fallback applies";

fn inspect(i: &Inspect, out: &mut Option<String>) {
    let r = match i.field {
        FieldToMatch::Body(_) | FieldToMatch::JsonBody(_) => BODY,
        FieldToMatch::Ja3(_) => JA3,
        FieldToMatch::Ja4(_) => JA4,
        _ => return,
    };
    out.get_or_insert_with(|| r.to_owned());
}

fn group(engine: &Engine, def: &RuleGroupDef, out: &mut Option<String>, depth: usize) {
    for r in &def.rules {
        let mut inner = None;
        walk(engine, &r.statement, &mut inner, depth + 1);
        if let Some(why) = inner {
            out.get_or_insert_with(|| format!("rule group `{}`, rule `{}`: {why}", def.name, r.name));
        }
    }
}

fn walk(engine: &Engine, st: &Statement, out: &mut Option<String>, depth: usize) {
    // Rule groups cannot nest rule groups; the bound only guards against a cycle.
    if depth > 8 || out.is_some() {
        return;
    }
    match st {
        Statement::ByteMatch(b) => inspect(&b.inspect, out),
        Statement::Sqli(i, _) | Statement::Xss(i) | Statement::Size(i, _, _) => inspect(i, out),
        Statement::RegexSet(_, i) | Statement::Regex(_, _, i) => inspect(i, out),
        Statement::And(list) | Statement::Or(list) => list.iter().for_each(|s| walk(engine, s, out, depth)),
        Statement::Not(s) => walk(engine, s, out, depth),
        Statement::RateBased(rb) => {
            if let Aggregate::Custom(keys) = &rb.aggregate {
                for k in keys {
                    if let CustomKey::Fingerprint(ja4) = k {
                        out.get_or_insert_with(|| (if *ja4 { JA4 } else { JA3 }).to_owned());
                    }
                }
            }
            if let Some(sd) = &rb.scope_down {
                walk(engine, sd, out, depth);
            }
        }
        Statement::RuleGroup(g) => {
            if let Some(def) = engine.resources.rule_groups.get(&g.arn_or_vendor) {
                group(engine, def, out, depth);
            }
        }
        Statement::Managed(g) => {
            if let Some(sd) = &g.scope_down {
                walk(engine, sd, out, depth);
            }
            let key = g.managed_id();
            match engine.managed_groups().get(&g.managed_key()) {
                Some(def) => group(engine, def, out, depth),
                None => {
                    out.get_or_insert_with(|| {
                        format!("managed rule group `{key}` is not modelled by the playground: it matches nothing here")
                    });
                }
            }
        }
        Statement::Geo(..) | Statement::Asn(..) | Statement::IpSet(..) | Statement::LabelMatch(..) => {}
    }
}
