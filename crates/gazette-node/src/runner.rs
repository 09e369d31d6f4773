//! The job runner: on every node, it claims due jobs from the store (each job runs on exactly
//! one node) and hands them to the handler registered for their kind.
//!
//! Time is an event: the runner sleeps until the next job is due (or a new job is enqueued
//! anywhere in the cluster), so scheduled work happens within seconds of its time with no
//! traffic at all.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use gazette_store::{BoxFuture, ClaimedJob, JobRetry, Store};
use jiff::SignedDuration;
use tokio::sync::{Notify, watch};

/// How long a claimed job is ours before another node may take it over: a node that dies
/// holding a job delays it by this much at most. The runner renews it every [`HEARTBEAT`]
/// while the handler works, so a long job is never taken over from a live node.
pub const LEASE: SignedDuration = SignedDuration::from_secs(15);
/// How often a running job's lease is renewed (a third of the lease: two renewals may fail).
pub const HEARTBEAT: Duration = Duration::from_secs(5);
/// The longest the runner sleeps without looking (in case a wake-up was missed).
const MAX_SLEEP: Duration = Duration::from_secs(30);

/// Runs one kind of job.
pub trait JobHandler: Send + Sync + std::fmt::Debug {
    /// The kind this handler runs, e.g. `prune_change_log`.
    fn kind(&self) -> &'static str;

    /// Does the job. A handler completes the job in the same unit of work as its effect
    /// (`tx.complete_job(job)`), so the effect happens exactly once; handlers without a
    /// database effect call `store.complete_job(job)`. An error schedules a retry.
    fn run<'a>(
        &'a self,
        store: &'a Store,
        job: &'a ClaimedJob,
    ) -> BoxFuture<'a, anyhow::Result<()>>;
}

/// Wakes the runner early (tests move a manual clock and then wake it).
#[derive(Debug, Clone, Default)]
pub struct RunnerWaker(Arc<Notify>);

impl RunnerWaker {
    pub fn wake(&self) {
        self.0.notify_one();
    }
}

/// Whether the node has been asked to stop. The runner takes no job once it is, and a handler
/// that works through a long list (a newsletter's deliveries) looks at it between steps and
/// hands the rest of its work back to the queue, so a node stops within seconds, not when the
/// list is done.
#[derive(Debug, Clone)]
pub struct Stopping(watch::Receiver<bool>);

impl Stopping {
    pub fn new(signal: watch::Receiver<bool>) -> Self {
        Self(signal)
    }

    pub fn requested(&self) -> bool {
        *self.0.borrow()
    }
}

/// The runner task's state.
#[derive(Debug)]
pub struct JobRunner {
    store: Store,
    node: String,
    handlers: HashMap<&'static str, Arc<dyn JobHandler>>,
    waker: RunnerWaker,
}

impl JobRunner {
    pub fn new(store: Store, node: String, handlers: Vec<Arc<dyn JobHandler>>) -> Self {
        let handlers = handlers.into_iter().map(|h| (h.kind(), h)).collect();
        Self {
            store,
            node,
            handlers,
            waker: RunnerWaker::default(),
        }
    }

    pub fn waker(&self) -> RunnerWaker {
        self.waker.clone()
    }

    /// Runs due jobs until `shutdown` fires.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        let mut enqueued = self.store.subscribe_jobs();
        let stopping = Stopping::new(shutdown.clone());
        loop {
            let pause = match self.run_due_jobs(&stopping).await {
                Ok(()) => self.time_until_next_job().await,
                Err(error) => {
                    tracing::warn!(%error, "job runner could not reach the store; retrying");
                    Duration::from_secs(1)
                }
            };
            tokio::select! {
                () = tokio::time::sleep(pause) => {}
                () = enqueued.changed() => {}
                () = self.waker.0.notified() => {}
                _ = shutdown.changed() => return,
            }
        }
    }

    /// Claims and runs jobs until none is due, or the node is stopping.
    async fn run_due_jobs(&self, stopping: &Stopping) -> Result<(), gazette_store::StoreError> {
        while !stopping.requested() {
            let Some(job) = self.store.claim_due_job(&self.node, LEASE).await? else {
                break;
            };
            self.run_one(&job).await?;
        }
        Ok(())
    }

    #[tracing::instrument(skip_all, fields(job = job.id.0, kind = %job.kind, attempt = job.attempt))]
    async fn run_one(&self, job: &ClaimedJob) -> Result<(), gazette_store::StoreError> {
        let outcome = match self.handlers.get(job.kind.as_str()) {
            Some(handler) => tokio::select! {
                outcome = handler.run(&self.store, job) => outcome,
                never = self.keep_lease(job) => match never {},
            },
            None => Err(anyhow::anyhow!(
                "no handler for job kind {:?} on this node",
                job.kind
            )),
        };
        match outcome {
            Ok(()) => tracing::info!("job done"),
            Err(error) => match self.store.fail_job(job, &format!("{error:#}")).await? {
                JobRetry::At(at) => {
                    tracing::warn!(error = %format!("{error:#}"), retry_at = %at, "job failed; will retry")
                }
                JobRetry::GaveUp => {
                    tracing::error!(error = %format!("{error:#}"), "job failed for the last time")
                }
            },
        }
        Ok(())
    }

    /// Renews `job`'s lease every [`HEARTBEAT`] while its handler works (never returns: the
    /// handler finishing ends it). A renewal that finds the claim gone (completed, or taken
    /// over after renewals failed for a whole lease) stops renewing; the handler's completion
    /// then fails as a lost claim, so the work is recorded once.
    async fn keep_lease(&self, job: &ClaimedJob) -> std::convert::Infallible {
        loop {
            tokio::time::sleep(HEARTBEAT).await;
            match self.store.extend_lease(job, LEASE).await {
                Ok(true) => {}
                Ok(false) => return std::future::pending().await,
                Err(error) => tracing::warn!(%error, "could not renew a running job's lease"),
            }
        }
    }

    async fn time_until_next_job(&self) -> Duration {
        match self.store.next_job_due().await {
            Ok(Some(due)) => {
                let wait = due.duration_since(self.store.clock().now());
                Duration::try_from(wait)
                    .unwrap_or(Duration::ZERO)
                    .min(MAX_SLEEP)
            }
            Ok(None) => MAX_SLEEP,
            Err(_) => Duration::from_secs(1),
        }
    }
}
