//! The replay tab's built-in example: a log of 36 records made from the AWS documentation's
//! log examples (`tests/waf/data/aws-log-examples.jsonl`, each line's source in that folder's
//! README), and an edited web ACL to replay them through, so the tab does something without a file.
//!
//! The log: the documented rate-based block (`dogname: ella`) 12 times, the default-action allow
//! (`dogname: rex`) 12 times, the Known Bad Inputs block 6 times and the CAPTCHA on `/login` 6
//! times, one second apart, from a few addresses each. The edited ACL: the documented rate-based
//! rule with its limit lowered from 100 to 10, the counted `admin` rule kept, the CAPTCHA on
//! `/login` turned into a CHALLENGE, the managed Known Bad Inputs group left out, and a body size
//! rule (which a log cannot judge: AWS WAF logs carry no body).
//! Rate-based rules: <https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rate-based.html>;
//! log fields: <https://docs.aws.amazon.com/waf/latest/developerguide/logging-fields.html>.

use serde_json::Value;

/// The four documented records, one per line.
const DOC_LINES: &str = include_str!("../../../../../../tests/waf/data/aws-log-examples.jsonl");

/// `(doc line, copies, client addresses taken in turn)`.
const PLAN: [(usize, u64, &[&str]); 4] = [
    (0, 12, &["52.46.82.45", "52.46.82.47", "52.46.82.48"]),
    (1, 12, &["52.46.82.46", "52.46.82.49"]),
    (2, 6, &["2001:db8::7", "2001:db8::8"]),
    (3, 6, &["198.51.100.7", "198.51.100.8"]),
];

/// Records in the example log.
pub const EXAMPLE_RECORDS: u64 = 36;

/// The example log as JSON lines (what AWS writes), in time order.
pub fn example_log() -> String {
    let docs: Vec<Value> = DOC_LINES.lines().filter_map(|l| serde_json::from_str(l).ok()).collect();
    let base = docs.first().and_then(|d| d.get("timestamp")).and_then(Value::as_u64).unwrap_or(0);
    let mut out = String::new();
    for k in 0..12_u64 {
        for (offset, &(line, copies, ips)) in PLAN.iter().enumerate() {
            let Some(doc) = docs.get(line).filter(|_| k < copies) else { continue };
            let mut r = doc.clone();
            if let Some(o) = r.as_object_mut() {
                o.insert("timestamp".into(), Value::from(base + k * 1_000 + offset as u64 * 100));
            }
            if let Some(req) = r.get_mut("httpRequest").and_then(Value::as_object_mut) {
                let id = req.get("requestId").and_then(Value::as_str).unwrap_or("request").to_owned();
                req.insert("requestId".into(), Value::from(format!("{id}-{k:02}")));
                let ip = ips.get((k as usize) % ips.len().max(1)).copied().unwrap_or("192.0.2.1");
                req.insert("clientIp".into(), Value::from(ip));
            }
            out.push_str(&r.to_string());
            out.push('\n');
        }
    }
    out
}

/// The edited web ACL the example log is replayed through (`aws wafv2 get-web-acl`'s `WebACL`).
pub const EXAMPLE_ACL: &str = r#"{
  "Name": "ExampleWebACL",
  "Id": "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111",
  "ARN": "arn:aws:wafv2:us-east-1:111122223333:regional/webacl/ExampleWebACL/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111",
  "DefaultAction": { "Allow": {} },
  "Rules": [
    {
      "Name": "RateBasedRule",
      "Priority": 1,
      "Statement": {
        "RateBasedStatement": {
          "Limit": 10,
          "AggregateKeyType": "CUSTOM_KEYS",
          "CustomKeys": [ { "Header": { "Name": "dogname", "TextTransformations": [ { "Priority": 0, "Type": "NONE" } ] } } ]
        }
      },
      "Action": { "Block": {} },
      "VisibilityConfig": { "SampledRequestsEnabled": true, "CloudWatchMetricsEnabled": true, "MetricName": "RateBasedRule" }
    },
    {
      "Name": "CountAdmin",
      "Priority": 2,
      "Statement": {
        "ByteMatchStatement": {
          "SearchString": "YWRtaW4=",
          "FieldToMatch": { "QueryString": {} },
          "TextTransformations": [ { "Priority": 0, "Type": "LOWERCASE" } ],
          "PositionalConstraint": "CONTAINS"
        }
      },
      "Action": { "Count": {} },
      "RuleLabels": [ { "Name": "admin" } ],
      "VisibilityConfig": { "SampledRequestsEnabled": true, "CloudWatchMetricsEnabled": true, "MetricName": "CountAdmin" }
    },
    {
      "Name": "CaptchaLogin",
      "Priority": 3,
      "Statement": {
        "ByteMatchStatement": {
          "SearchString": "L2xvZ2lu",
          "FieldToMatch": { "UriPath": {} },
          "TextTransformations": [ { "Priority": 0, "Type": "LOWERCASE" } ],
          "PositionalConstraint": "CONTAINS"
        }
      },
      "Action": { "Challenge": {} },
      "VisibilityConfig": { "SampledRequestsEnabled": true, "CloudWatchMetricsEnabled": true, "MetricName": "CaptchaLogin" }
    },
    {
      "Name": "BodyTooLarge",
      "Priority": 4,
      "Statement": {
        "SizeConstraintStatement": {
          "FieldToMatch": { "Body": { "OversizeHandling": "MATCH" } },
          "ComparisonOperator": "GT",
          "Size": 8192,
          "TextTransformations": [ { "Priority": 0, "Type": "NONE" } ]
        }
      },
      "Action": { "Block": {} },
      "VisibilityConfig": { "SampledRequestsEnabled": true, "CloudWatchMetricsEnabled": true, "MetricName": "BodyTooLarge" }
    }
  ],
  "VisibilityConfig": { "SampledRequestsEnabled": true, "CloudWatchMetricsEnabled": true, "MetricName": "ExampleWebACL" }
}"#;
