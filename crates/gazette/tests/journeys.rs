//! The newsroom's main journeys, end to end in headless Chromium through chromedriver, on both
//! backends: sign in; write and publish an article and see it on the home page; a contributor
//! submits and an editor publishes; schedule an article and see it appear on time; restore a
//! revision; change a slug and follow the old URL. Upload an image and feature it, embed a
//! chart, add a redirect, build a menu, pick a lead story, change the permalink pattern. A reader comments, is remembered, and a
//! moderator approves the comment from the keyboard. And readers' hostile comments (the Big List
//! of Naughty Strings and XSS polyglots) shown in the browser without a script running. Writing
//! in the Markdown editor, drafts that save themselves and come back after a closed tab, and
//! rescheduling on the calendar by dragging, pictures dropped and pasted into the text, formatted text pasted as Markdown, two editors on one article (take-over, merge), and a focal point set by clicking a picture.
//!
//! The tests are in one module per topic; the helpers they share are here.

use std::time::Duration;

use gazette_testkit::TestApp;
use gazette_testkit::browser::Browser;
use serde_json::json;

use crate::eventually;

/// A journey as two tests in Chromium, one per backend (`journey => on_sqlite, on_postgres;`),
/// ignored where Chromium, axe-core or PostgreSQL are not configured (and failing under CI).
macro_rules! in_chromium_on_both_backends {
    ($($journey:ident => $sqlite:ident, $postgres:ident;)*) => {$(
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        #[cfg_attr(
            not(all(gazette_test_chromedriver, gazette_test_axe)),
            ignore = "needs GAZETTE_TEST_CHROMEDRIVER and GAZETTE_TEST_AXE (see README)"
        )]
        async fn $sqlite() {
            $journey(gazette_testkit::Backend::Sqlite).await;
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        #[cfg_attr(
            not(all(gazette_test_database_url, gazette_test_chromedriver, gazette_test_axe)),
            ignore = "needs GAZETTE_TEST_DATABASE_URL, GAZETTE_TEST_CHROMEDRIVER and GAZETTE_TEST_AXE (see README)"
        )]
        async fn $postgres() {
            $journey(gazette_testkit::Backend::Postgres).await;
        }
    )*};
}

#[path = "journeys/calendar.rs"]
mod calendar;
#[path = "journeys/comment.rs"]
mod comment;
#[path = "journeys/curation.rs"]
mod curation;
#[path = "journeys/drafts.rs"]
mod drafts;
#[path = "journeys/hostile_comments.rs"]
mod hostile_comments;
#[path = "journeys/media.rs"]
mod media;
#[path = "journeys/newsroom.rs"]
mod newsroom;
#[path = "journeys/pasting.rs"]
mod pasting;
#[path = "journeys/pictures.rs"]
mod pictures;
#[path = "journeys/together.rs"]
mod together;
#[path = "journeys/writing.rs"]
mod writing;

/// Fills fields by id and presses the button `button` (a CSS selector), then waits for the
/// next page.
async fn fill_and_press(browser: &Browser, fields: &[(&str, &str)], button: &str) {
    let before = location(browser).await;
    let found = browser
        .execute(
            "return !!document.querySelector(arguments[0])",
            &[json!(button)],
        )
        .await;
    assert_eq!(
        found,
        true,
        "no {button} on {before}: {}",
        text_of(browser).await
    );
    // A marker on the old document: its absence means the next page has loaded (which may
    // have the same address, after a save).
    let script = "const [fields, button] = arguments;
        window.gazetteOldPage = true;
        for (const [id, value] of fields) {
            const el = document.getElementById(id);
            if (el.type === 'checkbox') { el.checked = value === 'on'; }
            else if (el.dataset.richEditor) {
                el.dispatchEvent(new CustomEvent('gazette:replace', { detail: value }));
            } else { el.value = value; }
        }
        document.querySelector(button).click();";
    browser
        .execute(script, &[json!(fields), json!(button)])
        .await;
    for _ in 0..100 {
        tokio::time::sleep(Duration::from_millis(30)).await;
        let state = browser
            .execute(
                "return window.gazetteOldPage ? 'old' : document.readyState",
                &[],
            )
            .await;
        if state == "complete" {
            return;
        }
    }
    panic!("pressing {button} on {before} led nowhere");
}

async fn location(browser: &Browser) -> String {
    let value = browser
        .execute("return location.pathname + location.search", &[])
        .await;
    value.as_str().unwrap_or_default().to_owned()
}

async fn text_of(browser: &Browser) -> String {
    let value = browser.execute("return document.body.innerText", &[]).await;
    value.as_str().unwrap_or_default().to_owned()
}

/// A journey's start: Chromium to itself (journeys take turns; hold the guard), a journal on
/// `backend`, and its administrator signed in. None where Chromium or the backend is not
/// configured here.
async fn as_administrator(
    backend: gazette_testkit::Backend,
) -> Option<(tokio::sync::MutexGuard<'static, ()>, Browser, TestApp)> {
    let serial = gazette_testkit::browser::exclusive().await;
    let browser = Browser::start().await?;
    let app = TestApp::spawn(backend).await?;
    sign_in(
        &browser,
        &app,
        gazette_testkit::ADMIN_EMAIL,
        gazette_testkit::ADMIN_PASSWORD,
    )
    .await;
    Some((serial, browser, app))
}

async fn sign_in(browser: &Browser, app: &TestApp, email: &str, password: &str) {
    browser.goto(&app.url("/admin/")).await;
    assert!(
        location(browser).await.starts_with("/admin/sign-in"),
        "the desk asks who you are"
    );
    fill_and_press(
        browser,
        &[("email", email), ("password", password)],
        ".sign-in button",
    )
    .await;
    assert_eq!(location(browser).await, "/admin/");
}

async fn sign_out(browser: &Browser, app: &TestApp) {
    browser.goto(&app.url("/admin/")).await;
    fill_and_press(browser, &[], "form[action='/admin/sign-out'] button").await;
}

/// The id in `/admin/articles/{id}?saved=1`.
async fn editing_id(browser: &Browser) -> i64 {
    let at = location(browser).await;
    at.trim_start_matches("/admin/articles/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}
