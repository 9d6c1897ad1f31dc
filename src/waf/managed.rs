//! Approximations of three AWS managed rule groups, `AWSManagedRulesCommonRuleSet`,
//! `AWSManagedRulesSQLiRuleSet` and (from its `ManagedRuleGroupConfigs`) the missing-credential
//! rule of `AWSManagedRulesATPRuleSet`, built from the rules AWS documents (names, inspected
//! fields, actions, labels, capacity). AWS does not publish their patterns: these are the
//! playground's, labelled as approximations in every log note. Other managed groups are not
//! modelled; their published capacities are listed for WCU estimates.

use serde_json::{json, Value};

use base64::Engine as _;

use super::error::WafError;
use super::managed_config::{Atp, ManagedConfig, PathMatch};
use super::model::RuleGroupDef;
use super::parse;

/// Published capacities of common AWS managed rule groups (WCUs).
pub const CAPACITIES: &[(&str, u64)] = &[
    ("AWSManagedRulesCommonRuleSet", 700),
    ("AWSManagedRulesSQLiRuleSet", 200),
    ("AWSManagedRulesKnownBadInputsRuleSet", 200),
    ("AWSManagedRulesAdminProtectionRuleSet", 100),
    ("AWSManagedRulesAmazonIpReputationList", 25),
    ("AWSManagedRulesAnonymousIpList", 50),
    ("AWSManagedRulesLinuxRuleSet", 200),
    ("AWSManagedRulesUnixRuleSet", 100),
    ("AWSManagedRulesWindowsRuleSet", 200),
    ("AWSManagedRulesPHPRuleSet", 100),
    ("AWSManagedRulesWordPressRuleSet", 100),
    ("AWSManagedRulesBotControlRuleSet", 50),
    ("AWSManagedRulesATPRuleSet", 50),
    ("AWSManagedRulesACFPRuleSet", 50),
    ("AWSManagedRulesAntiDDoSRuleSet", 50),
];

/// The capacity AWS publishes for a managed group, if known.
pub fn capacity(vendor: &str, name: &str) -> Option<u64> {
    if vendor != "AWS" {
        return None;
    }
    CAPACITIES.iter().find(|(n, _)| *n == name).map(|(_, c)| *c)
}

/// The playground's definition of a managed group with its `ManagedRuleGroupConfigs`: `None`
/// when not modelled.
pub fn definition(
    vendor: &str,
    name: &str,
    configs: &[ManagedConfig],
) -> Option<Result<RuleGroupDef, WafError>> {
    let doc = match (vendor, name) {
        ("AWS", "AWSManagedRulesCommonRuleSet") => common_rule_set(),
        ("AWS", "AWSManagedRulesSQLiRuleSet") => sqli_rule_set(),
        ("AWS", "AWSManagedRulesATPRuleSet") => atp_rule_set(&configs.iter().find_map(ManagedConfig::atp)?),
        _ => return None,
    };
    Some(parse::rule_group(&doc, "/managed"))
}

/// Base64 of a string, as `SearchString` is written in JSON.
fn b64(s: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(s)
}

/// A statement matching the request's path as an ATP/ACFP path setting does: "paths that start
/// with the path that you provide are considered a match", or with `EnableRegexInPath` the
/// regular expression (API reference, `AWSManagedRulesATPRuleSet.LoginPath`).
fn path_statement(p: &PathMatch) -> Value {
    if p.regex {
        regex(&p.path, json!({"UriPath": {}}), &["NONE"])
    } else {
        json!({"ByteMatchStatement": {"SearchString": b64(&p.path), "FieldToMatch": {"UriPath": {}},
            "TextTransformations": tt(&["NONE"]), "PositionalConstraint": "STARTS_WITH"}})
    }
}

/// A statement matching when the body carries the credential field `id`: for a JSON payload a
/// non-empty value at the JSON pointer `id`; for a form-encoded one a `id=` pair (the field name
/// URL-encoded as a browser sends it is not decoded: an approximation).
fn field_present(id: &str, json_payload: bool) -> Value {
    if json_payload {
        json!({"SizeConstraintStatement": {"FieldToMatch": {"JsonBody": {"MatchPattern": {"IncludedPaths": [id]},
            "MatchScope": "VALUE", "InvalidFallbackBehavior": "NO_MATCH", "OversizeHandling": "CONTINUE"}},
            "ComparisonOperator": "GT", "Size": 0, "TextTransformations": tt(&["NONE"])}})
    } else {
        let starts = json!({"ByteMatchStatement": {"SearchString": b64(&format!("{id}=")),
            "FieldToMatch": {"Body": {"OversizeHandling": "CONTINUE"}}, "TextTransformations": tt(&["NONE"]),
            "PositionalConstraint": "STARTS_WITH"}});
        let inside = json!({"ByteMatchStatement": {"SearchString": b64(&format!("&{id}=")),
            "FieldToMatch": {"Body": {"OversizeHandling": "CONTINUE"}}, "TextTransformations": tt(&["NONE"]),
            "PositionalConstraint": "CONTAINS"}});
        json!({"OrStatement": {"Statements": [starts, inside]}})
    }
}

