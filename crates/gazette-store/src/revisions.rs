//! Revisions of published articles: the text each save left, to list, compare and restore.

use gazette_core::{Article, ArticleId, BodyFormat, PersonId};
use jiff::Timestamp;

use crate::query::Param;
use crate::rows::RowExt;
use crate::store::{on_backend, on_tx};
use crate::{Store, StoreError, WriteTx};

/// A revision's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RevisionId(pub i64);

/// The text of an article as one save left it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revision {
    pub id: RevisionId,
    pub article: ArticleId,
    pub saved_at: Timestamp,
    /// Who saved it; None for the job runner or a removed account.
    pub saved_by: Option<PersonId>,
    pub headline: String,
    pub standfirst: String,
    pub body_format: BodyFormat,
    pub body_source: String,
    /// The body was trusted raw HTML when saved (see `gazette_core::desk::raw_html_trusted`).
    pub unfiltered_html: bool,
}

const COLUMNS: &str = "id, article_id, saved_at, saved_by, headline, standfirst, body_format, \
                       body_source, unfiltered_html";

fn revision_from_row(row: &impl RowExt) -> Result<Revision, StoreError> {
    let format = row.text("body_format")?;
    Ok(Revision {
        id: RevisionId(row.int("id")?),
        article: ArticleId(row.int("article_id")?),
        saved_at: row.time("saved_at")?,
        saved_by: row.opt_int("saved_by")?.map(PersonId),
        headline: row.text("headline")?,
        standfirst: row.text("standfirst")?,
        body_format: BodyFormat::parse(&format)
            .ok_or_else(|| StoreError::corrupt("body format", &format))?,
        body_source: row.text("body_source")?,
        unfiltered_html: row.flag("unfiltered_html")?,
    })
}

impl WriteTx {
    /// Keeps the article's text as this save leaves it.
    pub async fn insert_revision(
        &mut self,
        article: &Article,
        saved_by: Option<PersonId>,
    ) -> Result<(), StoreError> {
        let sql = "insert into article_revisions (article_id, saved_at, saved_by, headline, \
                   standfirst, body_format, body_source, unfiltered_html) \
                   values ($1, $2, $3, $4, $5, $6, $7, $8)";
        let saved_by = match saved_by {
            Some(person) => Param::Int(person.0),
            None => Param::Null,
        };
        let params = [
            Param::Int(article.id.0),
            Param::Time(self.now),
            saved_by,
            Param::Text(article.headline.clone()),
            Param::Text(article.standfirst.clone()),
            Param::Text(article.body_format.as_str().to_owned()),
            Param::Text(article.body_source.clone()),
            Param::Bool(article.unfiltered_html),
        ];
        on_tx!(self, conn => backend::query::execute(conn, sql, &params).await)?;
        Ok(())
    }
}

impl Store {
    /// An article's revisions, newest first.
    pub async fn revisions(&self, article: ArticleId) -> Result<Vec<Revision>, StoreError> {
        let sql = format!(
            "select {COLUMNS} from article_revisions where article_id = $1 order by id desc"
        );
        let params = [Param::Int(article.0)];
        on_backend!(self.backend(), db => {
            let rows = backend::query::fetch_all(&mut *db.reader().await?, &sql, &params).await?;
            rows.iter().map(revision_from_row).collect()
        })
    }

    /// One revision.
    pub async fn revision(&self, id: RevisionId) -> Result<Option<Revision>, StoreError> {
        let sql = format!("select {COLUMNS} from article_revisions where id = $1");
        let params = [Param::Int(id.0)];
        on_backend!(self.backend(), db => {
            let rows = backend::query::fetch_all(&mut *db.reader().await?, &sql, &params).await?;
            rows.first().map(revision_from_row).transpose()
        })
    }
}
