//! A real node over HTTP on both backends: first run, health and readiness, security headers,
//! the follower feeding consumers, and jobs running once across a two-node cluster.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use gazette_core::{Email, Slug, Status};
use gazette_node::bootstrap::Bootstrapped;
use gazette_node::follower::ChangeConsumer;
use gazette_node::runner::JobHandler;
use gazette_store::{BoxFuture, Change, ChangeId, ChangeKind, ClaimedJob, NewJob, NewTag, Store};
use gazette_testkit::jobs::JobBarrier;
use gazette_testkit::{ADMIN_EMAIL, Backend, TestApp, TestOptions, start_time};
use jiff::SignedDuration;

gazette_testkit::on_both_backends!(
    first_run_seeds_the_journal_once,
    health_and_readiness_answer,
    responses_carry_security_headers,
    follower_feeds_consumers_in_order,
    bulk_changes_make_consumers_rebuild,
    a_node_is_ready_only_once_its_consumers_are_rebuilt,
    jobs_run_when_due_and_once,
    failing_jobs_are_retried,
    graceful_shutdown_finishes,
    nodes_starting_together_seed_once,
);

async fn first_run_seeds_the_journal_once(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let Bootstrapped::FirstRun {
        admin_email,
        generated_password,
        migrations,
    } = &app.node().bootstrapped
    else {
        panic!("expected a first run, got {:?}", app.node().bootstrapped);
    };
    assert_eq!(admin_email.as_str(), ADMIN_EMAIL);
    assert!(generated_password.is_none(), "the password was supplied");
    assert!(migrations.was_empty());
    let admin = app
        .store
        .person_by_email(&Email::parse(ADMIN_EMAIL).unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(admin.role, gazette_core::Role::Administrator);
    let hasher = gazette_core::password::PasswordHasher::cheap_for_tests();
    assert!(hasher.verify(
        admin.password_hash.as_ref().unwrap(),
        gazette_testkit::ADMIN_PASSWORD
    ));
    assert!(app.store.publication().await.unwrap().is_some());
    assert!(
        app.store
            .server_secret()
            .await
            .unwrap()
            .is_some_and(|s| s.len() == 64)
    );
    let published = app
        .store
        .articles_with_status(Status::Published, 100)
        .await
        .unwrap();
    assert!(published.len() >= 4, "demo articles: {}", published.len());
    assert!(published.iter().any(|a| a.authors.len() > 1), "a co-byline");
    assert!(
        published
            .iter()
            .all(|a| a.published_at.unwrap() <= start_time())
    );
    assert_eq!(
        app.store.pages().await.unwrap().len(),
        3,
        "About, Contact, Privacy policy"
    );
    let sections = app.store.sections().await.unwrap();
    assert!(
        sections.iter().any(|s| s.parent.is_some()),
        "nested sections"
    );
    // A second node on the same database finds it set up and seeds nothing.
    let second = app.spawn_beside(TestOptions::default()).await;
    assert!(matches!(
        second.node().bootstrapped,
        Bootstrapped::Existing { .. }
    ));
    assert_eq!(
        app.store.people().await.unwrap().len(),
        9,
        "admin and eight demo authors, once"
    );
    second.shutdown().await;
    app.shutdown().await;
}

async fn health_and_readiness_answer(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let health = app.get("/healthz").await;
    assert_eq!(health.status(), 200);
    assert_eq!(health.text().await.unwrap(), "ok\n");
    let mut ready = app.get("/readyz").await;
    for _ in 0..100 {
        if ready.status() == 200 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
        ready = app.get("/readyz").await;
    }
    assert_eq!(ready.status(), 200);
    assert_eq!(app.get("/no/such/page/").await.status(), 404);
    app.shutdown().await;
}

async fn responses_carry_security_headers(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    for path in ["/healthz", "/missing"] {
        let response = app.get(path).await;
        let headers = response.headers();
        let csp = headers["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("frame-ancestors 'self'") && !csp.contains("unsafe-inline"),
            "{csp}"
        );
        assert_eq!(headers["x-content-type-options"], "nosniff");
        assert!(headers.contains_key("referrer-policy"));
    }
    app.shutdown().await;
}

/// A consumer that records what it is given.
#[derive(Debug, Default)]
struct Recorder {
    applied: Mutex<Vec<(i64, ChangeKind)>>,
    rebuilds: Mutex<Vec<ChangeId>>,
}

impl ChangeConsumer for Recorder {
    fn name(&self) -> &'static str {
        "recorder"
    }
    fn position(&self) -> BoxFuture<'_, anyhow::Result<Option<ChangeId>>> {
        Box::pin(async { Ok(None) })
    }
    fn apply<'a>(&'a self, changes: &'a [Change]) -> BoxFuture<'a, anyhow::Result<()>> {
        Box::pin(async move {
            self.applied
                .lock()
                .unwrap()
                .extend(changes.iter().map(|c| (c.id.0, c.kind)));
            Ok(())
        })
    }
    fn rebuild(&self, head: ChangeId) -> BoxFuture<'_, anyhow::Result<()>> {
        Box::pin(async move {
            self.rebuilds.lock().unwrap().push(head);
            Ok(())
        })
    }
}

