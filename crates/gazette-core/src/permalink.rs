//! Article permalinks written with WordPress's structure tags, such as
//! `/%year%/%monthnum%/%day%/%postname%/`, so migrated journals keep their URLs.
//!
//! A pattern renders an article's URL and matches a request path back to the parts it names;
//! the caller then finds the article those parts identify.

use jiff::civil::DateTime;
use serde::{Deserialize, Serialize};

use crate::LegacySlug;

/// The pattern a new journal starts with (WordPress's "Day and name").
pub const DEFAULT_PATTERN: &str = "/%year%/%monthnum%/%day%/%postname%/";

/// Longest path we try to match; longer ones cannot be article URLs.
const MAX_MATCH_LEN: usize = 2048;

/// One structure tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tag {
    Year,
    Month,
    Day,
    Hour,
    Minute,
    Second,
    PostId,
    PostName,
    Category,
    Author,
}

impl Tag {
    const ALL: [(Tag, &'static str); 10] = [
        (Tag::Year, "year"),
        (Tag::Month, "monthnum"),
        (Tag::Day, "day"),
        (Tag::Hour, "hour"),
        (Tag::Minute, "minute"),
        (Tag::Second, "second"),
        (Tag::PostId, "post_id"),
        (Tag::PostName, "postname"),
        (Tag::Category, "category"),
        (Tag::Author, "author"),
    ];

    fn from_name(name: &str) -> Option<Tag> {
        Self::ALL
            .iter()
            .find(|(_, n)| *n == name)
            .map(|(tag, _)| *tag)
    }

    /// The exact number of digits a date tag always has; None for variable-length tags.
    fn fixed_width(self) -> Option<usize> {
        match self {
            Tag::Year => Some(4),
            Tag::Month | Tag::Day | Tag::Hour | Tag::Minute | Tag::Second => Some(2),
            Tag::PostId | Tag::PostName | Tag::Category | Tag::Author => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Literal(String),
    Tag(Tag),
}

/// Why a permalink pattern was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PermalinkError {
    #[error("a permalink pattern starts with '/', like /%year%/%monthnum%/%postname%/")]
    NotAbsolute,
    #[error(
        "unknown structure tag %{0}%; known tags: %year% %monthnum% %day% %hour% %minute% %second% %post_id% %postname% %category% %author%"
    )]
    UnknownTag(String),
    #[error("an unclosed '%' in the pattern: structure tags look like %postname%")]
    UnclosedTag,
    #[error("the pattern cannot identify an article: include %postname% or %post_id%")]
    CannotIdentify,
    #[error("%{0}% appears twice in the pattern")]
    RepeatedTag(&'static str),
    #[error("two tags of variable length must be separated by text such as '/' or '-'")]
    Ambiguous,
    #[error("the pattern contains characters not allowed in a URL path: {0:?}")]
    InvalidCharacter(char),
    #[error(
        "the pattern has an empty, '.' or '..' segment (as in '//'), which browsers read as another address"
    )]
    EmptySegment,
}

/// A parsed permalink pattern.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PermalinkPattern {
    source: String,
    parts: Vec<Part>,
}

/// What `render` needs to know about an article.
#[derive(Debug, Clone, Copy)]
pub struct PermalinkFields<'a> {
    pub id: i64,
    pub slug: &'a str,
    /// Publication time in the journal's time zone.
    pub published: DateTime,
    /// The primary section's path of slugs, outermost first (`world/europe`).
    pub category_path: &'a str,
    /// The lead author's slug.
    pub author_slug: &'a str,
}

/// The parts a path carried, for the caller to look the article up (and to check that the
/// article's real URL is this one, redirecting otherwise).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PermalinkMatch {
    pub year: Option<i16>,
    pub month: Option<i8>,
    pub day: Option<i8>,
    pub hour: Option<i8>,
    pub minute: Option<i8>,
    pub second: Option<i8>,
    pub post_id: Option<i64>,
    pub postname: Option<LegacySlug>,
    /// Percent-decoded section slugs, outermost first.
    pub category: Option<Vec<String>>,
    pub author: Option<String>,
}

impl PermalinkPattern {
    pub fn parse(input: &str) -> Result<Self, PermalinkError> {
        let source = input.trim().to_owned();
        if !source.starts_with('/') {
            return Err(PermalinkError::NotAbsolute);
        }
        if let Some(bad) = source
            .chars()
            .find(|c| c.is_whitespace() || c.is_control() || "?#\"<>\\".contains(*c))
        {
            return Err(PermalinkError::InvalidCharacter(bad));
        }
        if source.contains("//") || source.split('/').any(|s| matches!(s, "." | "..")) {
            return Err(PermalinkError::EmptySegment);
        }
        let parts = split_parts(&source)?;
        check_parts(&parts)?;
        Ok(Self { source, parts })
    }

    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// Whether the pattern's URLs depend on the primary section (a section move changes them).
    pub fn uses_category(&self) -> bool {
        self.parts.contains(&Part::Tag(Tag::Category))
    }

