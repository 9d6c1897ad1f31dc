#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
//! The OWASP CRS 941 (XSS) and 942 (SQLi) regression requests
//! (`../shared/vectors/waf/crs-941-942-cases.json`, CRS 4.29.0-dev) sent whole through a web ACL
//! of ours, case by case: XssMatch / SqliMatch (LOW and HIGH) statements on the usual fields with
//! the usual transformations, and our models of `AWSManagedRulesCommonRuleSet`'s
//! `CrossSiteScripting_*` rules and of `AWSManagedRulesSQLiRuleSet`. Each case is scored against
//! the case's own label (CRS's `expect_ids` / `no_expect_ids` for its rule): caught, missed or
//! false alarm. This says what *ours* does; it says nothing of what AWS's managed rules would
//! catch, which AWS does not publish.
//!
//! The table and the per-case lines are written to `docs/waf-crs-941-942.md` and pinned: when a
//! figure changes the test fails and names the lines that moved. After a deliberate change,
//! regenerate with `UPDATE_CRS_TABLE=1 cargo test --test waf crs_table`.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use secplay::waf::json::WebAcl;
use serde_json::{json, Value};

const CASES: &str =
    include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/vectors/waf/crs-941-942-cases.json"));
const DOC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/waf-crs-941-942.md");

fn vis(name: &str) -> Value {
    json!({"SampledRequestsEnabled": false, "CloudWatchMetricsEnabled": false, "MetricName": name})
}

/// The fields CRS's 941/942 rules read that AWS WAF can inspect: query arguments, the body,
/// cookies, User-Agent and Referer.
fn fields() -> Vec<Value> {
    vec![
        json!({"AllQueryArguments": {}}),
        json!({"Body": {"OversizeHandling": "CONTINUE"}}),
        json!({"Cookies": {"MatchPattern": {"All": {}}, "MatchScope": "ALL", "OversizeHandling": "CONTINUE"}}),
        json!({"SingleHeader": {"Name": "user-agent"}}),
        json!({"SingleHeader": {"Name": "referer"}}),
    ]
}

/// The transformations AWS's own examples pair with these statements: URL decoding, then HTML
/// entity decoding.
fn tt() -> Value {
    json!([{"Priority": 0, "Type": "URL_DECODE"}, {"Priority": 1, "Type": "HTML_ENTITY_DECODE"}])
}

fn any_field(make: impl Fn(Value) -> Value) -> Value {
    json!({"OrStatement": {"Statements": fields().into_iter().map(make).collect::<Vec<_>>()}})
}

fn counting(name: &str, priority: u32, statement: Value) -> Value {
    json!({"Name": name, "Priority": priority, "Action": {"Count": {}}, "Statement": statement, "VisibilityConfig": vis(name)})
}

/// A managed group with every rule overridden to Count, so that a rule before the one we score
/// (e.g. `NoUserAgent_HEADER`: the CRS cases carry no User-Agent) does not end the group.
fn managed(name: &str, priority: u32, group: &str) -> Value {
    let def = secplay::waf::managed::definition("AWS", group, &[]).unwrap().unwrap();
    let overrides: Vec<Value> =
        def.rules.iter().map(|r| json!({"Name": r.name, "ActionToUse": {"Count": {}}})).collect();
    json!({"Name": name, "Priority": priority, "OverrideAction": {"None": {}}, "VisibilityConfig": vis(name),
        "Statement": {"ManagedRuleGroupStatement": {"VendorName": "AWS", "Name": group, "RuleActionOverrides": overrides}}})
}

/// Every detector counts (never terminates), so one evaluation scores them all.
fn acl() -> WebAcl {
    let doc = json!({"Name": "crs", "DefaultAction": {"Allow": {}}, "VisibilityConfig": vis("crs"),
    "AssociationConfig": {"RequestBody": {"APPLICATION_LOAD_BALANCER": {"DefaultSizeInspectionLimit": "KB_64"}}},
    "Rules": [
        counting("xss", 0, any_field(|f| json!({"XssMatchStatement": {"FieldToMatch": f, "TextTransformations": tt()}}))),
        counting("sqli-low", 1, any_field(|f| json!({"SqliMatchStatement": {"FieldToMatch": f, "SensitivityLevel": "LOW", "TextTransformations": tt()}}))),
        counting("sqli-high", 2, any_field(|f| json!({"SqliMatchStatement": {"FieldToMatch": f, "SensitivityLevel": "HIGH", "TextTransformations": tt()}}))),
        managed("common", 3, "AWSManagedRulesCommonRuleSet"),
        managed("sqli-group", 4, "AWSManagedRulesSQLiRuleSet"),
    ]});
    WebAcl::new(&doc, &Value::Null, &json!({"resourceType": "APPLICATION_LOAD_BALANCER"})).unwrap()
}

fn request(case: &Value) -> Value {
    let mut headers = vec![json!(["Host", "localhost"])];
    if let Some(h) = case.get("headers").and_then(Value::as_object) {
        headers.extend(h.iter().map(|(k, v)| json!([k, v.as_str().unwrap_or("")])));
    }
    let mut r =
        json!({"method": case["method"], "uri": case["uri"], "headers": headers, "clientIp": "192.0.2.1"});
    if let Some(b) = case.get("body") {
        r["body"] = b.clone();
    }
    r
}

