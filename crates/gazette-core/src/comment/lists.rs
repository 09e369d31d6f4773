//! The moderation and block lists matched against a comment: words and URL fragments in its
//! text, addresses and networks against the commenter's IP address; and the links a comment
//! holds, which the policy limits.

/// The first list entry found in any of `haystacks` (case-insensitive). An entry that parses
/// as an IP network (`203.0.113.0/24`) or address matches the commenter's address instead.
pub fn list_match(
    list: &[String],
    haystacks: &[&str],
    address: Option<std::net::IpAddr>,
) -> Option<String> {
    let lowered: Vec<String> = haystacks.iter().map(|h| h.to_lowercase()).collect();
    list.iter()
        .map(|entry| entry.trim())
        .filter(|entry| !entry.is_empty())
        .find(|entry| match ip_entry(entry) {
            Some(network) => address.is_some_and(|a| network.contains(a)),
            None => {
                let needle = entry.to_lowercase();
                lowered.iter().any(|h| h.contains(&needle))
            }
        })
        .map(str::to_owned)
}

/// An address or CIDR range: `(first address, prefix length)`.
struct IpEntry {
    network: std::net::IpAddr,
    prefix: u32,
}

impl IpEntry {
    fn contains(&self, address: std::net::IpAddr) -> bool {
        use std::net::IpAddr;
        match (self.network, address) {
            (IpAddr::V4(n), IpAddr::V4(a)) => {
                masked(u128::from(u32::from(n)), 32, self.prefix)
                    == masked(u128::from(u32::from(a)), 32, self.prefix)
            }
            (IpAddr::V6(n), IpAddr::V6(a)) => {
                masked(u128::from(n), 128, self.prefix) == masked(u128::from(a), 128, self.prefix)
            }
            _ => false,
        }
    }
}

fn masked(bits: u128, width: u32, prefix: u32) -> u128 {
    let keep = prefix.min(width);
    if keep == 0 { 0 } else { bits >> (width - keep) }
}

fn ip_entry(entry: &str) -> Option<IpEntry> {
    let (address, prefix) = match entry.split_once('/') {
        Some((address, prefix)) => (address, Some(prefix.parse::<u32>().ok()?)),
        None => (entry, None),
    };
    let network: std::net::IpAddr = address.parse().ok()?;
    let width = if network.is_ipv4() { 32 } else { 128 };
    let prefix = prefix.unwrap_or(width);
    (prefix <= width).then_some(IpEntry { network, prefix })
}

/// How many links a comment's text holds: `http(s)://` URLs and `<a` tags.
pub fn count_links(text: &str) -> usize {
    let lower = text.to_lowercase();
    lower.matches("http://").count()
        + lower.matches("https://").count()
        + lower.matches("<a ").count().saturating_sub(
            // An `<a href="https://…">` is one link, not two.
            lower.matches("<a href=\"http").count() + lower.matches("<a href='http").count(),
        )
}
