//! DDoS practice with known answers: floods through rate-based rules (each window, each
//! aggregation key, scope-down, custom keys, both rate models) and the BP1–BP7 checklist.
//! Rules cited: rate-based rule settings
//! https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rate-based-high-level-settings.html
//! (windows 60/120/300/600, lowest limit 10, "when this limit is breached, AWS WAF applies the
//! rule action to additional requests"), the check "about every 10 seconds"
//! https://docs.aws.amazon.com/waf/latest/APIReference/API_RateBasedStatement.html, and the
//! whitepaper https://docs.aws.amazon.com/whitepapers/latest/aws-best-practices-ddos-resiliency/aws-best-practices-ddos-resiliency.html

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use secplay::waf::ddos::json::{checklist, FloodSimulator};
use serde_json::{json, Value};

fn vis(n: &str) -> Value {
    json!({"SampledRequestsEnabled": true, "CloudWatchMetricsEnabled": true, "MetricName": n})
}

fn acl(rules: Vec<Value>) -> Value {
    json!({
        "Name": "t", "Id": "a1b2c3d4-5678-90ab-cdef-000000000000",
        "ARN": "arn:aws:wafv2:us-east-1:111122223333:regional/webacl/t/a1b2c3d4-5678-90ab-cdef-000000000000",
        "DefaultAction": {"Allow": {}}, "VisibilityConfig": vis("t"), "Rules": rules
    })
}

fn rate_rule(name: &str, priority: i64, statement: Value, action: &str) -> Value {
    json!({"Name": name, "Priority": priority, "Statement": {"RateBasedStatement": statement},
           "Action": {action: {}}, "VisibilityConfig": vis(name)})
}

fn ip_rule(limit: u64, window: u64) -> Value {
    acl(vec![rate_rule(
        "PerIp",
        0,
        json!({"Limit": limit, "EvaluationWindowSec": window, "AggregateKeyType": "IP"}),
        "Block",
    )])
}

fn sim(acl: &Value, options: Value) -> FloodSimulator {
    FloodSimulator::new(acl, &Value::Null, &options).unwrap()
}

fn rule<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["rules"].as_array().unwrap().iter().find(|r| r["name"] == name).unwrap()
}

#[test]
fn single_address_over_the_limit_is_blocked_from_request_limit_plus_one_exact() {
    // 10 requests/s from one address, limit 100 in 60 s: requests 1..=100 pass, the 101st is
    // the first over the limit ("applies the rule action to additional requests").
    let s = sim(&ip_rule(100, 60), json!({"rateModel": "exact"}));
    let r = s
        .run(&json!({"kind": "httpGetFlood", "attackers": 1, "attackerRate": 10, "durationSec": 60}))
        .unwrap();
    assert_eq!(r["totals"]["requests"], 600);
    assert_eq!(r["totals"]["attackAllowed"], 100);
    assert_eq!(r["totals"]["blocked"], 500);
    let trip = &r["trips"][0];
    assert_eq!(trip["rule"], "PerIp");
    assert_eq!(trip["client"], "bot-0");
    assert_eq!(trip["allowedBefore"], 100);
    let at = trip["atSec"].as_f64().unwrap();
    assert!((9.9..10.1).contains(&at), "{at}");
    assert_eq!(rule(&r, "PerIp")["attackAllowedBeforeTrip"], 100);
}

#[test]
fn periodic_model_trips_at_the_first_check_that_sees_the_address_over_the_limit() {
    // The 10 s check sees 100 (not over); the 20 s check sees 200: blocked from 20 s, so 200
    // requests got through (twice the exact model's 100).
    let s = sim(&ip_rule(100, 60), Value::Null);
    let r = s
        .run(&json!({"kind": "httpGetFlood", "attackers": 1, "attackerRate": 10, "durationSec": 60}))
        .unwrap();
    assert_eq!(r["rateModel"], "periodic");
    assert_eq!(r["checkIntervalSec"], 10.0);
    let at = r["trips"][0]["atSec"].as_f64().unwrap();
    assert!((20.0..20.1).contains(&at), "{at}");
    assert_eq!(r["trips"][0]["allowedBefore"], 200);
    // A propagation delay of 20 s moves the trip to the 20 s check applied at 40 s.
    let s = sim(&ip_rule(100, 60), json!({"mitigationDelaySec": 20}));
    let r = s
        .run(&json!({"kind": "httpGetFlood", "attackers": 1, "attackerRate": 10, "durationSec": 60}))
        .unwrap();
    let at = r["trips"][0]["atSec"].as_f64().unwrap();
    assert!((40.0..40.1).contains(&at), "{at}");
    assert_eq!(r["trips"][0]["allowedBefore"], 400);
}