/// What fired for one request: (xss, sqli LOW, sqli HIGH, our CommonRuleSet XSS rules, our
/// SQLi rule group), or the evaluation error.
type Fired = Result<[bool; 5], String>;

fn fired(w: &mut WebAcl, case: &Value) -> Fired {
    let rec = w.evaluate(&request(case), &Value::Null).map_err(|e| e.code().to_owned())?;
    let trace = rec["trace"].as_array().cloned().unwrap_or_default();
    let top =
        |name: &str| trace.iter().any(|t| t["group"].is_null() && t["rule"] == name && t["matched"] == true);
    let inner = |group: &str, prefixes: &[&str]| {
        trace.iter().any(|t| {
            t["group"] == group
                && t["matched"] == true
                && prefixes.iter().any(|p| t["rule"].as_str().unwrap_or("").starts_with(p))
        })
    };
    Ok([
        top("xss"),
        top("sqli-low"),
        top("sqli-high"),
        inner("AWSManagedRulesCommonRuleSet", &["CrossSiteScripting_"]),
        inner("AWSManagedRulesSQLiRuleSet", &["SQLi_", "SQLiExtendedPatterns_"]),
    ])
}

#[derive(Default, Clone, Copy)]
struct Score {
    caught: usize,
    missed: usize,
    false_alarms: usize,
}

impl Score {
    fn add(&mut self, expected: bool, fired: bool) {
        match (expected, fired) {
            (true, true) => self.caught += 1,
            (true, false) => self.missed += 1,
            (false, true) => self.false_alarms += 1,
            (false, false) => {}
        }
    }
}

#[derive(Default)]
struct Row {
    paranoia: u64,
    attacks: usize,
    clean: usize,
    errors: usize,
    /// Two detectors per family: 941 → [XssMatch, ours CRS XSS]; 942 → [LOW, HIGH, ours SQLi group].
    scores: [Score; 3],
}

fn mark(expected: bool, fired: bool) -> &'static str {
    match (expected, fired) {
        (true, true) => "caught",
        (true, false) => "missed",
        (false, true) => "FALSE-ALARM",
        (false, false) => "quiet",
    }
}

