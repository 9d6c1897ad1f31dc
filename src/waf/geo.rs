//! The offline IP → country and IP → ASN database behind GeoMatch and AsnMatch when a request
//! does not say where it comes from. It reads a compact file built from redistributable npm
//! packages (`@ip-location-db/geo-whois-asn-country` for countries, `@ip-location-db/asn` for
//! ASNs; see `GeoDbBuilder` and `tools/geo-build.mjs`) and answers by binary search. It is not a
//! parser of the CSVs at run time, and it knows nothing of rules.
//!
//! # File format, version 1
//!
//! All integers are unsigned. `varint` is LEB128 (7 bits a byte, low first, at most 19 bytes for
//! a `u128`). `scaled` is a number written as one byte `z` then, if `z < 128`, `varint(m)` with the
//! value `m << z` (`m ≥ 1`; the writer picks `z` = trailing zeros); `z = 128` alone means 0.
//!
//! ```text
//! "SPGD"  u8 version = 1   varint n + n bytes of UTF-8: where the data comes from (n ≤ 1024)
//! four tables, in this order: IPv4 country, IPv4 ASN, IPv6 country, IPv6 ASN; each is
//!   varint count (≤ 4,000,000), then count entries:
//!     u8 head        bit 7: a gap follows; bits 0–6: z, the length's scale (see below)
//!     scaled gap     only if bit 7 is set, else the gap is 0
//!     varint m       the length is m << z (m ≥ 1, so a /24 or a /32 costs two bytes with its head)
//!     value          country: 2 bytes `A`–`Z` (ISO 3166-1 alpha-2); ASN: varint ≤ 2^32 − 1
//!   where first = next + gap (next = 0 for the first entry, else the previous last + 1) and
//!   last = first + length − 1, never past the family's last address
//! nothing after the fourth table
//! ```
//!
//! Ranges are therefore sorted and disjoint by construction (a writer cannot express an unsorted
//! table; a gap or length that runs past the address space is rejected). Addresses between ranges
//! are unknown. Addresses are numbers: IPv4 as `u32`, IPv6 as `u128`; an IPv4-mapped IPv6 address
//! (`::ffff:a.b.c.d`) is looked up in the IPv4 tables, as everywhere (see [`crate::common::ip`]).
//!
//! Loading validates every entry once and keeps the bytes as they are, plus an index of every
//! 16th entry (its `next` and byte offset): a lookup is a binary search over that index, then
//! decoding at most 16 entries. Memory is the file size plus about a fifth of it.

use std::net::IpAddr;

use super::error::WafError;
use crate::common::ip::to_bits;

mod build;

pub use build::{CsvKind, GeoDbBuilder};

/// The first four bytes of a geo database.
pub const MAGIC: &[u8; 4] = b"SPGD";
/// The format version this module reads and writes.
pub const VERSION: u8 = 1;
/// Largest file accepted (the real one is a few MiB).
pub const MAX_BYTES: usize = 64 << 20;
/// Most entries in one table.
pub const MAX_ENTRIES: usize = 4_000_000;
/// Longest source description.
pub const MAX_SOURCE: usize = 1024;
/// Entries between two index points.
const BLOCK: usize = 16;
/// The smallest encoded entry: head, length mantissa, ASN below 128 (a byte each).
const MIN_ENTRY: usize = 3;

/// What a table maps addresses to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Country,
    Asn,
}

/// One table's value for a range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Value {
    Country([u8; 2]),
    Asn(u32),
}

/// An ISO 3166-1 alpha-2 country code (two ASCII capitals).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Country([u8; 2]);

impl Country {
    /// Parses two ASCII letters (either case).
    pub fn parse(code: &str) -> Option<Self> {
        match code.as_bytes() {
            [a, b] if a.is_ascii_alphabetic() && b.is_ascii_alphabetic() => {
                Some(Self([a.to_ascii_uppercase(), b.to_ascii_uppercase()]))
            }
            _ => None,
        }
    }

    /// The code, e.g. `DE`.
    pub fn as_str(&self) -> &str {
        // Both bytes are ASCII capitals (checked when built or decoded).
        std::str::from_utf8(&self.0).unwrap_or("")
    }

    pub(crate) fn bytes(self) -> [u8; 2] {
        self.0
    }
}

/// What the database knows of one address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GeoInfo {
    /// Country, when a range covers the address.
    pub country: Option<Country>,
    /// Autonomous system number, when a range covers the address.
    pub asn: Option<u32>,
}

/// Entry counts of the four tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GeoStats {
    /// IPv4 country ranges.
    pub ipv4_country: usize,
    /// IPv4 ASN ranges.
    pub ipv4_asn: usize,
    /// IPv6 country ranges.
    pub ipv6_country: usize,
    /// IPv6 ASN ranges.
    pub ipv6_asn: usize,
    /// Size of the file in bytes.
    pub bytes: usize,
}