async fn add_tag(store: &Store, slug: &str) {
    let tag = NewTag {
        slug: Slug::parse(slug).unwrap(),
        name: slug.into(),
        description: String::new(),
    };
    store
        .write(|tx| Box::pin(async move { tx.insert_tag(&tag).await }))
        .await
        .unwrap();
}

async fn follower_feeds_consumers_in_order(backend: Backend) {
    let recorder = Arc::new(Recorder::default());
    let options = TestOptions {
        consumers: vec![recorder.clone()],
        ..TestOptions::default()
    };
    let Some(app) = TestApp::spawn_with(backend, options).await else {
        return;
    };
    let start = app.store.latest_change_id().await.unwrap();
    add_tag(&app.store, "one").await;
    add_tag(&app.store, "two").await;
    let mut progress = app.node().follower.clone();
    tokio::time::timeout(
        Duration::from_secs(5),
        progress.reached(ChangeId(start.0 + 2)),
    )
    .await
    .unwrap();
    let applied = recorder.applied.lock().unwrap().clone();
    assert_eq!(
        applied,
        vec![
            (start.0 + 1, ChangeKind::Tag),
            (start.0 + 2, ChangeKind::Tag)
        ],
        "only changes after the start, in order, once"
    );
    assert!(recorder.rebuilds.lock().unwrap().is_empty());
    app.shutdown().await;
}

async fn bulk_changes_make_consumers_rebuild(backend: Backend) {
    let recorder = Arc::new(Recorder::default());
    let options = TestOptions {
        consumers: vec![recorder.clone()],
        ..TestOptions::default()
    };
    let Some(app) = TestApp::spawn_with(backend, options).await else {
        return;
    };
    app.store
        .write(|tx| {
            Box::pin(async move {
                tx.record_bulk_change();
                Ok::<_, gazette_store::StoreError>(())
            })
        })
        .await
        .unwrap();
    let head = app.store.latest_change_id().await.unwrap();
    let mut progress = app.node().follower.clone();
    tokio::time::timeout(Duration::from_secs(5), progress.reached(head))
        .await
        .unwrap();
    assert_eq!(recorder.rebuilds.lock().unwrap().clone(), vec![head]);
    app.shutdown().await;
}

/// A consumer whose saved position the log no longer reaches, so it must be rebuilt at start;
/// the rebuild waits until the test releases it, and fails the first time.
#[derive(Debug, Default)]
struct SlowRebuild {
    release: tokio::sync::Notify,
    attempts: Mutex<u32>,
    applied: Mutex<Vec<i64>>,
}

