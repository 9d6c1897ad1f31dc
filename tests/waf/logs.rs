#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
//! The WAF log replay: AWS WAF log records read (text, gzip, CloudWatch exports, our own
//! records) and replayed through an edited web ACL, the differences counted exactly, and hostile
//! input refused with a coded error. Field names:
//! <https://docs.aws.amazon.com/waf/latest/developerguide/logging-fields.html>.

use base64::Engine as _;
use secplay::waf::json::WebAcl;
use secplay::waf::logs::json::replay_logs;
use secplay::waf::logs::reader::{LogReader, MAX_LINE};
use secplay::waf::logs::record::parse_line;
use secplay::waf::logs::LogReplayer;
use serde_json::{json, Value};

const EXAMPLES: &str = include_str!("data/aws-log-examples.jsonl");
const EXAMPLES_GZ: &[u8] = include_bytes!("data/aws-log-examples.jsonl.gz");
const EXAMPLES_GZ2: &[u8] = include_bytes!("data/aws-log-examples-2members.jsonl.gz");

/// The rule of the logging-examples page's "Rate-based rule 1" (limit 100 per `dogname` header),
/// in a web ACL that allows by default.
/// <https://docs.aws.amazon.com/waf/latest/developerguide/logging-examples.html>
fn doc_rate_acl() -> Value {
    acl(vec![json!({
        "Name": "RateBasedRule", "Priority": 1,
        "Statement": {"RateBasedStatement": {"Limit": 100, "AggregateKeyType": "CUSTOM_KEYS",
            "CustomKeys": [{"Header": {"Name": "dogname", "TextTransformations": [{"Priority": 0, "Type": "NONE"}]}}]}},
        "Action": {"Block": {}},
        "VisibilityConfig": {"SampledRequestsEnabled": true, "CloudWatchMetricsEnabled": true, "MetricName": "RateBasedRule"}
    })])
}

fn acl(rules: Vec<Value>) -> Value {
    json!({
        "Name": "ExampleWebACL", "Id": "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111",
        "ARN": "arn:aws:wafv2:us-east-1:111122223333:regional/webacl/ExampleWebACL/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111",
        "DefaultAction": {"Allow": {}},
        "Rules": rules,
        "VisibilityConfig": {"SampledRequestsEnabled": true, "CloudWatchMetricsEnabled": true, "MetricName": "acl"}
    })
}

fn vis(name: &str) -> Value {
    json!({"SampledRequestsEnabled": true, "CloudWatchMetricsEnabled": true, "MetricName": name})
}

fn byte_rule(name: &str, priority: i64, field: Value, search: &str, action: Value, labels: &[&str]) -> Value {
    let mut r = json!({
        "Name": name, "Priority": priority,
        "Statement": {"ByteMatchStatement": {"SearchString": base64::engine::general_purpose::STANDARD.encode(search), "FieldToMatch": field,
            "TextTransformations": [{"Priority": 0, "Type": "LOWERCASE"}], "PositionalConstraint": "CONTAINS"}},
        "Action": action, "VisibilityConfig": vis(name)
    });
    if !labels.is_empty() {
        r["RuleLabels"] = json!(labels.iter().map(|l| json!({"Name": l})).collect::<Vec<_>>());
    }
    r
}

fn replay(acl: &Value, log: &[u8], options: Value) -> Value {
    replay_logs(acl, &Value::Null, log, &options, None).unwrap()
}

fn rule<'a>(diff: &'a Value, id: &str) -> &'a Value {
    diff["perRule"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == id)
        .unwrap_or_else(|| panic!("no rule {id}"))
}