#[derive(Debug, Clone)]
struct Table {
    kind: Kind,
    /// The family's last address (`u32::MAX` or `u128::MAX`).
    max: u128,
    count: usize,
    /// One past the table's last byte.
    end: usize,
    /// For every `BLOCK`-th entry: where the entry before it ended, plus one (the base its gap is
    /// added to; 0 for the first). An address below it belongs to an earlier block; one at or
    /// above it but before the entry's first address is in a gap.
    keys: Vec<u128>,
    /// Byte offsets of those entries (parallel to `keys`; apart, so the search reads only keys).
    offsets: Vec<u32>,
}

/// A loaded, validated geo database.
#[derive(Debug, Clone)]
pub struct GeoDb {
    bytes: Vec<u8>,
    source: String,
    tables: [Table; 4],
}

impl GeoDb {
    /// Checks and loads a database file. Hostile bytes get an error, never a panic, and no
    /// allocation larger than the input implies.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, WafError> {
        let (source, tables) = Self::check(bytes)?;
        Ok(Self { bytes: bytes.to_vec(), source, tables })
    }

    /// As `from_bytes`, keeping `bytes` rather than a copy (a 6 MB file is not held twice).
    pub fn from_vec(bytes: Vec<u8>) -> Result<Self, WafError> {
        let (source, tables) = Self::check(&bytes)?;
        Ok(Self { bytes, source, tables })
    }

    fn check(bytes: &[u8]) -> Result<(String, [Table; 4]), WafError> {
        if bytes.len() > MAX_BYTES {
            return Err(bad(format!("{} bytes is more than the {MAX_BYTES} accepted", bytes.len())));
        }
        let mut c = Cursor { bytes, pos: 0 };
        let magic = c.take(4).map_err(|_| bad("the file is too short to be one".to_owned()))?;
        if magic != MAGIC {
            return Err(bad(
                "it does not start with `SPGD`; build it with `make pkg` (tools/geo-build.mjs)".to_owned()
            ));
        }
        let version = c.byte().map_err(bad)?;
        if version != VERSION {
            return Err(bad(format!(
                "version {version} is not supported (this build reads version {VERSION})"
            )));
        }
        let n = c.len(MAX_SOURCE, 1).map_err(bad)?;
        let source = std::str::from_utf8(c.take(n).map_err(bad)?)
            .map_err(|_| bad("the source description is not UTF-8".to_owned()))?
            .to_owned();
        let v4 = u128::from(u32::MAX);
        let tables = [
            Table::read(&mut c, Kind::Country, v4, "IPv4 country")?,
            Table::read(&mut c, Kind::Asn, v4, "IPv4 ASN")?,
            Table::read(&mut c, Kind::Country, u128::MAX, "IPv6 country")?,
            Table::read(&mut c, Kind::Asn, u128::MAX, "IPv6 ASN")?,
        ];
        if c.pos != bytes.len() {
            return Err(bad(format!("{} unexpected bytes after the last table", bytes.len() - c.pos)));
        }
        Ok((source, tables))
    }

    /// Where the data comes from (package names and versions), as written by the builder.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Entry counts and size.
    pub fn stats(&self) -> GeoStats {
        let [a, b, c, d] = &self.tables;
        GeoStats {
            ipv4_country: a.count,
            ipv4_asn: b.count,
            ipv6_country: c.count,
            ipv6_asn: d.count,
            bytes: self.bytes.len(),
        }
    }

    /// Country and ASN of `ip`; `None` when the database knows neither.
    pub fn lookup(&self, ip: IpAddr) -> Option<GeoInfo> {
        let info = GeoInfo { country: self.country(ip), asn: self.asn(ip) };
        (info.country.is_some() || info.asn.is_some()).then_some(info)
    }

    /// Country of `ip`, when known.
    pub fn country(&self, ip: IpAddr) -> Option<Country> {
        let (key, v4) = to_bits(ip);
        let [a, _, c, _] = &self.tables;
        match (if v4 { a } else { c }).find(&self.bytes, key)? {
            Value::Country(code) => Some(Country(code)),
            Value::Asn(_) => None,
        }
    }

    /// ASN of `ip`, when known.
    pub fn asn(&self, ip: IpAddr) -> Option<u32> {
        let (key, v4) = to_bits(ip);
        let [_, b, _, d] = &self.tables;
        match (if v4 { b } else { d }).find(&self.bytes, key)? {
            Value::Asn(n) => Some(n),
            Value::Country(_) => None,
        }
    }
}

fn bad(reason: String) -> WafError {
    WafError::GeoDatabase { reason }
}

impl Table {
    fn read(c: &mut Cursor<'_>, kind: Kind, max: u128, name: &str) -> Result<Self, WafError> {
        let at = |e: String| bad(format!("{name} table: {e}"));
        let count = c.len(MAX_ENTRIES, MIN_ENTRY).map_err(at)?;
        let mut keys = Vec::with_capacity(count.div_ceil(BLOCK));
        let mut offsets = Vec::with_capacity(count.div_ceil(BLOCK));
        let mut next = Some(0u128);
        for i in 0..count {
            let offset = u32::try_from(c.pos).map_err(|_| at("the table is too large".to_owned()))?;
            let Some(base) = next else {
                return Err(at(format!("entry {i} comes after the last address")));
            };
            let e = decode(c, base, kind, max).map_err(|e| at(format!("entry {i}: {e}")))?;
            if i % BLOCK == 0 {
                keys.push(base);
                offsets.push(offset);
            }
            next = e.last.checked_add(1);
        }
        Ok(Self { kind, max, count, end: c.pos, keys, offsets })
    }

