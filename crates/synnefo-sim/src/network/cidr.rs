//! IPv4 and IPv6 subnet arithmetic for subnet creation: parsing a strict
//! CIDR, the default gateway and allocation pools, and pool checks.

use std::net::{Ipv4Addr, Ipv6Addr};

use crate::fault_body::Fault;

/// An IPv4 CIDR whose host bits are zero.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Cidr4 {
    /// The network address.
    pub(crate) address: Ipv4Addr,
    /// The prefix length (0–32).
    pub(crate) prefix: u8,
}

impl Cidr4 {
    /// Parses `a.b.c.d/n` strictly; `None` when malformed or with host bits.
    pub(crate) fn parse(text: &str) -> Option<Self> {
        let (address, prefix) = text.trim().split_once('/')?;
        let address: Ipv4Addr = address.parse().ok()?;
        let prefix: u8 = prefix.parse().ok().filter(|p| *p <= 32)?;
        let cidr = Self { address, prefix };
        (u32::from(address) & !cidr.mask() == 0).then_some(cidr)
    }

    fn mask(self) -> u32 {
        u32::MAX
            .checked_shl(32 - u32::from(self.prefix))
            .unwrap_or(0)
    }

    fn first(self) -> u32 {
        u32::from(self.address)
    }

    fn last(self) -> u32 {
        self.first() | !self.mask()
    }

    /// Whether `address` is a host address (neither network nor broadcast).
    pub(crate) fn is_host(self, address: Ipv4Addr) -> bool {
        let a = u32::from(address);
        a > self.first() && a < self.last()
    }

    /// Whether `address` lies in the range, network and broadcast included.
    pub(crate) fn contains(self, address: Ipv4Addr) -> bool {
        (self.first()..=self.last()).contains(&u32::from(address))
    }

    /// The first host address: the default gateway.
    pub(crate) fn first_host(self) -> Ipv4Addr {
        Ipv4Addr::from(self.first().saturating_add(1))
    }

    /// The default pools: every host address but the gateway.
    pub(crate) fn default_pools(self, gateway: Option<Ipv4Addr>) -> Vec<(Ipv4Addr, Ipv4Addr)> {
        let (low, high) = (self.first() + 1, self.last().saturating_sub(1));
        if low > high {
            return Vec::new();
        }
        let Some(gateway) = gateway.map(u32::from).filter(|g| (low..=high).contains(g)) else {
            return vec![(Ipv4Addr::from(low), Ipv4Addr::from(high))];
        };
        let mut pools = Vec::new();
        if gateway > low {
            pools.push((Ipv4Addr::from(low), Ipv4Addr::from(gateway - 1)));
        }
        if gateway < high {
            pools.push((Ipv4Addr::from(gateway + 1), Ipv4Addr::from(high)));
        }
        pools
    }

    /// Checks requested pools (409 `conflict` like the server): each
    /// inside the host range, start ≤ end, not holding the gateway, no
    /// two overlapping.
    pub(crate) fn check_pools(
        self,
        pools: &[(Ipv4Addr, Ipv4Addr)],
        gateway: Option<Ipv4Addr>,
    ) -> Result<(), Fault> {
        for (i, (start, end)) in pools.iter().enumerate() {
            let (s, e) = (u32::from(*start), u32::from(*end));
            if s > e {
                return Err(Fault::new(
                    409,
                    format!("Invalid allocation pool: {start} is after {end}"),
                ));
            }
            if !self.is_host(*start) || !self.is_host(*end) {
                return Err(Fault::new(
                    409,
                    format!("Allocation pool {start}-{end} is not inside the subnet"),
                ));
            }
            if let Some(g) = gateway.map(u32::from).filter(|g| (s..=e).contains(g)) {
                return Err(Fault::new(
                    409,
                    format!(
                        "Allocation pool {start}-{end} contains the gateway {}",
                        Ipv4Addr::from(g)
                    ),
                ));
            }
            let overlaps = pools[..i]
                .iter()
                .any(|(a, b)| s <= u32::from(*b) && u32::from(*a) <= e);
            if overlaps {
                return Err(Fault::new(409, "Allocation pools overlap"));
            }
        }
        Ok(())
    }
}

