//! What readers cannot reach: unpublished and trashed articles, password-protected ones
//! without their password, and bad input answered with clear client errors.

use gazette_core::{Clock as _, Status};
use gazette_testkit::{Backend, TestApp};
use jiff::SignedDuration;

use super::{insert, save};

gazette_testkit::on_both_backends!(
    unpublished_articles_are_invisible_and_trashed_ones_gone,
    password_protected_articles_need_their_password,
    bad_input_gets_clear_client_errors,
);

async fn unpublished_articles_are_invisible_and_trashed_ones_gone(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    // Dated in the future: a scheduled article whose time has passed would be published.
    let at = app.clock.now() + SignedDuration::from_hours(2);
    for status in [
        Status::Draft,
        Status::PendingReview,
        Status::Private,
        Status::Scheduled,
    ] {
        let article = insert(&app, &format!("Secret {}", status.as_str()), status, at).await;
        let path = app.article_path(&article).await;
        let (code, html) = app.get_text(&path).await;
        assert_eq!(code, 404, "{status:?} at {path}");
        assert!(html.contains("Page not found"), "a themed 404");
        assert!(html.contains("noindex"));
        let (_, home) = app.get_text("/").await;
        assert!(
            !home.contains(&article.headline),
            "{status:?} is not listed"
        );
    }
    let trashed = insert(&app, "Withdrawn story", Status::Trashed, at).await;
    let (code, html) = app.get_text(&app.article_path(&trashed).await).await;
    assert_eq!(code, 410);
    assert!(html.contains("This page has been removed"));
}

async fn password_protected_articles_need_their_password(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let at = app.clock.now() - SignedDuration::from_hours(1);
    let mut article = insert(&app, "Members briefing", Status::Published, at).await;
    article.password = Some("open sesame".to_owned());
    let article = save(&app, article).await;
    app.caught_up().await;
    let path = app.article_path(&article).await;

    let (status, html) = app.get_text(&path).await;
    assert_eq!(status, 200);
    assert!(html.contains("type=\"password\"") && !html.contains("A quote worth reading"));

    let wrong = app
        .client
        .post(app.url(&path))
        .form(&[("password", "guess")])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 403);
    let html = wrong.text().await.unwrap();
    assert!(html.contains("That password is not right") && !html.contains("A quote worth reading"));

    let right = app
        .client
        .post(app.url(&path))
        .form(&[("password", "open sesame")])
        .send()
        .await
        .unwrap();
    assert_eq!(right.status(), 303);
    assert_eq!(right.headers()["location"], path.as_str());
    let unlocked = app.get(&path).await;
    assert_eq!(unlocked.headers()["cache-control"], "private, no-store");
    assert!(
        unlocked
            .text()
            .await
            .unwrap()
            .contains("A quote worth reading"),
        "the cookie unlocks"
    );

    // Another reader, without the cookie, still gets the form from the cache.
    let stranger = reqwest::get(app.url(&path))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!stranger.contains("A quote worth reading"));
}

async fn bad_input_gets_clear_client_errors(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    for (path, status, says) in [
        ("/page/0/", 400, "not a page number"),
        ("/page/abc/", 400, "not a page number"),
        ("/category/world/page/-1/", 400, "not a page number"),
        ("/no-such-thing/", 404, "Page not found"),
        ("/2026/11/28/no-such-story/", 404, "Page not found"),
        ("/tag/a/b/c/", 404, "Page not found"),
        ("/%FF%FE/", 400, "not valid UTF-8"),
    ] {
        let (code, html) = app.get_text(path).await;
        assert_eq!(code, status, "{path}");
        assert!(html.contains(says), "{path}: {html}");
        assert!(html.contains("<html lang="), "{path} is a themed page");
    }
    let long = format!("/{}/", "a".repeat(gazette_web::MAX_PATH_BYTES));
    assert_eq!(app.get(&long).await.status(), 414);
    let deleted = app.client.delete(app.url("/")).send().await.unwrap();
    assert_eq!(deleted.status(), 405);
    assert_eq!(deleted.headers()["allow"], "GET, HEAD");
    let posted = app.client.post(app.url("/tag/x/")).send().await.unwrap();
    assert_eq!(posted.status(), 405);
    // Other spellings of an archive redirect to the one the cache keeps; never off-site.
    for (path, to) in [
        ("//tag//climate/", "/tag/climate/"),
        ("/page/1/", "/"),
        ("/page/02/", "/page/2/"),
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 301, "{path}");
        assert_eq!(response.headers()["location"], to, "{path}");
    }
    assert_eq!(app.get("//evil.example").await.status(), 404);
    assert_eq!(app.get("/favicon.ico").await.status(), 404);
    let huge = app
        .client
        .post(app.url("/some-page/"))
        .body("x".repeat(100_000))
        .send()
        .await
        .unwrap();
    assert!(huge.status().is_client_error(), "{}", huge.status());
    assert_eq!(
        app.get("/media/demo%2F..%2F..%2Fgazette.db").await.status(),
        404
    );
    assert_eq!(app.get("/media/demo/no-such-image.svg").await.status(), 404);
    assert_eq!(app.get("/assets/0000/style.css").await.status(), 404);
}
