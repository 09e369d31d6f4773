//! Importing WordPress's own exports: what `--dry-run` reports, what the import writes on both
//! backends, and every old URL answering afterwards.

use std::collections::BTreeMap;
use std::sync::Arc;

use gazette_testkit::{Backend, TestApp};
use gazette_wordpress::import::survey::{Survey, survey};
use gazette_wordpress::import::{ImportOptions, Report, import_wxr};
use reqwest::StatusCode;

fn survey_of(path: &str) -> Option<Survey> {
    let root = gazette_testkit::wxr_fixtures()?;
    let file = std::fs::File::open(root.join(path)).unwrap();
    Some(survey(std::io::BufReader::new(file), |_| {}).unwrap())
}

#[test]
#[cfg_attr(
    not(gazette_test_wxr_fixtures),
    ignore = "needs GAZETTE_TEST_WXR_FIXTURES (see README)"
)]
fn the_theme_unit_test_data_counts_as_wordpress_imports_it() {
    let Some(survey) = survey_of("theme-test-data/themeunittestdata.wordpress.xml") else {
        return;
    };
    let map = |pairs: &[(&str, usize)]| -> BTreeMap<String, usize> {
        pairs.iter().map(|(k, n)| ((*k).to_owned(), *n)).collect()
    };
    assert_eq!(
        survey.posts,
        map(&[("draft", 1), ("future", 1), ("publish", 56)])
    );
    assert_eq!((survey.password_protected, survey.sticky), (1, 1));
    assert_eq!(survey.pages, map(&[("publish", 21)]));
    assert_eq!((survey.attachments, survey.menu_items), (37, 70));
    assert_eq!(
        (survey.categories, survey.tags, survey.authors),
        (68, 110, 2)
    );
    let comment = |kind: &str, status: &str| {
        survey
            .comments
            .get(&(kind.to_owned(), status.to_owned()))
            .copied()
            .unwrap_or(0)
    };
    assert_eq!(comment("comment", "approved"), 26);
    assert_eq!(
        comment("pingback", "approved") + comment("trackback", "approved"),
        4
    );
    assert_eq!(comment("comment", "pending"), 3);
    assert!(survey.skipped.is_empty(), "{:?}", survey.skipped);
    let report = survey.report();
    assert!(
        report.contains(
            "Posts: 58 (1 drafts, 1 scheduled, 56 published); 1 password-protected, 1 sticky."
        ),
        "{report}"
    );
}

#[test]
#[cfg_attr(
    not(gazette_test_wxr_fixtures),
    ignore = "needs GAZETTE_TEST_WXR_FIXTURES (see README)"
)]
fn other_post_types_are_counted_as_skipped() {
    let Some(survey) = survey_of("theme-test-data/64-block-test-data.xml") else {
        return;
    };
    let report = survey.report();
    assert!(!survey.skipped.is_empty(), "{report}");
    for (post_type, n) in &survey.skipped {
        assert!(report.contains(&format!("Skipped: {n} items of type {post_type}")));
    }
}

const THEME_DATA: &str = "theme-test-data/themeunittestdata.wordpress.xml";

async fn import(app: &TestApp, path: &std::path::Path) -> Report {
    import_wxr(
        &app.store,
        path,
        &ImportOptions::default(),
        Arc::new(|_, _| {}),
    )
    .await
    .unwrap()
}

/// The published posts' and pages' old addresses (path and query), from the export itself.
fn published_links(path: &std::path::Path) -> Vec<(String, String)> {
    let file = std::io::BufReader::new(std::fs::File::open(path).unwrap());
    gazette_wxr::WxrReader::new(file)
        .map(Result::unwrap)
        .filter_map(|entry| match entry {
            gazette_wxr::Entry::Item(item)
                if item.status == "publish"
                    && ["post", "page"].contains(&item.post_type.as_str()) =>
            {
                let link = url::Url::parse(&item.link).unwrap();
                let query = link.query().map(|q| format!("?{q}")).unwrap_or_default();
                Some((item.post_type.clone(), format!("{}{query}", link.path())))
            }
            _ => None,
        })
        .collect()
}

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

