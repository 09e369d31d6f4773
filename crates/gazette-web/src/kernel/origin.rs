//! Where a response's absolute links point, and whether a page holding them may be shared
//! through the page cache. Pages, feeds, sitemaps, robots.txt, the REST API and the settings
//! page all ask here, so they agree.
//!
//! The publication's `base_url` wins. Without it, the `Host` header names the address, but a
//! page only carries it when the node knows that host (its listen address, `localhost` and the
//! loopback addresses on the listen port, or an operator's `allowed_hosts` entry): those few
//! origins each get their own cached copy. Any other host gets paths, which say nothing of it;
//! documents that need absolute links (feeds, sitemaps) name it and are not cached.

use std::collections::HashSet;
use std::net::SocketAddr;

use axum::http::{HeaderMap, header};
use gazette_core::Authority;

use crate::AppState;

/// The hosts whose `Host` header Gazette writes into pages it caches.
#[derive(Debug, Clone, Default)]
pub struct KnownHosts {
    hosts: HashSet<Authority>,
    /// The same, as each is written (`Authority`'s `Display`), which is what browsers send:
    /// a `Host` header found here needs no parsing. A cached page's every hit asks.
    written: HashSet<String>,
}

impl KnownHosts {
    /// The listen address (unless it is a wildcard, which no browser names), `localhost`,
    /// `127.0.0.1` and `[::1]` on the listen port (and without a port on port 80), and the
    /// operator's `allowed` hosts.
    pub fn new(listen: Option<SocketAddr>, allowed: &[Authority]) -> Self {
        let mut hosts: HashSet<Authority> = allowed.iter().cloned().collect();
        if let Some(listen) = listen {
            hosts.extend(local_names(listen));
        }
        let written = hosts.iter().map(Authority::to_string).collect();
        Self { hosts, written }
    }

    fn contains(&self, host: &Authority) -> bool {
        self.hosts.contains(host)
    }

    /// Whether `text` is a known host exactly as it is written. Reading such a text gives
    /// that host back, and writing it gives the text.
    fn is_written(&self, text: &str) -> bool {
        self.written.contains(text)
    }
}

/// The names this machine's own browsers reach `listen` by.
fn local_names(listen: SocketAddr) -> Vec<Authority> {
    let port = listen.port();
    let mut names: Vec<Authority> = ["localhost", "127.0.0.1", "[::1]"]
        .iter()
        .filter_map(|host| Authority::parse(host).ok())
        .map(|host| host.with_port(Some(port)))
        .collect();
    if !listen.ip().is_unspecified() {
        names.push(Authority::of_socket(listen));
    }
    if port == 80 {
        // Browsers leave the default port out of `Host`.
        let portless: Vec<Authority> = names.iter().map(|name| name.with_port(None)).collect();
        names.extend(portless);
    }
    names
}

/// Who chose the address links point to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Trust {
    /// An administrator: the publication's `base_url`, the same for every request.
    Configured,
    /// The request, naming a host the node knows.
    KnownHost,
    /// The request, naming any other host (or none that parses).
    Unknown,
}

/// The scheme and host absolute links start with, and who chose them.
#[derive(Debug, Clone)]
pub(crate) struct Origin {
    /// `https://journal.example`, without a trailing slash.
    pub url: String,
    pub trust: Trust,
}

impl Origin {
    pub(crate) async fn of(state: &AppState, headers: &HeaderMap, https: bool) -> Self {
        let site = match state.site().await {
            Ok(site) => Some(site),
            Err(_) => state.last_site(),
        };
        Self::for_site(site.as_deref(), state, headers, https)
    }

    /// The origin under `site`'s settings (its `base_url`), for a caller that has the snapshot.
    pub(crate) fn for_site(
        site: Option<&crate::kernel::site::Site>,
        state: &AppState,
        headers: &HeaderMap,
        https: bool,
    ) -> Self {
        if let Some(base) = site.and_then(|site| site.publication.base_url.as_ref()) {
            return Self {
                url: base.as_str().trim_end_matches('/').to_owned(),
                trust: Trust::Configured,
            };
        }
        let scheme = if https { "https" } else { "http" };
        let host_text = headers.get(header::HOST).and_then(|v| v.to_str().ok());
        if let Some(text) = host_text.filter(|text| state.known_hosts().is_written(text)) {
            return Self {
                url: [scheme, "://", text].concat(),
                trust: Trust::KnownHost,
            };
        }
        // Any other `Host` counts when it is a host name or address with an optional port.
        match host_text.and_then(|text| Authority::parse(text).ok()) {
            Some(host) if state.known_hosts().contains(&host) => Self {
                url: format!("{scheme}://{host}"),
                trust: Trust::KnownHost,
            },
            Some(host) => Self {
                url: format!("{scheme}://{host}"),
                trust: Trust::Unknown,
            },
            None => Self {
                url: format!("{scheme}://localhost"),
                trust: Trust::Unknown,
            },
        }
    }