#[test]
fn each_evaluation_window_60_120_300_600_trips_above_and_not_below_the_limit() {
    for window in [60u64, 120, 300, 600] {
        for model in ["exact", "periodic"] {
            let s = sim(&ip_rule(100, window), json!({"rateModel": model}));
            #[allow(clippy::cast_precision_loss)]
            let base = 100.0 / window as f64;
            let above = s
                .run(&json!({"kind": "httpGetFlood", "attackers": 1, "attackerRate": base * 1.3, "durationSec": window * 2}))
                .unwrap();
            assert_eq!(rule(&above, "PerIp")["keysLimited"], 1, "window {window} {model}");
            let t = rule(&above, "PerIp")["firstTripSec"].as_f64().unwrap();
            // 101 requests at 1.3x the limit rate take about window/1.3 seconds.
            #[allow(clippy::cast_precision_loss)]
            let expect = window as f64 / 1.3;
            assert!(t >= expect - 1.0 && t <= expect + 11.0, "window {window} {model}: {t} vs {expect}");
            let below = s
                .run(&json!({"kind": "httpGetFlood", "attackers": 1, "attackerRate": base * 0.9, "durationSec": window * 2}))
                .unwrap();
            assert_eq!(rule(&below, "PerIp")["keysLimited"], 0, "window {window} {model}");
            assert_eq!(below["totals"]["blocked"], 0);
        }
    }
}

#[test]
fn mixed_flood_catches_no_user_below_the_limit() {
    // Users send 6 requests a minute, under the limit of 10 per 60 s; bots send 120.
    for model in ["exact", "periodic"] {
        let s = sim(&ip_rule(10, 60), json!({"rateModel": model}));
        let r = s
            .run(&json!({"kind": "botnetMix", "attackers": 50, "attackerRate": 2, "users": 100, "userRate": 0.1, "durationSec": 300}))
            .unwrap();
        assert_eq!(r["falsePositiveUsers"], 0, "{model}");
        assert_eq!(r["totals"]["legitStopped"], 0);
        assert_eq!(rule(&r, "PerIp")["keysLimited"], 50);
        assert!(r["totals"]["blocked"].as_u64().unwrap() > 25_000, "{model}");
        assert_eq!(r["clients"]["attackersNeverStopped"], 0);
    }
}

#[test]
fn users_over_the_limit_are_listed_as_false_positives_with_times() {
    let s = sim(&ip_rule(10, 60), json!({"rateModel": "exact"}));
    let r = s
        .run(&json!({"kind": "botnetMix", "attackers": 5, "attackerRate": 2, "users": 3, "userRate": 0.5, "durationSec": 120}))
        .unwrap();
    assert_eq!(r["falsePositiveUsers"], 3);
    let fp = &r["falsePositives"][0];
    assert!(fp["user"].as_str().unwrap().starts_with("user-"));
    assert_eq!(fp["rules"], json!(["PerIp"]));
    let at = fp["firstAtSec"].as_f64().unwrap();
    // The 11th request at 2 s spacing: about 20–22 s.
    assert!((19.0..23.0).contains(&at), "{at}");
}

