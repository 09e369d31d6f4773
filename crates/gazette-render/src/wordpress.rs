//! WordPress post content as WordPress shows it: the conversion an import applies once, so
//! that an imported article reads exactly as it did.
//!
//! Classic-editor content gets automatic paragraphs ([`autop`]); block-editor content keeps its
//! HTML and loses the block comments; both get typographic punctuation ([`texturize`]). The
//! core shortcodes become markup, `<!--more-->` ends the teaser and `<!--nextpage-->` joins the
//! pages into one. What could not be converted is reported, never silently dropped.

mod autop;
mod shortcodes;
mod texturize;

use std::collections::BTreeSet;

pub use autop::autop;
pub use shortcodes::{Attachment, MediaLookup};
pub use texturize::texturize;

/// A post's content converted for Gazette, and what the conversion noticed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Converted {
    /// HTML as WordPress would show it (still to be sanitised).
    pub html: String,
    /// The converted text before `<!--more-->`, when the post has one: its teaser.
    pub teaser: Option<String>,
    /// Shortcodes WordPress's core does not define, kept as text.
    pub unknown_shortcodes: BTreeSet<String>,
    /// Dynamic blocks with no saved HTML (`<!-- wp:latest-posts /-->`), which show nothing.
    pub dynamic_blocks: BTreeSet<String>,
    /// Attachment ids a gallery or caption named that the export does not hold.
    pub missing_media: BTreeSet<i64>,
}

/// Converts WordPress post content. `post_id` is the post's WordPress id (galleries without
/// `ids` show the post's own attachments); `media` finds attachments.
pub fn convert(content: &str, post_id: i64, media: &dyn MediaLookup) -> Converted {
    let mut converted = Converted::default();
    let content = iframes_to_embed_links(&content.replace("\r\n", "\n"));
    let blocks = content.contains("<!-- wp:");
    let content = if blocks {
        remove_block_comments(&content, &mut converted.dynamic_blocks)
    } else {
        content
    };
    let content = join_pages(&content);
    let (teaser, content) = split_more(&content);
    let render = |text: &str, converted: &mut Converted| {
        let text = shortcodes::expand(text, post_id, media, converted);
        let text = if blocks { text } else { autop(&text) };
        texturize(&text)
    };
    converted.teaser = teaser.map(|t| render(&t, &mut converted));
    converted.html = render(&content, &mut converted);
    converted
}

/// Removes `<!-- wp:… -->` and `<!-- /wp:… -->`; a self-closing `<!-- wp:name /-->` is a
/// dynamic block without saved HTML and is listed.
fn remove_block_comments(content: &str, dynamic: &mut BTreeSet<String>) -> String {
    let mut out = String::with_capacity(content.len());
    let mut rest = content;
    while let Some(start) = rest.find("<!--") {
        let after = &rest[start + 4..];
        let Some(end) = after.find("-->") else {
            break;
        };
        let inner = after[..end].trim();
        let block = inner
            .strip_prefix("wp:")
            .or_else(|| inner.strip_prefix("/wp:"));
        out.push_str(&rest[..start]);
        match block {
            Some(block) => {
                if inner.ends_with('/') && !inner.starts_with('/') {
                    let name = block.split_whitespace().next().unwrap_or(block);
                    dynamic.insert(name.trim_end_matches('/').to_owned());
                }
            }
            None => out.push_str(&rest[start..start + 4 + end + 3]),
        }
        rest = &after[end + 3..];
    }
    out.push_str(rest);
    out
}

/// `<!--nextpage-->` splits a post into pages on WordPress; Gazette shows them as one.
fn join_pages(content: &str) -> String {
    content
        .replace("<p><!--nextpage--></p>", "\n\n")
        .replace("<!--nextpage-->", "\n\n")
}

/// The text before `<!--more-->` (or `<!--more Read on-->`), and the content without the
/// marker.
fn split_more(content: &str) -> (Option<String>, String) {
    let Some(start) = content.find("<!--more") else {
        return (None, content.to_owned());
    };
    let Some(length) = content[start..].find("-->") else {
        return (None, content.to_owned());
    };
    let end = start + length + 3;
    let teaser = content[..start].trim_end().to_owned();
    let mut body = String::with_capacity(content.len());
    body.push_str(&content[..start]);
    body.push_str(&content[end..]);
    ((!teaser.trim().is_empty()).then_some(teaser), body)
}

