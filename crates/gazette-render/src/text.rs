//! Plain text from sanitised HTML (for search indexing, meta descriptions and excerpts), and
//! text escaped back into HTML.

use gazette_core::SafeHtml;

use crate::entities;

/// Elements that start a new line when displayed: their boundaries separate words.
const BLOCK_ELEMENTS: &str = "address article aside blockquote br caption dd details div dl dt \
    figcaption figure footer h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary \
    table tbody td tfoot th thead tr ul";

/// Elements whose content is not text. The sanitiser removes them, but `SafeHtml` may come from
/// elsewhere (older stored bodies), so they are skipped anyway.
const NON_TEXT_ELEMENTS: &[&str] = &["script", "style", "template", "noscript"];

/// The text of `html`: tags removed, character references decoded, whitespace collapsed to
/// single spaces and trimmed. Block elements separate words (`<p>a</p><p>b</p>` gives `a b`);
/// inline ones do not (`<em>a</em>b` gives `ab`).
///
/// Footnote reference numbers are left out so they do not glue onto words ("claim1").
/// Non-breaking spaces count as whitespace and soft hyphens are removed: the text is for
/// matching and summaries, not for typesetting.
pub fn plain_text(html: &SafeHtml) -> String {
    text_of(html.as_str())
}

/// The ends of the blocks that are paragraphs to a reader of plain text.
const PARAGRAPH_ENDS: [&str; 12] = [
    "</p>",
    "</h1>",
    "</h2>",
    "</h3>",
    "</h4>",
    "</h5>",
    "</h6>",
    "</li>",
    "</blockquote>",
    "</figcaption>",
    "</pre>",
    "</tr>",
];

/// The text of `html` as paragraphs separated by blank lines (the plain-text part of a
/// newsletter): each paragraph, heading, list item or quote is one, its whitespace collapsed.
pub fn text_paragraphs(html: &SafeHtml) -> String {
    let mut marked = html.as_str().to_owned();
    for end in PARAGRAPH_ENDS {
        marked = marked.replace(end, &format!("{end}\u{0}"));
    }
    marked
        .split('\u{0}')
        .map(text_of)
        .filter(|paragraph| !paragraph.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

fn text_of(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        entities::decode_into(&rest[..lt], &mut text);
        rest = consume_markup(&rest[lt..], &mut text);
    }
    entities::decode_into(rest, &mut text);
    collapse_whitespace(&text)
}

/// A start or end tag, as far as plain text cares.
struct Tag<'a> {
    /// Lower-cased; empty for `<!doctype>` and `<?…>`.
    name: String,
    closing: bool,
    /// Everything between the name and `>`.
    attributes: &'a str,
    /// Bytes from `<` to `>` inclusive.
    len: usize,
}

/// Consumes the markup at the start of `markup` (which starts with `<`), writing a space to
/// `text` where it separates words, and returns what follows it.
fn consume_markup<'a>(markup: &'a str, text: &mut String) -> &'a str {
    if let Some(comment) = markup.strip_prefix("<!--") {
        return comment.find("-->").map_or("", |end| &comment[end + 3..]);
    }
    let Some(tag) = parse_tag(markup) else {
        // A `<` that starts no tag is text (`a < b`).
        text.push('<');
        return &markup[1..];
    };
    let rest = &markup[tag.len..];
    if BLOCK_ELEMENTS
        .split_ascii_whitespace()
        .any(|block| block == tag.name)
    {
        text.push(' ');
    }
    if !tag.closing && skips_content(&tag) {
        return skip_past_end_tag(rest, &tag.name);
    }
    rest
}

fn skips_content(tag: &Tag<'_>) -> bool {
    NON_TEXT_ELEMENTS.contains(&tag.name.as_str())
        || (tag.name == "sup" && tag.attributes.contains("footnote-reference"))
}

/// Parses the tag at the start of `markup`, or `None` when the `<` does not start one.
fn parse_tag(markup: &str) -> Option<Tag<'_>> {
    let after_lt = markup.get(1..)?;
    let (closing, body) = match after_lt.strip_prefix('/') {
        Some(body) => (true, body),
        None => (false, after_lt),
    };
    let first = body.chars().next()?;
    let name_len = if first.is_ascii_alphabetic() {
        body.find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(body.len())
    } else if !closing && matches!(first, '!' | '?') {
        0
    } else {
        return None;
    };
    let after_name = &body[name_len..];
    // An unclosed tag runs to the end of the input, as it does in a browser.
    let (attributes, rest) = match closing_gt(after_name) {
        Some(gt) => (&after_name[..gt], &after_name[gt + 1..]),
        None => (after_name, ""),
    };
    Some(Tag {
        name: body[..name_len].to_ascii_lowercase(),
        closing,
        attributes,
        len: markup.len() - rest.len(),
    })
}

