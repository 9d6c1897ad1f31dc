//! Ready-made web ACLs for the notes' WAF stories (an IP block list, a geo block, a rate limit,
//! SQL injection and XSS protection on the query string and body, ATP on a login page), each with a request that shows
//! the rule at work. Plain data in AWS's own JSON; the page offers them as a menu and the test
//! below keeps each one honest (it must parse, and its request must end as the example says).

/// One example: AWS JSON for the web ACL and its resources, a request (raw HTTP or curl), and what
/// AWS WAF does with it.
#[derive(Debug, Clone, Copy)]
pub struct Example {
    /// Stable id (also used in share links).
    pub id: &'static str,
    /// Menu title.
    pub title: &'static str,
    /// One sentence on what it shows.
    pub note: &'static str,
    /// `WebACL` JSON.
    pub web_acl: &'static str,
    /// `{ipSets, regexPatternSets, ruleGroups}` JSON.
    pub resources: &'static str,
    /// Raw HTTP or curl.
    pub request: &'static str,
    /// The request's client address.
    pub client_ip: &'static str,
    /// Country code sent with the request (GeoMatch), or empty.
    pub country: &'static str,
    /// Expected `action` of the log record.
    pub expect_action: &'static str,
    /// Expected `terminatingRuleId`.
    pub expect_rule: &'static str,
}

macro_rules! acl {
    ($name:literal, $rules:literal) => {
        concat!(
            r#"{"Name": ""#, $name, r#"", "Id": "a1b2c3d4-0000-4000-8000-000000000001", "ARN": "arn:aws:wafv2:us-east-1:111122223333:regional/webacl/"#,
            $name, r#"/a1b2c3d4-0000-4000-8000-000000000001", "DefaultAction": {"Allow": {}}, "Capacity": 0,
  "VisibilityConfig": {"SampledRequestsEnabled": true, "CloudWatchMetricsEnabled": true, "MetricName": ""#, $name, r#""},
  "Rules": "#, $rules, "\n}"
        )
    };
}