#[test]
fn aws_doc_examples_are_read_field_by_field() {
    let lines: Vec<&str> = EXAMPLES.lines().collect();
    let r = parse_line(1, lines[0].as_bytes()).unwrap().unwrap();
    assert_eq!(r.action, "BLOCK");
    assert_eq!(r.terminating_rule_id, "RateBasedRule");
    assert_eq!(r.matched, vec!["RateBasedRule"]);
    assert_eq!(r.request_id.as_deref(), Some("Ed0AiHF_CGYF-XQ="));
    assert_eq!(r.request.client_ip.to_string(), "52.46.82.45");
    assert_eq!(r.request.method, "GET");
    assert_eq!(r.request.uri, "/CanaryTest");
    assert_eq!(r.request.header_values("dogname").collect::<Vec<_>>(), vec!["ella"]);
    assert_eq!(r.request.timestamp, Some(1_683_355_579_981));
    assert!(r.request.body.is_empty());
    // `args` becomes the query string; `country` `-` means unknown.
    let r = parse_line(2, lines[1].as_bytes()).unwrap().unwrap();
    assert_eq!(r.request.uri, "/CanaryTest?breed=collie");
    assert_eq!(r.request.country, None);
    assert!(r.matched.is_empty());
    // Rule-group rules are named `<ruleGroupId>/<ruleId>`; fingerprints are kept.
    let r = parse_line(3, lines[2].as_bytes()).unwrap().unwrap();
    assert_eq!(
        r.matched,
        vec![
            "AWS-AWSManagedRulesKnownBadInputsRuleSet",
            "AWS#AWSManagedRulesKnownBadInputsRuleSet/Host_localhost_HEADER"
        ]
    );
    assert_eq!(r.request.ja3.as_deref(), Some("e7d705a3286e19ea42f587b344ee6865"));
    assert_eq!(r.request.client_ip.to_string(), "2001:db8::7");
    assert_eq!(r.labels, vec!["awswaf:managed:aws:known-bad-inputs:Host_Localhost_Header"]);
    // A terminating CAPTCHA: no solved token; the counted rule is a match too.
    let r = parse_line(4, lines[3].as_bytes()).unwrap().unwrap();
    assert_eq!(r.action, "CAPTCHA");
    assert_eq!(r.captcha_solved_ms, None);
    assert_eq!(r.matched, vec!["CaptchaLogin", "CountAdmin"]);
    assert_eq!(r.request.method, "POST");
}

#[test]
fn aws_doc_rate_based_example_replayed_alone_is_newly_allowed() {
    // One logged request cannot reach a limit of 100: the replay says so, per rule.
    let first = EXAMPLES.lines().next().unwrap();
    let d = replay(&doc_rate_acl(), first.as_bytes(), Value::Null);
    assert_eq!(d["records"], 1);
    assert_eq!(d["newlyAllowed"], 1);
    assert_eq!(d["unchanged"], 0);
    assert_eq!(d["transitions"], json!([{"from": "BLOCK", "to": "ALLOW", "count": 1}]));
    let r = rule(&d, "RateBasedRule");
    assert_eq!(
        (r["matchedBefore"].as_u64(), r["matchedAfter"].as_u64(), r["lost"].as_u64()),
        (Some(1), Some(0), Some(1))
    );
    let s = &d["samples"][0];
    assert_eq!(s["requestId"], "Ed0AiHF_CGYF-XQ=");
    assert_eq!((s["actionLogged"].as_str(), s["actionNow"].as_str()), (Some("BLOCK"), Some("ALLOW")));
    assert_eq!(s["ruleNow"], "Default_Action");
    assert_eq!(s["request"]["headers"][1], json!(["dogname", "ella"]));
    // The label the rule added is gone.
    assert_eq!(d["labelsChanged"], 1);
    assert_eq!(d["labels"][0]["removed"], 1);
}

#[test]
fn aws_doc_rate_based_example_repeated_trips_the_rule() {
    // 150 copies of the documented record in the same second: the replay's rate-based rule
    // rate limits the `dogname: ella` aggregate once its count passes the limit of 100 (a
    // rate-based rule counts requests per aggregate and rate limits the groupings over the limit:
    // https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rate-based.html).
    let first = EXAMPLES.lines().next().unwrap();
    let log: String = (0..150).map(|_| format!("{first}\n")).collect();
    let d = replay(&doc_rate_acl(), log.as_bytes(), Value::Null);
    assert_eq!(d["records"], 150);
    assert_eq!(d["newlyAllowed"], 100);
    assert_eq!(d["unchanged"], 50);
    assert_eq!(rule(&d, "RateBasedRule")["matchedAfter"], 50);
    // One client, counted once.
    assert_eq!(
        d["perClient"],
        json!([{"clientIp": "52.46.82.45", "records": 150, "changed": 100, "newlyBlocked": 0, "newlyAllowed": 100}])
    );
}

