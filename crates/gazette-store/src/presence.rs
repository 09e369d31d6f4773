//! Who has an article open in the editor, so that a second person is told and may take it over
//! explicitly. Rows live in the database (any node answers any heartbeat); they change no
//! page, so they record no change for the caches.

use gazette_core::{ArticleId, PersonId};
use jiff::Timestamp;

use crate::query::Param;
use crate::rows::RowExt;
use crate::store::{on_backend, on_tx};
use crate::{Store, StoreError, WriteTx};

/// One open editor page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Presence {
    pub tab: String,
    pub person: PersonId,
    pub opened_at: Timestamp,
    pub seen_at: Timestamp,
    /// Who took the article over from this page, if someone did.
    pub taken_over_by: Option<PersonId>,
}

const COLUMNS: &str = "tab, person_id, opened_at, seen_at, taken_over_by";

fn from_row(row: &impl RowExt) -> Result<Presence, StoreError> {
    Ok(Presence {
        tab: row.text("tab")?,
        person: PersonId(row.int("person_id")?),
        opened_at: row.time("opened_at")?,
        seen_at: row.time("seen_at")?,
        taken_over_by: row.opt_int("taken_over_by")?.map(PersonId),
    })
}

impl WriteTx {
    /// Records that `person`'s editor page `tab` has `article` open now (opening it, or still
    /// there).
    pub async fn touch_presence(
        &mut self,
        article: ArticleId,
        tab: &str,
        person: PersonId,
    ) -> Result<Presence, StoreError> {
        let sql = format!(
            "insert into article_presence (article_id, tab, person_id, opened_at, seen_at) \
             values ($1, $2, $3, $4, $4) \
             on conflict (article_id, tab) do update set seen_at = excluded.seen_at \
             returning {COLUMNS}"
        );
        let params = [
            Param::Int(article.0),
            Param::Text(tab.to_owned()),
            Param::Int(person.0),
            Param::Time(self.now),
        ];
        on_tx!(self, conn => {
            let rows = backend::query::fetch_all(conn, &sql, &params).await?;
            rows.first().map(from_row).transpose()?.ok_or(StoreError::InvalidReference)
        })
    }

    /// `person` takes `article` over from every other person's page seen since `live_since`;
    /// returns how many pages were taken over.
    pub async fn take_over_article(
        &mut self,
        article: ArticleId,
        person: PersonId,
        live_since: Timestamp,
    ) -> Result<u64, StoreError> {
        let sql = "update article_presence set taken_over_by = $2 \
                   where article_id = $1 and person_id <> $2 and seen_at >= $3 \
                   and taken_over_by is null";
        let params = [
            Param::Int(article.0),
            Param::Int(person.0),
            Param::Time(live_since),
        ];
        on_tx!(self, conn => backend::query::execute(conn, sql, &params).await)
    }

    /// Forgets the pages not seen since `before` (closed without saying so); returns how many.
    pub async fn prune_presence(&mut self, before: Timestamp) -> Result<u64, StoreError> {
        let sql = "delete from article_presence where seen_at < $1";
        on_tx!(self, conn => backend::query::execute(conn, sql, &[Param::Time(before)]).await)
    }

    /// Forgets an editor page that was closed.
    pub async fn leave_article(&mut self, article: ArticleId, tab: &str) -> Result<(), StoreError> {
        let sql = "delete from article_presence where article_id = $1 and tab = $2";
        let params = [Param::Int(article.0), Param::Text(tab.to_owned())];
        on_tx!(self, conn => backend::query::execute(conn, sql, &params).await)?;
        Ok(())
    }
}

impl Store {
    /// The pages that have `article` open and were seen since `live_since`, first opened
    /// first.
    pub async fn article_presence(
        &self,
        article: ArticleId,
        live_since: Timestamp,
    ) -> Result<Vec<Presence>, StoreError> {
        let sql = format!(
            "select {COLUMNS} from article_presence where article_id = $1 and seen_at >= $2 \
             order by opened_at, tab"
        );
        let params = [Param::Int(article.0), Param::Time(live_since)];
        on_backend!(self.backend(), db => {
            let rows = backend::query::fetch_all(&mut *db.reader().await?, &sql, &params).await?;
            rows.iter().map(from_row).collect()
        })
    }
}
