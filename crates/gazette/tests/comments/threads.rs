//! Comments on the public page: the demo journal's threads, replies and long threads paged,
//! WordPress's form endpoint, comments closing on time, and comment pages of permalinks
//! without a trailing slash.

use gazette_core::{Clock as _, CommentPolicy, CommentStatus, ModerationMode, Publication};
use gazette_store::ArticleFilter;
use gazette_testkit::{Backend, TestApp, TestOptions, client};
use jiff::SignedDuration;
use reqwest::StatusCode;

use super::{app, comment_in, comment_on, form, newest, post, set_status, with};

gazette_testkit::on_both_backends!(
    the_demo_journal_has_reader_threads,
    replies_thread_and_long_threads_page,
    wordpress_form_endpoint_works_too,
    comments_close_on_time_even_in_the_cache,
    comment_pages_work_for_permalinks_without_a_trailing_slash,
);

/// A new journal shows what comments look like: approved threads under a few demo articles,
/// a comments feed with items, and an inbox with work already done.
async fn the_demo_journal_has_reader_threads(backend: Backend) {
    let Some(app) = app(backend, CommentPolicy::default()).await else {
        return;
    };
    let listing = app
        .store
        .published_articles(&ArticleFilter::All, 0, 50)
        .await
        .unwrap();
    let night_buses = listing
        .articles
        .iter()
        .find(|a| a.headline.starts_with("Night buses are here to stay"))
        .unwrap();
    let path = app.published_path(night_buses.id).await;
    let (status, html) = app.get_text(&path).await;
    assert_eq!(status, 200);
    for words in [
        "Priya Natarajan",
        "Does anyone know whether the N4",
        "every 40 minutes",
    ] {
        assert!(html.contains(words), "{words}");
    }
    let comments = app
        .store
        .article_comments(night_buses.id, &[])
        .await
        .unwrap();
    assert!(comments.iter().any(|c| c.depth == 2), "replies to replies");
    assert!(comments.iter().all(|c| c.status == CommentStatus::Approved));
    let (status, feed) = app.get_text("/comments/feed/").await;
    assert_eq!(status, 200);
    assert!(feed.matches("<item>").count() >= 8, "{feed}");
    assert!(
        !feed.contains("@example.org"),
        "no commenter's email is published"
    );
}

