//! Who is asking, and over what: the client's address and whether the request came over
//! HTTPS. Behind a load balancer both come from `Forwarded` / `X-Forwarded-*` headers, but
//! only when the connecting peer is one of the configured `trusted_proxies`; otherwise those
//! headers are anyone's to forge and are ignored.
//!
//! The client is worked out once per request (by the front door, `front_door.rs`) and every
//! part of the server reads that one value, normalised as a [`ClientAddress`].

use std::net::{IpAddr, Ipv6Addr, SocketAddr};

use axum::extract::Request;
use axum::http::HeaderMap;
use gazette_core::ClientAddress;
use ipnet::IpNet;

/// The client of one request, as far as we can trust it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Client {
    pub address: ClientAddress,
    /// The request reached us (or the trusted proxy) over HTTPS.
    pub https: bool,
}

impl Client {
    /// The client the front door worked out for this request.
    pub fn of(request: &Request) -> Self {
        Self::from_extensions(request.extensions())
    }

    /// The same, from a request's parts (for extractors).
    pub fn of_parts(parts: &axum::http::request::Parts) -> Self {
        Self::from_extensions(&parts.extensions)
    }

    /// Every routed request passed the front door, which put its client there. Were one not
    /// to (a router called on its own), it gets the unspecified address, neither loopback nor
    /// anything its headers claim.
    fn from_extensions(extensions: &axum::http::Extensions) -> Self {
        extensions.get::<Self>().copied().unwrap_or(Self {
            address: ClientAddress::new(IpAddr::V6(Ipv6Addr::UNSPECIFIED)),
            https: false,
        })
    }

    /// Works the client out from the connecting peer and, through trusted proxies, the
    /// headers.
    pub(crate) fn work_out(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> Self {
        // Normalised before any comparison: an IPv4 proxy reaching a dual-stack listener
        // shows up as `::ffff:a.b.c.d`.
        let peer = ClientAddress::new(peer);
        let is_trusted = |ip: &ClientAddress| trusted.iter().any(|net| net.contains(&ip.ip()));
        if !is_trusted(&peer) {
            return Self {
                address: peer,
                https: false,
            };
        }
        // X-Forwarded-For lists hops left to right; the client is the rightmost address
        // that is not one of our own proxies.
        // One header only: a proxy that appends to X-Forwarded-For may pass a client's own
        // `Forwarded` through untouched, so `Forwarded` counts only when there is no XFF.
        let xff: Vec<ClientAddress> = header_values(headers, "x-forwarded-for")
            .flat_map(|v| v.split(','))
            .filter_map(|part| part.trim().parse().ok().map(ClientAddress::new))
            .collect();
        let chain: Vec<ClientAddress> = if xff.is_empty() {
            forwarded_params(headers, "for")
                .filter_map(|v| parse_forwarded_for(&v).map(ClientAddress::new))
                .collect()
        } else {
            xff
        };
        let address = chain
            .iter()
            .rev()
            .find(|ip| !is_trusted(ip))
            .copied()
            .unwrap_or(peer);
        let proto = header_values(headers, "x-forwarded-proto")
            .next()
            .map(|v| v.trim().to_ascii_lowercase())
            .or_else(|| forwarded_params(headers, "proto").next());
        Self {
            address,
            https: proto.as_deref() == Some("https"),
        }
    }
}

fn header_values<'a>(headers: &'a HeaderMap, name: &str) -> impl Iterator<Item = &'a str> {
    headers.get_all(name).iter().filter_map(|v| v.to_str().ok())
}

/// Values of one parameter of RFC 7239 `Forwarded` headers (`for=…;proto=https, for=…`).
fn forwarded_params<'a>(
    headers: &'a HeaderMap,
    name: &'a str,
) -> impl Iterator<Item = String> + 'a {
    header_values(headers, "forwarded")
        .flat_map(|v| v.split([',', ';']))
        .filter_map(move |pair| {
            let (key, value) = pair.trim().split_once('=')?;
            key.trim()
                .eq_ignore_ascii_case(name)
                .then(|| value.trim().trim_matches('"').to_ascii_lowercase())
        })
}

/// `192.0.2.1`, `192.0.2.1:4711`, `[2001:db8::1]:4711`.
fn parse_forwarded_for(value: &str) -> Option<IpAddr> {
    if let Ok(ip) = value.parse() {
        return Some(ip);
    }
    if let Ok(socket) = value.parse::<SocketAddr>() {
        return Some(socket.ip());
    }
    value
        .trim_start_matches('[')
        .split(']')
        .next()?
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn address(text: &str) -> ClientAddress {
        ClientAddress::new(text.parse().unwrap())
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    #[test]
    fn forwarded_headers_count_only_from_trusted_proxies() {
        let proxy: IpAddr = "10.0.0.2".parse().unwrap();
        let trusted: Vec<IpNet> = vec!["10.0.0.0/8".parse().unwrap()];
        let forged = headers(&[
            ("x-forwarded-for", "203.0.113.9"),
            ("x-forwarded-proto", "https"),
        ]);
        let direct = Client::work_out("198.51.100.7".parse().unwrap(), &forged, &trusted);
        assert_eq!(direct.address, address("198.51.100.7"));
        assert!(!direct.https, "a client cannot claim HTTPS for itself");

        let via_proxy = Client::work_out(proxy, &forged, &trusted);
        assert_eq!(via_proxy.address, address("203.0.113.9"));
        assert!(via_proxy.https);
    }

    #[test]
    fn the_rightmost_untrusted_hop_is_the_client() {
        let trusted: Vec<IpNet> = vec!["10.0.0.0/8".parse().unwrap()];
        let chain = headers(&[("x-forwarded-for", "1.1.1.1, 203.0.113.9, 10.0.0.5")]);
        let client = Client::work_out("10.0.0.2".parse().unwrap(), &chain, &trusted);
        assert_eq!(
            client.address,
            address("203.0.113.9"),
            "1.1.1.1 could be forged"
        );
    }

    #[test]
    fn rfc_7239_forwarded_is_understood() {
        let trusted: Vec<IpNet> = vec!["10.0.0.0/8".parse().unwrap()];
        let forwarded = headers(&[("forwarded", "for=\"[2001:db8::1]:4711\";proto=https")]);
        let client = Client::work_out("10.0.0.2".parse().unwrap(), &forwarded, &trusted);
        assert_eq!(client.address, address("2001:db8::1"));
        assert!(client.https);
    }

    #[test]
    fn ipv4_mapped_peers_and_hops_match_ipv4_proxies() {
        let trusted: Vec<IpNet> = vec!["10.0.0.0/8".parse().unwrap()];
        let chain = headers(&[
            ("x-forwarded-for", "::ffff:203.0.113.9, ::ffff:10.0.0.5"),
            ("x-forwarded-proto", "https"),
        ]);
        let client = Client::work_out("::ffff:10.0.0.2".parse().unwrap(), &chain, &trusted);
        assert_eq!(client.address, address("203.0.113.9"));
        assert_eq!(client.address.to_string(), "203.0.113.9");
        assert!(client.https);
    }
}
