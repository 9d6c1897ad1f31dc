//! IPv4 and IPv6 addresses and CIDR ranges for `IpAddress` / `NotIpAddress`.
//!
//! A bare address in a policy is a single-address range (/32 or /128). Addresses of different
//! families never match each other.

use std::net::IpAddr;

/// A CIDR range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    addr: IpAddr,
    prefix: u8,
}

impl Cidr {
    /// Parses `203.0.113.0/24`, `2001:db8::/32` or a bare address.
    pub fn parse(s: &str) -> Option<Cidr> {
        let s = s.trim();
        let (a, p) = match s.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s, None),
        };
        let addr: IpAddr = a.parse().ok()?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match p {
            Some(p) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => p.parse().ok()?,
            Some(_) => return None,
            None => max,
        };
        if prefix > max {
            return None;
        }
        Some(Cidr { addr, prefix })
    }

    /// Whether `ip` lies in the range.
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, ip) {
            (IpAddr::V4(n), IpAddr::V4(a)) => {
                prefix_eq(u128::from(u32::from(n)), u128::from(u32::from(a)), 32, self.prefix)
            }
            (IpAddr::V6(n), IpAddr::V6(a)) => prefix_eq(u128::from(n), u128::from(a), 128, self.prefix),
            _ => false,
        }
    }
}

fn prefix_eq(n: u128, a: u128, bits: u32, prefix: u8) -> bool {
    let prefix = u32::from(prefix);
    if prefix == 0 {
        return true;
    }
    let shift = bits - prefix.min(bits);
    (n >> shift) == (a >> shift)
}

/// Parses a request address (a bare address; a `/n` suffix is tolerated and ignored).
pub fn parse_addr(s: &str) -> Option<IpAddr> {
    let s = s.trim();
    s.split_once('/').map_or(s, |(a, _)| a).parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        let c = Cidr::parse("203.0.113.0/24").unwrap();
        assert!(c.contains(parse_addr("203.0.113.7").unwrap()));
        assert!(!c.contains(parse_addr("203.0.114.7").unwrap()));
        let one = Cidr::parse("10.0.0.1").unwrap();
        assert!(one.contains(parse_addr("10.0.0.1").unwrap()));
        assert!(!one.contains(parse_addr("10.0.0.2").unwrap()));
        let v6 = Cidr::parse("2001:DB8:1234:5678::/64").unwrap();
        assert!(v6.contains(parse_addr("2001:db8:1234:5678::1").unwrap()));
        assert!(!v6.contains(parse_addr("10.0.0.1").unwrap()));
        assert!(Cidr::parse("0.0.0.0/0").unwrap().contains(parse_addr("8.8.8.8").unwrap()));
        assert!(Cidr::parse("10.0.0.0/33").is_none());
        assert!(Cidr::parse("10.0.0.0/").is_none());
    }
}