impl ChangeConsumer for SlowRebuild {
    fn name(&self) -> &'static str {
        "slow_rebuild"
    }
    fn position(&self) -> BoxFuture<'_, anyhow::Result<Option<ChangeId>>> {
        Box::pin(async { Ok(Some(ChangeId(-5))) })
    }
    fn apply<'a>(&'a self, changes: &'a [Change]) -> BoxFuture<'a, anyhow::Result<()>> {
        Box::pin(async move {
            self.applied
                .lock()
                .unwrap()
                .extend(changes.iter().map(|c| c.id.0));
            Ok(())
        })
    }
    fn rebuild(&self, _head: ChangeId) -> BoxFuture<'_, anyhow::Result<()>> {
        Box::pin(async move {
            let attempt = {
                let mut attempts = self.attempts.lock().unwrap();
                *attempts += 1;
                *attempts
            };
            if attempt == 1 {
                anyhow::bail!("the first rebuild fails");
            }
            self.release.notified().await;
            Ok(())
        })
    }
}

async fn a_node_is_ready_only_once_its_consumers_are_rebuilt(backend: Backend) {
    let slow = Arc::new(SlowRebuild::default());
    let options = TestOptions {
        consumers: vec![slow.clone()],
        ..TestOptions::default()
    };
    let Some(app) = TestApp::spawn_with(backend, options).await else {
        return;
    };
    // The node serves at once, but is not ready while the consumer waits for its rebuild
    // (which failed once and is retried).
    assert_eq!(app.get("/").await.status(), 200);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while *slow.attempts.lock().unwrap() < 2 {
        assert_eq!(app.get("/readyz").await.status(), 503);
        assert!(
            tokio::time::Instant::now() < deadline,
            "the failed rebuild is retried within 10 s"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // The retry now waits for the release: still not ready.
    assert_eq!(app.get("/readyz").await.status(), 503);
    slow.release.notify_one();
    let mut ready = false;
    for _ in 0..100 {
        if app.get("/readyz").await.status() == 200 {
            ready = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(ready, "ready once rebuilt");
    // Rebuilt up to the head, it then follows new changes only.
    add_tag(&app.store, "after-the-rebuild").await;
    app.caught_up().await;
    let head = app.store.latest_change_id().await.unwrap();
    assert_eq!(slow.applied.lock().unwrap().clone(), vec![head.0]);
    app.shutdown().await;
}

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

async fn graceful_shutdown_finishes(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let address = app.address;
    tokio::time::timeout(Duration::from_secs(10), app.shutdown())
        .await
        .unwrap();
    assert!(
        tokio::net::TcpStream::connect(address).await.is_err(),
        "no longer listening"
    );
}

async fn nodes_starting_together_seed_once(backend: Backend) {
    use gazette_node::bootstrap::{FirstRun, bootstrap};
    use gazette_testkit::TestDatabase;
    let database = match backend {
        Backend::Sqlite => TestDatabase::sqlite(),
        Backend::Postgres => match TestDatabase::postgres_empty().await {
            Some(database) => database,
            None => return,
        },
    };
    let first_run = FirstRun {
        admin_email: Email::parse(ADMIN_EMAIL).unwrap(),
        admin_password: Some(gazette_testkit::ADMIN_PASSWORD.to_owned()),
        with_demo: true,
        publication: gazette_core::Publication::sample(),
    };
    let hasher = gazette_core::password::PasswordHasher::cheap_for_tests();
    let clock: Arc<dyn gazette_core::Clock> =
        Arc::new(gazette_core::ManualClock::new(start_time()));
    let open = || {
        Store::connect(
            database.url(),
            gazette_store::StoreOptions::new(clock.clone()),
        )
    };
    let (one, two) = (open().await.unwrap(), open().await.unwrap());
    let (a, b) = tokio::join!(
        bootstrap(&one, &first_run, &hasher),
        bootstrap(&two, &first_run, &hasher)
    );
    let outcomes = [a.unwrap(), b.unwrap()];
    let first_runs = outcomes
        .iter()
        .filter(|o| matches!(o, Bootstrapped::FirstRun { .. }))
        .count();
    assert_eq!(first_runs, 1, "exactly one node seeds: {outcomes:?}");
    assert_eq!(
        one.people().await.unwrap().len(),
        9,
        "admin and eight demo authors, once"
    );
    one.close().await;
    two.close().await;
}
