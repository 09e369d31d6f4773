//! The follower feeding consumers: in order, rebuilding them after bulk changes, and a node
//! ready only once its consumers are rebuilt.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use gazette_core::Slug;
use gazette_node::follower::ChangeConsumer;
use gazette_store::{BoxFuture, Change, ChangeId, ChangeKind, NewTag, Store};
use gazette_testkit::{Backend, TestApp, TestOptions};

gazette_testkit::on_both_backends!(
    follower_feeds_consumers_in_order,
    bulk_changes_make_consumers_rebuild,
    a_node_is_ready_only_once_its_consumers_are_rebuilt,
);

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
