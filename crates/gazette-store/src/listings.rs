//! What readers see: published articles by archive (home, section, tag, author, date), pages
//! by path, and the next moment a scheduled article goes live.
//!
//! The SQL here is the same on both backends, built at run time because filters and `in (…)`
//! lists vary; each backend only binds and runs it (`backend::query`). Any number of articles
//! loads in one query per hundred (`loading`): their rows, each with its bylines, sections and
//! tags.
//!
//! Other lists of articles live beside these: `article_query` (the REST API's listings),
//! `desk` (the newsroom's list) and `search_like` (WordPress's search, for benchmarks).

mod addresses;
mod article_query;
mod desk;
mod loading;
mod search_like;

use gazette_core::{Article, ArticleId, Page, PersonId, SectionId, Slug, Status, TagId};
use jiff::Timestamp;

use crate::pages::{PAGE_COLUMNS, page_from_row};
use crate::query::{Param, placeholders};
use crate::rows::RowExt;
use crate::store::on_backend;
use crate::{Store, StoreError};

pub use addresses::{AddressDetails, MonthAddresses};
pub use article_query::{ArticleOrder, ArticleQuery};
pub use desk::DeskFilter;
pub(crate) use loading::{
    LOAD_CHUNK, articles_by_ids_sql, articles_where_sql, assemble_articles, decode_article,
    load_articles, load_found_articles, loaded_columns,
};

/// Which published articles a listing shows.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ArticleFilter {
    /// Everything: the home page.
    All,
    /// Articles whose primary or further section is one of these (a section and its
    /// descendants).
    InSections(Vec<SectionId>),
    Tagged(TagId),
    ByAuthor(PersonId),
    /// Published in `[from, until)`: a date archive.
    PublishedBetween {
        from: Timestamp,
        until: Timestamp,
    },
}

/// One page of a listing and how many articles the whole listing has.
#[derive(Debug, Clone, PartialEq)]
pub struct ArticleListing {
    pub articles: Vec<Article>,
    pub total: u64,
}

