//! IP addresses and CIDR ranges, for the policy engine's `IpAddress` / `NotIpAddress` and the
//! WAF's IP sets and geo lookups.
//!
//! # IPv4-mapped IPv6 addresses
//!
//! AWS documents IAM's `IpAddress` operators and WAF IP sets in terms of IPv4 and IPv6 CIDR
//! ranges only; neither page says how an IPv4-mapped IPv6 address (`::ffff:192.0.2.1`) is read.
//! Here one rule holds in both engines: an address a request comes from is *canonical*, so a
//! mapped address is the IPv4 address it carries. `::ffff:192.0.2.1` lies in `192.0.2.0/24`, is
//! found in an `IPV4` IP set, and is looked up in the geo database's IPv4 tables. Ranges are read
//! as written: a range written in IPv6 notation is an IPv6 range (so `::ffff:0:0/96` matches no
//! request; write IPv4 ranges in IPv4 notation). Addresses of different families never match.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Why text is not a CIDR range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CidrError {
    /// The part before `/` is not an IPv4 or IPv6 address.
    Address,
    /// The part after `/` is not a decimal number.
    Prefix,
    /// The prefix length is longer than the address (32 for IPv4, 128 for IPv6).
    PrefixTooLong,
}

/// A CIDR range: a family, a prefix length and the network (its address with the host bits
/// cleared).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Cidr {
    network: u128,
    prefix: u8,
    is_v4: bool,
}

impl Cidr {
    /// Parses `203.0.113.0/24`, `2001:db8::/32` or a bare address (a single-address range, /32
    /// or /128). Host bits may be set (`10.0.0.1/8` is `10.0.0.0/8`). Surrounding whitespace is
    /// ignored.
    pub fn parse(s: &str) -> Result<Cidr, CidrError> {
        let s = s.trim();
        let (addr, prefix) = match s.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s, None),
        };
        let addr: IpAddr = addr.parse().map_err(|_| CidrError::Address)?;
        let is_v4 = addr.is_ipv4();
        let width = width(is_v4);
        let prefix = match prefix {
            None => width,
            Some(p) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => {
                p.parse::<u8>().ok().filter(|n| *n <= width).ok_or(CidrError::PrefixTooLong)?
            }
            Some(_) => return Err(CidrError::Prefix),
        };
        let bits = match addr {
            IpAddr::V4(a) => u128::from(u32::from(a)),
            IpAddr::V6(a) => u128::from(a),
        };
        Ok(Cidr { network: mask(bits, prefix, is_v4), prefix, is_v4 })
    }

    /// Whether `ip` (read canonically, see the module docs) lies in the range.
    pub fn contains(&self, ip: IpAddr) -> bool {
        let (bits, is_v4) = to_bits(ip);
        is_v4 == self.is_v4 && mask(bits, self.prefix, is_v4) == self.network
    }

    /// Whether the range is IPv4.
    pub fn is_v4(&self) -> bool {
        self.is_v4
    }

    /// The prefix length.
    pub fn prefix(&self) -> u8 {
        self.prefix
    }

    /// The network as a number (IPv4 in the low 32 bits), host bits clear.
    pub fn network_bits(&self) -> u128 {
        self.network
    }

    /// The network address.
    pub fn network(&self) -> IpAddr {
        from_bits(self.network, self.is_v4)
    }
}

impl std::fmt::Display for Cidr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.network(), self.prefix)
    }
}

/// An address as a number and whether it is IPv4, read canonically: an IPv4-mapped IPv6
/// address is its IPv4 address (IPv4 in the low 32 bits).
pub fn to_bits(ip: IpAddr) -> (u128, bool) {
    match ip.to_canonical() {
        IpAddr::V4(a) => (u128::from(u32::from(a)), true),
        IpAddr::V6(a) => (u128::from(a), false),
    }
}

/// The address a number stands for (the inverse of [`to_bits`] for canonical addresses).
pub fn from_bits(bits: u128, is_v4: bool) -> IpAddr {
    if is_v4 {
        IpAddr::V4(Ipv4Addr::from(u32::try_from(bits & u128::from(u32::MAX)).unwrap_or(0)))
    } else {
        IpAddr::V6(Ipv6Addr::from(bits))
    }
}

/// `bits` with all but the first `prefix` bits of the family's width cleared.
pub fn mask(bits: u128, prefix: u8, is_v4: bool) -> u128 {
    let width = u32::from(width(is_v4));
    let host = width.saturating_sub(u32::from(prefix));
    let family = if is_v4 { u128::from(u32::MAX) } else { u128::MAX };
    let keep = family.checked_shl(host).unwrap_or(0) & family;
    bits & keep
}

