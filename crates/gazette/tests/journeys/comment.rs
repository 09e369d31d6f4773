//! A reader comments and is remembered, and a moderator approves the comment from the
//! keyboard.

use std::time::Duration;

use gazette_testkit::browser::{self, Browser};
use gazette_testkit::{ADMIN_EMAIL, ADMIN_PASSWORD, Backend, TestApp};
use serde_json::json;

use super::{fill_and_press, location, sign_in, sign_out, text_of};

/// Polls `script` until it returns true (3 s at most).
async fn until(browser: &Browser, script: &str) {
    for _ in 0..100 {
        if browser.execute(script, &[]).await == json!(true) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
    panic!("never true: {script}");
}

async fn comment_journey(backend: Backend) {
    let _serial = browser::exclusive().await;
    let Some(browser) = Browser::start().await else {
        return;
    };
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let listing = app
        .store
        .published_articles(&gazette_store::ArticleFilter::All, 0, 5)
        .await
        .unwrap();
    let article = listing
        .articles
        .iter()
        .find(|a| a.password.is_none())
        .unwrap();
    let path = app.published_path(article.id).await;

    // The page's script fetches a per-view token once the reader is in the form.
    browser.goto(&app.url(&path)).await;
    browser
        .execute("document.getElementById('comment').focus()", &[])
        .await;
    until(
        &browser,
        "return document.getElementById('form_token').value !== ''",
    )
    .await;
    fill_and_press(
        &browser,
        &[
            ("comment", "Sent from a real browser."),
            ("author", "Rita Reader"),
            ("email", "rita@reader.example"),
            ("wp-comment-cookies-consent", "on"),
        ],
        "#submit",
    )
    .await;
    assert_eq!(location(&browser).await, path);
    let page = text_of(&browser).await;
    assert!(
        page.contains("Your comment is awaiting moderation."),
        "{page}"
    );
    assert!(page.contains("Sent from a real browser."));
    let stored = app
        .store
        .moderation_comments(&gazette_store::CommentFilter::default(), 0, 1)
        .await
        .unwrap()
        .comments
        .remove(0);
    assert!(
        stored
            .reasons
            .iter()
            .any(|r| r.contains("after the form was shown")),
        "the token came with the form: {:?}",
        stored.reasons
    );

    // Next time, the form knows her.
    browser.goto(&app.url(&path)).await;
    until(
        &browser,
        "return document.getElementById('author').value === 'Rita Reader'",
    )
    .await;

    // A moderator approves it with two keys: j to reach it, a to approve.
    sign_in(&browser, &app, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    browser.goto(&app.url("/admin/comments/")).await;
    browser
        .execute(
            "window.gazetteOldPage = true;
             for (const key of ['j', 'a']) {
                 document.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
             }",
            &[],
        )
        .await;
    until(
        &browser,
        "return !window.gazetteOldPage && document.readyState === 'complete'",
    )
    .await;
    let approved = app.store.comment(stored.id).await.unwrap().unwrap();
    assert_eq!(approved.status, gazette_core::CommentStatus::Approved);
    sign_out(&browser, &app).await;
    app.caught_up().await;
    browser.goto(&app.url(&path)).await;
    let page = text_of(&browser).await;
    assert!(page.contains("Sent from a real browser.") && !page.contains("awaiting moderation"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(all(gazette_test_chromedriver, gazette_test_axe)),
    ignore = "needs GAZETTE_TEST_CHROMEDRIVER and GAZETTE_TEST_AXE (see README)"
)]
async fn comment_journey_on_sqlite() {
    comment_journey(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(all(gazette_test_database_url, gazette_test_chromedriver, gazette_test_axe)),
    ignore = "needs GAZETTE_TEST_DATABASE_URL, GAZETTE_TEST_CHROMEDRIVER and GAZETTE_TEST_AXE (see README)"
)]
async fn comment_journey_on_postgres() {
    comment_journey(Backend::Postgres).await;
}
