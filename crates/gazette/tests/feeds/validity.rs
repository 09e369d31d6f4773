//! Every feed valid in every format, as validators and feedparser read it.

use gazette_testkit::Backend;

use super::{BASE, app, newest_open_article, valid_feed};

gazette_testkit::on_both_backends!(every_feed_is_valid_in_every_format);

async fn every_feed_is_valid_in_every_format(backend: Backend) {
    let Some(app) = app(backend, Some(BASE)).await else {
        return;
    };
    let article = newest_open_article(&app).await;
    let article_path = app.published_path(article.id).await;
    app.approved_comment(article.id, "Well reported & <fair>.")
        .await;

    for listing in [
        "/",
        "/category/world/",
        "/tag/climate/",
        "/author/amara-okafor/",
        "/comments/",
        &article_path,
    ] {
        for suffix in ["feed/", "feed/atom/", "feed/json/"] {
            let path = format!("{listing}{suffix}");
            let feed = valid_feed(&app, &path).await;
            let entries = feed.get("entries").or(feed.get("items")).unwrap();
            let entries = entries.as_array().unwrap();
            assert!(!entries.is_empty(), "{path} lists something");
            for entry in entries {
                let link = entry
                    .get("link")
                    .or(entry.get("url"))
                    .unwrap()
                    .as_str()
                    .unwrap();
                assert!(link.starts_with(BASE), "{path}: absolute links ({link})");
            }
        }
    }

    // The site feed in detail, as feedparser reads it.
    let rss = valid_feed(&app, "/feed/").await;
    assert_eq!(rss["version"], "rss20");
    assert_eq!(rss["feed"]["title"], "The Gazette Chronicle");
    assert_eq!(rss["feed"]["link"], format!("{BASE}/"));
    let first = &rss["entries"][0];
    assert!(
        first["id"].as_str().unwrap().starts_with("urn:uuid:"),
        "{first}"
    );
    assert!(!first["authors"].as_array().unwrap().is_empty(), "{first}");
    assert!(!first["tags"].as_array().unwrap().is_empty(), "{first}");
    let content = first["content"][0].as_str().unwrap();
    assert!(content.contains("<p>"), "the whole text: {content}");
    assert!(
        !content.contains("src=\"/"),
        "absolute media links: {content}"
    );
    let media = first["media"].as_array().unwrap();
    assert!(
        media
            .iter()
            .any(|m| m.as_str().unwrap().starts_with(&format!("{BASE}/media/"))),
        "the featured image: {first}"
    );
    let atom = valid_feed(&app, "/feed/atom/").await;
    assert_eq!(atom["version"], "atom10");
    assert_eq!(
        atom["entries"][0]["id"], first["id"],
        "one identity in every format"
    );
    let json = valid_feed(&app, "/feed/json/").await;
    assert_eq!(json["items"][0]["id"], first["id"]);

    // Comments: named, never with an email address or IP.
    let comments = valid_feed(&app, "/comments/feed/").await;
    let comment = &comments["entries"][0];
    assert_eq!(
        comment["content"][0], "Well reported &amp; &lt;fair&gt;.",
        "{comment}"
    );
    assert_eq!(comment["authors"][0], "Reader <One>", "{comment}");
    let (_, text) = app.get_text("/comments/feed/").await;
    assert!(!text.contains("reader@example.net") && !text.contains("192.0.2.7"));

    // Discovery: every page names the journal's feeds, archives and articles their own.
    let (_, home) = app.get_text("/").await;
    for href in ["/feed/", "/feed/atom/", "/feed/json/", "/comments/feed/"] {
        assert!(
            home.contains(&format!("href=\"{href}\"")),
            "home links {href}"
        );
    }
    let (_, section) = app.get_text("/category/world/").await;
    assert!(section.contains(r#"type="application/rss+xml" title="World – The Gazette Chronicle (RSS)" href="/category/world/feed/""#), "{section}");
    let (_, page) = app.get_text(&article_path).await;
    assert!(
        page.contains(&format!("href=\"{article_path}feed/\"")),
        "the article's comments feed"
    );

    // Feeds that name nothing are not found; other spellings redirect.
    assert_eq!(app.get("/tag/no-such-tag/feed/").await.status(), 404);
    assert_eq!(app.get("/2026/01/feed/").await.status(), 404);
    assert_eq!(app.get("/no-such-article/feed/").await.status(), 404);
    assert_eq!(
        app.status_and_location("/feed/rss2/").await,
        (301, "/feed/".to_owned())
    );
    assert_eq!(
        app.status_and_location("/feed/atom").await,
        (301, "/feed/atom/".to_owned())
    );
}
