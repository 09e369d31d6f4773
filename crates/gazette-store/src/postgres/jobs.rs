//! PostgreSQL's job queue. `for update skip locked` lets nodes claim different jobs at once, never the same one.

use jiff::Timestamp;
use sqlx::Row as _;
use sqlx::postgres::PgRow;

use super::{Conn, JOBS_CHANNEL, db_time, from_offset, map_error};
use crate::StoreError;
use crate::jobs::{ClaimedJob, JobId, JobRetry, JobStats, NewJob};

pub(crate) async fn enqueue(
    conn: &mut Conn,
    job: &NewJob,
    now: Timestamp,
) -> Result<JobId, StoreError> {
    let row = sqlx::query(
        r"insert into jobs (kind, payload, dedupe_key, due_at, max_attempts, created_at)
          values ($1, $2, $3, $4, $5, $6)
          on conflict (dedupe_key) do update set
              kind = excluded.kind, payload = excluded.payload, due_at = excluded.due_at,
              max_attempts = excluded.max_attempts, status = 'pending', attempts = 0,
              claim_token = null, claimed_by = null, claimed_until = null, last_error = null
          returning id",
    )
    .bind(&job.kind)
    .bind(job.payload.to_string())
    .bind(&job.dedupe_key)
    .bind(db_time(job.due_at))
    .bind(job.max_attempts)
    .bind(db_time(now))
    .fetch_one(conn)
    .await
    .map_err(map_error)?;
    Ok(JobId(row.try_get("id").map_err(map_error)?))
}

pub(crate) async fn claim(
    conn: &mut Conn,
    node: &str,
    token: &str,
    now: Timestamp,
    until: Timestamp,
) -> Result<Option<PgRow>, StoreError> {
    sqlx::query(
        r"update jobs set attempts = attempts + 1, claim_token = $1, claimed_by = $2, claimed_until = $3
          where id = (select id from jobs
                      where status = 'pending' and due_at <= $4
                        and (claimed_until is null or claimed_until <= $4)
                      order by due_at, id limit 1
                      for update skip locked)
          returning id, kind, payload, due_at, attempts, max_attempts",
    )
    .bind(token)
    .bind(node)
    .bind(db_time(until))
    .bind(db_time(now))
    .fetch_optional(conn)
    .await
    .map_err(map_error)
}

pub(crate) async fn delete_claimed(conn: &mut Conn, job: &ClaimedJob) -> Result<bool, StoreError> {
    let result = sqlx::query("delete from jobs where id = $1 and claim_token = $2")
        .bind(job.id.0)
        .bind(&job.claim_token)
        .execute(conn)
        .await
        .map_err(map_error)?;
    Ok(result.rows_affected() == 1)
}

pub(crate) async fn delete_by_key(conn: &mut Conn, key: &str) -> Result<bool, StoreError> {
    let result = sqlx::query("delete from jobs where dedupe_key = $1")
        .bind(key)
        .execute(conn)
        .await
        .map_err(map_error)?;
    Ok(result.rows_affected() > 0)
}

pub(crate) async fn release_failed(
    conn: &mut Conn,
    job: &ClaimedJob,
    error: &str,
    retry: JobRetry,
) -> Result<bool, StoreError> {
    let (status, due_at) = match retry {
        JobRetry::At(at) => ("pending", Some(db_time(at))),
        JobRetry::GaveUp => ("failed", None),
    };
    let result = sqlx::query(
        r"update jobs set status = $1, due_at = coalesce($2, due_at), last_error = $3,
              claim_token = null, claimed_by = null, claimed_until = null
          where id = $4 and claim_token = $5",
    )
    .bind(status)
    .bind(due_at)
    .bind(error)
    .bind(job.id.0)
    .bind(&job.claim_token)
    .execute(conn)
    .await
    .map_err(map_error)?;
    Ok(result.rows_affected() == 1)
}

pub(crate) async fn next_due(conn: &mut Conn) -> Result<Option<Timestamp>, StoreError> {
    let row = sqlx::query(
        "select min(greatest(due_at, coalesce(claimed_until, due_at))) as at from jobs where status = 'pending'",
    )
    .fetch_one(conn)
    .await
    .map_err(map_error)?;
    row.try_get::<Option<time::OffsetDateTime>, _>("at")
        .map_err(map_error)?
        .map(from_offset)
        .transpose()
}

pub(crate) async fn stats(conn: &mut Conn, now: Timestamp) -> Result<JobStats, StoreError> {
    let row = sqlx::query(
        r"select count(*) filter (where status = 'pending') as pending,
                 count(*) filter (where status = 'pending' and due_at <= $1) as due,
                 count(*) filter (where status = 'failed') as failed
          from jobs",
    )
    .bind(db_time(now))
    .fetch_one(conn)
    .await
    .map_err(map_error)?;
    Ok(JobStats {
        pending: row.try_get("pending").map_err(map_error)?,
        due: row.try_get("due").map_err(map_error)?,
        failed: row.try_get("failed").map_err(map_error)?,
    })
}

/// Wakes the job runners of every node when the enqueuing transaction commits.
pub(crate) async fn notify_enqueued(conn: &mut Conn) -> Result<(), StoreError> {
    sqlx::query("select pg_notify($1, '')")
        .bind(JOBS_CHANNEL)
        .execute(conn)
        .await
        .map_err(map_error)?;
    Ok(())
}
