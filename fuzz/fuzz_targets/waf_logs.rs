//! Arbitrary bytes as a WAF log (text or gzip) replayed through a small web ACL in chunks whose
//! size the first byte picks: `LogReplayer::push`/`finish` answer (records, counted bad lines or a
//! coded error) and never panic, whatever the split.
#![no_main]

use libfuzzer_sys::fuzz_target;
use secplay::waf::logs::LogReplayer;
use serde_json::{json, Value};

fuzz_target!(|data: &[u8]| {
    let Some((&pick, log)) = data.split_first() else { return };
    let vis = json!({"SampledRequestsEnabled": false, "CloudWatchMetricsEnabled": false, "MetricName": "m"});
    let acl = json!({
        "Name": "fuzz", "Id": "1", "ARN": "arn:aws:wafv2:us-east-1:111122223333:regional/webacl/fuzz/1",
        "DefaultAction": {"Allow": {}}, "VisibilityConfig": vis,
        "Rules": [
            {"Name": "CountAdmin", "Priority": 0, "Action": {"Count": {}}, "VisibilityConfig": vis,
             "RuleLabels": [{"Name": "admin"}],
             "Statement": {"ByteMatchStatement": {"SearchString": "YWRtaW4=", "FieldToMatch": {"UriPath": {}},
                "TextTransformations": [{"Priority": 0, "Type": "LOWERCASE"}], "PositionalConstraint": "CONTAINS"}}},
            {"Name": "Sqli", "Priority": 1, "Action": {"Block": {}}, "VisibilityConfig": vis,
             "Statement": {"SqliMatchStatement": {"FieldToMatch": {"AllQueryArguments": {}},
                "TextTransformations": [{"Priority": 0, "Type": "URL_DECODE"}]}}},
            {"Name": "Flood", "Priority": 2, "Action": {"Block": {}}, "VisibilityConfig": vis,
             "Statement": {"RateBasedStatement": {"Limit": 10, "AggregateKeyType": "IP", "EvaluationWindowSec": 60}}}
        ]
    });
    let Ok(mut r) = LogReplayer::new(&acl, &Value::Null, &json!({"maxSamples": 5, "maxClients": 5}), None) else {
        return;
    };
    let size = usize::from(pick % 64) + 1;
    for chunk in log.chunks(size) {
        if r.push(chunk).is_err() {
            return;
        }
    }
    let _ = r.finish();
});
