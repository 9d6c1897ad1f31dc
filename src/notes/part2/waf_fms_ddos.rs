//! §11 the WAF, Firewall Manager and DDoS practice: a web ACL blocking SQL injection (the WAF
//! engine names the deciding rule), a Firewall Manager policy that covers the load balancer of an
//! account joining the organisation later and blocks the same probe through the managed SQL rule
//! set (`fms::json::evaluate`), and an HTTP flood tripping a rate-based rule (`waf::ddos`, 900
//! attack requests). The SQL injection step is an assertion: it fails with `NotBlocked` when the
//! request gets through.

use serde_json::{json, Value};

use super::kit::{at, fail, Step, Steps};
use crate::notes::model::{Chapter, StepError, StepOutcome, Variant};
use crate::waf::ddos::json::FloodSimulator;
use crate::waf::examples::example;
use crate::waf::http_text::parse_request_text;
use crate::waf::json::WebAcl;

/// The account that joins the organisation later, and its load balancer.
const NEW_ALB: &str =
    "arn:aws:elasticloadbalancing:eu-west-1:555555555555:loadbalancer/app/newapp/7e1b2c3d4e5f6a7b";
/// When it exists (the example organisation's clock, seconds).
const AFTER_JOIN: i64 = 700;
/// "SQL injection attack rule statement".
const DOC_SQLI: &str =
    "https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-sqli-match.html";
/// "AWS WAF policies" in Firewall Manager (scope, remediation, new resources).
const DOC_FMS: &str = "https://docs.aws.amazon.com/waf/latest/developerguide/waf-policies.html";
/// "Rate-based rule statement".
const DOC_RATE: &str =
    "https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rate-based.html";
/// "AWS Best Practices for DDoS Resiliency".
const DOC_DDOS: &str =
    "https://docs.aws.amazon.com/whitepapers/latest/aws-best-practices-ddos-resiliency/aws-best-practices-ddos-resiliency.html";

pub(super) fn chapter() -> Chapter {
    Chapter {
        id: "waf-fms-ddos",
        section: 11,
        title: "The WAF, Firewall Manager and a flood",
        summary: "A web ACL's SqliMatch rule blocks a UNION SELECT probe; a Firewall Manager policy puts the managed \
            SQL rule set in front of the load balancer of an account that joined the organisation after the policy \
            was written; a rate-based rule stops an HTTP GET flood while the real users pass.",
        outdated: Vec::new(),
        variants: vec![
            Variant {
                id: "no-sqli-rule",
                removes: "the web ACL's SqliMatch rule",
                fails_at: "sqli",
                error: "NotBlocked",
            },
            Variant {
                id: "remediation-off",
                removes: "the Firewall Manager policy's automatic remediation",
                fails_at: "fms-new-account",
                error: "RESOURCE_MISSING_WEB_ACL",
            },
        ],
        run,
    }
}

fn run(variant: Option<&str>) -> Vec<StepOutcome> {
    let mut steps = Steps::default();
    let _ = play(&mut steps, variant);
    steps.into_vec()
}

fn waf_err(e: &crate::waf::WafError) -> StepError {
    fail(e.code(), e.to_string())
}

/// The log record's verdict: `BLOCK by <rule>`, or `NotBlocked`.
fn blocked(record: &Value) -> Result<String, StepError> {
    let action = record.get("action").and_then(Value::as_str).unwrap_or("?");
    let rule = record.get("terminatingRuleId").and_then(Value::as_str).unwrap_or("?");
    let inner = record
        .get("ruleGroupList")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find_map(|g| {
            let id = g.pointer("/terminatingRule/ruleId")?.as_str()?;
            Some(format!(" (rule {id} of {})", g.get("ruleGroupId")?.as_str()?))
        })
        .unwrap_or_default();
    if action == "BLOCK" {
        Ok(format!("BLOCK by {rule}{inner}"))
    } else {
        Err(fail("NotBlocked", format!("the request was not blocked: {action} by {rule}")))
    }
}

