//! The WAF evaluation flow drawing's layout: the web ACL's rules in priority order (a rule
//! group's rules indented under it), each marked as the engine's log record says (no match,
//! matched and counted with the labels it added, terminating), the rules after the terminating
//! one as not reached, and the default action when no rule terminated; the deciding rule marked.
//!
//! Pure: made from the engine's log record (its `trace`, `terminatingRuleId`, `ruleGroupList`)
//! and the web ACL text (for the rules the engine never reached), tested natively. The SVG is
//! written by `diagram_view.rs`. Rule order and actions:
//! <https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-processing-order.html>,
//! <https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-action.html>.

use serde_json::Value;

use crate::pages::diagram::{fit, Rect, MAX_ITEMS};

/// Drawing width (SVG units).
pub const WIDTH: f64 = 900.0;
const ROW_H: f64 = 30.0;
const GAP: f64 = 10.0;
const INDENT: f64 = 36.0;
const BOX_H: f64 = 34.0;

/// What happened to one rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Its statement did not match.
    NoMatch,
    /// It matched without ending the evaluation (Count, an excluded or overridden rule, a
    /// CAPTCHA or Challenge the request had a token for).
    Counted,
    /// It matched and ended the evaluation with `ALLOW`.
    Allowed,
    /// It matched and ended the evaluation with `BLOCK`, `CAPTCHA` or `CHALLENGE`.
    Blocked,
    /// Not evaluated: a scope-down statement left the request out, or the group is not modelled.
    NotEvaluated,
    /// After the terminating rule: AWS never looks at it.
    NotReached,
}

impl Status {
    /// The CSS class of the row (coloured from the theme in `www/style.css`).
    pub fn class(self) -> &'static str {
        match self {
            Status::NoMatch => "nomatch",
            Status::Counted => "count",
            Status::Allowed => "allow",
            Status::Blocked => "deny",
            Status::NotEvaluated | Status::NotReached => "skipped",
        }
    }
}

/// One rule's row.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub rect: Rect,
    pub priority: i64,
    pub rule: String,
    /// The enclosing rule group, for a group's own rules.
    pub group: Option<String>,
    /// The log's outcome (`NO_MATCH`, `COUNT`, `BLOCK`, …) or `NOT_REACHED`.
    pub outcome: String,
    pub labels: Vec<String>,
    pub status: Status,
    /// The rule that decided (for a rule group: the group's rule and its terminating rule).
    pub deciding: bool,
}

impl Row {
    /// The row's text: `0 · sqli-query — BLOCK · +label`.
    pub fn text(&self) -> String {
        let labels = if self.labels.is_empty() {
            String::new()
        } else {
            format!(" · adds {}", self.labels.iter().map(|l| fit(l, 48)).collect::<Vec<_>>().join(", "))
        };
        fit(&format!("{} · {} — {}{labels}", self.priority, self.rule, self.outcome.replace('_', " ")), 130)
    }
}

/// The whole drawing.
#[derive(Clone, Debug, PartialEq)]
pub struct FlowLayout {
    pub height: f64,
    /// The request in a line: `GET /path from 192.0.2.1`.
    pub request: (Rect, String),
    pub rows: Vec<Row>,
    /// Rules not drawn (past [`MAX_ITEMS`]).
    pub more: usize,
    /// The default action's box: its text and whether it decided.
    pub default: (Rect, String, bool),
    /// The verdict: `BLOCK by sqli-query`.
    pub verdict: (Rect, String, Status),
}

fn text<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or_default()
}

fn terminating(outcome: &str) -> bool {
    matches!(outcome, "ALLOW" | "BLOCK" | "CAPTCHA" | "CHALLENGE")
}

/// `(priority, name)` of the web ACL's rules (as `get-web-acl` prints it, or the bare WebACL),
/// in priority order; empty when the text does not read.
fn acl_rules(acl: &str) -> (Vec<(i64, String)>, String) {
    let Ok(v) = serde_json::from_str::<Value>(acl) else {
        return (Vec::new(), String::new());
    };
    let acl = v.get("WebACL").unwrap_or(&v);
    let default = acl
        .get("DefaultAction")
        .and_then(Value::as_object)
        .and_then(|o| o.keys().next().cloned())
        .unwrap_or_default()
        .to_ascii_uppercase();
    let mut rules: Vec<(i64, String)> = acl
        .get("Rules")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|r| (r.get("Priority").and_then(Value::as_i64).unwrap_or_default(), text(r, "Name").to_string()))
        .collect();
    rules.sort_by_key(|(p, _)| *p);
    (rules, default)
}