/// `--media-dir`: the images the folder holds are copied into the media library and every
/// old address of them leads there; the missing ones keep their old URLs and are listed.
async fn uploads_are_copied_and_their_addresses_kept(backend: Backend) {
    let Some(root) = gazette_testkit::wxr_fixtures() else {
        return;
    };
    let Some(app) = TestApp::spawn_with(backend, gazette_testkit::TestOptions::default()).await
    else {
        return;
    };
    let uploads = tempfile::tempdir().unwrap();
    for (relative, width, height) in [
        ("2013/03/image-alignment-580x300.jpg", 580, 300),
        ("2008/06/dsc20050102_192118_51.jpg", 640, 480),
    ] {
        let path = uploads.path().join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, gazette_media::fixtures::halves_jpeg(width, height)).unwrap();
    }
    let options = ImportOptions {
        media: Some(gazette_wordpress::import::media::MediaFolders {
            uploads: uploads.path().to_owned(),
            media_dir: app.media_dir(),
        }),
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
    assert_eq!(report.copied_media, 2, "{}", report.text());
    assert_eq!(report.missing_files.len(), 37 - 2, "{}", report.text());
    assert!(
        report.text().contains("2008/06/img_8399.jpg"),
        "{}",
        report.text()
    );

    // The post showing the image shows the copy; the featured image is the library's.
    let aligned = app
        .store
        .article(gazette_core::ArticleId(1177))
        .await
        .unwrap()
        .unwrap();
    let body = aligned.body_html.as_str();
    assert!(
        body.contains("src=\"/media/2013/03/image-alignment-580x300.jpg"),
        "{body}"
    );
    assert!(!body.contains("files.wordpress.com/2013/03/image-alignment-580x300.jpg"));
    let featured = app
        .store
        .article(gazette_core::ArticleId(51))
        .await
        .unwrap()
        .unwrap()
        .featured_image
        .unwrap();
    assert_eq!(featured.src, "/media/2008/06/dsc20050102_192118_51.jpg");
    assert!(featured.media.is_some());

    app.caught_up().await;
    let copy = "/media/2013/03/image-alignment-580x300.jpg";
    let served = app.get(copy).await;
    assert_eq!(served.status(), StatusCode::OK);
    assert_eq!(served.headers()["content-type"], "image/jpeg");
    for old in [
        "/wp-content/uploads/2013/03/image-alignment-580x300.jpg",
        "/?attachment_id=967",
        "/2013/01/10/markup-image-alignment/image-alignment-580x300/",
    ] {
        let response = app.get(old).await;
        assert_eq!(response.status(), StatusCode::MOVED_PERMANENTLY, "{old}");
        assert_eq!(response.headers()["location"], copy, "{old}");
    }
    let sized = app
        .get("/wp-content/uploads/2008/06/dsc20050102_192118_51-300x225.jpg")
        .await;
    assert_eq!(
        sized.headers()["location"],
        "/media/2008/06/dsc20050102_192118_51.jpg"
    );
    assert_eq!(
        app.get("/wp-content/uploads/2008/06/img_8399.jpg")
            .await
            .status(),
        StatusCode::NOT_FOUND
    );

    // A second run copies nothing again.
    let again = import_wxr(
        &app.store,
        &root.join(THEME_DATA),
        &options,
        Arc::new(|_, _| {}),
    )
    .await
    .unwrap();
    assert_eq!(again.copied_media, 0, "{}", again.text());
    let paths = [
        "2013/03/image-alignment-580x300.jpg".to_owned(),
        "2013/03/image-alignment-580x300-2.jpg".to_owned(),
    ];
    assert_eq!(app.store.media_by_paths(&paths).await.unwrap().len(), 1);
}