#[test]
fn scope_down_limits_counting_to_the_login_path() {
    // "/login" base64-encoded, as get-web-acl prints SearchString.
    let scope = json!({"ByteMatchStatement": {"SearchString": "L2xvZ2lu", "FieldToMatch": {"UriPath": {}},
        "TextTransformations": [{"Priority": 0, "Type": "NONE"}], "PositionalConstraint": "STARTS_WITH"}});
    let scoped = acl(vec![rate_rule(
        "Login",
        0,
        json!({"Limit": 10, "EvaluationWindowSec": 60, "AggregateKeyType": "IP", "ScopeDownStatement": scope}),
        "Block",
    )]);
    // Users browse at 1 request/s (60 a minute, far over 10) but never on /login.
    let flood = json!({"kind": "loginFlood", "attackers": 5, "attackerRate": 1, "users": 20, "userRate": 1, "durationSec": 120});
    let r = sim(&scoped, json!({"rateModel": "exact"})).run(&flood).unwrap();
    assert_eq!(r["falsePositiveUsers"], 0);
    assert_eq!(rule(&r, "Login")["keysLimited"], 5);
    assert_eq!(rule(&r, "Login")["scopeDown"], true);
    // Without the scope-down every user is caught.
    let r = sim(&ip_rule(10, 60), json!({"rateModel": "exact"})).run(&flood).unwrap();
    assert_eq!(r["falsePositiveUsers"], 20);
}

#[test]
fn custom_keys_header_and_ip_separate_clients_behind_one_proxy() {
    // Every client comes through one proxy: by IP they are one key; by (x-api-key, IP) each
    // is its own.
    let flood = json!({"kind": "botnetMix", "attackers": 2, "attackerRate": 2, "users": 30, "userRate": 0.1,
        "durationSec": 180, "xForwardedFor": true, "headers": [["x-api-key", "{client}"]]});
    let r = sim(&ip_rule(10, 60), json!({"rateModel": "exact"})).run(&flood).unwrap();
    assert_eq!(rule(&r, "PerIp")["keysLimited"], 1);
    assert_eq!(r["falsePositiveUsers"], 30);
    let custom = acl(vec![rate_rule(
        "PerKey",
        0,
        json!({"Limit": 10, "EvaluationWindowSec": 60, "AggregateKeyType": "CUSTOM_KEYS",
        "CustomKeys": [{"Header": {"Name": "x-api-key", "TextTransformations": [{"Priority": 0, "Type": "NONE"}]}}, {"IP": {}}]}),
        "Block",
    )]);
    let r = sim(&custom, json!({"rateModel": "exact"})).run(&flood).unwrap();
    assert_eq!(r["falsePositiveUsers"], 0);
    assert_eq!(rule(&r, "PerKey")["keysLimited"], 2);
    assert_eq!(rule(&r, "PerKey")["aggregate"], "CUSTOM_KEYS");
    // FORWARDED_IP keys on X-Forwarded-For: also separates them.
    let fwd = acl(vec![rate_rule(
        "PerFwd",
        0,
        json!({"Limit": 10, "EvaluationWindowSec": 60, "AggregateKeyType": "FORWARDED_IP",
        "ForwardedIPConfig": {"HeaderName": "X-Forwarded-For", "FallbackBehavior": "NO_MATCH"}}),
        "Block",
    )]);
    let r = sim(&fwd, json!({"rateModel": "exact"})).run(&flood).unwrap();
    assert_eq!(r["falsePositiveUsers"], 0);
    assert_eq!(rule(&r, "PerFwd")["keysLimited"], 2);
}

#[test]
fn constant_key_limits_everyone_together_and_count_mode_only_counts() {
    let scope = json!({"ByteMatchStatement": {"SearchString": "Lw==", "FieldToMatch": {"UriPath": {}},
        "TextTransformations": [{"Priority": 0, "Type": "NONE"}], "PositionalConstraint": "STARTS_WITH"}});
    let a = acl(vec![rate_rule(
        "All",
        0,
        json!({"Limit": 1000, "EvaluationWindowSec": 60, "AggregateKeyType": "CONSTANT", "ScopeDownStatement": scope}),
        "Count",
    )]);
    let r = sim(&a, json!({"rateModel": "exact"}))
        .run(&json!({"kind": "httpGetFlood", "attackers": 100, "attackerRate": 1, "durationSec": 60}))
        .unwrap();
    assert_eq!(r["totals"]["blocked"], 0);
    assert_eq!(r["totals"]["counted"], 6000 - 1000);
    assert_eq!(rule(&r, "All")["keysLimited"], 1);
    assert_eq!(rule(&r, "All")["action"], "COUNT");
}

