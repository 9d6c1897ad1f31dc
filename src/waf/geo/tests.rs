//! The format: round trips, lookups at range edges and index block edges, flattening of nested
//! ranges against a naive reference, and hostile bytes (every truncation, bad headers, absurd
//! counts, ranges past the address space, random corruption) rejected without a panic.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::build::flatten;
use super::*;

fn v4(s: &str) -> IpAddr {
    IpAddr::V4(s.parse::<Ipv4Addr>().unwrap())
}

fn v6(s: &str) -> IpAddr {
    IpAddr::V6(s.parse::<Ipv6Addr>().unwrap())
}

fn cc(db: &GeoDb, ip: IpAddr) -> Option<String> {
    db.country(ip).map(|c| c.as_str().to_owned())
}

fn sample() -> GeoDb {
    let mut b = GeoDbBuilder::new("test data");
    b.add_country(v4("1.0.0.0"), v4("1.0.0.255"), "AU").unwrap();
    b.add_country(v4("1.0.1.0"), v4("1.0.3.255"), "cn").unwrap();
    b.add_country(v4("10.0.0.0"), v4("10.0.0.255"), "DE").unwrap();
    b.add_country(v4("10.0.0.16"), v4("10.0.0.31"), "BE").unwrap();
    b.add_country(v4("255.255.255.0"), v4("255.255.255.255"), "ZZ").unwrap();
    b.add_asn(v4("1.0.0.0"), v4("1.0.0.255"), 13335).unwrap();
    b.add_asn(v4("0.0.0.0"), v4("0.0.0.0"), 0).unwrap();
    b.add_country(v6("2001:200::"), v6("2001:218:2000:51:ffff:ffff:ffff:ffff"), "JP").unwrap();
    b.add_country(v6("ffff::"), v6("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"), "AQ").unwrap();
    b.add_asn(v6("2001::"), v6("2001::ffff:ffff:ffff:ffff:ffff:ffff"), 6939).unwrap();
    GeoDb::from_bytes(&b.encode().unwrap()).unwrap()
}

#[test]
fn round_trip_and_range_edges() {
    let db = sample();
    assert_eq!(db.source(), "test data");
    assert_eq!(cc(&db, v4("0.255.255.255")), None);
    assert_eq!(cc(&db, v4("1.0.0.0")), Some("AU".into()));
    assert_eq!(cc(&db, v4("1.0.0.255")), Some("AU".into()));
    assert_eq!(cc(&db, v4("1.0.1.0")), Some("CN".into()));
    assert_eq!(cc(&db, v4("1.0.3.255")), Some("CN".into()));
    assert_eq!(cc(&db, v4("1.0.4.0")), None);
    assert_eq!(cc(&db, v4("255.255.255.255")), Some("ZZ".into()));
    assert_eq!(cc(&db, v4("255.255.254.255")), None);
    assert_eq!(db.asn(v4("1.0.0.7")), Some(13335));
    assert_eq!(db.asn(v4("0.0.0.0")), Some(0));
    assert_eq!(db.asn(v4("0.0.0.1")), None);
    assert_eq!(db.asn(v4("1.0.1.0")), None);
    assert_eq!(db.lookup(v4("1.0.0.1")), Some(GeoInfo { country: Country::parse("AU"), asn: Some(13335) }));
    assert_eq!(db.lookup(v4("9.9.9.9")), None);
    assert_eq!(cc(&db, v6("2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff")), None);
    assert_eq!(cc(&db, v6("2001:200::")), Some("JP".into()));
    assert_eq!(cc(&db, v6("2001:218:2000:51:ffff:ffff:ffff:ffff")), Some("JP".into()));
    assert_eq!(cc(&db, v6("2001:218:2000:52::")), None);
    assert_eq!(cc(&db, v6("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")), Some("AQ".into()));
    assert_eq!(db.asn(v6("2001::1")), Some(6939));
    assert_eq!(db.asn(v6("2001:1::")), None);
    let s = db.stats();
    assert_eq!((s.ipv4_country, s.ipv4_asn, s.ipv6_country, s.ipv6_asn), (6, 2, 2, 1));
}

#[test]
fn nested_ranges_win_over_their_parent() {
    let db = sample();
    assert_eq!(cc(&db, v4("10.0.0.15")), Some("DE".into()));
    assert_eq!(cc(&db, v4("10.0.0.16")), Some("BE".into()));
    assert_eq!(cc(&db, v4("10.0.0.31")), Some("BE".into()));
    assert_eq!(cc(&db, v4("10.0.0.32")), Some("DE".into()));
    assert_eq!(cc(&db, v4("10.0.0.255")), Some("DE".into()));
    assert_eq!(cc(&db, v4("10.0.1.0")), None);
}

#[test]
fn ipv4_mapped_ipv6_uses_the_ipv4_tables() {
    let db = sample();
    assert_eq!(cc(&db, v6("::ffff:1.0.1.9")), Some("CN".into()));
    assert_eq!(db.asn(v6("::ffff:1.0.0.1")), Some(13335));
    assert_eq!(cc(&db, v6("::ffff:9.9.9.9")), None);
}

