//! Running units of work: once, again after contention, and once per idempotency key.

use std::time::Duration;

use super::{Store, WriteTx};
use crate::idempotency::{CreatedRecord, IdempotencyKey, Once};
use crate::{BoxFuture, Constraint, StoreError};

/// How many times a unit of work runs before a refusal for contention is reported (`503`).
pub const WRITE_ATTEMPTS: u32 = 4;

/// The pause before running a contended unit of work again: 10, 40 and 90 ms, plus up to as
/// much again taken from the clock's nanoseconds, so two writers that collided do not
/// collide again in step.
fn contention_pause(attempt: u32) -> Duration {
    let base = Duration::from_millis(10 * u64::from(attempt * attempt));
    let spread = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    base + base.mul_f64(f64::from(spread % 1000) / 1000.0)
}

/// How one run of a unit of work ended.
enum Attempt<T, E> {
    Finished(Result<Once<T>, E>),
    /// Refused for contention and rolled back: worth running again.
    Contended,
}

impl Store {
    /// Runs `work` as one unit of work: its rows and the change rows it records commit
    /// together, or nothing does. Any error (or panic) inside rolls everything back.
    ///
    /// When the database refuses it for contention (a deadlock or a serialization failure,
    /// which it rolled back itself), the work runs again from the start, up to
    /// [`WRITE_ATTEMPTS`] times in all, after a short pause. Each run takes a fresh clone of
    /// `work` (hence `Clone`: a closure is, when what it captures is), so it must not act
    /// outside the unit of work. A failure during `COMMIT` is never retried
    /// ([`StoreError::OutcomeUnknown`]): the work may have committed.
    ///
    /// ```ignore
    /// store.write(|tx| Box::pin(async move { tx.insert_tag(&new_tag).await })).await?;
    /// ```
    #[tracing::instrument(skip_all, level = "debug")]
    pub async fn write<T, E, F>(&self, work: F) -> Result<T, E>
    where
        T: Send,
        E: From<StoreError> + Send,
        F: for<'t> FnOnce(&'t mut WriteTx) -> BoxFuture<'t, Result<T, E>> + Clone + Send,
    {
        match self.write_with_key(None, |_: &T| None, work).await? {
            Once::Done(value) => Ok(value),
            // Without a key nothing is looked up, so nothing repeats.
            Once::Repeated(_) => {
                Err(StoreError::corrupt("unit of work", "repeated without a key").into())
            }
        }
    }

    /// Like [`Store::write`], for a unit of work that consumes what it cannot have again (an
    /// import reading its file as it writes): it runs once, and contention is reported.
    pub async fn write_unrepeatable<T, E, F>(&self, work: F) -> Result<T, E>
    where
        T: Send,
        E: From<StoreError> + Send,
        F: for<'t> FnOnce(&'t mut WriteTx) -> BoxFuture<'t, Result<T, E>> + Send,
    {
        let mut tx = self.begin().await?;
        let value = work(&mut tx).await?;
        tx.commit().await?;
        Ok(value)
    }

    /// Like [`Store::write`], for a create sent with an idempotency key: when an earlier
    /// request with the same key made its record, `work` does not run and that record is
    /// returned ([`Once::Repeated`]); otherwise `work` runs and the key is stored with the
    /// record `made` names, in the same unit of work. A key sent with a different request is
    /// [`StoreError::IdempotencyKeyReused`].
    #[tracing::instrument(skip_all, level = "debug")]
    pub async fn write_once<T, E, F>(
        &self,
        key: Option<&IdempotencyKey>,
        made: impl Fn(&T) -> CreatedRecord + Send + Sync,
        work: F,
    ) -> Result<Once<T>, E>
    where
        T: Send,
        E: From<StoreError> + Send,
        F: for<'t> FnOnce(&'t mut WriteTx) -> BoxFuture<'t, Result<T, E>> + Clone + Send,
    {
        self.write_with_key(key, |value| Some(made(value)), work)
            .await
    }

    async fn write_with_key<T, E, F>(
        &self,
        key: Option<&IdempotencyKey>,
        made: impl Fn(&T) -> Option<CreatedRecord> + Send + Sync,
        work: F,
    ) -> Result<Once<T>, E>
    where
        T: Send,
        E: From<StoreError> + Send,
        F: for<'t> FnOnce(&'t mut WriteTx) -> BoxFuture<'t, Result<T, E>> + Clone + Send,
    {
        let mut attempt = 1;
        loop {
            let may_retry = attempt < WRITE_ATTEMPTS;
            match self.attempt(key, &made, work.clone(), may_retry).await {
                Attempt::Finished(outcome) => return outcome,
                Attempt::Contended => {}
            }
            tracing::debug!(
                attempt,
                "unit of work refused for contention; running it again"
            );
            tokio::time::sleep(contention_pause(attempt)).await;
            attempt += 1;
        }
    }

    /// One run of a unit of work. Dropping the transaction on the way out rolls it back.
    async fn attempt<T, E, F>(
        &self,
        key: Option<&IdempotencyKey>,
        made: &(impl Fn(&T) -> Option<CreatedRecord> + Send + Sync),
        work: F,
        may_retry: bool,
    ) -> Attempt<T, E>
    where
        T: Send,
        E: From<StoreError> + Send,
        F: for<'t> FnOnce(&'t mut WriteTx) -> BoxFuture<'t, Result<T, E>> + Clone + Send,
    {
        let finished = |error: StoreError| Attempt::Finished(Err(error.into()));
        let mut tx = match self.begin().await {
            Ok(tx) => tx,
            Err(error) => return finished(error),
        };
        if let Some(key) = key {
            match tx.record_of_key(key).await {
                Ok(Some(record)) => return Attempt::Finished(Ok(Once::Repeated(record))),
                Ok(None) => {}
                Err(error) => return finished(error),
            }
            match tx.claim_key(key).await {
                Ok(()) => {}
                // A request with the same key stored it first: the next run finds its record.
                Err(error) if error.is_conflict(&Constraint::IdempotencyKey) && may_retry => {
                    return Attempt::Contended;
                }
                Err(error) => return finished(error),
            }
        }
        let value = match work(&mut tx).await {
            Ok(value) => value,
            Err(_) if tx.contended && may_retry => return Attempt::Contended,
            Err(error) => return Attempt::Finished(Err(error)),
        };
        if let (Some(key), Some(record)) = (key, made(&value))
            && let Err(error) = tx.settle_key(key, record).await
        {
            return finished(error);
        }
        match tx.commit().await {
            Ok(()) => Attempt::Finished(Ok(Once::Done(value))),
            // Refused at COMMIT for contention: the server states it rolled back.
            Err(StoreError::Contended(_)) if may_retry => Attempt::Contended,
            Err(error) => finished(error),
        }
    }
}
