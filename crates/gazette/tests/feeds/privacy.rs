//! Private and protected content is never syndicated.

use gazette_testkit::Backend;

use super::{BASE, app, valid_feed};

gazette_testkit::on_both_backends!(private_and_protected_content_is_never_syndicated);

async fn private_and_protected_content_is_never_syndicated(backend: Backend) {
    let Some(app) = app(backend, Some(BASE)).await else {
        return;
    };
    let http = app.admin_client().await;
    let secret_id = app
        .write_article(
            &http,
            &[
                ("headline", "Embargoed figures"),
                ("body", "The secret body text."),
                ("password", "letmein"),
                ("action", "publish"),
            ],
        )
        .await;
    app.write_article(
        &http,
        &[
            ("headline", "A draft nobody sees"),
            ("body", "Draft body."),
            ("action", "save"),
        ],
    )
    .await;
    app.approved_comment(secret_id, "A comment behind the password.")
        .await;
    app.caught_up().await;

    for path in ["/feed/", "/feed/atom/", "/feed/json/"] {
        let (_, feed) = app.get_text(path).await;
        assert!(
            feed.contains("Embargoed figures"),
            "{path}: listed by headline"
        );
        assert!(
            !feed.contains("The secret body text"),
            "{path}: never the text"
        );
        assert!(!feed.contains("A draft nobody sees"), "{path}: no drafts");
    }
    let (_, comments) = app.get_text("/comments/feed/").await;
    assert!(!comments.contains("behind the password"), "{comments}");
    let secret_path = app.published_path(secret_id).await;
    assert_eq!(app.get(&format!("{secret_path}feed/")).await.status(), 404);

    // Excerpts only, when the journal chooses so.
    let mut publication = app.store.publication().await.unwrap().unwrap();
    publication.feeds.full_text = false;
    app.store
        .write(|tx| Box::pin(async move { tx.put_publication(&publication).await }))
        .await
        .unwrap();
    app.caught_up().await;
    let rss = valid_feed(&app, "/feed/").await;
    let entry = &rss["entries"][1];
    assert!(entry["content"].as_array().unwrap().is_empty(), "{entry}");
    assert!(!entry["summary"].as_str().unwrap().is_empty(), "{entry}");
    valid_feed(&app, "/feed/json/").await;
}
