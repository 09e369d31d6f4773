//! Articles with their bylines, sections and tags.
//!
//! Here: creating, saving, deleting and reading them. `new_article` holds what an editor
//! creates; `columns` the row and the conversions to and from it.

mod columns;
mod new_article;

use gazette_core::{Article, ArticleId, PersonId, SectionId, Slug, Status, TagId};

use crate::changes::ChangeKind;
use crate::query::Param;
use crate::store::{TxConn, on_backend, on_tx};
use crate::{NewJob, Store, StoreError, WriteTx};
use columns::{ARTICLE_FIELDS, article_params};

pub(crate) use columns::{ARTICLE_COLUMNS, ArticleLinks, article_from_row};
pub use new_article::NewArticle;

/// The kind of the job that publishes a scheduled article; its payload is
/// `{"article_id": N}`.
pub const PUBLISH_SCHEDULED: &str = "publish_scheduled";

fn publication_job_key(id: ArticleId) -> String {
    format!("{PUBLISH_SCHEDULED}:{id}")
}

impl WriteTx {
    /// Creates an article with its bylines, sections and tags. A taken slug is a `Conflict`;
    /// an unknown person, section or tag is an `InvalidReference`.
    #[tracing::instrument(skip(self, new), fields(slug = %new.slug))]
    pub async fn insert_article(&mut self, new: NewArticle) -> Result<Article, StoreError> {
        let now = self.now;
        let new_id = match self.conn {
            TxConn::Sqlite(_) => crate::sqlite::articles::NEW_ID,
            TxConn::Postgres(_) => crate::postgres::articles::NEW_ID,
        };
        let sql = format!(
            "insert into articles (id, {ARTICLE_FIELDS}, created_at) \
             values ({new_id}, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, \
             $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31, \
             $21) returning id"
        );
        let mut params = vec![Param::opt_int(new.id.map(|id| id.0))];
        params.extend(article_params(
            &new.clone().into_article(ArticleId(0), now),
            now,
        ));
        let crate::sql::Id(id) = self.fetch_one(&sql, &params).await?;
        if new.id.is_some() {
            on_tx!(self, conn => backend::articles::after_explicit_id(conn).await)?;
        }
        self.replace_links(id, &new.authors, &new.further_sections, &new.tags)
            .await?;
        self.record_change(ChangeKind::Article, Some(id));
        let article = new.into_article(ArticleId(id), now);
        self.sync_publication_job(&article).await?;
        Ok(article)
    }

    /// Saves every field of an existing article and stamps `updated_at`.
    #[tracing::instrument(skip(self, article), fields(id = article.id.0))]
    pub async fn update_article(&mut self, article: &Article) -> Result<Article, StoreError> {
        let now = self.now;
        let assignments: Vec<String> = ARTICLE_FIELDS
            .split(", ")
            .enumerate()
            .map(|(n, column)| format!("{column} = ${}", n + 2))
            .collect();
        let sql = format!(
            "update articles set {} where id = $1",
            assignments.join(", ")
        );
        let mut params = vec![Param::Int(article.id.0)];
        params.extend(article_params(article, now));
        let found = self.execute(&sql, &params).await? == 1;
        if found {
            self.replace_links(
                article.id.0,
                &article.authors,
                &article.further_sections,
                &article.tags,
            )
            .await?;
        }
        if !found {
            return Err(StoreError::NotFound { what: "article" });
        }
        self.record_change(ChangeKind::Article, Some(article.id.0));
        self.sync_publication_job(article).await?;
        Ok(Article {
            updated_at: now,
            ..article.clone()
        })
    }

    /// Keeps the article's publication job in step with its status, in the same unit of work:
    /// a scheduled article has exactly one job due at its publication time; any other status
    /// has none. So an article can never be scheduled without being published on time, nor
    /// published by a job after an editor unscheduled it.
    pub(crate) async fn sync_publication_job(
        &mut self,
        article: &Article,
    ) -> Result<(), StoreError> {
        let key = publication_job_key(article.id);
        match (article.status, article.published_at) {
            (Status::Scheduled, Some(due)) => {
                let payload = serde_json::json!({ "article_id": article.id.0 });
                let job = NewJob::new(PUBLISH_SCHEDULED, payload, due).dedupe_key(key);
                self.enqueue_job(&job).await?;
            }
            _ => {
                self.cancel_job(&key).await?;
            }
        }
        Ok(())
    }

    /// Deletes an article for good, with its comments, revisions and old addresses (the
    /// database cascades); search and caches forget it through the change feed.
    pub async fn delete_article(&mut self, id: ArticleId) -> Result<bool, StoreError> {
        // The article's row first, then its job: the order every unit of work takes them in.
        if !self.lock_article(id).await? {
            return Ok(false);
        }
        self.cancel_job(&publication_job_key(id)).await?;
        let sql = "delete from articles where id = $1";
        let params = [Param::Int(id.0)];
        let deleted = on_tx!(self, conn => backend::query::execute(conn, sql, &params).await)?;
        self.record_change(ChangeKind::Article, Some(id.0));
        Ok(deleted > 0)
    }

