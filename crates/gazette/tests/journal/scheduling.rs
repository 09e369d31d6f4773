//! Scheduled publishing: articles appear at their time, and publishing catches up after
//! downtime.

use std::time::Duration;

use gazette_core::{Clock as _, Status};
use gazette_testkit::jobs::JobBarrier;
use gazette_testkit::{Backend, TestApp, TestOptions};
use jiff::SignedDuration;

use super::{eventually, insert};

gazette_testkit::on_both_backends!(
    scheduled_articles_appear_at_their_time,
    scheduled_publishing_catches_up_after_downtime,
);

async fn scheduled_articles_appear_at_their_time(backend: Backend) {
    let barrier = JobBarrier::default();
    let options = TestOptions {
        demo: true,
        job_handlers: vec![barrier.handler("a")],
        ..TestOptions::default()
    };
    let Some(app) = TestApp::spawn_with(backend, options).await else {
        return;
    };
    let b = match backend {
        Backend::Postgres => Some(
            app.spawn_beside(TestOptions {
                job_handlers: vec![barrier.handler("b")],
                ..TestOptions::default()
            })
            .await,
        ),
        Backend::Sqlite => None,
    };
    let due = app.clock.now() + SignedDuration::from_hours(1);
    let article = insert(&app, "Embargoed budget figures", Status::Scheduled, due).await;
    let path = app.article_path(&article).await;
    let first_change = app.store.latest_change_id().await.unwrap();
    assert_eq!(
        app.get(&path).await.status(),
        404,
        "invisible before its time"
    );
    assert!(
        !app.get_text("/")
            .await
            .1
            .contains("Embargoed budget figures")
    );

    app.clock.advance(SignedDuration::from_hours(1));
    app.node().jobs.wake();
    if let Some(b) = &b {
        b.node().jobs.wake();
    }
    eventually(
        "the scheduled article is published",
        Duration::from_secs(5),
        || async { app.get(&path).await.status() == 200 },
    )
    .await;
    assert!(
        app.get_text("/")
            .await
            .1
            .contains("Embargoed budget figures")
    );
    let stored = app.store.article(article.id).await.unwrap().unwrap();
    assert_eq!(stored.status, Status::Published);
    assert_eq!(
        stored.published_at,
        Some(due),
        "published at its planned time"
    );
    // Exactly once: one change for the article since scheduling, and no job left, once every
    // node's runner has finished what it took (a second run would be done by then).
    let nodes: Vec<&TestApp> = std::iter::once(&app).chain(b.as_ref()).collect();
    barrier.pass(&nodes).await;
    let changes = app.store.changes_after(first_change, 100).await.unwrap();
    let publications = changes
        .iter()
        .filter(|c| c.entity_id == Some(article.id.0))
        .count();
    assert_eq!(publications, 1, "{changes:?}");
    assert_eq!(app.store.job_stats().await.unwrap().due, 0);
    if let Some(b) = b {
        assert_eq!(b.get(&path).await.status(), 200);
        b.shutdown().await;
    }
}

async fn scheduled_publishing_catches_up_after_downtime(backend: Backend) {
    let Some(mut app) = TestApp::spawn(backend).await else {
        return;
    };
    let due = app.clock.now() + SignedDuration::from_mins(30);
    let article = insert(&app, "Results due overnight", Status::Scheduled, due).await;
    let path = app.article_path(&article).await;
    app.stop().await;
    app.clock.advance(SignedDuration::from_hours(8)); // the machine was down all night
    let restarted = app.spawn_beside(TestOptions::default()).await;
    // No wake-up call: the runner looks for overdue work as it starts.
    eventually(
        "the overdue article is published on start",
        Duration::from_secs(5),
        || async { restarted.get(&path).await.status() == 200 },
    )
    .await;
    let stored = restarted.store.article(article.id).await.unwrap().unwrap();
    assert_eq!(stored.published_at, Some(due), "keeps its planned time");
    restarted.shutdown().await;
}