#[tokio::test]
#[cfg_attr(
    not(gazette_test_wxr_fixtures),
    ignore = "needs GAZETTE_TEST_WXR_FIXTURES (see README)"
)]
async fn uploads_are_copied_and_their_addresses_kept_on_sqlite() {
    uploads_are_copied_and_their_addresses_kept(Backend::Sqlite).await;
}

#[tokio::test]
#[cfg_attr(
    not(all(gazette_test_database_url, gazette_test_wxr_fixtures)),
    ignore = "needs GAZETTE_TEST_DATABASE_URL and GAZETTE_TEST_WXR_FIXTURES (see README)"
)]
async fn uploads_are_copied_and_their_addresses_kept_on_postgres() {
    uploads_are_copied_and_their_addresses_kept(Backend::Postgres).await;
}

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

/// A post for [`export_with_posts`]: its id, slug and meta.
type TestPost<'a> = (i64, &'a str, &'a [(&'a str, &'a str)]);

/// A WordPress export of posts with the given meta, written with Gazette's own WXR writer.
fn export_with_posts(posts: &[TestPost<'_>]) -> tempfile::NamedTempFile {
    let channel = gazette_wxr::Channel {
        title: "Old site".into(),
        link: "https://old.example".into(),
        base_site_url: "https://old.example".into(),
        base_blog_url: "https://old.example".into(),
        ..gazette_wxr::Channel::default()
    };
    let mut writer = gazette_wxr::WxrWriter::new(Vec::new(), &channel).unwrap();
    for (id, slug, meta) in posts {
        let item = gazette_wxr::Item {
            title: format!("Post {slug}"),
            link: format!("https://old.example/{slug}/"),
            content: "Text.".into(),
            post_id: Some(*id),
            post_date: "2026-01-02 03:04:05".into(),
            post_date_gmt: "2026-01-02 03:04:05".into(),
            post_name: (*slug).to_owned(),
            status: "publish".into(),
            post_type: "post".into(),
            meta: meta
                .iter()
                .map(|(key, value)| gazette_wxr::Meta {
                    key: (*key).to_owned(),
                    value: (*value).to_owned(),
                })
                .collect(),
            ..gazette_wxr::Item::default()
        };
        writer
            .write(&gazette_wxr::Entry::Item(Box::new(item)))
            .unwrap();
    }
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), writer.finish().unwrap()).unwrap();
    file
}

