//! A sentinel for job runners: proof that each node's runner has finished the jobs it took
//! before, so a test can assert that something did *not* happen (a job ran only once, a retry
//! waits for its backoff) without sleeping.
//!
//! ```ignore
//! let barrier = JobBarrier::default();
//! let a = TestApp::spawn_with(backend, TestOptions {
//!     job_handlers: vec![barrier.handler("a")], ..TestOptions::default()
//! }).await?;
//! // … enqueue work, wait for it …
//! barrier.pass(&[&a]).await; // a's runner is done with everything it claimed before
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use gazette_node::runner::JobHandler;
use gazette_store::{BoxFuture, ClaimedJob, NewJob, Store};

use crate::TestApp;

/// The job kind the barrier enqueues.
pub const BARRIER_JOB: &str = "test_barrier";

/// How long a barrier job waits for the other nodes' runners, and a pass for all of them.
const PATIENCE: Duration = Duration::from_secs(10);

/// One barrier shared by the nodes of a test cluster; give every node its
/// [`JobBarrier::handler`] (a node without it would fail the barrier jobs it claims).
#[derive(Debug, Clone, Default)]
pub struct JobBarrier {
    shared: Arc<Shared>,
}

#[derive(Debug, Default)]
struct Shared {
    /// The nodes whose runner has taken a job of each round.
    arrived: Mutex<BTreeMap<u64, BTreeSet<String>>>,
    /// The jobs of each round completed.
    completed: Mutex<BTreeMap<u64, usize>>,
    rounds: Mutex<u64>,
    changed: tokio::sync::Notify,
}

impl Shared {
    fn arrived(&self, round: u64) -> usize {
        self.arrived
            .lock()
            .map(|a| a.get(&round).map_or(0, BTreeSet::len))
            .unwrap_or(0)
    }

    fn completed(&self, round: u64) -> usize {
        self.completed
            .lock()
            .map(|c| c.get(&round).copied().unwrap_or(0))
            .unwrap_or(0)
    }
}

impl JobBarrier {
    /// The handler for the node called `node` (a name unique within the test).
    pub fn handler(&self, node: &str) -> Arc<dyn JobHandler> {
        Arc::new(BarrierHandler {
            node: node.to_owned(),
            shared: self.shared.clone(),
        })
    }

    /// Enqueues one barrier job per node, wakes their runners and returns once the runner of
    /// every node in `nodes` has taken one and the jobs are completed. A runner runs one job
    /// at a time and claims jobs in the order they are due, so by then each has finished the
    /// job it held before and every job that was due no later than now. Each barrier job
    /// holds its runner until all have arrived, so no node can take two of them.
    ///
    /// It proves nothing about jobs not yet due: those a broken runner would take early come
    /// after the barrier's in the queue.
    pub async fn pass(&self, nodes: &[&TestApp]) {
        let (first, _) = nodes
            .split_first()
            .unwrap_or_else(|| panic!("a barrier needs a node"));
        let round = {
            let mut rounds = self
                .shared
                .rounds
                .lock()
                .unwrap_or_else(|e| panic!("barrier: {e}"));
            *rounds += 1;
            *rounds
        };
        let store: &Store = &first.store;
        let now = store.clock().now();
        for _ in nodes {
            let job = NewJob::new(
                BARRIER_JOB,
                serde_json::json!({ "round": round, "nodes": nodes.len() }),
                now,
            );
            store
                .write(|tx| Box::pin(async move { tx.enqueue_job(&job).await }))
                .await
                .unwrap_or_else(|e| panic!("enqueuing a barrier job: {e}"));
        }
        for node in nodes {
            node.node().jobs.wake();
        }
        let all_done = async {
            loop {
                let changed = self.shared.changed.notified();
                if self.shared.completed(round) >= nodes.len() {
                    return;
                }
                changed.await;
            }
        };
        tokio::time::timeout(PATIENCE, all_done)
            .await
            .unwrap_or_else(|_| {
                panic!(
                    "the job runners of {} node(s) did not all pass the barrier within {PATIENCE:?} ({} arrived, {} completed)",
                    nodes.len(),
                    self.shared.arrived(round),
                    self.shared.completed(round)
                )
            });
    }
}

#[derive(Debug)]
struct BarrierHandler {
    node: String,
    shared: Arc<Shared>,
}

impl JobHandler for BarrierHandler {
    fn kind(&self) -> &'static str {
        BARRIER_JOB
    }

    fn run<'a>(
        &'a self,
        store: &'a Store,
        job: &'a ClaimedJob,
    ) -> BoxFuture<'a, anyhow::Result<()>> {
        Box::pin(async move {
            let round = job.payload["round"].as_u64().unwrap_or(0);
            let nodes = usize::try_from(job.payload["nodes"].as_u64().unwrap_or(1)).unwrap_or(1);
            if let Ok(mut arrived) = self.shared.arrived.lock() {
                arrived.entry(round).or_default().insert(self.node.clone());
            }
            self.shared.changed.notify_waiters();
            // Hold this runner until every node's runner has arrived, so that the other
            // barrier jobs of the round go to the other nodes.
            let everyone = async {
                loop {
                    let changed = self.shared.changed.notified();
                    if self.shared.arrived(round) >= nodes {
                        return;
                    }
                    changed.await;
                }
            };
            tokio::time::timeout(PATIENCE, everyone)
                .await
                .map_err(|_| anyhow::anyhow!("barrier round {round}: not every node arrived"))?;
            store.complete_job(job).await?;
            if let Ok(mut completed) = self.shared.completed.lock() {
                *completed.entry(round).or_default() += 1;
            }
            self.shared.changed.notify_waiters();
            Ok(())
        })
    }
}
