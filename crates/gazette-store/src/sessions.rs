//! Sign-in sessions, kept in the store so every node recognises them.

use gazette_core::session::TokenHash;
use gazette_core::{Person, PersonId};
use jiff::Timestamp;

use crate::people::person_from_row;
use crate::query::Param;
use crate::rows::RowExt;
use crate::store::{on_backend, on_tx};
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
        let now = self.now;
        on_tx!(self, conn => backend::sessions::insert(conn, token, person, now, expires_at).await)
    }

    /// Ends one session (signing out).
    #[tracing::instrument(skip_all)]
    pub async fn delete_session(&mut self, token: &TokenHash) -> Result<(), StoreError> {
        on_tx!(self, conn => backend::sessions::delete(conn, token).await)
    }

    /// Ends every session of a person (signing out everywhere); returns how many ended.
    #[tracing::instrument(skip(self))]
    pub async fn delete_sessions_of(&mut self, person: PersonId) -> Result<u64, StoreError> {
        on_tx!(self, conn => backend::sessions::delete_all_of(conn, person).await)
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
        on_tx!(self, conn => backend::query::execute(conn, sql, &params).await)
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
        let now = self.now();
        on_backend!(self.backend(), db => {
            let row = backend::sessions::person_for(&mut *db.reader().await?, token, now).await?;
            row.as_ref().map(person_from_row).transpose()
        })
    }
}
