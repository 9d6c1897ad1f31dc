//! Inputs for the WAF benchmarks: the shared corpora, libinjection's C functions (when build.rs
//! compiled them), and a 20-rule web ACL with a 10,000-entry IP set plus a deterministic mix of
//! benign and malicious requests. The same ACL and requests are written to JSON for `wasm.mjs`.

use serde_json::{json, Value};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/vectors/waf/");

/// The lines of a corpus file (`sqli.txt`, `xss.txt`, `benign.txt`).
pub fn corpus(name: &str) -> Vec<String> {
    let path = format!("{DIR}{name}");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read `{path}`: {e}"));
    text.lines().map(str::to_owned).collect()
}

/// libinjection's C detectors, if the source was fetched (see `fetch-libinjection.sh`).
#[cfg(libinjection_c)]
pub mod c {
    use std::os::raw::{c_char, c_int};

    extern "C" {
        fn libinjection_sqli(s: *const c_char, slen: usize, fingerprint: *mut c_char) -> c_int;
        fn libinjection_xss(s: *const c_char, slen: usize) -> c_int;
    }

    /// `libinjection_sqli` (fingerprint discarded).
    pub fn sqli(input: &[u8]) -> bool {
        let mut fp = [0 as c_char; 8];
        // SAFETY: the pointer and length describe `input`; `fp` has room for the 5-token
        // fingerprint and its NUL (LIBINJECTION_SQLI_MAX_TOKENS + 1 <= 8).
        unsafe { libinjection_sqli(input.as_ptr().cast(), input.len(), fp.as_mut_ptr()) != 0 }
    }

    /// `libinjection_xss`.
    pub fn xss(input: &[u8]) -> bool {
        // SAFETY: the pointer and length describe `input`, which the C code only reads.
        unsafe { libinjection_xss(input.as_ptr().cast(), input.len()) != 0 }
    }
}

/// Whether the C library was compiled in.
pub const HAVE_C: bool = cfg!(libinjection_c);

/// A small deterministic generator (xorshift), so every run sees the same ACL and requests.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const IP_SET_ARN: &str =
    "arn:aws:wafv2:us-east-1:111122223333:regional/ipset/blocked/b0000000-0000-4000-8000-000000000001";

/// The IP set: 10,000 entries, 9,000 single addresses in 100.64.0.0/10 and 1,000 /24 networks in
/// 172.16.0.0/12.
pub fn ip_set() -> Value {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut seen = std::collections::BTreeSet::new();
    while seen.len() < 9_000 {
        let n = rng.next() as u32 & 0x003f_ffff;
        seen.insert(format!("100.{}.{}.{}/32", 64 + (n >> 16), (n >> 8) & 0xff, n & 0xff));
    }
    let mut nets = std::collections::BTreeSet::new();
    while nets.len() < 1_000 {
        let n = rng.next() as u32 & 0x0fff;
        nets.insert(format!("172.{}.{}.0/24", 16 + (n >> 8), n & 0xff));
    }
    let addresses: Vec<String> = seen.into_iter().chain(nets).collect();
    json!({"Name": "blocked", "Id": "b0000000-0000-4000-8000-000000000001", "ARN": IP_SET_ARN,
           "IPAddressVersion": "IPV4", "Addresses": addresses})
}

fn vis(name: &str) -> Value {
    json!({"SampledRequestsEnabled": true, "CloudWatchMetricsEnabled": true, "MetricName": name})
}

fn tt(types: &[&str]) -> Value {
    Value::Array(types.iter().enumerate().map(|(i, t)| json!({"Priority": i, "Type": t})).collect())
}

fn byte_match(field: Value, position: &str, needle: &str, transforms: &[&str]) -> Value {
    use base64::Engine as _;
    let search = base64::engine::general_purpose::STANDARD.encode(needle);
    json!({"ByteMatchStatement": {"SearchString": search, "FieldToMatch": field,
           "TextTransformations": tt(transforms), "PositionalConstraint": position}})
}

fn rule(priority: usize, name: &str, action: &str, statement: Value) -> Value {
    json!({"Name": name, "Priority": priority, "Action": {action: {}}, "Statement": statement,
           "VisibilityConfig": vis(name)})
}

