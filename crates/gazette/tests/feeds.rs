//! Syndication feeds over HTTP on both backends: RSS, Atom and JSON Feed for the journal, its
//! sections, tags and authors, and comment feeds; read by Python's feedparser, Atom checked
//! against RELAX NG with xmllint and JSON Feed against its JSON Schema; stable identities,
//! conditional GET, and nothing private ever syndicated.

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a failed unwrap is a failed test, with its message"
)]

use std::path::PathBuf;

use gazette_core::{
    Article, ArticleId, Clock as _, CommentKind, CommentStatus, Publication, SafeHtml,
};
use gazette_store::{ArticleFilter, NewComment};
use gazette_testkit::feed_validators::{
    feedparser, json_schema_errors, jsonfeed_errors, relax_ng_errors,
};
use gazette_testkit::{Backend, TestApp, TestOptions, client};
use serde_json::Value;

gazette_testkit::on_both_backends!(
    every_feed_is_valid_in_every_format,
    items_keep_their_identity_and_minor_edits_are_not_announced,
    private_and_protected_content_is_never_syndicated,
    feeds_answer_conditional_requests_and_name_their_type,
    without_a_base_url_links_follow_the_request_and_are_not_shared,
);

const BASE: &str = "https://journal.example";

fn schema(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("tests/schemas/{name}"))
}

async fn app(backend: Backend, base_url: Option<&str>) -> Option<TestApp> {
    let publication = Publication {
        base_url: base_url.map(|u| u.parse().unwrap()),
        ..Publication::sample()
    };
    TestApp::spawn_with(
        backend,
        TestOptions {
            demo: true,
            publication: Some(publication),
            ..TestOptions::default()
        },
    )
    .await
}

async fn newest_open_article(app: &TestApp) -> Article {
    app.store
        .published_articles(&ArticleFilter::All, 0, 20)
        .await
        .unwrap()
        .articles
        .into_iter()
        .find(|a| a.password.is_none())
        .expect("a published article without a password")
}

async fn approved_comment(app: &TestApp, article: ArticleId, text: &str) {
    let comment = NewComment {
        article,
        parent: None,
        answered: None,
        depth: 0,
        status: CommentStatus::Approved,
        kind: CommentKind::Comment,
        author_name: "Reader <One>".to_owned(),
        author_email: "reader@example.net".to_owned(),
        author_url: String::new(),
        author_ip: Some("192.0.2.7".to_owned()),
        user_agent: "test".to_owned(),
        person: None,
        body: text.to_owned(),
        body_html: SafeHtml::from_text(text),
        score: 0,
        reasons: Vec::new(),
        submission_key: None,
        wants_replies: false,
        commenter_key: None,
    };
    app.store
        .write(|tx| Box::pin(async move { tx.insert_comment(&comment).await }))
        .await
        .unwrap();
    app.caught_up().await;
}

/// The feed at `path`, checked by feedparser (no bozo flag) and by the format's own validator.
async fn valid_feed(app: &TestApp, path: &str) -> Option<Value> {
    let (status, body) = app.get_text(path).await;
    assert_eq!(status, 200, "{path}: {body}");
    if path.ends_with("/json/") {
        let errors = json_schema_errors(&body, &schema("jsonfeed-1.1.schema.json"))?;
        assert!(
            errors.is_empty(),
            "{path} against JSON Feed 1.1: {errors:#?}\n{body}"
        );
        let errors = jsonfeed_errors(&body)?;
        assert!(
            errors.is_empty(),
            "{path} by jsonfeedvalidator: {errors:#?}\n{body}"
        );
        return Some(serde_json::from_str(&body).unwrap());
    }
    if path.ends_with("/atom/") {
        let errors = relax_ng_errors(&body, &schema("atom.rng"))?;
        assert!(
            errors.is_empty(),
            "{path} against Atom's RELAX NG: {errors:#?}\n{body}"
        );
    }
    let parsed = feedparser(&body)?;
    assert_eq!(
        parsed["bozo"], false,
        "{path}: {}\n{body}",
        parsed["bozo_exception"]
    );
    Some(parsed)
}