    /// The URL path of an article. Slugs and section paths are percent-encoded where needed.
    pub fn render(&self, fields: &PermalinkFields<'_>) -> String {
        let mut out = String::with_capacity(self.source.len() + fields.slug.len() + 16);
        for part in &self.parts {
            match part {
                Part::Literal(text) => out.push_str(text),
                Part::Tag(tag) => render_tag(&mut out, *tag, fields),
            }
        }
        out
    }

    /// Matches a raw (percent-encoded) request path. Trailing slashes must match the pattern
    /// exactly; the router decides whether to redirect the other form.
    pub fn matches(&self, path: &str) -> Option<PermalinkMatch> {
        if path.len() > MAX_MATCH_LEN {
            return None;
        }
        let mut found = PermalinkMatch::default();
        match_parts(&self.parts, path, &mut found).then_some(found)
    }
}

fn split_parts(source: &str) -> Result<Vec<Part>, PermalinkError> {
    let mut parts = Vec::new();
    let mut rest = source;
    while let Some(start) = rest.find('%') {
        if start > 0 {
            parts.push(Part::Literal(rest[..start].to_owned()));
        }
        let after = &rest[start + 1..];
        let end = after.find('%').ok_or(PermalinkError::UnclosedTag)?;
        let name = &after[..end];
        let tag =
            Tag::from_name(name).ok_or_else(|| PermalinkError::UnknownTag(name.to_owned()))?;
        parts.push(Part::Tag(tag));
        rest = &after[end + 1..];
    }
    if !rest.is_empty() {
        parts.push(Part::Literal(rest.to_owned()));
    }
    Ok(parts)
}

fn check_parts(parts: &[Part]) -> Result<(), PermalinkError> {
    let tags: Vec<Tag> = parts
        .iter()
        .filter_map(|part| match part {
            Part::Tag(tag) => Some(*tag),
            Part::Literal(_) => None,
        })
        .collect();
    for (tag, name) in Tag::ALL {
        if tags.iter().filter(|t| **t == tag).count() > 1 {
            return Err(PermalinkError::RepeatedTag(name));
        }
    }
    if !tags.contains(&Tag::PostName) && !tags.contains(&Tag::PostId) {
        return Err(PermalinkError::CannotIdentify);
    }
    let variable_next_to_tag = parts
        .windows(2)
        .any(|pair| matches!(pair, [Part::Tag(a), Part::Tag(_)] if a.fixed_width().is_none()));
    if variable_next_to_tag {
        return Err(PermalinkError::Ambiguous);
    }
    Ok(())
}

/// The `%author%` of an article nobody signed.
const NO_AUTHOR: &str = "anonymous";

