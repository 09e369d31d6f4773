//! `gazette export wxr`: a journal exported, imported into an empty store and exported again
//! gives the same file, so content, counts, ids and addresses all survive the round trip; and
//! the export passes the same reader checks as WordPress's own.

use std::sync::Arc;

use gazette_store::Store;
use gazette_testkit::{Backend, TestApp, TestOptions};
use gazette_wordpress::import::{ImportOptions, import_wxr};
use reqwest::StatusCode;

const THEME_DATA: &str = "theme-test-data/themeunittestdata.wordpress.xml";

async fn import(app: &TestApp, path: &std::path::Path) -> gazette_wordpress::import::Report {
    import_wxr(
        &app.store,
        path,
        &ImportOptions::default(),
        Arc::new(|_, _| {}),
    )
    .await
    .unwrap()
}

async fn export(store: &Store) -> Vec<u8> {
    let mut bytes = Vec::new();
    gazette_wordpress::export::export_wxr(store, &mut bytes, |_| {})
        .await
        .unwrap();
    bytes
}

/// The first line where two exports differ, for a readable failure.
fn first_difference(a: &[u8], b: &[u8]) -> String {
    let (a, b) = (String::from_utf8_lossy(a), String::from_utf8_lossy(b));
    a.lines()
        .zip(b.lines())
        .enumerate()
        .find(|(_, (x, y))| x != y)
        .map_or_else(
            || format!("lengths {} and {}", a.len(), b.len()),
            |(n, (x, y))| format!("line {}:\n  first:  {x}\n  second: {y}", n + 1),
        )
}

async fn round_trip_holds(backend: Backend) {
    let Some(root) = gazette_testkit::wxr_fixtures() else {
        return;
    };
    let Some(original) = TestApp::spawn_with(backend, TestOptions::default()).await else {
        return;
    };
    // With a menu chosen, so the menus make the round trip too.
    let options = ImportOptions {
        menus: gazette_wordpress::import::menus::MenuChoice {
            header: Some("short".to_owned()),
            footer: Some("social-menu".to_owned()),
        },
        ..ImportOptions::default()
    };
    import_wxr(
        &original.store,
        &root.join(THEME_DATA),
        &options,
        Arc::new(|_, _| {}),
    )
    .await
    .unwrap();
    let menus = original.store.menus().await.unwrap();
    assert!(!menus.header.is_empty() && !menus.footer.is_empty());
    let first = export(&original.store).await;

    // The export reads as WordPress's own exports do, with everything in it.
    let survey = gazette_wordpress::import::survey::survey(first.as_slice(), |_| {}).unwrap();
    assert_eq!(survey.posts.values().sum::<usize>(), 58);
    assert_eq!(survey.pages.values().sum::<usize>(), 21);
    // The people are the two WordPress authors and the test journal's own editor.
    assert_eq!(
        (survey.categories, survey.tags, survey.authors),
        (68, 110, 3)
    );
    assert_eq!(survey.comments.values().sum::<usize>(), 26 + 4 + 3);

    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), &first).unwrap();
    let Some(copy) = TestApp::spawn_with(backend, TestOptions::default()).await else {
        return;
    };
    let report = import(&copy, file.path()).await;
    assert_eq!(report.articles(), 58, "{}", report.text());
    assert_eq!(report.comments(), 33, "{}", report.text());
    assert_eq!(copy.store.menus().await.unwrap(), menus);
    let second = export(&copy.store).await;
    assert!(
        first == second,
        "the copy exports differently from the original: {}",
        first_difference(&first, &second)
    );

    // Every address the original answers, the copy answers the same way.
    original.caught_up().await;
    copy.caught_up().await;
    let reader = gazette_wxr::WxrReader::new(std::io::BufReader::new(
        std::fs::File::open(root.join(THEME_DATA)).unwrap(),
    ));
    let mut checked = 0;
    for entry in reader {
        let gazette_wxr::Entry::Item(item) = entry.unwrap() else {
            continue;
        };
        if item.status != "publish" || !["post", "page"].contains(&item.post_type.as_str()) {
            continue;
        }
        let link = url::Url::parse(&item.link).unwrap();
        let query = link.query().map(|q| format!("?{q}")).unwrap_or_default();
        let old = format!("{}{query}", link.path());
        let (in_original, in_copy) = (original.get(&old).await, copy.get(&old).await);
        assert_eq!(in_original.status(), in_copy.status(), "{old}");
        assert_eq!(
            in_original.headers().get("location"),
            in_copy.headers().get("location"),
            "{old}"
        );
        assert!(
            [StatusCode::OK, StatusCode::MOVED_PERMANENTLY].contains(&in_copy.status()),
            "{old} answered {}",
            in_copy.status()
        );
        checked += 1;
    }
    assert_eq!(checked, 56 + 21);
}

