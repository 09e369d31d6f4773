//! Articles: the journal's news and analysis, with their workflow status and bylines.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::{PersonId, SafeHtml, SectionId, Slug, TagId};

/// An article's id. Imported articles keep their WordPress post id, so this is WordPress's
/// number space: positive, and new ids start above the largest imported one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ArticleId(pub i64);

impl std::fmt::Display for ArticleId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// The language an article's body source is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BodyFormat {
    /// CommonMark with tables, footnotes and strikethrough: what new writing uses.
    Markdown,
    /// HTML as WordPress stores it (imports, API clients), sanitised when rendered.
    Html,
}

impl BodyFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Markdown => "markdown",
            Self::Html => "html",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "markdown" => Some(Self::Markdown),
            "html" => Some(Self::Html),
            _ => None,
        }
    }
}

/// Where an article is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Draft,
    PendingReview,
    /// Published automatically at `published_at` by the job runner.
    Scheduled,
    Published,
    /// Visible to signed-in staff only.
    Private,
    Trashed,
}

impl Status {
    pub const ALL: [Status; 6] = [
        Self::Draft,
        Self::PendingReview,
        Self::Scheduled,
        Self::Published,
        Self::Private,
        Self::Trashed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::PendingReview => "pending_review",
            Self::Scheduled => "scheduled",
            Self::Published => "published",
            Self::Private => "private",
            Self::Trashed => "trashed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|status| status.as_str() == s)
    }

    /// Whether anonymous readers may see the article.
    pub fn is_public(self) -> bool {
        self == Self::Published
    }
}

/// The kind of journalism an article is; it picks the schema.org type on the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Genre {
    #[default]
    News,
    Analysis,
    Opinion,
    Review,
    Interview,
}

impl Genre {
    pub const ALL: [Genre; 5] = [
        Self::News,
        Self::Analysis,
        Self::Opinion,
        Self::Review,
        Self::Interview,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::News => "news",
            Self::Analysis => "analysis",
            Self::Opinion => "opinion",
            Self::Review => "review",
            Self::Interview => "interview",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|genre| genre.as_str() == s)
    }

    /// The schema.org type of a NewsArticle of this genre.
    pub fn schema_org_type(self) -> &'static str {
        match self {
            Self::News | Self::Interview => "NewsArticle",
            Self::Analysis => "AnalysisNewsArticle",
            Self::Opinion => "OpinionNewsArticle",
            Self::Review => "ReviewNewsArticle",
        }
    }
}

/// The picture at the top of an article.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct FeaturedImage {
    /// A media-store path or an absolute URL.
    pub src: String,
    /// Text alternative; empty only for a purely decorative image.
    pub alt: String,
    pub caption: String,
    pub credit: String,
    /// The library item `src` belongs to, whose variants make the `srcset`.
    #[serde(default)]
    pub media: Option<crate::MediaId>,
}

/// An article as stored: source, rendered body and everything around it.
#[derive(Debug, Clone, PartialEq)]
pub struct Article {
    pub id: ArticleId,
    pub headline: String,
    /// The sentence or two under the headline that sells the story.
    pub standfirst: String,
    pub slug: Slug,
    pub body_format: BodyFormat,
    pub body_source: String,
    pub body_html: SafeHtml,
    /// The renderer version that produced `body_html`; older ones are re-rendered by
    /// `gazette render rebuild`.
    pub render_version: i32,
    /// A hand-written summary; when empty, listings derive one from the body.
    pub excerpt: String,
    /// Bylines in order: the first author is the lead.
    pub authors: Vec<PersonId>,
    pub primary_section: Option<SectionId>,
    /// Sections besides the primary one, in order.
    pub further_sections: Vec<SectionId>,
    pub tags: Vec<TagId>,
    pub featured_image: Option<FeaturedImage>,
    pub genre: Genre,
    pub status: Status,
    /// A password readers must give before they see the body (WordPress's post password).
    pub password: Option<String>,
    pub sticky: bool,
    pub comments_open: bool,
    /// The publication time (the planned one while scheduled).
    pub published_at: Option<Timestamp>,
    /// The last save of any kind.
    pub updated_at: Timestamp,
    /// The last update editors marked as significant: the public "Updated" time.
    pub significantly_updated_at: Option<Timestamp>,
    pub corrections: String,
    /// The title search engines and sharing cards show; the headline when empty.
    pub seo_title: String,
    /// The description they show; the standfirst (or excerpt) when empty.
    pub seo_description: String,
    /// Another address that is this article's canonical one (it was first published there);
    /// empty for its own.
    pub canonical_url: String,
    /// Kept out of search engines: `noindex` in the page and left out of the sitemaps.
    pub noindex: bool,
    pub legacy_wp_id: Option<i64>,
    pub legacy_guid: Option<String>,
    pub created_at: Timestamp,
    /// The body kept its raw HTML: it was saved by someone trusted with it (WordPress's
    /// `unfiltered_html`), so re-rendering it must not sanitise it either.
    pub unfiltered_html: bool,
    /// How many approved comments it had when it was loaded (WordPress's `comment_count`):
    /// counted by the store with the article, never written through it.
    pub approved_comments: u64,
}

/// What a sitemap says about a published article: what its address is made of, its dates
/// and headline, and whether search engines should see it. Loading this instead of the whole
/// article leaves the body and every link but the lead byline in the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleAddress {
    pub id: ArticleId,
    pub slug: Slug,
    pub headline: String,
    pub created_at: Timestamp,
    pub published_at: Option<Timestamp>,
    pub significantly_updated_at: Option<Timestamp>,
    pub primary_section: Option<SectionId>,
    /// The first byline, which `%author%` permalinks name.
    pub lead_author: Option<PersonId>,
    /// [`Article::is_for_search_engines`].
    pub for_search_engines: bool,
}

/// `text` as an article's canonical address: an absolute http(s) URL; None otherwise.
pub fn canonical_address(text: &str) -> Option<url::Url> {
    url::Url::parse(text.trim())
        .ok()
        .filter(|url| matches!(url.scheme(), "https" | "http") && url.host_str().is_some())
}

impl Article {
    /// Its sections: the primary one first, then the others in order.
    pub fn sections(&self) -> impl Iterator<Item = SectionId> + '_ {
        self.primary_section
            .iter()
            .chain(&self.further_sections)
            .copied()
    }

    /// Whether sitemaps list it: not when it is kept out of search engines, nor when its
    /// canonical address is elsewhere.
    pub fn is_for_search_engines(&self) -> bool {
        !self.noindex && self.canonical_url.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_and_genres_round_trip_through_their_names() {
        for status in Status::ALL {
            assert_eq!(Status::parse(status.as_str()), Some(status));
        }
        for genre in Genre::ALL {
            assert_eq!(Genre::parse(genre.as_str()), Some(genre));
        }
        assert_eq!(Status::parse("publish"), None);
        assert_eq!(BodyFormat::parse("html"), Some(BodyFormat::Html));
        assert_eq!(BodyFormat::parse("rtf"), None);
    }

    #[test]
    fn only_published_articles_are_public() {
        let public: Vec<_> = Status::ALL.into_iter().filter(|s| s.is_public()).collect();
        assert_eq!(public, vec![Status::Published]);
    }
}
