//! The theme unit test data imported on both backends, and every old address of it (posts,
//! pages, archives, WordPress's service and plain addresses) answering afterwards.

use std::collections::BTreeMap;
use std::sync::Arc;

use gazette_testkit::{Backend, TestApp};
use gazette_wordpress::import::{ImportOptions, import_wxr};
use reqwest::StatusCode;

use super::{THEME_DATA, import, published_links};

async fn theme_data_imports_and_keeps_its_urls(backend: Backend) {
    let Some(root) = gazette_testkit::wxr_fixtures() else {
        return;
    };
    // A journal without the demo content, as a move from WordPress starts.
    let Some(app) = TestApp::spawn_with(backend, gazette_testkit::TestOptions::default()).await
    else {
        return;
    };
    let path = root.join(THEME_DATA);
    let report = import(&app, &path).await;
    let counts =
        |pairs: &[(&'static str, usize)]| pairs.iter().copied().collect::<BTreeMap<_, _>>();
    assert_eq!(
        report.created.articles,
        counts(&[("draft", 1), ("published", 56), ("scheduled", 1)]),
        "{}",
        report.text()
    );
    assert_eq!(report.created.pages, counts(&[("published", 21)]));
    assert_eq!(
        (
            report.created.people,
            report.created.sections,
            report.created.tags
        ),
        (2, 68, 110)
    );
    let comments = |kind: &str, status: &str| {
        report
            .created
            .comments
            .get(&(kind, status))
            .copied()
            .unwrap_or(0)
    };
    // Five of them (three approved, two pending) are on pages, which keep them unshown.
    assert_eq!(comments("comment", "approved"), 26, "{}", report.text());
    assert_eq!(
        comments("pingback", "approved") + comments("trackback", "approved"),
        4
    );
    assert_eq!(comments("comment", "pending"), 3);
    assert_eq!(report.page_comments, 5);
    assert_eq!(app.store.page_comments().await.unwrap().len(), 5);
    // Menus are listed; none replaces the journal's unless chosen (see the menu test).
    assert!(
        report
            .text()
            .contains("Menu: Testing Menu (testing-menu): 23 entries."),
        "{}",
        report.text()
    );
    assert!(
        !report.text().contains("nav_menu_item"),
        "{}",
        report.text()
    );

    app.caught_up().await;
    let links = published_links(&path);
    assert_eq!(links.len(), 56 + 21);
    for (kind, old) in &links {
        let response = app.get(old).await;
        let status = response.status();
        let target = match status {
            StatusCode::OK => continue,
            StatusCode::MOVED_PERMANENTLY => {
                response.headers()["location"].to_str().unwrap().to_owned()
            }
            other => panic!("the {kind} at {old} answered {other}"),
        };
        let (status, _) = app.get_text(&target).await;
        assert_eq!(
            status,
            StatusCode::OK,
            "the {kind} at {old} redirected to {target}"
        );
    }

    // A post WordPress split with <!--nextpage--> is shown whole; its page URLs lead to it.
    let second_page = app.get("/2012/01/08/template-paginated/2/").await;
    assert_eq!(second_page.status(), StatusCode::MOVED_PERMANENTLY);
    assert_eq!(
        second_page.headers()["location"],
        "/2012/01/08/template-paginated/"
    );

    // Password-protected and sticky posts stay so; a post keeps its WordPress id where free.
    let protected = app
        .store
        .article(gazette_core::ArticleId(1168))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(protected.password.as_deref(), Some("enter"));
    let sticky = app
        .store
        .article(gazette_core::ArticleId(1241))
        .await
        .unwrap()
        .unwrap();
    assert!(sticky.sticky);

    let again = import(&app, &path).await;
    assert_eq!(
        (again.articles(), again.comments()),
        (0, 0),
        "{}",
        again.text()
    );
    assert_eq!(again.created.pages, BTreeMap::new());
    assert_eq!(again.already_imported, 58 + 21);
}

#[tokio::test]
#[cfg_attr(
    not(gazette_test_wxr_fixtures),
    ignore = "needs GAZETTE_TEST_WXR_FIXTURES (see README)"
)]
async fn the_theme_unit_test_data_imports_and_keeps_its_urls_on_sqlite() {
    theme_data_imports_and_keeps_its_urls(Backend::Sqlite).await;
}