#[test]
fn from_vec_keeps_the_bytes_and_checks_them_alike() {
    let mut b = GeoDbBuilder::new("v");
    b.add_asn(v4("1.0.0.0"), v4("1.0.0.255"), 13335).unwrap();
    let bytes = b.encode().unwrap();
    assert_eq!(GeoDb::from_vec(bytes.clone()).unwrap().asn(v4("1.0.0.9")), Some(13335));
    is_geo_error(GeoDb::from_vec(bytes[..bytes.len() - 1].to_vec()));
}

#[test]
fn an_empty_database_knows_nothing() {
    let db = GeoDb::from_bytes(&GeoDbBuilder::new("").encode().unwrap()).unwrap();
    assert_eq!(db.lookup(v4("1.2.3.4")), None);
    assert_eq!(db.lookup(v6("2001:db8::1")), None);
}

/// A deterministic generator (xorshift) for the randomised tests.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// The value at `x`: among the ranges holding it, the last in (first, longer first, input) order.
fn naive(input: &[(u128, u128, Value)], x: u128) -> Option<Value> {
    let mut order: Vec<usize> = (0..input.len()).collect();
    order.sort_by(|&i, &j| input[i].0.cmp(&input[j].0).then(input[j].1.cmp(&input[i].1)).then(i.cmp(&j)));
    order.iter().rev().map(|&i| input[i]).find(|r| r.0 <= x && x <= r.1).map(|r| r.2)
}

#[test]
fn flattening_matches_a_naive_reference() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for round in 0..200 {
        let n = 1 + rng.below(12) as usize;
        let input: Vec<(u128, u128, Value)> = (0..n)
            .map(|_| {
                let a = u128::from(rng.below(200));
                let b = a + u128::from(rng.below(60));
                (a, b, Value::Asn(rng.below(4) as u32))
            })
            .collect();
        let flat = flatten(&input);
        for w in flat.windows(2) {
            assert!(w[0].1 < w[1].0, "round {round}: not sorted and disjoint: {flat:?}");
            assert!(!(w[0].1 + 1 == w[1].0 && w[0].2 == w[1].2), "round {round}: not merged");
        }
        for x in 0..270u128 {
            let got = flat.iter().find(|r| r.0 <= x && x <= r.1).map(|r| r.2);
            assert_eq!(got, naive(&input, x), "round {round}, address {x}, input {input:?}");
        }
    }
}

#[test]
fn lookups_across_many_index_blocks_match_a_linear_scan() {
    let mut rng = Rng(42);
    let mut b = GeoDbBuilder::new("many");
    let mut ranges = Vec::new();
    let mut at = 0u32;
    for i in 0..1000u32 {
        at += rng.below(3) as u32 * 256;
        let len = (1 + rng.below(4) as u32) * 64;
        b.add_asn(IpAddr::V4(at.into()), IpAddr::V4((at + len - 1).into()), i).unwrap();
        ranges.push((at, at + len - 1, i));
        at += len;
    }
    let db = GeoDb::from_bytes(&b.encode().unwrap()).unwrap();
    assert_eq!(db.stats().ipv4_asn, 1000);
    for &(first, last, asn) in &ranges {
        for x in [first, last, first + (last - first) / 2] {
            assert_eq!(db.asn(IpAddr::V4(x.into())), Some(asn), "address {x}");
        }
        let after = last + 1;
        let expected = ranges.iter().find(|r| r.0 <= after && after <= r.1).map(|r| r.2);
        assert_eq!(db.asn(IpAddr::V4(after.into())), expected);
    }
}

fn is_geo_error(r: Result<GeoDb, WafError>) -> String {
    match r {
        Err(e @ WafError::GeoDatabase { .. }) => e.to_string(),
        other => panic!("expected a geo database error, got {other:?}"),
    }
}

#[test]
fn every_truncation_is_an_error() {
    let mut b = GeoDbBuilder::new("t");
    b.add_country(v4("1.0.0.0"), v4("1.0.0.255"), "AU").unwrap();
    b.add_asn(v6("2001::"), v6("2001::ffff"), 6939).unwrap();
    let bytes = b.encode().unwrap();
    for n in 0..bytes.len() {
        is_geo_error(GeoDb::from_bytes(&bytes[..n]));
    }
    let mut long = bytes.clone();
    long.push(0);
    assert!(is_geo_error(GeoDb::from_bytes(&long)).contains("after the last table"));
}

/// A file with the given tables' raw bytes (each already starting with its count).
fn file(tables: [&[u8]; 4]) -> Vec<u8> {
    let mut out = b"SPGD\x01\x00".to_vec();
    for t in tables {
        out.extend_from_slice(t);
    }
    out
}

/// The error text for a file whose tables are these bytes.
fn reject(tables: [&[u8]; 4]) -> String {
    is_geo_error(GeoDb::from_bytes(&file(tables)))
}

