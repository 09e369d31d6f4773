//! What readers see: published articles by archive (home, section, tag, author, date), pages
//! by path, and the next moment a scheduled article goes live.
//!
//! The SQL here is the same on both backends, built at run time because filters and `in (…)`
//! lists vary; each backend only binds and runs it (`backend::query`). Any number of articles
//! loads in two queries: their rows, then all their bylines, sections and tags at once.

use std::collections::HashMap;

use gazette_core::{Article, ArticleId, Page, PersonId, SectionId, Slug, Status, TagId};
use jiff::Timestamp;

use crate::articles::{ARTICLE_COLUMNS, ArticleLinks, article_from_row};
use crate::pages::{PAGE_COLUMNS, page_from_row};
use crate::query::{Param, placeholders};
use crate::rows::RowExt;
use crate::store::on_backend;
use crate::{Store, StoreError};

/// Which published articles a listing shows.
#[derive(Debug, Clone, PartialEq, Eq)]
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

/// A listing as WordPress's REST API asks for it: any of these filters together, in one of
/// its orders. Empty lists do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArticleQuery {
    /// Statuses shown; empty means published.
    pub statuses: Vec<Status>,
    /// In any of these sections (primary or further).
    pub sections: Vec<SectionId>,
    /// With any of these tags.
    pub tags: Vec<TagId>,
    /// By any of these people.
    pub authors: Vec<PersonId>,
    pub ids: Vec<ArticleId>,
    /// Published strictly after or before these times.
    pub after: Option<Timestamp>,
    pub before: Option<Timestamp>,
    pub sticky: Option<bool>,
    /// Only articles without a password (those whose text readers may search).
    pub without_password: bool,
    pub order_by: ArticleOrder,
    pub ascending: bool,
}

/// What a REST listing is sorted by (then by id, the same way).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ArticleOrder {
    #[default]
    Published,
    Modified,
    Id,
    Headline,
    Slug,
}

impl ArticleQuery {
    /// The `where` clause, pushing its parameters.
    fn clause(&self, params: &mut Vec<Param>) -> String {
        let mut conditions = Vec::new();
        let list = |params: &mut Vec<Param>, values: Vec<Param>| {
            let start = params.len() + 1;
            let count = values.len();
            params.extend(values);
            placeholders(start, count)
        };
        let statuses: Vec<Param> = if self.statuses.is_empty() {
            vec![Param::Text(Status::Published.as_str().to_owned())]
        } else {
            self.statuses
                .iter()
                .map(|s| Param::Text(s.as_str().to_owned()))
                .collect()
        };
        conditions.push(format!("status in ({})", list(params, statuses)));
        if !self.sections.is_empty() {
            let ids = list(
                params,
                self.sections.iter().map(|s| Param::Int(s.0)).collect(),
            );
            conditions.push(format!(
                "(primary_section_id in ({ids}) or id in \
                 (select article_id from article_sections where section_id in ({ids})))"
            ));
        }
        if !self.tags.is_empty() {
            let ids = list(params, self.tags.iter().map(|t| Param::Int(t.0)).collect());
            conditions.push(format!(
                "id in (select article_id from article_tags where tag_id in ({ids}))"
            ));
        }
        if !self.authors.is_empty() {
            let ids = list(
                params,
                self.authors.iter().map(|p| Param::Int(p.0)).collect(),
            );
            conditions.push(format!(
                "id in (select article_id from article_authors where person_id in ({ids}))"
            ));
        }
        if !self.ids.is_empty() {
            let ids = list(params, self.ids.iter().map(|a| Param::Int(a.0)).collect());
            conditions.push(format!("id in ({ids})"));
        }
        if let Some(after) = self.after {
            params.push(Param::Time(after));
            conditions.push(format!("published_at > ${}", params.len()));
        }
        if let Some(before) = self.before {
            params.push(Param::Time(before));
            conditions.push(format!("published_at < ${}", params.len()));
        }
        if let Some(sticky) = self.sticky {
            params.push(Param::Bool(sticky));
            conditions.push(format!("sticky = ${}", params.len()));
        }
        if self.without_password {
            conditions.push("password is null".to_owned());
        }
        conditions.join(" and ")
    }

    fn order(&self) -> String {
        // Published articles all have a date; with drafts among them, an undated one sorts
        // by when it was made, the same on both backends (which place nulls differently).
        let only_published = self.statuses.iter().all(|s| *s == Status::Published);
        let column = match self.order_by {
            ArticleOrder::Published if only_published => "published_at",
            ArticleOrder::Published => "coalesce(published_at, created_at)",
            ArticleOrder::Modified => "updated_at",
            ArticleOrder::Id => "id",
            ArticleOrder::Headline => "headline",
            ArticleOrder::Slug => "slug",
        };
        let direction = if self.ascending { "asc" } else { "desc" };
        format!("{column} {direction}, id {direction}")
    }
}