/// Parses an IPv6 `/64` CIDR strictly and returns its first host address
/// (the default gateway); `Err` with the reason otherwise.
pub(crate) fn parse_ipv6(text: &str) -> Result<Ipv6Addr, Fault> {
    let malformed = || Fault::bad_request(format!("Malformed CIDR '{text}'"));
    let (address, prefix) = text.trim().split_once('/').ok_or_else(malformed)?;
    let address: Ipv6Addr = address.parse().map_err(|_| malformed())?;
    let prefix: u8 = prefix.parse().map_err(|_| malformed())?;
    if prefix != 64 {
        return Err(Fault::bad_request(
            "Unsupported IPv6 subnet size. Network netmask must be /64",
        ));
    }
    let bits = u128::from(address);
    if bits & u128::from(u64::MAX) != 0 {
        return Err(malformed());
    }
    Ok(Ipv6Addr::from(bits + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> Ipv4Addr {
        text.parse().unwrap_or(Ipv4Addr::UNSPECIFIED)
    }

    #[test]
    fn strict_parsing_and_ranges() {
        let cidr = Cidr4::parse("10.0.0.0/24");
        assert_eq!(
            cidr,
            Some(Cidr4 {
                address: ip("10.0.0.0"),
                prefix: 24
            })
        );
        assert_eq!(Cidr4::parse("10.0.0.1/24"), None);
        assert_eq!(Cidr4::parse("10.0.0.0/33"), None);
        assert_eq!(Cidr4::parse("10.0.0.0"), None);
        let Some(cidr) = cidr else { return };
        assert_eq!(cidr.first_host(), ip("10.0.0.1"));
        assert!(cidr.is_host(ip("10.0.0.254")) && !cidr.is_host(ip("10.0.0.255")));
        assert_eq!(
            cidr.default_pools(Some(ip("10.0.0.1"))),
            vec![(ip("10.0.0.2"), ip("10.0.0.254"))]
        );
        assert_eq!(
            cidr.default_pools(Some(ip("10.0.0.9"))),
            vec![
                (ip("10.0.0.1"), ip("10.0.0.8")),
                (ip("10.0.0.10"), ip("10.0.0.254"))
            ]
        );
        assert_eq!(
            cidr.default_pools(None),
            vec![(ip("10.0.0.1"), ip("10.0.0.254"))]
        );
    }

    #[test]
    fn pool_checks() {
        let Some(cidr) = Cidr4::parse("10.0.0.0/24") else {
            return;
        };
        let gw = Some(ip("10.0.0.1"));
        assert!(
            cidr.check_pools(&[(ip("10.0.0.2"), ip("10.0.0.9"))], gw)
                .is_ok()
        );
        for pools in [
            vec![(ip("10.0.0.9"), ip("10.0.0.2"))],
            vec![(ip("10.0.0.1"), ip("10.0.0.9"))],
            vec![(ip("10.0.0.2"), ip("10.0.1.9"))],
            vec![
                (ip("10.0.0.2"), ip("10.0.0.9")),
                (ip("10.0.0.5"), ip("10.0.0.20")),
            ],
        ] {
            assert_eq!(cidr.check_pools(&pools, gw).map_err(|f| f.code), Err(409));
        }
    }

    #[test]
    fn ipv6_is_slash_64_only() {
        assert_eq!(
            parse_ipv6("2001:db8::/64").ok(),
            "2001:db8::1".parse::<Ipv6Addr>().ok()
        );
        assert_eq!(parse_ipv6("2001:db8::/48").map_err(|f| f.code), Err(400));
        assert_eq!(parse_ipv6("2001:db8::1/64").map_err(|f| f.code), Err(400));
        assert!(parse_ipv6("nonsense").is_err());
    }
}
