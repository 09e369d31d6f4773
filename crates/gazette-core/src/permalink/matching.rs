//! A request path matched against a pattern's parts, backtracking over where each
//! variable-length tag ends, and the values it carried checked and decoded.

use super::{Part, PermalinkMatch, Tag};
use crate::LegacySlug;

/// Matches `parts` against the whole of `path`, recording values; backtracks over where each
/// variable-length tag ends (patterns are short and paths bounded, so this stays cheap).
pub(super) fn match_parts(parts: &[Part], path: &str, found: &mut PermalinkMatch) -> bool {
    let Some((first, rest)) = parts.split_first() else {
        return path.is_empty();
    };
    match first {
        Part::Literal(text) => path
            .strip_prefix(text.as_str())
            .is_some_and(|remaining| match_parts(rest, remaining, found)),
        Part::Tag(tag) => match tag.fixed_width() {
            Some(width) => {
                let Some(digits) = path.get(..width) else {
                    return false;
                };
                record_fixed(*tag, digits, found) && match_parts(rest, &path[width..], found)
            }
            None => (1..=path.len())
                .rev()
                .filter(|end| path.is_char_boundary(*end))
                .any(|end| {
                    let mut attempt = found.clone();
                    if record_variable(*tag, &path[..end], &mut attempt)
                        && match_parts(rest, &path[end..], &mut attempt)
                    {
                        *found = attempt;
                        true
                    } else {
                        false
                    }
                }),
        },
    }
}

fn record_fixed(tag: Tag, digits: &str, found: &mut PermalinkMatch) -> bool {
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let Ok(value) = digits.parse::<i16>() else {
        return false;
    };
    let small = || i8::try_from(value).ok();
    match tag {
        Tag::Year => found.year = (1..=9999).contains(&value).then_some(value),
        Tag::Month => found.month = small().filter(|m| (1..=12).contains(m)),
        Tag::Day => found.day = small().filter(|d| (1..=31).contains(d)),
        Tag::Hour => found.hour = small().filter(|h| (0..=23).contains(h)),
        Tag::Minute => found.minute = small().filter(|m| (0..=59).contains(m)),
        Tag::Second => found.second = small().filter(|s| (0..=59).contains(s)),
        _ => return false,
    }
    match tag {
        Tag::Year => found.year.is_some(),
        Tag::Month => found.month.is_some(),
        Tag::Day => found.day.is_some(),
        Tag::Hour => found.hour.is_some(),
        Tag::Minute => found.minute.is_some(),
        _ => found.second.is_some(),
    }
}

fn record_variable(tag: Tag, value: &str, found: &mut PermalinkMatch) -> bool {
    let spans_segments = tag == Tag::Category;
    if value.is_empty() || (!spans_segments && value.contains('/')) {
        return false;
    }
    match tag {
        Tag::PostId => match value.parse::<i64>() {
            Ok(id) if id > 0 && value.bytes().all(|b| b.is_ascii_digit()) => {
                found.post_id = Some(id)
            }
            _ => return false,
        },
        Tag::PostName => match LegacySlug::parse(value) {
            Ok(slug) => found.postname = Some(slug),
            Err(_) => return false,
        },
        Tag::Category => {
            let decoded: Option<Vec<String>> = value.split('/').map(decode_segment).collect();
            match decoded {
                Some(segments) => found.category = Some(segments),
                None => return false,
            }
        }
        Tag::Author => match decode_segment(value) {
            Some(author) => found.author = Some(author),
            None => return false,
        },
        _ => return false,
    }
    true
}

fn decode_segment(segment: &str) -> Option<String> {
    if segment.is_empty() {
        return None;
    }
    percent_encoding::percent_decode_str(segment)
        .decode_utf8()
        .ok()
        .map(|s| s.to_lowercase())
        .filter(|s| !s.contains('/'))
}
