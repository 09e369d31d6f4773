//! Anonymous reads of the API come from the page cache, are removed by the changes they show,
//! and nothing personal (an application password's drafts) ever fills it.

use gazette_core::{CommentStatus, Status};
use gazette_store::ArticleFilter;
use gazette_testkit::{Backend, TestApp};

use super::{administrator, comment, json};

gazette_testkit::on_both_backends!(
    anonymous_reads_are_cached_until_what_they_show_changes,
    authorised_reads_never_reach_the_cache,
    answers_too_big_to_keep_are_still_answered,
);

/// A hundred long posts make an answer over the 4 MiB the cache keeps: it is answered in full
/// and not kept.
async fn answers_too_big_to_keep_are_still_answered(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let paragraph = "A long paragraph of a long report, which goes on and on. ".repeat(16);
    let body: String = (0..60).map(|n| format!("{n}. {paragraph}\n\n")).collect();
    for n in 0..100 {
        let mut new = gazette_store::NewArticle::draft(
            &format!("Long report {n}"),
            &body,
            gazette_render::render_body(gazette_core::BodyFormat::Markdown, &body),
            gazette_render::RENDER_VERSION,
        );
        new.status = Status::Published;
        new.published_at = Some(gazette_core::Clock::now(&*app.clock));
        app.store
            .write(|tx| Box::pin(async move { tx.insert_article(new).await }))
            .await
            .unwrap();
    }
    app.caught_up().await;
    let entries = app.node().state.page_cache().stats().entries;
    let (_, status, text) = read(&app, "/wp-json/wp/v2/posts?per_page=100").await;
    assert_eq!(status, 200);
    assert!(text.len() > 4 * 1024 * 1024, "{} bytes", text.len());
    let posts: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(posts.as_array().map(Vec::len), Some(100));
    assert_eq!(app.node().state.page_cache().stats().entries, entries);
}

/// Whether reading `path` rendered it (a cache miss), with its status and body.
async fn read(app: &TestApp, path: &str) -> (bool, u16, String) {
    let misses = || app.node().state.page_cache().stats().misses;
    let before = misses();
    let response = app.get(path).await;
    let status = response.status().as_u16();
    let body = response.text().await.unwrap();
    (misses() > before, status, body)
}

async fn anonymous_reads_are_cached_until_what_they_show_changes(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let listing = app
        .store
        .published_articles(&ArticleFilter::All, 0, 2)
        .await
        .unwrap();
    let (first, second) = (&listing.articles[0], &listing.articles[1]);
    let comments = format!("/wp-json/wp/v2/comments?post={}", first.id.0);
    let other_post = format!("/wp-json/wp/v2/posts/{}", second.id.0);
    let posts = "/wp-json/wp/v2/posts?per_page=5&page=1";
    for path in [comments.as_str(), &other_post, posts] {
        let (rendered, status, _) = read(&app, path).await;
        assert!(rendered && status == 200, "{path}");
        let (rendered, _, _) = read(&app, path).await;
        assert!(!rendered, "{path} comes from the cache the second time");
    }
    // The same parameters in another order and spelling are the same answer.
    assert!(!read(&app, "/wp-json/wp/v2/posts?page=1&per_page=5").await.0);
    let (_, headers, _) = json(&app, posts).await;
    assert!(headers.contains_key("x-wp-total") && headers.contains_key("link"));
    // An unknown parameter goes past the cache.
    let (rendered, status, _) = read(&app, "/wp-json/wp/v2/posts?utm_source=x").await;
    assert!(!rendered && status == 200);

    // A comment approved on the first article: its comments, not the second article.
    app.store
        .write(|tx| {
            let new = comment(first.id, CommentStatus::Approved, "Cached no more");
            Box::pin(async move { tx.insert_comment(&new).await })
        })
        .await
        .unwrap();
    app.caught_up().await;
    let (rendered, _, body) = read(&app, &comments).await;
    assert!(rendered && body.contains("Cached no more"));
    assert!(
        !read(&app, &other_post).await.0,
        "another article's answer stays"
    );
    assert!(
        !read(&app, posts).await.0,
        "lists of posts show no comments"
    );
}

async fn authorised_reads_never_reach_the_cache(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let admin = administrator(&app).await;
    let (_, secret) = gazette_newsroom::app_passwords::create(&app.store, admin.id, "cache")
        .await
        .unwrap();
    let draft = app
        .store
        .published_articles(&ArticleFilter::All, 0, 1)
        .await
        .unwrap()
        .articles
        .remove(0);
    let mut draft = draft;
    draft.status = Status::Draft;
    draft.headline = "A draft only staff may read".to_owned();
    app.store
        .write(|tx| Box::pin(async move { tx.update_article(&draft).await }))
        .await
        .unwrap();
    app.caught_up().await;
    let path = "/wp-json/wp/v2/posts?status=draft";
    let staff = app
        .client
        .get(app.url(path))
        .basic_auth(admin.email.as_str(), Some(&secret))
        .send()
        .await
        .unwrap();
    assert_eq!(staff.status(), 200);
    assert!(
        staff
            .text()
            .await
            .unwrap()
            .contains("A draft only staff may read")
    );
    let (_, status, body) = read(&app, path).await;
    assert_ne!(status, 200, "{body}");
    assert!(!body.contains("A draft only staff may read"));
    let entries = app.node().state.page_cache().stats().entries;
    let (_, status, _) = read(&app, "/wp-json/wp/v2/posts?status=publish").await;
    assert_eq!(status, 200);
    assert_eq!(
        app.node().state.page_cache().stats().entries,
        entries + 1,
        "only the anonymous answer was kept"
    );
}
