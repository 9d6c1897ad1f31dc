//! Arbitrary bytes as the Firewall Manager engine's inputs: as the organisation (with the page
//! example's policies), as the policies (with the example organisation), and as the options
//! (resource and request included): the engine must answer with a value or an error, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use secplay::fms::{examples, json::evaluate};
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let org = Value::String(examples::ORG.to_owned());
    let policies = Value::String(examples::POLICIES.to_owned());
    let given = Value::String(text.to_owned());
    let _ = evaluate(&given, &policies, &Value::Null);
    let _ = evaluate(&org, &given, &Value::Null);
    let _ = evaluate(&org, &policies, &given);
});
