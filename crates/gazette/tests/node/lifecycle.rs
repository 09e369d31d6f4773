//! A node's life: first run seeding the journal once (also when nodes start together),
//! health and readiness, security headers, and a graceful shutdown.

use std::sync::Arc;
use std::time::Duration;

use gazette_core::{Email, Status};
use gazette_node::bootstrap::Bootstrapped;
use gazette_store::Store;
use gazette_testkit::{ADMIN_EMAIL, Backend, TestApp, TestOptions, start_time};

gazette_testkit::on_both_backends!(
    first_run_seeds_the_journal_once,
    health_and_readiness_answer,
    responses_carry_security_headers,
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
    let hits = || app.node().state.page_cache().stats().hits;
    let hits_before = hits();
    // The home page twice: the second is answered by the page cache in the front door.
    for path in ["/healthz", "/missing", "/", "/"] {
        let response = app.get(path).await;
        let headers = response.headers();
        let csp = headers["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("frame-ancestors 'self'") && !csp.contains("unsafe-inline"),
            "{path}: {csp}"
        );
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(headers["x-frame-options"], "SAMEORIGIN", "{path}");
        assert!(headers.contains_key("referrer-policy"), "{path}");
    }
    assert_eq!(hits(), hits_before + 1, "the second home page was a hit");
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
