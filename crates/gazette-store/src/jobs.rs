//! Jobs: work that must happen once per cluster (publishing a scheduled article, sending a
//! notification), claimed by exactly one node, retried with backoff, never lost.

use jiff::{SignedDuration, Timestamp};

use crate::query::Param;
use crate::rows::RowExt;
use crate::store::on_backend;
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

impl ClaimedJob {
    /// The whole number its payload holds under `field` (the id of what the job is about).
    pub fn number(&self, field: &str) -> Option<i64> {
        self.payload.get(field).and_then(serde_json::Value::as_i64)
    }
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

/// A claimed job's row, before its claim token is attached.
struct ClaimedRow(ClaimedJob);

impl crate::sql::FromRow for ClaimedRow {
    fn from_row(row: &impl RowExt) -> Result<Self, StoreError> {
        claimed_job_from_row(row, String::new()).map(Self)
    }
}

impl crate::sql::FromRow for JobStats {
    fn from_row(row: &impl RowExt) -> Result<Self, StoreError> {
        Ok(Self {
            pending: row.int("pending")?,
            due: row.int("due")?,
            failed: row.int("failed")?,
        })
    }
}

/// The earliest pending time of the queue, as one row.
struct NextDue(Option<Timestamp>);

impl crate::sql::FromRow for NextDue {
    fn from_row(row: &impl RowExt) -> Result<Self, StoreError> {
        row.opt_time("at").map(Self)
    }
}

impl WriteTx {
    /// Enqueues a job in this unit of work, so it exists exactly when the unit's rows do.
    #[tracing::instrument(skip(self, job), fields(kind = %job.kind), level = "debug")]
    pub async fn enqueue_job(&mut self, job: &NewJob) -> Result<JobId, StoreError> {
        let sql = "insert into jobs (kind, payload, dedupe_key, due_at, max_attempts, created_at) \
             values ($1, $2, $3, $4, $5, $6) \
             on conflict (dedupe_key) do update set \
                 kind = excluded.kind, payload = excluded.payload, due_at = excluded.due_at, \
                 max_attempts = excluded.max_attempts, status = 'pending', attempts = 0, \
                 claim_token = null, claimed_by = null, claimed_until = null, last_error = null \
             returning id";
        let params = [
            Param::Text(job.kind.clone()),
            Param::Text(job.payload.to_string()),
            Param::opt_text(job.dedupe_key.as_deref()),
            Param::Time(job.due_at),
            Param::Int(i64::from(job.max_attempts)),
            Param::Time(self.now),
        ];
        let crate::sql::Id(id) = self.fetch_one(sql, &params).await?;
        self.enqueued_jobs = true;
        Ok(JobId(id))
    }

    /// Removes a job whose work this unit did; fails with `LostClaim` (rolling the unit back)
    /// if the lease expired and another node took the job over.
    #[tracing::instrument(skip(self, job), fields(job = job.id.0), level = "debug")]
    pub async fn complete_job(&mut self, job: &ClaimedJob) -> Result<(), StoreError> {
        let sql = "delete from jobs where id = $1 and claim_token = $2";
        let params = [Param::Int(job.id.0), Param::Text(job.claim_token.clone())];
        if self.execute(sql, &params).await? == 1 {
            Ok(())
        } else {
            Err(StoreError::LostClaim)
        }
    }

    /// Cancels a pending job by its dedupe key (e.g. an article was unscheduled).
    pub async fn cancel_job(&mut self, dedupe_key: &str) -> Result<bool, StoreError> {
        let sql = "delete from jobs where dedupe_key = $1";
        Ok(self
            .execute(sql, &[Param::Text(dedupe_key.to_owned())])
            .await?
            > 0)
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
        let skip_locked = on_backend!(self.backend(), _db => backend::jobs::SKIP_LOCKED);
        let sql = format!(
            "update jobs set attempts = attempts + 1, claim_token = $1, claimed_by = $2, \
                 claimed_until = $3 \
             where id = (select id from jobs \
                         where status = 'pending' and due_at <= $4 \
                           and (claimed_until is null or claimed_until <= $4) \
                         order by due_at, id limit 1{skip_locked}) \
             returning id, kind, payload, due_at, attempts, max_attempts"
        );
        let params = [
            Param::Text(token.clone()),
            Param::Text(node.to_owned()),
            Param::Time(now + lease),
            Param::Time(now),
        ];
        let claimed: Option<ClaimedRow> = self.write_now(&sql, &params).await?;
        Ok(claimed.map(|ClaimedRow(job)| ClaimedJob {
            claim_token: token,
            ..job
        }))
    }

