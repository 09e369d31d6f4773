//! The page cache: cached pages revalidate per encoding, and edits reach them.

use std::time::Duration;

use gazette_core::{Clock as _, Status};
use gazette_store::ArticleFilter;
use gazette_testkit::{Backend, TestApp, TestOptions};

use super::{eventually, newest, save};

gazette_testkit::on_both_backends!(
    cached_pages_revalidate_per_encoding,
    edits_reach_cached_pages,
    a_shared_page_names_no_other_requests_host,
    listing_totals_follow_publishing_without_the_page_cache,
);

/// Listing totals are kept between renders even with page caching off; publishing and
/// unpublishing an article in a tag must still show on the tag's count.
async fn listing_totals_follow_publishing_without_the_page_cache(backend: Backend) {
    let options = TestOptions {
        demo: true,
        no_page_cache: true,
        ..TestOptions::default()
    };
    let Some(app) = TestApp::spawn_with(backend, options).await else {
        return;
    };
    let tagged = newest(&app.store, ArticleFilter::All).await;
    let tag = *tagged
        .tags
        .first()
        .expect("the newest demo article has a tag");
    let tags = app.store.tags().await.unwrap();
    let slug = &tags.iter().find(|t| t.id == tag).expect("its tag").slug;
    let path = format!("/tag/{slug}/");
    let shown_total = |html: &str| {
        let start = html.find("archive-count\">").expect("a count") + "archive-count\">".len();
        let digits: String = html[start..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        digits.parse::<u64>().expect("a number")
    };
    let before = shown_total(&app.get_text(&path).await.1);
    assert_eq!(
        shown_total(&app.get_text(&path).await.1),
        before,
        "counted again the same"
    );

    let now = app.clock.now();
    let mut draft = super::insert(&app, "A story in the tag", Status::Draft, now).await;
    draft.tags = vec![tag];
    let mut published = save(&app, draft).await;
    app.caught_up().await;
    assert_eq!(
        shown_total(&app.get_text(&path).await.1),
        before,
        "a draft is not counted"
    );

    published.status = Status::Published;
    let published = save(&app, published).await;
    app.caught_up().await;
    assert_eq!(
        shown_total(&app.get_text(&path).await.1),
        before + 1,
        "after publishing"
    );

    let mut withdrawn = published;
    withdrawn.status = Status::Draft;
    save(&app, withdrawn).await;
    app.caught_up().await;
    assert_eq!(
        shown_total(&app.get_text(&path).await.1),
        before,
        "after unpublishing"
    );
}

/// Pages for hosts the node does not know are one shared copy: nothing in it, headers
/// included, may name the host of the request that rendered it.
async fn a_shared_page_names_no_other_requests_host(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let client = reqwest::Client::new();
    let get = |host: &'static str| client.get(app.url("/")).header("host", host).send();
    let first = get("evil.example").await.unwrap();
    assert_eq!(
        first.headers()["link"],
        "<http://evil.example/wp-json/>; rel=\"https://api.w.org/\""
    );
    let hits = app.node().state.page_cache().stats().hits;
    let second = get("news.example").await.unwrap();
    assert_eq!(
        app.node().state.page_cache().stats().hits,
        hits + 1,
        "shared"
    );
    assert_eq!(
        second.headers()["link"],
        "<http://news.example/wp-json/>; rel=\"https://api.w.org/\""
    );
    assert!(!second.text().await.unwrap().contains("evil.example"));
}

async fn cached_pages_revalidate_per_encoding(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let client = reqwest::Client::new(); // no automatic decompression: we see the bytes
    let get = |encoding: &'static str, etag: Option<String>| {
        let mut request = client.get(app.url("/")).header("accept-encoding", encoding);
        if let Some(etag) = etag {
            request = request.header("if-none-match", etag);
        }
        request.send()
    };
    let br = get("gzip, br", None).await.unwrap();
    assert_eq!(br.headers()["content-encoding"], "br");
    assert_eq!(br.headers()["vary"], "Accept-Encoding");
    assert_eq!(
        br.headers()["cache-control"],
        "public, max-age=0, must-revalidate"
    );
    let br_etag = br.headers()["etag"].to_str().unwrap().to_owned();
    let gz = get("gzip", None).await.unwrap();
    assert_eq!(gz.headers()["content-encoding"], "gzip");
    let gz_etag = gz.headers()["etag"].to_str().unwrap().to_owned();
    assert_ne!(br_etag, gz_etag, "each encoding has its own ETag");
    assert_eq!(
        get("gzip, br", Some(br_etag.clone()))
            .await
            .unwrap()
            .status(),
        304
    );
    assert_eq!(get("gzip", Some(br_etag)).await.unwrap().status(), 200);
    let plain = get("identity", None).await.unwrap();
    assert!(plain.headers().get("content-encoding").is_none());

    // Unknown query strings are served but never cached; personal requests bypass the cache.
    let stats = || app.node().state.page_cache().stats();
    let before = stats();
    app.get("/?utm_source=newsletter").await;
    let with_session = client
        .get(app.url("/"))
        .header("cookie", "gazette_session=abc")
        .send()
        .await
        .unwrap();
    assert_eq!(with_session.headers()["cache-control"], "private, no-store");
    assert_eq!(stats().entries, before.entries);
    assert_eq!(stats().hits + stats().misses, before.hits + before.misses);
}

