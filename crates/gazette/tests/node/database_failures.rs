//! A node whose PostgreSQL fails, on a throwaway cluster the test breaks: stopped and started
//! again, its sessions ended, frozen past the timeouts. Readers keep the cached pages, the rest
//! is 503 with `Retry-After` (never a 500, never a hang), `/readyz` says the database is down
//! while `/healthz` stays up, and everything resumes without restarting the node.

use std::time::{Duration, Instant};

use gazette_core::Role;
use gazette_testkit::throwaway_postgres::ThrowawayPostgres;
use gazette_testkit::{TestApp, TestDatabase, TestOptions};
use reqwest::StatusCode;
use serde_json::json;

use crate::eventually;

/// A node with the demo journal on a cluster of its own, and an editor's application password.
pub(super) async fn node_on(cluster: &ThrowawayPostgres) -> (TestApp, String, String) {
    let options = TestOptions {
        demo: true,
        ..TestOptions::default()
    };
    let app = TestApp::spawn_on(TestDatabase::at_url(cluster.url()), options).await;
    let editor = app.add_staff("desk", Role::Editor, "a long password").await;
    let (_, secret) = gazette_newsroom::app_passwords::create(&app.store, editor.id, "tests")
        .await
        .unwrap();
    (app, editor.email.as_str().to_owned(), secret)
}

/// Creates a draft through the API; its status.
pub(super) async fn write(app: &TestApp, user: &str, secret: &str) -> reqwest::Response {
    app.client
        .post(app.url("/wp-json/wp/v2/posts"))
        .basic_auth(user, Some(secret))
        .json(&json!({ "title": "From the desk", "status": "draft" }))
        .send()
        .await
        .unwrap()
}

/// Some of the demo's published articles.
async fn published(app: &TestApp) -> Vec<gazette_core::ArticleId> {
    let articles = app
        .store
        .articles_with_status(gazette_core::Status::Published, 6)
        .await
        .unwrap();
    articles.iter().map(|article| article.id).collect()
}

