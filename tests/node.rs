//! The shared envelope cases, compiled to wasm and run in Node 20 (`make test-wasm`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

#[cfg(target_arch = "wasm32")]
#[path = "shared/envelope_cases.rs"]
mod envelope_cases;

/// The policy engine compiled to wasm must decide every `documented`/`high` vector exactly as it
/// does natively (the corpus is compiled into the test: wasm has no file system here).
#[cfg(target_arch = "wasm32")]
mod policy_in_wasm {
    use wasm_bindgen_test::wasm_bindgen_test;

    const CASES: &str =
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/vectors/iam/policy-eval-cases.json"));

    #[wasm_bindgen_test]
    fn every_documented_and_high_case() {
        let corpus: serde_json::Value = serde_json::from_str(CASES).unwrap();
        let mut checked = 0;
        for case in corpus["cases"].as_array().unwrap() {
            if case["confidence"] == "doubtful" {
                continue;
            }
            let got = secplay::policy::evaluate_policy(case).unwrap();
            assert_eq!(got["decision"], case["expected"]["decision"], "case {}", case["id"]);
            checked += 1;
        }
        assert!(checked >= 370, "only {checked} cases ran");
    }
}

/// The WAF detectors compiled to wasm flag the corpora as they do natively (a slice of each corpus,
/// compiled in: no file system here) and the sample web ACL parses.
#[cfg(target_arch = "wasm32")]
mod waf_in_wasm {
    use wasm_bindgen_test::wasm_bindgen_test;

    const SQLI: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/vectors/waf/sqli.txt"));
    const XSS: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/vectors/waf/xss.txt"));
    const BENIGN: &str =
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/vectors/waf/benign.txt"));
    const SAMPLE: &str =
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/vectors/waf/sample-get-web-acl.json"));

    fn rate(corpus: &str, n: usize, flag: impl Fn(&str) -> bool) -> f64 {
        let lines: Vec<&str> = corpus.lines().step_by(corpus.lines().count() / n).take(n).collect();
        lines.iter().filter(|l| flag(l)).count() as f64 / lines.len() as f64
    }

    #[wasm_bindgen_test]
    fn detectors_in_wasm() {
        use secplay::waf::json::{detect_sqli, detect_xss};
        let sqli = rate(SQLI, 1000, |l| detect_sqli(l, None).unwrap());
        let xss = rate(XSS, 1000, detect_xss);
        let fp = rate(BENIGN, 1000, |l| detect_sqli(l, None).unwrap() || detect_xss(l));
        assert!(sqli > 0.93 && xss > 0.92 && fp < 0.01, "sqli {sqli} xss {xss} false positives {fp}");
    }

    #[wasm_bindgen_test]
    fn sample_web_acl_parses() {
        secplay::waf::parse::parse_text(SAMPLE).unwrap();
    }

    /// The offline geo database format in wasm: built, loaded, looked up (IPv4, IPv6, mapped),
    /// and every truncation rejected.
    #[wasm_bindgen_test]
    fn geo_database_in_wasm() {
        use secplay::waf::geo::{GeoDb, GeoDbBuilder};
        use std::net::IpAddr;
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        let mut b = GeoDbBuilder::new("wasm");
        b.add_country(ip("1.0.0.0"), ip("1.0.0.255"), "AU").unwrap();
        b.add_country(ip("1.0.0.16"), ip("1.0.0.31"), "NZ").unwrap();
        b.add_asn(ip("2001:200::"), ip("2001:200:ffff:ffff:ffff:ffff:ffff:ffff"), 2500).unwrap();
        let bytes = b.encode().unwrap();
        let db = GeoDb::from_bytes(&bytes).unwrap();
        assert_eq!(db.country(ip("1.0.0.15")).map(|c| c.as_str().to_owned()).as_deref(), Some("AU"));
        assert_eq!(db.country(ip("::ffff:1.0.0.17")).map(|c| c.as_str().to_owned()).as_deref(), Some("NZ"));
        assert_eq!(db.asn(ip("2001:200::1")), Some(2500));
        assert_eq!(db.lookup(ip("1.0.1.0")), None);
        for n in 0..bytes.len() {
            assert!(GeoDb::from_bytes(&bytes[..n]).is_err());
        }
    }
}