/// A request's address as text: a bare address, surrounding whitespace and a `/n` suffix
/// tolerated. The family is as written; [`Cidr::contains`] reads it canonically.
pub fn parse_addr(s: &str) -> Option<IpAddr> {
    let s = s.trim();
    s.split_once('/').map_or(s, |(a, _)| a).parse().ok()
}

fn width(is_v4: bool) -> u8 {
    if is_v4 {
        32
    } else {
        128
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn ranges() {
        let c = Cidr::parse("203.0.113.0/24").unwrap();
        assert!(c.contains(ip("203.0.113.7")));
        assert!(!c.contains(ip("203.0.114.7")));
        let one = Cidr::parse(" 10.0.0.1 ").unwrap();
        assert_eq!(one.prefix(), 32);
        assert!(one.contains(ip("10.0.0.1")));
        assert!(!one.contains(ip("10.0.0.2")));
        let v6 = Cidr::parse("2001:DB8:1234:5678::/64").unwrap();
        assert!(v6.contains(ip("2001:db8:1234:5678::1")));
        assert!(!v6.contains(ip("10.0.0.1")));
        assert!(Cidr::parse("0.0.0.0/0").unwrap().contains(ip("8.8.8.8")));
        assert!(Cidr::parse("::/0").unwrap().contains(ip("2001:db8::1")));
        assert_eq!(Cidr::parse("10.1.2.3/8").unwrap().to_string(), "10.0.0.0/8");
        assert_eq!(Cidr::parse("2001:db8::1/32").unwrap().to_string(), "2001:db8::/32");
    }

    #[test]
    fn malformed_ranges() {
        assert_eq!(Cidr::parse("10.0.0.0/33"), Err(CidrError::PrefixTooLong));
        assert_eq!(Cidr::parse("::/129"), Err(CidrError::PrefixTooLong));
        assert_eq!(Cidr::parse("10.0.0.0/300"), Err(CidrError::PrefixTooLong));
        assert_eq!(Cidr::parse("10.0.0.0/"), Err(CidrError::Prefix));
        assert_eq!(Cidr::parse("10.0.0.0/+8"), Err(CidrError::Prefix));
        assert_eq!(Cidr::parse("10.0.0.0/8/8"), Err(CidrError::Prefix));
        assert_eq!(Cidr::parse("10.0.0/8"), Err(CidrError::Address));
        assert_eq!(Cidr::parse("example.com"), Err(CidrError::Address));
    }

    /// A mapped request address is its IPv4 address; a range keeps the family it is written in.
    #[test]
    fn ipv4_mapped_addresses_are_ipv4() {
        let v4 = Cidr::parse("192.0.2.0/24").unwrap();
        assert!(v4.contains(ip("::ffff:192.0.2.1")));
        assert!(!v4.contains(ip("::ffff:198.51.100.1")));
        assert!(!v4.contains(ip("::192.0.2.1")), "IPv4-compatible addresses are IPv6");
        let mapped_range = Cidr::parse("::ffff:0:0/96").unwrap();
        assert!(!mapped_range.is_v4());
        assert!(!mapped_range.contains(ip("::ffff:192.0.2.1")));
        assert!(!mapped_range.contains(ip("192.0.2.1")));
        assert!(!Cidr::parse("::/0").unwrap().contains(ip("::ffff:192.0.2.1")));
        assert_eq!(to_bits(ip("::ffff:1.2.3.4")), (0x0102_0304, true));
        assert_eq!(to_bits(ip("1.2.3.4")), (0x0102_0304, true));
        assert_eq!(to_bits(ip("::1")), (1, false));
    }

    #[test]
    fn masks() {
        assert_eq!(mask(0xC000_02FF, 24, true), 0xC000_0200);
        assert_eq!(mask(0xC000_02FF, 0, true), 0);
        assert_eq!(mask(0xC000_02FF, 32, true), 0xC000_02FF);
        assert_eq!(mask(u128::MAX, 128, false), u128::MAX);
        assert_eq!(mask(u128::MAX, 1, false), 1 << 127);
        assert_eq!(from_bits(0xC000_0201, true), ip("192.0.2.1"));
    }

    #[test]
    fn request_addresses() {
        assert_eq!(parse_addr(" 10.0.0.1/32 "), Some(ip("10.0.0.1")));
        assert_eq!(parse_addr("::ffff:10.0.0.1"), Some(ip("::ffff:10.0.0.1")));
        assert_eq!(parse_addr("nope"), None);
    }
}
