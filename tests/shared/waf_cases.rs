//! The WAF engine's shared cases in wasm, run by `tests/web.rs` in headless Chromium and Firefox and
//! by `tests/node.rs` in Node (the data compiled in: wasm has no file system): the detectors on a
//! fixed slice of each corpus and on libinjection's unit cases with exact counts, every Coraza
//! transformation vector, the sample web ACL, and the offline geo database format.

use crate::coraza_harness::{aws_name, harness_bytes, AWS_DIFFERS};
use secplay::waf::model::Sensitivity;
use secplay::waf::sqli;
use serde_json::Value;
use wasm_bindgen_test::wasm_bindgen_test;

macro_rules! waf_vector {
    ($($part:tt),+) => {
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/vectors/waf/", $($part),+))
    };
}

const SQLI: &str = waf_vector!("sqli.txt");
const XSS: &str = waf_vector!("xss.txt");
const BENIGN: &str = waf_vector!("benign.txt");
const SAMPLE: &str = waf_vector!("sample-get-web-acl.json");
const LIBINJECTION: &str = waf_vector!("libinjection-cases.json");

/// Every `step`-th line of a corpus, `n` lines in all: the slice the counts below are for.
fn slice(corpus: &str, n: usize) -> Vec<&str> {
    corpus.lines().step_by(corpus.lines().count() / n).take(n).collect()
}

/// The lines of a slice a detector flags, counted exactly: a detector change that moves a line shows
/// here as in the native per-line dump.
#[wasm_bindgen_test]
fn detectors_on_the_corpus_slices() {
    use secplay::waf::json::{detect_sqli, detect_xss};
    let count = |corpus: &str, flag: &dyn Fn(&str) -> bool| {
        slice(corpus, 1000).into_iter().filter(|l| flag(l)).count()
    };
    let sqli = count(SQLI, &|l| detect_sqli(l, None).unwrap());
    let xss = count(XSS, &|l| detect_xss(l));
    let benign = count(BENIGN, &|l| detect_sqli(l, None).unwrap() || detect_xss(l));
    assert_eq!((sqli, xss, benign), (961, 948, 0), "lines flagged of 1000: (sqli, xss, benign)");
}

/// libinjection's own SQLi unit cases and the false negatives / positives reported against it.
#[wasm_bindgen_test]
fn libinjection_unit_cases() {
    let d: Value = serde_json::from_str(LIBINJECTION).unwrap();
    let cases = d["libinjection_unit_tests"]["cases"].as_array().unwrap();
    let agree = |s: Sensitivity| {
        cases
            .iter()
            .filter(|c| {
                sqli::is_sqli(c["input"].as_str().unwrap().as_bytes(), s) == c["is_sqli"].as_bool().unwrap()
            })
            .count()
    };
    let input_of = |e: &Value| match e.get("input_hex") {
        Some(h) => hex(h.as_str().unwrap()),
        None => e["input"].as_str().unwrap().as_bytes().to_vec(),
    };
    let flagged = |list: &str, s: Sensitivity| {
        d[list].as_array().unwrap().iter().filter(|e| sqli::is_sqli(&input_of(e), s)).count()
    };
    let low = Sensitivity::Low;
    let high = Sensitivity::High;
    assert_eq!(
        [
            cases.len(),
            agree(low),
            agree(high),
            flagged("reported_false_negatives", low),
            flagged("reported_false_negatives", high),
            flagged("reported_false_positives", low),
            flagged("reported_false_positives", high),
        ],
        [50, 42, 44, 6, 6, 4, 4],
        "[unit cases, agreeing at LOW, at HIGH, reported false negatives caught at LOW, HIGH, \
         reported false positives flagged at LOW, HIGH]"
    );
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

fn hex(s: &str) -> Vec<u8> {
    (0..s.len() / 2).map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap()).collect()
}

// --- Transformations: the Coraza vectors, read as `tests/waf/transformations.rs` reads them.

macro_rules! transformation_files {
    ($($stem:literal),* $(,)?) => {
        const TRANSFORMATIONS: &[(&str, &str)] = &[$(($stem, waf_vector!("transformations/", $stem, ".json"))),*];
    };
}

transformation_files!(
    "base64Decode",
    "base64DecodeExt",
    "cmdLine",
    "compressWhitespace",
    "cssDecode",
    "escapeSeqDecode",
    "hexDecode",
    "htmlEntityDecode",
    "jsDecode",
    "lowercase",
    "md5",
    "normalisePath",
    "normalisePathWin",
    "removeCommentsChar",
    "removeNulls",
    "removeWhitespace",
    "replaceComments",
    "replaceNulls",
    "sqlHexDecode",
    "trim",
    "trimLeft",
    "trimRight",
    "uppercase",
    "urlDecode",
    "urlDecodeUni",
    "utf8toUnicode",
);

/// Every case of every file, named `file#index` on failure; the listed AWS differences must still differ.
#[wasm_bindgen_test]
fn every_transformation_vector() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for (stem, text) in TRANSFORMATIONS {
        let cases: Vec<Value> = serde_json::from_str(text).unwrap();
        for (i, c) in cases.iter().enumerate() {
            let Some(t) = aws_name(c["name"].as_str().unwrap()) else { continue };
            let input = harness_bytes(c["input"].as_str().unwrap());
            let expected = harness_bytes(c["output"].as_str().unwrap());
            let agrees = t.apply(&input) == expected;
            if agrees == AWS_DIFFERS.iter().any(|(f, n, _)| f == stem && *n == i) {
                failures.push(format!(
                    "{stem}#{i}: input {:?} expected {:?}",
                    String::from_utf8_lossy(&input),
                    String::from_utf8_lossy(&expected)
                ));
            }
            checked += 1;
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(checked, 288, "transformation cases checked");
}
