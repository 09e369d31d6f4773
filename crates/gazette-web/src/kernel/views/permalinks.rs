//! Where an article lives: its path under the publication's permalink pattern, from a whole
//! article or from the light [`ArticleAddress`] sitemaps load.

use gazette_core::{
    Article, ArticleAddress, ArticleId, PermalinkFields, PersonId, Publication, SectionId, Slug,
};
use jiff::Timestamp;

use crate::kernel::site::Site;

/// The article's path, from the publication's permalink pattern.
pub fn article_url(site: &Site, article: &Article) -> String {
    article_url_under(site, &site.publication, article)
}

/// Where an article would be under `publication`'s permalink pattern and time zone (the
/// settings page's preview, and the old URLs a change of settings retires).
pub fn article_url_under(site: &Site, publication: &Publication, article: &Article) -> String {
    permalink(
        site,
        publication,
        AddressParts {
            id: article.id,
            slug: &article.slug,
            published: article.published_at.unwrap_or(article.created_at),
            primary_section: article.primary_section,
            lead_author: article.authors.first().copied(),
        },
    )
}

/// Where the article a sitemap loaded ([`ArticleAddress`]) is: the same as [`article_url`].
pub fn address_url(site: &Site, address: &ArticleAddress) -> String {
    permalink(
        site,
        &site.publication,
        AddressParts {
            id: address.id,
            slug: &address.slug,
            published: address.published_at.unwrap_or(address.created_at),
            primary_section: address.primary_section,
            lead_author: address.lead_author,
        },
    )
}

/// What a permalink pattern may name of an article.
struct AddressParts<'a> {
    id: ArticleId,
    slug: &'a Slug,
    /// The publication time, or the creation time of what was never published.
    published: Timestamp,
    primary_section: Option<SectionId>,
    lead_author: Option<PersonId>,
}

fn permalink(site: &Site, publication: &Publication, parts: AddressParts<'_>) -> String {
    let category_path = parts
        .primary_section
        .map_or("uncategorized", |id| site.section_path(id));
    let author_slug = parts
        .lead_author
        .and_then(|id| site.author(id))
        .map_or("", |a| a.slug.as_str());
    publication.permalink.render(&PermalinkFields {
        id: parts.id.0,
        slug: parts.slug.as_str(),
        published: parts
            .published
            .to_zoned(publication.time_zone.zone())
            .datetime(),
        category_path,
        author_slug,
    })
}
