//! The addresses editors type into settings, menus, redirects and profiles, checked one way.

/// A path on this site: one leading `/` (never `//`, which browsers read as another host).
pub fn is_site_path(text: &str) -> bool {
    text.starts_with('/') && !text.starts_with("//")
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
}