/// `<iframe src="…">` from a provider on the embed allow-list (YouTube's, Vimeo's player…)
/// becomes its address on a line of its own, which Gazette shows as that provider's embed.
/// Other iframes stay, for the sanitiser to remove and the report to list.
fn iframes_to_embed_links(content: &str) -> String {
    let lower = content.to_ascii_lowercase();
    let mut out = String::with_capacity(content.len());
    let mut at = 0;
    while let Some(found) = lower[at..].find("<iframe") {
        let start = at + found;
        out.push_str(&content[at..start]);
        let Some(open_len) = content[start..].find('>') else {
            at = start;
            break;
        };
        let open_end = start + open_len + 1;
        let end = lower[open_end..]
            .find("</iframe>")
            .map_or(open_end, |i| open_end + i + "</iframe>".len());
        let inner = content[start + "<iframe".len()..open_end - 1].trim_end_matches('/');
        let src = shortcodes::parse_attributes(inner)
            .remove("src")
            .map(|src| {
                if src.starts_with("//") {
                    format!("https:{src}")
                } else {
                    src
                }
            });
        match src.filter(|src| gazette_core::embed::Embed::from_link(src).is_some()) {
            Some(link) => {
                out.push_str("\n\n");
                out.push_str(&link);
                out.push_str("\n\n");
            }
            None => out.push_str(&content[start..end]),
        }
        at = end;
    }
    out.push_str(&content[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    struct NoMedia;
    impl MediaLookup for NoMedia {
        fn attachment(&self, _id: i64) -> Option<Attachment> {
            None
        }
        fn children(&self, _post_id: i64) -> Vec<Attachment> {
            Vec::new()
        }
    }

    #[test]
    fn classic_content_gets_paragraphs_and_typography() {
        let converted = convert("It's \"here\"\n\nSecond", 1, &NoMedia);
        assert_eq!(converted.html, "<p>It’s “here”</p>\n<p>Second</p>\n");
    }

    #[test]
    fn block_comments_go_and_their_html_stays() {
        let converted = convert(
            "<!-- wp:paragraph -->\n<p>One</p>\n<!-- /wp:paragraph -->\n<!-- wp:latest-posts /-->",
            1,
            &NoMedia,
        );
        assert_eq!(converted.html.trim(), "<p>One</p>");
        assert!(converted.dynamic_blocks.contains("latest-posts"));
    }

    #[test]
    fn more_ends_the_teaser_and_pages_are_joined() {
        let converted = convert(
            "Lead\n<!--more-->\nRest<!--nextpage-->Page two",
            1,
            &NoMedia,
        );
        assert_eq!(converted.teaser.as_deref(), Some("<p>Lead</p>\n"));
        assert!(converted.html.contains("Rest"));
        assert!(converted.html.contains("<p>Page two</p>"));
        assert!(!converted.html.contains("<!--"));
    }

    #[test]
    fn allow_listed_iframes_become_embed_links() {
        let content = "Before\n<iframe width=\"560\" src=\"//www.youtube.com/embed/dQw4w9WgXcQ\" allowfullscreen></iframe>\nAfter <IFRAME src=\"https://evil.example/x\"></IFRAME>";
        let converted = iframes_to_embed_links(content);
        assert_eq!(
            converted,
            "Before\n\n\nhttps://www.youtube.com/embed/dQw4w9WgXcQ\n\n\nAfter <IFRAME src=\"https://evil.example/x\"></IFRAME>"
        );
        let html = super::convert(content, 1, &NoMedia).html;
        let shown = crate::render_body(gazette_core::BodyFormat::Html, &html);
        assert!(
            shown
                .as_str()
                .contains("youtube-nocookie.com/embed/dQw4w9WgXcQ"),
            "{}",
            shown.as_str()
        );
        assert!(
            !shown.as_str().contains("evil.example"),
            "{}",
            shown.as_str()
        );
    }
}