fn render_tag(out: &mut String, tag: Tag, fields: &PermalinkFields<'_>) {
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

/// Matches `parts` against the whole of `path`, recording values; backtracks over where each
/// variable-length tag ends (patterns are short and paths bounded, so this stays cheap).
fn match_parts(parts: &[Part], path: &str, found: &mut PermalinkMatch) -> bool {
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

impl Default for PermalinkPattern {
    fn default() -> Self {
        // The default pattern is a constant that the tests prove valid.
        Self::parse(DEFAULT_PATTERN).unwrap_or_else(|_| Self {
            source: DEFAULT_PATTERN.to_owned(),
            parts: vec![Part::Tag(Tag::PostName)],
        })
    }
}

impl TryFrom<String> for PermalinkPattern {
    type Error = PermalinkError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<PermalinkPattern> for String {
    fn from(pattern: PermalinkPattern) -> Self {
        pattern.source
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn fields<'a>(slug: &'a str, category: &'a str) -> PermalinkFields<'a> {
        PermalinkFields {
            id: 42,
            slug,
            published: "2026-03-07T09:05:01".parse().unwrap(),
            category_path: category,
            author_slug: "jane-doe",
        }
    }

    #[test]
    fn default_pattern_renders_and_matches() {
        let pattern = PermalinkPattern::default();
        assert_eq!(pattern.as_str(), DEFAULT_PATTERN);
        let url = pattern.render(&fields("budget-vote", ""));
        assert_eq!(url, "/2026/03/07/budget-vote/");
        let found = pattern.matches(&url).unwrap();
        assert_eq!(
            (found.year, found.month, found.day),
            (Some(2026), Some(3), Some(7))
        );
        assert_eq!(found.postname.unwrap().as_str(), "budget-vote");
        assert!(pattern.matches("/2026/03/07/budget-vote").is_none());
        assert!(pattern.matches("/2026/13/07/budget-vote/").is_none());
        assert!(pattern.matches("/2026/03/07/a/b/").is_none());
        assert!(pattern.matches("/about/").is_none());
    }

    #[test]
    fn every_wordpress_tag_renders() {
        let pattern = PermalinkPattern::parse(
            "/%category%/%author%/%year%%monthnum%%day%-%hour%%minute%%second%/%post_id%-%postname%.html",
        )
        .unwrap();
        let url = pattern.render(&fields("été", "world/europe"));
        assert_eq!(
            url,
            "/world/europe/jane-doe/20260307-090501/42-%C3%A9t%C3%A9.html"
        );
        let found = pattern.matches(&url).unwrap();
        assert_eq!(found.category.unwrap(), vec!["world", "europe"]);
        assert_eq!(found.author.as_deref(), Some("jane-doe"));
        assert_eq!(found.post_id, Some(42));
        assert_eq!(found.postname.unwrap().as_str(), "été");
        assert_eq!(
            (found.hour, found.minute, found.second),
            (Some(9), Some(5), Some(1))
        );
    }

    #[test]
    fn post_id_patterns_match_numbers_only() {
        let pattern = PermalinkPattern::parse("/archives/%post_id%").unwrap();
        assert_eq!(pattern.render(&fields("x", "")), "/archives/42");
        assert_eq!(pattern.matches("/archives/42").unwrap().post_id, Some(42));
        assert!(pattern.matches("/archives/4x2").is_none());
        assert!(pattern.matches("/archives/0").is_none());
        assert!(
            pattern
                .matches("/archives/99999999999999999999999")
                .is_none()
        );
    }

    #[test]
    fn articles_without_a_byline_never_start_with_two_slashes() {
        let pattern = PermalinkPattern::parse("/%author%/%postname%/").unwrap();
        let unsigned = PermalinkFields {
            author_slug: "",
            ..fields("a", "")
        };
        assert_eq!(pattern.render(&unsigned), "/anonymous/a/");
    }

    #[test]
    fn articles_without_a_section_get_wordpress_placeholder() {
        let pattern = PermalinkPattern::parse("/%category%/%postname%/").unwrap();
        assert_eq!(pattern.render(&fields("a", "")), "/uncategorized/a/");
        assert!(pattern.uses_category());
    }

    #[test]
    fn bad_patterns_are_refused_with_reasons() {
        use PermalinkError::*;
        let cases: [(&str, PermalinkError); 11] = [
            ("%postname%", NotAbsolute),
            ("/%year%/%monthnum%/", CannotIdentify),
            ("/%title%/", UnknownTag("title".into())),
            ("/%postname", UnclosedTag),
            ("/%postname%/%postname%/", RepeatedTag("postname")),
            ("/%postname%%post_id%/", Ambiguous),
            ("/%category%%postname%/", Ambiguous),
            ("/news?id=%post_id%", InvalidCharacter('?')),
            ("//evil.example/%postname%/", EmptySegment),
            ("/news//%postname%/", EmptySegment),
            ("/x/../%postname%/", EmptySegment),
        ];
        for (input, expected) in cases {
            assert_eq!(PermalinkPattern::parse(input), Err(expected), "{input}");
        }
    }

    proptest! {
        #[test]
        fn rendered_urls_match_back(
            slug in "[a-z0-9\u{e9}\u{436}]{1,8}(-[a-z0-9]{1,8}){0,3}",
            id in 1i64..1_000_000,
            year in 1990i16..2100, month in 1i8..=12, day in 1i8..=28,
            category in "[a-z]{1,6}(/[a-z]{1,6}){0,2}",
            pattern in prop::sample::select(vec![
                "/%year%/%monthnum%/%day%/%postname%/",
                "/%postname%/",
                "/%category%/%postname%/",
                "/archives/%post_id%",
                "/%year%/%post_id%-%postname%/",
                "/%author%/%category%/%postname%.html",
            ]),
        ) {
            let pattern = PermalinkPattern::parse(pattern).unwrap();
            let published = jiff::civil::date(year, month, day).at(12, 0, 0, 0);
            let fields = PermalinkFields { id, slug: &slug, published, category_path: &category, author_slug: "ann" };
            let url = pattern.render(&fields);
            let found = pattern.matches(&url).unwrap();
            if let Some(name) = found.postname { prop_assert_eq!(name.as_str(), slug.as_str()); }
            if let Some(found_id) = found.post_id { prop_assert_eq!(found_id, id); }
            if let Some(found_year) = found.year { prop_assert_eq!(found_year, year); }
            if let Some(sections) = found.category { prop_assert_eq!(sections.join("/"), category); }
        }

        #[test]
        fn matching_never_panics(path in "\\PC{0,80}") {
            for pattern in [DEFAULT_PATTERN, "/%category%/%postname%/", "/%post_id%/"] {
                let _ = PermalinkPattern::parse(pattern).unwrap().matches(&path);
            }
        }
    }
}
