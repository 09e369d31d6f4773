//! The curation journeys: upload an image and feature it, embed a chart, add a redirect, build
//! a menu, pick a lead story, change the permalink pattern.

use std::time::Duration;

use gazette_testkit::{Backend, TestApp};

use super::{as_administrator, editing_id, fill_and_press, location, text_of};

/// Waits for the variants job to have recorded an image's sizes.
async fn variants_made(app: &TestApp, id: i64) {
    for _ in 0..200 {
        let media = app
            .store
            .media(gazette_core::MediaId(id))
            .await
            .unwrap()
            .unwrap();
        if !media.variant_widths.is_empty() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no variants for media {id}");
}

/// [5/8]'s journeys: upload an image and feature it (its sizes reach `srcset`); embed a chart;
/// add a redirect; build a menu; pick a lead story; change the permalink pattern and follow an
/// old URL.
async fn curation_journeys(backend: Backend) {
    let Some((_serial, browser, app)) = as_administrator(backend).await else {
        return;
    };

    // Upload an image through the library's form.
    let photo = app.data_dir().join("harbour-at-dawn.jpg");
    std::fs::write(&photo, gazette_media::fixtures::halves_jpeg(2000, 1000)).unwrap();
    browser.goto(&app.url("/admin/media/")).await;
    browser.send_keys("#file", photo.to_str().unwrap()).await;
    fill_and_press(&browser, &[("alt", "Boats at dawn")], "form.upload button").await;
    let at = location(&browser).await;
    assert!(at.ends_with("?uploaded"), "the new image's page: {at}");
    let media: i64 = at
        .trim_start_matches("/admin/media/")
        .trim_end_matches("?uploaded")
        .parse()
        .unwrap();
    variants_made(&app, media).await;

    // Feature it on an article whose body embeds a chart.
    browser.goto(&app.url("/admin/articles/new")).await;
    fill_and_press(
        &browser,
        &[
            ("headline", "Harbour traffic doubles"),
            (
                "body",
                "Ships are back.\n\nhttps://datawrapper.dwcdn.net/Ab12C/3/\n\nMore to come.",
            ),
            ("image_media", &media.to_string()),
        ],
        "button[value=publish]",
    )
    .await;
    let harbour = gazette_core::ArticleId(editing_id(&browser).await);
    app.caught_up().await;
    let article_path = app.published_path(harbour).await;
    browser.goto(&app.url(&article_path)).await;
    let srcset = browser
        .execute(
            "return document.querySelector('.story-image img').srcset",
            &[],
        )
        .await;
    assert!(
        srcset
            .as_str()
            .unwrap_or_default()
            .contains("harbour-at-dawn-640x320.jpg 640w"),
        "the variants are in srcset: {srcset}"
    );
    let loaded = browser
        .execute(
            "const img = document.querySelector('.story-image img'); return img.complete && img.naturalWidth > 0",
            &[],
        )
        .await;
    assert_eq!(loaded, true, "the browser loaded one of the sizes");
    let frame = browser
        .execute("return document.querySelector('.embed iframe').src", &[])
        .await;
    assert_eq!(
        frame, "https://datawrapper.dwcdn.net/Ab12C/3/",
        "the chart is embedded"
    );

    // Add a redirect, and follow it.
    browser.goto(&app.url("/admin/redirects/")).await;
    fill_and_press(
        &browser,
        &[("source", "/harbour-figures/"), ("target", &article_path)],
        "form[action='/admin/redirects/'] button",
    )
    .await;
    app.caught_up().await;
    browser.goto(&app.url("/harbour-figures/")).await;
    assert_eq!(
        location(&browser).await,
        article_path,
        "the redirect leads to the article"
    );

    // Build a menu: the About page, labelled by the editor, first in the header.
    let about = app
        .store
        .pages()
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.slug.as_str() == "about")
        .unwrap();
    browser.goto(&app.url("/admin/menus")).await;
    fill_and_press(
        &browser,
        &[
            ("header-0-position", "10"),
            ("header-0-target", &format!("page:{}", about.id.0)),
            ("header-0-label", "Who we are"),
        ],
        "form.menu-form button",
    )
    .await;
    app.caught_up().await;
    browser.goto(&app.url("/")).await;
    let nav = browser.find_text(".sections-nav").await;
    assert!(nav.contains("Who we are"), "the menu: {nav}");
    browser
        .leave_page_by("[...document.querySelectorAll('.sections-nav a')].find(a => a.textContent === 'Who we are').click()", &[])
        .await;
    assert_eq!(location(&browser).await, "/about/");

    // Pick an older article as the lead story.
    let older = app
        .store
        .published_articles(&gazette_store::ArticleFilter::All, 5, 1)
        .await
        .unwrap()
        .articles
        .remove(0);
    browser.goto(&app.url("/admin/home")).await;
    fill_and_press(
        &browser,
        &[("lead", &older.id.0.to_string())],
        "form.settings button",
    )
    .await;
    app.caught_up().await;
    browser.goto(&app.url("/")).await;
    assert_eq!(
        browser.find_text(".lead h3").await,
        older.headline,
        "the chosen lead"
    );

    // Change the permalink pattern (previewing it first) and follow an old URL.
    browser.goto(&app.url("/admin/settings")).await;
    fill_and_press(
        &browser,
        &[("permalink", "/%post_id%/%postname%/")],
        "button[value=preview]",
    )
    .await;
    let preview = text_of(&browser).await;
    assert!(preview.contains("would move to"), "the preview: {preview}");
    fill_and_press(&browser, &[], "button[value=save]").await;
    app.caught_up().await;
    browser.goto(&app.url(&article_path)).await;
    let new_path = format!("/{}/harbour-traffic-doubles/", harbour.0);
    assert_eq!(
        location(&browser).await,
        new_path,
        "the old URL leads to the new one"
    );
    assert!(text_of(&browser).await.contains("Ships are back."));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(all(gazette_test_chromedriver, gazette_test_axe)),
    ignore = "needs GAZETTE_TEST_CHROMEDRIVER and GAZETTE_TEST_AXE (see README)"
)]
async fn curation_journeys_on_sqlite() {
    curation_journeys(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(all(gazette_test_database_url, gazette_test_chromedriver, gazette_test_axe)),
    ignore = "needs GAZETTE_TEST_DATABASE_URL, GAZETTE_TEST_CHROMEDRIVER and GAZETTE_TEST_AXE (see README)"
)]
async fn curation_journeys_on_postgres() {
    curation_journeys(Backend::Postgres).await;
}