fn is_unavailable(response: &reqwest::Response) -> bool {
    response.status() == StatusCode::SERVICE_UNAVAILABLE
        && response.headers().contains_key("retry-after")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(gazette_test_database_url),
    ignore = "needs GAZETTE_TEST_DATABASE_URL (see README)"
)]
async fn a_stopped_database_leaves_cached_pages_and_503s_then_everything_resumes() {
    let Some(cluster) = ThrowawayPostgres::start() else {
        return;
    };
    let (app, user, secret) = node_on(&cluster).await;
    let articles = published(&app).await;
    let (read, unread) = (
        app.published_path(articles[0]).await,
        app.published_path(articles[1]).await,
    );
    assert_eq!(app.get(&read).await.status(), 200);

    cluster.stop();
    let uncached = app.get(&unread).await;
    assert!(is_unavailable(&uncached), "{}", uncached.status());
    let page = uncached.text().await.unwrap();
    assert!(
        page.contains("temporarily unavailable"),
        "a themed page: {page}"
    );
    assert!(
        is_unavailable(&write(&app, &user, &secret).await),
        "writes wait"
    );
    assert_eq!(
        app.get("/healthz").await.status(),
        200,
        "the node itself is alive"
    );
    let ready = app.get("/readyz").await;
    assert_eq!(ready.status(), 503);
    assert!(ready.text().await.unwrap().contains("database"));
    let cached = app.get(&read).await;
    assert_eq!(cached.status(), 200, "a cached page is still served");
    assert!(
        cached.headers().contains_key("x-gazette-stale"),
        "and says it may be out of date: {:?}",
        cached.headers()
    );

    cluster.start_server();
    eventually(
        "the node serves uncached pages again",
        Duration::from_secs(30),
        || async { app.get(&unread).await.status() == 200 },
    )
    .await;
    assert_eq!(
        write(&app, &user, &secret).await.status(),
        201,
        "writes resume"
    );
    eventually(
        "the node is ready again",
        Duration::from_secs(30),
        || async { app.get("/readyz").await.status() == 200 },
    )
    .await;
    assert!(
        !app.get(&read)
            .await
            .headers()
            .contains_key("x-gazette-stale")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(gazette_test_database_url),
    ignore = "needs GAZETTE_TEST_DATABASE_URL (see README)"
)]
async fn a_page_changed_just_before_the_database_stopped_is_served_from_its_last_copy() {
    let Some(cluster) = ThrowawayPostgres::start() else {
        return;
    };
    let (app, user, secret) = node_on(&cluster).await;
    let articles = published(&app).await;
    let (article, never_read) = (articles[0], app.published_path(articles[1]).await);
    let path = app.published_path(article).await;
    let before = app.get(&path).await.text().await.unwrap();
    let edited = app
        .client
        .post(app.url(&format!("/wp-json/wp/v2/posts/{article}")))
        .basic_auth(&user, Some(&secret))
        .json(&json!({ "title": "Corrected headline" }))
        .send()
        .await
        .unwrap();
    assert_eq!(edited.status(), 200, "{}", edited.text().await.unwrap());

    cluster.stop();
    let stale = app.get(&path).await;
    assert_eq!(stale.status(), 200, "the last copy rather than a 503");
    assert!(
        stale.headers().contains_key("x-gazette-stale"),
        "marked as possibly out of date: {:?}",
        stale.headers()
    );
    assert_eq!(
        stale.text().await.unwrap(),
        before,
        "the copy readers last saw"
    );
    let never = app.get(&never_read).await;
    assert!(is_unavailable(&never), "no copy, no page");
    let never = never.text().await.unwrap();
    assert!(
        never.contains("temporarily unavailable"),
        "themed with the last snapshot, though the current one cannot be loaded: {never}"
    );
    drop(cluster);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(gazette_test_database_url),
    ignore = "needs GAZETTE_TEST_DATABASE_URL (see README)"
)]
async fn ended_sessions_cost_one_503_at_most_then_are_replaced() {
    let Some(cluster) = ThrowawayPostgres::start() else {
        return;
    };
    let (app, user, secret) = node_on(&cluster).await;
    let articles = published(&app).await;
    let mut paths = Vec::new();
    for id in &articles {
        paths.push(app.published_path(*id).await);
    }
    assert_eq!(write(&app, &user, &secret).await.status(), 201);
    // Four units of work at once: the pool holds several connections, all of which end.
    let busy: Vec<_> = (0..4)
        .map(|_| {
            let store = app.store.clone();
            tokio::spawn(async move {
                store
                    .write(|_| {
                        Box::pin(async {
                            tokio::time::sleep(Duration::from_millis(300)).await;
                            Ok::<_, gazette_store::StoreError>(())
                        })
                    })
                    .await
            })
        })
        .collect();
    for task in busy {
        task.await.unwrap().unwrap();
    }
    let ended = cluster.terminate_gazette_backends();
    assert!(ended > 0, "the node's sessions were there to end");
    // Every page below is rendered afresh: none was asked for before. The first request may
    // be the one that finds its connection gone (503, worth retrying); none after it.
    let mut statuses = Vec::new();
    for path in &paths {
        statuses.push(app.get(path).await.status().as_u16());
    }
    statuses.push(write(&app, &user, &secret).await.status().as_u16());
    let (first, rest) = statuses.split_first().unwrap();
    assert!([200, 503].contains(first), "{statuses:?}");
    assert!(rest.iter().all(|s| [200, 201].contains(s)), "{statuses:?}");

    // The follower lost its LISTEN session too: a post published now still reaches the
    // cached home page.
    assert_eq!(app.get("/").await.status(), 200);
    let published = app
        .client
        .post(app.url("/wp-json/wp/v2/posts"))
        .basic_auth(&user, Some(&secret))
        .json(&json!({ "title": "After the sessions ended", "status": "publish" }))
        .send()
        .await
        .unwrap();
    assert_eq!(published.status(), 201);
    eventually(
        "the home page shows the new post",
        Duration::from_secs(15),
        || async {
            app.get_text("/")
                .await
                .1
                .contains("After the sessions ended")
        },
    )
    .await;

    // The server ending a session mid-statement (SQLSTATE 57P01, raised here by a trigger)
    // is the database's failure, not ours: 503 with Retry-After, never 500.
    cluster.psql(
        "create function gazette_fail() returns trigger language plpgsql as \
         $$ begin raise exception 'injected' using errcode = '57P01'; end $$; \
         create trigger gazette_fail before insert on articles \
         for each row execute function gazette_fail()",
    );
    assert!(is_unavailable(&write(&app, &user, &secret).await));
    cluster.psql("drop trigger gazette_fail on articles");
    assert_eq!(write(&app, &user, &secret).await.status(), 201);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(gazette_test_database_url),
    ignore = "needs GAZETTE_TEST_DATABASE_URL (see README)"
)]
async fn a_frozen_database_answers_503_in_bounded_time_and_recovers() {
    let Some(mut cluster) = ThrowawayPostgres::start() else {
        return;
    };
    let (app, user, secret) = node_on(&cluster).await;
    let articles = published(&app).await;
    let unread = app.published_path(articles[2]).await;

    cluster.freeze();
    let started = Instant::now();
    let page = app.get(&unread).await;
    assert!(is_unavailable(&page), "{}", page.status());
    assert!(is_unavailable(&write(&app, &user, &secret).await));
    let waited = started.elapsed();
    assert!(
        waited < Duration::from_secs(60),
        "no hang: answered after {waited:?}"
    );
    assert_eq!(app.get("/healthz").await.status(), 200);

    cluster.thaw();
    eventually(
        "pages come back after the freeze",
        Duration::from_secs(30),
        || async { app.get(&unread).await.status() == 200 },
    )
    .await;
    assert_eq!(write(&app, &user, &secret).await.status(), 201);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(gazette_test_database_url),
    ignore = "needs GAZETTE_TEST_DATABASE_URL (see README)"
)]
async fn a_connection_lost_during_commit_is_reported_as_outcome_unknown() {
    let Some(cluster) = ThrowawayPostgres::start() else {
        return;
    };
    let (app, user, secret) = node_on(&cluster).await;
    let writing = {
        let (client, url) = (app.client.clone(), app.url("/wp-json/wp/v2/posts"));
        let (user, secret) = (user.clone(), secret.clone());
        async move {
            client
                .post(url)
                .basic_auth(user, Some(secret))
                .json(&json!({ "title": "Lost in the commit", "status": "draft" }))
                .send()
                .await
        }
    };
    let answer = end_the_session_during_its_commit(&cluster, writing).await;
    assert!(is_unavailable(&answer), "{}", answer.status());
    let body: serde_json::Value = answer.json().await.unwrap();
    assert_eq!(body["code"], "rest_outcome_unknown", "{body}");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("may or may not have been saved"),
        "{body}"
    );

    // The first request may find another ended session in the pool (503); then writes work.
    let statuses = [
        write(&app, &user, &secret).await.status().as_u16(),
        write(&app, &user, &secret).await.status().as_u16(),
    ];
    assert!(matches!(statuses, [201 | 503, 201]), "{statuses:?}");
}