async fn edits_reach_cached_pages(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let mut article = newest(&app.store, ArticleFilter::All).await;
    let path = app.article_path(&article).await;
    let (_, before) = app.get_text(&path).await;
    assert!(before.contains(&article.headline.replace('&', "&amp;")));
    let hits = app.node().state.page_cache().stats().hits;
    app.get_text(&path).await;
    assert_eq!(
        app.node().state.page_cache().stats().hits,
        hits + 1,
        "served from the cache"
    );
    article.headline = "A corrected headline".to_owned();
    save(&app, article).await;
    app.caught_up().await;
    let (_, after) = app.get_text(&path).await;
    assert!(after.contains("A corrected headline"));
    let (_, home) = app.get_text("/").await;
    assert!(home.contains("A corrected headline"), "listings follow too");

    // A second node on the same database sees the edit within a second (PostgreSQL only:
    // two nodes share a SQLite file only on one machine, which the tests above cover).
    if backend == Backend::Postgres {
        let b = app.spawn_beside(TestOptions::default()).await;
        let (_, cached) = b.get_text(&path).await;
        assert!(cached.contains("A corrected headline"));
        let mut article = newest(&app.store, ArticleFilter::All).await;
        article.headline = "Edited on node A".to_owned();
        save(&app, article).await;
        eventually(
            "node B shows node A's edit",
            Duration::from_secs(1),
            || async { b.get_text(&path).await.1.contains("Edited on node A") },
        )
        .await;
        b.shutdown().await;
    }
}

/// With `database_notifications = false` (for engines without `LISTEN`/`NOTIFY`), an edit on
/// node A reaches node B's cached page by B's follower's 5 s poll. Prints the latencies it
/// saw, for `docs/operations.md`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(gazette_test_database_url),
    ignore = "needs GAZETTE_TEST_DATABASE_URL (see README)"
)]
async fn without_notifications_edits_reach_other_nodes_by_polling() {
    let options = || TestOptions {
        demo: true,
        without_notifications: true,
        ..TestOptions::default()
    };
    let Some(a) = TestApp::spawn_with(Backend::Postgres, options()).await else {
        return;
    };
    let b = a.spawn_beside(options()).await;
    let article = newest(&a.store, ArticleFilter::All).await;
    let path = a.article_path(&article).await;
    let mut latencies = Vec::new();
    for n in 0..3 {
        b.get_text(&path).await; // cached on B
        let headline = format!("Edited on node A, take {n}");
        let mut edited = newest(&a.store, ArticleFilter::All).await;
        edited.headline = headline.clone();
        let started = std::time::Instant::now();
        save(&a, edited).await;
        eventually(
            "node B shows node A's edit",
            Duration::from_secs(30),
            || async { b.get_text(&path).await.1.contains(&headline) },
        )
        .await;
        latencies.push(started.elapsed());
        // The next edit starts at another point of the poll's cycle.
        tokio::time::sleep(Duration::from_millis(1_700)).await;
    }
    eprintln!("node A's edit reached node B's cache by polling after {latencies:?}");
    b.shutdown().await;
}
