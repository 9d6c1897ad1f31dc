//! The offline geo database against its sources: the `@ip-location-db` CSVs in node_modules (`npm
//! ci` installs them; without them the test says so and checks nothing). Builds the database with
//! `GeoDbBuilder`, checks that `tools/geo-build.mjs` writes the very same bytes, and looks up a
//! sample of rows (first, middle and last address) against the CSV rows themselves. With
//! `--nocapture` it prints the sizes and the lookup time (a figure, not an assertion).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::path::{Path, PathBuf};
use std::time::Instant;

use secplay::waf::geo::{CsvKind, GeoDb, GeoDbBuilder};

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
    if !geo.join("package.json").exists() || !asn.join("package.json").exists() {
        println!("waf_geo: node_modules/@ip-location-db is missing (run `npm ci`); nothing checked");
        return;
    }
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
        "waf_geo: {} bytes, built from the CSVs in {built:?} (debug build), loaded in {loaded:?}, {:?}",
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
    println!(
        "waf_geo: {per} ns per lookup (country and ASN, debug build), {found} of {} found",
        probes.len()
    );
}
