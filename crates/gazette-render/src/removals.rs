//! What the sanitiser would take out of a body: the list an editor reads beside the "Allow raw
//! HTML" box before deciding to publish a body's HTML as written.
//!
//! The body is tokenised as a browser would (html5ever), and each element and attribute is
//! checked against the same allow-lists [`crate::sanitize_html`] applies. The list advises;
//! the sanitiser itself still decides what a sanitised body holds.

use std::cell::RefCell;
use std::collections::BTreeMap;

use gazette_core::BodyFormat;
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

use crate::sanitize::{allowed_attributes, is_allowed_element, is_dropped_with_content};

/// At most this many kinds of removal are listed; the rest are counted in one line.
const MAX_LISTED: usize = 20;

/// The elements, attributes and comments the sanitiser would remove from `source` (written
/// in `format`), each once with how often it occurs, in the order they first appear.
pub fn sanitiser_removals(format: BodyFormat, source: &str) -> Vec<String> {
    let (source, _embeds) = crate::embeds::lift(source, format == BodyFormat::Html);
    let html = match format {
        BodyFormat::Markdown => crate::markdown::to_html(&source),
        BodyFormat::Html => source,
    };
    let sink = Removals::default();
    let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from(html.as_str()));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.into_lines()
}

/// Removals found so far: a description and its count, in order of first appearance.
#[derive(Debug, Default)]
struct Removals {
    found: RefCell<BTreeMap<String, (usize, usize)>>,
}

impl Removals {
    fn note(&self, what: String) {
        let mut found = self.found.borrow_mut();
        let next = found.len();
        found.entry(what).or_insert((next, 0)).1 += 1;
    }

    fn start_tag(&self, tag: &Tag) {
        let name = tag.name.as_ref();
        if is_dropped_with_content(name) {
            self.note(format!("<{name}> elements, with their content"));
            return;
        }
        if !is_allowed_element(name) {
            self.note(format!("<{name}> elements (their text stays)"));
            return;
        }
        for attribute in &tag.attrs {
            let attribute_name = attribute.name.local.as_ref();
            if !allowed_attributes(name, attribute_name, &attribute.value) {
                self.note(format!("{attribute_name}=\"…\" on <{name}>"));
            }
        }
    }

    fn into_lines(self) -> Vec<String> {
        let mut found: Vec<(String, (usize, usize))> =
            self.found.into_inner().into_iter().collect();
        found.sort_by_key(|(_, (order, _))| *order);
        let mut lines: Vec<String> = found
            .iter()
            .take(MAX_LISTED)
            .map(|(what, (_, count))| format!("{what} ({count})"))
            .collect();
        if found.len() > MAX_LISTED {
            lines.push(format!("… and {} more kinds", found.len() - MAX_LISTED));
        }
        lines
    }
}

impl TokenSink for Removals {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        match token {
            Token::TagToken(tag) if tag.kind == TagKind::StartTag => {
                self.start_tag(&tag);
                // What follows these is text to a browser, never more tags.
                match tag.name.as_ref() {
                    "script" => return TokenSinkResult::RawData(RawKind::ScriptData),
                    "style" | "iframe" | "noembed" | "noframes" | "xmp" | "noscript" => {
                        return TokenSinkResult::RawData(RawKind::Rawtext);
                    }
                    "textarea" | "title" => return TokenSinkResult::RawData(RawKind::Rcdata),
                    "plaintext" => return TokenSinkResult::Plaintext,
                    _ => {}
                }
            }
            Token::CommentToken(_) => self.note("HTML comments".to_owned()),
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn removals(html: &str) -> Vec<String> {
        sanitiser_removals(BodyFormat::Html, html)
    }

    #[test]
    fn what_the_sanitiser_takes_is_listed_once_with_its_count() {
        let found = removals(
            "<p onclick=\"x()\">Hi</p><meta http-equiv=refresh content=\"0;url=https://evil.example\">\
             <script>if (a<b) steal()</script><script src=https://evil.example/x.js></script>\
             <a href=\"javascript:alert(1)\">x</a><a href=\"/ok\">ok</a><!-- note -->\
             <img src=a.jpg onerror=\"x()\">",
        );
        assert_eq!(
            found,
            [
                "onclick=\"…\" on <p> (1)",
                "<meta> elements (their text stays) (1)",
                "<script> elements, with their content (2)",
                "href=\"…\" on <a> (1)",
                "HTML comments (1)",
                "onerror=\"…\" on <img> (1)",
            ],
            "the <b> inside the script is script text, not an element"
        );
    }

    #[test]
    fn a_body_the_sanitiser_keeps_whole_lists_nothing() {
        assert!(
            removals("<p class=\"alignleft\">Text <a href=\"https://x.example/\">link</a></p>")
                .is_empty()
        );
        assert!(
            sanitiser_removals(
                BodyFormat::Markdown,
                "A *quote*\n\n> said\n\n| a |\n|:-:|\n| b |"
            )
            .is_empty()
        );
    }

    #[test]
    fn raw_html_in_markdown_is_found_too() {
        assert_eq!(
            sanitiser_removals(
                BodyFormat::Markdown,
                "Hello <span style=\"color:red\">x</span>"
            ),
            ["style=\"…\" on <span> (1)"]
        );
    }

    #[test]
    fn a_long_list_is_cut() {
        let html: String = (0..30).map(|n| format!("<x-tag{n}></x-tag{n}>")).collect();
        let found = removals(&html);
        assert_eq!(found.len(), MAX_LISTED + 1);
        assert_eq!(
            found.last().map(String::as_str),
            Some("… and 10 more kinds")
        );
    }
}