#[tokio::test]
#[cfg_attr(
    not(all(gazette_test_database_url, gazette_test_wxr_fixtures)),
    ignore = "needs GAZETTE_TEST_DATABASE_URL and GAZETTE_TEST_WXR_FIXTURES (see README)"
)]
async fn the_theme_unit_test_data_imports_and_keeps_its_urls_on_postgres() {
    theme_data_imports_and_keeps_its_urls(Backend::Postgres).await;
}

#[tokio::test]
#[cfg_attr(
    not(gazette_test_wxr_fixtures),
    ignore = "needs GAZETTE_TEST_WXR_FIXTURES (see README)"
)]
async fn wordpress_service_and_plain_addresses_redirect() {
    let Some(root) = gazette_testkit::wxr_fixtures() else {
        return;
    };
    let Some(app) = TestApp::spawn(Backend::Sqlite).await else {
        return;
    };
    import(&app, &root.join(THEME_DATA)).await;
    app.caught_up().await;
    let location =
        |response: &reqwest::Response| response.headers()["location"].to_str().unwrap().to_owned();
    for (old, new) in [
        ("/wp-admin/", "/admin/"),
        ("/wp-admin/post.php?post=1", "/admin/"),
        ("/wp-login.php", "/admin/"),
        ("/wp-sitemap.xml", "/sitemap.xml"),
        ("/feed/rss2/", "/feed/"),
        ("/feed/rdf/", "/feed/"),
        ("/?feed=rss2", "/feed/"),
        ("/?m=201301", "/2013/01/"),
        ("/?tag=alignment-2", "/tag/alignment-2/"),
    ] {
        let response = app.get(old).await;
        assert_eq!(response.status(), StatusCode::MOVED_PERMANENTLY, "{old}");
        assert_eq!(location(&response), new, "{old}");
    }
    assert_eq!(app.get("/xmlrpc.php").await.status(), StatusCode::GONE);
    // WordPress ids of pages and categories find what they became.
    for old in ["/?page_id=2", "/?cat=12"] {
        let response = app.get(old).await;
        assert_eq!(response.status(), StatusCode::MOVED_PERMANENTLY, "{old}");
        let (status, _) = app.get_text(&location(&response)).await;
        assert_eq!(status, StatusCode::OK, "{old}");
    }
}

#[tokio::test]
#[cfg_attr(
    not(gazette_test_wxr_fixtures),
    ignore = "needs GAZETTE_TEST_WXR_FIXTURES (see README)"
)]
async fn archives_under_the_old_bases_redirect() {
    let Some(root) = gazette_testkit::wxr_fixtures() else {
        return;
    };
    let Some(app) =
        TestApp::spawn_with(Backend::Sqlite, gazette_testkit::TestOptions::default()).await
    else {
        return;
    };
    let options = ImportOptions {
        bases: gazette_wordpress::import::bases::Bases {
            category: Some("topics".to_owned()),
            tag: Some("keywords".to_owned()),
        },
        ..ImportOptions::default()
    };
    let report = import_wxr(
        &app.store,
        &root.join(THEME_DATA),
        &options,
        Arc::new(|_, _| {}),
    )
    .await
    .unwrap();
    assert!(
        report
            .text()
            .contains("redirects from the old category and tag bases")
    );
    app.caught_up().await;
    for (old, new) in [
        ("/topics/parent/child-1/", "/category/parent/child-1/"),
        (
            "/topics/parent/child-1/feed/",
            "/category/parent/child-1/feed/",
        ),
        ("/keywords/alignment-2/", "/tag/alignment-2/"),
    ] {
        let response = app.get(old).await;
        assert_eq!(response.status(), StatusCode::MOVED_PERMANENTLY, "{old}");
        assert_eq!(response.headers()["location"], new, "{old}");
        let (status, _) = app.get_text(new).await;
        assert_eq!(status, StatusCode::OK, "{new}");
    }
}