/// The examples, in menu order.
pub const EXAMPLES: [Example; 5] = [
    Example {
        id: "ip-block-list",
        title: "IP set block list",
        note: "An IP set of up to 10,000 addresses blocks known bad sources, checking the client address and the first X-Forwarded-For address.",
        web_acl: acl!("ip-block-list", r#"[
    {"Name": "block-bad-sources", "Priority": 0, "Action": {"Block": {}},
     "Statement": {"OrStatement": {"Statements": [
       {"IPSetReferenceStatement": {"ARN": "arn:aws:wafv2:us-east-1:111122223333:regional/ipset/bad-sources/b1b2c3d4-0000-4000-8000-000000000002"}},
       {"IPSetReferenceStatement": {"ARN": "arn:aws:wafv2:us-east-1:111122223333:regional/ipset/bad-sources/b1b2c3d4-0000-4000-8000-000000000002",
         "IPSetForwardedIPConfig": {"HeaderName": "X-Forwarded-For", "FallbackBehavior": "NO_MATCH", "Position": "FIRST"}}}]}},
     "VisibilityConfig": {"SampledRequestsEnabled": true, "CloudWatchMetricsEnabled": true, "MetricName": "bad-sources"}}
  ]"#),
        resources: r#"{"ipSets": [{"Name": "bad-sources", "Id": "b1b2c3d4-0000-4000-8000-000000000002",
  "ARN": "arn:aws:wafv2:us-east-1:111122223333:regional/ipset/bad-sources/b1b2c3d4-0000-4000-8000-000000000002",
  "IPAddressVersion": "IPV4", "Addresses": ["203.0.113.0/24", "198.51.100.23/32"]}]}"#,
        request: "GET /account HTTP/1.1\nHost: shop.example.com\nX-Forwarded-For: 198.51.100.23, 10.0.0.1\nUser-Agent: curl/8.5.0\n",
        client_ip: "192.0.2.44",
        country: "",
        expect_action: "BLOCK",
        expect_rule: "block-bad-sources",
    },
    Example {
        id: "geo-block",
        title: "Geo block",
        note: "Requests from listed countries are blocked. AWS derives the country from the address; here it comes with the request, or, with Country left empty, from the offline geo database the page then loads.",
        web_acl: acl!("geo-block", r#"[
    {"Name": "block-countries", "Priority": 0, "Action": {"Block": {"CustomResponse": {"ResponseCode": 451}}},
     "Statement": {"GeoMatchStatement": {"CountryCodes": ["KP", "IR"]}},
     "VisibilityConfig": {"SampledRequestsEnabled": true, "CloudWatchMetricsEnabled": true, "MetricName": "geo"}}
  ]"#),
        resources: "{}",
        request: "GET / HTTP/1.1\nHost: shop.example.com\n",
        client_ip: "192.0.2.80",
        country: "KP",
        expect_action: "BLOCK",
        expect_rule: "block-countries",
    },
    Example {
        id: "rate-limit",
        title: "Rate limit",
        note: "More than 100 requests in 5 minutes from one address are blocked; evaluate repeatedly, or replay a batch, to see the counter at work.",
        web_acl: acl!("rate-limit", r#"[
    {"Name": "per-ip-limit", "Priority": 0, "Action": {"Block": {}},
     "Statement": {"RateBasedStatement": {"Limit": 100, "EvaluationWindowSec": 300, "AggregateKeyType": "IP",
       "ScopeDownStatement": {"ByteMatchStatement": {"SearchString": "L2xvZ2lu", "FieldToMatch": {"UriPath": {}},
         "TextTransformations": [{"Priority": 0, "Type": "LOWERCASE"}], "PositionalConstraint": "STARTS_WITH"}}}},
     "VisibilityConfig": {"SampledRequestsEnabled": true, "CloudWatchMetricsEnabled": true, "MetricName": "rate"}}
  ]"#),
        resources: "{}",
        request: "curl -X POST https://shop.example.com/login -d 'user=alice&password=hunter2'",
        client_ip: "192.0.2.7",
        country: "",
        expect_action: "ALLOW",
        expect_rule: "Default_Action",
    },
    Example {
        id: "sqli-xss",
        title: "SQL injection and XSS protection",
        note: "SqliMatch on the query string (URL- and HTML-decoded first) and XssMatch on the body, as the notes' layer-7 protection.",
        web_acl: acl!("sqli-xss", r#"[
    {"Name": "sqli-query", "Priority": 0, "Action": {"Block": {}},
     "Statement": {"SqliMatchStatement": {"FieldToMatch": {"QueryString": {}}, "SensitivityLevel": "LOW",
       "TextTransformations": [{"Priority": 0, "Type": "URL_DECODE"}, {"Priority": 1, "Type": "HTML_ENTITY_DECODE"}]}},
     "VisibilityConfig": {"SampledRequestsEnabled": true, "CloudWatchMetricsEnabled": true, "MetricName": "sqli"}},
    {"Name": "xss-body", "Priority": 1, "Action": {"Block": {}},
     "Statement": {"XssMatchStatement": {"FieldToMatch": {"Body": {"OversizeHandling": "MATCH"}},
       "TextTransformations": [{"Priority": 0, "Type": "URL_DECODE"}]}},
     "VisibilityConfig": {"SampledRequestsEnabled": true, "CloudWatchMetricsEnabled": true, "MetricName": "xss"}}
  ]"#),
        resources: "{}",
        request: "GET /products?id=42%27%20UNION%20SELECT%20username,password%20FROM%20users--%20 HTTP/1.1\nHost: shop.example.com\n",
        client_ip: "192.0.2.99",
        country: "",
        expect_action: "BLOCK",
        expect_rule: "sqli-query",
    },
    Example {
        id: "atp-login",
        title: "Account takeover prevention (ATP) on a login page",
        note: "The ATP managed rule group configured with the login path and credential fields (the AWS documentation's example): a login POST without the password is labelled and blocked by MissingCredential. The rest of ATP (stolen credentials, volumetric rules, tokens) is AWS's own and is not modelled: the trace says so.",
        web_acl: acl!("atp-login", r#"[
    {"Name": "account-takeover", "Priority": 0, "OverrideAction": {"None": {}},
     "Statement": {"ManagedRuleGroupStatement": {"VendorName": "AWS", "Name": "AWSManagedRulesATPRuleSet",
       "ManagedRuleGroupConfigs": [{"AWSManagedRulesATPRuleSet": {"LoginPath": "/web/login", "EnableRegexInPath": false,
         "RequestInspection": {"PayloadType": "JSON", "UsernameField": {"Identifier": "/form/username"},
           "PasswordField": {"Identifier": "/form/password"}}}}]}},
     "VisibilityConfig": {"SampledRequestsEnabled": true, "CloudWatchMetricsEnabled": true, "MetricName": "atp"}}
  ]"#),
        resources: "{}",
        request: "POST /web/login HTTP/1.1\nHost: shop.example.com\nContent-Type: application/json\n\n{\"form\": {\"username\": \"alice@example.com\"}}",
        client_ip: "192.0.2.44",
        country: "",
        expect_action: "BLOCK",
        expect_rule: "account-takeover",
    },
];

