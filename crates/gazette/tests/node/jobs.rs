//! Jobs across a two-node cluster: run when due and once, failing ones retried, a dead node's
//! job taken over within seconds, and a live node's long job never taken from it.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use gazette_core::Clock as _;
use gazette_node::runner::JobHandler;
use gazette_store::{BoxFuture, ClaimedJob, NewJob, Store};
use gazette_testkit::jobs::JobBarrier;
use gazette_testkit::{Backend, TestApp, TestOptions, start_time};
use jiff::SignedDuration;

gazette_testkit::on_both_backends!(
    jobs_run_when_due_and_once,
    failing_jobs_are_retried,
    a_dead_nodes_job_is_taken_over_once_its_short_lease_ends,
    a_long_job_keeps_its_lease_while_it_runs,
);

/// Counts runs of the `count_me` job, completing each in the unit of work of its effect.
#[derive(Debug, Default)]
struct Counter {
    runs: Mutex<Vec<String>>,
    /// The jobs run before their due time (by the store's clock), whenever that was.
    early: Mutex<Vec<String>>,
    failures_left: Mutex<u32>,
}

impl JobHandler for Counter {
    fn kind(&self) -> &'static str {
        "count_me"
    }
    fn run<'a>(
        &'a self,
        store: &'a Store,
        job: &'a ClaimedJob,
    ) -> BoxFuture<'a, anyhow::Result<()>> {
        Box::pin(async move {
            {
                let mut failures = self.failures_left.lock().unwrap();
                if *failures > 0 {
                    *failures -= 1;
                    anyhow::bail!("simulated failure");
                }
            }
            let name = job.payload["name"].as_str().unwrap_or("").to_owned();
            if store.clock().now() < job.due_at {
                self.early.lock().unwrap().push(name.clone());
            }
            let job = job.clone();
            store
                .write(|tx| Box::pin(async move { tx.complete_job(&job).await }))
                .await?;
            self.runs.lock().unwrap().push(name);
            Ok(())
        })
    }
}

async fn enqueue(store: &Store, name: &str, due_in: SignedDuration) {
    let job = NewJob::new(
        "count_me",
        serde_json::json!({ "name": name }),
        start_time() + due_in,
    );
    store
        .write(|tx| Box::pin(async move { tx.enqueue_job(&job).await }))
        .await
        .unwrap();
}

