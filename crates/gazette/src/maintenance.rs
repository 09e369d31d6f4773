//! Housekeeping jobs every cluster runs: pruning the change log.

use gazette_store::{BoxFuture, ClaimedJob, NewJob, Store};
use jiff::{SignedDuration, Timestamp};

use crate::runner::JobHandler;

/// How long changes stay in the log. A node that was down longer rebuilds its caches.
pub const CHANGE_RETENTION: SignedDuration = SignedDuration::from_hours(7 * 24);
const PRUNE_EVERY: SignedDuration = SignedDuration::from_hours(24);
const PRUNE_KIND: &str = "prune_change_log";

/// The pruning job, due at `at`. Its dedupe key keeps one such job in the cluster.
pub fn prune_change_log_job(at: Timestamp) -> NewJob {
    NewJob::new(PRUNE_KIND, serde_json::json!({}), at).dedupe_key(PRUNE_KIND)
}

/// Deletes changes older than [`CHANGE_RETENTION`], then schedules itself for the next day.
#[derive(Debug)]
pub struct PruneChangeLog;

impl JobHandler for PruneChangeLog {
    fn kind(&self) -> &'static str {
        PRUNE_KIND
    }

    fn run<'a>(
        &'a self,
        store: &'a Store,
        job: &'a ClaimedJob,
    ) -> BoxFuture<'a, anyhow::Result<()>> {
        Box::pin(async move {
            let now = store.clock().now();
            // Pruning is idempotent, so it may run outside the unit that completes the job.
            let pruned = store.prune_changes(now - CHANGE_RETENTION).await?;
            tracing::info!(pruned, "pruned the change log");
            let job = job.clone();
            let next = prune_change_log_job(now + PRUNE_EVERY);
            store
                .write(|tx| {
                    Box::pin(async move {
                        tx.complete_job(&job).await?;
                        tx.enqueue_job(&next).await
                    })
                })
                .await?;
            Ok(())
        })
    }
}