#[test]
fn asn_and_country_floods_carry_their_origin_to_geo_and_asn_rules() {
    let asn_block = acl(vec![
        json!({"Name": "BadAsn", "Priority": 0, "Statement": {"AsnMatchStatement": {"AsnList": [64496]}},
        "Action": {"Block": {}}, "VisibilityConfig": vis("BadAsn")}),
    ]);
    let r = sim(&asn_block, Value::Null)
        .run(&json!({"kind": "asnFlood", "asn": 64496, "attackers": 20, "attackerRate": 1, "users": 5, "durationSec": 30}))
        .unwrap();
    assert_eq!(r["totals"]["attackAllowed"], 0);
    assert_eq!(r["totals"]["legitStopped"], 0);
    assert_eq!(r["addressSources"], json!(["documented ranges"]));
    let geo_block = acl(vec![
        json!({"Name": "Geo", "Priority": 0, "Statement": {"GeoMatchStatement": {"CountryCodes": ["BR"]}},
        "Action": {"Block": {}}, "VisibilityConfig": vis("Geo")}),
    ]);
    let r = sim(&geo_block, Value::Null)
        .run(&json!({"kind": "countryFlood", "country": "br", "attackers": 20, "attackerRate": 1, "durationSec": 30}))
        .unwrap();
    assert_eq!(r["totals"]["attackAllowed"], 0);
    assert_eq!(r["totals"]["blocked"], 600);
}

#[test]
fn cache_busting_makes_every_query_string_distinct() {
    let r = sim(&ip_rule(1000, 60), Value::Null)
        .run(&json!({"kind": "cacheBusting", "attackers": 10, "attackerRate": 5, "durationSec": 20}))
        .unwrap();
    assert_eq!(r["totals"]["distinctQueryStrings"], 1000);
}

#[test]
fn runs_are_deterministic_for_a_seed_and_poisson_differs_from_uniform() {
    let s = sim(&ip_rule(50, 60), Value::Null);
    let sc = json!({"kind": "botnetMix", "attackers": 30, "users": 30, "userRate": 0.5, "durationSec": 120, "arrival": "poisson", "seed": 42});
    assert_eq!(s.run(&sc).unwrap(), s.run(&sc).unwrap());
    let mut other = sc.clone();
    other["seed"] = json!(43);
    assert_ne!(s.run(&sc).unwrap()["buckets"], s.run(&other).unwrap()["buckets"]);
}

#[test]
fn a_mix_runs_scenarios_together_and_buckets_add_up() {
    let s = sim(&ip_rule(100, 60), json!({"bucketSec": 10}));
    let r = s
        .run_mix(&json!([
            {"kind": "httpGetFlood", "attackers": 10, "attackerRate": 5, "durationSec": 60},
            {"kind": "lowAndSlow", "durationSec": 60, "users": 10}
        ]))
        .unwrap();
    assert_eq!(r["buckets"].as_array().unwrap().len(), 6);
    let sum: u64 = r["buckets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            b["allowed"].as_u64().unwrap()
                + b["blocked"].as_u64().unwrap()
                + b["challenged"].as_u64().unwrap()
        })
        .sum();
    assert_eq!(sum, r["totals"]["requests"].as_u64().unwrap());
    assert_eq!(r["clients"]["attackers"], 30);
    assert!(r["notes"].as_array().unwrap().iter().any(|n| n.as_str().unwrap().contains("low-and-slow")));
}

#[test]
fn bounds_give_coded_errors() {
    let s = sim(&ip_rule(100, 60), Value::Null);
    let code = |sc: Value| s.run(&sc).unwrap_err().code();
    assert_eq!(code(json!({"kind": "httpGetFlood", "attackers": 0})), "ConstraintViolation");
    assert_eq!(code(json!({"kind": "httpGetFlood", "attackers": 100_001})), "ConstraintViolation");
    assert_eq!(code(json!({"kind": "httpGetFlood", "attackerRate": 1001})), "ConstraintViolation");
    assert_eq!(code(json!({"kind": "httpGetFlood", "durationSec": 3601})), "ConstraintViolation");
    assert_eq!(code(json!({"kind": "smurf"})), "ConstraintViolation");
    assert_eq!(code(json!({"kind": "asnFlood"})), "MissingField");
    assert_eq!(code(json!({"kind": "httpGetFlood", "nope": 1})), "UnknownField");
    // 100,000 addresses at 1,000 requests/s for an hour is far over 5,000,000 requests.
    let e = s
        .run(
            &json!({"kind": "httpGetFlood", "attackers": 100_000, "attackerRate": 1000, "durationSec": 3600}),
        )
        .unwrap_err();
    assert_eq!(e.code(), "LimitExceeded");
    assert!(e.to_string().contains("5000000"));
    assert_eq!(s.run_mix(&json!([])).unwrap_err().code(), "InvalidRequest");
    let e =
        FloodSimulator::new(&ip_rule(100, 60), &Value::Null, &json!({"checkIntervalSec": 0})).unwrap_err();
    assert_eq!(e.code(), "ConstraintViolation");
    let e = FloodSimulator::new(
        &ip_rule(100, 60),
        &Value::Null,
        &json!({"rateModel": "exact", "mitigationDelaySec": 5}),
    )
    .unwrap_err();
    assert_eq!(e.code(), "InvalidParameter");
    // The ACL's own bounds still apply: a limit under 10 is rejected by the WAF parser.
    assert!(FloodSimulator::new(&ip_rule(9, 60), &Value::Null, &Value::Null).is_err());
}

