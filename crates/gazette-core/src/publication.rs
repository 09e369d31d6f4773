//! The publication's editorial settings: its name, identity and conventions. They live in the
//! database, are seeded on first run and edited in the back office.

use serde::{Deserialize, Serialize};

use crate::{CommentPolicy, Issn, PermalinkPattern};

/// The journal's editorial settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Publication {
    pub name: String,
    pub tagline: String,
    pub description: String,
    /// A media-store path or absolute URL of the logo; none shows the name as a wordmark.
    pub logo: Option<String>,
    pub language: LanguageTag,
    pub time_zone: TimeZoneName,
    /// The public address, e.g. `https://journal.example`; used for absolute links in feeds,
    /// sitemaps and structured data. None means "the address the request came to".
    pub base_url: Option<url::Url>,
    /// The print ISSN.
    pub issn: Option<Issn>,
    /// The electronic ISSN.
    pub eissn: Option<Issn>,
    pub permalink: PermalinkPattern,
    /// The comment rules; settings saved before comments existed get the defaults.
    #[serde(default)]
    pub comments: CommentPolicy,
    /// A media-store path or absolute URL of the browser-tab icon; none uses the theme's.
    #[serde(default)]
    pub favicon: Option<String>,
    /// Lines appended to `/robots.txt` (checked by `site_files::robots_lines`).
    #[serde(default)]
    pub robots_txt: String,
    /// The body of `/ads.txt`, served only when not empty.
    #[serde(default)]
    pub ads_txt: String,
    /// `<meta name=… content=…>` tags search engines ask for to verify ownership.
    #[serde(default)]
    pub site_verification: Vec<crate::site_files::MetaTag>,
    /// Raw HTML for every public page's `<head>` (analytics), which only administrators set.
    #[serde(default)]
    pub head_html: String,
    /// What the syndication feeds carry.
    #[serde(default)]
    pub feeds: FeedSettings,
}

/// WordPress's Reading settings for feeds: how many items, and whole articles or excerpts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FeedSettings {
    /// The whole article in each item; false gives the excerpt only.
    pub full_text: bool,
    /// Items per feed, 1 to [`FeedSettings::MAX_ITEMS`].
    pub items: u32,
}

impl FeedSettings {
    pub const MAX_ITEMS: u32 = 100;
}

impl Default for FeedSettings {
    fn default() -> Self {
        Self {
            full_text: true,
            items: 10,
        }
    }
}

impl Publication {
    /// What a new installation starts with until an administrator changes it.
    pub fn sample() -> Self {
        Self {
            name: "The Gazette Chronicle".to_owned(),
            tagline: "Independent news and analysis".to_owned(),
            description: "A demonstration journal published with Gazette.".to_owned(),
            logo: None,
            language: LanguageTag::english(),
            time_zone: TimeZoneName::utc(),
            base_url: None,
            // A made-up number with a valid check digit, so the demo masthead shows one.
            issn: Issn::parse("2434-561X").ok(),
            eissn: None,
            permalink: PermalinkPattern::default(),
            comments: CommentPolicy::default(),
            favicon: None,
            robots_txt: String::new(),
            ads_txt: String::new(),
            site_verification: Vec::new(),
            head_html: String::new(),
            feeds: FeedSettings::default(),
        }
    }
}

/// Why a language tag was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a BCP 47 language tag such as en, fr, pt-BR or zh-Hant-TW")]
pub struct LanguageTagError(String);

/// A well-formed BCP 47 language tag in canonical case (`en`, `fr-CA`, `zh-Hant-TW`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct LanguageTag(String);

impl LanguageTag {
    pub fn english() -> Self {
        Self("en".to_owned())
    }

