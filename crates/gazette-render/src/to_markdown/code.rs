//! Code, inline and in blocks, fenced so that no backtick inside can close it.

use super::text_of;
use super::tree::{Element, Node};

/// A `pre` element as a fenced code block, in the language its `code` names.
pub(super) fn code_block(pre: &Element) -> String {
    let language = pre
        .children
        .iter()
        .find_map(|c| match c {
            Node::Element(code) if code.name == "code" => code.attribute("class"),
            _ => None,
        })
        .and_then(|class| {
            class
                .split_ascii_whitespace()
                .find_map(|c| c.strip_prefix("language-"))
        })
        .unwrap_or_default()
        .to_owned();
    let text = text_of(pre);
    let text = text
        .strip_prefix('\n')
        .unwrap_or(&text)
        .trim_end_matches('\n');
    let fence = "`".repeat(longest_run(text, '`').max(2) + 1);
    format!("{fence}{language}\n{text}\n{fence}")
}

fn longest_run(text: &str, c: char) -> usize {
    let (mut longest, mut current) = (0, 0);
    for ch in text.chars() {
        current = if ch == c { current + 1 } else { 0 };
        longest = longest.max(current);
    }
    longest
}

/// `text` as inline code, with a fence longer than any run of backticks in it.
pub(super) fn inline_code(text: &str) -> String {
    let fence = "`".repeat(longest_run(text, '`') + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}