/// Ten minutes of synthetic traffic for replay (JSON requests with epoch-millisecond timestamps):
/// ordinary browsing from a handful of addresses, a few SQL injection and XSS probes, two
/// block-listed sources, and a burst of 150 logins from one address in minutes 4–6. Deterministic,
/// so a replay always tells the same story.
pub fn sample_traffic() -> Vec<serde_json::Value> {
    const T0: u64 = 1_800_000_000_000;
    const PATHS: [&str; 6] =
        ["/", "/products?id=42", "/products?page=2", "/cart", "/search?q=blue+shoes", "/account"];
    const PROBES: [&str; 4] = [
        "/products?id=42%27%20OR%20%271%27%3D%271",
        "/search?q=%3Cscript%3Ealert(document.cookie)%3C/script%3E",
        "/products?id=1%20UNION%20SELECT%20username,password%20FROM%20users--",
        "/search?q=%3Cimg%20src=x%20onerror=alert(1)%3E",
    ];
    let mut out = Vec::with_capacity(750);
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let get = |ip: String, uri: &str, t: u64| {
        serde_json::json!({"method": "GET", "uri": uri, "clientIp": ip, "timestamp": t,
            "headers": [["Host", "shop.example.com"], ["User-Agent", "Mozilla/5.0"]]})
    };
    for i in 0..600u64 {
        let r = next();
        let t = T0 + i * 1000;
        let ip = format!("192.0.2.{}", 10 + r % 6);
        let uri = PATHS.get((r >> 8) as usize % PATHS.len()).copied().unwrap_or("/");
        match r % 50 {
            0 | 1 => {
                out.push(get(ip, PROBES.get((r >> 16) as usize % PROBES.len()).copied().unwrap_or("/"), t))
            }
            2 => out.push(get(format!("203.0.113.{}", 5 + r % 3), uri, t)),
            _ => out.push(get(ip, uri, t)),
        }
    }
    for i in 0..150u64 {
        out.push(serde_json::json!({"method": "POST", "uri": "/login", "clientIp": "192.0.2.7",
            "timestamp": T0 + 240_000 + i * 800, "body": "user=alice&password=guess",
            "headers": [["Host", "shop.example.com"], ["Content-Type", "application/x-www-form-urlencoded"]]}));
    }
    out.sort_by_key(|r| r.get("timestamp").and_then(serde_json::Value::as_u64).unwrap_or(0));
    out
}

/// An example by id.
pub fn example(id: &str) -> Option<&'static Example> {
    EXAMPLES.iter().find(|e| e.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::waf::http_text::parse_request_text;
    use crate::waf::json::WebAcl;
    use serde_json::Value;

    #[test]
    fn every_example_parses_and_does_what_it_says() {
        for e in EXAMPLES {
            let acl: Value = serde_json::from_str(e.web_acl).unwrap_or_else(|err| panic!("{}: {err}", e.id));
            let res: Value = serde_json::from_str(e.resources).unwrap();
            let mut waf =
                WebAcl::new(&acl, &res, &Value::Null).unwrap_or_else(|err| panic!("{}: {err}", e.id));
            let mut req = parse_request_text(e.request, e.client_ip).unwrap();
            if !e.country.is_empty() {
                req["country"] = e.country.into();
            }
            let rec = waf.evaluate(&req, &Value::Null).unwrap();
            assert_eq!(rec["action"], e.expect_action, "{}", e.id);
            assert_eq!(rec["terminatingRuleId"], e.expect_rule, "{}", e.id);
            assert!(example(e.id).is_some());
        }
    }

    #[test]
    fn sample_traffic_tells_each_story() {
        let traffic = Value::Array(sample_traffic());
        for (id, rule) in [("sqli-xss", "sqli-query"), ("rate-limit", "per-ip-limit")] {
            let e = example(id).unwrap();
            let mut waf = WebAcl::new(
                &serde_json::from_str(e.web_acl).unwrap(),
                &serde_json::from_str(e.resources).unwrap(),
                &Value::Null,
            )
            .unwrap();
            let report = waf.replay(&traffic).unwrap();
            assert_eq!(report["total"], 750);
            let blocked = report["actions"]["BLOCK"].as_u64().unwrap_or(0);
            assert!(blocked > 0 && blocked < 150, "{id}: {blocked} blocked");
            assert!(report["rules"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r["rule"] == rule && r["terminated"].as_u64() > Some(0)));
        }
    }

    #[test]
    fn the_rate_limit_example_blocks_after_its_limit() {
        let e = example("rate-limit").unwrap();
        let mut waf = WebAcl::new(
            &serde_json::from_str(e.web_acl).unwrap(),
            &serde_json::from_str(e.resources).unwrap(),
            &Value::Null,
        )
        .unwrap();
        let req = parse_request_text(e.request, e.client_ip).unwrap();
        let t0 = 1_800_000_000_000u64;
        let actions: Vec<Value> = (0..120)
            .map(|i| {
                waf.evaluate(&req, &serde_json::json!({"timestamp": t0 + i * 1000})).unwrap()["action"]
                    .clone()
            })
            .collect();
        assert_eq!(actions[0], "ALLOW");
        assert_eq!(actions[119], "BLOCK");
    }
}