fn play(steps: &mut Steps, variant: Option<&str>) -> Option<()> {
    let step = Step::new("sqli", "WAF engine", "A UNION SELECT probe against a web ACL with SqliMatch", format!(
        "AWS WAF decodes the query string (URL_DECODE, HTML_ENTITY_DECODE) and its SQL injection detection matches; \
         the rule's Block action ends the evaluation and the log record names it (terminatingRuleId). This step \
         asserts the block: a request that gets through fails it with NotBlocked. Notes §11, {DOC_SQLI}"));
    let Some(ex) = example("sqli-xss") else {
        return steps.push(step, Err(fail("NoExample", "the WAF engine has no `sqli-xss` example")));
    };
    let mut acl_doc: Value = match serde_json::from_str(ex.web_acl) {
        Ok(v) => v,
        Err(e) => return steps.push(step, Err(fail("InvalidJson", e.to_string()))),
    };
    if variant == Some("no-sqli-rule") {
        if let Some(rules) = acl_doc.get_mut("Rules").and_then(Value::as_array_mut) {
            rules.retain(|r| *at(r, "/Name") != "sqli-query");
        }
    }
    // The example's probe, from a browser (a request without User-Agent is blocked earlier, by the
    // Core rule set's NoUserAgent_HEADER, in front of the new load balancer).
    let text = format!("{}User-Agent: Mozilla/5.0 (X11; Linux x86_64)\n", ex.request);
    let step = step.link(
        "#/waf",
        json!({"acl": super::kit::pretty(&acl_doc), "resources": ex.resources,
        "request": text, "clientIp": ex.client_ip, "country": ex.country}),
    );
    let resources: Value = serde_json::from_str(ex.resources).unwrap_or(Value::Null);
    let request = match parse_request_text(&text, ex.client_ip) {
        Ok(r) => r,
        Err(e) => return steps.push(step, Err(waf_err(&e))),
    };
    let r = WebAcl::new(&acl_doc, &resources, &Value::Null)
        .and_then(|mut acl| acl.evaluate(&request, &Value::Null))
        .map_err(|e| waf_err(&e))
        .and_then(|record| blocked(&record));
    steps.push(step, r)?;

    fms_steps(steps, variant, &request, &text)?;
    flood(steps)
}

/// `request` is the probe as the engines take it, `text` as the Firewall Manager page holds it (raw HTTP).
fn fms_steps(steps: &mut Steps, variant: Option<&str>, request: &Value, text: &str) -> Option<()> {
    let step = Step::new("fms-new-account", "Firewall Manager engine", "A new account's load balancer, after it joins", format!(
        "Firewall Manager applies a WAF policy across the organisation's accounts, including accounts and resources \
         that appear later; with automatic remediation it associates its web ACL with them, without it it only \
         reports them non-compliant: notes §11, {DOC_FMS}"));
    let org: Value = serde_json::from_str(crate::fms::examples::ORG).unwrap_or(Value::Null);
    let mut policies: Value = serde_json::from_str(crate::fms::examples::POLICIES).unwrap_or(Value::Null);
    if variant == Some("remediation-off") {
        if let Some(p) = policies.pointer_mut("/0/Policy/RemediationEnabled") {
            *p = json!(false);
        }
    }
    let step = step.link(
        "#/fms",
        json!({"org": super::kit::pretty(&org), "policies": super::kit::pretty(&policies),
        "request": text, "clock": AFTER_JOIN, "selected": NEW_ALB}),
    );
    let options = json!({"at": AFTER_JOIN, "region": "eu-west-1", "resource": NEW_ALB, "request": request});
    let out = match crate::fms::json::evaluate(&org, &policies, &options) {
        Ok(v) => v,
        Err(e) => return steps.push(step, Err(fail(e.code(), e.to_string()))),
    };
    let resource = out
        .get("resources")
        .and_then(Value::as_array)
        .and_then(|a| a.iter().find(|r| *at(r, "/arn") == NEW_ALB))
        .cloned()
        .unwrap_or(Value::Null);
    let policy = resource
        .get("policies")
        .and_then(Value::as_array)
        .and_then(|a| a.iter().find(|p| *at(p, "/inScope") == true))
        .cloned()
        .unwrap_or(Value::Null);
    let r = if policy.is_null() {
        Err(fail("OutOfScope", "no policy covers the new account's load balancer"))
    } else if *at(&policy, "/compliant") == true {
        Ok(format!(
            "{} covers it (account {} joined at {}s): compliant, web ACL associated",
            at(&policy, "/policyName").as_str().unwrap_or("?"),
            at(&resource, "/accountId").as_str().unwrap_or("?"),
            at(&resource, "/since")
        ))
    } else {
        Err(fail(
            at(&policy, "/violation").as_str().unwrap_or("NON_COMPLIANT"),
            at(&policy, "/message").as_str().unwrap_or("non-compliant"),
        ))
    };
    steps.push(step, r)?;

    let step = Step::new("fms-blocks", "Firewall Manager engine", "The same probe at the new load balancer", format!(
        "The web ACL Firewall Manager built (its first rule groups, the account's own rules, its last rule groups) \
         evaluates the request, and the log record names the managed rule that blocked it: {DOC_FMS}"))
    .link("#/fms", json!({"org": super::kit::pretty(&org), "policies": super::kit::pretty(&policies),
        "request": text, "clock": AFTER_JOIN, "selected": NEW_ALB}));
    let record = out.pointer("/evaluation/record").cloned().unwrap_or(Value::Null);
    let r = blocked(&record).map(|b| {
        format!(
            "{b} (in the {} rule groups)",
            out.pointer("/evaluation/set").and_then(Value::as_str).unwrap_or("?")
        )
    });
    steps.push(step, r)
}