/// Sends `create` (a new article) with every article's COMMIT made to take three seconds (a
/// deferred trigger sleeps in it), and ends the node's sessions while that commit sleeps: the
/// create's answer, which cannot know whether it was saved.
pub(super) async fn end_the_session_during_its_commit(
    cluster: &ThrowawayPostgres,
    create: impl std::future::Future<Output = reqwest::Result<reqwest::Response>> + Send + 'static,
) -> reqwest::Response {
    cluster.psql(
        "create function gazette_slow_commit() returns trigger language plpgsql as \
         $$ begin perform pg_sleep(3); return null; end $$; \
         create constraint trigger gazette_slow_commit after insert on articles \
         deferrable initially deferred for each row execute function gazette_slow_commit()",
    );
    let sending = tokio::spawn(create);
    eventually(
        "the commit is under way",
        Duration::from_secs(10),
        || async {
            cluster.psql(
                "select count(*) from pg_stat_activity \
                 where application_name = 'gazette' and wait_event = 'PgSleep'",
            ) != "0\n"
        },
    )
    .await;
    assert!(cluster.terminate_gazette_backends() > 0);
    let answer = sending.await.unwrap().unwrap();
    cluster
        .psql("drop trigger gazette_slow_commit on articles; drop function gazette_slow_commit()");
    answer
}