    /// Checks the shape of language, script, region and variant subtags (not the registry).
    pub fn parse(input: &str) -> Result<Self, LanguageTagError> {
        let refuse = || LanguageTagError(input.to_owned());
        let mut subtags = input.trim().split(['-', '_']);
        let language = subtags
            .next()
            .filter(|s| is_alpha(s, 2..=3))
            .ok_or_else(refuse)?;
        let mut canonical = language.to_ascii_lowercase();
        let mut seen_region = false;
        let mut seen_script = false;
        for (index, subtag) in subtags.enumerate() {
            let piece = if index == 0 && is_alpha(subtag, 4..=4) && !seen_script {
                seen_script = true;
                title_case(subtag)
            } else if !seen_region
                && (is_alpha(subtag, 2..=2)
                    || (subtag.len() == 3 && subtag.bytes().all(|b| b.is_ascii_digit())))
            {
                seen_region = true;
                subtag.to_ascii_uppercase()
            } else if (5..=8).contains(&subtag.len())
                && subtag.bytes().all(|b| b.is_ascii_alphanumeric())
            {
                subtag.to_ascii_lowercase()
            } else {
                return Err(refuse());
            };
            canonical.push('-');
            canonical.push_str(&piece);
        }
        Ok(Self(canonical))
    }

    /// The primary language (`fr` for `fr-CA`), which picks message catalogues and stemmers.
    pub fn primary(&self) -> &str {
        self.0.split('-').next().unwrap_or(&self.0)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn is_alpha(s: &str, len: std::ops::RangeInclusive<usize>) -> bool {
    len.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphabetic())
}

fn title_case(s: &str) -> String {
    let lower = s.to_ascii_lowercase();
    let mut chars = lower.chars();
    chars
        .next()
        .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

impl TryFrom<String> for LanguageTag {
    type Error = LanguageTagError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<LanguageTag> for String {
    fn from(tag: LanguageTag) -> Self {
        tag.0
    }
}

/// Why a time zone was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not an IANA time zone name such as Europe/Paris, America/New_York or UTC")]
pub struct TimeZoneError(String);

/// An IANA time zone name known to the time zone database compiled into Gazette.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TimeZoneName(String);

impl TimeZoneName {
    pub fn utc() -> Self {
        Self("UTC".to_owned())
    }

    pub fn parse(input: &str) -> Result<Self, TimeZoneError> {
        let name = input.trim();
        jiff::tz::db()
            .get(name)
            .map(|_| Self(name.to_owned()))
            .map_err(|_| TimeZoneError(input.to_owned()))
    }

    /// The zone's rules, for turning instants into local datelines.
    pub fn zone(&self) -> jiff::tz::TimeZone {
        jiff::tz::db()
            .get(&self.0)
            .unwrap_or(jiff::tz::TimeZone::UTC)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for TimeZoneName {
    type Error = TimeZoneError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<TimeZoneName> for String {
    fn from(zone: TimeZoneName) -> Self {
        zone.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_tags_are_checked_and_canonicalised() {
        for (input, canonical) in [
            ("en", "en"),
            ("FR", "fr"),
            ("pt-br", "pt-BR"),
            ("zh-hant-tw", "zh-Hant-TW"),
            ("es-419", "es-419"),
            ("de_CH", "de-CH"),
            ("sl-rozaj", "sl-rozaj"),
        ] {
            assert_eq!(LanguageTag::parse(input).unwrap().as_str(), canonical);
        }
        for bad in ["", "e", "english", "en-", "en-US-US", "12", "en-a_b"] {
            assert!(LanguageTag::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(LanguageTag::parse("fr-CA").unwrap().primary(), "fr");
    }

    #[test]
    fn time_zones_come_from_the_iana_database() {
        assert_eq!(
            TimeZoneName::parse("Europe/Paris").unwrap().as_str(),
            "Europe/Paris"
        );
        assert!(TimeZoneName::parse("UTC").is_ok());
        assert!(TimeZoneName::parse("Mars/Olympus_Mons").is_err());
        assert!(TimeZoneName::parse("").is_err());
    }

    #[test]
    fn settings_round_trip_through_json_and_refuse_bad_values() {
        let mut publication = Publication::sample();
        publication.issn = Some(Issn::parse("2330-717X").unwrap());
        let json = serde_json::to_string(&publication).unwrap();
        assert!(json.contains("\"2330-717X\""));
        let back: Publication = serde_json::from_str(&json).unwrap();
        assert_eq!(back, publication);
        let bad = json.replace("2330-717X", "2330-7170");
        assert!(serde_json::from_str::<Publication>(&bad).is_err());
    }
}
