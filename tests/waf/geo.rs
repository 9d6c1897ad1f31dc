//! The offline geo database against its sources: the `@ip-location-db` CSVs in node_modules
//! (`tools/setup.sh build`, which `make pkg` runs, installs them with `npm ci`; without them the test
//! fails and says so). Builds the database with
//! `GeoDbBuilder`, checks that `tools/geo-build.mjs` writes the very same bytes, and looks up a
//! sample of rows (first, middle and last address) against the CSV rows themselves. With
//! `--nocapture` it prints the sizes and the lookup time (a figure, not an assertion). Then the engine: GeoMatch and
//! AsnMatch use a small database when the request carries no country or ASN.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use secplay::waf::geo::{CsvKind, GeoDb, GeoDbBuilder};
use secplay::waf::json::WebAcl;
use serde_json::{json, Value};

const PROFILE: &str = if cfg!(debug_assertions) { "debug build" } else { "optimised build" };

fn module(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("node_modules/@ip-location-db").join(name)
}

fn version(name: &str) -> String {
    let text = std::fs::read_to_string(module(name).join("package.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["version"].as_str().unwrap().to_owned()
}

/// The same text `tools/geo-build.mjs` stores.
fn source_text() -> String {
    format!(
        "country: @ip-location-db/geo-whois-asn-country {} (CC0-1.0, NRO data CC-BY-4.0); ASN: @ip-location-db/asn {} (CC-BY-4.0, RouteViews and DB-IP)",
        version("geo-whois-asn-country"),
        version("asn")
    )
}

struct Csv {
    kind: CsvKind,
    v6: bool,
    text: String,
}

fn ip(n: u128, v6: bool) -> IpAddr {
    if v6 {
        IpAddr::V6(Ipv6Addr::from(n))
    } else {
        IpAddr::V4(Ipv4Addr::from(u32::try_from(n).unwrap()))
    }
}

#[test]
fn the_database_answers_as_the_csv_rows_say() {
    let geo = module("geo-whois-asn-country");
    let asn = module("asn");
    assert!(
        geo.join("package.json").exists() && asn.join("package.json").exists(),
        "the geo database's sources are missing: `{}` and `{}` come from npm; install them with \
         `tools/setup.sh build` (or `npm ci`; `make pkg` runs both and builds www/generated/geo.bin from them)",
        geo.display(),
        asn.display()
    );
    let t0 = Instant::now();
    let csvs = [
        (CsvKind::Country, false, geo.join("geo-whois-asn-country-ipv4-num.csv")),
        (CsvKind::Asn, false, asn.join("asn-ipv4-num.csv")),
        (CsvKind::Country, true, geo.join("geo-whois-asn-country-ipv6-num.csv")),
        (CsvKind::Asn, true, asn.join("asn-ipv6-num.csv")),
    ]
    .map(|(kind, v6, path)| Csv { kind, v6, text: std::fs::read_to_string(path).unwrap() });
    let mut builder = GeoDbBuilder::new(&source_text());
    for c in &csvs {
        builder.add_csv(c.kind, c.v6, &c.text).unwrap();
    }
    let bytes = builder.encode().unwrap();
    let built = t0.elapsed();
    let t1 = Instant::now();
    let db = GeoDb::from_bytes(&bytes).unwrap();
    let loaded = t1.elapsed();
    println!(
        "waf_geo: {} bytes, built from the CSVs in {built:?} ({PROFILE}), loaded in {loaded:?}, {:?}",
        bytes.len(),
        db.stats()
    );

    // The JavaScript generator `make pkg` runs writes the same bytes.
    let out = std::env::temp_dir().join(format!("secplay-geo-{}.bin", std::process::id()));
    let node = std::process::Command::new("node")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tools/geo-build.mjs"))
        .arg(&out)
        .output();
    match node {
        Ok(o) if o.status.success() => {
            let js = std::fs::read(&out).unwrap();
            let _ = std::fs::remove_file(&out);
            assert!(
                js == bytes,
                "tools/geo-build.mjs and GeoDbBuilder disagree ({} vs {} bytes)",
                js.len(),
                bytes.len()
            );
        }
        Ok(o) => panic!("tools/geo-build.mjs failed: {}", String::from_utf8_lossy(&o.stderr)),
        Err(e) => println!("waf_geo: node is not available ({e}); the JavaScript generator was not compared"),
    }

    // Every 97th row that no neighbour overlaps (nested rows are resolved by the builder; a
    // test of that is in the unit tests): its first, middle and last address.
    let mut checked = 0;
    for c in &csvs {
        let rows: Vec<(u128, u128, String)> = c
            .text
            .lines()
            .filter(|l| !l.is_empty())
            .map(|l| {
                let mut p = l.splitn(4, ',');
                let a = p.next().unwrap().parse().unwrap();
                let b = p.next().unwrap().parse().unwrap();
                (a, b, p.next().unwrap().to_owned())
            })
            .collect();
        for i in (1..rows.len().saturating_sub(1)).step_by(97) {
            let (first, last, value) = &rows[i];
            if rows[i - 1].1 >= *first || rows[i + 1].0 <= *last {
                continue;
            }
            for x in [*first, first + (last - first) / 2, *last] {
                let got = match c.kind {
                    CsvKind::Country => db.country(ip(x, c.v6)).map(|c| c.as_str().to_owned()),
                    CsvKind::Asn => db.asn(ip(x, c.v6)).map(|a| a.to_string()),
                };
                assert_eq!(got.as_deref(), Some(value.as_str()), "row {} of a {:?} CSV", i + 1, c.kind);
                checked += 1;
            }
        }
    }
    assert!(checked > 10_000, "only {checked} lookups checked");

    // Lookup time over a spread of addresses (a figure for the README; not asserted).
    let probes: Vec<IpAddr> = (0..50_000u32)
        .map(|i| {
            let n = i.wrapping_mul(2_654_435_761);
            if i % 4 == 0 {
                ip(0x2001_0000_0000_0000_0000_0000_0000_0000 | (u128::from(n) << 80), true)
            } else {
                ip(u128::from(n), false)
            }
        })
        .collect();
    let t2 = Instant::now();
    let found = probes.iter().filter(|p| db.lookup(**p).is_some()).count();
    let per = t2.elapsed().as_nanos() / probes.len() as u128;
    println!("waf_geo: {per} ns per lookup (country and ASN, {PROFILE}), {found} of {} found", probes.len());
}

// ---- The engine: GeoMatch / AsnMatch consult the database when the request says nothing ----

fn small_db() -> Arc<GeoDb> {
    let mut b = GeoDbBuilder::new("test");
    let v4 = |s: &str| IpAddr::V4(s.parse().unwrap());
    b.add_country(v4("198.51.100.0"), v4("198.51.100.255"), "DE").unwrap();
    b.add_country(v4("203.0.113.0"), v4("203.0.113.255"), "CN").unwrap();
    b.add_asn(v4("198.51.100.0"), v4("198.51.100.127"), 64500).unwrap();
    b.add_country(
        IpAddr::V6("2001:db8::".parse().unwrap()),
        IpAddr::V6("2001:db8::ffff".parse().unwrap()),
        "FR",
    )
    .unwrap();
    Arc::new(GeoDb::from_bytes(&b.encode().unwrap()).unwrap())
}

fn acl(statement: Value) -> WebAcl {
    let vis = json!({"SampledRequestsEnabled": true, "CloudWatchMetricsEnabled": true, "MetricName": "m"});
    let doc = json!({"Name": "t", "Id": "a1b2c3d4-5678-90ab-cdef-000000000000",
        "ARN": "arn:aws:wafv2:us-east-1:111122223333:regional/webacl/t/a1b2c3d4-5678-90ab-cdef-000000000000",
        "DefaultAction": {"Allow": {}}, "VisibilityConfig": vis,
        "Rules": [{"Name": "r", "Priority": 0, "Statement": statement, "Action": {"Block": {}}, "VisibilityConfig": vis}]});
    WebAcl::new(&doc, &Value::Null, &Value::Null).unwrap()
}

fn req(ip: &str, extra: Value) -> Value {
    let mut v =
        json!({"method": "GET", "uri": "/", "headers": [["X-Client-IP", "203.0.113.9"]], "clientIp": ip});
    for (k, val) in extra.as_object().unwrap() {
        v[k] = val.clone();
    }
    v
}

fn statement_note(rec: &Value) -> String {
    rec["trace"][0]["statements"][0]["note"].as_str().unwrap_or_default().to_owned()
}

#[test]
fn geo_match_uses_the_database_when_the_request_has_no_country() {
    let mut a = acl(json!({"GeoMatchStatement": {"CountryCodes": ["DE", "FR"]}}));
    assert!(a.uses_geo());
    assert!(a.needs_geo_db(&req("198.51.100.7", json!({}))));
    assert!(!a.needs_geo_db(&req("198.51.100.7", json!({"country": "US"}))));
    assert!(!acl(
        json!({"SizeConstraintStatement": {"FieldToMatch": {"UriPath": {}}, "ComparisonOperator": "GT",
        "Size": 100, "TextTransformations": [{"Priority": 0, "Type": "NONE"}]}})
    )
    .uses_geo());
    // No database: unknown, no match, and the trace says what to do.
    let rec = a.evaluate(&req("198.51.100.7", json!({})), &Value::Null).unwrap();
    assert_eq!(rec["action"], "ALLOW");
    assert!(statement_note(&rec).contains("unknown"), "{rec}");
    assert_eq!(rec["geo"]["countrySource"], "unknown");
    a.set_geo_db(Some(small_db()));
    let rec = a.evaluate(&req("198.51.100.7", json!({})), &Value::Null).unwrap();
    assert_eq!(rec["action"], "BLOCK", "{rec}");
    assert!(statement_note(&rec).contains("offline geo database"), "{rec}");
    assert_eq!(rec["httpRequest"]["country"], "DE");
    assert_eq!(
        rec["geo"],
        json!({"country": "DE", "countrySource": "database", "asn": 64500, "asnSource": "database"})
    );
    assert!(rec["labels"].as_array().unwrap().contains(&json!({"name": "awswaf:clientip:geo:country:DE"})));
    // IPv6 and IPv4-mapped IPv6.
    assert_eq!(a.evaluate(&req("2001:db8::1", json!({})), &Value::Null).unwrap()["action"], "BLOCK");
    assert_eq!(a.evaluate(&req("::ffff:198.51.100.1", json!({})), &Value::Null).unwrap()["action"], "BLOCK");
    // The request's own country wins over the database.
    let rec = a.evaluate(&req("198.51.100.7", json!({"country": "US"})), &Value::Null).unwrap();
    assert_eq!(rec["action"], "ALLOW");
    assert!(statement_note(&rec).contains("supplied with the request"), "{rec}");
    assert_eq!(rec["geo"]["countrySource"], "request");
    // An address in no range: unknown, and the trace says so.
    let rec = a.evaluate(&req("192.0.2.1", json!({})), &Value::Null).unwrap();
    assert_eq!(rec["action"], "ALLOW");
    assert!(statement_note(&rec).contains("in no range"), "{rec}");
    assert_eq!(rec["httpRequest"]["country"], Value::Null);
}

#[test]
fn forwarded_addresses_and_asn_are_looked_up_too() {
    let fwd = json!({"HeaderName": "X-Client-IP", "FallbackBehavior": "NO_MATCH"});
    let mut a = acl(json!({"GeoMatchStatement": {"CountryCodes": ["CN"], "ForwardedIPConfig": fwd}}));
    a.set_geo_db(Some(small_db()));
    // The forwarded 203.0.113.9 is CN in the database; the client's DE does not matter.
    let rec = a.evaluate(&req("198.51.100.7", json!({})), &Value::Null).unwrap();
    assert_eq!(rec["action"], "BLOCK", "{rec}");
    assert!(rec["labels"]
        .as_array()
        .unwrap()
        .contains(&json!({"name": "awswaf:forwardedip:geo:country:CN"})));
    assert_eq!(
        a.evaluate(&req("198.51.100.7", json!({"forwardedCountry": "JP"})), &Value::Null).unwrap()["action"],
        "ALLOW"
    );

    assert!(a.needs_geo_db(&req("198.51.100.7", json!({"country": "US"}))), "the forwarded address has none");
    assert!(!a.needs_geo_db(&req("198.51.100.7", json!({"forwardedCountry": "JP"}))));
    let mut asn = acl(json!({"AsnMatchStatement": {"AsnList": [64500]}}));
    assert!(asn.needs_geo_db(&req("198.51.100.7", json!({"country": "US"}))));
    assert!(!asn.needs_geo_db(&req("198.51.100.7", json!({"asn": 1}))));
    asn.set_geo_db(Some(small_db()));
    assert_eq!(asn.evaluate(&req("198.51.100.1", json!({})), &Value::Null).unwrap()["action"], "BLOCK");
    assert_eq!(asn.evaluate(&req("198.51.100.200", json!({})), &Value::Null).unwrap()["action"], "ALLOW");
    assert_eq!(
        asn.evaluate(&req("198.51.100.1", json!({"asn": 13335})), &Value::Null).unwrap()["action"],
        "ALLOW"
    );
    asn.set_geo_db(None);
    assert_eq!(asn.evaluate(&req("198.51.100.1", json!({})), &Value::Null).unwrap()["action"], "ALLOW");
}
