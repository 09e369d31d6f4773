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

/// Marks where a verbatim element's text was taken out while paragraphs are found
/// (`\u{E000}` + its number + `\u{E001}`); private-use characters no post contains.
const SET_ASIDE_START: char = '\u{E000}';
const SET_ASIDE_END: char = '\u{E001}';

/// Wraps `text`'s paragraphs in `<p>` and turns its single line breaks into `<br />`, as
/// WordPress shows a classic-editor post.
pub fn autop(text: &str) -> String {
    if text.trim().is_empty() {
        return String::new();
    }
    // The marks for set-aside text must not occur in the text itself: any that do are kept
    // as the character references they are equal to.
    let text = text
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .replace(SET_ASIDE_START, "&#57344;")
        .replace(SET_ASIDE_END, "&#57345;");
    let (text, set_aside) = set_verbatim_aside(&text);
    let text = join_to_neighbours(&text);
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
    put_back(&out, &set_aside)
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

/// Takes the text of `<pre>`, `<script>` and the like out of `text`, leaving numbered marks,
/// so that neither paragraphs nor line breaks are added inside them.
fn set_verbatim_aside(text: &str) -> (String, Vec<String>) {
    let mut out = String::with_capacity(text.len());
    let mut set_aside = Vec::new();
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
        out.push(SET_ASIDE_START);
        out.push_str(&set_aside.len().to_string());
        out.push(SET_ASIDE_END);
        set_aside.push(text[tag.end..body_end].to_owned());
        at = body_end;
    }
    out.push_str(&text[at..]);
    (out, set_aside)
}

/// The verbatim texts back in place of their marks.
fn put_back(html: &str, set_aside: &[String]) -> String {
    let mut out =
        String::with_capacity(html.len() + set_aside.iter().map(String::len).sum::<usize>());
    let mut rest = html;
    while let Some(start) = rest.find(SET_ASIDE_START) {
        out.push_str(&rest[..start]);
        let after = &rest[start + SET_ASIDE_START.len_utf8()..];
        let Some(end) = after.find(SET_ASIDE_END) else {
            break;
        };
        if let Some(text) = after[..end]
            .parse::<usize>()
            .ok()
            .and_then(|i| set_aside.get(i))
        {
            out.push_str(text);
        }
        rest = &after[end + SET_ASIDE_END.len_utf8()..];
    }
    out.push_str(rest);
    out
}

/// Elements that join their neighbours: the white space before their opening tag and after
/// their closing tag goes, so a figure's caption is not set apart as a paragraph of its own
/// and a list of options gets no line breaks.
const JOINED: &[&str] = &["figcaption", "option"];

fn join_to_neighbours(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    while let Some(tag) = next_tag(text, at) {
        let mut before = &text[at..tag.start];
        let joined = JOINED.iter().any(|j| j.eq_ignore_ascii_case(tag.name));
        if joined && !tag.closing {
            before = before.trim_end();
        }
        out.push_str(before);
        out.push_str(&text[tag.start..tag.end]);
        at = tag.end;
        if joined && tag.closing {
            at += text[at..].len() - text[at..].trim_start().len();
        }
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
                // The blank lines end at the last line break: the next paragraph keeps its
                // indentation, as WordPress keeps it.
                let mut last_newline = j;
                while j < bytes.len() && matches!(bytes[j], b'\n' | b' ' | b'\t') {
                    if bytes[j] == b'\n' {
                        last_newline = j;
                    }
                    j += 1;
                }
                start = last_newline + 1;
                i = j;
                continue;
            }
        }
        i += 1;
    }
    chunks.push(&text[start..]);
    chunks
        .into_iter()
        .map(|chunk| trim_trailing_lines(chunk.trim_start_matches('\n')))
        .filter(|chunk| !chunk.trim().is_empty())
}

/// `chunk` without the line breaks at its end and the spaces after them; spaces that end its
/// last line of text stay.
fn trim_trailing_lines(mut chunk: &str) -> &str {
    loop {
        let spaces_cut = chunk.trim_end_matches([' ', '\t']);
        if !spaces_cut.ends_with('\n') {
            return chunk;
        }
        chunk = spaces_cut.trim_end_matches('\n');
    }
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
                    && ["blockquote", "div", "address", "form"]
                        .iter()
                        .any(|n| n.eq_ignore_ascii_case(tag.name))
                    && open_paragraph(&out[..out.len() - raw.len()]);
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
            // The text's own `</p>` ends the paragraph we opened too.
            out.push_str(raw);
            if html[at..].starts_with("</p>") {
                at += "</p>".len();
            }
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
        // White space between `<p>` and a block tag goes with the `<p>`.
        let blank = html[at..].len() - html[at..].trim_start_matches([' ', '\t']).len();
        match next_tag(html, at) {
            Some(next) if next.start == at + blank && is_block(next.name) => {
                at += blank;
                let opening = |name: &str| !next.closing && next.name.eq_ignore_ascii_case(name);
                if opening("blockquote") {
                    // The paragraph moves inside the quote, unless nothing is left in it.
                    out.push_str(&html[next.start..next.end]);
                    at = next.end;
                    match html[at..].strip_prefix("</p>") {
                        Some(_) => at += "</p>".len(),
                        None => out.push_str(raw),
                    }
                } else if opening("li") {
                    // A list item on one line is no paragraph: its `</p>` goes too.
                    let line_end = html[at..].find('\n').map_or(html.len(), |i| at + i);
                    if let Some(close) = html[at..line_end].find("</p>") {
                        out.push_str(&html[at..at + close]);
                        at += close + "</p>".len();
                    }
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
            // Spaces before a line break go with it.
            out.truncate(out.trim_end_matches([' ', '\t']).len());
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
