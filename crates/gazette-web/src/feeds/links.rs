//! Addresses in feed bodies made absolute: a feed reader has no page to resolve `/2026/…`
//! against, so every `href` and `src` (and each `srcset` candidate) gets the site's origin.

/// A site path made absolute; other addresses are left as they are.
pub(super) fn absolute(address: &str, origin: &str) -> String {
    if address.starts_with('/') && !address.starts_with("//") {
        format!("{origin}{address}")
    } else {
        address.to_owned()
    }
}

/// Rewrites the site-relative `src`, `href` and `srcset` addresses of sanitised HTML to
/// absolute ones: a feed is read away from the site, where `/media/…` means nothing.
pub(super) fn absolute_links(html: &str, origin: &str) -> String {
    let mut out = String::with_capacity(html.len() + 64);
    let mut rest = html;
    while let Some(at) = next_attribute(rest) {
        let (before, after) = rest.split_at(at.value_start);
        out.push_str(before);
        let end = after.find('"').unwrap_or(after.len());
        let value = &after[..end];
        if at.is_srcset {
            let candidates: Vec<String> = value
                .split(',')
                .map(|candidate| {
                    let candidate = candidate.trim();
                    absolute(candidate, origin)
                })
                .collect();
            out.push_str(&candidates.join(", "));
        } else {
            out.push_str(&absolute(value, origin));
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

struct Attribute {
    /// Where the value starts, just after the opening quote.
    value_start: usize,
    is_srcset: bool,
}

/// The next ` src="`, ` href="` or ` srcset="` (the sanitiser always writes double quotes).
fn next_attribute(html: &str) -> Option<Attribute> {
    [
        (" src=\"", false),
        (" href=\"", false),
        (" srcset=\"", true),
    ]
    .iter()
    .filter_map(|(needle, is_srcset)| {
        html.find(needle).map(|at| Attribute {
            value_start: at + needle.len(),
            is_srcset: *is_srcset,
        })
    })
    .min_by_key(|a| a.value_start)
}
