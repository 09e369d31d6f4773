//! The sanitiser policy: the single allow-list every body passes before it becomes `SafeHtml`.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use ammonia::{Builder, UrlRelative};
use gazette_core::SafeHtml;

use crate::attributes::filter_attribute;

/// Extra passes allowed to reach a fixpoint (see [`sanitize_html`]).
const MAX_EXTRA_PASSES: usize = 3;

/// Allowed elements, space-separated to keep the list readable.
const TAGS: &str = "p br hr h1 h2 h3 h4 h5 h6 a em strong b i u s del ins sub sup small mark \
    abbr cite q blockquote code pre kbd samp var ul ol li dl dt dd table thead tbody tfoot tr th \
    td caption figure figcaption img section span div time aside audio video source";

/// Elements removed together with everything inside them: their content is code, styling or
/// form state, never prose a reader should see as text.
const DROPPED_WITH_CONTENT: &str =
    "script style iframe noscript noembed noframes template textarea select";

/// Attributes allowed per element. `class`, `id`, `style`, `cite` and `srcset` values are
/// narrowed further by [`filter_attribute`].
const TAG_ATTRIBUTES: &[(&str, &str)] = &[
    ("a", "href title"),
    ("audio", "src controls preload"),
    ("video", "src controls preload poster width height"),
    ("source", "src type"),
    ("abbr", "title"),
    ("q", "cite"),
    ("blockquote", "cite class"),
    ("ol", "start reversed"),
    ("th", "colspan rowspan scope style"),
    ("td", "colspan rowspan style"),
    (
        "img",
        "src alt title width height loading srcset sizes class",
    ),
    ("time", "datetime"),
    ("div", "id class"),
    ("sup", "class"),
    ("code", "class"),
    ("p", "class"),
    ("span", "class"),
    ("figure", "class"),
    ("figcaption", "class"),
    ("table", "class"),
];

/// URL schemes for `href` and `src`; relative URLs are allowed too.
const URL_SCHEMES: &str = "http https mailto tel";

static POLICY: LazyLock<Builder<'static>> = LazyLock::new(build_policy);

/// Sanitises HTML with Gazette's one policy, the same that [`crate::render_body`] applies.
///
/// - **Elements**: `p br hr h1–h6 a em strong b i u s del ins sub sup small mark abbr cite q
///   blockquote code pre kbd samp var ul ol li dl dt dd table thead tbody tfoot tr th td caption
///   figure figcaption img section span div time aside`. Any other element is unwrapped: it
///   goes, its text stays (`object`, `embed`, `form`, `input`, `button`, `svg`, `math`, …).
/// - **Removed with their content**: `script style iframe noscript noembed noframes template
///   textarea select`. (An allow-list of embeds will come later.)
/// - **`h1` becomes `h2`**: a page's only `h1` is the article headline.
/// - **Attributes**: `a[href title]`, `abbr[title]`, `q[cite]`, `blockquote[cite]`,
///   `ol[start reversed]`, `th[colspan rowspan scope]`, `td[colspan rowspan]`,
///   `img[src alt title width height loading srcset sizes]`, `time[datetime]`, plus `class`,
///   `id` and `style` as below. Nothing else: no `on*`, no `style` elsewhere, no `target`.
/// - **URLs**: `href` and `src` may be `http`, `https`, `mailto`, `tel` or relative; `cite` and
///   every `srcset` candidate `http`, `https` or relative. Any other URL (`javascript:`,
///   `data:`, `vbscript:`, however encoded) drops the attribute.
/// - **`class`**: the WordPress classes `alignleft alignright aligncenter alignnone alignwide
///   alignfull size-thumbnail size-medium size-large size-full wp-caption wp-caption-text` on
///   `p div span figure figcaption img table blockquote`, and `wp-image-N` on `img` (which
///   library item WordPress showed); `footnote-definition` on `div`;
///   `footnote-reference footnote-definition-label` on `sup`; `language-*` on `code`. Other
///   classes are dropped, and so is a `class` attribute left empty.
/// - **`id`**: only on `div` and only starting with `fn-`, the namespace of footnote
///   definitions, so that a body cannot clobber the ids of the page around it.
/// - **`style`**: only on `th` and `td`, only `text-align: left|center|right`, which is how
///   Markdown tables align columns.
/// - **Comments** are removed. No `rel` is added to links: without `target` a link cannot open
///   a window that reaches back through `window.opener`.
///
/// The result is a fixpoint: sanitising it again returns it unchanged. Unwrapping an element
/// can leave nesting that the HTML parser rearranges when the output is parsed again (a heading
/// inside a heading, say), so the policy is applied again until nothing moves. Every pass
/// applies the full policy, so even an input that kept moving would come out sanitised.
pub fn sanitize_html(html: &str) -> SafeHtml {
    let mut out = sanitize_once(html);
    for _ in 0..MAX_EXTRA_PASSES {
        let again = sanitize_once(&out);
        if again == out {
            break;
        }
        out = again;
    }
    SafeHtml::assume_sanitized(out)
}