/// The pids of the sessions listening for other nodes' changes.
fn listening_sessions(cluster: &ThrowawayPostgres) -> Vec<String> {
    let pids = cluster.psql(
        "select pid from pg_stat_activity \
         where application_name = 'gazette' and query ilike 'listen%'",
    );
    pids.lines().map(str::to_owned).collect()
}

/// Publishes `headline` through node `from` and waits for node `to`'s cached home page to show
/// it; how long that took.
async fn published_reaches(
    from: &TestApp,
    to: &TestApp,
    (user, secret): (&str, &str),
    headline: &str,
) -> Duration {
    let published = from
        .client
        .post(from.url("/wp-json/wp/v2/posts"))
        .basic_auth(user, Some(secret))
        .json(&json!({ "title": headline, "status": "publish" }))
        .send()
        .await
        .unwrap();
    assert_eq!(published.status(), 201);
    let started = Instant::now();
    eventually(
        "the other node's home page shows the post",
        Duration::from_secs(20),
        || async { to.get_text("/").await.1.contains(headline) },
    )
    .await;
    started.elapsed()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(gazette_test_database_url),
    ignore = "needs GAZETTE_TEST_DATABASE_URL (see README)"
)]
async fn a_killed_or_frozen_listen_session_still_lets_other_nodes_catch_up() {
    let Some(cluster) = ThrowawayPostgres::start() else {
        return;
    };
    let (a, user, secret) = node_on(&cluster).await;
    let b = a.spawn_beside(TestOptions::default()).await;
    let login = (user.as_str(), secret.as_str());
    assert_eq!(b.get("/").await.status(), 200, "b caches its home page");
    eventually("both nodes listen", Duration::from_secs(10), || async {
        listening_sessions(&cluster).len() == 2
    })
    .await;

    // Killed: the listeners connect again, and a change made on a reaches b's cache.
    for pid in listening_sessions(&cluster) {
        cluster.psql(&format!("select pg_terminate_backend({pid})"));
    }
    eventually(
        "both nodes listen again",
        Duration::from_secs(10),
        || async {
            let now = listening_sessions(&cluster);
            now.len() == 2
        },
    )
    .await;
    published_reaches(&a, &b, login, "Heard after the listeners were killed").await;

    // Frozen: a listener whose server process stopped answering hears nothing, and nothing
    // tells it; the follower's poll still brings the change, within its interval.
    let frozen = listening_sessions(&cluster);
    for pid in &frozen {
        assert!(
            std::process::Command::new("kill")
                .args(["-STOP", pid])
                .status()
                .unwrap()
                .success()
        );
    }
    let took = published_reaches(&a, &b, login, "Heard while the listeners were frozen").await;
    assert!(
        took <= gazette_node::follower::POLL_INTERVAL + Duration::from_secs(3),
        "caught up by polling in {took:?}"
    );
    for pid in &frozen {
        std::process::Command::new("kill")
            .args(["-CONT", pid])
            .status()
            .unwrap();
    }
}
