//! HTML to Markdown: what a writer pastes from a word processor or a web page, and the HTML
//! body of an imported article converted for the Markdown editor.
//!
//! The HTML is first cleaned (only what Markdown can say survives; styles, classes, spans and
//! fonts go, keeping their text), then written out as CommonMark with the extensions Gazette
//! renders (tables, strikethrough). Bold and italic given by inline styles, as Google Docs and
//! Word write them, become emphasis; Google Docs' outer `<b>` that is not bold is ignored.
//! Text is escaped wherever it would otherwise turn into markup.

mod code;
mod escape;
mod tree;

use std::collections::HashSet;
use std::sync::LazyLock;

use ammonia::{Builder, UrlRelative};

use code::{code_block, inline_code};
use escape::{escape_line_starts, escape_text};
use tree::{Element, Node};

/// Elements kept for the writer; any other is unwrapped (its text stays).
const KEPT: &str = "p br hr h1 h2 h3 h4 h5 h6 a em strong b i u s del strike ul ol li \
    blockquote pre code img table thead tbody tfoot tr th td caption figure figcaption div \
    section article header footer main aside span sup sub";

/// Elements whose content is not prose.
const DROPPED: &str = "script style template head title noscript iframe object svg math";

const BLOCKS: &str = "p div section article header footer main aside figure figcaption \
    blockquote ul ol li pre table h1 h2 h3 h4 h5 h6 hr";

static CLEANER: LazyLock<Builder<'static>> = LazyLock::new(|| {
    let mut builder = Builder::default();
    builder
        .tags(KEPT.split_ascii_whitespace().collect::<HashSet<_>>())
        .clean_content_tags(DROPPED.split_ascii_whitespace().collect::<HashSet<_>>())
        .generic_attributes(HashSet::from(["style"]))
        .tag_attributes(
            [
                ("a", ["href", "title"].as_slice()),
                ("img", &["src", "alt", "title"]),
                ("ol", &["start"]),
                ("code", &["class"]),
                ("b", &["id"]),
            ]
            .into_iter()
            .map(|(tag, attributes)| (tag, attributes.iter().copied().collect()))
            .collect(),
        )
        .url_schemes(HashSet::from(["http", "https", "mailto", "tel"]))
        .url_relative(UrlRelative::PassThrough)
        .link_rel(None)
        .strip_comments(true);
    builder
});

/// The Markdown for `html`, without a final newline.
pub fn html_to_markdown(html: &str) -> String {
    let clean = CLEANER.clean(html).to_string();
    let root = tree::parse(&clean);
    let blocks = Writer::default().blocks(&root.children);
    blocks.join("\n\n")
}

/// Whether a node makes blocks of its own: a block element, or an inline one around blocks
/// (Google Docs wraps a whole paste in a `<b>`), which then counts for its content only.
fn is_block(node: &Node) -> bool {
    let Node::Element(element) = node else {
        return false;
    };
    BLOCKS.split_ascii_whitespace().any(|b| b == element.name)
        || element.children.iter().any(is_block)
}

/// Bold and italic as the element says, by name or by inline style.
fn emphasis_of(element: &Element) -> (bool, bool) {
    let style = element.style();
    let heavy = [
        "font-weight:bold",
        "font-weight:600",
        "font-weight:700",
        "font-weight:800",
    ]
    .iter()
    .any(|s| style.contains(s))
        || style.contains("font-weight:900");
    let light = style.contains("font-weight:normal") || style.contains("font-weight:400");
    let google_wrapper = element
        .attribute("id")
        .is_some_and(|id| id.starts_with("docs-internal-guid"));
    let bold =
        heavy || (matches!(element.name.as_str(), "b" | "strong") && !light && !google_wrapper);
    let italic = style.contains("font-style:italic") || matches!(element.name.as_str(), "i" | "em");
    (bold, italic)
}

#[derive(Default)]
struct Writer {
    /// Emphasis already open around the current text: nested ones add no marks.
    bold: bool,
    italic: bool,
}

impl Writer {
    /// Block-level content as Markdown blocks; runs of inline content become paragraphs.
    fn blocks(&mut self, nodes: &[Node]) -> Vec<String> {
        let mut blocks = Vec::new();
        let mut inline: Vec<&Node> = Vec::new();
        for node in nodes {
            if is_block(node) {
                self.paragraph(&inline, &mut blocks);
                inline.clear();
                if let Node::Element(element) = node {
                    blocks.extend(self.block(element));
                }
            } else {
                inline.push(node);
            }
        }
        self.paragraph(&inline, &mut blocks);
        blocks
    }

    fn paragraph(&mut self, nodes: &[&Node], blocks: &mut Vec<String>) {
        if let Some(url) = lone_address(nodes) {
            // Left as typed: an address alone on its line is an embed (a video, a chart).
            blocks.push(url);
            return;
        }
        let text = self.inline_of(nodes.iter().copied());
        let text = escape_line_starts(without_outer_breaks(&text));
        if !text.is_empty() {
            blocks.push(text);
        }
    }

