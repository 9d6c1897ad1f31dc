//! Arbitrary bytes as a policy, as an evaluation input and as a validation input: the policy
//! engine must answer with a value or an error, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

const TYPES: [&str; 8] = ["identity", "resource", "key", "scp", "rcp", "boundary", "session", "trust"];

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = secplay::policy::parse_policy(text);
    let _ = secplay::policy::evaluate_policy_str(text);
    let kind = TYPES[data.len() % TYPES.len()];
    let _ = secplay::policy::validate_policy_json(text, kind);
});
