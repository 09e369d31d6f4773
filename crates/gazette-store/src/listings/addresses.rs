//! Published articles as sitemaps see them ([`ArticleAddress`]): one query for a whole
//! month, with no body and no links but the lead byline. A monthly sitemap of 1,200 articles
//! loaded them whole before, most of its 55 ms at 100,000 articles.

use gazette_core::{ArticleAddress, ArticleId, PersonId, SectionId, Slug};

use super::{ArticleFilter, NEWEST, filter_clause, page_sql};
use crate::rows::RowExt;
use crate::store::on_backend;
use crate::{Store, StoreError};

const ADDRESS_COLUMNS: &str = "id, slug, headline, created_at, published_at, \
    significantly_updated_at, primary_section_id, noindex, canonical_url, \
    (select person_id from article_authors w where w.article_id = articles.id \
     order by position limit 1) as lead_author";

/// The names of [`ADDRESS_COLUMNS`], for packing the rows.
const ADDRESS_NAMES: &str = "id, slug, headline, created_at, published_at, \
    significantly_updated_at, primary_section_id, noindex, canonical_url, lead_author";

impl Store {
    /// What sitemaps need of the published articles `filter` selects, newest first: `limit`
    /// of them after skipping `offset`, in the order of [`Store::newest_published`].
    #[tracing::instrument(skip(self), level = "debug")]
    pub async fn newest_addresses(
        &self,
        filter: &ArticleFilter,
        offset: u64,
        limit: u64,
    ) -> Result<Vec<ArticleAddress>, StoreError> {
        let mut params = Vec::new();
        let clause = filter_clause(filter, &mut params);
        let (sql, params) = page_sql(ADDRESS_COLUMNS, &clause, params, NEWEST, offset, limit);
        on_backend!(self.backend(), db => {
            let conn = &mut *db.reader().await?;
            let rows = backend::query::fetch_packed(conn, &sql, &params, ADDRESS_NAMES).await?;
            let mut addresses = rows.iter().map(address_from_row).collect::<Result<Vec<_>, _>>()?;
            // Packed rows come in any order: newest first again, as `NEWEST` says.
            addresses.sort_by_key(|a| std::cmp::Reverse((a.published_at, a.id)));
            Ok(addresses)
        })
    }
}

fn address_from_row(row: &impl RowExt) -> Result<ArticleAddress, StoreError> {
    Ok(ArticleAddress {
        id: ArticleId(row.int("id")?),
        slug: Slug::parse(&row.text("slug")?)
            .map_err(|e| StoreError::corrupt("article slug", e))?,
        headline: row.text("headline")?,
        created_at: row.time("created_at")?,
        published_at: row.opt_time("published_at")?,
        significantly_updated_at: row.opt_time("significantly_updated_at")?,
        primary_section: row.opt_int("primary_section_id")?.map(SectionId),
        lead_author: row.opt_int("lead_author")?.map(PersonId),
        for_search_engines: !row.flag("noindex")? && row.text("canonical_url")?.is_empty(),
    })
}