/// Computes the whole document: the summary tables and one line per case.
fn document() -> String {
    let d: Value = serde_json::from_str(CASES).unwrap();
    let rules = d["rules"].as_object().unwrap();
    let cases = d["cases"].as_array().unwrap();
    let mut w = acl();
    let mut rows: BTreeMap<u64, Row> = BTreeMap::new();
    let mut lines = String::new();
    for c in cases {
        let id = c["rule_id"].as_u64().unwrap();
        let expected = c["expect_ids"].as_array().unwrap().iter().any(|x| x.as_u64() == Some(id));
        let forbidden = c["no_expect_ids"].as_array().unwrap().iter().any(|x| x.as_u64() == Some(id));
        assert!(expected != forbidden, "case {id}-{} is labelled neither way", c["test_id"]);
        let row = rows.entry(id).or_default();
        row.paranoia = rules.get(&id.to_string()).and_then(|r| r["paranoia_level"].as_u64()).unwrap_or(0);
        if expected {
            row.attacks += 1;
        } else {
            row.clean += 1;
        }
        // Evaluated on a fresh clock each time: no rate state is involved, but keep cases independent.
        w.reset();
        let label = if expected { "attack" } else { "clean" };
        let xss_family = id / 1000 == 941;
        match fired(&mut w, c) {
            Err(code) => {
                row.errors += 1;
                let _ = writeln!(lines, "{id}-{} {label}: not evaluated ({code})", c["test_id"]);
            }
            Ok([xss, low, high, common, sqli_group]) => {
                let picks: Vec<(&str, bool)> = if xss_family {
                    vec![("XssMatch", xss), ("ours CommonRuleSet XSS", common)]
                } else {
                    vec![("SqliMatch LOW", low), ("SqliMatch HIGH", high), ("ours SQLiRuleSet", sqli_group)]
                };
                let mut parts = Vec::new();
                for (i, (name, f)) in picks.iter().enumerate() {
                    row.scores[i].add(expected, *f);
                    parts.push(format!("{name} {}", mark(expected, *f)));
                }
                let _ = writeln!(lines, "{id}-{} {label}: {}", c["test_id"], parts.join(", "));
            }
        }
    }
    let mut out = String::new();
    out.push_str("# OWASP CRS 941/942 regression requests through our WAF engine\n\n");
    out.push_str(
        "Generated by `tests/waf/crs_table.rs` (`cargo test --test waf crs_table`), which fails when a \
         figure here changes; regenerate after a deliberate change with `UPDATE_CRS_TABLE=1`.\n\n\
         Each request of `../shared/vectors/waf/crs-941-942-cases.json` (OWASP CRS 4.29.0-dev, \
         go-ftw regression tests, Apache-2.0) is sent whole — method, URI, headers, body — through one \
         web ACL of ours in which every detector only counts:\n\n\
         - **XssMatch** / **SqliMatch LOW** / **SqliMatch HIGH**: one statement on each of \
         `AllQueryArguments`, `Body`, `Cookies`, the `User-Agent` and `Referer` headers, with \
         `URL_DECODE` then `HTML_ENTITY_DECODE`;\n\
         - **ours CommonRuleSet XSS**: the `CrossSiteScripting_*` rules of our model of \
         `AWSManagedRulesCommonRuleSet`; **ours SQLiRuleSet**: the `SQLi_*` and \
         `SQLiExtendedPatterns_*` rules of our model of `AWSManagedRulesSQLiRuleSet` \
         (`src/waf/managed.rs`; AWS does not publish its patterns, so these are ours, not AWS's).\n\n\
         A case is scored against **the case's label** for its own CRS rule (`expect_ids`: an attack the \
         rule must catch; `no_expect_ids`: a request it must leave alone): *caught*, *missed*, or \
         *false alarm*. CRS's rules run at paranoia levels 1–4 and many look for things our \
         detectors do not (e.g. 942 rules for SQL keywords in odd places): a miss says what \
         ours does not flag, not what AWS's managed rules would do, which is not documented.\n\n",
    );
    for (family, heads) in [
        (941u64, vec!["XssMatch", "ours CommonRuleSet XSS"]),
        (942u64, vec!["SqliMatch LOW", "SqliMatch HIGH", "ours SQLiRuleSet"]),
    ] {
        let _ = writeln!(out, "## {family} ({})\n", if family == 941 { "XSS" } else { "SQL injection" });
        let mut head = "| CRS rule | PL | attack cases | clean cases |".to_owned();
        let mut sep = "|---|---|---|---|".to_owned();
        for h in &heads {
            let _ = write!(head, " {h}: caught / missed / false alarms |");
            sep.push_str("---|");
        }
        let _ = writeln!(out, "{head}\n{sep}");
        let mut total = Row::default();
        for (id, r) in rows.iter().filter(|(id, _)| *id / 1000 == family) {
            let mut line = format!("| {id} | {} | {} | {} |", r.paranoia, r.attacks, r.clean);
            for (i, _) in heads.iter().enumerate() {
                let s = r.scores[i];
                let _ = write!(line, " {} / {} / {} |", s.caught, s.missed, s.false_alarms);
                total.scores[i].caught += s.caught;
                total.scores[i].missed += s.missed;
                total.scores[i].false_alarms += s.false_alarms;
            }
            if r.errors > 0 {
                let _ = write!(line, " ({} not evaluated)", r.errors);
            }
            total.attacks += r.attacks;
            total.clean += r.clean;
            total.errors += r.errors;
            let _ = writeln!(out, "{line}");
        }
        let mut line = format!("| **all {family}** | | **{}** | **{}** |", total.attacks, total.clean);
        for (i, _) in heads.iter().enumerate() {
            let s = total.scores[i];
            let _ = write!(line, " **{} / {} / {}** |", s.caught, s.missed, s.false_alarms);
        }
        let _ = writeln!(out, "{line}\n");
        if total.errors > 0 {
            let _ = writeln!(out, "{} requests could not be evaluated (listed below).\n", total.errors);
        }
    }
    out.push_str("## Per case\n\n`rule-test`, the case's label, then what each of ours did.\n\n```\n");
    out.push_str(&lines);
    out.push_str("```\n");
    out
}

#[test]
fn crs_941_942_per_case_table_is_pinned() {
    let now = document();
    if std::env::var_os("UPDATE_CRS_TABLE").is_some() {
        std::fs::write(DOC, &now).unwrap();
        return;
    }
    let pinned = std::fs::read_to_string(DOC).unwrap_or_default();
    if pinned != now {
        let old: Vec<&str> = pinned.lines().collect();
        let moved: Vec<String> = now
            .lines()
            .enumerate()
            .filter(|(i, l)| old.get(*i) != Some(l))
            .take(20)
            .map(|(i, l)| format!("line {}: now `{l}`, was `{}`", i + 1, old.get(i).unwrap_or(&"")))
            .collect();
        panic!(
            "docs/waf-crs-941-942.md no longer matches what the engine does ({} lines now, {} pinned); \
             first lines that moved:\n{}\nIf the change is meant, regenerate with UPDATE_CRS_TABLE=1",
            now.lines().count(),
            old.len(),
            moved.join("\n")
        );
    }
}

#[test]
fn the_table_counts_every_case_once() {
    let doc = document();
    let d: Value = serde_json::from_str(CASES).unwrap();
    let n = d["cases"].as_array().unwrap().len();
    assert_eq!(n, 1292);
    let per_case = doc.lines().filter(|l| l.starts_with("941") || l.starts_with("942")).count();
    assert_eq!(per_case, n);
    // A detector that fires on everything or nothing would show here: ours must do neither.
    for detector in ["XssMatch caught", "XssMatch missed", "SqliMatch HIGH caught", "SqliMatch LOW missed"] {
        assert!(doc.contains(detector), "{detector}");
    }
}
