//! The addresses editors type into settings, menus, redirects and profiles, and the addresses
//! Gazette sends browsers to, checked one way.
//!
//! Browsers are generous readers of URLs: they treat `\` as `/`, drop tabs and newlines
//! anywhere, and resolve `..` segments, so `/\evil.example`, `/<TAB>/evil.example` and
//! `/x/..//evil.example` all lead to another host. A *site path* here is one no browser can
//! read as another host, and [`site_location`] is the only way a path becomes a `Location`.

use percent_encoding::{AsciiSet, CONTROLS, percent_decode_str, utf8_percent_encode};

/// A path on this site: one leading `/` followed by neither `/` nor `\`, no backslash, no
/// whitespace or control character, no `.` or `..` segment (however encoded), and nothing
/// that percent-decodes to `//` or `/\` at its start (for proxies that decode).
pub fn is_site_path(text: &str) -> bool {
    let mut chars = text.chars();
    if chars.next() != Some('/') || matches!(chars.next(), Some('/' | '\\')) {
        return false;
    }
    if text
        .chars()
        .any(|c| c == '\\' || c.is_whitespace() || c.is_control())
    {
        return false;
    }
    let path = text.split(['?', '#']).next().unwrap_or_default();
    let decoded = percent_decode_str(path).decode_utf8_lossy();
    if decoded.starts_with("//") || decoded.starts_with("/\\") || decoded.contains('\\') {
        return false;
    }
    !decoded
        .split('/')
        .any(|segment| matches!(segment, "." | ".."))
}

/// What a `Location` header may hold besides visible ASCII: everything else is encoded.
const LOCATION_ENCODED: &AsciiSet = &CONTROLS.add(b' ').add(b'"').add(b'<').add(b'>');

/// The `Location` value for a path on this site, non-ASCII percent-encoded; None when a
/// browser could read `path` as another site's address.
pub fn site_location(path: &str) -> Option<String> {
    is_site_path(path).then(|| utf8_percent_encode(path, LOCATION_ENCODED).to_string())
}

/// The `Location` value for an absolute `http(s)` URL with a host and no user name or
/// password, in its serialised form (punycode host, encoded path).
pub fn web_location(text: &str) -> Option<String> {
    let url = url::Url::parse(text).ok()?;
    let plain = matches!(url.scheme(), "http" | "https")
        && url.host().is_some()
        && url.username().is_empty()
        && url.password().is_none();
    plain.then(|| url.to_string())
}

/// An absolute `http` or `https` URL with a host.
pub fn is_web_url(text: &str) -> bool {
    url::Url::parse(text)
        .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
}

/// An image address for a logo, favicon or photo: a path on this site or an `https` URL, with
/// nothing that could end the attribute it is printed in.
pub fn is_image_address(text: &str) -> bool {
    let https = url::Url::parse(text).is_ok_and(|u| u.scheme() == "https" && u.host().is_some());
    (is_site_path(text) || https) && !text.contains(['"', '<', '>', ' '])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_site_paths_or_web_urls() {
        assert!(is_site_path("/about/"));
        assert!(is_site_path("/café/?q=a//b#x"));
        assert!(!is_site_path("//evil.example/"));
        assert!(!is_site_path("about"));
        assert!(is_web_url("http://a.example/x"));
        assert!(!is_web_url("javascript:alert(1)"));
        assert!(!is_web_url("mailto:a@example.org"));
        assert!(is_image_address("/media/2026/01/logo.png"));
        assert!(is_image_address("https://cdn.example/logo.png"));
        assert!(!is_image_address("http://cdn.example/logo.png"));
        assert!(!is_image_address("/media/a\".png"));
    }

    /// Each of these is a path a browser would take to `evil.example` (or which a decoding
    /// proxy would turn into one), as `url::Url`'s WHATWG parser confirms.
    #[test]
    fn paths_browsers_read_as_another_host_are_not_site_paths() {
        let base = url::Url::parse("https://journal.example/a/b").unwrap_or_else(|e| panic!("{e}"));
        for hostile in [
            "//evil.example/",
            "/\\evil.example/",
            "/\\/evil.example/",
            "/\t/evil.example/",
            "/\n/evil.example/",
            "/\r\n/evil.example/",
            "/x/..//evil.example/",
            "/x/%2e%2e//evil.example/",
            "/%2F%2Fevil.example/",
            "/%2f/evil.example/",
            "/%5Cevil.example/",
            "/%5C%5Cevil.example/",
            "/ /evil.example/",
        ] {
            assert!(!is_site_path(hostile), "{hostile:?}");
            assert_eq!(site_location(hostile), None, "{hostile:?}");
            let _ = base.join(hostile); // the parser accepts them all; we refuse them
        }
        for browser_escape in ["//evil.example/", "/\\evil.example/", "/\t/evil.example/"] {
            let joined = base.join(browser_escape).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(
                joined.host_str(),
                Some("evil.example"),
                "{browser_escape:?}"
            );
        }
    }

    #[test]
    fn locations_are_visible_ascii() {
        assert_eq!(site_location("/café/").as_deref(), Some("/caf%C3%A9/"));
        assert_eq!(
            site_location("/\u{FF0F}evil.example/").as_deref(),
            Some("/%EF%BC%8Fevil.example/"),
            "a full-width solidus is a character of the path, never a slash"
        );
        assert_eq!(
            site_location("/a?b=1&c=/d#e").as_deref(),
            Some("/a?b=1&c=/d#e")
        );
    }

    #[test]
    fn web_locations_are_plain_http_urls() {
        assert_eq!(
            web_location("https://Exämple.org/a b").as_deref(),
            Some("https://xn--exmple-cua.org/a%20b")
        );
        for bad in [
            "javascript:alert(1)",
            "https://user:pass@evil.example/",
            "ftp://example.org/",
            "/local",
            "//evil.example/",
        ] {
            assert_eq!(web_location(bad), None, "{bad}");
        }
    }
}
