//! Sign-in sessions, kept in the store so every node recognises them.

use gazette_core::session::TokenHash;
use gazette_core::{Person, PersonId};
use jiff::Timestamp;

use crate::query::Param;
use crate::rows::RowExt;
use crate::store::on_backend;
use crate::{Store, StoreError, WriteTx};

impl WriteTx {
    /// Starts a session for `person` that ends at `expires_at`.
    #[tracing::instrument(skip(self, token))]
    pub async fn insert_session(
        &mut self,
        token: &TokenHash,
        person: PersonId,
        expires_at: Timestamp,
    ) -> Result<(), StoreError> {
        let sql = "insert into sessions (token_hash, person_id, created_at, expires_at) \
                   values ($1, $2, $3, $4)";
        let params = [
            Param::Text(token.0.clone()),
            Param::Int(person.0),
            Param::Time(self.now),
            Param::Time(expires_at),
        ];
        self.execute(sql, &params).await?;
        Ok(())
    }

    /// Ends one session (signing out).
    #[tracing::instrument(skip_all)]
    pub async fn delete_session(&mut self, token: &TokenHash) -> Result<(), StoreError> {
        let sql = "delete from sessions where token_hash = $1";
        self.execute(sql, &[Param::Text(token.0.clone())]).await?;
        Ok(())
    }

    /// Ends every session of a person (signing out everywhere); returns how many ended.
    #[tracing::instrument(skip(self))]
    pub async fn delete_sessions_of(&mut self, person: PersonId) -> Result<u64, StoreError> {
        let sql = "delete from sessions where person_id = $1";
        self.execute(sql, &[Param::Int(person.0)]).await
    }

    /// Ends every session of a person but the one whose token hashes to `keep` (theirs, on
    /// the device they are using); returns how many ended.
    #[tracing::instrument(skip(self, keep))]
    pub async fn delete_other_sessions_of(
        &mut self,
        person: PersonId,
        keep: &TokenHash,
    ) -> Result<u64, StoreError> {
        let sql = "delete from sessions where person_id = $1 and token_hash <> $2";
        let params = [Param::Int(person.0), Param::Text(keep.0.clone())];
        self.execute(sql, &params).await
    }
}

impl Store {
    /// How many unexpired sessions a person has, on every device.
    pub async fn session_count(&self, person: PersonId) -> Result<u64, StoreError> {
        let sql = "select count(*) as n from sessions where person_id = $1 and expires_at > $2";
        let params = [Param::Int(person.0), Param::Time(self.now())];
        on_backend!(self.backend(), db => {
            let rows = backend::query::fetch_all(&mut *db.reader().await?, sql, &params).await?;
            let n = match rows.first() {
                Some(row) => row.int("n")?,
                None => 0,
            };
            Ok(u64::try_from(n).unwrap_or(0))
        })
    }

    /// The active person a session token belongs to, if the session has not expired.
    #[tracing::instrument(skip_all, level = "debug")]
    pub async fn person_for_session(
        &self,
        token: &TokenHash,
    ) -> Result<Option<Person>, StoreError> {
        let sql = "select p.id, p.email, p.display_name, p.slug, p.bio, p.role, p.password_hash, \
                   p.active, p.created_at from sessions s join people p on p.id = s.person_id \
                   where s.token_hash = $1 and s.expires_at > $2 and p.active";
        let params = [Param::Text(token.0.clone()), Param::Time(self.now())];
        self.fetch_optional(sql, &params).await
    }
}