/// The elements of `html` the policy removes (unwrapping them or dropping them with their
/// content), by name: what an import reports as stripped.
pub fn stripped_elements(html: &str) -> std::collections::BTreeSet<String> {
    static ALLOWED: LazyLock<HashSet<&'static str>> = LazyLock::new(|| words(TAGS));
    let mut stripped = std::collections::BTreeSet::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        rest = &rest[start + 1..];
        if rest.starts_with('!') || rest.starts_with('/') {
            continue;
        }
        let len = rest
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(rest.len());
        let name = rest[..len].to_ascii_lowercase();
        if !name.is_empty() && !ALLOWED.contains(name.as_str()) {
            stripped.insert(name);
        }
    }
    stripped
}

/// Whether the policy keeps elements called `name` (lower case).
pub(crate) fn is_allowed_element(name: &str) -> bool {
    static ALLOWED: LazyLock<HashSet<&'static str>> = LazyLock::new(|| words(TAGS));
    ALLOWED.contains(name)
}

/// Whether the policy removes elements called `name` together with their content.
pub(crate) fn is_dropped_with_content(name: &str) -> bool {
    static DROPPED: LazyLock<HashSet<&'static str>> = LazyLock::new(|| words(DROPPED_WITH_CONTENT));
    DROPPED.contains(name)
}

/// Whether the policy keeps `attribute="value"` on an allowed `element` as it is.
pub(crate) fn allowed_attributes(element: &str, attribute: &str, value: &str) -> bool {
    let listed = TAG_ATTRIBUTES.iter().any(|(tag, names)| {
        *tag == element && names.split_ascii_whitespace().any(|n| n == attribute)
    });
    if !listed {
        return false;
    }
    if matches!(attribute, "href" | "src") && !crate::attributes::is_allowed_url(value) {
        return false;
    }
    filter_attribute(element, attribute, value).is_some_and(|kept| kept == value)
}

fn sanitize_once(html: &str) -> String {
    keep_pre_newline(demote_h1(POLICY.clean(html).to_string()))
}

/// HTML parsers drop one newline right after `<pre>`, and the serialiser does not write the
/// extra one that would make up for it, so each pass would lose a leading line. The policy
/// allows `pre` without attributes, and `<` is escaped everywhere but in tags, so `<pre>\n`
/// can only be that tag and its first newline.
fn keep_pre_newline(html: String) -> String {
    if html.contains("<pre>\n") {
        html.replace("<pre>\n", "<pre>\n\n")
    } else {
        html
    }
}

/// Turns `h1` into `h2`. The policy allows `h1` without attributes and the serialiser escapes
/// `<` everywhere except in tags, so `<h1>` and `</h1>` in its output can only be those tags.
fn demote_h1(html: String) -> String {
    if html.contains("h1>") {
        html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    } else {
        html
    }
}

