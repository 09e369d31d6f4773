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

    /// Called when the follower has caught up and waits (at least every [`POLL_INTERVAL`]):
    /// for work that does not come from the log, such as picking up an index that
    /// `gazette search reindex` built in another process.
    fn idle(&self) -> BoxFuture<'_, anyhow::Result<()>> {
        Box::pin(async { Ok(()) })
    }
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
    /// The consumer must be rebuilt from the store before it follows the log. This happens in
    /// the follower's first step, not at start-up, so the node serves (and reports not ready)
    /// while a large index is rebuilt.
    rebuild_pending: bool,
}

/// The position of a consumer waiting for its rebuild: below every change.
const BEFORE_EVERYTHING: ChangeId = ChangeId(-1);

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
            let (position, rebuild_pending) = match consumer.position().await? {
                None => (head, false),
                Some(position) if log_covers(position, oldest, head) => (position, false),
                Some(position) => {
                    tracing::info!(
                        consumer = consumer.name(),
                        ?position,
                        "this consumer will be rebuilt from the store (it is new, or the change log no longer reaches back to its position)"
                    );
                    (BEFORE_EVERYTHING, true)
                }
            };
            tracked.push(Tracked {
                consumer,
                position,
                rebuild_pending,
            });
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
            let step = match self.step().await {
                Ok(step) => {
                    self.readiness.set_database_reachable(true);
                    step
                }
                Err(error) => {
                    tracing::warn!(%error, "follower could not read the change log; retrying");
                    self.readiness.set_database_reachable(false);
                    Step::Failed
                }
            };
            match step {
                Step::CaughtUp if self.slowest() >= ready_at => self.readiness.set_caught_up(),
                Step::CaughtUp => {}
                Step::More => continue,
                Step::Failed => {
                    tokio::select! {
                        () = tokio::time::sleep(RETRY_PAUSE) => {}
                        _ = shutdown.changed() => return,
                    }
                    continue;
                }
            }
            self.idle().await;
            tokio::select! {
                () = wakeups.changed() => {}
                () = tokio::time::sleep(POLL_INTERVAL) => {}
                _ = shutdown.changed() => return,
            }
        }
    }

    /// The oldest position of the consumers that follow the log (not those waiting for a
    /// rebuild, which start from the head once rebuilt).
    fn position(&self) -> ChangeId {
        self.consumers
            .iter()
            .filter(|t| !t.rebuild_pending)
            .map(|t| t.position)
            .min()
            .unwrap_or(*self.progress.borrow())
    }

    /// The position every consumer has reached, counting those waiting for a rebuild: what
    /// [`FollowerProgress`] reports.
    fn slowest(&self) -> ChangeId {
        self.consumers
            .iter()
            .map(|t| t.position)
            .min()
            .unwrap_or(*self.progress.borrow())
    }

    /// Reads and applies one batch.
    async fn step(&mut self) -> Result<Step, StoreError> {
        let rebuilt_all = self.rebuild_pending().await?;
        if !rebuilt_all && self.consumers.iter().all(|t| t.rebuild_pending) {
            return Ok(Step::Failed);
        }
        let from = self.position();
        let batch = self.store.changes_after(from, BATCH).await?;
        let Some(last) = batch.last().map(|c| c.id) else {
            self.progress.send_replace(self.slowest());
            return Ok(if rebuilt_all {
                Step::CaughtUp
            } else {
                Step::Failed
            });
        };
        let mut all_succeeded = true;
        for tracked in self.consumers.iter_mut().filter(|t| !t.rebuild_pending) {
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
        self.progress.send_replace(self.slowest());
        Ok(if !(rebuilt_all && all_succeeded) {
            Step::Failed
        } else if (batch.len() as i64) < BATCH {
            Step::CaughtUp
        } else {
            Step::More
        })
    }

    async fn idle(&self) {
        for tracked in &self.consumers {
            if let Err(error) = tracked.consumer.idle().await {
                tracing::warn!(consumer = tracked.consumer.name(), error = %format!("{error:#}"), "consumer's idle work failed; will retry");
            }
        }
    }

    /// Rebuilds the consumers that wait for it; true when none is left waiting. A consumer
    /// whose rebuild fails keeps waiting (and is retried) while the others follow the log.
    async fn rebuild_pending(&mut self) -> Result<bool, StoreError> {
        let mut rebuilt_all = true;
        for tracked in self.consumers.iter_mut().filter(|t| t.rebuild_pending) {
            let head = self.store.latest_change_id().await?;
            match tracked.consumer.rebuild(head).await {
                Ok(()) => {
                    tracked.position = head;
                    tracked.rebuild_pending = false;
                }
                Err(error) => {
                    rebuilt_all = false;
                    tracing::warn!(consumer = tracked.consumer.name(), error = %format!("{error:#}"), "rebuild failed; will retry");
                }
            }
        }
        Ok(rebuilt_all)
    }
}

/// What one step of the follower achieved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    /// Nothing is left to read and every consumer is up to date.
    CaughtUp,
    /// A full batch was applied; there may be more.
    More,
    /// A consumer or the log failed; retry after a pause.
    Failed,
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