    /// Holds a claimed job for another `lease` from now (the runner's heartbeat while its
    /// handler works); false when the claim is no longer ours (the lease ran out and another
    /// node took the job, or it was completed).
    pub async fn extend_lease(
        &self,
        job: &ClaimedJob,
        lease: SignedDuration,
    ) -> Result<bool, StoreError> {
        let sql = "update jobs set claimed_until = $1 \
                   where id = $2 and claim_token = $3 and status = 'pending'";
        let params = [
            Param::Time(self.now() + lease),
            Param::Int(job.id.0),
            Param::Text(job.claim_token.clone()),
        ];
        Ok(self.execute_now(sql, &params).await? == 1)
    }

    /// Completes a job whose work needed no unit of work of its own.
    pub async fn complete_job(&self, job: &ClaimedJob) -> Result<(), StoreError> {
        let job = job.clone();
        self.write(|tx| Box::pin(async move { tx.complete_job(&job).await }))
            .await
    }

    /// Completes a job and enqueues `next` in one unit of work: a job that comes back (a daily
    /// chore, the digests, a look again at a scheduled article).
    pub async fn complete_job_and_enqueue(
        &self,
        job: &ClaimedJob,
        next: NewJob,
    ) -> Result<(), StoreError> {
        let job = job.clone();
        self.write(|tx| {
            Box::pin(async move {
                tx.complete_job(&job).await?;
                tx.enqueue_job(&next).await?;
                Ok(())
            })
        })
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
        let (status, due_at) = match retry {
            JobRetry::At(at) => ("pending", Some(at)),
            JobRetry::GaveUp => ("failed", None),
        };
        let sql = "update jobs set status = $1, due_at = coalesce($2, due_at), last_error = $3, \
                       claim_token = null, claimed_by = null, claimed_until = null \
                   where id = $4 and claim_token = $5";
        let params = [
            Param::Text(status.to_owned()),
            Param::opt_time(due_at),
            Param::Text(error.to_owned()),
            Param::Int(job.id.0),
            Param::Text(job.claim_token.clone()),
        ];
        if self.execute_now(sql, &params).await? == 1 {
            Ok(retry)
        } else {
            Err(StoreError::LostClaim)
        }
    }

    /// When the runner should next look for work: the earliest due time (or lease expiry) of
    /// any pending job.
    pub async fn next_job_due(&self) -> Result<Option<Timestamp>, StoreError> {
        let greatest = on_backend!(self.backend(), _db => backend::jobs::GREATEST);
        let sql = format!(
            "select min({greatest}(due_at, coalesce(claimed_until, due_at))) as at \
             from jobs where status = 'pending'"
        );
        let next: Option<NextDue> = self.fetch_optional(&sql, &[]).await?;
        Ok(next.and_then(|n| n.0))
    }

    pub async fn job_stats(&self) -> Result<JobStats, StoreError> {
        let sql = "select \
                 coalesce(sum(case when status = 'pending' then 1 else 0 end), 0) as pending, \
                 coalesce(sum(case when status = 'pending' and due_at <= $1 then 1 else 0 end), 0) \
                     as due, \
                 coalesce(sum(case when status = 'failed' then 1 else 0 end), 0) as failed \
             from jobs";
        let stats: Option<JobStats> = self.fetch_optional(sql, &[Param::Time(self.now())]).await?;
        Ok(stats.unwrap_or_default())
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