#[tokio::test]
async fn yoast_and_rank_math_canonical_and_noindex_are_kept() {
    let Some(app) =
        TestApp::spawn_with(Backend::Sqlite, gazette_testkit::TestOptions::default()).await
    else {
        return;
    };
    let file = export_with_posts(&[
        (
            10,
            "syndicated",
            &[
                ("_yoast_wpseo_canonical", "https://wire.example/original/"),
                ("_yoast_wpseo_meta-robots-noindex", "1"),
            ],
        ),
        (
            11,
            "hidden",
            &[(
                "rank_math_robots",
                "a:2:{i:0;s:7:\"noindex\";i:1;s:8:\"nofollow\";}",
            )],
        ),
        (12, "plain", &[]),
    ]);
    import(&app, file.path()).await;
    let syndicated = app
        .store
        .article(gazette_core::ArticleId(10))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(syndicated.canonical_url, "https://wire.example/original/");
    assert!(syndicated.noindex);
    assert!(
        app.store
            .article(gazette_core::ArticleId(11))
            .await
            .unwrap()
            .unwrap()
            .noindex
    );
    assert!(
        !app.store
            .article(gazette_core::ArticleId(12))
            .await
            .unwrap()
            .unwrap()
            .noindex
    );

    app.caught_up().await;
    let (_, page) = app.get_text(&views_path(&app, 10).await).await;
    assert!(
        page.contains(r#"<link rel="canonical" href="https://wire.example/original/">"#),
        "{page}"
    );
    assert!(page.contains(r#"<meta name="robots" content="noindex">"#));
    let (_, plain) = app.get_text(&views_path(&app, 12).await).await;
    assert!(!plain.contains("noindex"));
    let (_, sitemap) = app.get_text("/sitemap-articles-2026-01.xml").await;
    assert!(sitemap.contains("/plain/"), "{sitemap}");
    assert!(
        !sitemap.contains("/syndicated/") && !sitemap.contains("/hidden/"),
        "{sitemap}"
    );
}

/// Where an article is, following its `?p=` redirect.
async fn views_path(app: &TestApp, id: i64) -> String {
    let response = app.get(&format!("/?p={id}")).await;
    assert_eq!(response.status(), StatusCode::MOVED_PERMANENTLY);
    response.headers()["location"].to_str().unwrap().to_owned()
}

/// A WordPress export of published posts `(id, slug, post_date, post_date_gmt)`, each linked
/// at WordPress's default address for its local date.
fn export_with_dated_posts(posts: &[(i64, &str, &str, &str)]) -> tempfile::NamedTempFile {
    let channel = gazette_wxr::Channel {
        title: "Old site".into(),
        link: "https://old.example".into(),
        base_site_url: "https://old.example".into(),
        base_blog_url: "https://old.example".into(),
        ..gazette_wxr::Channel::default()
    };
    let mut writer = gazette_wxr::WxrWriter::new(Vec::new(), &channel).unwrap();
    for (id, slug, local, utc) in posts {
        let day = local[..10].replace('-', "/");
        let item = gazette_wxr::Item {
            title: format!("Post {slug}"),
            link: format!("https://old.example/{day}/{slug}/"),
            content: "Text.".into(),
            post_id: Some(*id),
            post_date: (*local).to_owned(),
            post_date_gmt: (*utc).to_owned(),
            post_name: (*slug).to_owned(),
            status: "publish".into(),
            post_type: "post".into(),
            ..gazette_wxr::Item::default()
        };
        writer
            .write(&gazette_wxr::Entry::Item(Box::new(item)))
            .unwrap();
    }
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), writer.finish().unwrap()).unwrap();
    file
}

/// A site on New York time: −5:00 in January, −4:00 in July. The post written at 23:30 on
/// 15 January (04:30 UTC the next day) keeps the address WordPress gave it.
async fn late_evening_posts_keep_their_day(backend: Backend) {
    let Some(app) = TestApp::spawn_with(backend, gazette_testkit::TestOptions::default()).await
    else {
        return;
    };
    let file = export_with_dated_posts(&[
        (
            21,
            "late-edition",
            "2021-01-15 23:30:00",
            "2021-01-16 04:30:00",
        ),
        (
            22,
            "morning-ferry",
            "2021-07-10 09:00:00",
            "2021-07-10 13:00:00",
        ),
    ]);
    let report = import(&app, file.path()).await;
    app.caught_up().await;
    for path in ["/2021/01/15/late-edition/", "/2021/07/10/morning-ferry/"] {
        let response = app.get(path).await;
        assert_eq!(
            response.status(),
            StatusCode::OK,
            "{path} answered {:?}\n{}",
            response.headers().get("location"),
            report.text()
        );
    }
    let publication = app.store.publication().await.unwrap().unwrap();
    assert_eq!(publication.time_zone.as_str(), "America/New_York");
    assert!(
        report
            .text()
            .contains("Setting: time zone America/New_York (inferred:"),
        "{}",
        report.text()
    );
}

#[tokio::test]
async fn late_evening_posts_keep_their_day_on_sqlite() {
    late_evening_posts_keep_their_day(Backend::Sqlite).await;
}

#[tokio::test]
#[cfg_attr(
    not(gazette_test_database_url),
    ignore = "needs GAZETTE_TEST_DATABASE_URL (see README)"
)]
async fn late_evening_posts_keep_their_day_on_postgres() {
    late_evening_posts_keep_their_day(Backend::Postgres).await;
}
