//! Jobs: work that must happen once per cluster (publishing a scheduled article, sending a
//! notification), claimed by exactly one node, retried with backoff, never lost.

use jiff::{SignedDuration, Timestamp};

use crate::rows::RowExt;
use crate::store::{on_backend, on_tx};
use crate::{Store, StoreError, WriteTx};

/// A job's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct JobId(pub i64);

/// Attempts before a job is marked failed and left for an operator to look at.
pub const DEFAULT_MAX_ATTEMPTS: i32 = 10;

/// A job to enqueue.
#[derive(Debug, Clone, PartialEq)]
pub struct NewJob {
    /// Which handler runs it, e.g. `publish_scheduled_article`.
    pub kind: String,
    pub payload: serde_json::Value,
    pub due_at: Timestamp,
    /// At most one job with a key exists; enqueuing the key again moves it (new due time and
    /// payload) instead of adding a second job.
    pub dedupe_key: Option<String>,
    pub max_attempts: i32,
}

impl NewJob {
    pub fn new(kind: impl Into<String>, payload: serde_json::Value, due_at: Timestamp) -> Self {
        Self {
            kind: kind.into(),
            payload,
            due_at,
            dedupe_key: None,
            max_attempts: DEFAULT_MAX_ATTEMPTS,
        }
    }

    pub fn dedupe_key(mut self, key: impl Into<String>) -> Self {
        self.dedupe_key = Some(key.into());
        self
    }
}

/// A job this node holds a lease on. Completing it checks the lease is still ours.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimedJob {
    pub id: JobId,
    pub kind: String,
    pub payload: serde_json::Value,
    pub due_at: Timestamp,
    /// 1 on the first try.
    pub attempt: i32,
    pub max_attempts: i32,
    pub(crate) claim_token: String,
}

/// Counts for the metrics endpoint and operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct JobStats {
    pub pending: i64,
    pub due: i64,
    pub failed: i64,
}

/// What happened to a job that failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobRetry {
    /// It will run again at this time.
    At(Timestamp),
    /// It used all its attempts and is marked failed.
    GaveUp,
}

/// Backoff before retry `attempt + 1`: 5 s, 10 s, 20 s… capped at an hour.
pub fn retry_delay(attempt: i32) -> SignedDuration {
    let exponent = u32::try_from(attempt.clamp(1, 20) - 1).unwrap_or(0);
    let seconds = 5i64.saturating_mul(1i64 << exponent.min(20));
    SignedDuration::from_secs(seconds.min(3600))
}

pub(crate) fn claimed_job_from_row(
    row: &impl RowExt,
    claim_token: String,
) -> Result<ClaimedJob, StoreError> {
    let payload = row.text("payload")?;
    Ok(ClaimedJob {
        id: JobId(row.int("id")?),
        kind: row.text("kind")?,
        payload: serde_json::from_str(&payload)
            .map_err(|e| StoreError::corrupt("job payload", e))?,
        due_at: row.time("due_at")?,
        attempt: i32::try_from(row.int("attempts")?).unwrap_or(i32::MAX),
        max_attempts: i32::try_from(row.int("max_attempts")?).unwrap_or(DEFAULT_MAX_ATTEMPTS),
        claim_token,
    })
}

impl WriteTx {
    /// Enqueues a job in this unit of work, so it exists exactly when the unit's rows do.
    #[tracing::instrument(skip(self, job), fields(kind = %job.kind), level = "debug")]
    pub async fn enqueue_job(&mut self, job: &NewJob) -> Result<JobId, StoreError> {
        let now = self.now;
        let id = on_tx!(self, conn => backend::jobs::enqueue(conn, job, now).await)?;
        self.enqueued_jobs = true;
        Ok(id)
    }

    /// Removes a job whose work this unit did; fails with `LostClaim` (rolling the unit back)
    /// if the lease expired and another node took the job over.
    #[tracing::instrument(skip(self, job), fields(job = job.id.0), level = "debug")]
    pub async fn complete_job(&mut self, job: &ClaimedJob) -> Result<(), StoreError> {
        let deleted = on_tx!(self, conn => backend::jobs::delete_claimed(conn, job).await)?;
        if deleted {
            Ok(())
        } else {
            Err(StoreError::LostClaim)
        }
    }

    /// Cancels a pending job by its dedupe key (e.g. an article was unscheduled).
    pub async fn cancel_job(&mut self, dedupe_key: &str) -> Result<bool, StoreError> {
        on_tx!(self, conn => backend::jobs::delete_by_key(conn, dedupe_key).await)
    }
}

impl Store {
    /// Claims the most overdue job for `node`, holding it for `lease`. Exactly one claimer
    /// wins each job; a lease that runs out (a node died) makes the job claimable again.
    #[tracing::instrument(skip(self), level = "debug")]
    pub async fn claim_due_job(
        &self,
        node: &str,
        lease: SignedDuration,
    ) -> Result<Option<ClaimedJob>, StoreError> {
        let now = self.now();
        let token = gazette_core::session::SessionToken::generate()
            .expose()
            .to_owned();
        on_backend!(self.backend(), db => {
            let row = backend::jobs::claim(&mut *db.writer().await?, node, &token, now, now + lease).await?;
            row.map(|row| claimed_job_from_row(&row, token)).transpose()
        })
    }

    /// Completes a job whose work needed no unit of work of its own.
    pub async fn complete_job(&self, job: &ClaimedJob) -> Result<(), StoreError> {
        let job = job.clone();
        self.write(|tx| Box::pin(async move { tx.complete_job(&job).await }))
            .await
    }

    /// Records a failed attempt: the job runs again after a backoff, or is marked failed once
    /// it used all its attempts.
    #[tracing::instrument(skip(self, job), fields(job = job.id.0), level = "debug")]
    pub async fn fail_job(&self, job: &ClaimedJob, error: &str) -> Result<JobRetry, StoreError> {
        let retry = if job.attempt >= job.max_attempts {
            JobRetry::GaveUp
        } else {
            JobRetry::At(self.now() + retry_delay(job.attempt))
        };
        let released = on_backend!(self.backend(), db => {
            backend::jobs::release_failed(&mut *db.writer().await?, job, error, retry).await
        })?;
        if released {
            Ok(retry)
        } else {
            Err(StoreError::LostClaim)
        }
    }

    /// When the runner should next look for work: the earliest due time (or lease expiry) of
    /// any pending job.
    pub async fn next_job_due(&self) -> Result<Option<Timestamp>, StoreError> {
        on_backend!(self.backend(), db => backend::jobs::next_due(&mut *db.reader().await?).await)
    }

    pub async fn job_stats(&self) -> Result<JobStats, StoreError> {
        let now = self.now();
        on_backend!(self.backend(), db => backend::jobs::stats(&mut *db.reader().await?, now).await)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped() {
        assert_eq!(retry_delay(1), SignedDuration::from_secs(5));
        assert_eq!(retry_delay(2), SignedDuration::from_secs(10));
        assert_eq!(retry_delay(4), SignedDuration::from_secs(40));
        assert_eq!(retry_delay(30), SignedDuration::from_secs(3600));
        assert_eq!(retry_delay(-3), SignedDuration::from_secs(5));
    }
}