/// ATP with the one rule whose behaviour AWS documents fully: `MissingCredential`, "Missing
/// credentials – Label and block request"
/// (<https://docs.aws.amazon.com/waf/latest/developerguide/waf-atp-control-example-user-agent-exception.html>),
/// on login requests: "The rule group inspects only HTTP POST requests to your specified login
/// endpoint" (API reference, `AWSManagedRulesATPRuleSet`). Without `RequestInspection` there are
/// no fields to look for and the group has no modelled rule.
fn atp_rule_set(atp: &Atp) -> Value {
    let mut rules = Vec::new();
    if let Some(c) = &atp.request {
        let post = json!({"ByteMatchStatement": {"SearchString": b64("POST"), "FieldToMatch": {"Method": {}},
            "TextTransformations": tt(&["NONE"]), "PositionalConstraint": "EXACTLY"}});
        let missing: Vec<Value> = [&c.username, &c.password]
            .into_iter()
            .flatten()
            .map(|id| json!({"NotStatement": {"Statement": field_present(id, c.payload_json)}}))
            .collect();
        let missing = match <[Value; 2]>::try_from(missing) {
            Ok(two) => json!({"OrStatement": {"Statements": two}}),
            Err(one) => one.into_iter().next().unwrap_or(Value::Null),
        };
        let mut r = rule(
            "MissingCredential",
            0,
            json!({"AndStatement": {"Statements": [post, path_statement(&atp.login), missing]}}),
        );
        if let Some(o) = r.as_object_mut() {
            o.insert("RuleLabels".to_owned(), json!([{"Name": "signal:missing_credential"}]));
        }
        rules.push(r);
    }
    group("AWSManagedRulesATPRuleSet", "awswaf:managed:aws:atp:", 50, rules)
}

fn tt(types: &[&str]) -> Value {
    Value::Array(types.iter().enumerate().map(|(i, t)| json!({"Priority": i, "Type": t})).collect())
}

fn rule(name: &str, priority: usize, statement: Value) -> Value {
    json!({
        "Name": name,
        "Priority": priority,
        "Statement": statement,
        "Action": {"Block": {}},
        "RuleLabels": [{"Name": name}],
        "VisibilityConfig": {"SampledRequestsEnabled": true, "CloudWatchMetricsEnabled": true, "MetricName": name}
    })
}

fn regex(pattern: &str, field: Value, transforms: &[&str]) -> Value {
    json!({"RegexMatchStatement": {"RegexString": pattern, "FieldToMatch": field, "TextTransformations": tt(transforms)}})
}

fn size(field: Value, size: u64) -> Value {
    json!({"SizeConstraintStatement": {"FieldToMatch": field, "ComparisonOperator": "GT", "Size": size, "TextTransformations": tt(&["NONE"])}})
}

fn group(name: &str, namespace: &str, capacity: u64, rules: Vec<Value>) -> Value {
    json!({
        "Name": name,
        "Id": "00000000-0000-0000-0000-000000000000",
        "ARN": format!("arn:aws:wafv2:us-east-1:aws:managed/{name}"),
        "Capacity": capacity,
        "LabelNamespace": namespace,
        "Description": "Playground approximation of the AWS managed rule group",
        "Rules": rules,
        "VisibilityConfig": {"SampledRequestsEnabled": true, "CloudWatchMetricsEnabled": true, "MetricName": name}
    })
}