/// Where the `>` that closes a tag is, skipping any `>` inside quoted attribute values.
fn closing_gt(after_name: &str) -> Option<usize> {
    let mut quote = None;
    let mut previous = ' ';
    for (i, c) in after_name.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '>' => return Some(i),
            None if matches!(c, '"' | '\'') && previous == '=' => quote = Some(c),
            None => {}
        }
        if !c.is_whitespace() {
            previous = c;
        }
    }
    None
}

/// What follows the end tag `</name…>` in `rest`; nothing if the element is never closed.
fn skip_past_end_tag<'a>(rest: &'a str, name: &str) -> &'a str {
    let needle = format!("</{name}");
    let found = rest
        .as_bytes()
        .windows(needle.len())
        .position(|window| window.eq_ignore_ascii_case(needle.as_bytes()));
    let Some(start) = found else {
        return "";
    };
    // The needle is ASCII, so `start` and the `>` found after it are char boundaries.
    let end_tag = &rest[start..];
    end_tag.find('>').map_or("", |gt| &end_tag[gt + 1..])
}

fn collapse_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().filter(|&c| c != '\u{ad}'));
    }
    out
}

/// `text` escaped for HTML content or a double-quoted attribute.
pub fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(html: &str) -> String {
        plain_text(&SafeHtml::assume_sanitized(html.to_owned()))
    }

    #[test]
    fn paragraphs_stay_apart_for_plain_text_mail() {
        let html = "<h2>Three levers</h2><p>There are <em>only</em> a few.</p>\n<ul><li>One</li><li>Two</li></ul><blockquote><p>A quote</p></blockquote>";
        assert_eq!(
            text_paragraphs(&SafeHtml::assume_sanitized(html.to_owned())),
            "Three levers\n\nThere are only a few.\n\nOne\n\nTwo\n\nA quote"
        );
    }

    #[test]
    fn blocks_separate_words_and_inline_elements_do_not() {
        assert_eq!(text("<p>a</p><p>b</p>"), "a b");
        assert_eq!(
            text("<h2>Title</h2><ul><li>one</li><li>two</li></ul>"),
            "Title one two"
        );
        assert_eq!(text("line<br>break<hr>rule"), "line break rule");
        assert_eq!(text("<table><tr><td>1</td><td>2</td></tr></table>"), "1 2");
        assert_eq!(text("<em>a</em>b <strong>c</strong>"), "ab c");
        assert_eq!(text("<P>Upper</P><DIV>case</DIV>"), "Upper case");
    }

    #[test]
    fn whitespace_is_collapsed_and_trimmed() {
        assert_eq!(text("\n  <p> a \t\n b </p>\n\n<p>&nbsp;</p> "), "a b");
        assert_eq!(text("syl&shy;la\u{ad}ble"), "syllable");
    }

    #[test]
    fn references_are_decoded_after_tags_are_removed() {
        assert_eq!(
            text("<p>&lt;b&gt;not a tag&lt;/b&gt; &amp; more</p>"),
            "<b>not a tag</b> & more"
        );
        assert_eq!(text("It&#8217;s &ldquo;fine&rdquo;"), "It’s “fine”");
    }

    #[test]
    fn attributes_and_comments_do_not_leak() {
        assert_eq!(text(r#"<a href="/x" title="a > b">link</a>"#), "link");
        assert_eq!(text(r#"<img alt="picture" src="x.jpg">after"#), "after");
        assert_eq!(text("a<!-- <p>hidden</p> -->b"), "ab");
        assert_eq!(text("<!doctype html>x"), "x");
    }

    #[test]
    fn non_text_elements_are_skipped() {
        assert_eq!(text("a<script>var x = '<p>';</script>b"), "ab");
        assert_eq!(text("a<STYLE>p { color: red }</Style >b"), "ab");
        assert_eq!(text("a<script>never closed"), "a");
    }

    #[test]
    fn footnote_numbers_are_left_out() {
        let html =
            r##"<p>Claim<sup class="footnote-reference"><a href="#fn-1">1</a></sup> holds.</p>"##;
        assert_eq!(text(html), "Claim holds.");
        assert_eq!(text("x<sup>2</sup>"), "x2");
    }

    #[test]
    fn stray_angle_brackets_are_text() {
        assert_eq!(text("a < b and 3<4"), "a < b and 3<4");
        assert_eq!(text("end <"), "end <");
        assert_eq!(text("<p>unclosed <a href=\"x"), "unclosed");
    }
}