    fn block(&mut self, element: &Element) -> Vec<String> {
        match element.name.as_str() {
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                let level: usize = element.name[1..].parse().unwrap_or(2);
                let text = self.inline_of(element.children.iter()).replace("\\\n", " ");
                let text = text.trim();
                if text.is_empty() {
                    Vec::new()
                } else {
                    vec![format!(
                        "{} {}",
                        "#".repeat(level),
                        escape_line_starts(text)
                    )]
                }
            }
            "hr" => vec!["---".to_owned()],
            "pre" => vec![code_block(element)],
            "blockquote" => {
                let inner = self.blocks(&element.children).join("\n\n");
                if inner.is_empty() {
                    return Vec::new();
                }
                vec![prefix_lines(&inner, "> ", ">")]
            }
            "ul" | "ol" => self.list(element),
            "table" => vec![self.table(element)],
            "li" => self.list(&Element {
                name: "ul".to_owned(),
                attributes: Vec::new(),
                children: vec![Node::Element(element.clone())],
            }),
            _ => self.blocks(&element.children),
        }
    }

    fn list(&mut self, list: &Element) -> Vec<String> {
        let ordered = list.name == "ol";
        let mut number: u64 = list
            .attribute("start")
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(1);
        let mut items = Vec::new();
        let mut loose = false;
        for child in &list.children {
            let Node::Element(item) = child else { continue };
            if item.name != "li" {
                items.extend(self.block(item));
                continue;
            }
            let marker = if ordered {
                format!("{number}. ")
            } else {
                "- ".to_owned()
            };
            number += 1;
            // One paragraph in an item (as Google Docs writes every item) is a tight item.
            let has_paragraphs = item
                .children
                .iter()
                .filter(|c| matches!(c, Node::Element(e) if e.name == "p"))
                .count()
                > 1;
            loose |= has_paragraphs;
            let blocks = self.blocks(&item.children);
            let body = blocks.join(if has_paragraphs { "\n\n" } else { "\n" });
            let indent = " ".repeat(marker.len());
            let indented = prefix_lines(&body, &indent, "");
            items.push(format!(
                "{marker}{}",
                &indented[indent.len().min(indented.len())..]
            ));
        }
        if items.is_empty() {
            return Vec::new();
        }
        vec![items.join(if loose { "\n\n" } else { "\n" })]
    }

    fn table(&mut self, table: &Element) -> String {
        let mut rows: Vec<Vec<String>> = Vec::new();
        collect_rows(table, &mut |row: &Element| {
            let cells = row
                .children
                .iter()
                .filter_map(|c| match c {
                    Node::Element(cell) if cell.name == "td" || cell.name == "th" => Some(cell),
                    _ => None,
                })
                .map(|cell| {
                    // The cell's text has its pipes escaped already.
                    self.blocks(&cell.children).join(" ").replace('\n', " ")
                })
                .collect::<Vec<_>>();
            if !cells.is_empty() {
                rows.push(cells);
            }
        });
        let width = rows.iter().map(Vec::len).max().unwrap_or(0);
        let line = |cells: &[String]| {
            let mut cells = cells.to_vec();
            cells.resize(width, String::new());
            format!("| {} |", cells.join(" | "))
        };
        let mut lines = Vec::new();
        if let Some((head, body)) = rows.split_first() {
            lines.push(line(head));
            lines.push(line(&vec!["---".to_owned(); width]));
            lines.extend(body.iter().map(|row| line(row)));
        }
        lines.join("\n")
    }

    fn inline_of<'a>(&mut self, nodes: impl Iterator<Item = &'a Node>) -> String {
        let mut out = String::new();
        for node in nodes {
            let mut piece = String::new();
            self.inline(node, &mut piece);
            append(&mut out, &piece);
        }
        out
    }

    fn inline(&mut self, node: &Node, out: &mut String) {
        let element = match node {
            Node::Text(text) => {
                push_text(out, text);
                return;
            }
            Node::Element(element) => element,
        };
        match element.name.as_str() {
            "br" => {
                trim_end_spaces(out);
                out.push_str("\\\n");
            }
            "img" => {
                let src = element.attribute("src").unwrap_or_default();
                if !src.is_empty() {
                    let alt = escape_text(element.attribute("alt").unwrap_or_default());
                    out.push_str(&format!("![{alt}]({})", destination(src)));
                }
            }
            "code" => {
                let text: String = text_of(element)
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ");
                if !text.is_empty() {
                    out.push_str(&inline_code(&text));
                }
            }
            "a" => {
                let text = self.inline_of(element.children.iter());
                let href = element.attribute("href").unwrap_or_default();
                if href.is_empty() || text.trim().is_empty() {
                    out.push_str(&text);
                    return;
                }
                let title = element
                    .attribute("title")
                    .map(|t| format!(" \"{}\"", t.replace('"', "\\\"")))
                    .unwrap_or_default();
                out.push_str(&format!("[{}]({}{title})", text.trim(), destination(href)));
            }
            "s" | "del" | "strike" => self.wrapped(element, "~~", out),
            _ => {
                let (bold, italic) = emphasis_of(element);
                let marks = match (bold && !self.bold, italic && !self.italic) {
                    (true, true) => "***",
                    (true, false) => "**",
                    (false, true) => "*",
                    (false, false) => "",
                };
                let (was_bold, was_italic) = (self.bold, self.italic);
                self.bold |= bold;
                self.italic |= italic;
                self.wrapped(element, marks, out);
                (self.bold, self.italic) = (was_bold, was_italic);
            }
        }
    }

    /// The element's inline content between `marks`, with spaces at its edges moved outside
    /// (CommonMark's emphasis may not start or end with a space), and nothing when empty.
    fn wrapped(&mut self, element: &Element, marks: &str, out: &mut String) {
        let inner = self.inline_of(element.children.iter());
        if marks.is_empty() {
            append(out, &inner);
            return;
        }
        let trimmed = inner.trim();
        if trimmed.is_empty() {
            append(out, if inner.is_empty() { "" } else { " " });
            return;
        }
        if inner.starts_with(' ') {
            append(out, " ");
        }
        out.push_str(&format!("{marks}{trimmed}{marks}"));
        if inner.ends_with(' ') {
            out.push(' ');
        }
    }
}