fn fields() -> [(&'static str, Value); 4] {
    [
        ("QUERYARGUMENTS", json!({"AllQueryArguments": {}})),
        ("BODY", json!({"Body": {"OversizeHandling": "CONTINUE"}})),
        (
            "COOKIE",
            json!({"Cookies": {"MatchPattern": {"All": {}}, "MatchScope": "ALL", "OversizeHandling": "CONTINUE"}}),
        ),
        ("URIPATH", json!({"UriPath": {}})),
    ]
}

fn common_rule_set() -> Value {
    let mut rules = Vec::new();
    let mut p = 0;
    let mut push = |rules: &mut Vec<Value>, name: &str, st: Value| {
        rules.push(rule(name, p, st));
        p += 1;
    };
    push(
        &mut rules,
        "NoUserAgent_HEADER",
        json!({"NotStatement": {"Statement": size(json!({"SingleHeader": {"Name": "user-agent"}}), 0)}}),
    );
    push(
        &mut rules,
        "UserAgent_BadBots_HEADER",
        regex("(?i)(?:nessus|nmap|nikto|sqlmap|masscan|zgrab|dirbuster|gobuster|wpscan|acunetix|netsparker|w3af|havij|zmeu|morfeus|openvas)", json!({"SingleHeader": {"Name": "user-agent"}}), &["NONE"]),
    );
    push(&mut rules, "SizeRestrictions_QUERYSTRING", size(json!({"QueryString": {}}), 2048));
    push(
        &mut rules,
        "SizeRestrictions_Cookie_HEADER",
        size(json!({"SingleHeader": {"Name": "cookie"}}), 10_240),
    );
    push(&mut rules, "SizeRestrictions_BODY", size(json!({"Body": {"OversizeHandling": "MATCH"}}), 8192));
    push(&mut rules, "SizeRestrictions_URIPATH", size(json!({"UriPath": {}}), 1024));
    for (suffix, field) in fields() {
        push(
            &mut rules,
            &format!("EC2MetaDataSSRF_{suffix}"),
            regex(
                r"(?i)(?:169\.254\.169\.254|fd00:ec2::254|169\.254\.170\.2|instance-data)",
                field,
                &["URL_DECODE", "HTML_ENTITY_DECODE"],
            ),
        );
    }
    for (suffix, field) in fields() {
        if suffix == "COOKIE" {
            continue;
        }
        push(
            &mut rules,
            &format!("GenericLFI_{suffix}"),
            regex(
                r"(?i)(?:(?:^|[/\\=])\.\.[/\\]|/etc/(?:passwd|shadow|hosts)|/proc/self/|(?:boot|win)\.ini)",
                field,
                &["URL_DECODE_UNI", "URL_DECODE_UNI"],
            ),
        );
    }
    push(
        &mut rules,
        "RestrictedExtensions_URIPATH",
        regex(
            r"(?i)\.(?:log|ini|bak|backup|cfg|conf|config|old|orig|sql|swp|env|htaccess|htpasswd|passwd|pem|key)$",
            json!({"UriPath": {}}),
            &["URL_DECODE"],
        ),
    );
    push(
        &mut rules,
        "RestrictedExtensions_QUERYARGUMENTS",
        regex(
            r"(?i)\.(?:log|ini|bak|backup|cfg|conf|config|old|orig|sql|swp|env|htaccess|htpasswd|passwd|pem|key)(?:$|[?&#])",
            json!({"AllQueryArguments": {}}),
            &["URL_DECODE"],
        ),
    );
    for (suffix, field) in fields() {
        if suffix == "COOKIE" {
            continue;
        }
        push(
            &mut rules,
            &format!("GenericRFI_{suffix}"),
            regex(
                r"(?i)(?:https?|ftps?|php|data|file)://\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}",
                field,
                &["URL_DECODE_UNI"],
            ),
        );
    }
    for (suffix, field) in fields() {
        push(
            &mut rules,
            &format!("CrossSiteScripting_{suffix}"),
            json!({"XssMatchStatement": {"FieldToMatch": field, "TextTransformations": tt(&["URL_DECODE_UNI", "HTML_ENTITY_DECODE"])}}),
        );
    }
    group("AWSManagedRulesCommonRuleSet", "awswaf:managed:aws:core-rule-set:", 700, rules)
}

fn sqli_rule_set() -> Value {
    let mut rules = Vec::new();
    let mut p = 0;
    for (suffix, field) in fields() {
        if suffix == "QUERYARGUMENTS" || suffix == "BODY" {
            rules.push(rule(
                &format!("SQLiExtendedPatterns_{suffix}"),
                p,
                regex(r"(?i)(?:union\s+(?:all\s+|distinct\s+)?select|(?:sleep|benchmark|pg_sleep)\s*\(|waitfor\s+delay|information_schema|load_file\s*\(|into\s+(?:out|dump)file)", field.clone(), &["URL_DECODE_UNI", "URL_DECODE_UNI", "COMPRESS_WHITE_SPACE"]),
            ));
            p += 1;
        }
        rules.push(rule(
            &format!("SQLi_{suffix}"),
            p,
            json!({"SqliMatchStatement": {"FieldToMatch": field, "SensitivityLevel": "LOW", "TextTransformations": tt(&["URL_DECODE_UNI", "URL_DECODE_UNI", "HTML_ENTITY_DECODE"])}}),
        ));
        p += 1;
    }
    group("AWSManagedRulesSQLiRuleSet", "awswaf:managed:aws:sql-database:", 200, rules)
}
