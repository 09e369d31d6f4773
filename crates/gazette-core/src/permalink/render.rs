//! A pattern's structure tags filled in from an article, percent-encoded where a path
//! segment needs it.

use super::{PermalinkFields, Tag};
use crate::digits::push_padded;

/// The `%author%` of an article nobody signed.
const NO_AUTHOR: &str = "anonymous";

pub(super) fn render_tag(out: &mut String, tag: Tag, fields: &PermalinkFields<'_>) {
    let date = fields.published;
    match tag {
        Tag::Year => push_padded(out, i64::from(date.year()), 4),
        Tag::Month => push_padded(out, i64::from(date.month()), 2),
        Tag::Day => push_padded(out, i64::from(date.day()), 2),
        Tag::Hour => push_padded(out, i64::from(date.hour()), 2),
        Tag::Minute => push_padded(out, i64::from(date.minute()), 2),
        Tag::Second => push_padded(out, i64::from(date.second()), 2),
        Tag::PostId => push_padded(out, fields.id, 1),
        Tag::PostName => out.push_str(&encode_segment(fields.slug)),
        Tag::Category => {
            let encoded: Vec<String> = fields
                .category_path
                .split('/')
                .filter(|s| !s.is_empty())
                .map(encode_segment)
                .collect();
            if encoded.is_empty() {
                out.push_str("uncategorized");
            } else {
                out.push_str(&encoded.join("/"));
            }
        }
        // An article without a byline (an import can make one) still gets a segment here:
        // an empty one would start the path with `//`, which browsers read as a host.
        Tag::Author if fields.author_slug.is_empty() => out.push_str(NO_AUTHOR),
        Tag::Author => out.push_str(&encode_segment(fields.author_slug)),
    }
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