    /// Locks the article's row until this unit of work ends, so that work touching the
    /// article and its job takes locks in the same order as an editor's save (article first,
    /// then job) and two such units never deadlock. SQLite's single writer already serialises
    /// units, so there it only checks the article exists.
    pub async fn lock_article(&mut self, id: ArticleId) -> Result<bool, StoreError> {
        let sql = match self.conn {
            TxConn::Sqlite(_) => crate::sqlite::articles::LOCK,
            TxConn::Postgres(_) => crate::postgres::articles::LOCK,
        };
        let found: Option<crate::sql::Id> = self.fetch_optional(sql, &[Param::Int(id.0)]).await?;
        Ok(found.is_some())
    }

    /// Replaces an article's bylines, further sections and tags, keeping their order.
    async fn replace_links(
        &mut self,
        id: i64,
        authors: &[PersonId],
        sections: &[SectionId],
        tags: &[TagId],
    ) -> Result<(), StoreError> {
        let links = [
            (
                "article_authors",
                "person_id",
                authors.iter().map(|a| a.0).collect::<Vec<_>>(),
            ),
            (
                "article_sections",
                "section_id",
                sections.iter().map(|s| s.0).collect(),
            ),
            ("article_tags", "tag_id", tags.iter().map(|t| t.0).collect()),
        ];
        for (table, column, ids) in links {
            let sql = format!("delete from {table} where article_id = $1");
            self.execute(&sql, &[Param::Int(id)]).await?;
            let sql =
                format!("insert into {table} (article_id, {column}, position) values ($1, $2, $3)");
            for (position, linked) in ids.iter().enumerate() {
                let position = i64::try_from(position).unwrap_or(i64::MAX);
                let params = [Param::Int(id), Param::Int(*linked), Param::Int(position)];
                self.execute(&sql, &params).await?;
            }
        }
        Ok(())
    }

    /// Reads an article inside this unit of work (seeing its own uncommitted writes).
    pub async fn article(&mut self, id: ArticleId) -> Result<Option<Article>, StoreError> {
        on_tx!(self, conn => load_article!(backend, conn, id))
    }
}

/// Loads one article and its links from a connection of either backend.
macro_rules! load_article {
    ($backend:ident, $conn:expr, $id:expr) => {{
        let found: Result<Vec<Article>, StoreError> =
            crate::listings::load_articles!($backend, $conn, &[$id.0]);
        found.map(|articles| articles.into_iter().next())
    }};
}
use load_article;

impl WriteTx {
    /// Replaces an article's rendered body (a renderer update, not an edit: `updated_at` and
    /// revisions are left alone); false if it does not exist.
    pub async fn set_article_rendering(
        &mut self,
        id: ArticleId,
        body_html: &gazette_core::SafeHtml,
        render_version: i32,
    ) -> Result<bool, StoreError> {
        let sql = "update articles set body_html = $2, render_version = $3 where id = $1";
        let params = [
            Param::Int(id.0),
            Param::Text(body_html.as_str().to_owned()),
            Param::Int(i64::from(render_version)),
        ];
        let found = self.execute(sql, &params).await? == 1;
        if found {
            self.record_change(ChangeKind::Article, Some(id.0));
        }
        Ok(found)
    }
}

impl Store {
    /// The ids of articles rendered by a renderer older than `version` (all of them with
    /// `None`), in id order.
    pub async fn article_ids_to_render(
        &self,
        version: Option<i32>,
    ) -> Result<Vec<ArticleId>, StoreError> {
        let (sql, params) = match version {
            Some(v) => (
                "select id from articles where render_version < $1 order by id",
                vec![Param::Int(i64::from(v))],
            ),
            None => ("select id from articles order by id", Vec::new()),
        };
        let ids: Vec<crate::sql::Id> = self.fetch_all(sql, &params).await?;
        Ok(ids.into_iter().map(|id| ArticleId(id.0)).collect())
    }

    #[tracing::instrument(skip(self), level = "debug")]
    pub async fn article(&self, id: ArticleId) -> Result<Option<Article>, StoreError> {
        on_backend!(self.backend(), db => {
            let conn = &mut *db.reader().await?;
            load_article!(backend, conn, id)
        })
    }

    /// The article that has this slug now, with its links, in one query.
    #[tracing::instrument(skip(self), level = "debug")]
    pub async fn article_by_slug(&self, slug: &Slug) -> Result<Option<Article>, StoreError> {
        let params = [Param::Text(slug.as_str().to_owned())];
        let columns = crate::listings::loaded_columns();
        on_backend!(self.backend(), db => {
            let sql = crate::listings::articles_where_sql(backend::query::LIST_AGGREGATE, "slug = $1");
            let conn = &mut *db.reader().await?;
            let rows = backend::query::fetch_packed(conn, &sql, &params, &columns).await?;
            rows.first().map(crate::listings::decode_article).transpose()
        })
    }

    /// Up to `limit` articles with `status`, newest publication first.
    #[tracing::instrument(skip(self), level = "debug")]
    pub async fn articles_with_status(
        &self,
        status: Status,
        limit: i64,
    ) -> Result<Vec<Article>, StoreError> {
        let sql = "select id from articles where status = $1 \
                   order by published_at desc, id desc limit $2";
        let params = [Param::Text(status.as_str().to_owned()), Param::Int(limit)];
        let ids: Vec<crate::sql::Id> = self.fetch_all(sql, &params).await?;
        let ids: Vec<ArticleId> = ids.into_iter().map(|id| ArticleId(id.0)).collect();
        let mut articles = self.articles_by_ids(&ids).await?;
        // In the query's order, newest first.
        articles.sort_by_key(|a| ids.iter().position(|id| *id == a.id));
        Ok(articles)
    }
}