/// A `LIKE … escape '\'` pattern matching text that contains `text`, its wildcards escaped
/// so that a search for "50%" means that.
pub(crate) fn contains_pattern(text: &str) -> String {
    let escaped = text
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// Builds the `where` clause for `filter`, pushing its parameters.
fn filter_clause(filter: &ArticleFilter, params: &mut Vec<Param>) -> String {
    params.push(Param::Text(Status::Published.as_str().to_owned()));
    let published = "status = $1";
    let next = params.len() + 1;
    match filter {
        ArticleFilter::All => published.to_owned(),
        ArticleFilter::InSections(ids) => {
            let list = placeholders(next, ids.len().max(1));
            if ids.is_empty() {
                params.push(Param::Int(0));
            }
            params.extend(ids.iter().map(|id| Param::Int(id.0)));
            format!(
                "{published} and (primary_section_id in ({list}) or id in \
                 (select article_id from article_sections where section_id in ({list})))"
            )
        }
        ArticleFilter::Tagged(tag) => {
            params.push(Param::Int(tag.0));
            format!(
                "{published} and id in (select article_id from article_tags where tag_id = ${next})"
            )
        }
        ArticleFilter::ByAuthor(person) => {
            params.push(Param::Int(person.0));
            format!(
                "{published} and id in (select article_id from article_authors where person_id = ${next})"
            )
        }
        ArticleFilter::PublishedBetween { from, until } => {
            params.push(Param::Time(*from));
            params.push(Param::Time(*until));
            format!(
                "{published} and published_at >= ${next} and published_at < ${}",
                next + 1
            )
        }
    }
}

fn count_sql(clause: &str) -> String {
    format!("select count(*) as total from articles where {clause}")
}

fn total_of(rows: &[impl RowExt]) -> Result<u64, StoreError> {
    let total = match rows.first() {
        Some(row) => row.int("total")?,
        None => 0,
    };
    Ok(u64::try_from(total).unwrap_or(0))
}

/// Newest first, ties broken the same way everywhere a listing is paged.
const NEWEST: &str = "published_at desc, id desc";

/// The link table whose entries carry their article's listing time (migration 24), when
/// `filter` is a tag's or an author's archive: `(table, linked column, linked id)`. Such an
/// archive reads its page, and counts, from that table's index alone.
fn listed_links(filter: &ArticleFilter) -> Option<(&'static str, &'static str, i64)> {
    match filter {
        ArticleFilter::Tagged(tag) => Some(("article_tags", "tag_id", tag.0)),
        ArticleFilter::ByAuthor(person) => Some(("article_authors", "person_id", person.0)),
        _ => None,
    }
}

/// The ids of one page of the published articles `filter` selects, newest first.
fn newest_ids_sql(filter: &ArticleFilter, offset: u64, limit: u64) -> (String, Vec<Param>) {
    if let Some((table, column, linked)) = listed_links(filter) {
        let sql = format!(
            "select article_id as id from {table} where {column} = $1 and listed_at is not null \
             order by listed_at desc, article_id desc limit $2 offset $3"
        );
        let params = vec![
            Param::Int(linked),
            Param::Int(i64::try_from(limit).unwrap_or(i64::MAX)),
            Param::Int(i64::try_from(offset).unwrap_or(i64::MAX)),
        ];
        return (sql, params);
    }
    let mut params = Vec::new();
    let clause = filter_clause(filter, &mut params);
    page_ids_sql(&clause, params, NEWEST, offset, limit)
}

/// How many published articles `filter` selects.
fn published_total_sql(filter: &ArticleFilter) -> (String, Vec<Param>) {
    if *filter == ArticleFilter::All {
        // The month summary (migration 23) counts every published article with a date, so
        // the home page's first render after a publish reads one row per month, not 100,000
        // index entries; a published article without a date is counted apart.
        let sql = "select cast(coalesce(sum(articles), 0) as bigint) \
                   + (select count(*) from articles where status = $1 and published_at is null) \
                   as total from published_months";
        return (
            sql.to_owned(),
            vec![Param::Text(Status::Published.as_str().to_owned())],
        );
    }
    if let Some((table, column, linked)) = listed_links(filter) {
        let sql = format!(
            "select count(*) as total from {table} where {column} = $1 and listed_at is not null"
        );
        return (sql, vec![Param::Int(linked)]);
    }
    let mut params = Vec::new();
    let clause = filter_clause(filter, &mut params);
    (count_sql(&clause), params)
}

/// The ids of one page of the articles `clause` selects, in `order`, and its parameters.
fn page_ids_sql(
    clause: &str,
    params: Vec<Param>,
    order: &str,
    offset: u64,
    limit: u64,
) -> (String, Vec<Param>) {
    page_sql("id", clause, params, order, offset, limit)
}

/// [`page_ids_sql`] selecting `columns` of the articles table instead of the ids.
fn page_sql(
    columns: &str,
    clause: &str,
    mut params: Vec<Param>,
    order: &str,
    offset: u64,
    limit: u64,
) -> (String, Vec<Param>) {
    let n = params.len();
    let sql = format!(
        "select {columns} from articles where {clause} order by {order} limit ${} offset ${}",
        n + 1,
        n + 2
    );
    params.push(Param::Int(i64::try_from(limit).unwrap_or(i64::MAX)));
    params.push(Param::Int(i64::try_from(offset).unwrap_or(i64::MAX)));
    (sql, params)
}

impl Store {
    /// The published articles `filter` selects, newest first: `limit` of them after skipping
    /// `offset`, with the listing's total.
    #[tracing::instrument(skip(self), level = "debug")]
    pub async fn published_articles(
        &self,
        filter: &ArticleFilter,
        offset: u64,
        limit: u64,
    ) -> Result<ArticleListing, StoreError> {
        self.page_and_total(
            published_total_sql(filter),
            newest_ids_sql(filter, offset, limit),
        )
        .await
    }

    /// The published articles `filter` selects, newest first, without counting them all: for
    /// feeds and sitemaps, and for listings whose total is known already (counting a
    /// listing reads every entry of its index, milliseconds at 100,000 articles).
    #[tracing::instrument(skip(self), level = "debug")]
    pub async fn newest_published(
        &self,
        filter: &ArticleFilter,
        offset: u64,
        limit: u64,
    ) -> Result<Vec<Article>, StoreError> {
        let (sql, params) = newest_ids_sql(filter, offset, limit);
        on_backend!(self.backend(), db => {
            let conn = &mut *db.reader().await?;
            load_found_articles!(backend, conn, &sql, &params)
        })
    }

    /// How many published articles `filter` selects.
    #[tracing::instrument(skip(self), level = "debug")]
    pub async fn published_total(&self, filter: &ArticleFilter) -> Result<u64, StoreError> {
        let (sql, params) = published_total_sql(filter);
        on_backend!(self.backend(), db => {
            let rows = backend::query::fetch_all(&mut *db.reader().await?, &sql, &params).await?;
            total_of(&rows)
        })
    }

    /// One page of the articles `clause` selects in `order`, and how many it selects in all.
    async fn listing(
        &self,
        clause: &str,
        params: Vec<Param>,
        order: &str,
        offset: u64,
        limit: u64,
    ) -> Result<ArticleListing, StoreError> {
        let page = page_ids_sql(clause, params.clone(), order, offset, limit);
        self.page_and_total((count_sql(clause), params), page).await
    }

    /// The articles whose ids `ids` selects, in that order, and the total `count` counts:
    /// each a statement and its parameters.
    async fn page_and_total(
        &self,
        (count_sql, count_params): (String, Vec<Param>),
        (ids_sql, ids_params): (String, Vec<Param>),
    ) -> Result<ArticleListing, StoreError> {
        on_backend!(self.backend(), db => {
            let conn = &mut *db.reader().await?;
            let total = total_of(&backend::query::fetch_all(&mut *conn, &count_sql, &count_params).await?)?;
            let articles = load_found_articles!(backend, conn, &ids_sql, &ids_params)?;
            Ok(ArticleListing { articles, total })
        })
    }

    /// Up to `limit` published articles with ids above `after`, by id: for walking every
    /// published article in batches (rebuilding the search index) without OFFSET's cost.
    pub async fn published_articles_after(
        &self,
        after: ArticleId,
        limit: u64,
    ) -> Result<Vec<Article>, StoreError> {
        let sql = "select id from articles where status = $1 and id > $2 order by id limit $3";
        let params = [
            Param::Text(Status::Published.as_str().to_owned()),
            Param::Int(after.0),
            Param::Int(i64::try_from(limit).unwrap_or(i64::MAX)),
        ];
        on_backend!(self.backend(), db => {
            let conn = &mut *db.reader().await?;
            load_found_articles!(backend, conn, sql, &params)
        })
    }

    /// The article with this id now (any status).
    #[tracing::instrument(skip(self), level = "debug")]
    pub async fn articles_by_ids(&self, ids: &[ArticleId]) -> Result<Vec<Article>, StoreError> {
        let ids: Vec<i64> = ids.iter().map(|id| id.0).collect();
        on_backend!(self.backend(), db => {
            let conn = &mut *db.reader().await?;
            load_articles!(backend, conn, &ids)
        })
    }

    /// The most statements any open reader connection keeps prepared: for tests and
    /// diagnostics of the statement caches (see `query::placeholders`). It holds every open
    /// connection at once, so which one the pool would hand out next does not matter. A
    /// connection dropped a moment ago is still on its way back to the pool (a task returns
    /// it), and asking for one then would open a new, empty connection instead: so it first
    /// lets those returns finish.
    pub async fn statements_kept_by_readers(&self) -> Result<usize, StoreError> {
        use sqlx::Connection as _;
        // The same steps on either backend's pool (their connection types differ).
        macro_rules! most_kept {
            ($db:expr) => {{
                settle(|| $db.readers_idle()).await;
                let mut held = Vec::new();
                for _ in 0..$db.reader_count() {
                    held.push($db.reader().await?);
                }
                Ok(held
                    .iter_mut()
                    .map(|c| c.cached_statements_size())
                    .max()
                    .unwrap_or(0))
            }};
        }
        match self.backend() {
            crate::store::Backend::Sqlite(db) => most_kept!(db),
            crate::store::Backend::Postgres(db) => most_kept!(db),
        }
    }

    /// The page at `/{a}/{b}/…/{slug}/`, however deep, in any status: each slug is a child of
    /// the one before it.
    #[tracing::instrument(skip(self), level = "debug")]
    pub async fn page_at_path(&self, slugs: &[Slug]) -> Result<Option<Page>, StoreError> {
        let mut found: Option<Page> = None;
        for slug in slugs {
            let (sql, params) = match &found {
                None => (
                    format!(
                        "select {PAGE_COLUMNS} from pages where parent_id is null and slug = $1"
                    ),
                    vec![Param::Text(slug.as_str().to_owned())],
                ),
                Some(parent) => (
                    format!("select {PAGE_COLUMNS} from pages where parent_id = $2 and slug = $1"),
                    vec![
                        Param::Text(slug.as_str().to_owned()),
                        Param::Int(parent.id.0),
                    ],
                ),
            };
            let page = on_backend!(self.backend(), db => {
                let rows = backend::query::fetch_all(&mut *db.reader().await?, &sql, &params).await?;
                rows.first().map(page_from_row).transpose()
            })?;
            match page {
                Some(page) => found = Some(page),
                None => return Ok(None),
            }
        }
        Ok(found)
    }

    /// When the next scheduled article is due: the moment every cached page that lists
    /// articles goes stale.
    #[tracing::instrument(skip(self), level = "debug")]
    pub async fn next_scheduled_publication(&self) -> Result<Option<Timestamp>, StoreError> {
        let sql = "select min(published_at) as due from articles where status = $1";
        let params = [Param::Text(Status::Scheduled.as_str().to_owned())];
        on_backend!(self.backend(), db => {
            let rows = backend::query::fetch_all(&mut *db.reader().await?, sql, &params).await?;
            match rows.first() {
                Some(row) => row.opt_time("due"),
                None => Ok(None),
            }
        })
    }
}

/// Waits until `all_idle`, for at most 10 s (a connection held elsewhere stays out). A task
/// returns each dropped connection to the pool; on a busy machine a few thousand turns of
/// this task were not always enough for it to run, and asking for a connection then opened
/// a new, empty one in place of the one on its way back.
async fn settle(all_idle: impl Fn() -> bool) {
    for _ in 0..10_000 {
        if all_idle() {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(1)).await;
    }
}

impl crate::WriteTx {
    /// Published articles in id order, `limit` after skipping `offset`, seeing this unit's own
    /// writes: for changes that walk every article (a new permalink pattern).
    pub async fn published_articles_page(
        &mut self,
        offset: u64,
        limit: u64,
    ) -> Result<Vec<Article>, StoreError> {
        let sql =
            "select id from articles where status = 'published' order by id limit $1 offset $2";
        let params = [
            Param::Int(i64::try_from(limit).unwrap_or(i64::MAX)),
            Param::Int(i64::try_from(offset).unwrap_or(i64::MAX)),
        ];
        crate::store::on_tx!(self, conn => load_found_articles!(backend, conn, sql, &params))
    }
}