#[test]
fn every_doc_example_replays_and_the_managed_group_is_judged() {
    let rules = vec![
        json!({"Name": "AWS-AWSManagedRulesKnownBadInputsRuleSet", "Priority": 0,
            "Statement": {"ManagedRuleGroupStatement": {"VendorName": "AWS", "Name": "AWSManagedRulesKnownBadInputsRuleSet"}},
            "OverrideAction": {"None": {}}, "VisibilityConfig": vis("kbi")}),
        byte_rule("CountAdmin", 1, json!({"QueryString": {}}), "admin", json!({"Count": {}}), &["admin"]),
        byte_rule("CaptchaLogin", 2, json!({"UriPath": {}}), "/login", json!({"Captcha": {}}), &[]),
    ];
    let d = replay(&acl(rules), EXAMPLES.as_bytes(), Value::Null);
    assert_eq!(d["records"], 4);
    assert_eq!(d["badLines"], 0);
    // Line 1 (the rate-based block) is now allowed, and so is line 3: the playground does not
    // model the Known Bad Inputs group, which the replay says rather than hides.
    assert_eq!(d["unchanged"], 2, "{d:#}");
    assert_eq!(d["newlyAllowed"], 2);
    let kbi = rule(&d, "AWS-AWSManagedRulesKnownBadInputsRuleSet");
    assert!(kbi["unjudged"].as_str().unwrap().contains("not modelled"), "{kbi}");
    let g = rule(&d, "AWS#AWSManagedRulesKnownBadInputsRuleSet/Host_localhost_HEADER");
    assert_eq!((g["matchedBefore"].as_u64(), g["matchedAfter"].as_u64()), (Some(1), Some(0)));
    // Every record reached that group (priority 0): none is judged for sure.
    assert_eq!(d["unjudged"], 4);
    // The counted rule and the CAPTCHA decide as logged (no token in the log: CAPTCHA again).
    assert_eq!(rule(&d, "CountAdmin")["matchedAfter"], 1);
    assert_eq!(rule(&d, "CaptchaLogin")["matchedAfter"], 1);
    let captcha =
        d["perClient"].as_array().unwrap().iter().find(|c| c["clientIp"] == "198.51.100.7").unwrap();
    assert_eq!(captcha["changed"], 0);
}

/// A web ACL with a count rule that labels, a block rule, a rule group and a rate-based rule,
/// and 300 requests through it as our own log records (what `evaluate` returns).
fn own_setup() -> (Value, Value, String, Vec<Value>) {
    let group_arn = "arn:aws:wafv2:us-east-1:111122223333:regional/rulegroup/bots/abcd";
    let group = json!({
        "Name": "bots", "Id": "abcd", "ARN": group_arn, "Capacity": 100,
        "Rules": [byte_rule("BadBot", 0, json!({"SingleHeader": {"Name": "user-agent"}}), "badbot", json!({"Block": {}}), &["bot"])],
        "VisibilityConfig": vis("bots")
    });
    let rules = vec![
        byte_rule("CountAdmin", 0, json!({"UriPath": {}}), "/admin", json!({"Count": {}}), &["admin"]),
        json!({"Name": "Bots", "Priority": 1, "Statement": {"RuleGroupReferenceStatement": {"ARN": group_arn}},
            "OverrideAction": {"None": {}}, "VisibilityConfig": vis("Bots")}),
        byte_rule("BlockSqlPath", 2, json!({"QueryString": {}}), "select", json!({"Block": {}}), &[]),
        json!({"Name": "Flood", "Priority": 3, "Statement": {"RateBasedStatement": {"Limit": 10, "AggregateKeyType": "IP", "EvaluationWindowSec": 60}},
            "Action": {"Block": {}}, "VisibilityConfig": vis("Flood")}),
    ];
    let acl = acl(rules);
    let resources = json!({"ruleGroups": [group]});
    let mut web = WebAcl::new(&acl, &resources, &json!({"trace": false})).unwrap();
    let mut log = String::new();
    let mut requests = Vec::new();
    for i in 0..300u64 {
        let uri = match i % 5 {
            0 => "/admin/panel".to_owned(),
            1 => format!("/search?q=select+{i}"),
            2 => "/home?x=1".to_owned(),
            _ => format!("/item/{i}"),
        };
        let ua = if i % 7 == 0 { "BadBot/1.0" } else { "Mozilla/5.0" };
        // Address 10.0.0.1 sends every third request (a flood), the rest come from 100 others.
        let ip = if i % 3 == 0 { "10.0.0.1".to_owned() } else { format!("192.0.2.{}", i % 100) };
        let req = json!({"method": "GET", "uri": uri, "headers": [["Host", "example.com"], ["User-Agent", ua]],
            "clientIp": ip, "timestamp": 1_700_000_000_000u64 + i * 100});
        let rec = web.evaluate(&req, &Value::Null).unwrap();
        log.push_str(&serde_json::to_string(&rec).unwrap());
        log.push('\n');
        requests.push(req);
    }
    (acl, resources, log, requests)
}

