//! WordPress's automatic paragraphs: classic-editor posts are stored with blank lines where
//! paragraphs end and single line breaks inside them, and WordPress adds the `<p>` and
//! `<br />` tags when it shows them. The rules here were worked out from WordPress's own
//! output (the differential tests in `crates/gazette/tests/wordpress_content.rs` call it on the
//! same inputs).

/// Elements that stand on their own: never inside a paragraph we add, and line breaks next to
/// them are layout, not `<br />`.
const BLOCKS: &[&str] = &[
    "address",
    "area",
    "article",
    "aside",
    "blockquote",
    "caption",
    "col",
    "colgroup",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "legend",
    "li",
    "main",
    "map",
    "math",
    "menu",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "select",
    "style",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
];

/// Elements whose text is kept exactly, line breaks included.
const VERBATIM: &[&str] = &["pre", "script", "style", "textarea", "svg"];

/// Stands for a line break inside a verbatim element while paragraphs are found.
const KEPT_NEWLINE: char = '\u{E000}';

/// Wraps `text`'s paragraphs in `<p>` and turns its single line breaks into `<br />`, as
/// WordPress shows a classic-editor post.
pub fn autop(text: &str) -> String {
    if text.trim().is_empty() {
        return String::new();
    }
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let text = protect_verbatim(&text);
    let text = separate_blocks(&text);
    let text = text.replace("<br />\n<br />", "\n\n");
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for chunk in split_paragraphs(&text) {
        out.push_str("<p>");
        out.push_str(chunk);
        out.push_str("</p>\n");
    }
    let out = tidy_paragraphs(&out);
    let out = line_breaks(&out);
    out.replace(KEPT_NEWLINE, "\n")
}

/// A tag found in the text: where it is and what it is.
#[derive(Debug, Clone, Copy)]
struct TagAt<'a> {
    start: usize,
    end: usize,
    name: &'a str,
    closing: bool,
}

/// The next tag at or after `from`, skipping comments.
fn next_tag(text: &str, from: usize) -> Option<TagAt<'_>> {
    let mut at = from;
    loop {
        let start = at + text.get(at..)?.find('<')?;
        let rest = &text[start..];
        if rest.starts_with("<!--") {
            at = start + rest.find("-->").map_or(rest.len(), |end| end + 3);
            continue;
        }
        let end = start + rest.find('>')? + 1;
        let inner = &text[start + 1..end - 1];
        let closing = inner.starts_with('/');
        let inner = inner.trim_start_matches('/');
        let name_len = inner
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(inner.len());
        let name = &inner[..name_len];
        if name.is_empty() {
            at = start + 1;
            continue;
        }
        return Some(TagAt {
            start,
            end,
            name,
            closing,
        });
    }
}

fn is_block(name: &str) -> bool {
    BLOCKS.iter().any(|b| b.eq_ignore_ascii_case(name))
}

/// Whether `name` is an element that stands on its own (for [`super::texturize`]).
pub(super) fn is_block_name(name: &str) -> bool {
    is_block(name)
}

/// Replaces line breaks inside `<pre>`, `<script>` and the like, so they survive untouched.
fn protect_verbatim(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    while let Some(tag) = next_tag(text, at) {
        let verbatim = !tag.closing && VERBATIM.iter().any(|v| v.eq_ignore_ascii_case(tag.name));
        if !verbatim {
            out.push_str(&text[at..tag.end]);
            at = tag.end;
            continue;
        }
        let close = format!("</{}", tag.name.to_ascii_lowercase());
        let body_end = text[tag.end..]
            .to_ascii_lowercase()
            .find(&close)
            .map_or(text.len(), |i| tag.end + i);
        out.push_str(&text[at..tag.end]);
        out.push_str(&text[tag.end..body_end].replace('\n', &KEPT_NEWLINE.to_string()));
        at = body_end;
    }
    out.push_str(&text[at..]);
    out
}

/// Puts a blank line before every opening block tag and after every closing one (and around
/// `<hr>`), so blocks never share a paragraph with text.
fn separate_blocks(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    let mut at = 0;
    while let Some(tag) = next_tag(text, at) {
        out.push_str(&text[at..tag.start]);
        let raw = &text[tag.start..tag.end];
        if is_block(tag.name) {
            let lone = tag.name.eq_ignore_ascii_case("hr");
            if !tag.closing || lone {
                out.push_str("\n\n");
            }
            out.push_str(raw);
            if tag.closing || lone {
                out.push_str("\n\n");
            }
        } else {
            out.push_str(raw);
        }
        at = tag.end;
    }
    out.push_str(&text[at..]);
    out
}

