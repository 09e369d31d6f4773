//! The Content-Security-Policy: no inline scripts or styles, no plugins, frames from the embed
//! providers only, and the scripts of the administrators' head snippet (their hosts and the
//! hashes of their inline parts) when there is one.

use base64::Engine as _;
use gazette_core::embed::PROVIDERS;
use sha2::{Digest as _, Sha256};

/// The policy for a site whose head snippet is `head_html`.
pub(crate) fn policy(head_html: &str) -> String {
    let frames: Vec<&str> = PROVIDERS.iter().map(|p| p.frame_origin).collect();
    let mut policy = format!(
        "default-src 'self'; img-src 'self' data: https:; object-src 'none'; base-uri 'self'; \
         form-action 'self'; frame-ancestors 'self'; frame-src {}",
        frames.join(" ")
    );
    let scripts = snippet_scripts(head_html);
    if !scripts.is_empty() {
        policy.push_str(&format!(
            "; script-src 'self' {}; connect-src 'self' {}",
            scripts.join(" "),
            scripts
                .iter()
                .filter(|s| s.starts_with("https://"))
                .cloned()
                .collect::<Vec<_>>()
                .join(" ")
        ));
    }
    policy
}

/// The origins of the snippet's external scripts and the hashes of its inline ones, as CSP
/// sources, without repeats.
fn snippet_scripts(html: &str) -> Vec<String> {
    let mut sources: Vec<String> = Vec::new();
    let lower = html.to_ascii_lowercase();
    let mut from = 0;
    while let Some(found) = lower[from..].find("<script") {
        let start = from + found;
        let Some(tag_end) = lower[start..].find('>').map(|i| start + i) else {
            break;
        };
        let Some(close) = lower[tag_end..].find("</script>").map(|i| tag_end + i) else {
            break;
        };
        let tag = &html[start..tag_end];
        let source = match src_attribute(tag) {
            Some(src) => url::Url::parse(&src)
                .ok()
                .filter(|u| u.scheme() == "https")
                .map(|u| u.origin().ascii_serialization()),
            None => {
                let digest = Sha256::digest(&html.as_bytes()[tag_end + 1..close]);
                Some(format!(
                    "'sha256-{}'",
                    base64::engine::general_purpose::STANDARD.encode(digest)
                ))
            }
        };
        if let Some(source) = source
            && !sources.contains(&source)
        {
            sources.push(source);
        }
        from = close + "</script>".len();
    }
    sources
}

fn src_attribute(tag: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let at = lower.find(" src=")? + " src=".len();
    let rest = &tag[at..];
    let value = match rest.chars().next()? {
        quote @ ('"' | '\'') => rest[1..].split(quote).next()?,
        _ => rest.split([' ', '>']).next()?,
    };
    Some(value.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_come_from_the_embed_providers_only() {
        let policy = policy("");
        assert!(
            policy.contains("frame-src https://www.youtube-nocookie.com https://player.vimeo.com")
        );
        assert!(
            !policy.contains("script-src"),
            "scripts: 'self' through default-src"
        );
    }

    #[test]
    fn the_head_snippets_scripts_are_allowed_and_nothing_more() {
        let snippet = "<script async src=\"https://www.googletagmanager.com/gtag/js?id=G-1\"></script>\n<script>window.dataLayer = window.dataLayer || [];</script><script src='http://insecure.example/x.js'></script>";
        let policy = policy(snippet);
        let digest = Sha256::digest(b"window.dataLayer = window.dataLayer || [];");
        let hash = base64::engine::general_purpose::STANDARD.encode(digest);
        assert!(
            policy.contains(&format!(
                "script-src 'self' https://www.googletagmanager.com 'sha256-{hash}'"
            )),
            "{policy}"
        );
        assert!(policy.contains("connect-src 'self' https://www.googletagmanager.com"));
        assert!(
            !policy.contains("insecure.example"),
            "plain http is not allowed"
        );
    }
}
