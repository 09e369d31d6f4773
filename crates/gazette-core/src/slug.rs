//! Slugs: the readable last part of a URL.
//!
//! [`Slug`] is what Gazette creates and accepts for new content. [`LegacySlug`] holds anything
//! WordPress ever produced and is used only to recognise old URLs.

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

/// The longest slug we create or accept, in characters (WordPress's column is 200 bytes).
pub const MAX_SLUG_CHARS: usize = 200;

/// Length a slug generated from a headline is trimmed to, at a word boundary.
const GENERATED_SLUG_CHARS: usize = 80;

/// First path segments that belong to Gazette's own routes (and WordPress's, for migrated sites),
/// so no page, section or author may take them.
pub const RESERVED_SLUGS: &[&str] = &[
    "admin",
    "assets",
    "author",
    "category",
    "comments",
    "feed",
    "healthz",
    "media",
    "metrics",
    "page",
    "preview",
    "readyz",
    "search",
    "tag",
    "wp-admin",
    "wp-content",
    "wp-includes",
    "wp-json",
    "wp-login",
    "embed",
    "trackback",
    "attachment",
];

/// Why a slug was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SlugError {
    #[error("a slug cannot be empty")]
    Empty,
    #[error("a slug is at most {MAX_SLUG_CHARS} characters long")]
    TooLong,
    #[error(
        "a slug may only contain lowercase letters and digits joined by single hyphens \
         (found {0:?})"
    )]
    InvalidCharacter(char),
    #[error("a slug cannot start or end with a hyphen or contain two hyphens in a row")]
    MisplacedHyphen,
    #[error("a legacy slug cannot contain '/' or be made of invalid percent-encoding")]
    InvalidLegacy,
}

/// A slug for new content: lowercase letters and digits of any script, joined by single hyphens,
/// NFC-normalised. `élection-2027` and `выборы` are slugs; `Hello`, `a--b` and `-a` are not.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Slug(String);

impl Slug {
    /// Accepts a slug as written by an editor, normalising it to NFC.
    pub fn parse(input: &str) -> Result<Self, SlugError> {
        // ASCII is its own NFC form; most slugs are ASCII, and every listing and sitemap
        // parses the slugs it loads (normalising 1,200 took a tenth of a monthly sitemap).
        if input.is_ascii() {
            check_ascii(input)?;
            return Ok(Self(input.to_owned()));
        }
        Self::parse_normalized(input.nfc().collect())
    }

    /// [`Slug::parse`] of text already in NFC.
    fn parse_normalized(normalized: String) -> Result<Self, SlugError> {
        if normalized.is_empty() {
            return Err(SlugError::Empty);
        }
        if normalized.chars().count() > MAX_SLUG_CHARS {
            return Err(SlugError::TooLong);
        }
        let mut previous_was_hyphen = true; // a leading hyphen counts as misplaced
        for c in normalized.chars() {
            if c == '-' {
                if previous_was_hyphen {
                    return Err(SlugError::MisplacedHyphen);
                }
                previous_was_hyphen = true;
            } else if is_slug_char(c) {
                previous_was_hyphen = false;
            } else {
                return Err(SlugError::InvalidCharacter(c));
            }
        }
        if previous_was_hyphen {
            return Err(SlugError::MisplacedHyphen);
        }
        Ok(Self(normalized))
    }