async fn every_feed_is_valid_in_every_format(backend: Backend) {
    let Some(app) = app(backend, Some(BASE)).await else {
        return;
    };
    let article = newest_open_article(&app).await;
    let article_path = app.published_path(article.id).await;
    approved_comment(&app, article.id, "Well reported & <fair>.").await;

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
            let Some(feed) = valid_feed(&app, &path).await else {
                return;
            };
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
    let rss = valid_feed(&app, "/feed/").await.unwrap();
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
    let atom = valid_feed(&app, "/feed/atom/").await.unwrap();
    assert_eq!(atom["version"], "atom10");
    assert_eq!(
        atom["entries"][0]["id"], first["id"],
        "one identity in every format"
    );
    let json = valid_feed(&app, "/feed/json/").await.unwrap();
    assert_eq!(json["items"][0]["id"], first["id"]);

    // Comments: named, never with an email address or IP.
    let comments = valid_feed(&app, "/comments/feed/").await.unwrap();
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

async fn items_keep_their_identity_and_minor_edits_are_not_announced(backend: Backend) {
    let Some(app) = app(backend, Some(BASE)).await else {
        return;
    };
    let article = newest_open_article(&app).await;
    let entry = |feed: &Value| {
        feed["entries"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["title"] == article.headline.as_str())
            .cloned()
            .unwrap()
    };
    let Some(before) = valid_feed(&app, "/feed/atom/").await else {
        return;
    };
    let before = entry(&before);

    // A typo fixed and a new slug: same id, same updated time.
    app.clock.advance(jiff::SignedDuration::from_hours(2));
    let mut edited = article.clone();
    edited.headline = format!("{} (corrected)", article.headline);
    edited.slug = gazette_core::Slug::parse("a-corrected-slug").unwrap();
    let saved = edited.clone();
    app.store
        .write(|tx| Box::pin(async move { tx.update_article(&saved).await }))
        .await
        .unwrap();
    app.caught_up().await;
    let after = valid_feed(&app, "/feed/atom/").await.unwrap();
    let after = after["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == before["id"])
        .cloned()
        .expect("the same id after a new slug");
    assert_eq!(
        after["updated"], before["updated"],
        "a minor edit is not announced"
    );
    assert!(after["link"].as_str().unwrap().contains("a-corrected-slug"));

    // A significant update moves `updated`, never the id.
    let mut significant = edited;
    significant.significantly_updated_at = Some(app.clock.now());
    app.store
        .write(|tx| Box::pin(async move { tx.update_article(&significant).await }))
        .await
        .unwrap();
    app.caught_up().await;
    let later = valid_feed(&app, "/feed/atom/").await.unwrap();
    let later = later["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == before["id"])
        .cloned()
        .unwrap();
    assert_ne!(later["updated"], before["updated"], "{later}");

    // An imported article keeps its WordPress guid.
    let mut imported = newest_open_article(&app).await;
    imported.legacy_guid = Some("http://old.example/?p=123".to_owned());
    let guid_holder = imported.clone();
    app.store
        .write(|tx| Box::pin(async move { tx.update_article(&guid_holder).await }))
        .await
        .unwrap();
    app.caught_up().await;
    let (_, rss) = app.get_text("/feed/").await;
    assert!(
        rss.contains(r#"<guid isPermaLink="false">http://old.example/?p=123</guid>"#),
        "{rss}"
    );
}

async fn private_and_protected_content_is_never_syndicated(backend: Backend) {
    let Some(app) = app(backend, Some(BASE)).await else {
        return;
    };
    let http = app.admin_client().await;
    let secret_id = app
        .write_article(
            &http,
            &[
                ("headline", "Embargoed figures"),
                ("body", "The secret body text."),
                ("password", "letmein"),
                ("action", "publish"),
            ],
        )
        .await;
    app.write_article(
        &http,
        &[
            ("headline", "A draft nobody sees"),
            ("body", "Draft body."),
            ("action", "save"),
        ],
    )
    .await;
    approved_comment(&app, secret_id, "A comment behind the password.").await;
    app.caught_up().await;

    for path in ["/feed/", "/feed/atom/", "/feed/json/"] {
        let (_, feed) = app.get_text(path).await;
        assert!(
            feed.contains("Embargoed figures"),
            "{path}: listed by headline"
        );
        assert!(
            !feed.contains("The secret body text"),
            "{path}: never the text"
        );
        assert!(!feed.contains("A draft nobody sees"), "{path}: no drafts");
    }
    let (_, comments) = app.get_text("/comments/feed/").await;
    assert!(!comments.contains("behind the password"), "{comments}");
    let secret_path = app.published_path(secret_id).await;
    assert_eq!(app.get(&format!("{secret_path}feed/")).await.status(), 404);

    // Excerpts only, when the journal chooses so.
    let mut publication = app.store.publication().await.unwrap().unwrap();
    publication.feeds.full_text = false;
    app.store
        .write(|tx| Box::pin(async move { tx.put_publication(&publication).await }))
        .await
        .unwrap();
    app.caught_up().await;
    let Some(rss) = valid_feed(&app, "/feed/").await else {
        return;
    };
    let entry = &rss["entries"][1];
    assert!(entry["content"].as_array().unwrap().is_empty(), "{entry}");
    assert!(!entry["summary"].as_str().unwrap().is_empty(), "{entry}");
    valid_feed(&app, "/feed/json/").await;
}

async fn feeds_answer_conditional_requests_and_name_their_type(backend: Backend) {
    let Some(app) = app(backend, Some(BASE)).await else {
        return;
    };
    for (path, mime) in [
        ("/feed/", "application/rss+xml; charset=utf-8"),
        ("/feed/atom/", "application/atom+xml; charset=utf-8"),
        ("/feed/json/", "application/feed+json; charset=utf-8"),
    ] {
        let first = app.get(path).await;
        assert_eq!(first.headers()["content-type"], mime);
        let etag = first.headers()["etag"].clone();
        let modified = first.headers()["last-modified"].clone();
        let by_etag = client()
            .get(app.url(path))
            .header("if-none-match", etag)
            .send()
            .await
            .unwrap();
        assert_eq!(by_etag.status(), 304, "{path}");
        let by_date = client()
            .get(app.url(path))
            .header("if-modified-since", modified.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(by_date.status(), 304, "{path}");
        let older = client()
            .get(app.url(path))
            .header("if-modified-since", "Thu, 01 Jan 2015 00:00:00 GMT")
            .send()
            .await
            .unwrap();
        assert_eq!(older.status(), 200, "{path}");
    }
}

async fn without_a_base_url_links_follow_the_request_and_are_not_shared(backend: Backend) {
    let Some(app) = app(backend, None).await else {
        return;
    };
    let (_, ours) = app.get_text("/feed/").await;
    let origin = format!("http://{}", app.address);
    assert!(ours.contains(&format!("<link>{origin}/</link>")), "{ours}");
    let theirs = client()
        .get(app.url("/feed/"))
        .header("host", "attacker.example")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(theirs.contains("http://attacker.example/"));
    let (_, again) = app.get_text("/feed/").await;
    assert!(
        !again.contains("attacker.example"),
        "no one else gets that copy"
    );
    let (_, bad) = {
        let response = client()
            .get(app.url("/feed/"))
            .header("host", "evil.example/<script>")
            .send()
            .await
            .unwrap();
        (response.status(), response.text().await.unwrap())
    };
    assert!(!bad.contains("<script>"));
}