/// The DDoS practice's per-IP rate-based rule: 50 requests per minute per address.
fn rate_acl() -> Value {
    let vis =
        |n: &str| json!({"SampledRequestsEnabled": true, "CloudWatchMetricsEnabled": true, "MetricName": n});
    json!({"Name": "ddos-practice", "Id": "a1b2c3d4-5678-90ab-cdef-000000000000",
        "ARN": "arn:aws:wafv2:us-east-1:111122223333:regional/webacl/ddos-practice/a1b2c3d4-5678-90ab-cdef-000000000000",
        "DefaultAction": {"Allow": {}}, "VisibilityConfig": vis("ddos-practice"),
        "Rules": [{"Name": "PerIp", "Priority": 0, "Action": {"Block": {}},
            "Statement": {"RateBasedStatement": {"Limit": 50, "EvaluationWindowSec": 60, "AggregateKeyType": "IP"}},
            "VisibilityConfig": vis("PerIp")}]})
}

fn flood(steps: &mut Steps) -> Option<()> {
    let acl = rate_acl();
    let step = Step::new("flood", "WAF engine (DDoS practice)", "An HTTP GET flood against a rate-based rule", format!(
        "Three addresses send 10 requests a second for 30 seconds while 10 real users browse. AWS WAF counts requests \
         per address over the window and, checking about every 10 seconds, blocks an address once it passes the \
         limit (50 a minute here): {DOC_RATE}. Rate-based rules are one of the layer-7 practices of {DOC_DDOS}"))
    .link("#/waf", json!({"acl": super::kit::pretty(&acl), "resources": "{}",
        "request": "GET / HTTP/1.1\nHost: shop.example.com\n", "clientIp": "192.0.2.10", "country": ""}));
    let scenario = json!({"kind": "httpGetFlood", "attackers": 3, "attackerRate": 10, "users": 10, "userRate": 0.2,
        "durationSec": 30, "arrival": "uniform", "seed": 11});
    let r = FloodSimulator::new(&acl, &Value::Null, &Value::Null)
        .and_then(|sim| sim.run(&scenario))
        .map_err(|e| waf_err(&e))
        .and_then(|report| {
            let t = at(&report, "/totals");
            let trips = at(&report, "/trips").as_array().map_or(0, Vec::len);
            if trips == 0 {
                return Err(fail("NotBlocked", "the rate-based rule never tripped"));
            }
            Ok(format!(
                "{} requests ({} attack): {} blocked, {} attack requests let through before the rule tripped for {trips} \
                 addresses, {} real users' requests stopped",
                at(t, "/requests"), at(t, "/attack"), at(t, "/blocked"), at(t, "/attackAllowed"), at(t, "/legitStopped")
            ))
        });
    steps.push(step, r)
}
