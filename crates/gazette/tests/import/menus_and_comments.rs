//! What else an import keeps: the chosen menu as the header menu, and comments on pages
//! within reach of the privacy tools.

use std::sync::Arc;

use gazette_testkit::{Backend, TestApp};
use gazette_wordpress::import::{ImportOptions, import_wxr};

use super::{THEME_DATA, import};

#[tokio::test]
#[cfg_attr(
    not(gazette_test_wxr_fixtures),
    ignore = "needs GAZETTE_TEST_WXR_FIXTURES (see README)"
)]
async fn a_chosen_menu_becomes_the_header_menu() {
    let Some(root) = gazette_testkit::wxr_fixtures() else {
        return;
    };
    let Some(app) =
        TestApp::spawn_with(Backend::Sqlite, gazette_testkit::TestOptions::default()).await
    else {
        return;
    };
    let choose = |slug: &str| ImportOptions {
        menus: gazette_wordpress::import::menus::MenuChoice {
            header: Some(slug.to_owned()),
            footer: None,
        },
        ..ImportOptions::default()
    };
    let refused = import_wxr(
        &app.store,
        &root.join(THEME_DATA),
        &choose("main"),
        Arc::new(|_, _| {}),
    )
    .await
    .unwrap_err();
    assert!(
        format!("{refused:#}").contains("no menu \"main\"; its menus are: all-pages"),
        "{refused:#}"
    );
    let report = import_wxr(
        &app.store,
        &root.join(THEME_DATA),
        &choose("short"),
        Arc::new(|_, _| {}),
    )
    .await
    .unwrap();
    let menus = app.store.menus().await.unwrap();
    let labels: Vec<&str> = menus.header.iter().map(|m| m.label.as_str()).collect();
    assert!(!labels.is_empty(), "{}", report.text());
    assert!(
        report.text().contains("short became the header menu"),
        "{}",
        report.text()
    );
    // Each entry leads somewhere that answers.
    app.caught_up().await;
    let home = app.get_text("/").await.1;
    for item in &menus.header {
        if let gazette_core::curation::MenuTarget::Page { id } = item.target {
            assert!(app.store.pages().await.unwrap().iter().any(|p| p.id == id));
        }
    }
    assert!(home.contains(labels[0]), "the header shows the menu");
}

#[tokio::test]
#[cfg_attr(
    not(gazette_test_wxr_fixtures),
    ignore = "needs GAZETTE_TEST_WXR_FIXTURES (see README)"
)]
async fn comments_kept_from_pages_are_reached_by_the_privacy_tools() {
    let Some(root) = gazette_testkit::wxr_fixtures() else {
        return;
    };
    let Some(app) =
        TestApp::spawn_with(Backend::Sqlite, gazette_testkit::TestOptions::default()).await
    else {
        return;
    };
    import(&app, &root.join(THEME_DATA)).await;
    let kept = app.store.page_comments().await.unwrap();
    let written = kept
        .iter()
        .find(|c| gazette_core::Email::parse(&c.author_email).is_ok())
        .unwrap();
    let email = gazette_core::Email::parse(&written.author_email).unwrap();
    let exported = gazette_newsroom::privacy::export(&app.store, &email)
        .await
        .unwrap();
    assert!(exported.contains("comments_on_pages"), "{exported}");
    assert!(exported.contains(&written.body), "{exported}");
    gazette_newsroom::privacy::erase(&app.store, &email)
        .await
        .unwrap();
    let after = app.store.page_comments().await.unwrap();
    let erased = after.iter().find(|c| c.id == written.id).unwrap();
    assert_eq!(
        (erased.author_name.as_str(), erased.author_email.as_str()),
        ("Anonymous", "")
    );
    assert_eq!(erased.body, written.body, "the text stays");
}