    /// A readable ASCII slug for a headline: "Élection à Zürich : 3 leçons" becomes
    /// `election-a-zurich-3-lecons`. Never fails; a headline with no letters at all gives
    /// `untitled`.
    pub fn from_headline(headline: &str) -> Self {
        let ascii = deunicode::deunicode(headline).to_lowercase();
        let words: Vec<&str> = ascii
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|word| !word.is_empty())
            .collect();
        let mut slug = String::new();
        for word in words {
            let extra = if slug.is_empty() { 0 } else { 1 };
            if !slug.is_empty() && slug.len() + extra + word.len() > GENERATED_SLUG_CHARS {
                break;
            }
            if !slug.is_empty() {
                slug.push('-');
            }
            slug.push_str(word);
        }
        slug.truncate(MAX_SLUG_CHARS);
        let slug = slug.trim_end_matches('-').to_owned();
        if slug.is_empty() {
            return Self("untitled".to_owned());
        }
        Self(slug)
    }

    /// This slug with `-2`, `-3`, … appended, for when the plain one is taken.
    pub fn with_suffix(&self, n: u32) -> Self {
        Self(format!("{}-{n}", self.0))
    }

    /// Whether the slug is a first path segment Gazette keeps for itself.
    pub fn is_reserved(&self) -> bool {
        RESERVED_SLUGS.contains(&self.0.as_str())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// [`Slug::parse`]'s rules for ASCII text, byte by byte, without Unicode tables.
fn check_ascii(input: &str) -> Result<(), SlugError> {
    if input.is_empty() {
        return Err(SlugError::Empty);
    }
    if input.len() > MAX_SLUG_CHARS {
        return Err(SlugError::TooLong);
    }
    let mut previous_was_hyphen = true; // a leading hyphen counts as misplaced
    for byte in input.bytes() {
        match byte {
            b'-' if previous_was_hyphen => return Err(SlugError::MisplacedHyphen),
            b'-' => previous_was_hyphen = true,
            b'a'..=b'z' | b'0'..=b'9' => previous_was_hyphen = false,
            other => return Err(SlugError::InvalidCharacter(char::from(other))),
        }
    }
    if previous_was_hyphen {
        return Err(SlugError::MisplacedHyphen);
    }
    Ok(())
}

fn is_slug_char(c: char) -> bool {
    c.is_alphanumeric() && !c.is_uppercase()
}

impl TryFrom<String> for Slug {
    type Error = SlugError;
    /// [`Slug::parse`], keeping the text without a copy when it is ASCII (as slugs read
    /// back from the store are: a sitemap reads 1,200 of them).
    fn try_from(value: String) -> Result<Self, Self::Error> {
        if value.is_ascii() {
            check_ascii(&value)?;
            return Ok(Self(value));
        }
        Self::parse(&value)
    }
}

impl From<Slug> for String {
    fn from(slug: Slug) -> Self {
        slug.0
    }
}

impl std::fmt::Display for Slug {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Any slug WordPress ever produced (`%e6%97%a5`, `my_post`, `Draft.2`), percent-decoded and
/// NFC-normalised so that the encoded and decoded forms of one URL compare equal.
/// Used only to match old URLs, never to make new ones.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct LegacySlug(String);

impl LegacySlug {
    pub fn parse(input: &str) -> Result<Self, SlugError> {
        let decoded = percent_encoding::percent_decode_str(input)
            .decode_utf8()
            .map_err(|_| SlugError::InvalidLegacy)?;
        let normalized: String = decoded.nfc().collect::<String>().to_lowercase();
        if normalized.is_empty() {
            return Err(SlugError::Empty);
        }
        if normalized.contains('/') || normalized.chars().any(char::is_control) {
            return Err(SlugError::InvalidLegacy);
        }
        Ok(Self(normalized))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<&Slug> for LegacySlug {
    fn from(slug: &Slug) -> Self {
        Self(slug.0.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn an_owned_text_follows_the_same_rules_as_a_borrowed_one() {
        let inputs = [
            "election-2026",
            "",
            "-lead",
            "trail-",
            "two--hyphens",
            "Upper",
            "with space",
            "élection",
            "e\u{301}lection",
        ];
        for input in inputs {
            assert_eq!(
                Slug::try_from(input.to_owned()),
                Slug::parse(input),
                "{input:?}"
            );
        }
        let long = "a".repeat(MAX_SLUG_CHARS + 1);
        assert_eq!(Slug::try_from(long), Err(SlugError::TooLong));
    }

    #[test]
    fn accepts_lowercase_words_of_any_script() {
        for ok in [
            "a",
            "election-2027",
            "élection",
            "выборы-в-москве",
            "日本",
            "42",
        ] {
            assert_eq!(Slug::parse(ok).unwrap().as_str(), ok);
        }
    }

    #[test]
    fn refuses_what_is_not_a_slug() {
        assert_eq!(Slug::parse(""), Err(SlugError::Empty));
        assert_eq!(Slug::parse("Hello"), Err(SlugError::InvalidCharacter('H')));
        assert_eq!(Slug::parse("a b"), Err(SlugError::InvalidCharacter(' ')));
        assert_eq!(Slug::parse("a_b"), Err(SlugError::InvalidCharacter('_')));
        assert_eq!(Slug::parse("-a"), Err(SlugError::MisplacedHyphen));
        assert_eq!(Slug::parse("a-"), Err(SlugError::MisplacedHyphen));
        assert_eq!(Slug::parse("a--b"), Err(SlugError::MisplacedHyphen));
        assert_eq!(Slug::parse(&"a".repeat(201)), Err(SlugError::TooLong));
    }

    #[test]
    fn normalises_to_nfc() {
        // "e" followed by a combining acute accent becomes the single character é.
        assert_eq!(Slug::parse("e\u{301}te").unwrap().as_str(), "\u{e9}te");
    }

    #[test]
    fn headlines_become_readable_ascii_slugs() {
        assert_eq!(
            Slug::from_headline("Élection à Zürich : 3 leçons").as_str(),
            "election-a-zurich-3-lecons"
        );
        assert_eq!(
            Slug::from_headline("  \"Quoted\" -- it's done!  ").as_str(),
            "quoted-it-s-done"
        );
        assert_eq!(
            Slug::from_headline("Выборы в Москве").as_str(),
            "vybory-v-moskve"
        );
        assert_eq!(Slug::from_headline("?!").as_str(), "untitled");
    }

    #[test]
    fn long_headlines_are_cut_at_a_word() {
        let slug = Slug::from_headline(&"word ".repeat(40));
        assert!(slug.as_str().len() <= 80);
        assert!(slug.as_str().ends_with("word"));
    }

    #[test]
    fn reserved_slugs_are_known() {
        assert!(Slug::parse("feed").unwrap().is_reserved());
        assert!(!Slug::parse("features").unwrap().is_reserved());
    }

    #[test]
    fn legacy_slugs_match_encoded_and_decoded_forms() {
        let encoded = LegacySlug::parse("%E6%97%A5%E6%9C%AC").unwrap();
        let decoded = LegacySlug::parse("日本").unwrap();
        assert_eq!(encoded, decoded);
        assert_eq!(LegacySlug::parse("My_Post").unwrap().as_str(), "my_post");
        assert!(LegacySlug::parse("a%2Fb").is_err());
        assert!(LegacySlug::parse("%ff").is_err());
    }

    proptest! {
        #[test]
        fn generated_slugs_always_parse(headline in "\\PC{0,200}") {
            let slug = Slug::from_headline(&headline);
            prop_assert_eq!(Slug::parse(slug.as_str()), Ok(slug.clone()));
            prop_assert!(slug.as_str().is_ascii());
        }

        #[test]
        fn parse_never_panics_and_parsed_slugs_reparse(input in "\\PC{0,60}") {
            if let Ok(slug) = Slug::parse(&input) {
                prop_assert_eq!(Slug::parse(slug.as_str()), Ok(slug.clone()));
            }
        }

        #[test]
        fn ascii_slugs_follow_the_general_rules(input in "[a-zA-Z0-9_ -]{0,12}|[a-z-]{195,205}") {
            prop_assert_eq!(
                check_ascii(&input).map(|()| Slug(input.clone())),
                Slug::parse_normalized(input.clone())
            );
            prop_assert_eq!(Slug::try_from(input.clone()), Slug::parse(&input));
        }

        #[test]
        fn legacy_parse_never_panics(input in "\\PC{0,60}") {
            let _ = LegacySlug::parse(&input);
        }
    }
}