/// The 20-rule web ACL: the IP set first, cheap path/header/size rules, then SQLi and XSS on the
/// query string and the body (URL and HTML-entity decoded), as a typical "protect the app" ACL.
pub fn web_acl() -> Value {
    let path = json!({"UriPath": {}});
    let ua = json!({"SingleHeader": {"Name": "user-agent"}});
    let query = json!({"QueryString": {}});
    let body = json!({"Body": {"OversizeHandling": "CONTINUE"}});
    let decode = ["URL_DECODE", "HTML_ENTITY_DECODE"];
    let method = |m: &str| byte_match(json!({"Method": {}}), "EXACTLY", m, &["NONE"]);
    let statements = [
        ("block-ip-set", "Block", json!({"IPSetReferenceStatement": {"ARN": IP_SET_ARN}})),
        ("allow-health-check", "Allow", byte_match(path.clone(), "EXACTLY", "/healthz", &["NONE"])),
        ("block-scanners", "Block", byte_match(ua.clone(), "CONTAINS", "sqlmap", &["LOWERCASE"])),
        ("block-admin", "Block", byte_match(path.clone(), "STARTS_WITH", "/admin", &["LOWERCASE"])),
        (
            "block-wordpress",
            "Block",
            json!({"RegexMatchStatement": {"RegexString": "^/(wp-login|xmlrpc)\\.php$",
            "FieldToMatch": path, "TextTransformations": tt(&["LOWERCASE"])}}),
        ),
        ("block-dotfiles", "Block", byte_match(path.clone(), "CONTAINS", "/.", &["URL_DECODE"])),
        (
            "block-traversal",
            "Block",
            byte_match(path.clone(), "CONTAINS", "../", &["URL_DECODE", "NORMALIZE_PATH"]),
        ),
        ("block-php", "Block", byte_match(path.clone(), "ENDS_WITH", ".php", &["LOWERCASE"])),
        (
            "block-large-body",
            "Block",
            json!({"SizeConstraintStatement": {"FieldToMatch": body,
            "ComparisonOperator": "GT", "Size": 8192, "TextTransformations": tt(&["NONE"])}}),
        ),
        (
            "block-long-query",
            "Block",
            json!({"SizeConstraintStatement": {"FieldToMatch": query,
            "ComparisonOperator": "GT", "Size": 4096, "TextTransformations": tt(&["NONE"])}}),
        ),
        (
            "block-methods",
            "Block",
            json!({"NotStatement": {"Statement": {"OrStatement": {"Statements":
            [method("GET"), method("POST"), method("HEAD")]}}}}),
        ),
        ("geo-block", "Block", json!({"GeoMatchStatement": {"CountryCodes": ["KP", "IR", "SY"]}})),
        ("block-shellshock", "Block", byte_match(ua, "CONTAINS", "() {", &["NONE"])),
        (
            "block-log4j",
            "Block",
            byte_match(body.clone(), "CONTAINS", "${jndi:", &["URL_DECODE", "LOWERCASE"]),
        ),
        (
            "sqli-query",
            "Block",
            json!({"SqliMatchStatement": {"FieldToMatch": query,
            "TextTransformations": tt(&decode), "SensitivityLevel": "LOW"}}),
        ),
        (
            "sqli-body",
            "Block",
            json!({"SqliMatchStatement": {"FieldToMatch": body,
            "TextTransformations": tt(&decode), "SensitivityLevel": "LOW"}}),
        ),
        (
            "xss-query",
            "Block",
            json!({"XssMatchStatement": {"FieldToMatch": query, "TextTransformations": tt(&decode)}}),
        ),
        (
            "xss-body",
            "Block",
            json!({"XssMatchStatement": {"FieldToMatch": body, "TextTransformations": tt(&decode)}}),
        ),
        ("count-api", "Count", byte_match(path.clone(), "STARTS_WITH", "/api/", &["NONE"])),
        (
            "block-cookie-sqli",
            "Block",
            json!({"SqliMatchStatement": {"FieldToMatch":
            {"Cookies": {"MatchPattern": {"All": {}}, "MatchScope": "VALUE", "OversizeHandling": "CONTINUE"}},
            "TextTransformations": tt(&["URL_DECODE"]), "SensitivityLevel": "LOW"}}),
        ),
    ];
    let rules: Vec<Value> =
        statements.into_iter().enumerate().map(|(i, (name, action, st))| rule(i, name, action, st)).collect();
    json!({"Name": "bench-20-rules", "Id": "a0000000-0000-4000-8000-000000000001",
           "ARN": "arn:aws:wafv2:us-east-1:111122223333:regional/webacl/bench-20-rules/a0000000-0000-4000-8000-000000000001",
           "DefaultAction": {"Allow": {}}, "Capacity": 0, "VisibilityConfig": vis("bench-20-rules"), "Rules": rules})
}

/// `{ipSets: [the IP set]}`.
pub fn resources() -> Value {
    json!({"ipSets": [ip_set()]})
}

/// Options: no per-rule trace (what a server-side deployment would use).
pub fn options() -> Value {
    json!({"trace": false})
}

fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `n` requests: 70 % benign, 15 % SQLi, 15 % XSS payloads from the corpora, alternately in the
/// query string (GET) and a form body (POST); 5 % come from an address in the IP set.
pub fn requests(n: usize) -> Vec<Value> {
    let (benign, sqli, xss) = (corpus("benign.txt"), corpus("sqli.txt"), corpus("xss.txt"));
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    (0..n)
        .map(|i| {
            let payload = match i % 20 {
                0..=13 => &benign[rng.below(benign.len())],
                14..=16 => &sqli[rng.below(sqli.len())],
                _ => &xss[rng.below(xss.len())],
            };
            let ip = if i % 20 == 7 {
                format!("172.{}.{}.9", 16 + rng.below(16), rng.below(256))
            } else {
                format!("198.{}.{}.{}", 18 + rng.below(2), rng.below(256), 1 + rng.below(254))
            };
            let mut headers = vec![
                json!(["Host", "shop.example.com"]),
                json!(["User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/128.0"]),
                json!(["Accept", "text/html,application/xhtml+xml"]),
                json!(["Cookie", "session=3f9a1c; theme=dark"]),
            ];
            if i % 2 == 0 {
                json!({"method": "GET", "uri": format!("/search?q={}&page=2", percent_encode(payload)),
                       "headers": headers, "clientIp": ip})
            } else {
                headers.push(json!(["Content-Type", "application/x-www-form-urlencoded"]));
                json!({"method": "POST", "uri": "/comments", "headers": headers, "clientIp": ip,
                       "body": format!("name=alice&comment={}", percent_encode(payload))})
            }
        })
        .collect()
}