fn build_policy() -> Builder<'static> {
    let tag_attributes: HashMap<&str, HashSet<&str>> = TAG_ATTRIBUTES
        .iter()
        .map(|(tag, attributes)| (*tag, words(attributes)))
        .collect();
    // Start empty and set every knob, so that no ammonia default slips into the policy.
    let mut policy = Builder::empty();
    policy
        .tags(words(TAGS))
        .clean_content_tags(words(DROPPED_WITH_CONTENT))
        .tag_attributes(tag_attributes)
        .tag_attribute_values(HashMap::new())
        .set_tag_attribute_values(HashMap::new())
        .generic_attributes(HashSet::new())
        .generic_attribute_prefixes(HashSet::new())
        .url_schemes(words(URL_SCHEMES))
        .url_relative(UrlRelative::PassThrough)
        .link_rel(None)
        .strip_comments(true)
        .id_prefix(None)
        .attribute_filter(filter_attribute);
    policy
}

fn words(list: &'static str) -> HashSet<&'static str> {
    list.split_ascii_whitespace().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clean(html: &str) -> String {
        sanitize_html(html).into_string()
    }

    #[test]
    fn h1_becomes_h2_but_text_mentioning_it_does_not_change() {
        assert_eq!(clean("<h1 id=x>Top</h1>"), "<h2>Top</h2>");
        assert_eq!(
            clean("<p title=\"<h1>\">&lt;h1&gt;</p>"),
            "<p>&lt;h1&gt;</p>"
        );
        assert_eq!(clean("<img alt=\"<h1>\">"), "<img alt=\"&lt;h1&gt;\">");
    }

    #[test]
    fn attribute_values_are_narrowed() {
        assert_eq!(
            clean(r#"<img class="alignleft wp-image-5 size-medium wp-image-x" src="a.jpg">"#),
            r#"<img class="alignleft wp-image-5 size-medium" src="a.jpg">"#
        );
        assert_eq!(clean(r#"<p class="evil">x</p>"#), "<p>x</p>");
        assert_eq!(
            clean(r#"<div id="fn-1">x</div>"#),
            r#"<div id="fn-1">x</div>"#
        );
        assert_eq!(clean(r#"<div id="comments">x</div>"#), "<div>x</div>");
        assert_eq!(clean(r#"<p id="fn-1">x</p>"#), "<p>x</p>");
    }

    #[test]
    fn only_text_align_styles_survive_and_only_on_cells() {
        assert_eq!(
            clean(r#"<table><tr><td style="TEXT-ALIGN:Center;">x</td></tr></table>"#),
            r#"<table><tbody><tr><td style="text-align: center">x</td></tr></tbody></table>"#
        );
        assert_eq!(
            clean(r#"<table><tr><td style="text-align: left; color: red">x</td></tr></table>"#),
            "<table><tbody><tr><td>x</td></tr></tbody></table>"
        );
        assert_eq!(clean(r#"<p style="text-align: left">x</p>"#), "<p>x</p>");
    }

    #[test]
    fn no_ammonia_default_leaks_in() {
        // Ammonia's defaults allow these; Gazette's policy does not.
        assert_eq!(clean(r#"<p lang="fr" title="t">x</p>"#), "<p>x</p>");
        assert_eq!(clean(r#"<a href="ftp://x.example/f">f</a>"#), "<a>f</a>");
        assert_eq!(clean("<details><summary>s</summary>d</details>"), "sd");
        assert_eq!(clean(r#"<a href="/x">x</a>"#), r#"<a href="/x">x</a>"#);
    }

    #[test]
    fn comments_are_removed() {
        assert_eq!(clean("a<!-- secret -->b"), "ab");
    }

    #[test]
    fn unwrapping_reaches_a_fixpoint() {
        let once = clean("<h2><object><h3>x</h3></object></h2>");
        assert_eq!(clean(&once), once);
    }
}

#[cfg(test)]
mod pre_newlines {
    use super::*;

    /// A parser drops the newline that follows `<pre>`; the output must carry one more, or
    /// each pass loses a line and sanitising is not a fixpoint (found by the property test).
    #[test]
    fn leading_newlines_in_pre_survive_a_second_pass() {
        for newlines in 0..12 {
            let source = format!("<pre>{}x</pre>", "\n".repeat(newlines));
            let once = sanitize_html(&source);
            assert_eq!(sanitize_html(once.as_str()), once, "{newlines} newlines");
        }
        let soup = sanitize_html("<pre>\n\n\n\n\n\n");
        assert_eq!(sanitize_html(soup.as_str()), soup);
    }
}