async fn replies_thread_and_long_threads_page(backend: Backend) {
    let policy = CommentPolicy {
        per_page: 2,
        thread_depth: 2,
        moderation: ModerationMode::ApproveClean,
        ..CommentPolicy::default()
    };
    let Some(app) = app(backend, policy).await else {
        return;
    };
    let (article, path) = newest(&app).await;
    let reader = client();
    let mut ids = Vec::new();
    for n in 1..=3 {
        let fields = form(
            article.id,
            &format!("Top level {n}."),
            &format!("r{n}@reader.example"),
        );
        let response = post(&app, &reader, "/comments/", &fields).await;
        let id = comment_in(&response);
        set_status(&app, id, CommentStatus::Approved).await;
        ids.push((
            id,
            response.headers()["location"].to_str().unwrap().to_owned(),
        ));
    }
    assert!(
        ids[2].1.contains("comment-page-2/#comment-"),
        "the third thread is on page 2: {}",
        ids[2].1
    );

    let (_, reply_page) = app
        .get_text(&format!("{path}?replytocom={}", ids[0].0.0))
        .await;
    assert!(reply_page.contains("Reply to Reader One"));
    assert!(reply_page.contains(&format!(r#"name="comment_parent" value="{}""#, ids[0].0.0)));

    let reply = with(
        form(article.id, "A reply.", "r1@reader.example"),
        "comment_parent",
        &ids[0].0.0.to_string(),
    );
    let reply_id = comment_in(&post(&app, &reader, "/comments/", &reply).await);
    set_status(&app, reply_id, CommentStatus::Approved).await;
    // Deeper than the limit: attached at the last level, under the same parent.
    let deeper = with(
        form(article.id, "Deeper.", "r2@reader.example"),
        "comment_parent",
        &reply_id.0.to_string(),
    );
    let deeper_id = comment_in(&post(&app, &reader, "/comments/", &deeper).await);
    let stored = app.store.comment(deeper_id).await.unwrap().unwrap();
    assert_eq!((stored.parent, stored.depth), (Some(ids[0].0), 1));
    assert_eq!(
        stored.answered,
        Some(reply_id),
        "it remembers whom it answered"
    );

    let (_, first_page) = app.get_text(&path).await;
    assert!(first_page.contains("Top level 1.") && first_page.contains("Top level 2."));
    assert!(!first_page.contains("Top level 3."));
    assert!(first_page.contains(r#"<ol class="children">"#));
    let (status, second_page) = app.get_text(&format!("{path}comment-page-2/")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(second_page.contains("Top level 3."));
    assert_eq!(
        app.get_text(&format!("{path}comment-page-9/")).await.0,
        StatusCode::NOT_FOUND
    );
    let first = app.get(&format!("{path}comment-page-1/")).await;
    assert_eq!(first.status(), StatusCode::MOVED_PERMANENTLY);
    assert_eq!(first.headers()["location"], path.as_str());
}

async fn wordpress_form_endpoint_works_too(backend: Backend) {
    let Some(app) = app(backend, CommentPolicy::default()).await else {
        return;
    };
    let (article, path) = newest(&app).await;
    let response = post(
        &app,
        &client(),
        "/wp-comments-post.php",
        &form(article.id, "From an old form.", "wp@reader.example"),
    )
    .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(
        response.headers()["location"]
            .to_str()
            .unwrap()
            .starts_with(&path)
    );
    // The comment the redirect points at was stored as sent, and held: a first comment.
    let id = comment_in(&response);
    let stored = app.store.comment(id).await.unwrap().expect("stored");
    assert_eq!(stored.article, article.id);
    assert_eq!(stored.body, "From an old form.");
    assert_eq!(stored.author_name, "Reader One");
    assert_eq!(stored.author_email, "wp@reader.example");
    assert_eq!(stored.status, CommentStatus::Pending);
    let (_, before) = app.get_text(&path).await;
    assert!(!before.contains("From an old form."), "held until approved");
    // Approved, it is on the article's page.
    set_status(&app, id, CommentStatus::Approved).await;
    let (status, after) = app.get_text(&path).await;
    assert_eq!(status, StatusCode::OK);
    let at = after
        .find(&format!(r#"id="comment-{}""#, id.0))
        .expect("the approved comment is on the page");
    assert!(after[at..].contains("From an old form."), "with its text");
}

async fn comments_close_on_time_even_in_the_cache(backend: Backend) {
    let policy = CommentPolicy {
        close_after_days: Some(400),
        ..CommentPolicy::default()
    };
    let Some(app) = app(backend, policy).await else {
        return;
    };
    let (article, path) = newest(&app).await;
    let closes = article.published_at.unwrap() + SignedDuration::from_hours(24 * 400);
    assert!(app.clock.now() < closes);
    let (_, open) = app.get_text(&path).await;
    assert!(open.contains("Leave a Reply"));
    app.clock.set(closes + SignedDuration::from_secs(1));
    let (_, closed) = app.get_text(&path).await;
    assert!(
        !closed.contains("Leave a Reply"),
        "the cached page expired at the closing time"
    );
    let refused = post(
        &app,
        &client(),
        "/comments/",
        &form(article.id, "Late.", "late@reader.example"),
    )
    .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
}

async fn comment_pages_work_for_permalinks_without_a_trailing_slash(backend: Backend) {
    let publication = Publication {
        permalink: gazette_core::PermalinkPattern::parse("/archives/%post_id%").unwrap(),
        comments: CommentPolicy {
            per_page: 1,
            moderation: ModerationMode::ApproveClean,
            ..CommentPolicy::default()
        },
        ..Publication::sample()
    };
    let options = TestOptions {
        demo: true,
        publication: Some(publication),
        ..TestOptions::default()
    };
    let Some(app) = TestApp::spawn_with(backend, options).await else {
        return;
    };
    let (article, _) = newest(&app).await;
    let path = format!("/archives/{}", article.id.0);
    assert_eq!(app.get_text(&path).await.0, StatusCode::OK);
    comment_on(&app, article.id, "On page one.", "one@reader.example").await;
    let second = post(
        &app,
        &client(),
        "/comments/",
        &form(article.id, "On page two.", "two@reader.example"),
    )
    .await;
    let location = second.headers()["location"].to_str().unwrap().to_owned();
    assert!(
        location.starts_with(&format!("{path}/comment-page-2/#comment-")),
        "{location}"
    );
    app.caught_up().await;
    let (status, page_two) = app.get_text(&format!("{path}/comment-page-2/")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page_two.contains("On page two.") && !page_two.contains("On page one."));
}