#[tokio::test]
#[cfg_attr(
    not(gazette_test_wxr_fixtures),
    ignore = "needs GAZETTE_TEST_WXR_FIXTURES (see README)"
)]
async fn an_export_imports_into_an_empty_journal_unchanged_on_sqlite() {
    round_trip_holds(Backend::Sqlite).await;
}

#[tokio::test]
#[cfg_attr(
    not(all(gazette_test_database_url, gazette_test_wxr_fixtures)),
    ignore = "needs GAZETTE_TEST_DATABASE_URL and GAZETTE_TEST_WXR_FIXTURES (see README)"
)]
async fn an_export_imports_into_an_empty_journal_unchanged_on_postgres() {
    round_trip_holds(Backend::Postgres).await;
}

/// A journal made in Gazette (Markdown articles, pages numbered like articles, a media
/// library) makes the round trip too, and its export names each id once, as WordPress's
/// importer needs.
#[tokio::test]
async fn a_gazette_journal_survives_the_round_trip() {
    let Some(original) = TestApp::spawn(Backend::Sqlite).await else {
        return;
    };
    let first = export(&original.store).await;
    assert!(
        String::from_utf8_lossy(&first).contains("_gazette_page_id"),
        "the demo's pages share ids with its articles, so some are renumbered"
    );
    let reader = gazette_wxr::WxrReader::new(first.as_slice());
    let mut seen = std::collections::HashSet::new();
    for entry in reader {
        if let gazette_wxr::Entry::Item(item) = entry.unwrap() {
            let id = item.post_id.unwrap();
            assert!(seen.insert(id), "post_id {id} is used twice");
        }
    }
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), &first).unwrap();
    let Some(copy) = TestApp::spawn_with(Backend::Sqlite, TestOptions::default()).await else {
        return;
    };
    import(&copy, file.path()).await;
    for page in original.store.pages().await.unwrap() {
        let copied = copy
            .store
            .pages()
            .await
            .unwrap()
            .into_iter()
            .find(|p| p.id == page.id)
            .unwrap();
        assert_eq!(
            (&copied.slug, &copied.body_source, copied.body_format),
            (&page.slug, &page.body_source, page.body_format)
        );
    }
    let mut after = gazette_core::ArticleId(0);
    loop {
        let articles = original.store.articles_after(after, 100).await.unwrap();
        let Some(last) = articles.last() else {
            break;
        };
        after = last.id;
        for article in articles {
            let copied = copy.store.article(article.id).await.unwrap().unwrap();
            assert_eq!(copied.body_format, article.body_format, "{}", article.slug);
            assert_eq!(copied.body_source, article.body_source, "{}", article.slug);
            assert_eq!(copied.body_html, article.body_html, "{}", article.slug);
            assert_eq!(
                (
                    &copied.slug,
                    &copied.headline,
                    &copied.standfirst,
                    copied.status
                ),
                (
                    &article.slug,
                    &article.headline,
                    &article.standfirst,
                    article.status
                )
            );
        }
    }
}
