//! Attribute values the sanitiser's allow-lists cannot express: classes, footnote ids, table
//! alignment, and the URLs ammonia does not check (`cite`, `srcset`).

use std::borrow::Cow;

/// Footnote ids start with this; every other `id` is dropped.
pub(crate) const FOOTNOTE_ID_PREFIX: &str = "fn-";

/// WordPress alignment, size and caption classes, which themes style.
const WORDPRESS_CLASSES: &str = "alignleft alignright aligncenter alignnone alignwide alignfull \
    size-thumbnail size-medium size-large size-full wp-caption wp-caption-text";

/// The sanitiser's attribute filter: the value to keep, or `None` to drop the attribute. Only
/// attributes the policy allows reach it, and `href` and `src` were already checked by ammonia.
pub(crate) fn filter_attribute<'v>(
    element: &str,
    attribute: &str,
    value: &'v str,
) -> Option<Cow<'v, str>> {
    match attribute {
        "class" => filter_class(element, value),
        "id" => value
            .starts_with(FOOTNOTE_ID_PREFIX)
            .then_some(Cow::Borrowed(value)),
        "style" => text_align(value).map(|align| Cow::Owned(format!("text-align: {align}"))),
        "cite" => is_web_url(value).then_some(Cow::Borrowed(value)),
        "srcset" => is_safe_srcset(value).then_some(Cow::Borrowed(value)),
        _ => Some(Cow::Borrowed(value)),
    }
}

/// Keeps the allowed classes of `value`. Done here rather than with ammonia's
/// `allowed_classes`, which leaves an empty `class=""` behind and cannot allow `language-*`.
fn filter_class<'v>(element: &str, value: &'v str) -> Option<Cow<'v, str>> {
    let kept: Vec<&str> = value
        .split_ascii_whitespace()
        .filter(|class| class_allowed(element, class))
        .collect();
    match kept.join(" ") {
        kept if kept.is_empty() => None,
        kept if kept == value => Some(Cow::Borrowed(value)),
        kept => Some(Cow::Owned(kept)),
    }
}

fn class_allowed(element: &str, class: &str) -> bool {
    let wordpress = || {
        WORDPRESS_CLASSES
            .split_ascii_whitespace()
            .any(|known| known == class)
    };
    match element {
        "div" => class == "footnote-definition" || wordpress(),
        "sup" => matches!(class, "footnote-reference" | "footnote-definition-label"),
        // Kept for syntax highlighting and code styling; the name itself is harmless.
        // `wp-image-N` names the library item WordPress showed, so pages can give the image
        // that item's sizes, as WordPress does.
        "img" => wordpress() || is_wp_image_class(class),
        "code" => class.strip_prefix("language-").is_some_and(|language| {
            !language.is_empty()
                && language
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+#_.-".contains(c))
        }),
        _ => wordpress(),
    }
}

/// `wp-image-123`: WordPress's mark of an image from its media library.
pub(crate) fn is_wp_image_class(class: &str) -> bool {
    class.strip_prefix("wp-image-").is_some_and(|id| {
        !id.is_empty() && id.len() <= 18 && id.bytes().all(|b| b.is_ascii_digit())
    })
}

/// The alignment in a `text-align` declaration, the only style allowed (Markdown tables use it).
fn text_align(style: &str) -> Option<&'static str> {
    let declaration = style.trim().trim_end_matches(';');
    let (property, value) = declaration.split_once(':')?;
    if !property.trim().eq_ignore_ascii_case("text-align") {
        return None;
    }
    ["left", "center", "right"]
        .into_iter()
        .find(|align| value.trim().eq_ignore_ascii_case(align))
}

/// Whether every candidate URL of a `srcset` is a web URL. A single bad candidate drops the
/// whole attribute; splitting on commas also splits `data:` URLs, whose first piece then fails.
fn is_safe_srcset(srcset: &str) -> bool {
    srcset
        .split(',')
        .filter_map(|candidate| candidate.split_whitespace().next())
        .all(is_web_url)
}

