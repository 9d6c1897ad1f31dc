//! Arbitrary bytes through the WAF: as a web ACL (JSON text), through every text transformation,
//! and through both detectors. Each must answer, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use secplay::waf::json as waf;
use serde_json::{json, Value};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = waf::WebAcl::new(&Value::String(text.clone().into_owned()), &Value::Null, &Value::Null);
    for (name, _) in secplay::waf::transform::ALL {
        let _ = waf::apply_transformations(&text, &json!([{"Type": name, "Priority": 0}]));
    }
    let _ = waf::detect_sqli(&text, Some("HIGH"));
    let _ = waf::explain_sqli(&text, None);
    let _ = waf::detect_xss(&text);
});