    /// Whether an administrator chose this origin (`base_url`) or it names a host the node
    /// knows: pages cached for it are kept under its own key, not under the path shared by
    /// every unknown host.
    pub(crate) fn is_known(&self) -> bool {
        self.trust != Trust::Unknown
    }

    /// What pages start their canonical, sharing and JSON-LD addresses with.
    pub(crate) fn links(&self) -> Links {
        match self.trust {
            Trust::Configured | Trust::KnownHost => Links(Some(self.url.clone())),
            Trust::Unknown => Links(None),
        }
    }

    /// The page-cache key for a page at `path` rendered for this origin; None when it must
    /// not be shared (it names a host a request chose and the node does not know).
    /// `needs_absolute` marks documents that carry the origin even for an unknown host.
    pub(crate) fn cache_key(&self, path: &str, needs_absolute: bool) -> Option<String> {
        match self.trust {
            // Keyed by origin too, so that a copy rendered just before `base_url` changed
            // is never served under the new address.
            Trust::Configured | Trust::KnownHost => Some(format!("{}{path}", self.url)),
            // Paths only, the same whichever unknown host asked: one shared copy, so that
            // an unknown `Host` cannot make every request render.
            Trust::Unknown => (!needs_absolute).then(|| path.to_owned()),
        }
    }
}

/// How a page writes its own addresses: absolute from an origin, or as paths, which browsers
/// and crawlers resolve against the page's address.
#[derive(Debug, Clone, Default)]
pub(crate) struct Links(Option<String>);

impl Links {
    /// The publication's `base_url`, or paths: for pages that no request's host may shape
    /// (previews).
    pub(crate) fn configured(site: &crate::kernel::site::Site) -> Self {
        let base = site.publication.base_url.as_ref();
        Self(base.map(|url| url.as_str().trim_end_matches('/').to_owned()))
    }

    /// The address of `path` on this site.
    pub(crate) fn canonical(&self, path: &str) -> String {
        match &self.0 {
            Some(origin) => format!("{origin}{path}"),
            None => path.to_owned(),
        }
    }

    /// `src` made absolute when it is a path on this site; other addresses as they are.
    pub(crate) fn absolute(&self, src: &str) -> String {
        if src.starts_with('/') && !src.starts_with("//") {
            self.canonical(src)
        } else {
            src.to_owned()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host(text: &str) -> Authority {
        Authority::parse(text).unwrap()
    }

    #[test]
    fn the_listen_address_and_loopback_names_on_its_port_are_known() {
        let known = KnownHosts::new(Some("192.0.2.5:8080".parse().unwrap()), &[]);
        for name in [
            "192.0.2.5:8080",
            "localhost:8080",
            "127.0.0.1:8080",
            "[::1]:8080",
        ] {
            assert!(known.contains(&host(name)), "{name}");
        }
        for name in [
            "localhost",
            "localhost:80",
            "192.0.2.5",
            "evil.example:8080",
        ] {
            assert!(!known.contains(&host(name)), "{name}");
        }
    }

    #[test]
    fn a_wildcard_listen_address_is_no_host_and_port_80_may_go_unsaid() {
        let known = KnownHosts::new(Some("0.0.0.0:80".parse().unwrap()), &[host("news.example")]);
        assert!(!known.contains(&host("0.0.0.0:80")));
        assert!(known.contains(&host("localhost")));
        assert!(known.contains(&host("localhost:80")));
        assert!(known.contains(&host("news.example")));
        assert!(
            !known.contains(&host("news.example:80")),
            "entries match as written"
        );
    }

    #[test]
    fn a_host_as_written_is_the_host_read() {
        let known = KnownHosts::new(
            Some("[2001:db8::5]:8080".parse().unwrap()),
            &[host("News.Example"), host("192.0.2.7:443")],
        );
        assert_eq!(known.written.len(), known.hosts.len());
        for text in &known.written {
            assert_eq!(&host(text).to_string(), text);
            assert!(known.contains(&host(text)), "{text}");
        }
        assert!(known.is_written("news.example"));
        // Other spellings of a known host are read the long way, and still known.
        assert!(!known.is_written("NEWS.example"));
        assert!(known.contains(&host("NEWS.example")));
    }

    #[test]
    fn only_unknown_hosts_get_paths_and_their_feeds_are_not_kept() {
        let origin = |trust| Origin {
            url: "http://a.example".to_owned(),
            trust,
        };
        let known = origin(Trust::KnownHost);
        assert_eq!(known.links().canonical("/x/"), "http://a.example/x/");
        assert_eq!(known.cache_key("/x/", true).unwrap(), "http://a.example/x/");
        let unknown = origin(Trust::Unknown);
        assert_eq!(unknown.links().canonical("/x/"), "/x/");
        assert_eq!(unknown.cache_key("/x/", false).unwrap(), "/x/");
        assert_eq!(unknown.cache_key("/feed/", true), None);
        assert_eq!(
            known.links().absolute("https://cdn.example/a.png"),
            "https://cdn.example/a.png"
        );
        assert_eq!(
            known.links().absolute("//cdn.example/a.png"),
            "//cdn.example/a.png"
        );
    }
}
