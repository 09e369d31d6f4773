//! What PostgreSQL's job queue does its own way: `for update skip locked` lets nodes claim
//! different jobs at once, never the same one, and a NOTIFY wakes every node's runner.

use super::{Conn, JOBS_CHANNEL, map_error};
use crate::StoreError;

/// Added to a claim's subquery: a job another node is claiming is passed over, not waited for.
pub(crate) const SKIP_LOCKED: &str = " for update skip locked";

/// The larger of two values.
pub(crate) const GREATEST: &str = "greatest";

/// Wakes the job runners of every node when the enqueuing transaction commits.
pub(crate) async fn notify_enqueued(conn: &mut Conn) -> Result<(), StoreError> {
    sqlx::query("select pg_notify($1, '')")
        .bind(JOBS_CHANNEL)
        .execute(conn)
        .await
        .map_err(map_error)?;
    Ok(())
}