/// The web address a paragraph holds and nothing else (as text, or as a link showing it).
fn lone_address(nodes: &[&Node]) -> Option<String> {
    let mut text = String::new();
    for node in nodes {
        match node {
            Node::Text(t) => text.push_str(t),
            Node::Element(a) if a.name == "a" && a.attribute("href") == Some(text_of(a).trim()) => {
                text.push_str(&text_of(a));
            }
            Node::Element(_) => return None,
        }
    }
    let text = text.trim();
    let is_address = (text.starts_with("https://") || text.starts_with("http://"))
        && !text.contains(char::is_whitespace);
    is_address.then(|| text.to_owned())
}

/// A paragraph's text without the line breaks at its edges, which Markdown cannot hold.
fn without_outer_breaks(text: &str) -> &str {
    let mut text = text.trim();
    loop {
        let trailing = text.len() - text.trim_end_matches('\\').len();
        if let Some(rest) = text.strip_prefix("\\\n") {
            text = rest.trim();
        } else if trailing % 2 == 1 {
            text = text[..text.len() - 1].trim();
        } else {
            return text;
        }
    }
}

fn collect_rows(element: &Element, found: &mut impl FnMut(&Element)) {
    for child in &element.children {
        if let Node::Element(e) = child {
            if e.name == "tr" {
                found(e);
            } else if matches!(e.name.as_str(), "thead" | "tbody" | "tfoot") {
                collect_rows(e, found);
            }
        }
    }
}

/// All the text inside `element`, as it is (for code).
fn text_of(element: &Element) -> String {
    let mut text = String::new();
    for child in &element.children {
        match child {
            Node::Text(t) => text.push_str(t),
            Node::Element(e) if e.name == "br" => text.push('\n'),
            Node::Element(e) => text.push_str(&text_of(e)),
        }
    }
    text
}

/// A link or image address as Markdown accepts it.
fn destination(url: &str) -> String {
    url.trim()
        .replace(' ', "%20")
        .replace('(', "%28")
        .replace(')', "%29")
        .replace('<', "%3C")
        .replace('>', "%3E")
}

/// Appends text with HTML's whitespace collapsed and Markdown's punctuation escaped.
fn push_text(out: &mut String, text: &str) {
    let mut collapsed = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_whitespace() {
            if !collapsed.ends_with(' ') {
                collapsed.push(' ');
            }
        } else {
            collapsed.push(c);
        }
    }
    append(out, &escape_text(&collapsed));
}

/// Appends `piece`, leaving out its first space where `out` already ends with one (HTML
/// shows one space for two).
fn append(out: &mut String, piece: &str) {
    let piece = if out.ends_with(' ') || out.ends_with('\n') {
        piece.strip_prefix(' ').unwrap_or(piece)
    } else {
        piece
    };
    out.push_str(piece);
}

fn trim_end_spaces(out: &mut String) {
    while out.ends_with(' ') {
        out.pop();
    }
}

/// `text` with `prefix` before each line (`empty` before empty ones).
fn prefix_lines(text: &str, prefix: &str, empty: &str) -> String {
    text.split('\n')
        .map(|line| {
            if line.is_empty() {
                empty.to_owned()
            } else {
                format!("{prefix}{line}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests;