/// The paragraphs: runs of text between blank lines, without their surrounding line breaks.
fn split_paragraphs(text: &str) -> impl Iterator<Item = &str> {
    let mut chunks = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\n' {
            // A blank line: a newline, optional spaces, another newline.
            let mut j = i + 1;
            while j < bytes.len() && matches!(bytes[j], b' ' | b'\t') {
                j += 1;
            }
            if j < bytes.len() && bytes[j] == b'\n' {
                chunks.push(&text[start..i]);
                while j < bytes.len() && matches!(bytes[j], b'\n' | b' ' | b'\t') {
                    j += 1;
                }
                start = j;
                i = j;
                continue;
            }
        }
        i += 1;
    }
    chunks.push(&text[start..]);
    chunks
        .into_iter()
        .map(|chunk| chunk.trim_matches('\n'))
        .filter(|chunk| !chunk.trim().is_empty())
}

/// Takes back the paragraph tags that landed around blocks, and puts blockquotes' text in
/// paragraphs of their own.
fn tidy_paragraphs(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut at = 0;
    while let Some(tag) = next_tag(html, at) {
        out.push_str(&html[at..tag.start]);
        let raw = &html[tag.start..tag.end];
        at = tag.end;
        if !tag.name.eq_ignore_ascii_case("p") {
            // A block's closing tag directly before `</p>` takes that `</p>` away, except a
            // blockquote's (which closes the paragraph inside it) and a div's, address's or
            // form's that closes a paragraph still open inside it.
            out.push_str(raw);
            if is_block(tag.name) && html[at..].starts_with("</p>") {
                let closes_inner = tag.closing
                    && (tag.name.eq_ignore_ascii_case("blockquote")
                        || (["div", "address", "form"]
                            .iter()
                            .any(|n| n.eq_ignore_ascii_case(tag.name))
                            && open_paragraph(&out[..out.len() - raw.len()])));
                if closes_inner {
                    out.truncate(out.len() - raw.len());
                    out.push_str("</p>");
                    out.push_str(raw);
                }
                at += "</p>".len();
            }
            continue;
        }
        if tag.closing {
            out.push_str(raw);
            continue;
        }
        // `<p>` directly before a block tag goes (a blockquote keeps it inside), as does an
        // empty `<p></p>`.
        let after = &html[at..];
        if after.starts_with("</p>") {
            at += "</p>".len();
            while html[at..].starts_with('\n') {
                at += 1;
            }
            continue;
        }
        match next_tag(html, at) {
            Some(next) if next.start == at && is_block(next.name) => {
                if !next.closing && next.name.eq_ignore_ascii_case("blockquote") {
                    out.push_str(&html[next.start..next.end]);
                    out.push_str(raw);
                    at = next.end;
                }
            }
            _ => out.push_str(raw),
        }
    }
    out.push_str(&html[at..]);
    out
}

/// Whether the last `<p>` in `html` has not been closed.
fn open_paragraph(html: &str) -> bool {
    match (html.rfind("<p>"), html.rfind("</p>")) {
        (Some(open), Some(close)) => open > close,
        (Some(_), None) => true,
        _ => false,
    }
}

/// Single line breaks inside paragraphs become `<br />`; those next to a block tag are
/// layout and stay plain.
fn line_breaks(html: &str) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 16);
    let mut rest = html;
    while let Some(i) = rest.find('\n') {
        let (before, after) = (&rest[..i], &rest[i + 1..]);
        out.push_str(before);
        let before_trimmed = out.trim_end_matches([' ', '\t']);
        let after_block_tag = before_trimmed.ends_with('>') && ends_with_block_tag(before_trimmed);
        let before_block_tag = after.trim_start_matches([' ', '\t']).starts_with('<')
            && next_tag(after.trim_start_matches([' ', '\t']), 0)
                .is_some_and(|t| t.start == 0 && is_block(t.name));
        let already = before_trimmed.ends_with("<br />") || before_trimmed.ends_with("<br>");
        if !(after_block_tag || before_block_tag || already || after.is_empty()) {
            out.push_str("<br />");
        }
        out.push('\n');
        rest = after;
    }
    out.push_str(rest);
    out
}

fn ends_with_block_tag(html: &str) -> bool {
    let Some(start) = html.rfind('<') else {
        return false;
    };
    next_tag(html, start).is_some_and(|t| t.end == html.len() && is_block(t.name))
}

#[cfg(test)]
mod tests {
    use super::autop;

    #[test]
    fn paragraphs_and_line_breaks() {
        assert_eq!(
            autop("Hello world\n\nSecond para\nline two"),
            "<p>Hello world</p>\n<p>Second para<br />\nline two</p>\n"
        );
        assert_eq!(autop("  \n "), "");
    }

    #[test]
    fn blocks_stand_alone() {
        assert_eq!(autop("<h2>Head</h2>\npara"), "<h2>Head</h2>\n<p>para</p>\n");
        assert_eq!(
            autop("before\n<blockquote>q</blockquote>\nafter"),
            "<p>before</p>\n<blockquote><p>q</p></blockquote>\n<p>after</p>\n"
        );
        assert_eq!(autop("<div>\ntext\n</div>"), "<div>\ntext\n</div>\n");
    }

    #[test]
    fn preformatted_text_is_kept() {
        assert_eq!(
            autop("<pre>a\n\nb\nc</pre>\nafter"),
            "<pre>a\n\nb\nc</pre>\n<p>after</p>\n"
        );
    }
}