fn status(r: &Value, id: &str) -> String {
    let p = r["practices"].as_array().unwrap().iter().find(|p| p["id"] == id).unwrap();
    p["status"].as_str().unwrap().to_owned()
}

#[test]
fn checklist_reference_architecture_has_every_practice_in_place() {
    // The whitepaper's DDoS-resilient reference architecture: Route 53, CloudFront with WAF,
    // an ALB, EC2 in an Auto Scaling group admitting only the ALB, Shield Advanced, an API on
    // an edge-optimized API Gateway with throttling.
    let arch = json!({
        "entryPoints": [
            {"name": "www", "type": "CLOUDFRONT", "webAcl": "edge", "shieldAdvanced": true},
            {"name": "api", "type": "API_GATEWAY", "endpointType": "EDGE", "throttling": true, "webAcl": "edge"}
        ],
        "origins": [
            {"name": "alb", "type": "ALB", "behind": "www"},
            {"name": "web", "type": "EC2", "behind": "alb", "autoScaling": true},
            {"name": "fn", "type": "LAMBDA", "behind": "api"}
        ],
        "webAcls": [{"name": "edge", "rateBasedRules": 1}],
        "dns": {"provider": "ROUTE_53", "healthChecks": true}
    });
    let r = checklist(&arch).unwrap();
    for id in ["BP1", "BP2", "BP3", "BP4", "BP5", "BP6", "BP7", "SHIELD"] {
        assert_eq!(status(&r, id), "inPlace", "{id}: {r}");
    }
    assert_eq!(r["missing"], 0);
}

#[test]
fn checklist_single_instance_misses_most_and_says_why() {
    let arch = json!({
        "entryPoints": [{"name": "box", "type": "EC2"}],
        "webAcls": []
    });
    let r = checklist(&arch).unwrap();
    assert_eq!(status(&r, "BP1"), "missing");
    assert_eq!(status(&r, "BP2"), "missing");
    assert_eq!(status(&r, "BP3"), "notApplicable");
    assert_eq!(status(&r, "BP4"), "notApplicable");
    assert_eq!(status(&r, "BP5"), "notApplicable");
    assert_eq!(status(&r, "BP6"), "missing");
    assert_eq!(status(&r, "BP7"), "missing");
    assert_eq!(status(&r, "SHIELD"), "missing");
    let bp2 = r["practices"].as_array().unwrap().iter().find(|p| p["id"] == "BP2").unwrap();
    assert!(bp2["reasons"][0].as_str().unwrap().contains("cannot have a web ACL"));
}