async fn wait_for(mut condition: impl FnMut() -> bool) {
    for _ in 0..250 {
        if condition() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("condition not met within 5 s");
}

async fn jobs_run_when_due_and_once(backend: Backend) {
    let counter_a = Arc::new(Counter::default());
    let counter_b = Arc::new(Counter::default());
    let barrier = JobBarrier::default();
    let Some(a) = TestApp::spawn_with(
        backend,
        TestOptions {
            job_handlers: vec![counter_a.clone(), barrier.handler("a")],
            ..TestOptions::default()
        },
    )
    .await
    else {
        return;
    };
    let b = a
        .spawn_beside(TestOptions {
            job_handlers: vec![counter_b.clone(), barrier.handler("b")],
            ..TestOptions::default()
        })
        .await;
    for n in 0..10 {
        enqueue(&a.store, &format!("job-{n}"), SignedDuration::from_mins(10)).await;
    }
    // Both runners have claimed from the queue since the ten were enqueued (enqueuing woke
    // them) and nothing in it is due. The barrier's own jobs, due now, are ahead of the ten in
    // the queue, so it cannot prove a runner would not take them early next; the handler
    // records any job run before its time, whenever that happens, and that is checked below.
    barrier.pass(&[&a, &b]).await;
    let ran = || counter_a.runs.lock().unwrap().len() + counter_b.runs.lock().unwrap().len();
    assert_eq!(ran(), 0, "not due yet");
    assert_eq!(a.store.job_stats().await.unwrap().due, 0, "not due yet");
    a.clock.advance(SignedDuration::from_mins(10));
    a.node().jobs.wake();
    b.node().jobs.wake();
    wait_for(|| ran() == 10).await;
    // Both runners have finished whatever they had taken: a second run would be counted.
    barrier.pass(&[&a, &b]).await;
    let early: Vec<String> = counter_a
        .early
        .lock()
        .unwrap()
        .iter()
        .chain(counter_b.early.lock().unwrap().iter())
        .cloned()
        .collect();
    assert!(early.is_empty(), "run before their time: {early:?}");
    let mut all: Vec<String> = counter_a
        .runs
        .lock()
        .unwrap()
        .iter()
        .chain(counter_b.runs.lock().unwrap().iter())
        .cloned()
        .collect();
    all.sort();
    let expected: Vec<String> = (0..10).map(|n| format!("job-{n}")).collect();
    assert_eq!(
        all, expected,
        "every job ran exactly once across the two nodes"
    );
    b.shutdown().await;
    a.shutdown().await;
}

async fn failing_jobs_are_retried(backend: Backend) {
    let counter = Arc::new(Counter {
        failures_left: Mutex::new(1),
        ..Counter::default()
    });
    let barrier = JobBarrier::default();
    let Some(app) = TestApp::spawn_with(
        backend,
        TestOptions {
            job_handlers: vec![counter.clone(), barrier.handler("a")],
            ..TestOptions::default()
        },
    )
    .await
    else {
        return;
    };
    enqueue(&app.store, "flaky", SignedDuration::ZERO).await;
    app.node().jobs.wake();
    wait_for(|| *counter.failures_left.lock().unwrap() == 0).await;
    // The runner has recorded the failure and taken the barrier's job, due now: a retry due
    // at once would have come first in the queue.
    barrier.pass(&[&app]).await;
    assert!(
        counter.runs.lock().unwrap().is_empty(),
        "waits for its backoff"
    );
    assert_eq!(
        app.store.job_stats().await.unwrap().due,
        0,
        "the retry is not due yet"
    );
    app.clock.advance(SignedDuration::from_secs(5));
    app.node().jobs.wake();
    wait_for(|| counter.runs.lock().unwrap().len() == 1).await;
    app.shutdown().await;
}

/// A node that claimed a job and died (it never renews the lease) delays it by the lease, 15
/// seconds, not minutes: then a live node runs it.
async fn a_dead_nodes_job_is_taken_over_once_its_short_lease_ends(backend: Backend) {
    let counter = Arc::new(Counter::default());
    let barrier = JobBarrier::default();
    let Some(app) = TestApp::spawn_with(
        backend,
        TestOptions {
            job_handlers: vec![counter.clone(), barrier.handler("a")],
            ..TestOptions::default()
        },
    )
    .await
    else {
        return;
    };
    // The node's own start-up jobs (the daily ones, the digests) are due now; once the
    // runner is past them, the orphan is the only job the dying node can claim.
    barrier.pass(&[&app]).await;
    enqueue(&app.store, "orphaned", SignedDuration::from_mins(10)).await;
    // The dying node: another store on the same database, whose clock has reached the job's
    // time while this node's has not, so it claims the job with no runner racing it.
    let ghost_clock = Arc::new(gazette_core::ManualClock::new(
        start_time() + SignedDuration::from_mins(10),
    ));
    let ghost = Store::connect(
        app.database_url(),
        gazette_store::StoreOptions::new(ghost_clock),
    )
    .await
    .unwrap();
    let claimed = ghost
        .claim_due_job("dead-node", gazette_node::runner::LEASE)
        .await
        .unwrap();
    assert_eq!(
        claimed.map(|job| job.payload["name"].clone()),
        Some(serde_json::json!("orphaned")),
        "the dying node got the job"
    );
    ghost.close().await;

    app.clock.advance(SignedDuration::from_mins(10));
    app.clock.advance(SignedDuration::from_secs(14));
    barrier.pass(&[&app]).await;
    assert!(
        counter.runs.lock().unwrap().is_empty(),
        "the lease still holds"
    );
    app.clock.advance(SignedDuration::from_secs(2));
    app.node().jobs.wake();
    wait_for(|| counter.runs.lock().unwrap().len() == 1).await;
    app.shutdown().await;
}

/// Waits, once started, until released: a job that outlives its lease.
#[derive(Debug, Default)]
struct Slow {
    started: tokio::sync::Notify,
    release: tokio::sync::Notify,
    completed: std::sync::atomic::AtomicBool,
}

impl JobHandler for Slow {
    fn kind(&self) -> &'static str {
        "slow"
    }
    fn run<'a>(
        &'a self,
        store: &'a Store,
        job: &'a ClaimedJob,
    ) -> BoxFuture<'a, anyhow::Result<()>> {
        Box::pin(async move {
            self.started.notify_one();
            self.release.notified().await;
            store.complete_job(job).await?;
            self.completed
                .store(true, std::sync::atomic::Ordering::SeqCst);
            Ok(())
        })
    }
}

/// The runner renews a running job's lease, so another node cannot take over a job that
/// simply takes longer than the lease.
async fn a_long_job_keeps_its_lease_while_it_runs(backend: Backend) {
    let slow = Arc::new(Slow::default());
    let Some(app) = TestApp::spawn_with(
        backend,
        TestOptions {
            job_handlers: vec![slow.clone()],
            ..TestOptions::default()
        },
    )
    .await
    else {
        return;
    };
    let job = NewJob::new("slow", serde_json::json!({}), app.clock.now());
    app.store
        .write(|tx| Box::pin(async move { tx.enqueue_job(&job).await }))
        .await
        .unwrap();
    app.node().jobs.wake();
    slow.started.notified().await;
    // Past the lease by the store's clock: only a renewal keeps it.
    app.clock.advance(SignedDuration::from_secs(20));
    crate::eventually(
        "the lease is renewed past the clock",
        Duration::from_secs(3 * gazette_node::runner::HEARTBEAT.as_secs()),
        || async {
            let held_until = app.store.next_job_due().await.unwrap();
            held_until.is_some_and(|until| until > app.clock.now())
        },
    )
    .await;
    assert!(
        app.store
            .claim_due_job("another-node", gazette_node::runner::LEASE)
            .await
            .unwrap()
            .is_none(),
        "no other node can take it"
    );
    slow.release.notify_one();
    wait_for(|| slow.completed.load(std::sync::atomic::Ordering::SeqCst)).await;
    app.shutdown().await;
}
