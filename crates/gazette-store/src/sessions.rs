//! Sign-in sessions, kept in the store so every node recognises them.

use gazette_core::session::TokenHash;
use gazette_core::{Person, PersonId};
use jiff::Timestamp;

use crate::people::person_from_row;
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
}

impl Store {
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
