//! The network address of a reader or member of staff, normalised once for every use: sign-in
//! throttling, comment rate limits, trusted proxies, application passwords and logs.
//!
//! A dual-stack listener (`[::]:8080`) sees IPv4 clients as IPv4-mapped IPv6 addresses
//! (`::ffff:192.0.2.1`). Taken as IPv6 they would all fall into one /64 and share every
//! limit, and IPv4 proxy networks would never match them; so they are turned back into IPv4
//! here, before anything counts or compares them.

use std::fmt;
use std::net::IpAddr;

/// A client's address, IPv4-mapped IPv6 addresses already turned into IPv4.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ClientAddress(IpAddr);

impl ClientAddress {
    /// Normalises an address as the socket or a forwarding header gave it.
    pub fn new(ip: IpAddr) -> Self {
        Self(ip.to_canonical())
    }

    /// The address itself.
    pub fn ip(self) -> IpAddr {
        self.0
    }

    /// What limits count this client under: its IPv4 address, or its IPv6 /64 (an IPv6
    /// client usually holds a whole /64, and each of its addresses would start afresh).
    pub fn limit_key(self) -> String {
        match self.0 {
            IpAddr::V4(v4) => v4.to_string(),
            IpAddr::V6(v6) => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        }
    }

    pub fn is_loopback(self) -> bool {
        self.0.is_loopback()
    }
}

impl From<IpAddr> for ClientAddress {
    fn from(ip: IpAddr) -> Self {
        Self::new(ip)
    }
}

impl fmt::Display for ClientAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn address(text: &str) -> ClientAddress {
        ClientAddress::new(text.parse().unwrap_or_else(|e| panic!("{text}: {e}")))
    }

    #[test]
    fn ipv4_mapped_addresses_are_ipv4() {
        assert_eq!(address("::ffff:192.0.2.1"), address("192.0.2.1"));
        assert_eq!(address("::ffff:192.0.2.1").to_string(), "192.0.2.1");
        assert!(address("::ffff:127.0.0.1").is_loopback());
    }

    #[test]
    fn each_ipv4_client_has_its_own_limit_and_ipv6_clients_share_their_64() {
        assert_eq!(address("::ffff:192.0.2.1").limit_key(), "192.0.2.1");
        assert_ne!(
            address("::ffff:192.0.2.1").limit_key(),
            address("::ffff:192.0.2.2").limit_key()
        );
        assert_eq!(
            address("2001:db8:1:2::5").limit_key(),
            address("2001:db8:1:2:ffff::9").limit_key()
        );
        assert_eq!(address("2001:db8:1:2::5").limit_key(), "2001:db8:1:2::/64");
    }
}