/// What the newsroom's article list shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeskFilter {
    /// One status; None shows everything but the trash.
    pub status: Option<Status>,
    /// Articles in this section (primary or further).
    pub section: Option<SectionId>,
    pub author: Option<PersonId>,
    /// Words the headline contains, case-insensitively.
    pub headline_contains: String,
    /// When set, private and trashed articles are listed only if this person wrote them: the
    /// desk of someone who may not read others' private work.
    pub private_only_of: Option<PersonId>,
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

pub(crate) fn articles_by_ids_sql(count: usize) -> String {
    format!(
        "select {ARTICLE_COLUMNS} from articles where id in ({})",
        placeholders(1, count)
    )
}

/// Bylines, sections and tags of several articles, in one query.
pub(crate) fn links_by_ids_sql(count: usize) -> String {
    let list = placeholders(1, count);
    format!(
        "select article_id, 'a' as kind, person_id as linked, position from article_authors \
             where article_id in ({list}) \
         union all select article_id, 's', section_id, position from article_sections \
             where article_id in ({list}) \
         union all select article_id, 't', tag_id, position from article_tags \
             where article_id in ({list}) \
         order by article_id, kind, position"
    )
}

/// Decodes the rows of the two queries above into articles, in the order of `ids`.
pub(crate) fn assemble_articles<R: RowExt>(
    ids: &[i64],
    rows: &[R],
    link_rows: &[R],
) -> Result<Vec<Article>, StoreError> {
    let mut links: HashMap<i64, ArticleLinks> = HashMap::new();
    for row in link_rows {
        let entry = links.entry(row.int("article_id")?).or_default();
        let linked = row.int("linked")?;
        match row.text("kind")?.as_str() {
            "a" => entry.authors.push(linked),
            "s" => entry.sections.push(linked),
            _ => entry.tags.push(linked),
        }
    }
    let mut by_id = HashMap::with_capacity(rows.len());
    for row in rows {
        let id = row.int("id")?;
        let article = article_from_row(row, links.remove(&id).unwrap_or_default())?;
        by_id.insert(id, article);
    }
    Ok(ids.iter().filter_map(|id| by_id.remove(id)).collect())
}

