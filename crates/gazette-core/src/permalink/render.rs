//! A pattern's structure tags filled in from an article, percent-encoded where a path
//! segment needs it.

use super::{PermalinkFields, Tag};

/// The `%author%` of an article nobody signed.
const NO_AUTHOR: &str = "anonymous";

pub(super) fn render_tag(out: &mut String, tag: Tag, fields: &PermalinkFields<'_>) {
    use std::fmt::Write as _;
    let date = fields.published;
    // Writing to a String cannot fail.
    let _ = match tag {
        Tag::Year => write!(out, "{:04}", date.year()),
        Tag::Month => write!(out, "{:02}", date.month()),
        Tag::Day => write!(out, "{:02}", date.day()),
        Tag::Hour => write!(out, "{:02}", date.hour()),
        Tag::Minute => write!(out, "{:02}", date.minute()),
        Tag::Second => write!(out, "{:02}", date.second()),
        Tag::PostId => write!(out, "{}", fields.id),
        Tag::PostName => write!(out, "{}", encode_segment(fields.slug)),
        Tag::Category => {
            let encoded: Vec<String> = fields
                .category_path
                .split('/')
                .filter(|s| !s.is_empty())
                .map(encode_segment)
                .collect();
            let path = if encoded.is_empty() {
                "uncategorized".to_owned()
            } else {
                encoded.join("/")
            };
            write!(out, "{path}")
        }
        // An article without a byline (an import can make one) still gets a segment here:
        // an empty one would start the path with `//`, which browsers read as a host.
        Tag::Author if fields.author_slug.is_empty() => write!(out, "{NO_AUTHOR}"),
        Tag::Author => write!(out, "{}", encode_segment(fields.author_slug)),
    };
}

/// Percent-encodes what is not allowed unencoded in a path segment (non-ASCII included).
fn encode_segment(segment: &str) -> String {
    const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~');
    percent_encoding::utf8_percent_encode(segment, SEGMENT).to_string()
}
