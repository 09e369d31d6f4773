//! A small element tree of cleaned HTML: what the Markdown writer walks.
//!
//! The input is ammonia's output, serialised from a DOM, so every element that is not void is
//! closed: a stack of open elements over html5ever's tokens rebuilds the tree exactly.

use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

/// A node of the tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Node {
    Element(Element),
    Text(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(super) struct Element {
    pub(super) name: String,
    pub(super) attributes: Vec<(String, String)>,
    pub(super) children: Vec<Node>,
}

impl Element {
    pub(super) fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, value)| value.as_str())
    }

    /// The declarations of its `style` attribute, lower-cased, without spaces.
    pub(super) fn style(&self) -> String {
        self.attribute("style")
            .unwrap_or_default()
            .to_ascii_lowercase()
            .replace(char::is_whitespace, "")
    }
}

const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

/// The tree of `html` (well-formed: each non-void element closed), under a root element.
pub(super) fn parse(html: &str) -> Element {
    let builder = Builder {
        open: RefCell::new(vec![Element::default()]),
    };
    let tokenizer = Tokenizer::new(builder, TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from(html));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    let mut open = tokenizer.sink.open.into_inner();
    // Anything left open (never, for ammonia's output) is closed at the end.
    while open.len() > 1 {
        close(&mut open);
    }
    open.pop().unwrap_or_default()
}

fn close(open: &mut Vec<Element>) {
    if open.len() > 1
        && let Some(done) = open.pop()
        && let Some(parent) = open.last_mut()
    {
        parent.children.push(Node::Element(done));
    }
}

struct Builder {
    open: RefCell<Vec<Element>>,
}

impl TokenSink for Builder {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut open = self.open.borrow_mut();
        match token {
            Token::TagToken(tag) if tag.kind == TagKind::StartTag => {
                let element = Element {
                    name: tag.name.to_string(),
                    attributes: tag
                        .attrs
                        .iter()
                        .map(|a| (a.name.local.to_string(), a.value.to_string()))
                        .collect(),
                    children: Vec::new(),
                };
                if VOID.contains(&element.name.as_str()) || tag.self_closing {
                    if let Some(parent) = open.last_mut() {
                        parent.children.push(Node::Element(element));
                    }
                } else {
                    open.push(element);
                }
            }
            Token::TagToken(tag) => {
                // Only the innermost open element of that name is closed.
                let name = tag.name.as_ref();
                if let Some(at) = open.iter().rposition(|e| e.name == name)
                    && at > 0
                {
                    while open.len() > at {
                        close(&mut open);
                    }
                }
            }
            Token::CharacterTokens(text) => {
                if let Some(parent) = open.last_mut() {
                    match parent.children.last_mut() {
                        Some(Node::Text(previous)) => previous.push_str(&text),
                        _ => parent.children.push(Node::Text(text.to_string())),
                    }
                }
            }
            _ => {}
        }
        TokenSinkResult::Continue
    }
}
