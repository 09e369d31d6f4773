//! The search index following renames, restarts and damage, and rebuilt while serving.

use gazette_testkit::{Backend, TestApp, TestOptions};

use super::{headlines, publish, search};

gazette_testkit::on_both_backends!(
    the_index_follows_renames_restarts_and_damage,
    reindexing_swaps_in_a_new_index_while_serving,
);

async fn the_index_follows_renames_restarts_and_damage(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let http = app.admin_client().await;
    publish(
        &app,
        &http,
        &[
            ("headline", "Tidal lagoon approved"),
            ("body", "The lagoon will power a town."),
            ("tags", "Ocean power"),
        ],
    )
    .await;
    app.caught_up().await;
    assert_eq!(
        headlines(&search(&app, "ocean").await),
        ["Tidal lagoon approved"]
    );

    // Renaming the tag changes what its articles are found by.
    let mut tag = app
        .store
        .tags()
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.name == "Ocean power")
        .unwrap();
    tag.name = "Marine energy".to_owned();
    app.store
        .write(|tx| Box::pin(async move { tx.update_tag(&tag).await }))
        .await
        .unwrap();
    app.caught_up().await;
    assert!(headlines(&search(&app, "ocean").await).is_empty());
    assert_eq!(
        headlines(&search(&app, "marine").await),
        ["Tidal lagoon approved"]
    );

    // Written on another node while this one is down: found after the restart.
    let mut app = app;
    app.stop().await;
    let other = app.spawn_beside(TestOptions::default()).await;
    let other_http = other.admin_client().await;
    publish(
        &other,
        &other_http,
        &[
            ("headline", "Estuary survey begins"),
            ("body", "Divers map the estuary."),
        ],
    )
    .await;
    other.shutdown().await;
    let app = app.restart(TestOptions::default()).await;
    app.caught_up().await;
    assert_eq!(
        headlines(&search(&app, "estuary").await),
        ["Estuary survey begins"]
    );
    assert_eq!(
        headlines(&search(&app, "lagoon").await),
        ["Tidal lagoon approved"]
    );

    // A damaged index is set aside and rebuilt from the store; the node reports ready only
    // once it is.
    let index_dir = app.data_dir().join("index");
    let app_dir = app.data_dir().to_owned();
    let mut app = app;
    app.stop().await;
    let current = std::fs::read_link(index_dir.join("current")).unwrap();
    std::fs::write(index_dir.join(&current).join("meta.json"), b"{ not json").unwrap();
    let app = app.restart(TestOptions::default()).await;
    assert_eq!(app.data_dir(), app_dir);
    wait_until_ready(&app).await;
    assert_eq!(
        headlines(&search(&app, "estuary").await),
        ["Estuary survey begins"]
    );
    assert_eq!(
        headlines(&search(&app, "marine").await),
        ["Tidal lagoon approved"]
    );
    let now_current = std::fs::read_link(index_dir.join("current")).unwrap();
    assert_ne!(
        now_current, current,
        "a new generation replaced the damaged one"
    );
    assert!(
        !index_dir.join(&current).exists(),
        "the damaged one was removed"
    );
}

async fn wait_until_ready(app: &TestApp) {
    for _ in 0..200 {
        if app.get("/readyz").await.status() == 200 {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("the node did not become ready");
}

async fn reindexing_swaps_in_a_new_index_while_serving(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    app.caught_up().await;
    let index_dir = app.data_dir().join("index");
    let before = std::fs::read_link(index_dir.join("current")).unwrap();
    let budget = headlines(&search(&app, "budget").await);
    assert!(!budget.is_empty());

    let output = std::process::Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args(["search", "reindex", "--data"])
        .arg(app.data_dir())
        .args(["--database", app.database_url()])
        .env_remove("GAZETTE_DATABASE_URL")
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{report}");
    assert!(report.contains("Indexed 15 articles"), "{report}");
    let after = std::fs::read_link(index_dir.join("current")).unwrap();
    assert_ne!(before, after);

    // The server, still running, picks the new generation up at its next poll, applies what
    // was written meanwhile, and removes the old one.
    let http = app.admin_client().await;
    publish(
        &app,
        &http,
        &[
            ("headline", "Budget vote delayed"),
            ("body", "The budget vote moves."),
        ],
    )
    .await;
    app.caught_up().await;
    for _ in 0..300 {
        if !index_dir.join(&before).exists() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(
        !index_dir.join(&before).exists(),
        "the old generation is gone"
    );
    let now = headlines(&search(&app, "budget").await);
    assert_eq!(now.len(), budget.len() + 1, "{now:?}");
    assert!(now.contains(&"Budget vote delayed".to_owned()));

    // Reindexing needs a journal, and says so.
    let empty = tempfile::tempdir().unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args(["search", "reindex", "--data"])
        .arg(empty.path())
        .env_remove("GAZETTE_DATABASE_URL")
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("no journal yet"));
}
