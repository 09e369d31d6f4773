//! The `articles` row: the columns read and written, and an [`Article`] to and from them.

use gazette_core::{
    Article, ArticleId, BodyFormat, FeaturedImage, Genre, PersonId, SafeHtml, SectionId, Slug,
    Status, TagId,
};
use jiff::Timestamp;

use crate::StoreError;
use crate::query::Param;
use crate::rows::RowExt;

/// The columns `article_from_row` reads, in every backend's queries.
pub(crate) const ARTICLE_COLUMNS: &str = "id, headline, standfirst, slug, body_format, body_source, \
    body_html, render_version, excerpt, primary_section_id, image_src, image_alt, image_caption, \
    image_credit, genre, status, password, sticky, comments_open, published_at, updated_at, \
    significantly_updated_at, corrections, legacy_wp_id, legacy_guid, created_at, seo_title, \
    seo_description, image_media_id, unfiltered_html, canonical_url, noindex";

/// The rows that hang off an article: bylines, further sections, tags (each in order).
#[derive(Debug, Default)]
pub(crate) struct ArticleLinks {
    pub authors: Vec<i64>,
    pub sections: Vec<i64>,
    pub tags: Vec<i64>,
}

pub(crate) fn article_from_row(
    row: &impl RowExt,
    links: ArticleLinks,
) -> Result<Article, StoreError> {
    let format = row.text("body_format")?;
    let genre = row.text("genre")?;
    let status = row.text("status")?;
    let featured_image = row
        .opt_text("image_src")?
        .map(|src| -> Result<_, StoreError> {
            Ok(FeaturedImage {
                src,
                alt: row.text("image_alt")?,
                caption: row.text("image_caption")?,
                credit: row.text("image_credit")?,
                media: row.opt_int("image_media_id")?.map(gazette_core::MediaId),
            })
        });
    Ok(Article {
        id: ArticleId(row.int("id")?),
        headline: row.text("headline")?,
        standfirst: row.text("standfirst")?,
        slug: Slug::parse(&row.text("slug")?)
            .map_err(|e| StoreError::corrupt("article slug", e))?,
        body_format: BodyFormat::parse(&format)
            .ok_or_else(|| StoreError::corrupt("body format", &format))?,
        body_source: row.text("body_source")?,
        body_html: SafeHtml::assume_sanitized(row.text("body_html")?),
        render_version: i32::try_from(row.int("render_version")?)
            .map_err(|e| StoreError::corrupt("render version", e))?,
        excerpt: row.text("excerpt")?,
        authors: links.authors.into_iter().map(PersonId).collect(),
        primary_section: row.opt_int("primary_section_id")?.map(SectionId),
        further_sections: links.sections.into_iter().map(SectionId).collect(),
        tags: links.tags.into_iter().map(TagId).collect(),
        featured_image: featured_image.transpose()?,
        genre: Genre::parse(&genre).ok_or_else(|| StoreError::corrupt("genre", &genre))?,
        status: Status::parse(&status).ok_or_else(|| StoreError::corrupt("status", &status))?,
        password: row.opt_text("password")?,
        sticky: row.flag("sticky")?,
        comments_open: row.flag("comments_open")?,
        published_at: row.opt_time("published_at")?,
        updated_at: row.time("updated_at")?,
        significantly_updated_at: row.opt_time("significantly_updated_at")?,
        corrections: row.text("corrections")?,
        seo_title: row.text("seo_title")?,
        seo_description: row.text("seo_description")?,
        canonical_url: row.text("canonical_url")?,
        noindex: row.flag("noindex")?,
        legacy_wp_id: row.opt_int("legacy_wp_id")?,
        legacy_guid: row.opt_text("legacy_guid")?,
        created_at: row.time("created_at")?,
        unfiltered_html: row.flag("unfiltered_html")?,
        approved_comments: u64::try_from(row.int("approved_comments")?)
            .map_err(|e| StoreError::corrupt("approved_comments", e))?,
    })
}

/// The columns an insert and an update write, in the order of [`article_params`] (`$2`
/// onwards; `$1` is the id).
pub(super) const ARTICLE_FIELDS: &str = "headline, standfirst, slug, body_format, body_source, body_html, \
    render_version, excerpt, primary_section_id, image_src, image_alt, image_caption, \
    image_credit, genre, status, password, sticky, comments_open, published_at, updated_at, \
    significantly_updated_at, corrections, legacy_wp_id, legacy_guid, seo_title, seo_description, \
    image_media_id, unfiltered_html, canonical_url, noindex";

/// An article's values for [`ARTICLE_FIELDS`], saved at `now`.
pub(super) fn article_params(article: &Article, now: Timestamp) -> Vec<Param> {
    let image = article.featured_image.as_ref();
    let text = |value: &str| Param::Text(value.to_owned());
    vec![
        text(&article.headline),
        text(&article.standfirst),
        text(article.slug.as_str()),
        text(article.body_format.as_str()),
        text(&article.body_source),
        text(article.body_html.as_str()),
        Param::Int(i64::from(article.render_version)),
        text(&article.excerpt),
        Param::opt_int(article.primary_section.map(|s| s.0)),
        Param::opt_text(image.map(|i| i.src.as_str())),
        text(image.map_or("", |i| i.alt.as_str())),
        text(image.map_or("", |i| i.caption.as_str())),
        text(image.map_or("", |i| i.credit.as_str())),
        text(article.genre.as_str()),
        text(article.status.as_str()),
        Param::opt_text(article.password.as_deref()),
        Param::Bool(article.sticky),
        Param::Bool(article.comments_open),
        Param::opt_time(article.published_at),
        Param::Time(now),
        Param::opt_time(article.significantly_updated_at),
        text(&article.corrections),
        Param::opt_int(article.legacy_wp_id),
        Param::opt_text(article.legacy_guid.as_deref()),
        text(&article.seo_title),
        text(&article.seo_description),
        Param::opt_int(image.and_then(|i| i.media).map(|m| m.0)),
        Param::Bool(article.unfiltered_html),
        text(&article.canonical_url),
        Param::Bool(article.noindex),
    ]
}
