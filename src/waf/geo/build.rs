//! Writing a geo database: ranges from the `@ip-location-db` CSVs (or anywhere) in, the version 1
//! file out. Overlapping ranges are flattened so the more specific one wins: the CSVs list a
//! block and then, inside it, smaller blocks of another country. `tools/geo-build.mjs` is the
//! same algorithm in JavaScript for `make pkg` (a test checks both write identical bytes).

use std::net::IpAddr;

use super::{bad, put_scaled, put_varint, Country, Value, MAGIC, MAX_ENTRIES, MAX_SOURCE, VERSION};
use crate::waf::error::WafError;

/// Which table a CSV feeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CsvKind {
    /// `first,last,CC` (geo-whois-asn-country `*-num.csv`).
    Country,
    /// `first,last,ASN,organisation` (asn `*-num.csv`).
    Asn,
}

type Range = (u128, u128, Value);

/// Collects ranges and writes the file.
#[derive(Debug, Clone, Default)]
pub struct GeoDbBuilder {
    source: String,
    /// IPv4 country, IPv4 ASN, IPv6 country, IPv6 ASN, in input order.
    tables: [Vec<Range>; 4],
}

impl GeoDbBuilder {
    /// A builder whose file will say it comes from `source` (cut to 1024 bytes).
    pub fn new(source: &str) -> Self {
        let mut end = source.len().min(MAX_SOURCE);
        while !source.is_char_boundary(end) {
            end -= 1;
        }
        Self { source: source.get(..end).unwrap_or_default().to_owned(), tables: Default::default() }
    }

    /// Adds `first..=last` → country `code`.
    pub fn add_country(&mut self, first: IpAddr, last: IpAddr, code: &str) -> Result<(), WafError> {
        let c =
            Country::parse(code).ok_or_else(|| bad(format!("`{code}` is not a two-letter country code")))?;
        self.add(first, last, Value::Country(c.bytes()))
    }

    /// Adds `first..=last` → `asn`.
    pub fn add_asn(&mut self, first: IpAddr, last: IpAddr, asn: u32) -> Result<(), WafError> {
        self.add(first, last, Value::Asn(asn))
    }

    fn add(&mut self, first: IpAddr, last: IpAddr, value: Value) -> Result<(), WafError> {
        let (a, b, v6) = match (first, last) {
            (IpAddr::V4(a), IpAddr::V4(b)) => (u128::from(u32::from(a)), u128::from(u32::from(b)), false),
            (IpAddr::V6(a), IpAddr::V6(b)) => (u128::from(a), u128::from(b), true),
            _ => return Err(bad(format!("`{first}` and `{last}` are not of the same family"))),
        };
        self.push(a, b, v6, value)
    }

    fn push(&mut self, a: u128, b: u128, v6: bool, value: Value) -> Result<(), WafError> {
        if a > b {
            return Err(bad(format!("range {a}..{b} ends before it starts")));
        }
        let slot = usize::from(v6) * 2 + usize::from(matches!(value, Value::Asn(_)));
        let table = self.tables.get_mut(slot).ok_or_else(|| bad("no such table".to_owned()))?;
        if table.len() >= MAX_ENTRIES {
            return Err(bad(format!("more than {MAX_ENTRIES} ranges in one table")));
        }
        table.push((a, b, value));
        Ok(())
    }

