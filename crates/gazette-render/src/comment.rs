//! Reader comments: plain text with a small, safe subset of HTML, laid out in paragraphs.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use ammonia::{Builder, UrlRelative};
use gazette_core::SafeHtml;

/// What a commenter may use: paragraphs and line breaks, links, emphasis, quotes and code.
const TAGS: &str = "p br a em strong b i del q cite blockquote code pre";

static POLICY: LazyLock<Builder<'static>> = LazyLock::new(|| {
    let mut policy = Builder::empty();
    policy
        .tags(TAGS.split_ascii_whitespace().collect())
        .clean_content_tags(
            "script style iframe noscript noembed noframes template textarea select title"
                .split_ascii_whitespace()
                .collect(),
        )
        .tag_attributes(HashMap::from([("a", HashSet::from(["href"]))]))
        .generic_attributes(HashSet::new())
        .url_schemes(HashSet::from(["http", "https"]))
        // A relative link in a comment would point into the journal as if it vouched for it.
        .url_relative(UrlRelative::Deny)
        // Readers' links earn no ranking from the journal, as search engines ask.
        .link_rel(Some("nofollow ugc"))
        .strip_comments(true)
        .id_prefix(None);
    policy
});

/// Renders a comment as a reader wrote it: blank lines separate paragraphs, single line breaks
/// stay, and only the tags of the safe subset survive (`a[href]` with `http`/`https` only and
/// `rel="nofollow ugc"`, `em strong b i del q cite blockquote code pre`). Anything else is text
/// or goes; a `<script>` and its content go entirely.
pub fn render_comment(text: &str) -> SafeHtml {
    let normalized = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut html = String::with_capacity(normalized.len() + 32);
    for block in normalized
        .split("\n\n")
        .map(str::trim)
        .filter(|b| !b.is_empty())
    {
        let opens_block = ["<blockquote", "<pre"].iter().any(|tag| {
            block
                .get(..tag.len())
                .is_some_and(|start| start.eq_ignore_ascii_case(tag))
        });
        if opens_block {
            html.push_str(block);
        } else {
            html.push_str("<p>");
            html.push_str(&block.replace('\n', "<br>\n"));
            html.push_str("</p>");
        }
        html.push('\n');
    }
    // A block element the reader typed inside a paragraph (`<h1>`) splits it; the empty
    // paragraphs left behind say nothing.
    let clean = POLICY
        .clean(html.trim_end())
        .to_string()
        .replace("<p></p>", "");
    SafeHtml::assume_sanitized(clean)
}

#[cfg(test)]
mod tests {
    use super::render_comment;

    fn render(text: &str) -> String {
        render_comment(text).into_string()
    }

    #[test]
    fn paragraphs_and_line_breaks() {
        assert_eq!(
            render("One\nline two\r\n\r\nNew paragraph"),
            "<p>One<br>\nline two</p>\n<p>New paragraph</p>"
        );
        assert_eq!(render("  \n\n "), "");
    }

    #[test]
    fn the_safe_subset_survives_with_nofollow_links() {
        assert_eq!(
            render(
                r#"See <a href="https://example.org/x" onclick="evil()" class="c">this</a>, <em>really</em>"#
            ),
            r#"<p>See <a href="https://example.org/x" rel="nofollow ugc">this</a>, <em>really</em></p>"#
        );
        assert_eq!(
            render("<blockquote>quoted</blockquote>\n\n<code>x < y</code>"),
            "<blockquote>quoted</blockquote>\n<p><code>x &lt; y</code></p>"
        );
    }

    #[test]
    fn everything_else_is_text_or_gone() {
        assert_eq!(render("<script>alert(1)</script>hi"), "<p>hi</p>");
        assert_eq!(render("<img src=x onerror=alert(1)>"), "");
        assert_eq!(render("<h1>Big</h1>"), "Big");
        assert_eq!(
            render(r#"<a href="javascript:alert(1)">x</a> <a href="/admin/">y</a>"#),
            r#"<p><a rel="nofollow ugc">x</a> <a rel="nofollow ugc">y</a></p>"#
        );
        assert_eq!(render("5 > 3 & 2 < 4"), "<p>5 &gt; 3 &amp; 2 &lt; 4</p>");
    }
}
