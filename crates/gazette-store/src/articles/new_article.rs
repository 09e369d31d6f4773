//! An article about to be created, and the way from it to an [`Article`] and back.

use gazette_core::{
    Article, ArticleId, BodyFormat, FeaturedImage, Genre, PersonId, SafeHtml, SectionId, Slug,
    Status, TagId,
};
use jiff::Timestamp;

/// An article to create. The caller renders the body (the store never renders).
#[derive(Debug, Clone)]
pub struct NewArticle {
    /// A WordPress post id to keep (imports); None lets the store pick the next id.
    pub id: Option<ArticleId>,
    pub headline: String,
    pub standfirst: String,
    pub slug: Slug,
    pub body_format: BodyFormat,
    pub body_source: String,
    pub body_html: SafeHtml,
    pub render_version: i32,
    pub excerpt: String,
    pub authors: Vec<PersonId>,
    pub primary_section: Option<SectionId>,
    pub further_sections: Vec<SectionId>,
    pub tags: Vec<TagId>,
    pub featured_image: Option<FeaturedImage>,
    pub genre: Genre,
    pub status: Status,
    pub password: Option<String>,
    pub sticky: bool,
    pub comments_open: bool,
    pub published_at: Option<Timestamp>,
    pub significantly_updated_at: Option<Timestamp>,
    pub corrections: String,
    pub seo_title: String,
    pub seo_description: String,
    pub canonical_url: String,
    pub noindex: bool,
    pub legacy_wp_id: Option<i64>,
    pub legacy_guid: Option<String>,
    /// The body was rendered without sanitising (saved by an editor or administrator).
    pub unfiltered_html: bool,
}

impl NewArticle {
    /// A draft with the given headline, a slug made from it and a Markdown body.
    pub fn draft(
        headline: &str,
        body_source: &str,
        body_html: SafeHtml,
        render_version: i32,
    ) -> Self {
        Self {
            id: None,
            headline: headline.to_owned(),
            standfirst: String::new(),
            slug: Slug::from_headline(headline),
            body_format: BodyFormat::Markdown,
            body_source: body_source.to_owned(),
            body_html,
            render_version,
            excerpt: String::new(),
            authors: Vec::new(),
            primary_section: None,
            further_sections: Vec::new(),
            tags: Vec::new(),
            featured_image: None,
            genre: Genre::News,
            status: Status::Draft,
            password: None,
            sticky: false,
            comments_open: true,
            published_at: None,
            significantly_updated_at: None,
            corrections: String::new(),
            seo_title: String::new(),
            seo_description: String::new(),
            canonical_url: String::new(),
            noindex: false,
            legacy_wp_id: None,
            legacy_guid: None,
            unfiltered_html: false,
        }
    }

    /// The article this would be, before it is saved (id 0, times at the epoch): what an
    /// editor shows for a new article.
    pub fn unsaved(self) -> Article {
        self.into_article(ArticleId(0), Timestamp::UNIX_EPOCH)
    }

    pub(crate) fn into_article(self, id: ArticleId, now: Timestamp) -> Article {
        Article {
            id,
            headline: self.headline,
            standfirst: self.standfirst,
            slug: self.slug,
            body_format: self.body_format,
            body_source: self.body_source,
            body_html: self.body_html,
            render_version: self.render_version,
            excerpt: self.excerpt,
            authors: self.authors,
            primary_section: self.primary_section,
            further_sections: self.further_sections,
            tags: self.tags,
            featured_image: self.featured_image,
            genre: self.genre,
            status: self.status,
            password: self.password,
            sticky: self.sticky,
            comments_open: self.comments_open,
            published_at: self.published_at,
            updated_at: now,
            significantly_updated_at: self.significantly_updated_at,
            corrections: self.corrections,
            seo_title: self.seo_title,
            seo_description: self.seo_description,
            canonical_url: self.canonical_url,
            noindex: self.noindex,
            legacy_wp_id: self.legacy_wp_id,
            legacy_guid: self.legacy_guid,
            created_at: now,
            unfiltered_html: self.unfiltered_html,
            approved_comments: 0,
        }
    }
}

/// An article's fields as a new one: for creating what an editor filled in. Legacy ids stay
/// behind: they belong to the imported original only.
impl From<Article> for NewArticle {
    fn from(article: Article) -> Self {
        Self {
            id: None,
            headline: article.headline,
            standfirst: article.standfirst,
            slug: article.slug,
            body_format: article.body_format,
            body_source: article.body_source,
            body_html: article.body_html,
            render_version: article.render_version,
            excerpt: article.excerpt,
            authors: article.authors,
            primary_section: article.primary_section,
            further_sections: article.further_sections,
            tags: article.tags,
            featured_image: article.featured_image,
            genre: article.genre,
            status: article.status,
            password: article.password,
            sticky: article.sticky,
            comments_open: article.comments_open,
            published_at: article.published_at,
            significantly_updated_at: article.significantly_updated_at,
            corrections: article.corrections,
            seo_title: article.seo_title,
            seo_description: article.seo_description,
            canonical_url: article.canonical_url,
            noindex: article.noindex,
            legacy_wp_id: None,
            legacy_guid: None,
            unfiltered_html: article.unfiltered_html,
        }
    }
}