    /// Adds every row of an `@ip-location-db` `*-num.csv` file (addresses as decimal numbers),
    /// IPv6 when `v6`. Errors name the line.
    pub fn add_csv(&mut self, kind: CsvKind, v6: bool, text: &str) -> Result<(), WafError> {
        let max = if v6 { u128::MAX } else { u128::from(u32::MAX) };
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let at = |what: &str| bad(format!("CSV line {}: {what}", i + 1));
            let mut parts = line.splitn(4, ',');
            let mut num = || -> Result<u128, WafError> {
                parts
                    .next()
                    .and_then(|p| p.trim().parse::<u128>().ok())
                    .filter(|n| *n <= max)
                    .ok_or_else(|| at("expected `first,last,value` with decimal addresses of the family"))
            };
            let (a, b) = (num()?, num()?);
            let value = parts.next().map(str::trim).unwrap_or_default();
            let value = match kind {
                CsvKind::Country => {
                    Value::Country(Country::parse(value).ok_or_else(|| at("not a country code"))?.bytes())
                }
                CsvKind::Asn => Value::Asn(value.parse().map_err(|_| at("not an ASN"))?),
            };
            self.push(a, b, v6, value).map_err(|e| at(&e.to_string()))?;
        }
        Ok(())
    }

    /// The file.
    pub fn encode(&self) -> Result<Vec<u8>, WafError> {
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        out.push(VERSION);
        put_varint(&mut out, self.source.len() as u128);
        out.extend_from_slice(self.source.as_bytes());
        for table in &self.tables {
            let flat = flatten(table);
            put_varint(&mut out, flat.len() as u128);
            let mut next = Some(0u128);
            for (first, last, value) in flat {
                let base = next.ok_or_else(|| bad("a range follows the last address".to_owned()))?;
                let gap = first.checked_sub(base).ok_or_else(|| bad("ranges overlap".to_owned()))?;
                let len = last
                    .checked_sub(first)
                    .and_then(|d| d.checked_add(1))
                    .ok_or_else(|| bad("a range covering all of IPv6 cannot be stored".to_owned()))?;
                // len ≥ 1, so its trailing zeros (≤ 127) fit in the head's low 7 bits.
                let z = len.trailing_zeros();
                out.push(if gap > 0 { 0x80 } else { 0 } | z as u8);
                if gap > 0 {
                    put_scaled(&mut out, gap);
                }
                put_varint(&mut out, len >> z);
                match value {
                    Value::Country(c) => out.extend_from_slice(&c),
                    Value::Asn(n) => put_varint(&mut out, u128::from(n)),
                }
                next = last.checked_add(1);
            }
        }
        Ok(out)
    }
}

/// Sorted, disjoint ranges where a range overrides, over its extent, the ranges that started
/// before it (so nested blocks win over their parents); equal neighbours are merged.
pub(crate) fn flatten(input: &[Range]) -> Vec<Range> {
    let mut sorted = input.to_vec();
    // By first address, then the longer range first so the shorter one (pushed later) wins;
    // stable, so among identical ranges the later row wins.
    sorted.sort_by(|x, y| x.0.cmp(&y.0).then(y.1.cmp(&x.1)));
    let mut out: Vec<Range> = Vec::with_capacity(sorted.len());
    // Open ranges (last, value); `pos` is the first address not yet written (None: past the end).
    let mut stack: Vec<(u128, Value)> = Vec::new();
    let mut pos: Option<u128> = Some(0);
    let emit = |out: &mut Vec<Range>, from: Option<u128>, to: u128, value: Value| {
        let Some(from) = from.filter(|f| *f <= to) else { return };
        match out.last_mut() {
            Some(prev) if prev.2 == value && prev.1.checked_add(1) == Some(from) => prev.1 = to,
            _ => out.push((from, to, value)),
        }
    };
    for &(first, last, value) in &sorted {
        while let Some(&(top_last, top_value)) = stack.last().filter(|t| t.0 < first) {
            emit(&mut out, pos, top_last, top_value);
            pos = advance(pos, top_last);
            stack.pop();
        }
        if let (Some(&(_, top_value)), Some(before)) = (stack.last(), first.checked_sub(1)) {
            emit(&mut out, pos, before, top_value);
        }
        pos = Some(first);
        stack.push((last, value));
    }
    while let Some((top_last, top_value)) = stack.pop() {
        emit(&mut out, pos, top_last, top_value);
        pos = advance(pos, top_last);
    }
    out
}

/// The first address not yet written once `last` is written (`None`: past the end).
fn advance(pos: Option<u128>, last: u128) -> Option<u128> {
    match (pos, last.checked_add(1)) {
        (Some(p), Some(n)) => Some(p.max(n)),
        _ => None,
    }
}