/// Loads the articles with these ids (missing ones are skipped), in order, on a connection
/// of either backend.
macro_rules! load_articles {
    ($backend:ident, $conn:expr, $ids:expr) => {{
        let ids: &[i64] = $ids;
        if ids.is_empty() {
            Ok(Vec::new())
        } else {
            let params: Vec<crate::query::Param> =
                ids.iter().map(|id| crate::query::Param::Int(*id)).collect();
            let sql = crate::listings::articles_by_ids_sql(ids.len());
            let rows = $backend::query::fetch_all(&mut *$conn, &sql, &params).await?;
            let sql = crate::listings::links_by_ids_sql(ids.len());
            let links = $backend::query::fetch_all(&mut *$conn, &sql, &params).await?;
            crate::listings::assemble_articles(ids, &rows, &links)
        }
    }};
}
pub(crate) use load_articles;

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
        let mut params = Vec::new();
        let clause = filter_clause(filter, &mut params);
        self.listing(&clause, params, "published_at desc, id desc", offset, limit)
            .await
    }

    /// The articles `query` selects, in its order: `limit` of them after skipping `offset`,
    /// with how many it selects in all.
    #[tracing::instrument(skip(self), level = "debug")]
    pub async fn query_articles(
        &self,
        query: &ArticleQuery,
        offset: u64,
        limit: u64,
    ) -> Result<ArticleListing, StoreError> {
        let mut params = Vec::new();
        let clause = query.clause(&mut params);
        self.listing(&clause, params, &query.order(), offset, limit)
            .await
    }

    /// The ids of every article `query` selects, in no particular order: for narrowing a
    /// list of ids found elsewhere (the search index's matches) that stays in its own order.
    #[tracing::instrument(skip(self), level = "debug")]
    pub async fn query_article_ids(
        &self,
        query: &ArticleQuery,
    ) -> Result<Vec<ArticleId>, StoreError> {
        let mut params = Vec::new();
        let sql = format!(
            "select id from articles where {}",
            query.clause(&mut params)
        );
        on_backend!(self.backend(), db => {
            let rows = backend::query::fetch_all(&mut *db.reader().await?, &sql, &params).await?;
            rows.iter().map(|row| row.int("id").map(ArticleId)).collect()
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
        let count_sql = format!("select count(*) as total from articles where {clause}");
        let n = params.len();
        let ids_sql = format!(
            "select id from articles where {clause} order by {order} limit ${} offset ${}",
            n + 1,
            n + 2
        );
        let mut page_params = params.clone();
        page_params.push(Param::Int(i64::try_from(limit).unwrap_or(i64::MAX)));
        page_params.push(Param::Int(i64::try_from(offset).unwrap_or(i64::MAX)));
        on_backend!(self.backend(), db => {
            let conn = &mut *db.reader().await?;
            let counted = backend::query::fetch_all(&mut *conn, &count_sql, &params).await?;
            let total = match counted.first() {
                Some(row) => row.int("total")?,
                None => 0,
            };
            let id_rows = backend::query::fetch_all(&mut *conn, &ids_sql, &page_params).await?;
            let ids = id_rows.iter().map(|row| row.int("id")).collect::<Result<Vec<_>, _>>()?;
            let articles = load_articles!(backend, conn, &ids)?;
            Ok(ArticleListing { articles, total: u64::try_from(total).unwrap_or(0) })
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
            let id_rows = backend::query::fetch_all(&mut *conn, sql, &params).await?;
            let ids = id_rows.iter().map(|row| row.int("id")).collect::<Result<Vec<_>, _>>()?;
            load_articles!(backend, conn, &ids)
        })
    }

    /// WordPress's search, for comparison in benchmarks: published articles whose headline,
    /// standfirst or body contains every word (a case-insensitive `LIKE '%word%'` scan), those
    /// with a word in the headline first, then newest first. Gazette's own search uses the
    /// tantivy index instead.
    pub async fn search_like(
        &self,
        words: &[String],
        limit: u64,
    ) -> Result<Vec<ArticleId>, StoreError> {
        let like = match self.kind() {
            crate::BackendKind::Sqlite => "like",
            crate::BackendKind::Postgres => "ilike",
        };
        // As WordPress does, more than nine words are searched as one phrase (each word is a
        // condition, and a long query would be slow everywhere and too deep for SQLite).
        let phrase;
        let words = if words.len() > 9 {
            phrase = [words.join(" ")];
            &phrase[..]
        } else {
            words
        };
        let mut params = vec![Param::Text(Status::Published.as_str().to_owned())];
        let mut all = Vec::new();
        let mut in_headline = Vec::new();
        for word in words {
            params.push(Param::Text(contains_pattern(word)));
            let n = params.len();
            all.push(format!(
                "(headline {like} ${n} escape '\\' or standfirst {like} ${n} escape '\\' \
                 or body_source {like} ${n} escape '\\')"
            ));
            in_headline.push(format!("headline {like} ${n} escape '\\'"));
        }
        if all.is_empty() {
            return Ok(Vec::new());
        }
        params.push(Param::Int(i64::try_from(limit).unwrap_or(i64::MAX)));
        let sql = format!(
            "select id from articles where status = $1 and {} \
             order by case when {} then 0 else 1 end, published_at desc limit ${}",
            all.join(" and "),
            in_headline.join(" or "),
            params.len()
        );
        on_backend!(self.backend(), db => {
            let conn = &mut *db.reader().await?;
            let rows = backend::query::fetch_all(&mut *conn, &sql, &params).await?;
            rows.iter().map(|row| row.int("id").map(ArticleId)).collect()
        })
    }

    /// Articles for the newsroom's list, most recently saved first.
    #[tracing::instrument(skip(self), level = "debug")]
    pub async fn desk_articles(
        &self,
        filter: &DeskFilter,
        limit: u64,
    ) -> Result<Vec<Article>, StoreError> {
        let mut params = Vec::new();
        let mut conditions = Vec::new();
        let next = |params: &mut Vec<Param>, value: Param| {
            params.push(value);
            format!("${}", params.len())
        };
        match filter.status {
            Some(status) => {
                let p = next(&mut params, Param::Text(status.as_str().to_owned()));
                conditions.push(format!("status = {p}"));
            }
            // Trash is shown only when asked for, as in WordPress.
            None => conditions.push("status <> 'trashed'".to_owned()),
        }
        if let Some(person) = filter.private_only_of {
            let p = next(&mut params, Param::Int(person.0));
            conditions.push(format!(
                "(status not in ('private', 'trashed') or id in \
                 (select article_id from article_authors where person_id = {p}))"
            ));
        }
        if let Some(section) = filter.section {
            let p = next(&mut params, Param::Int(section.0));
            conditions.push(format!(
                "(primary_section_id = {p} or id in (select article_id from article_sections where section_id = {p}))"
            ));
        }
        if let Some(author) = filter.author {
            let p = next(&mut params, Param::Int(author.0));
            conditions.push(format!(
                "id in (select article_id from article_authors where person_id = {p})"
            ));
        }
        let words = filter.headline_contains.trim().to_lowercase();
        if !words.is_empty() {
            let p = next(&mut params, Param::Text(contains_pattern(&words)));
            conditions.push(format!("lower(headline) like {p} escape '\\'"));
        }
        let p = next(
            &mut params,
            Param::Int(i64::try_from(limit).unwrap_or(i64::MAX)),
        );
        let sql = format!(
            "select id from articles where {} order by updated_at desc, id desc limit {p}",
            conditions.join(" and ")
        );
        on_backend!(self.backend(), db => {
            let conn = &mut *db.reader().await?;
            let rows = backend::query::fetch_all(&mut *conn, &sql, &params).await?;
            let ids = rows.iter().map(|row| row.int("id")).collect::<Result<Vec<_>, _>>()?;
            load_articles!(backend, conn, &ids)
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
        crate::store::on_tx!(self, conn => {
            let id_rows = backend::query::fetch_all(&mut *conn, sql, &params).await?;
            let ids = id_rows.iter().map(|row| row.int("id")).collect::<Result<Vec<_>, _>>()?;
            load_articles!(backend, conn, &ids)
        })
    }
}
