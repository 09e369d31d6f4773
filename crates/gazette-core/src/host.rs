//! Host names as an operator lists them (`allowed_hosts`) and as browsers send them (the
//! `Host` header), parsed one way so that the two compare exactly.
//!
//! Only a host Gazette knows may shape the absolute links it writes into pages (see the web
//! layer's `origin` module); an [`Authority`] is what it compares.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

/// The longest DNS name (RFC 1035), without a trailing dot.
const MAX_NAME: usize = 253;
/// The longest label of a DNS name.
const MAX_LABEL: usize = 63;

/// A host (a DNS name, an IPv4 address or a bracketed IPv6 address) with an optional port, as
/// in a `Host` header: `journal.example`, `journal.example:8443`, `127.0.0.1:8080`, `[::1]:80`.
/// Names are lower-cased; no scheme, user name, path or wildcard.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Authority {
    /// The name, the IPv4 address, or the IPv6 address in brackets.
    host: String,
    port: Option<u16>,
}

/// Why a text is not an [`Authority`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{0:?} is not a host name with an optional port: write it as journal.example, \
     journal.example:8443, 192.0.2.10:8080 or [2001:db8::1]:8080, without a scheme, path or \
     user name"
)]
pub struct AuthorityError(String);

impl Authority {
    /// Reads `host` or `host:port`.
    pub fn parse(text: &str) -> Result<Self, AuthorityError> {
        let refuse = || AuthorityError(text.to_owned());
        let (host, port) = split_port(text).ok_or_else(refuse)?;
        let host = if let Some(inner) = host.strip_prefix('[') {
            let address: Ipv6Addr = inner
                .strip_suffix(']')
                .and_then(|a| a.parse().ok())
                .ok_or_else(refuse)?;
            format!("[{address}]")
        } else if let Ok(address) = host.parse::<Ipv4Addr>() {
            address.to_string()
        } else if is_dns_name(host) {
            host.to_ascii_lowercase()
        } else {
            return Err(refuse());
        };
        Ok(Self { host, port })
    }

    /// The address a socket listens on, as a browser writes it in `Host`.
    pub fn of_socket(address: SocketAddr) -> Self {
        let host = match address.ip() {
            IpAddr::V4(ip) => ip.to_string(),
            IpAddr::V6(ip) => format!("[{ip}]"),
        };
        Self {
            host,
            port: Some(address.port()),
        }
    }

    /// The same host with `port`, or without a port.
    pub fn with_port(&self, port: Option<u16>) -> Self {
        Self {
            host: self.host.clone(),
            port,
        }
    }

    /// The host part: a name, an IPv4 address or a bracketed IPv6 address.
    pub fn host(&self) -> &str {
        &self.host
    }

    pub fn port(&self) -> Option<u16> {
        self.port
    }
}

impl fmt::Display for Authority {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.port {
            Some(port) => write!(f, "{}:{port}", self.host),
            None => f.write_str(&self.host),
        }
    }
}

/// `host` and its port, if any; None for an empty host or a port that is no port number.
fn split_port(text: &str) -> Option<(&str, Option<u16>)> {
    // A bracketed IPv6 address holds colons of its own: the port comes after the bracket.
    let port_at = match text.rfind(']') {
        Some(bracket) => text[bracket..].find(':').map(|at| bracket + at),
        None => text.find(':'),
    };
    let (host, port) = match port_at {
        Some(at) => (&text[..at], Some(&text[at + 1..])),
        None => (text, None),
    };
    let port = match port {
        None => None,
        Some(digits) => Some(port_number(digits)?),
    };
    (!host.is_empty()).then_some((host, port))
}

/// 1 to 65535 written in digits only (no sign, no spaces).
fn port_number(digits: &str) -> Option<u16> {
    let valid =
        !digits.is_empty() && digits.len() <= 5 && digits.bytes().all(|b| b.is_ascii_digit());
    valid
        .then(|| digits.parse::<u16>().ok())
        .flatten()
        .filter(|port| *port != 0)
}

/// Letters, digits and inner hyphens, in dot-separated labels of at most 63 characters; the
/// last label is not all digits (that would be a malformed IPv4 address).
fn is_dns_name(name: &str) -> bool {
    let labels_ok = name.split('.').all(|label| {
        !label.is_empty()
            && label.len() <= MAX_LABEL
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !label.starts_with('-')
            && !label.ends_with('-')
    });
    let last_is_number = name
        .rsplit('.')
        .next()
        .is_some_and(|last| last.bytes().all(|b| b.is_ascii_digit()));
    name.len() <= MAX_NAME && labels_ok && !last_is_number
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> String {
        Authority::parse(text).map_or_else(|e| format!("error: {e}"), |a| a.to_string())
    }

    #[test]
    fn names_and_addresses_with_or_without_a_port() {
        assert_eq!(parsed("Journal.Example"), "journal.example");
        assert_eq!(parsed("journal.example:8443"), "journal.example:8443");
        assert_eq!(parsed("localhost"), "localhost");
        assert_eq!(parsed("127.0.0.1:8080"), "127.0.0.1:8080");
        assert_eq!(parsed("[::1]:8080"), "[::1]:8080");
        assert_eq!(parsed("[2001:DB8:0::1]"), "[2001:db8::1]");
        assert_eq!(parsed("xn--bcher-kva.example"), "xn--bcher-kva.example");
    }

    #[test]
    fn anything_else_is_refused() {
        for text in [
            "",
            ":80",
            "https://journal.example/",
            "journal.example/",
            "user@journal.example",
            "journal.example:0",
            "journal.example:65536",
            "journal.example:+80",
            "journal.example:",
            "*.journal.example",
            "-journal.example",
            "journal..example",
            "journal.example.",
            "journal example",
            "::1",
            "[::1",
            "[not-an-address]",
            "256.1.1.1",
            "1.2.3",
            "bücher.example",
            "evil.example/<script>",
        ] {
            assert!(Authority::parse(text).is_err(), "{text:?} was accepted");
        }
        let long = format!("{}.example", "a".repeat(64));
        assert!(Authority::parse(&long).is_err());
    }

    #[test]
    fn a_socket_is_written_as_a_browser_writes_it() {
        let v6: SocketAddr = "[::1]:8080".parse().unwrap();
        assert_eq!(
            Authority::of_socket(v6),
            Authority::parse("[::1]:8080").unwrap()
        );
        let v4: SocketAddr = "10.0.0.5:80".parse().unwrap();
        assert_eq!(Authority::of_socket(v4).to_string(), "10.0.0.5:80");
    }
}