    /// The value of the range holding `x`, if one does.
    fn find(&self, bytes: &[u8], x: u128) -> Option<Value> {
        let i = self.keys.partition_point(|k| *k <= x).checked_sub(1)?;
        let offset = usize::try_from(*self.offsets.get(i)?).ok()?;
        let mut c = Cursor { bytes: bytes.get(..self.end)?, pos: offset };
        let mut next = self.keys.get(i).copied();
        let n = self.count.saturating_sub(i.saturating_mul(BLOCK)).min(BLOCK);
        for _ in 0..n {
            let e = decode(&mut c, next?, self.kind, self.max).ok()?;
            if x < e.first {
                return None;
            }
            if x <= e.last {
                return Some(e.value);
            }
            next = e.last.checked_add(1);
        }
        None
    }
}

struct Entry {
    first: u128,
    last: u128,
    value: Value,
}

fn decode(c: &mut Cursor<'_>, next: u128, kind: Kind, max: u128) -> Result<Entry, String> {
    let head = c.byte()?;
    let gap = if head & 0x80 == 0 { 0 } else { c.scaled()? };
    let z = u32::from(head & 0x7f);
    let m = c.varint()?;
    if m == 0 {
        return Err("a range is empty".to_owned());
    }
    if m.leading_zeros() < z {
        return Err("a length is larger than 128 bits".to_owned());
    }
    let len = m << z;
    let first = next.checked_add(gap).filter(|f| *f <= max).ok_or("the gap runs past the last address")?;
    // m ≥ 1, so len ≥ 1.
    let last = len
        .saturating_sub(1)
        .checked_add(first)
        .filter(|l| *l <= max)
        .ok_or("the range runs past the last address")?;
    let value = match kind {
        Kind::Country => {
            let [a, b] = [c.byte()?, c.byte()?];
            if !(a.is_ascii_uppercase() && b.is_ascii_uppercase()) {
                return Err("a country code is not two capital letters".to_owned());
            }
            Value::Country([a, b])
        }
        Kind::Asn => Value::Asn(u32::try_from(c.varint()?).map_err(|_| "an ASN is larger than 2^32 - 1")?),
    };
    Ok(Entry { first, last, value })
}

struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn byte(&mut self) -> Result<u8, String> {
        let b = *self.bytes.get(self.pos).ok_or_else(|| "the file ends too early".to_owned())?;
        self.pos += 1;
        Ok(b)
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let end = self.pos.checked_add(n).ok_or("a length is too large")?;
        let s = self.bytes.get(self.pos..end).ok_or_else(|| "the file ends too early".to_owned())?;
        self.pos = end;
        Ok(s)
    }

    fn varint(&mut self) -> Result<u128, String> {
        let mut v = 0u128;
        let mut shift = 0u32;
        loop {
            let b = self.byte()?;
            let part = u128::from(b & 0x7f);
            if shift >= 128 || (part << shift) >> shift != part {
                return Err("a number is larger than 128 bits".to_owned());
            }
            v |= part << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
            shift += 7;
        }
    }

    fn scaled(&mut self) -> Result<u128, String> {
        let z = u32::from(self.byte()?);
        if z == 128 {
            return Ok(0);
        }
        if z > 128 {
            return Err(format!("scale {z} is more than 128"));
        }
        let m = self.varint()?;
        if m == 0 || m.leading_zeros() < z {
            return Err("a scaled number is zero or larger than 128 bits".to_owned());
        }
        Ok(m << z)
    }

    /// A count, at most `max`, of items of at least `min_size` bytes that must fit in the rest.
    fn len(&mut self, max: usize, min_size: usize) -> Result<usize, String> {
        let n = self.varint()?;
        let rest = self.bytes.len().saturating_sub(self.pos);
        match usize::try_from(n) {
            Ok(n) if n <= max && n.saturating_mul(min_size) <= rest => Ok(n),
            Ok(n) if n <= max => Err(format!("a count of {n} does not fit in the {rest} bytes left")),
            _ => Err(format!("a count of {n} is more than the {max} allowed")),
        }
    }
}

/// Writes `v` as LEB128.
pub(crate) fn put_varint(out: &mut Vec<u8>, mut v: u128) {
    while v >= 0x80 {
        out.push((v & 0x7f) as u8 | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Writes `v` in the `scaled` form.
pub(crate) fn put_scaled(out: &mut Vec<u8>, v: u128) {
    if v == 0 {
        out.push(128);
    } else {
        let z = v.trailing_zeros();
        out.push(z as u8);
        put_varint(out, v >> z);
    }
}

#[cfg(test)]
mod tests;
