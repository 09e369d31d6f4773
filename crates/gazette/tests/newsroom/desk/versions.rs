//! Versions of an article: a save from an old version refused with both texts kept, an old
//! slug still answering, the updated time moved only by a significant update, and revisions
//! kept, compared and restored.

use gazette_core::Clock as _;
use gazette_testkit::{Backend, TestApp};
use jiff::SignedDuration;

use super::{admin, csrf_of, saved_id, submit, submit_from};

gazette_testkit::on_both_backends!(
    a_second_save_from_an_old_version_is_refused_and_both_texts_kept,
    a_changed_slug_keeps_the_old_url_working,
    only_a_significant_update_moves_the_updated_time,
    revisions_are_kept_compared_and_restored,
);

async fn a_second_save_from_an_old_version_is_refused_and_both_texts_kept(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let (first, second) = (admin(&app).await, admin(&app).await);
    let id = saved_id(
        &submit(
            &app,
            &first,
            "/admin/articles/new",
            &[("headline", "Shared story"), ("body", "Original.")],
        )
        .await,
    );
    let path = format!("/admin/articles/{id}");
    let first_page = first
        .get(app.url(&path))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let second_page = second
        .get(app.url(&path))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    app.clock.advance(SignedDuration::from_secs(1));
    saved_id(
        &submit_from(
            &app,
            &first,
            &path,
            &first_page,
            &[("body", "First editor's text.")],
        )
        .await,
    );
    let refused = submit_from(
        &app,
        &second,
        &path,
        &second_page,
        &[("body", "Second editor's text.")],
    )
    .await;
    assert_eq!(refused.status(), 409);
    let html = refused.text().await.unwrap();
    assert!(html.contains("Someone else saved this article"));
    assert!(
        html.contains("Second editor&#39;s text.") || html.contains("Second editor's text."),
        "their own text is kept in the form"
    );
    assert!(
        html.contains("First editor&#39;s text.") || html.contains("First editor's text."),
        "the saved text is shown"
    );
    assert_eq!(
        app.store.article(id).await.unwrap().unwrap().body_source,
        "First editor's text."
    );
    // Saving again from the page they were shown now works.
    saved_id(&submit_from(&app, &second, &path, &html, &[("body", "Merged text.")]).await);
    assert_eq!(
        app.store.article(id).await.unwrap().unwrap().body_source,
        "Merged text."
    );
}

async fn a_changed_slug_keeps_the_old_url_working(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let client = admin(&app).await;
    let id = saved_id(
        &submit(
            &app,
            &client,
            "/admin/articles/new",
            &[("headline", "Old name"), ("action", "publish")],
        )
        .await,
    );
    let old = app.published_path(id).await;
    saved_id(
        &submit(
            &app,
            &client,
            &format!("/admin/articles/{id}"),
            &[("slug", "new-name")],
        )
        .await,
    );
    let new = app.published_path(id).await;
    assert_ne!(old, new);
    app.caught_up().await;
    let response = app.get(&old).await;
    assert_eq!(response.status(), 301, "{old}");
    assert_eq!(response.headers()["location"], new.as_str());
    assert_eq!(app.get(&new).await.status(), 200);
    let reserved = submit(
        &app,
        &client,
        &format!("/admin/articles/{id}"),
        &[("slug", "wp-admin")],
    )
    .await;
    assert_eq!(reserved.status(), 422);
    assert!(reserved.text().await.unwrap().contains("reserved"));
}

async fn only_a_significant_update_moves_the_updated_time(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let client = admin(&app).await;
    let id = saved_id(
        &submit(
            &app,
            &client,
            "/admin/articles/new",
            &[("headline", "Typo test"), ("action", "publish")],
        )
        .await,
    );
    let path = format!("/admin/articles/{id}");
    app.clock.advance(SignedDuration::from_mins(10));
    saved_id(&submit(&app, &client, &path, &[("body", "Fixed a typo.")]).await);
    assert_eq!(
        app.store
            .article(id)
            .await
            .unwrap()
            .unwrap()
            .significantly_updated_at,
        None
    );
    saved_id(
        &submit(
            &app,
            &client,
            &path,
            &[("body", "New facts."), ("significant", "1")],
        )
        .await,
    );
    assert_eq!(
        app.store
            .article(id)
            .await
            .unwrap()
            .unwrap()
            .significantly_updated_at,
        Some(app.clock.now())
    );
}

async fn revisions_are_kept_compared_and_restored(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let client = admin(&app).await;
    let draft = saved_id(
        &submit(
            &app,
            &client,
            "/admin/articles/new",
            &[
                ("headline", "Budget story"),
                ("body", "Line one.\nLine two."),
            ],
        )
        .await,
    );
    assert!(
        app.store.revisions(draft).await.unwrap().is_empty(),
        "drafts keep no revisions"
    );
    let path = format!("/admin/articles/{draft}");
    saved_id(&submit(&app, &client, &path, &[("action", "publish")]).await);
    app.clock.advance(SignedDuration::from_secs(1));
    saved_id(
        &submit(
            &app,
            &client,
            &path,
            &[("body", "Line one.\nLine 2, corrected.")],
        )
        .await,
    );
    let revisions = app.store.revisions(draft).await.unwrap();
    assert_eq!(revisions.len(), 2, "one per save while published");
    let first = revisions[1].id;

    let list = client
        .get(app.url(&format!("{path}/revisions")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(list.contains("Compare with now") && list.contains("Compare with the next"));
    let diff = client
        .get(app.url(&format!("{path}/revisions/{}", first.0)))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        diff.contains(
            "class=\"diff-removed\"><span class=\"visually-hidden\">Removed: </span>Line two."
        ),
        "{diff}"
    );
    assert!(diff.contains(
        "class=\"diff-added\"><span class=\"visually-hidden\">Added: </span>Line 2, corrected."
    ));
    assert_eq!(
        client
            .get(app.url(&format!("{path}/revisions/{}?against=999999", first.0)))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );

    let csrf = csrf_of(&diff);
    let restored = client
        .post(app.url(&format!("{path}/revisions/{}/restore", first.0)))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(restored.status(), 303);
    let article = app.store.article(draft).await.unwrap().unwrap();
    assert_eq!(article.body_source, "Line one.\nLine two.");
    assert!(
        article.body_html.as_str().contains("Line two."),
        "re-rendered"
    );
    assert_eq!(
        app.store.revisions(draft).await.unwrap().len(),
        3,
        "restoring is a save too"
    );
}