/// Lays out the evaluation of `record` (an AWS WAF log record with the playground's trace)
/// through the web ACL `acl`.
pub fn layout(record: &Value, acl: &str) -> FlowLayout {
    let (acl_rules, default_action) = acl_rules(acl);
    let decided_by = text(record, "terminatingRuleId");
    let action = text(record, "action");
    // The rule inside a group that ended the group (the last group entry is the deciding one's).
    let group_rule = record
        .get("ruleGroupList")
        .and_then(Value::as_array)
        .and_then(|l| l.last())
        .and_then(|g| g.get("terminatingRule"))
        .map(|t| text(t, "ruleId"))
        .unwrap_or_default();
    let http = record.get("httpRequest").unwrap_or(&Value::Null);
    let request_text = fit(
        &format!("{} {} from {}", text(http, "httpMethod"), text(http, "uri"), text(http, "clientIp")),
        120,
    );
    let mut y = 0.0;
    let request = (Rect::new(0.0, y, WIDTH, BOX_H), request_text);
    y += BOX_H + GAP;
    let mut rows = Vec::new();
    let mut more = 0usize;
    let mut parent_deciding = false;
    let mut push = |rows: &mut Vec<Row>, y: &mut f64, mut row: Row| {
        if rows.len() >= MAX_ITEMS {
            more += 1;
            return;
        }
        let x = if row.group.is_some() { INDENT } else { 0.0 };
        row.rect = Rect::new(x, *y, WIDTH - x, ROW_H);
        *y += ROW_H + GAP;
        rows.push(row);
    };
    let trace = record.get("trace").and_then(Value::as_array).cloned().unwrap_or_default();
    let mut last_top: Option<i64> = None;
    for t in &trace {
        let rule = text(t, "rule").to_string();
        let group = t.get("group").and_then(Value::as_str).map(str::to_string);
        let outcome = text(t, "outcome").to_string();
        let matched = t.get("matched").and_then(Value::as_bool).unwrap_or(false);
        let deciding = match &group {
            None => {
                parent_deciding = rule == decided_by;
                parent_deciding
            }
            Some(_) => parent_deciding && !group_rule.is_empty() && rule == group_rule,
        };
        let status = match outcome.as_str() {
            "NO_MATCH" => Status::NoMatch,
            "NOT_EVALUATED" | "NOT_MODELLED" => Status::NotEvaluated,
            o if deciding && terminating(o) => {
                if o == "ALLOW" {
                    Status::Allowed
                } else {
                    Status::Blocked
                }
            }
            _ if matched || !outcome.is_empty() => Status::Counted,
            _ => Status::NoMatch,
        };
        let priority = t.get("priority").and_then(Value::as_i64).unwrap_or_default();
        if group.is_none() {
            last_top = Some(priority);
        }
        let labels = t
            .get("labelsAdded")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect();
        push(
            &mut rows,
            &mut y,
            Row { rect: Rect::default(), priority, rule, group, outcome, labels, status, deciding },
        );
    }
    // The rules after the one that terminated: never evaluated.
    let ended = decided_by != "Default_Action" && !decided_by.is_empty();
    if ended {
        for (priority, rule) in acl_rules.into_iter().filter(|(p, _)| last_top.is_none_or(|l| *p > l)) {
            let row = Row {
                rect: Rect::default(),
                priority,
                rule,
                group: None,
                outcome: "NOT_REACHED".into(),
                labels: Vec::new(),
                status: Status::NotReached,
                deciding: false,
            };
            push(&mut rows, &mut y, row);
        }
    }
    let default_text = if ended {
        format!("Default action {default_action}: not reached")
    } else {
        format!("No rule terminated: the default action {action} applies")
    };
    let default = (Rect::new(0.0, y, WIDTH, BOX_H), default_text, !ended);
    y += BOX_H + GAP;
    let verdict_status = if action == "ALLOW" { Status::Allowed } else { Status::Blocked };
    let verdict = (Rect::new(0.0, y, WIDTH, BOX_H), format!("{action} by {decided_by}"), verdict_status);
    y += BOX_H;
    FlowLayout { height: y + 2.0, request, rows, more, default, verdict }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secplay::waf::examples::EXAMPLES;
    use secplay::waf::http_text::parse_request_text;
    use secplay::waf::json::WebAcl;
    use serde_json::json;

    fn run_example(id: &str, request: Option<&str>) -> FlowLayout {
        let e = EXAMPLES.iter().find(|e| e.id == id).unwrap();
        let mut acl = WebAcl::new(&json!(e.web_acl), &json!(e.resources), &json!({"trace": true})).unwrap();
        let mut req = parse_request_text(request.unwrap_or(e.request), e.client_ip).unwrap();
        if !e.country.is_empty() {
            req.as_object_mut().unwrap().insert("country".into(), json!(e.country));
        }
        let record = acl.evaluate(&req, &Value::Null).unwrap();
        let record: Value = serde_json::from_str(&record.to_string()).unwrap();
        layout(&record, e.web_acl)
    }

    /// The first rule (lowest priority) that terminates decides; the rest are not evaluated:
    /// https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-processing-order.html
    #[test]
    fn a_terminating_rule_is_marked_and_the_rules_after_it_are_not_reached() {
        let l = run_example("sqli-xss", None);
        assert_eq!(l.rows.len(), 2);
        let (first, second) = (&l.rows[0], &l.rows[1]);
        assert_eq!(
            (first.rule.as_str(), first.status, first.deciding),
            ("sqli-query", Status::Blocked, true)
        );
        assert_eq!(
            (second.rule.as_str(), second.status, second.deciding),
            ("xss-body", Status::NotReached, false)
        );
        assert!(!l.default.2, "the default action did not decide");
        assert_eq!(l.verdict.1, "BLOCK by sqli-query");
        assert!(l.rows[0].rect.y > l.request.0.y && l.verdict.0.y > l.default.0.y);
    }

    /// With no rule terminating, the web ACL's default action applies:
    /// https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-default-action.html
    #[test]
    fn no_match_leads_to_the_default_action() {
        let l = run_example("sqli-xss", Some("GET /products?id=42 HTTP/1.1\nHost: shop.example.com\n"));
        assert!(l.rows.iter().all(|r| r.status == Status::NoMatch && !r.deciding), "{:?}", l.rows);
        assert!(l.default.2);
        assert!(l.default.1.contains("ALLOW"), "{}", l.default.1);
        assert_eq!(l.verdict.1, "ALLOW by Default_Action");
    }

    /// A managed rule group's rules are drawn under it; the group's terminating rule is marked with it.
    #[test]
    fn a_rule_groups_terminating_rule_is_marked_under_the_group() {
        let l = run_example("atp-login", None);
        let deciding: Vec<(&str, bool)> =
            l.rows.iter().filter(|r| r.deciding).map(|r| (r.rule.as_str(), r.group.is_some())).collect();
        assert_eq!(deciding.len(), 2, "{:?}", l.rows);
        assert!(!deciding[0].1 && deciding[1].1, "{deciding:?}");
        assert!(l.rows.iter().filter(|r| r.group.is_some()).all(|r| r.rect.x == INDENT));
        assert!(l.rows.iter().any(|r| !r.labels.is_empty()), "the group labels the request");
    }

    #[test]
    fn a_long_acl_is_cut_at_the_cap() {
        let rules: Vec<Value> = (0..150)
            .map(|i| json!({"Name": format!("r{i}"), "Priority": i, "Action": {"Block": {}},
                "Statement": {"ByteMatchStatement": {"SearchString": "eA==", "FieldToMatch": {"UriPath": {}},
                    "TextTransformations": [{"Priority": 0, "Type": "NONE"}], "PositionalConstraint": "EXACTLY"}},
                "VisibilityConfig": {"SampledRequestsEnabled": false, "CloudWatchMetricsEnabled": false, "MetricName": "m"}}))
            .collect();
        let acl = json!({"Name": "big", "Id": "a1b2c3d4-0000-4000-8000-000000000001",
            "ARN": "arn:aws:wafv2:us-east-1:111122223333:regional/webacl/big/a1b2c3d4-0000-4000-8000-000000000001",
            "DefaultAction": {"Block": {}}, "Capacity": 0,
            "VisibilityConfig": {"SampledRequestsEnabled": false, "CloudWatchMetricsEnabled": false, "MetricName": "big"},
            "Rules": rules})
        .to_string();
        let mut w = WebAcl::new(&json!(acl), &Value::Null, &json!({"trace": true})).unwrap();
        let req = parse_request_text("GET /y HTTP/1.1\nHost: a\n", "192.0.2.1").unwrap();
        let record: Value =
            serde_json::from_str(&w.evaluate(&req, &Value::Null).unwrap().to_string()).unwrap();
        let l = layout(&record, &acl);
        assert_eq!((l.rows.len(), l.more), (MAX_ITEMS, 50));
        assert!(l.default.2 && l.verdict.1 == "BLOCK by Default_Action");
        assert!(l.verdict.0.y + l.verdict.0.h <= l.height);
    }
}