#[test]
fn own_records_replayed_through_the_same_acl_differ_in_nothing() {
    let (acl, resources, log, _) = own_setup();
    let d = replay_logs(&acl, &resources, log.as_bytes(), &Value::Null, None).unwrap();
    assert_eq!(d["records"], 300);
    assert_eq!(d["unchanged"], 300);
    for k in [
        "newlyBlocked",
        "newlyAllowed",
        "otherChanges",
        "ruleChanged",
        "labelsChanged",
        "badLines",
        "unjudged",
    ] {
        assert_eq!(d[k], 0, "{k}");
    }
    assert_eq!(d["samples"], json!([]));
    for r in d["perRule"].as_array().unwrap() {
        assert_eq!(r["matchedBefore"], r["matchedAfter"], "{r}");
        assert_eq!((r["gained"].as_u64(), r["lost"].as_u64()), (Some(0), Some(0)), "{r}");
    }
    // Every rule matched something, so the comparison was not vacuous.
    for id in [
        "CountAdmin",
        "Bots",
        "BlockSqlPath",
        "Flood",
        "arn:aws:wafv2:us-east-1:111122223333:regional/rulegroup/bots/abcd/BadBot",
    ] {
        assert!(rule(&d, id)["matchedBefore"].as_u64().unwrap() > 0, "{id}: {d:#}");
    }
}

#[test]
fn a_changed_acl_gives_exactly_the_expected_differences() {
    let (acl0, resources, log, requests) = own_setup();
    let before = replay_logs(&acl0, &resources, log.as_bytes(), &Value::Null, None).unwrap();
    let blocked_by_sql = rule(&before, "BlockSqlPath")["matchedBefore"].as_u64().unwrap();

    // 1. BlockSqlPath from Block to Count: the requests it decided are decided by what follows,
    //    and the rate-based rule now counts them too, so it trips sooner. The expected figures
    //    come from evaluating the original requests (not the log) through the edited ACL.
    let mut acl1 = acl0.clone();
    acl1["Rules"][2]["Action"] = json!({"Count": {}});
    let d = replay_logs(&acl1, &resources, log.as_bytes(), &Value::Null, None).unwrap();
    let mut direct = WebAcl::new(&acl1, &resources, &json!({"trace": false})).unwrap();
    let (mut blocked, mut allowed, mut same) = (0u64, 0u64, 0u64);
    for (req, line) in requests.iter().zip(log.lines()) {
        let logged: Value = serde_json::from_str(line).unwrap();
        let now = direct.evaluate(req, &Value::Null).unwrap();
        match (logged["action"].as_str().unwrap(), now["action"].as_str().unwrap()) {
            (a, b) if a == b => same += 1,
            (_, "BLOCK") => blocked += 1,
            (_, "ALLOW") => allowed += 1,
            other => panic!("{other:?}"),
        }
    }
    assert!(allowed > 0 && blocked > 0, "the edit moves requests both ways");
    assert_eq!(
        (d["newlyBlocked"].as_u64(), d["newlyAllowed"].as_u64(), d["unchanged"].as_u64()),
        (Some(blocked), Some(allowed), Some(same))
    );
    let r = rule(&d, "BlockSqlPath");
    assert_eq!(r["matchedAfter"].as_u64().unwrap(), blocked_by_sql, "a count rule still matches");
    assert_eq!(r["lost"], 0);
    // Everything newly blocked is the rate-based rule's doing.
    assert!(d["samples"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["actionNow"] == "BLOCK")
        .all(|s| s["ruleNow"] == "Flood"));

    // 2. CountAdmin removed: its matches and its label disappear, nothing else changes.
    let mut acl2 = acl0.clone();
    acl2["Rules"].as_array_mut().unwrap().remove(0);
    let d = replay_logs(&acl2, &resources, log.as_bytes(), &Value::Null, None).unwrap();
    let admin = rule(&d, "CountAdmin");
    assert_eq!(admin["matchedBefore"], 60);
    assert_eq!(admin["matchedAfter"], 0);
    assert_eq!(admin["lost"], 60);
    assert_eq!(d["labelsChanged"], 60);
    assert_eq!(
        d["labels"],
        json!([{"label": "awswaf:111122223333:webacl:ExampleWebACL:admin", "added": 0, "removed": 60}])
    );
    assert_eq!(d["unchanged"], 300);

    // 3. A new rule blocking `/item/`: exactly the /item/ requests that were allowed become blocked.
    let mut acl3 = acl0.clone();
    acl3["Rules"].as_array_mut().unwrap().push(byte_rule(
        "BlockItems",
        9,
        json!({"UriPath": {}}),
        "/item/",
        json!({"Block": {}}),
        &[],
    ));
    let d = replay_logs(&acl3, &resources, log.as_bytes(), &Value::Null, None).unwrap();
    let allowed_items = log
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|r| r["action"] == "ALLOW" && r["httpRequest"]["uri"].as_str().unwrap().starts_with("/item/"))
        .count() as u64;
    assert!(allowed_items > 50);
    assert_eq!(d["newlyBlocked"].as_u64().unwrap(), allowed_items);
    assert_eq!(rule(&d, "BlockItems")["gained"].as_u64().unwrap(), allowed_items);
    assert_eq!(d["unchanged"].as_u64().unwrap(), 300 - allowed_items);
    assert_eq!(d["transitions"], json!([{"from": "ALLOW", "to": "BLOCK", "count": allowed_items}]));
    // The default samples cap (50) holds.
    assert_eq!(d["samples"].as_array().unwrap().len(), 50);
    assert!(d["samples"].as_array().unwrap().iter().all(|s| s["ruleNow"] == "BlockItems"));
}

