//! The newsroom's own records about articles: editorial notes with the people they mention,
//! and the day an unpublished article is planned for. No page shows them, so writing one
//! records no change for the caches.

use gazette_core::{ArticleId, PersonId};
use jiff::Timestamp;

use crate::query::Param;
use crate::rows::RowExt;
use crate::store::{on_backend, on_tx};
use crate::{Store, StoreError, WriteTx};

/// One note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub id: i64,
    pub article: ArticleId,
    /// None once the author's account is gone.
    pub author: Option<PersonId>,
    pub body: String,
    pub created_at: Timestamp,
}

/// A note that mentions someone, with the headline of its article (for their dashboard).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    pub note: Note,
    pub headline: String,
}

const COLUMNS: &str = "n.id, n.article_id, n.author_id, n.body, n.created_at";

fn from_row(row: &impl RowExt) -> Result<Note, StoreError> {
    Ok(Note {
        id: row.int("id")?,
        article: ArticleId(row.int("article_id")?),
        author: row.opt_int("author_id")?.map(PersonId),
        body: row.text("body")?,
        created_at: row.time("created_at")?,
    })
}

impl WriteTx {
    /// Adds a note by `author` on `article`, mentioning `mentioned`.
    pub async fn insert_note(
        &mut self,
        article: ArticleId,
        author: PersonId,
        body: &str,
        mentioned: &[PersonId],
    ) -> Result<Note, StoreError> {
        let sql = "insert into article_notes (article_id, author_id, body, created_at) \
                   values ($1, $2, $3, $4) returning id, article_id, author_id, body, created_at";
        let params = [
            Param::Int(article.0),
            Param::Int(author.0),
            Param::Text(body.to_owned()),
            Param::Time(self.now),
        ];
        let note = on_tx!(self, conn => {
            let rows = backend::query::fetch_all(conn, sql, &params).await?;
            rows.first().map(from_row).transpose()?.ok_or(StoreError::InvalidReference)
        })?;
        for person in mentioned {
            let sql = "insert into note_mentions (note_id, person_id) values ($1, $2)";
            let params = [Param::Int(note.id), Param::Int(person.0)];
            on_tx!(self, conn => backend::query::execute(conn, sql, &params).await)?;
        }
        Ok(note)
    }
}

impl WriteTx {
    /// Plans an unpublished article for `day` (`YYYY-MM-DD`), or forgets its plan.
    pub async fn set_article_plan(
        &mut self,
        article: ArticleId,
        day: Option<&str>,
    ) -> Result<(), StoreError> {
        let forget = "delete from article_plans where article_id = $1";
        on_tx!(self, conn => backend::query::execute(conn, forget, &[Param::Int(article.0)]).await)?;
        if let Some(day) = day {
            let sql = "insert into article_plans (article_id, planned_on) values ($1, $2)";
            let params = [Param::Int(article.0), Param::Text(day.to_owned())];
            on_tx!(self, conn => backend::query::execute(conn, sql, &params).await)?;
        }
        Ok(())
    }
}

impl Store {
    /// The day an article is planned for, if it has one.
    pub async fn article_plan(&self, article: ArticleId) -> Result<Option<String>, StoreError> {
        let sql = "select planned_on from article_plans where article_id = $1";
        on_backend!(self.backend(), db => {
            let rows = backend::query::fetch_all(&mut *db.reader().await?, sql, &[Param::Int(article.0)]).await?;
            rows.first().map(|row| row.text("planned_on")).transpose()
        })
    }

    /// The articles planned for the days `first` to `last` (`YYYY-MM-DD`), with their days.
    pub async fn plans_between(
        &self,
        first: &str,
        last: &str,
    ) -> Result<Vec<(ArticleId, String)>, StoreError> {
        let sql = "select article_id, planned_on from article_plans \
                   where planned_on >= $1 and planned_on <= $2 order by planned_on, article_id";
        let params = [Param::Text(first.to_owned()), Param::Text(last.to_owned())];
        on_backend!(self.backend(), db => {
            let rows = backend::query::fetch_all(&mut *db.reader().await?, sql, &params).await?;
            rows.iter()
                .map(|row| Ok((ArticleId(row.int("article_id")?), row.text("planned_on")?)))
                .collect()
        })
    }

    /// An article's notes, oldest first.
    pub async fn article_notes(&self, article: ArticleId) -> Result<Vec<Note>, StoreError> {
        let sql =
            format!("select {COLUMNS} from article_notes n where n.article_id = $1 order by n.id");
        let params = [Param::Int(article.0)];
        on_backend!(self.backend(), db => {
            let rows = backend::query::fetch_all(&mut *db.reader().await?, &sql, &params).await?;
            rows.iter().map(from_row).collect()
        })
    }

    /// The newest notes mentioning `person` since `since`, at most `limit`.
    pub async fn notes_mentioning(
        &self,
        person: PersonId,
        since: Timestamp,
        limit: i64,
    ) -> Result<Vec<Mention>, StoreError> {
        let sql = format!(
            "select {COLUMNS}, a.headline from note_mentions m \
             join article_notes n on n.id = m.note_id \
             join articles a on a.id = n.article_id \
             where m.person_id = $1 and n.created_at >= $2 \
             order by n.created_at desc, n.id desc limit $3"
        );
        let params = [Param::Int(person.0), Param::Time(since), Param::Int(limit)];
        on_backend!(self.backend(), db => {
            let rows = backend::query::fetch_all(&mut *db.reader().await?, &sql, &params).await?;
            rows.iter()
                .map(|row| Ok(Mention { note: from_row(row)?, headline: row.text("headline")? }))
                .collect()
        })
    }
}
