//! Share (preview) links: who made which link to which article, and until when. Only a hash
//! of each link's token is kept, as for sessions.

use gazette_core::{ArticleId, PersonId};
use jiff::Timestamp;

use crate::query::Param;
use crate::rows::RowExt;
use crate::store::{on_backend, on_tx};
use crate::{Store, StoreError, WriteTx};

/// One share link, without its token (which is never kept).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShareLink {
    pub id: i64,
    pub article: ArticleId,
    /// Who made it; None once their account is gone.
    pub created_by: Option<PersonId>,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
}

const COLUMNS: &str = "id, article_id, created_by, created_at, expires_at";

fn from_row(row: &impl RowExt) -> Result<ShareLink, StoreError> {
    Ok(ShareLink {
        id: row.int("id")?,
        article: ArticleId(row.int("article_id")?),
        created_by: row.opt_int("created_by")?.map(PersonId),
        created_at: row.time("created_at")?,
        expires_at: row.time("expires_at")?,
    })
}

impl WriteTx {
    /// Records a new share link to `article` by the hash of its token, and forgets the
    /// article's links that have expired.
    pub async fn insert_share_link(
        &mut self,
        article: ArticleId,
        token_hash: &str,
        created_by: PersonId,
        expires_at: Timestamp,
    ) -> Result<ShareLink, StoreError> {
        let expired = "delete from share_links where article_id = $1 and expires_at <= $2";
        let params = [Param::Int(article.0), Param::Time(self.now)];
        on_tx!(self, conn => backend::query::execute(conn, expired, &params).await)?;
        let sql = format!(
            "insert into share_links (article_id, token_hash, created_by, created_at, expires_at) \
             values ($1, $2, $3, $4, $5) returning {COLUMNS}"
        );
        let params = [
            Param::Int(article.0),
            Param::Text(token_hash.to_owned()),
            Param::Int(created_by.0),
            Param::Time(self.now),
            Param::Time(expires_at),
        ];
        on_tx!(self, conn => {
            let rows = backend::query::fetch_all(conn, &sql, &params).await?;
            rows.first().map(from_row).transpose()?.ok_or(StoreError::InvalidReference)
        })
    }

    /// Revokes one of `article`'s share links; false if it has no such link.
    pub async fn revoke_share_link(
        &mut self,
        article: ArticleId,
        id: i64,
    ) -> Result<bool, StoreError> {
        let sql = "delete from share_links where id = $1 and article_id = $2";
        let params = [Param::Int(id), Param::Int(article.0)];
        let gone = on_tx!(self, conn => backend::query::execute(conn, sql, &params).await)?;
        Ok(gone > 0)
    }

    /// Forgets every link that expired before `now`; returns how many.
    pub async fn prune_share_links(&mut self) -> Result<u64, StoreError> {
        let sql = "delete from share_links where expires_at <= $1";
        let params = [Param::Time(self.now)];
        on_tx!(self, conn => backend::query::execute(conn, sql, &params).await)
    }
}

impl Store {
    /// An article's share links that still work, oldest first.
    pub async fn share_links(&self, article: ArticleId) -> Result<Vec<ShareLink>, StoreError> {
        let sql = format!(
            "select {COLUMNS} from share_links where article_id = $1 and expires_at > $2 \
             order by id"
        );
        let params = [Param::Int(article.0), Param::Time(self.now())];
        on_backend!(self.backend(), db => {
            let rows = backend::query::fetch_all(&mut *db.reader().await?, &sql, &params).await?;
            rows.iter().map(from_row).collect()
        })
    }

    /// The unexpired link whose token hashes to `token_hash`.
    pub async fn share_link_by_hash(
        &self,
        token_hash: &str,
    ) -> Result<Option<ShareLink>, StoreError> {
        let sql =
            format!("select {COLUMNS} from share_links where token_hash = $1 and expires_at > $2");
        let params = [Param::Text(token_hash.to_owned()), Param::Time(self.now())];
        on_backend!(self.backend(), db => {
            let rows = backend::query::fetch_all(&mut *db.reader().await?, &sql, &params).await?;
            rows.first().map(from_row).transpose()
        })
    }
}