#[test]
fn rules_that_inspect_the_body_are_reported_unjudged() {
    let rules = vec![
        byte_rule(
            "BodyCheck",
            0,
            json!({"Body": {"OversizeHandling": "CONTINUE"}}),
            "password",
            json!({"Block": {}}),
            &[],
        ),
        json!({"Name": "Ja3", "Priority": 1,
            "Statement": {"ByteMatchStatement": {"SearchString": base64::engine::general_purpose::STANDARD.encode("abc"),
                "FieldToMatch": {"JA3Fingerprint": {"FallbackBehavior": "NO_MATCH"}},
                "TextTransformations": [{"Priority": 0, "Type": "NONE"}], "PositionalConstraint": "EXACTLY"}},
            "Action": {"Block": {}}, "VisibilityConfig": vis("Ja3")}),
        byte_rule("Path", 2, json!({"UriPath": {}}), "/nothing", json!({"Block": {}}), &[]),
    ];
    let d = replay(&acl(rules), EXAMPLES.as_bytes(), Value::Null);
    assert!(rule(&d, "BodyCheck")["unjudged"].as_str().unwrap().contains("body"));
    assert!(rule(&d, "Ja3")["unjudged"].as_str().unwrap().contains("JA3"));
    assert!(rule(&d, "Path").get("unjudged").is_none());
    // Every record reached BodyCheck (priority 0).
    assert_eq!(d["unjudged"], 4);
}

#[test]
fn gzip_logs_read_like_text_in_any_chunking() {
    let acl = doc_rate_acl();
    let text = replay(&acl, EXAMPLES.as_bytes(), Value::Null);
    assert_eq!(text["records"], 4);
    for gz in [EXAMPLES_GZ, EXAMPLES_GZ2] {
        for size in [1usize, 2, 7, 64, 4096] {
            let mut r = LogReplayer::new(&acl, &Value::Null, &Value::Null, None).unwrap();
            for c in gz.chunks(size) {
                r.push(c).unwrap();
            }
            assert_eq!(r.progress()["encoding"], "gzip");
            assert_eq!(r.finish().unwrap(), text, "chunks of {size}");
        }
    }
    // Text split at every byte boundary.
    for size in [1usize, 3, 100] {
        let mut r = LogReplayer::new(&acl, &Value::Null, &Value::Null, None).unwrap();
        for c in EXAMPLES.as_bytes().chunks(size) {
            r.push(c).unwrap();
        }
        assert_eq!(r.finish().unwrap(), text);
    }
}