#[test]
fn checklist_partial_gaps_name_the_resource() {
    let arch = json!({
        "entryPoints": [{"name": "lb", "type": "ALB", "webAcl": "plain"}, {"name": "fnurl", "type": "LAMBDA_URL"}],
        "origins": [{"name": "app", "type": "ECS", "behind": "lb", "publiclyReachable": true}],
        "webAcls": [{"name": "plain"}],
        "dns": {"provider": "OTHER"}
    });
    let r = checklist(&arch).unwrap();
    assert_eq!(status(&r, "BP1"), "missing");
    assert_eq!(status(&r, "BP2"), "missing");
    assert_eq!(status(&r, "BP3"), "missing");
    assert_eq!(status(&r, "BP4"), "missing");
    assert_eq!(status(&r, "BP5"), "missing");
    assert_eq!(status(&r, "BP6"), "inPlace");
    assert_eq!(status(&r, "BP7"), "missing");
    let text = r.to_string();
    assert!(text.contains("web ACL `plain` on `lb` has no rate-based rule"));
    assert!(text.contains("origin `app` admits the whole internet"));
    // Bad references and types are coded errors.
    assert_eq!(
        checklist(&json!({"entryPoints": [{"name": "x", "type": "ALB", "webAcl": "nope"}]}))
            .unwrap_err()
            .code(),
        "InvalidRequest"
    );
    assert_eq!(
        checklist(&json!({"entryPoints": [{"name": "x", "type": "MAINFRAME"}]})).unwrap_err().code(),
        "ConstraintViolation"
    );
    assert_eq!(checklist(&json!([])).unwrap_err().code(), "WrongType");
}

#[test]
fn with_a_geo_database_attackers_come_from_the_asked_asn_ranges_else_documented_ones() {
    use secplay::waf::geo::{GeoDb, GeoDbBuilder};
    use std::net::IpAddr;
    use std::sync::Arc;
    let mut b = GeoDbBuilder::new("test");
    let v4 = |s: &str| IpAddr::V4(s.parse().unwrap());
    b.add_asn(v4("16.0.0.0"), v4("16.255.255.255"), 64500).unwrap();
    b.add_country(v4("16.0.0.0"), v4("16.255.255.255"), "NZ").unwrap();
    b.add_asn(v4("8.8.8.0"), v4("8.8.8.3"), 64501).unwrap();
    let db = Arc::new(GeoDb::from_bytes(&b.encode().unwrap()).unwrap());
    // A per-address rule lists each attacker's address as its key.
    let mut s = sim(&ip_rule(10, 60), json!({"rateModel": "exact"}));
    s.set_geo_db(Some(db));
    let r = s
        .run(
            &json!({"kind": "asnFlood", "asn": 64500, "attackers": 30, "attackerRate": 1, "durationSec": 20}),
        )
        .unwrap();
    assert_eq!(r["addressSources"], json!(["geo database"]));
    let keys: Vec<&str> = r["trips"].as_array().unwrap().iter().map(|t| t["key"].as_str().unwrap()).collect();
    assert_eq!(keys.len(), 30);
    assert!(keys.iter().all(|k| k.starts_with("16.")), "{keys:?}");
    let r = s.run(&json!({"kind": "countryFlood", "country": "NZ", "attackers": 5, "attackerRate": 1, "durationSec": 20})).unwrap();
    assert_eq!(r["addressSources"], json!(["geo database"]));
    // Four addresses cannot be found by sampling: the rest come from 198.18.0.0/15, said in a note.
    let r = s
        .run(&json!({"kind": "asnFlood", "asn": 64501, "attackers": 3, "attackerRate": 1, "durationSec": 20}))
        .unwrap();
    assert_ne!(r["addressSources"], json!(["geo database"]));
    assert!(r["notes"].to_string().contains("198.18.0.0/15"));
}

#[test]
fn progress_is_reported_every_1024_requests_and_a_false_answer_stops_the_run() {
    let s = sim(&ip_rule(100, 60), Value::Null);
    // One address at 100 req/s for 60 s: 6,000 requests, so 5 progress calls (1024 … 5120).
    let scenario = json!({"kind": "httpGetFlood", "attackers": 1, "attackerRate": 100, "durationSec": 60});
    let mut seen = Vec::new();
    let r = s
        .run_observed(&scenario, &mut |done, expected| {
            seen.push((done, expected));
            true
        })
        .unwrap();
    assert_eq!(r, s.run(&scenario).unwrap(), "watching a run does not change it");
    assert_eq!(seen, [1024, 2048, 3072, 4096, 5120].map(|d| (d, 6000)));
    let mut calls = 0;
    let e = s
        .run_observed(&scenario, &mut |_, _| {
            calls += 1;
            calls < 2
        })
        .unwrap_err();
    assert_eq!((e.code(), calls), ("Stopped", 2));
    assert_eq!(e.to_string(), "the run was stopped after 2048 requests");
}
