//! Yoast's and Rank Math's canonical addresses and `noindex`, kept by the import.

use gazette_testkit::{Backend, TestApp};
use reqwest::StatusCode;

use super::import;

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