#[test]
fn cloudwatch_exports_read_like_the_records() {
    let acl = doc_rate_acl();
    let text = replay(&acl, EXAMPLES.as_bytes(), Value::Null);
    // `create-export-task` lines: an ISO timestamp, a space, the record (CRLF endings too).
    let export: String = EXAMPLES.lines().map(|l| format!("2023-05-06T06:46:19.981Z {l}\r\n")).collect();
    assert_eq!(replay(&acl, export.as_bytes(), Value::Null), text);
    // Log events with the record as text in `message` (what `filter-log-events` lists).
    let events: String = EXAMPLES
        .lines()
        .map(|l| format!("{}\n", json!({"timestamp": 1, "message": l, "ingestionTime": 2})))
        .collect();
    assert_eq!(replay(&acl, events.as_bytes(), Value::Null), text);
}

#[test]
fn bad_lines_are_counted_with_codes_and_do_not_stop_the_replay() {
    // Nested 100,000 deep inside a member the reader skips, then unterminated: no stack
    // overflow, a malformed line. (Closed, the same nesting is a record without `httpRequest`.)
    let deep = format!("{{\"deep\":{}", "[".repeat(100_000));
    let closed = format!("{{\"deep\":{}{}}}", "[".repeat(100_000), "]".repeat(100_000));
    let d = replay(&doc_rate_acl(), closed.as_bytes(), Value::Null);
    assert_eq!(d["errors"][0]["code"], "InvalidLogRecord");
    let log = format!(
        "not json at all\n{deep}\n{{\"action\":\"ALLOW\"}}\n{}\n{{\"action\":\"ALLOW\",\"httpRequest\":{{\"clientIp\":\"85.90.*.*\"}}}}\n\n{{\"timestamp\":\"x\",\"httpRequest\":{{}}}}\n",
        EXAMPLES.lines().next().unwrap()
    );
    let d = replay(&doc_rate_acl(), log.as_bytes(), Value::Null);
    assert_eq!(d["records"], 1);
    assert_eq!(d["badLines"], 5);
    let codes: Vec<(u64, &str)> = d["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["line"].as_u64().unwrap(), e["code"].as_str().unwrap()))
        .collect();
    assert_eq!(
        codes,
        vec![
            (1, "InvalidLogRecord"),
            (2, "MalformedJson"),
            (3, "InvalidLogRecord"),
            (5, "InvalidLogRecord"),
            (7, "InvalidLogRecord")
        ]
    );
    assert!(d["errors"][1]["message"].as_str().unwrap().contains("EOF"), "{}", d["errors"][1]);
    assert!(d["errors"][3]["message"].as_str().unwrap().contains("85.90.*.*"));
}

#[test]
fn a_line_over_the_limit_is_a_coded_error_naming_the_line() {
    let mut log = EXAMPLES.to_owned();
    log.push_str(&"x".repeat(MAX_LINE + 1));
    let e = replay_logs(&doc_rate_acl(), &Value::Null, log.as_bytes(), &Value::Null, None).unwrap_err();
    assert_eq!(e.code(), "InvalidLogLine");
    assert!(e.to_string().starts_with("log line 5:"), "{e}");
    // Also when the line arrives in small chunks and never ends.
    let mut r = LogReader::new();
    let chunk = vec![b'y'; 4096];
    let mut err = None;
    for _ in 0..(MAX_LINE / 4096 + 2) {
        if let Err(e) = r.push(&chunk, &mut |_, _| {}) {
            err = Some(e);
            break;
        }
    }
    let e = err.expect("bounded");
    assert_eq!(e.code(), "InvalidLogLine");
    assert!(e.to_string().starts_with("log line 1:"));
}

#[test]
fn damaged_gzip_is_a_coded_error() {
    let acl = doc_rate_acl();
    let run = |bytes: &[u8]| replay_logs(&acl, &Value::Null, bytes, &Value::Null, None);
    // Truncated.
    let e = run(&EXAMPLES_GZ[..EXAMPLES_GZ.len() - 5]).unwrap_err();
    assert_eq!(e.code(), "InvalidGzip");
    assert!(e.to_string().contains("truncated"));
    // A flipped byte in the CRC.
    let mut bad_crc = EXAMPLES_GZ.to_vec();
    let n = bad_crc.len();
    bad_crc[n - 6] ^= 1;
    let e = run(&bad_crc).unwrap_err();
    assert_eq!(e.code(), "InvalidGzip");
    assert!(e.to_string().contains("CRC-32"), "{e}");
    // Damaged deflate data (or a CRC that then fails): an error either way, never a panic.
    for at in (120..EXAMPLES_GZ.len() - 8).step_by(37) {
        let mut b = EXAMPLES_GZ.to_vec();
        b[at] ^= 0xff;
        let r = run(&b);
        if let Err(e) = &r {
            assert_eq!(e.code(), "InvalidGzip", "byte {at}");
        }
    }
    // Garbage after the last member; a bad compression method.
    let mut tail = EXAMPLES_GZ.to_vec();
    tail.extend_from_slice(b"junk");
    assert_eq!(run(&tail).unwrap_err().code(), "InvalidGzip");
    let mut method = EXAMPLES_GZ.to_vec();
    method[2] = 7;
    assert_eq!(run(&method).unwrap_err().code(), "InvalidGzip");
    // Only the magic bytes.
    assert_eq!(run(&[0x1f, 0x8b]).unwrap_err().code(), "InvalidGzip");
}

#[test]
fn aggregates_stay_within_their_caps() {
    let first: Value = serde_json::from_str(EXAMPLES.lines().next().unwrap()).unwrap();
    let mut log = String::new();
    for i in 0..500 {
        let mut r = first.clone();
        r["httpRequest"]["clientIp"] = json!(format!("203.0.113.{}", i % 250));
        r["httpRequest"]["requestId"] = json!(format!("req-{i}"));
        log.push_str(&r.to_string());
        log.push('\n');
    }
    let d =
        replay(&doc_rate_acl(), log.as_bytes(), json!({"maxSamples": 3, "maxClients": 10, "topClients": 4}));
    assert_eq!(d["records"], 500);
    assert_eq!(d["samples"].as_array().unwrap().len(), 3);
    assert_eq!(d["samples"][2]["requestId"], "req-2");
    assert_eq!(d["clientsCounted"], 10);
    assert_eq!(d["perClient"].as_array().unwrap().len(), 4);
    assert_eq!(d["clientsOverflow"]["clientIp"], "(other)");
    assert_eq!(d["clientsOverflow"]["records"], 500 - 20);
    let e = replay_logs(&doc_rate_acl(), &Value::Null, b"", &json!({"maxSamples": 5000}), None).unwrap_err();
    assert_eq!(e.code(), "ConstraintViolation");
    let e = replay_logs(&doc_rate_acl(), &Value::Null, b"", &json!({"colour": 1}), None).unwrap_err();
    assert_eq!(e.code(), "UnknownField");
}

#[test]
fn a_finished_replay_takes_no_more_input() {
    let mut r = LogReplayer::new(&doc_rate_acl(), &Value::Null, &Value::Null, None).unwrap();
    r.push(EXAMPLES.as_bytes()).unwrap();
    let first = r.finish().unwrap();
    assert_eq!(r.finish().unwrap(), first);
    assert_eq!(r.push(b"{}").unwrap_err().code(), "LimitExceeded");
}

#[test]
fn gzip_headers_with_extra_field_comment_and_header_crc_are_read() {
    // RFC 1952 §2.3: FEXTRA (XLEN, then data), FNAME and FCOMMENT (zero-terminated), FHCRC (two
    // bytes). The fixture's header has FNAME; rebuild it with all four around the same body.
    assert_eq!(EXAMPLES_GZ[3], 0x08, "the fixture sets FNAME only");
    let name_end = 10 + EXAMPLES_GZ[10..].iter().position(|&b| b == 0).unwrap() + 1;
    let mut gz = vec![0x1f, 0x8b, 8, 0x04 | 0x08 | 0x10 | 0x02, 0, 0, 0, 0, 0, 3];
    gz.extend_from_slice(&[5, 0, b'A', b'B', 3, 0, 9]);
    gz.extend_from_slice(b"aws.log\0a comment\0");
    gz.extend_from_slice(&[0xaa, 0xbb]);
    gz.extend_from_slice(&EXAMPLES_GZ[name_end..]);
    let acl = doc_rate_acl();
    let want = replay(&acl, EXAMPLES.as_bytes(), Value::Null);
    for size in [1usize, 3, 4096] {
        let mut r = LogReplayer::new(&acl, &Value::Null, &Value::Null, None).unwrap();
        for c in gz.chunks(size) {
            r.push(c).unwrap();
        }
        assert_eq!(r.finish().unwrap(), want, "chunks of {size}");
    }
    // Reserved flag bits are refused.
    let mut reserved = gz.clone();
    reserved[3] |= 0x80;
    assert_eq!(
        replay_logs(&acl, &Value::Null, &reserved, &Value::Null, None).unwrap_err().code(),
        "InvalidGzip"
    );
}