/// Whether the sanitiser keeps `url` in an `href` or `src`: relative, or `http`, `https`,
/// `mailto` or `tel`, judged as [`is_web_url`] judges.
pub(crate) fn is_allowed_url(url: &str) -> bool {
    relative_or_scheme_in(url, &["http", "https", "mailto", "tel"])
}

/// Whether `url` is relative or uses `http`/`https`, judged the way browsers parse it.
fn is_web_url(url: &str) -> bool {
    relative_or_scheme_in(url, &["http", "https"])
}

/// Whether `url` is relative or its scheme is one of `schemes`, judged the way browsers parse
/// it: leading and trailing controls and spaces ignored, tabs and newlines removed, scheme
/// case-insensitive.
fn relative_or_scheme_in(url: &str, schemes: &[&str]) -> bool {
    let cleaned: String = url
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    match scheme(&cleaned) {
        Some(scheme) => schemes.iter().any(|s| scheme.eq_ignore_ascii_case(s)),
        None => true,
    }
}

fn scheme(url: &str) -> Option<&str> {
    let (candidate, _) = url.split_once(':')?;
    let mut chars = candidate.chars();
    let starts_with_letter = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    let rest_valid = chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    (starts_with_letter && rest_valid).then_some(candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filter(element: &str, attribute: &str, value: &str) -> Option<String> {
        filter_attribute(element, attribute, value).map(Cow::into_owned)
    }

    #[test]
    fn classes_are_filtered_per_element() {
        assert_eq!(
            filter("img", "class", "alignleft wp-image-5").as_deref(),
            Some("alignleft wp-image-5")
        );
        assert_eq!(
            filter("img", "class", "wp-image- wp-image-5x wp-image-1").as_deref(),
            Some("wp-image-1")
        );
        assert_eq!(filter("p", "class", "wp-image-5"), None, "images only");
        assert_eq!(filter("p", "class", "evil"), None);
        assert_eq!(filter("sup", "class", "alignleft"), None);
        assert_eq!(filter("p", "class", "footnote-definition"), None);
        assert_eq!(filter("div", "class", "footnote-definition").as_deref(), {
            Some("footnote-definition")
        });
        assert_eq!(
            filter("code", "class", "language-c++ x").as_deref(),
            Some("language-c++")
        );
        assert_eq!(filter("code", "class", "language-"), None);
        assert_eq!(filter("code", "class", "language-a\"b"), None);
    }

    #[test]
    fn ids_outside_the_footnote_namespace_are_dropped() {
        assert_eq!(filter("div", "id", "fn-note").as_deref(), Some("fn-note"));
        assert_eq!(filter("div", "id", "main"), None);
    }

    #[test]
    fn styles_are_reduced_to_text_alignment() {
        assert_eq!(
            filter("td", "style", " Text-Align : RIGHT ; ").as_deref(),
            { Some("text-align: right") }
        );
        assert_eq!(filter("td", "style", "text-align: justify"), None);
        assert_eq!(filter("td", "style", "text-align: left; color: red"), None);
        assert_eq!(filter("td", "style", "background: url(x)"), None);
    }

    #[test]
    fn web_urls() {
        for ok in [
            "https://a.example/x",
            "HTTP://a.example",
            "/relative",
            "#fn-1",
            "x.jpg",
        ] {
            assert!(is_web_url(ok), "{ok}");
        }
        assert!(is_web_url("//cdn.example/x.jpg"));
        assert!(is_web_url("a/b:c"), "a colon after a slash is no scheme");
        for bad in [
            "javascript:alert(1)",
            " JaVaScRiPt:x",
            "java\tscript:x",
            "\u{1}javascript:x",
            "data:image/png,x",
            "mailto:x@a.example",
        ] {
            assert!(!is_web_url(bad), "{bad}");
        }
    }

    #[test]
    fn srcset_needs_every_candidate_safe() {
        assert!(is_safe_srcset("a.jpg 1x, https://b.example/b.jpg 2x"));
        assert!(!is_safe_srcset("a.jpg 1x, data:image/png;base64,AAAA 2x"));
        assert!(!is_safe_srcset("javascript:x 1x"));
        assert_eq!(filter("blockquote", "cite", "javascript:x"), None);
    }
}
