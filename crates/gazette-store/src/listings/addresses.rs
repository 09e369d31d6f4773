//! Published articles as sitemaps see them ([`ArticleAddress`]): one query for a whole
//! month, with no body and no links but the lead byline. A monthly sitemap of 1,200 articles
//! loaded them whole before, most of its 55 ms at 100,000 articles. A month's list also
//! comes with the month's revision, so that a node can keep it until an article in it changes
//! ([`Store::month_addresses`]).

use gazette_core::{ArticleAddress, ArticleId, PersonId, SectionId, Slug};
use jiff::Timestamp;

use super::{ArticleFilter, NEWEST, filter_clause, page_sql};
use crate::query::Param;
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
    /// No more than what a month's revision follows ([`Store::month_addresses`]).
    pub const FOLLOWED: Self = Self {
        lead_author: false,
        headline: false,
    };

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

/// One part of a UTC month's sitemap addresses, as [`Store::month_addresses`] finds it.
#[derive(Debug)]
pub enum MonthAddresses {
    /// The month's revision is still the one the caller's list was read at.
    Unchanged,
    /// The list read now, at the month's `revision`.
    Read {
        revision: u64,
        addresses: Vec<ArticleAddress>,
    },
}

impl MonthAddresses {
    /// The list read, if one was.
    pub fn addresses(self) -> Option<Vec<ArticleAddress>> {
        match self {
            Self::Unchanged => None,
            Self::Read { addresses, .. } => Some(addresses),
        }
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
        let (sql, params, names) = addresses_sql(filter, offset, limit, details);
        on_backend!(self.backend(), db => {
            let conn = &mut *db.reader().await?;
            let addresses = backend::query::fetch_packed_as(conn, &sql, &params, &names).await?;
            Ok(newest_first(addresses))
        })
    }

    /// The addresses of the articles published in the UTC month `year`-`month`, as
    /// [`Store::newest_addresses`] gives them (`limit` after skipping `offset`), unless the
    /// month's revision is still `kept` (migration 27: it moves whenever one of them is added,
    /// removed or changes what a sitemap shows). The revision does not follow lead bylines
    /// and headlines: when `details` asks for them, the list is read whatever `kept` says,
    /// and should not be kept. The revision is read first, on the same connection, so a list
    /// is never older than the revision it comes with. A month that cannot exist is not found.
    #[tracing::instrument(skip(self), level = "debug")]
    pub async fn month_addresses(
        &self,
        (year, month): (i16, i8),
        offset: u64,
        limit: u64,
        details: AddressDetails,
        kept: Option<u64>,
    ) -> Result<MonthAddresses, StoreError> {
        let (from, until) = utc_month(year, month)?;
        let filter = ArticleFilter::PublishedBetween { from, until };
        let kept = kept.filter(|_| details == AddressDetails::FOLLOWED);
        let (sql, params, names) = addresses_sql(&filter, offset, limit, details);
        let revision_sql = "select revision from address_months where year = $1 and month = $2";
        let month_params = [Param::Int(i64::from(year)), Param::Int(i64::from(month))];
        on_backend!(self.backend(), db => {
            let conn = &mut *db.reader().await?;
            let rows = backend::query::fetch_all(&mut *conn, revision_sql, &month_params).await?;
            let revision = match rows.first() {
                Some(row) => u64::try_from(row.int("revision")?)
                    .map_err(|e| StoreError::corrupt("address_months", e))?,
                None => 0,
            };
            if kept == Some(revision) {
                return Ok(MonthAddresses::Unchanged);
            }
            let addresses = backend::query::fetch_packed_as(conn, &sql, &params, &names).await?;
            Ok(MonthAddresses::Read { revision, addresses: newest_first(addresses) })
        })
    }
}

/// The statement reading addresses, its parameters, and the names of its columns.
fn addresses_sql(
    filter: &ArticleFilter,
    offset: u64,
    limit: u64,
    details: AddressDetails,
) -> (String, Vec<Param>, String) {
    let mut params = Vec::new();
    let clause = filter_clause(filter, &mut params);
    let names = format!("{ADDRESS_COLUMNS}, headline, lead_author");
    let (sql, params) = page_sql(&details.columns(), &clause, params, NEWEST, offset, limit);
    (sql, params, names)
}

/// Packed rows come in any order: newest first again, as `NEWEST` says.
fn newest_first(mut addresses: Vec<ArticleAddress>) -> Vec<ArticleAddress> {
    addresses.sort_by_key(|a| std::cmp::Reverse((a.published_at, a.id)));
    addresses
}

/// The first instant of a UTC month and of the next.
fn utc_month(year: i16, month: i8) -> Result<(Timestamp, Timestamp), StoreError> {
    let not_found = |_| StoreError::NotFound { what: "month" };
    let start = jiff::civil::Date::new(year, month, 1).map_err(not_found)?;
    let next = start
        .checked_add(jiff::Span::new().months(1))
        .map_err(not_found)?;
    let at = |date: jiff::civil::Date| {
        date.to_zoned(jiff::tz::TimeZone::UTC)
            .map(|zoned| zoned.timestamp())
            .map_err(not_found)
    };
    Ok((at(start)?, at(next)?))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_end_where_the_next_begins() {
        let (from, until) = utc_month(2026, 12).expect("December");
        assert_eq!(from.to_string(), "2026-12-01T00:00:00Z");
        assert_eq!(until.to_string(), "2027-01-01T00:00:00Z");
        assert!(matches!(
            utc_month(2026, 13),
            Err(StoreError::NotFound { .. })
        ));
    }
}
