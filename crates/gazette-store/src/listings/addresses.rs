//! Published articles as sitemaps see them ([`ArticleAddress`]): one query for a whole
//! month, with no body and no links but the lead byline. A monthly sitemap of 1,200 articles
//! loaded them whole before, most of its 55 ms at 100,000 articles.

use gazette_core::{ArticleAddress, ArticleId, PersonId, SectionId, Slug};

use super::{ArticleFilter, NEWEST, filter_clause, page_sql};
use crate::rows::{Packed, RowExt};
use crate::store::on_backend;
use crate::{Store, StoreError};

/// What every sitemap reads of each article, all held by the `articles_addresses` index.
const ADDRESS_COLUMNS: &str = "id, slug, created_at, published_at, \
    significantly_updated_at, primary_section_id, noindex, canonical_url";

/// The lead byline (`article_authors_lead` holds it).
const LEAD_AUTHOR: &str = "(select person_id from article_authors w \
    where w.article_id = articles.id order by position limit 1)";

/// What a sitemap needs besides each article's address: a monthly sitemap of 1,200 articles
/// spends a third of its query finding lead authors and much of its decoding on headlines,
/// which only some sitemaps show. What is not asked for comes back empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AddressDetails {
    /// The lead author, which permalinks with `%author%` name.
    pub lead_author: bool,
    /// The headline, which the news sitemap shows.
    pub headline: bool,
}

impl AddressDetails {
    /// The columns to select, ending with `headline` and `lead_author` (real or empty).
    fn columns(self) -> String {
        let headline = if self.headline { "headline" } else { "''" };
        let lead_author = if self.lead_author {
            LEAD_AUTHOR
        } else {
            "cast(null as bigint)"
        };
        format!("{ADDRESS_COLUMNS}, {headline} as headline, {lead_author} as lead_author")
    }
}

impl Store {
    /// What sitemaps need of the published articles `filter` selects, newest first: `limit`
    /// of them after skipping `offset`, in the order of [`Store::newest_published`], with the
    /// `details` asked for.
    #[tracing::instrument(skip(self), level = "debug")]
    pub async fn newest_addresses(
        &self,
        filter: &ArticleFilter,
        offset: u64,
        limit: u64,
        details: AddressDetails,
    ) -> Result<Vec<ArticleAddress>, StoreError> {
        let mut params = Vec::new();
        let clause = filter_clause(filter, &mut params);
        let names = format!("{ADDRESS_COLUMNS}, headline, lead_author");
        let (sql, params) = page_sql(&details.columns(), &clause, params, NEWEST, offset, limit);
        on_backend!(self.backend(), db => {
            let conn = &mut *db.reader().await?;
            let mut addresses: Vec<ArticleAddress> =
                backend::query::fetch_packed_as(conn, &sql, &params, &names).await?;
            // Packed rows come in any order: newest first again, as `NEWEST` says.
            addresses.sort_by_key(|a| std::cmp::Reverse((a.published_at, a.id)));
            Ok(addresses)
        })
    }
}

/// An address row as SQLite packs it, in the order of [`AddressDetails::columns`]: id, slug,
/// created, published, significantly updated, section, noindex, canonical address, headline,
/// lead author (times in epoch microseconds).
type AddressValues = (
    i64,
    String,
    i64,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    i64,
    String,
    String,
    Option<i64>,
);

impl Packed for ArticleAddress {
    type Values = AddressValues;

    fn from_values(values: AddressValues) -> Result<Self, StoreError> {
        let (id, slug, created, published, updated, section, noindex, canonical, headline, lead) =
            values;
        let time = crate::sqlite::from_micros;
        Ok(ArticleAddress {
            id: ArticleId(id),
            slug: parse_slug(slug)?,
            headline,
            created_at: time(created)?,
            published_at: published.map(time).transpose()?,
            significantly_updated_at: updated.map(time).transpose()?,
            primary_section: section.map(SectionId),
            lead_author: lead.map(PersonId),
            for_search_engines: noindex == 0 && canonical.is_empty(),
        })
    }

    fn from_row(row: &impl RowExt) -> Result<Self, StoreError> {
        Ok(ArticleAddress {
            id: ArticleId(row.int("id")?),
            slug: parse_slug(row.text("slug")?)?,
            headline: row.text("headline")?,
            created_at: row.time("created_at")?,
            published_at: row.opt_time("published_at")?,
            significantly_updated_at: row.opt_time("significantly_updated_at")?,
            primary_section: row.opt_int("primary_section_id")?.map(SectionId),
            lead_author: row.opt_int("lead_author")?.map(PersonId),
            for_search_engines: !row.flag("noindex")? && row.text("canonical_url")?.is_empty(),
        })
    }
}

/// The slug as read, kept without a copy (`Slug::try_from`).
fn parse_slug(text: String) -> Result<Slug, StoreError> {
    Slug::try_from(text).map_err(|e| StoreError::corrupt("article slug", e))
}
