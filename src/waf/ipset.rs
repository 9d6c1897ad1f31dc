//! IP sets: parsing `get-ip-set` output and a longest-prefix lookup structure (one hash set
//! of masked addresses per prefix length present, probed from the longest length down), so a
//! lookup costs at most one probe per distinct prefix length, never a scan of the entries.
//! Forwarded-IP selection lives in `eval`.

use std::collections::{BTreeMap, HashSet};
use std::net::IpAddr;

use serde_json::Value;

use super::error::{WafError, ILLEGAL_COMBINATION};
use super::reader::{as_str, check_entity_name, check_items, child, Obj};

/// AWS's limit on addresses per IP set.
pub const MAX_ADDRESSES: usize = 10_000;

/// A parsed IP set.
#[derive(Debug, Clone)]
pub struct IpSet {
    /// `Name`.
    pub name: String,
    /// `ARN`.
    pub arn: String,
    /// `IPAddressVersion` is IPV6.
    pub v6: bool,
    /// Prefix length → masked network addresses (as u128; IPv4 in the low 32 bits).
    by_len: BTreeMap<u8, HashSet<u128>>,
}

fn to_bits(ip: IpAddr) -> (u128, bool) {
    match ip {
        IpAddr::V4(a) => (u128::from(u32::from(a)), false),
        IpAddr::V6(a) => match a.to_ipv4_mapped() {
            Some(v4) => (u128::from(u32::from(v4)), false),
            None => (u128::from(a), true),
        },
    }
}

fn mask(bits: u128, len: u8, width: u8) -> u128 {
    if len == 0 {
        return 0;
    }
    let keep = u128::MAX << (128 - u32::from(len));
    let shifted = bits << (128 - u32::from(width));
    (shifted & keep) >> (128 - u32::from(width))
}

impl IpSet {
    /// Parses an `IPSet` object or the whole `get-ip-set` output.
    pub fn parse(value: &Value, pointer: &str) -> Result<Self, WafError> {
        let (value, pointer) = match value.get("IPSet") {
            Some(inner) => (inner, child(pointer, "IPSet")),
            None => (value, pointer.to_owned()),
        };
        if value.get("IPSet").is_none() && value.get("LockToken").is_some() {
            return Err(WafError::MissingField { pointer, name: "IPSet".to_owned() });
        }
        let o = Obj::new(
            value,
            &pointer,
            &["Name", "Id", "ARN", "Description", "IPAddressVersion", "Addresses", "LockToken"],
        )?;
        let name = o.req_str("Name")?;
        check_entity_name(name, &o.at("Name"))?;
        let arn = o.req_str("ARN")?.to_owned();
        let v6 = o.req_enum("IPAddressVersion", &["IPV4", "IPV6"])? == "IPV6";
        let addresses = o.req_array("Addresses")?;
        check_items(addresses.len(), &o.at("Addresses"), 0, MAX_ADDRESSES)?;
        let mut set = Self { name: name.to_owned(), arn, v6, by_len: BTreeMap::new() };
        for (v, p) in addresses {
            let text = as_str(v, &p)?;
            set.insert(text, &p)?;
        }
        Ok(set)
    }

    fn insert(&mut self, cidr: &str, pointer: &str) -> Result<(), WafError> {
        let bad = |why: &str| {
            WafError::invalid(pointer, ILLEGAL_COMBINATION, "IP_ADDRESS", format!("{cidr} ({why})"))
        };
        let (addr, len) =
            cidr.trim().split_once('/').ok_or_else(|| bad("use CIDR notation such as 192.0.2.0/24"))?;
        let ip: IpAddr = addr.parse().map_err(|_| bad("not an IP address"))?;
        let len: u8 = len.parse().map_err(|_| bad("the prefix length is not a number"))?;
        let (bits, is_v6, width) = match ip {
            IpAddr::V4(a) => (u128::from(u32::from(a)), false, 32u8),
            IpAddr::V6(a) => (u128::from(a), true, 128u8),
        };
        if is_v6 != self.v6 {
            return Err(bad("the address version does not match IPAddressVersion"));
        }
        if len == 0 || len > width {
            return Err(bad("the prefix length must be between 1 and the address width"));
        }
        self.by_len.entry(len).or_default().insert(mask(bits, len, width));
        Ok(())
    }

    /// The longest prefix containing `ip`, as `network/len`, if any.
    pub fn lookup(&self, ip: IpAddr) -> Option<String> {
        let (bits, is_v6) = to_bits(ip);
        if is_v6 != self.v6 {
            return None;
        }
        let width = if is_v6 { 128 } else { 32 };
        self.by_len.iter().rev().find_map(|(len, nets)| {
            let m = mask(bits, *len, width);
            nets.contains(&m).then(|| {
                let net = if is_v6 {
                    IpAddr::from(std::net::Ipv6Addr::from(m))
                } else {
                    IpAddr::from(std::net::Ipv4Addr::from(u32::try_from(m).unwrap_or(0)))
                };
                format!("{net}/{len}")
            })
        })
    }

    /// Number of distinct networks.
    pub fn len(&self) -> usize {
        self.by_len.values().map(HashSet::len).sum()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
