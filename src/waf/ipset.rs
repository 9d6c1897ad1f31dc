//! IP sets: parsing `get-ip-set` output and a longest-prefix lookup structure (one hash set
//! of masked addresses per prefix length present, probed from the longest length down), so a
//! lookup costs at most one probe per distinct prefix length, never a scan of the entries.
//! Forwarded-IP selection lives in `eval`. Addresses and ranges are the shared
//! [`crate::common::ip`] types: a request from an IPv4-mapped IPv6 address is looked up as the
//! IPv4 address it carries.

use std::collections::{BTreeMap, HashSet};
use std::net::IpAddr;

use serde_json::Value;

use crate::common::ip::{self, Cidr, CidrError};

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
        if !cidr.contains('/') {
            return Err(bad("use CIDR notation such as 192.0.2.0/24"));
        }
        let range = Cidr::parse(cidr).map_err(|e| match e {
            CidrError::Address => bad("not an IP address"),
            CidrError::Prefix => bad("the prefix length is not a number"),
            CidrError::PrefixTooLong => bad("the prefix length must be between 1 and the address width"),
        })?;
        if range.is_v4() == self.v6 {
            return Err(bad("the address version does not match IPAddressVersion"));
        }
        if range.prefix() == 0 {
            return Err(bad("the prefix length must be between 1 and the address width"));
        }
        self.by_len.entry(range.prefix()).or_default().insert(range.network_bits());
        Ok(())
    }

    /// The longest prefix containing `ip`, as `network/len`, if any.
    pub fn lookup(&self, addr: IpAddr) -> Option<String> {
        let (bits, is_v4) = ip::to_bits(addr);
        if is_v4 == self.v6 {
            return None;
        }
        self.by_len.iter().rev().find_map(|(len, nets)| {
            let network = ip::mask(bits, *len, is_v4);
            nets.contains(&network).then(|| format!("{}/{len}", ip::from_bits(network, is_v4)))
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
