//! The newsroom's journeys: sign in; write and publish an article and see it on the home
//! page; a contributor submits and an editor publishes; schedule an article and see it appear
//! on time; restore a revision; change a slug and follow the old URL.

use std::time::Duration;

use gazette_core::{Clock as _, Role, Status};
use gazette_testkit::Backend;
use jiff::SignedDuration;

use super::{as_administrator, editing_id, fill_and_press, location, sign_in, sign_out, text_of};

const PASSWORD: &str = "a long enough staff password";

async fn journeys(backend: Backend) {
    let Some((_serial, browser, app)) = as_administrator(backend).await else {
        return;
    };
    let contributor = app.add_staff("Carla", Role::Contributor, PASSWORD).await;
    let editor = app.add_staff("Eddie", Role::Editor, PASSWORD).await;

    // Sign in; write and publish an article; see it on the home page.
    browser.goto(&app.url("/admin/articles/new")).await;
    // The live preview shows the body as the site will render it.
    browser
        .execute(
            "const body = document.getElementById('body'); body.value = '> Boats *sail*';
             body.dispatchEvent(new Event('input', { bubbles: true }));",
            &[],
        )
        .await;
    let mut preview = serde_json::Value::Null;
    for _ in 0..100 {
        tokio::time::sleep(Duration::from_millis(30)).await;
        preview = browser
            .execute(
                "return document.getElementById('live-preview').getAttribute('srcdoc')",
                &[],
            )
            .await;
        if preview
            .as_str()
            .is_some_and(|html| html.contains("<em>sail</em>"))
        {
            break;
        }
    }
    assert!(
        preview.as_str().unwrap_or("").contains("<blockquote>"),
        "live preview: {preview}"
    );
    fill_and_press(
        &browser,
        &[
            ("headline", "Ferry strike ends"),
            ("body", "Boats sail again from Monday."),
            ("tags", "Transport"),
        ],
        "button[value=publish]",
    )
    .await;
    let ferry = editing_id(&browser).await;
    app.caught_up().await;
    browser.goto(&app.url("/")).await;
    assert!(
        text_of(&browser).await.contains("Ferry strike ends"),
        "on the home page"
    );

    // Change its slug and follow the old URL.
    let old = app.published_path(gazette_core::ArticleId(ferry)).await;
    browser
        .goto(&app.url(&format!("/admin/articles/{ferry}")))
        .await;
    fill_and_press(
        &browser,
        &[("slug", "ferry-strike-over")],
        "button[value=save]",
    )
    .await;
    app.caught_up().await;
    browser.goto(&app.url(&old)).await;
    assert!(
        location(&browser).await.ends_with("/ferry-strike-over/"),
        "the old URL leads to the new one"
    );
    assert!(text_of(&browser).await.contains("Boats sail again"));

    // Restore a revision.
    browser
        .goto(&app.url(&format!("/admin/articles/{ferry}")))
        .await;
    fill_and_press(
        &browser,
        &[("body", "A mistaken rewrite.")],
        "button[value=save]",
    )
    .await;
    browser
        .goto(&app.url(&format!("/admin/articles/{ferry}/revisions")))
        .await;
    let rows = browser
        .execute(
            "return document.querySelectorAll('.article-list tbody tr').length",
            &[],
        )
        .await;
    assert_eq!(rows, 3, "publish, slug change, rewrite");
    // The oldest revision is the last row.
    fill_and_press(&browser, &[], ".article-list tbody tr:last-child button").await;
    let article = app
        .store
        .article(gazette_core::ArticleId(ferry))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(article.body_source, "Boats sail again from Monday.");

    // Schedule an article and see it appear on time.
    let at = (app.clock.now() + SignedDuration::from_hours(3)).to_zoned(jiff::tz::TimeZone::UTC);
    browser.goto(&app.url("/admin/articles/new")).await;
    fill_and_press(
        &browser,
        &[
            ("headline", "Budget day live"),
            ("publish_at", &at.strftime("%Y-%m-%dT%H:%M").to_string()),
        ],
        "button[value=schedule]",
    )
    .await;
    let budget = editing_id(&browser).await;
    app.caught_up().await;
    browser.goto(&app.url("/")).await;
    assert!(
        !text_of(&browser).await.contains("Budget day live"),
        "not before its time"
    );
    app.clock.advance(SignedDuration::from_hours(3));
    app.node().jobs.wake();
    for _ in 0..200 {
        let status = app
            .store
            .article(gazette_core::ArticleId(budget))
            .await
            .unwrap()
            .unwrap()
            .status;
        if status == Status::Published {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    app.caught_up().await;
    browser.goto(&app.url("/")).await;
    assert!(
        text_of(&browser).await.contains("Budget day live"),
        "appears on time"
    );
    sign_out(&browser, &app).await;

    // A contributor submits; an editor publishes.
    sign_in(&browser, &app, contributor.email.as_str(), PASSWORD).await;
    browser.goto(&app.url("/admin/articles/new")).await;
    let offered = browser
        .execute(
            "return !!document.querySelector('button[value=publish]')",
            &[],
        )
        .await;
    assert_eq!(offered, false, "contributors are not offered Publish");
    fill_and_press(
        &browser,
        &[("headline", "Library hours extended")],
        "button[value=save]",
    )
    .await;
    fill_and_press(&browser, &[], "button[value=submit]").await;
    let library = editing_id(&browser).await;
    sign_out(&browser, &app).await;
    sign_in(&browser, &app, editor.email.as_str(), PASSWORD).await;
    browser
        .goto(&app.url("/admin/articles?status=pending_review"))
        .await;
    assert!(text_of(&browser).await.contains("Library hours extended"));
    browser
        .goto(&app.url(&format!("/admin/articles/{library}")))
        .await;
    fill_and_press(&browser, &[], "button[value=publish]").await;
    app.caught_up().await;
    browser
        .goto(&app.url(&app.published_path(gazette_core::ArticleId(library)).await))
        .await;
    assert!(
        text_of(&browser).await.contains("Library hours extended"),
        "published by the editor"
    );
    assert!(
        text_of(&browser).await.contains("By Carla"),
        "under the contributor's byline"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(all(gazette_test_chromedriver, gazette_test_axe)),
    ignore = "needs GAZETTE_TEST_CHROMEDRIVER and GAZETTE_TEST_AXE (see README)"
)]
async fn newsroom_journeys_on_sqlite() {
    journeys(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(all(gazette_test_database_url, gazette_test_chromedriver, gazette_test_axe)),
    ignore = "needs GAZETTE_TEST_DATABASE_URL, GAZETTE_TEST_CHROMEDRIVER and GAZETTE_TEST_AXE (see README)"
)]
async fn newsroom_journeys_on_postgres() {
    journeys(Backend::Postgres).await;
}
