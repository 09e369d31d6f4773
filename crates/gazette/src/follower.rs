//! The follower: one per node, it tails the store's change log and hands every change, in
//! order and exactly once, to the node-local consumers (the page cache and the search index
//! plug in here).
//!
//! It wakes on local commits and PostgreSQL NOTIFYs, and polls slowly as a fallback. A
//! consumer that fails is retried with the same changes; it is never skipped past.

use std::sync::Arc;
use std::time::Duration;

use gazette_store::{BoxFuture, Change, ChangeId, ChangeKind, Store, StoreError};
use gazette_web::Readiness;
use tokio::sync::watch;

/// How many changes the follower reads at once.
const BATCH: i64 = 500;
/// The fallback poll, for notifications lost while a connection was down.
pub const POLL_INTERVAL: Duration = Duration::from_secs(5);
/// Pause before retrying a consumer that failed.
const RETRY_PAUSE: Duration = Duration::from_secs(1);

/// A node-local cache of the store that must follow every change.
pub trait ChangeConsumer: Send + Sync + std::fmt::Debug {
    /// A name for logs and metrics.
    fn name(&self) -> &'static str;

    /// The last change this consumer has applied, if it keeps its position across restarts
    /// (the search index stores it in its own commits). None means it keeps nothing and starts
    /// from the head of the log (the in-memory page cache).
    fn position(&self) -> BoxFuture<'_, anyhow::Result<Option<ChangeId>>>;

    /// Applies changes, oldest first. The follower calls it again with the same changes if it
    /// fails.
    fn apply<'a>(&'a self, changes: &'a [Change]) -> BoxFuture<'a, anyhow::Result<()>>;

    /// Forgets everything and rebuilds from the store: after a bulk change, or when the log no
    /// longer holds the changes since this consumer's position. `head` is the change the
    /// rebuilt state includes.
    fn rebuild(&self, head: ChangeId) -> BoxFuture<'_, anyhow::Result<()>>;
}

/// Where the follower is, observable by tests and metrics.
#[derive(Debug, Clone)]
pub struct FollowerProgress(watch::Receiver<ChangeId>);

impl FollowerProgress {
    pub fn position(&self) -> ChangeId {
        *self.0.borrow()
    }

    /// Waits until every consumer has applied `target` (or the follower stopped).
    pub async fn reached(&mut self, target: ChangeId) {
        let _ = self.0.wait_for(|position| *position >= target).await;
    }
}

#[derive(Debug)]
struct Tracked {
    consumer: Arc<dyn ChangeConsumer>,
    position: ChangeId,
}

/// The follower task's state.
#[derive(Debug)]
pub struct Follower {
    store: Store,
    consumers: Vec<Tracked>,
    readiness: Arc<Readiness>,
    progress: watch::Sender<ChangeId>,
}

impl Follower {
    /// Positions every consumer, rebuilding those the log cannot bring up to date.
    pub async fn start(
        store: Store,
        consumers: Vec<Arc<dyn ChangeConsumer>>,
        readiness: Arc<Readiness>,
    ) -> anyhow::Result<(Self, FollowerProgress)> {
        let head = store.latest_change_id().await?;
        let oldest = store.oldest_change_id().await?;
        let mut tracked = Vec::with_capacity(consumers.len());
        for consumer in consumers {
            let position = match consumer.position().await? {
                None => head,
                Some(position) if log_covers(position, oldest, head) => position,
                Some(position) => {
                    tracing::info!(
                        consumer = consumer.name(),
                        ?position,
                        "change log was pruned past this consumer; rebuilding"
                    );
                    consumer.rebuild(head).await?;
                    head
                }
            };
            tracked.push(Tracked { consumer, position });
        }
        let start = tracked.iter().map(|t| t.position).min().unwrap_or(head);
        let (progress, receiver) = watch::channel(start);
        let follower = Self {
            store,
            consumers: tracked,
            readiness,
            progress,
        };
        Ok((follower, FollowerProgress(receiver)))
    }

    /// Follows the log until `shutdown` fires.
    pub async fn run(mut self, mut shutdown: watch::Receiver<bool>) {
        let mut wakeups = self.store.subscribe_changes();
        let ready_at = self.store.latest_change_id().await.unwrap_or_default();
        loop {
            let caught_up = match self.step().await {
                Ok(caught_up) => caught_up,
                Err(error) => {
                    tracing::warn!(%error, "follower could not read the change log; retrying");
                    false
                }
            };
            if caught_up && self.position() >= ready_at {
                self.readiness.set_caught_up();
            }
            if !caught_up {
                tokio::select! {
                    () = tokio::time::sleep(RETRY_PAUSE) => {}
                    _ = shutdown.changed() => return,
                }
                continue;
            }
            tokio::select! {
                () = wakeups.changed() => {}
                () = tokio::time::sleep(POLL_INTERVAL) => {}
                _ = shutdown.changed() => return,
            }
        }
    }

    fn position(&self) -> ChangeId {
        self.consumers
            .iter()
            .map(|t| t.position)
            .min()
            .unwrap_or(*self.progress.borrow())
    }

    /// Reads and applies one batch; true when there was nothing left to read and every
    /// consumer succeeded.
    async fn step(&mut self) -> Result<bool, StoreError> {
        let from = self.position();
        let batch = self.store.changes_after(from, BATCH).await?;
        let Some(last) = batch.last().map(|c| c.id) else {
            self.progress.send_replace(from);
            return Ok(true);
        };
        let mut all_succeeded = true;
        for tracked in &mut self.consumers {
            let pending: Vec<Change> = batch
                .iter()
                .filter(|c| c.id > tracked.position)
                .cloned()
                .collect();
            if pending.is_empty() {
                continue;
            }
            match deliver(tracked.consumer.as_ref(), &pending, last).await {
                Ok(()) => tracked.position = last,
                Err(error) => {
                    all_succeeded = false;
                    tracing::warn!(consumer = tracked.consumer.name(), error = %format!("{error:#}"), "consumer failed; will retry");
                }
            }
        }
        let position = self.position();
        self.progress.send_replace(position);
        Ok(all_succeeded && (batch.len() as i64) < BATCH)
    }
}

/// Hands a batch to one consumer: a rebuild if it holds a bulk change, else the changes.
async fn deliver(
    consumer: &dyn ChangeConsumer,
    changes: &[Change],
    last: ChangeId,
) -> anyhow::Result<()> {
    if changes.iter().any(|c| c.kind == ChangeKind::Bulk) {
        consumer.rebuild(last).await
    } else {
        consumer.apply(changes).await
    }
}

/// Whether the log still holds every change after `position`.
fn log_covers(position: ChangeId, oldest: Option<ChangeId>, head: ChangeId) -> bool {
    match oldest {
        Some(oldest) => oldest.0 <= position.0 + 1,
        None => position >= head,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_log_covers_a_position_only_without_a_gap() {
        let id = ChangeId;
        assert!(log_covers(id(10), Some(id(5)), id(20)));
        assert!(
            log_covers(id(4), Some(id(5)), id(20)),
            "next needed change is the oldest kept"
        );
        assert!(
            !log_covers(id(3), Some(id(5)), id(20)),
            "change 4 was pruned"
        );
        assert!(log_covers(id(20), None, id(20)));
        assert!(!log_covers(id(19), None, id(20)));
    }
}
