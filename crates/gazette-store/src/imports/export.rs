//! What an export reads: the whole archive walked by id, each batch's comments and retired
//! paths, and the WordPress ids an import remembered, to give back.

use std::collections::HashMap;

use gazette_core::{Article, ArticleId, Comment};

use crate::query::Param;
use crate::rows::RowExt;
use crate::store::on_backend;
use crate::{Store, StoreError, WordPressKind};

impl Store {
    /// What every remembered WordPress object of `kind` became, by Gazette id: the id to
    /// give it back in an export.
    pub async fn wordpress_ids_by_gazette_id(
        &self,
        kind: WordPressKind,
    ) -> Result<HashMap<i64, i64>, StoreError> {
        let sql = "select wp_id, gazette_id from wordpress_ids where kind = $1";
        let params = [Param::Text(kind.as_str().to_owned())];
        let pairs = on_backend!(self.backend(), db => {
            let rows = backend::query::fetch_all(&mut *db.reader().await?, sql, &params).await?;
            rows.iter()
                .map(|row| Ok((row.int("gazette_id")?, row.int("wp_id")?)))
                .collect::<Result<Vec<_>, StoreError>>()
        })?;
        Ok(pairs.into_iter().collect())
    }

    /// Up to `limit` articles of any status with ids above `after`, by id: an export's walk
    /// through the whole archive.
    pub async fn articles_after(
        &self,
        after: ArticleId,
        limit: i64,
    ) -> Result<Vec<Article>, StoreError> {
        let sql = "select id from articles where id > $1 order by id limit $2";
        let params = [Param::Int(after.0), Param::Int(limit)];
        on_backend!(self.backend(), db => {
            let conn = &mut *db.reader().await?;
            crate::listings::load_found_articles!(backend, conn, sql, &params)
        })
    }

    /// Every article's id.
    pub async fn article_ids(&self) -> Result<Vec<i64>, StoreError> {
        let sql = "select id from articles order by id";
        on_backend!(self.backend(), db => {
            let rows = backend::query::fetch_all(&mut *db.reader().await?, sql, &[]).await?;
            rows.iter().map(|row| row.int("id")).collect()
        })
    }

    /// The highest article id in use, 0 when there is none.
    pub async fn highest_article_id(&self) -> Result<i64, StoreError> {
        let sql = "select coalesce(max(id), 0) as highest from articles";
        on_backend!(self.backend(), db => {
            let rows = backend::query::fetch_all(&mut *db.reader().await?, sql, &[]).await?;
            rows.first().map_or(Ok(0), |row| row.int("highest"))
        })
    }

    /// Every comment on these articles, in any status, by id.
    pub async fn comments_of_articles(
        &self,
        articles: &[ArticleId],
    ) -> Result<Vec<Comment>, StoreError> {
        if articles.is_empty() {
            return Ok(Vec::new());
        }
        let params: Vec<Param> = articles.iter().map(|id| Param::Int(id.0)).collect();
        let sql = format!(
            "select {} from comments where article_id in ({}) order by id",
            crate::comments::COLUMNS,
            crate::query::placeholders(1, params.len())
        );
        on_backend!(self.backend(), db => {
            let rows = backend::query::fetch_all(&mut *db.reader().await?, &sql, &params).await?;
            rows.iter().map(crate::comments::comment_from_row).collect()
        })
    }

    /// The retired paths of these articles (older addresses that redirect to them).
    pub async fn retired_paths_of(
        &self,
        articles: &[ArticleId],
    ) -> Result<Vec<(ArticleId, String)>, StoreError> {
        if articles.is_empty() {
            return Ok(Vec::new());
        }
        let params: Vec<Param> = articles.iter().map(|id| Param::Int(id.0)).collect();
        let sql = format!(
            "select article_id, path from article_paths where article_id in ({}) order by path",
            crate::query::placeholders(1, params.len())
        );
        on_backend!(self.backend(), db => {
            let rows = backend::query::fetch_all(&mut *db.reader().await?, &sql, &params).await?;
            rows.iter()
                .map(|row| Ok((ArticleId(row.int("article_id")?), row.text("path")?)))
                .collect()
        })
    }
}
