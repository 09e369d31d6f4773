//! Article permalinks written with WordPress's structure tags, such as
//! `/%year%/%monthnum%/%day%/%postname%/`, so migrated journals keep their URLs.
//!
//! A pattern renders an article's URL and matches a request path back to the parts it names;
//! the caller then finds the article those parts identify.
//!
//! Here: the pattern, parsed and checked. `render` fills it in for an article; `matching` reads
//! a path back.

mod matching;
mod render;

use jiff::civil::DateTime;
use serde::{Deserialize, Serialize};

use crate::LegacySlug;
use matching::match_parts;
use render::render_tag;

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

    /// Whether the pattern's URLs name the lead author (`%author%`).
    pub fn uses_author(&self) -> bool {
        self.parts.contains(&Part::Tag(Tag::Author))
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
mod tests;
