//! Arbitrary bytes as the WAF's offline geo database: `GeoDb::from_bytes` answers (mostly with an
//! error) and never panics, and whatever loads answers lookups at the edges of both families.
#![no_main]

use std::net::IpAddr;

use libfuzzer_sys::fuzz_target;
use secplay::waf::geo::GeoDb;

const PROBES: &[&str] = &[
    "0.0.0.0",
    "1.0.0.1",
    "203.0.113.9",
    "255.255.255.255",
    "::",
    "::ffff:1.0.0.1",
    "2001:db8::1",
    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
];

fuzz_target!(|data: &[u8]| {
    if let Ok(db) = GeoDb::from_bytes(data) {
        for ip in PROBES.iter().filter_map(|p| p.parse::<IpAddr>().ok()) {
            let _ = db.lookup(ip);
        }
        let _ = db.stats();
    }
});