#[test]
fn hostile_headers_and_entries_are_rejected() {
    let ok: &[u8] = &[0];
    assert!(is_geo_error(GeoDb::from_bytes(b"GIF89a")).contains("SPGD"));
    assert!(is_geo_error(GeoDb::from_bytes(b"SPGD\x02\x00\0\0\0\0")).contains("version 2"));
    assert!(GeoDb::from_bytes(&file([ok, ok, ok, ok])).is_ok());
    // A well-formed entry, to show the bytes below differ from it in one thing each.
    assert!(GeoDb::from_bytes(&file([&[1, 8, 1, b'A', b'U'], ok, ok, ok])).is_ok());
    // Absurd counts: more than the maximum, and more than the bytes left could hold.
    let huge = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f];
    assert!(reject([&huge, ok, ok, ok]).contains("more than"));
    assert!(reject([&[100, 8, 1, b'A', b'U'], ok, ok, ok]).contains("does not fit"));
    // A source description longer than allowed.
    assert!(is_geo_error(GeoDb::from_bytes(b"SPGD\x01\xff\x7f")).contains("more than"));
    // IPv4 ranges running past 255.255.255.255 ("unsorted" cannot be written; wrapping can):
    // a gap of 2^32, a length of 3 * 2^32.
    assert!(reject([&[1, 0x80, 32, 1, 1, b'A', b'U'], ok, ok, ok]).contains("past the last"));
    assert!(reject([&[1, 32, 3, b'A', b'U'], ok, ok, ok]).contains("past the last"));
    // A second IPv6 entry after one that ends at the last address (gap 2^127, length 2^127).
    let after_end = [2, 0xff, 127, 1, 1, b'A', b'Q', 0, 1, b'A', b'Q'];
    assert!(reject([ok, ok, &after_end, ok]).contains("after the last"));
    // An empty range (mantissa 0), a lower-case country, an ASN beyond 32 bits.
    assert!(reject([&[1, 0, 0, b'A', b'U'], ok, ok, ok]).contains("empty"));
    assert!(reject([&[1, 0, 1, b'a', b'u'], ok, ok, ok]).contains("capital"));
    assert!(reject([ok, &[1, 0, 1, 0x80, 0x80, 0x80, 0x80, 0x10], ok, ok]).contains("2^32"));
    // A gap scale beyond 128, a gap and a length beyond 128 bits, a varint beyond 128 bits.
    assert!(reject([&[1, 0x80, 129, 1, 1, b'A', b'U'], ok, ok, ok]).contains("scale"));
    assert!(reject([ok, ok, &[1, 0x80, 127, 2, 1, b'A', b'A'], ok]).contains("128 bits"));
    assert!(reject([ok, ok, &[1, 127, 2, b'A', b'A'], ok]).contains("128 bits"));
    let mut wide = vec![1, 0];
    wide.extend([0xff; 19]);
    wide.push(1);
    assert!(reject([ok, ok, ok, &wide]).contains("128 bits"));
}

#[test]
fn random_corruption_never_panics() {
    let db = sample();
    let mut b = GeoDbBuilder::new("x");
    b.add_country(v4("1.0.0.0"), v4("1.0.0.255"), "AU").unwrap();
    b.add_country(v6("2001:200::"), v6("2001:200::ffff"), "JP").unwrap();
    b.add_asn(v4("1.0.0.0"), v4("1.0.0.255"), 13335).unwrap();
    let bytes = b.encode().unwrap();
    let mut rng = Rng(7);
    for _ in 0..20_000 {
        let mut m = bytes.clone();
        for _ in 0..1 + rng.below(3) {
            let i = rng.below(m.len() as u64) as usize;
            m[i] = rng.next() as u8;
        }
        if let Ok(parsed) = GeoDb::from_bytes(&m) {
            // Whatever loads answers lookups without panicking.
            for ip in [v4("1.0.0.1"), v4("0.0.0.0"), v6("2001:200::1"), v6("::ffff:1.0.0.9")] {
                let _ = parsed.lookup(ip);
            }
        }
    }
    assert_eq!(cc(&db, v4("1.0.0.1")), Some("AU".into()));
}

#[test]
fn builder_rejects_bad_ranges() {
    let mut b = GeoDbBuilder::new("x");
    assert!(b.add_country(v4("1.0.0.9"), v4("1.0.0.1"), "AU").is_err());
    assert!(b.add_country(v4("1.0.0.0"), v6("::1"), "AU").is_err());
    assert!(b.add_country(v4("1.0.0.0"), v4("1.0.0.1"), "AUS").is_err());
    assert!(b
        .add_csv(CsvKind::Country, false, "1,2,AU\n3,4294967296,DE\n")
        .unwrap_err()
        .to_string()
        .contains("line 2"));
    assert!(b.add_csv(CsvKind::Asn, false, "1,2,x,Org\n").is_err());
    b.add_csv(CsvKind::Asn, false, "16777216,16777471,13335,\"Cloudflare, Inc.\"\n").unwrap();
    b.add_asn(v6("::"), v6("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"), 1).unwrap();
    assert!(b.encode().unwrap_err().to_string().contains("all of IPv6"));
}
