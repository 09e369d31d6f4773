//! Reader comments over HTTP on both backends: the form and its promise, moderation on the
//! public page, threads and comment pages, the spam defences, bad input, notifications, and
//! the privacy crawl that proves no commenter's email (or a hash of it) is ever published.

use std::collections::{BTreeSet, VecDeque};

use gazette_core::{
    Article, ArticleId, Clock as _, CommentId, CommentPolicy, CommentStatus, ModerationMode,
    Publication,
};
use gazette_store::{ArticleFilter, CommentFilter};
use gazette_testkit::{Backend, TestApp, TestOptions, client, csrf_of};
use jiff::SignedDuration;
use reqwest::StatusCode;

gazette_testkit::on_both_backends!(
    a_first_comment_waits_for_moderation_and_only_its_author_sees_it,
    a_known_commenter_with_a_token_is_published_at_once,
    a_double_submit_finds_the_first_comment,
    bad_input_gets_named_errors_and_the_form_back,
    spam_never_reaches_the_page,
    replies_thread_and_long_threads_page,
    wordpress_form_endpoint_works_too,
    comments_close_on_time_even_in_the_cache,
    floods_are_limited_per_address,
    held_comments_are_mailed_to_moderators,
    no_email_address_or_hash_of_one_is_ever_published,
    moderators_work_the_inbox_within_their_roles,
    administrators_export_and_erase_a_commenters_data,
    staff_edit_and_reply_from_the_inbox,
    reply_notifications_need_a_confirmed_subscription_and_go_once,
    administrators_set_the_comment_policy,
    nobody_passes_for_a_known_commenter_or_for_staff,
    comment_pages_work_for_permalinks_without_a_trailing_slash,
    commenters_addresses_are_forgotten_after_the_policys_days,
    the_demo_journal_has_reader_threads,
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

async fn app(backend: Backend, policy: CommentPolicy) -> Option<TestApp> {
    let publication = Publication {
        comments: policy,
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

async fn newest(app: &TestApp) -> (Article, String) {
    let listing = app
        .store
        .published_articles(&ArticleFilter::All, 0, 2)
        .await
        .unwrap();
    // The newest that has no password.
    let article = listing
        .articles
        .into_iter()
        .find(|a| a.password.is_none())
        .expect("a published article");
    let path = app.published_path(article.id).await;
    (article, path)
}

fn form(article: ArticleId, comment: &str, email: &str) -> Vec<(String, String)> {
    [
        ("comment_post_ID", article.0.to_string()),
        ("comment", comment.to_owned()),
        ("author", "Reader One".to_owned()),
        ("email", email.to_owned()),
        ("url", "reader.example.net".to_owned()),
        ("comment_parent", "0".to_owned()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}

fn with(mut fields: Vec<(String, String)>, name: &str, value: &str) -> Vec<(String, String)> {
    fields.retain(|(k, _)| k != name);
    fields.push((name.to_owned(), value.to_owned()));
    fields
}

async fn post<T: serde::Serialize + ?Sized>(
    app: &TestApp,
    http: &reqwest::Client,
    path: &str,
    fields: &T,
) -> reqwest::Response {
    http.post(app.url(path)).form(fields).send().await.unwrap()
}

/// The comment id a redirect after posting points at.
fn comment_in(response: &reqwest::Response) -> CommentId {
    let location = response.headers()["location"].to_str().unwrap();
    let id = location.rsplit_once("#comment-").expect(location).1;
    CommentId(id.parse().unwrap())
}

/// Posts a comment from a fresh browser and returns its id.
async fn comment_on(app: &TestApp, article: ArticleId, text: &str, email: &str) -> CommentId {
    comment_in(&post(app, &client(), "/comments/", &form(article, text, email)).await)
}

/// The avatar path shown with comment `id`.
fn avatar_of(html: &str, id: CommentId) -> String {
    let at = html
        .find(&format!(r#"id="comment-{}""#, id.0))
        .expect("the comment");
    let src = html[at..].find("/avatar/").expect("an avatar") + at;
    html[src..].split('"').next().unwrap().to_owned()
}

async fn set_status(app: &TestApp, id: CommentId, status: CommentStatus) {
    app.store
        .write(|tx| Box::pin(async move { tx.set_comment_status(id, status).await }))
        .await
        .unwrap()
        .unwrap();
    app.caught_up().await;
}

async fn page(http: &reqwest::Client, app: &TestApp, path: &str) -> (StatusCode, String) {
    let response = http.get(app.url(path)).send().await.unwrap();
    (response.status(), response.text().await.unwrap())
}

async fn a_first_comment_waits_for_moderation_and_only_its_author_sees_it(backend: Backend) {
    let Some(app) = app(backend, CommentPolicy::default()).await else {
        return;
    };
    let (article, path) = newest(&app).await;
    let (_, html) = app.get_text(&path).await;
    for promise in [
        "Leave a Reply",
        "Your email address will not be published.",
        "Required fields are marked *",
        r#"name="wp-comment-cookies-consent""#,
        r#"action="/comments/""#,
    ] {
        assert!(html.contains(promise), "the form lacks {promise:?}");
    }

    let reader = client();
    let response = post(
        &app,
        &reader,
        "/comments/",
        &form(article.id, "A *first* thought.", "first@reader.example"),
    )
    .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    assert!(
        location.starts_with(&format!("{path}#comment-")),
        "{location}"
    );
    let cookies: Vec<&str> = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap())
        .collect();
    assert!(
        cookies
            .iter()
            .any(|c| c.starts_with("gazette_commenter=") && c.contains(&format!("Path={path}"))),
        "{cookies:?}"
    );
    let id = comment_in(&response);
    let stored = app.store.comment(id).await.unwrap().unwrap();
    assert_eq!(stored.status, CommentStatus::Pending);
    assert_eq!(stored.author_url, "https://reader.example.net/");
    assert!(
        stored.reasons.iter().any(|r| r.contains("First comment")),
        "{:?}",
        stored.reasons
    );

    // A second held comment joins the first in what its author sees.
    let second = form(article.id, "A second thought.", "first@reader.example");
    post(&app, &reader, "/comments/", &second).await;
    let (status, own) = page(&reader, &app, &path).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        own.matches("Your comment is awaiting moderation.").count(),
        2
    );
    assert!(own.contains("A *first* thought.") && own.contains("A second thought."));
    let held_avatar = avatar_of(&own, id);
    let (_, others) = app.get_text(&path).await;
    assert!(
        !others.contains("A *first* thought."),
        "nobody else sees a held comment"
    );
    assert!(others.contains("No comments yet"));

    set_status(&app, id, CommentStatus::Approved).await;
    let (_, public) = app.get_text(&path).await;
    assert!(public.contains("A *first* thought."));
    assert_ne!(
        avatar_of(&public, id),
        held_avatar,
        "a held comment shows a neutral avatar, so it cannot be used to test a guessed address"
    );
    assert!(public.contains(&format!(r#"id="comment-{}""#, id.0)));
    assert!(public.contains(r#"href="https://reader.example.net/" rel="nofollow ugc""#));
    assert!(public.contains("1 comment"));
    assert!(!public.contains("first@reader.example"));
    assert!(!public.contains("awaiting moderation"));
    let (_, home) = app.get_text("/").await;
    assert!(home.contains("1 comment"), "listings count comments");
}

async fn token(app: &TestApp, http: &reqwest::Client) -> String {
    let response = http.get(app.url("/comments/token")).send().await.unwrap();
    assert_eq!(response.headers()["cache-control"], "no-store");
    let body: serde_json::Value = response.json().await.unwrap();
    body["token"].as_str().unwrap().to_owned()
}

async fn a_known_commenter_with_a_token_is_published_at_once(backend: Backend) {
    let Some(app) = app(backend, CommentPolicy::default()).await else {
        return;
    };
    let (article, path) = newest(&app).await;
    // A reader who asked to be remembered: their browser keeps a commenter key.
    let reader = client();
    let remembered = |text: &str, email: &str| {
        with(
            form(article.id, text, email),
            "wp-comment-cookies-consent",
            "yes",
        )
    };
    let first = post(
        &app,
        &reader,
        "/comments/",
        &remembered("One.", "known@reader.example"),
    )
    .await;
    set_status(&app, comment_in(&first), CommentStatus::Approved).await;

    let fields = with(
        remembered("Two.", "Known@Reader.example"),
        "form_token",
        &token(&app, &reader).await,
    );
    app.clock.advance(SignedDuration::from_secs(30));
    let second = post(&app, &reader, "/comments/", &fields).await;
    let stored = app
        .store
        .comment(comment_in(&second))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        stored.status,
        CommentStatus::Approved,
        "{:?}",
        stored.reasons
    );
    assert_eq!(stored.score, 0);
    app.caught_up().await;
    assert!(app.get_text(&path).await.1.contains("Two."));

    // The same commenter, too fast: held, and the moderator is told why.
    let fields = with(
        remembered("Three.", "known@reader.example"),
        "form_token",
        &token(&app, &reader).await,
    );
    let third = post(&app, &reader, "/comments/", &fields).await;
    let stored = app
        .store
        .comment(comment_in(&third))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.status, CommentStatus::Pending);
    assert!(
        stored
            .reasons
            .iter()
            .any(|r| r.contains("after the form was shown")),
        "{:?}",
        stored.reasons
    );
}

async fn a_double_submit_finds_the_first_comment(backend: Backend) {
    let Some(app) = app(backend, CommentPolicy::default()).await else {
        return;
    };
    let (article, _) = newest(&app).await;
    let reader = client();
    let fields = with(
        form(article.id, "Clicked twice.", "twice@reader.example"),
        "form_token",
        &token(&app, &reader).await,
    );
    let first = post(&app, &reader, "/comments/", &fields).await;
    let second = post(&app, &reader, "/comments/", &fields).await;
    assert_eq!(second.status(), StatusCode::SEE_OTHER);
    assert_eq!(first.headers()["location"], second.headers()["location"]);
    // Without the script's token too: the same text from the same person is the same comment.
    let plain = form(article.id, "No script.", "twice@reader.example");
    let third = post(&app, &reader, "/comments/", &plain).await;
    let fourth = post(&app, &reader, "/comments/", &plain).await;
    assert_eq!(third.headers()["location"], fourth.headers()["location"]);
    let on_article = CommentFilter {
        article: Some(article.id),
        ..CommentFilter::default()
    };
    let all = app
        .store
        .moderation_comments(&on_article, 0, 10)
        .await
        .unwrap();
    assert_eq!(all.total, 2);
}

async fn bad_input_gets_named_errors_and_the_form_back(backend: Backend) {
    let Some(app) = app(backend, CommentPolicy::default()).await else {
        return;
    };
    let (article, _) = newest(&app).await;
    let reader = client();
    let base = form(article.id, "Kept text <b>here</b>", "bad@reader.example");

    let cases = [
        (
            with(base.clone(), "comment", "   "),
            "Please type a comment.",
        ),
        (with(base.clone(), "author", ""), "Please give your name."),
        (
            with(base.clone(), "email", "nobody"),
            "That email address does not look right",
        ),
        (
            with(
                base.clone(),
                "email",
                "a@b.example\r\nBcc: victim@example.org",
            ),
            "That email address does not look right",
        ),
        (
            with(base.clone(), "url", "javascript:alert(1)"),
            "That website address does not look right",
        ),
        (
            with(base.clone(), "comment_parent", "999999"),
            "The comment you replied to is not on this article",
        ),
        (
            with(base.clone(), "comment", &"x".repeat(8001)),
            "at most 8000 characters",
        ),
    ];
    for (fields, message) in cases {
        let response = post(&app, &reader, "/comments/", &fields).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{message}");
        let html = response.text().await.unwrap();
        assert!(html.contains(message), "{message:?} not in the page");
        assert!(
            html.contains(r#"name="comment_post_ID""#),
            "the form comes back"
        );
        let email = &fields.iter().find(|(k, _)| k == "email").unwrap().1;
        let typed = if email.contains('\n') {
            "Reader One"
        } else {
            email.as_str()
        };
        assert!(html.contains(typed), "what was typed comes back: {typed}");
        assert!(!html.contains("<b>here</b>"), "and comes back escaped");
    }

    let unknown = with(base.clone(), "comment_post_ID", "987654");
    let unknown = post(&app, &reader, "/comments/", &unknown).await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    assert!(
        unknown
            .text()
            .await
            .unwrap()
            .contains("Kept text &lt;b&gt;here")
    );
    let nonsense = with(base.clone(), "comment_post_ID", "abc");
    assert_eq!(
        post(&app, &reader, "/comments/", &nonsense).await.status(),
        StatusCode::BAD_REQUEST
    );
    let invalid_utf8 = reader
        .post(app.url("/comments/"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!(
            "comment_post_ID={}&comment=%FF%FE&author=a&email=a%40b.example",
            article.id.0
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(invalid_utf8.status(), StatusCode::BAD_REQUEST);
    let huge = reader
        .post(app.url("/comments/"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("comment={}", "a".repeat(70_000)))
        .send()
        .await
        .unwrap();
    assert_eq!(huge.status(), StatusCode::PAYLOAD_TOO_LARGE);

    // A closed article says so.
    let id = article.id;
    app.store
        .write(|tx| {
            Box::pin(async move {
                let mut article = tx.article(id).await?.unwrap();
                article.comments_open = false;
                tx.update_article(&article).await
            })
        })
        .await
        .unwrap();
    let closed = post(&app, &reader, "/comments/", &base).await;
    assert_eq!(closed.status(), StatusCode::FORBIDDEN);
    let closed = closed.text().await.unwrap();
    assert!(closed.contains("Comments are closed on this article."));
    assert!(
        closed.contains("Kept text &lt;b&gt;here&lt;/b&gt;"),
        "the reader gets their text back to keep"
    );
    // The demo's own threads are approved; nothing waits, nothing is new.
    let held = CommentFilter {
        status: Some(CommentStatus::Pending),
        ..CommentFilter::default()
    };
    let all = app.store.moderation_comments(&held, 0, 10).await.unwrap();
    assert_eq!(all.total, 0, "nothing was stored");
    let spam = CommentFilter {
        status: Some(CommentStatus::Spam),
        ..CommentFilter::default()
    };
    let all = app.store.moderation_comments(&spam, 0, 10).await.unwrap();
    assert_eq!(all.total, 0, "nothing was stored");
}

async fn spam_never_reaches_the_page(backend: Backend) {
    let policy = CommentPolicy {
        moderation: ModerationMode::ApproveClean,
        block_list: vec!["cheap pills".to_owned()],
        ..CommentPolicy::default()
    };
    let Some(app) = app(backend, policy).await else {
        return;
    };
    let (article, path) = newest(&app).await;
    let bot = client();
    let honeypot = with(
        form(article.id, "I am a bot.", "bot@spam.example"),
        "fax",
        "555-0100",
    );
    let response = post(&app, &bot, "/comments/", &honeypot).await;
    // Answered as a held comment is: a bot is not told it was caught.
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(
        response
            .headers()
            .get_all("set-cookie")
            .iter()
            .any(|c| c.to_str().unwrap().starts_with("gazette_commenter="))
    );
    let blocked = post(
        &app,
        &bot,
        "/comments/",
        &form(article.id, "Buy CHEAP pills", "pills@spam.example"),
    )
    .await;
    let spam = CommentFilter {
        status: Some(CommentStatus::Spam),
        ..CommentFilter::default()
    };
    let found = app.store.moderation_comments(&spam, 0, 10).await.unwrap();
    assert_eq!(found.total, 2);
    assert!(
        found
            .comments
            .iter()
            .any(|c| c.reasons.iter().any(|r| r.contains("honeypot")))
    );
    assert_eq!(blocked.status(), StatusCode::SEE_OTHER);
    let public = app.get_text(&path).await.1;
    assert!(!public.contains("I am a bot.") && !public.contains("CHEAP pills"));
    // The bot itself sees its comments as any author sees a held one.
    let own = page(&bot, &app, &path).await.1;
    let at = own.find("I am a bot.").expect("shown to its author");
    let item = own[..at].rfind("<li class=\"comment").unwrap();
    assert!(
        own[item..at].contains("comment-pending"),
        "as awaiting moderation"
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

async fn floods_are_limited_per_address(backend: Backend) {
    let Some(app) = app(backend, CommentPolicy::default()).await else {
        return;
    };
    let (article, _) = newest(&app).await;
    let bot = client();
    let mut statuses = Vec::new();
    for n in 0..12 {
        let fields = form(
            article.id,
            &format!("Flood {n}"),
            &format!("f{n}@flood.example"),
        );
        statuses.push(post(&app, &bot, "/comments/", &fields).await.status());
    }
    assert!(
        statuses[..10].iter().all(|s| *s == StatusCode::SEE_OTHER),
        "{statuses:?}"
    );
    assert_eq!(statuses[10], StatusCode::TOO_MANY_REQUESTS);
    app.clock.advance(SignedDuration::from_mins(11));
    let later = post(
        &app,
        &bot,
        "/comments/",
        &form(article.id, "Later.", "later@flood.example"),
    )
    .await;
    assert_eq!(later.status(), StatusCode::SEE_OTHER, "the window passed");

    // Five comments per email, counted in the database: on PostgreSQL a second node sees the
    // first node's count.
    let other = match backend {
        Backend::Postgres => Some(app.spawn_beside(TestOptions::default()).await),
        Backend::Sqlite => None,
    };
    for n in 0..5 {
        let fields = form(article.id, &format!("Chatty {n}"), "chatty@flood.example");
        let sent = post(&app, &client(), "/comments/", &fields).await;
        assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    }
    let sixth = form(article.id, "Chatty 5", "Chatty@Flood.example");
    let node = other.as_ref().unwrap_or(&app);
    let refused = post(node, &client(), "/comments/", &sixth).await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(
        refused.text().await.unwrap().contains("Chatty 5"),
        "the text comes back"
    );
}

async fn held_comments_are_mailed_to_moderators(backend: Backend) {
    let sink = gazette_testkit::smtp::SmtpSink::start().await;
    let mut publication = Publication::sample();
    publication.base_url = Some("https://news.example.org/".parse().unwrap());
    let options = TestOptions {
        demo: true,
        publication: Some(publication),
        smtp_port: Some(sink.port),
        ..TestOptions::default()
    };
    let Some(app) = TestApp::spawn_with(backend, options).await else {
        return;
    };
    let (article, _) = newest(&app).await;
    post(
        &app,
        &client(),
        "/comments/",
        &form(article.id, "Please moderate me.", "held@reader.example"),
    )
    .await;
    let message = sink.wait_for(1).await;
    let text = message.text();
    assert!(text.contains("Please moderate me."), "{text}");
    assert!(text.contains("First comment from this email address."));
    assert!(text.contains("https://news.example.org/admin/comments/"));
}

/// Posts comments with distinctive addresses, approves them, then crawls every public URL
/// reachable from the front page (and the endpoints the pages use) looking for the addresses
/// or their MD5, SHA-1 and SHA-256, in any case.
async fn no_email_address_or_hash_of_one_is_ever_published(backend: Backend) {
    use md5::Digest as _;
    let Some(app) = app(backend, CommentPolicy::default()).await else {
        return;
    };
    let (article, path) = newest(&app).await;
    let addresses = [
        "Zebra.Crossing.7731@privacy-test.example",
        "quokka-4410@privacy-test.example",
    ];
    for (n, address) in addresses.iter().enumerate() {
        let reader = client();
        let mut fields = form(article.id, &format!("Privacy probe {n}."), address);
        fields = with(fields, "wp-comment-cookies-consent", "yes");
        let response = post(&app, &reader, "/comments/", &fields).await;
        set_status(&app, comment_in(&response), CommentStatus::Approved).await;
    }
    let mut secrets = BTreeSet::new();
    for address in addresses {
        for form in [address.to_owned(), address.to_lowercase()] {
            secrets.insert(form.to_lowercase());
            secrets.insert(hex::encode(md5::Md5::digest(form.as_bytes())));
            secrets.insert(hex::encode(sha1::Sha1::digest(form.as_bytes())));
            secrets.insert(hex::encode(sha2::Sha256::digest(form.as_bytes())));
        }
    }

    let mut queue: VecDeque<String> = [
        "/",
        path.as_str(),
        "/comments/token",
        "/robots.txt",
        "/sitemap.xml",
        "/feed/",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    let mut seen = BTreeSet::new();
    let mut crawled = 0;
    while let Some(next) = queue.pop_front() {
        if !seen.insert(next.clone()) || seen.len() > 400 {
            continue;
        }
        let response = app.get(&next).await;
        let headers = format!("{:?}", response.headers()).to_lowercase();
        let body = response.text().await.unwrap_or_default();
        let lowered = body.to_lowercase();
        crawled += 1;
        for secret in &secrets {
            assert!(
                !lowered.contains(secret.as_str()),
                "{next} publishes {secret}"
            );
            assert!(
                !headers.contains(secret.as_str()),
                "{next}'s headers publish {secret}"
            );
        }
        for link in links_in(&body) {
            if !seen.contains(&link) {
                queue.push_back(link);
            }
        }
    }
    assert!(crawled > 40, "the crawl reached only {crawled} pages");
    let (_, html) = app.get_text(&path).await;
    assert!(
        html.contains("Privacy probe 0.") && html.contains("/avatar/"),
        "the probes are on the page"
    );
}

/// Same-site paths in `href` and `src` attributes.
fn links_in(html: &str) -> Vec<String> {
    let mut links = Vec::new();
    for marker in ["href=\"", "src=\""] {
        for piece in html.split(marker).skip(1) {
            let Some(end) = piece.find('"') else { continue };
            let link = piece[..end].replace("&amp;", "&");
            let link = link.split('#').next().unwrap_or("").to_owned();
            if link.starts_with('/') && !link.starts_with("//") && !link.is_empty() {
                links.push(link);
            }
        }
    }
    links
}

async fn signed_in(app: &TestApp, name: &str, role: gazette_core::Role) -> reqwest::Client {
    let password = "a long enough password";
    let person = app.add_staff(name, role, password).await;
    let http = client();
    let response = app.sign_in(&http, person.email.as_str(), password).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "{name} signs in");
    http
}

async fn moderators_work_the_inbox_within_their_roles(backend: Backend) {
    use gazette_core::Role;
    let Some(app) = app(backend, CommentPolicy::default()).await else {
        return;
    };
    let (article, path) = newest(&app).await;
    let held = comment_on(
        &app,
        article.id,
        "Moderate this one.",
        "inbox@reader.example",
    )
    .await;

    let editor = signed_in(&app, "Edna", Role::Editor).await;
    let (status, inbox) = page(&editor, &app, "/admin/comments/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(inbox.contains("Moderate this one."));
    assert!(
        inbox.contains("inbox@reader.example"),
        "staff see the email"
    );
    assert!(
        inbox.contains("First comment from this email address."),
        "and why it was held"
    );
    let (_, history) = page(
        &editor,
        &app,
        "/admin/comments/?email=INBOX%40reader.example",
    )
    .await;
    assert!(
        history.contains("Comments by inbox@reader.example")
            && history.contains("Moderate this one."),
        "{history}"
    );

    // An author moderates only comments on their own articles; a contributor none.
    let author = signed_in(&app, "Otto", Role::Author).await;
    let (_, own_inbox) = page(&author, &app, "/admin/comments/").await;
    assert!(
        !own_inbox.contains("Moderate this one."),
        "not Otto's article"
    );
    let csrf = csrf_of(&own_inbox);
    let refused = post(
        &app,
        &author,
        "/admin/comments/",
        &[
            ("csrf", csrf.as_str()),
            ("do", &format!("approve:{}", held.0)),
        ],
    )
    .await;
    assert_eq!(refused.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.store.comment(held).await.unwrap().unwrap().status,
        CommentStatus::Pending
    );
    let contributor = signed_in(&app, "Cora", Role::Contributor).await;
    assert_eq!(
        page(&contributor, &app, "/admin/comments/").await.0,
        StatusCode::FORBIDDEN
    );

    let csrf = csrf_of(&inbox);
    let without_csrf = post(
        &app,
        &editor,
        "/admin/comments/",
        &[("do", format!("approve:{}", held.0))],
    )
    .await;
    assert!(without_csrf.status().is_client_error());
    let approved = post(
        &app,
        &editor,
        "/admin/comments/",
        &[
            ("csrf", csrf.clone()),
            ("do", format!("approve:{}", held.0)),
            ("back", "/admin/comments/?status=pending".to_owned()),
        ],
    )
    .await;
    assert_eq!(approved.status(), StatusCode::SEE_OTHER);
    assert!(
        approved.headers()["location"]
            .to_str()
            .unwrap()
            .starts_with("/admin/comments/?status=pending&done=")
    );
    app.caught_up().await;
    assert!(app.get_text(&path).await.1.contains("Moderate this one."));

    // Bulk: two more held comments to spam at once.
    let mut ids = Vec::new();
    for n in 0..2 {
        let fields = form(
            article.id,
            &format!("Bulk {n}."),
            &format!("bulk{n}@reader.example"),
        );
        ids.push(comment_in(
            &post(&app, &client(), "/comments/", &fields).await,
        ));
    }
    let mut fields = vec![
        ("csrf".to_owned(), csrf),
        ("bulk_action".to_owned(), "spam".to_owned()),
    ];
    fields.extend(
        ids.iter()
            .map(|id| ("comment".to_owned(), id.0.to_string())),
    );
    post(&app, &editor, "/admin/comments/", &fields).await;
    for id in ids {
        assert_eq!(
            app.store.comment(id).await.unwrap().unwrap().status,
            CommentStatus::Spam
        );
    }
}

async fn administrators_export_and_erase_a_commenters_data(backend: Backend) {
    use gazette_core::Role;
    let Some(app) = app(backend, CommentPolicy::default()).await else {
        return;
    };
    let (article, path) = newest(&app).await;
    let id = comment_on(
        &app,
        article.id,
        "Mine to take back.",
        "Owner@reader.example",
    )
    .await;
    set_status(&app, id, CommentStatus::Approved).await;

    let editor = signed_in(&app, "Edna", Role::Editor).await;
    let refused = page(
        &editor,
        &app,
        "/admin/comments/export?email=owner%40reader.example",
    )
    .await;
    assert_eq!(refused.0, StatusCode::FORBIDDEN);

    let admin = client();
    app.sign_in(
        &admin,
        gazette_testkit::ADMIN_EMAIL,
        gazette_testkit::ADMIN_PASSWORD,
    )
    .await;
    let (_, history) = page(
        &admin,
        &app,
        "/admin/comments/?email=owner%40reader.example",
    )
    .await;
    assert!(history.contains("Erase their data"));
    let export = admin
        .get(app.url("/admin/comments/export?email=owner%40reader.example"))
        .send()
        .await
        .unwrap();
    assert_eq!(export.status(), StatusCode::OK);
    assert!(
        export.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    let json: serde_json::Value = export.json().await.unwrap();
    assert_eq!(json["comments"][0]["text"], "Mine to take back.");
    assert_eq!(json["comments"][0]["email"], "Owner@reader.example");
    assert_eq!(json["comments"][0]["ip_address"], "127.0.0.1");

    let erased = post(
        &app,
        &admin,
        "/admin/comments/erase",
        &[
            ("csrf", csrf_of(&history).as_str()),
            ("email", "owner@reader.example"),
        ],
    )
    .await;
    assert_eq!(erased.status(), StatusCode::SEE_OTHER);
    let after = app.store.comment(id).await.unwrap().unwrap();
    assert_eq!(
        (
            after.author_name.as_str(),
            after.author_email.as_str(),
            after.author_ip
        ),
        ("Anonymous", "", None)
    );
    app.caught_up().await;
    let (_, public) = app.get_text(&path).await;
    assert!(public.contains("Mine to take back.") && !public.contains("Reader One"));
}

async fn commenters_addresses_are_forgotten_after_the_policys_days(backend: Backend) {
    let Some(app) = app(backend, CommentPolicy::default()).await else {
        return;
    };
    let (article, _) = newest(&app).await;
    let id = comment_on(
        &app,
        article.id,
        "An address to forget.",
        "fade@reader.example",
    )
    .await;
    assert!(
        app.store
            .comment(id)
            .await
            .unwrap()
            .unwrap()
            .author_ip
            .is_some()
    );
    app.clock.advance(SignedDuration::from_hours(24 * 31));
    app.node().jobs.wake();
    for _ in 0..100 {
        if app
            .store
            .comment(id)
            .await
            .unwrap()
            .unwrap()
            .author_ip
            .is_none()
        {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the daily job did not clear the address of a 31-day-old comment");
}

async fn staff_edit_and_reply_from_the_inbox(backend: Backend) {
    use gazette_core::Role;
    let Some(app) = app(backend, CommentPolicy::default()).await else {
        return;
    };
    let (article, path) = newest(&app).await;
    let held = comment_on(&app, article.id, "Is this tru?", "asker@reader.example").await;
    let editor = signed_in(&app, "Edna", Role::Editor).await;
    let (_, inbox) = page(&editor, &app, "/admin/comments/").await;
    let csrf = csrf_of(&inbox);

    let reply = post(
        &app,
        &editor,
        &format!("/admin/comments/{}/reply", held.0),
        &[
            ("csrf", csrf.as_str()),
            ("body", "Yes: see the *second* paragraph."),
        ],
    )
    .await;
    assert_eq!(reply.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.store.comment(held).await.unwrap().unwrap().status,
        CommentStatus::Approved,
        "replying approves"
    );

    let (status, edit_form) =
        page(&editor, &app, &format!("/admin/comments/{}/edit", held.0)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(edit_form.contains("Is this tru?"));
    let empty = post(
        &app,
        &editor,
        &format!("/admin/comments/{}/edit", held.0),
        &[
            ("csrf", csrf.as_str()),
            ("name", "Asker"),
            ("url", ""),
            ("body", "  "),
        ],
    )
    .await;
    assert_eq!(empty.status(), StatusCode::BAD_REQUEST);
    let fixed = post(
        &app,
        &editor,
        &format!("/admin/comments/{}/edit", held.0),
        &[
            ("csrf", csrf.as_str()),
            ("name", "Asker"),
            ("url", ""),
            ("body", "Is this true?"),
        ],
    )
    .await;
    assert_eq!(fixed.status(), StatusCode::SEE_OTHER);

    app.caught_up().await;
    let (_, public) = app.get_text(&path).await;
    assert!(public.contains("Is this true?") && !public.contains("Is this tru?"));
    assert!(public.contains("Yes: see the *second* paragraph."));
    assert!(public.contains(r#"<span class="staff-badge">Staff</span>"#));
    assert!(
        public.contains(r#"<ol class="children">"#),
        "the reply is threaded"
    );
    assert!(
        !public.contains("edna@example.org"),
        "staff emails are not published either"
    );
}

fn mails_to(sink: &gazette_testkit::smtp::SmtpSink, address: &str) -> Vec<String> {
    sink.messages()
        .into_iter()
        .filter(|m| m.to.iter().any(|to| to.eq_ignore_ascii_case(address)))
        .map(|m| m.text())
        .collect()
}

/// The path of the first `/comments/replies/` link in a message.
fn subscription_link(message: &str) -> String {
    let at = message
        .find("https://news.example.org/comments/replies/")
        .expect(message)
        + "https://news.example.org".len();
    message[at..].split_whitespace().next().unwrap().to_owned()
}

async fn wait_until(mut done: impl FnMut() -> bool) {
    for _ in 0..200 {
        if done() {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("timed out");
}

async fn reply_notifications_need_a_confirmed_subscription_and_go_once(backend: Backend) {
    let sink = gazette_testkit::smtp::SmtpSink::start().await;
    let publication = Publication {
        base_url: Some("https://news.example.org/".parse().unwrap()),
        comments: CommentPolicy {
            moderation: ModerationMode::ApproveClean,
            moderation_list: vec!["hold me".to_owned()],
            ..CommentPolicy::default()
        },
        ..Publication::sample()
    };
    let options = TestOptions {
        demo: true,
        publication: Some(publication),
        smtp_port: Some(sink.port),
        ..TestOptions::default()
    };
    let Some(app) = TestApp::spawn_with(backend, options).await else {
        return;
    };
    let (article, _) = newest(&app).await;
    let ann = "ann@subscriber.example";

    // A held comment asks for replies: nothing goes to its author until it is approved.
    let held = with(
        form(article.id, "Please hold me.", "held@subscriber.example"),
        "subscribe_replies",
        "yes",
    );
    let held = comment_in(&post(&app, &client(), "/comments/", &held).await);
    sink.wait_for(1).await; // the moderators' notice
    assert!(mails_to(&sink, "held@subscriber.example").is_empty());
    assert_eq!(
        app.store.comment(held).await.unwrap().unwrap().status,
        CommentStatus::Pending
    );

    // Ann's comment is published at once, so she is asked to confirm; opening the link
    // changes nothing, the button does.
    let asked = with(
        form(article.id, "Tell me of replies.", ann),
        "subscribe_replies",
        "yes",
    );
    let first = comment_in(&post(&app, &client(), "/comments/", &asked).await);
    wait_until(|| mails_to(&sink, ann).len() == 1).await;
    let link = subscription_link(&mails_to(&sink, ann)[0]);
    assert!(link.starts_with("/comments/replies/confirm."), "{link}");
    let (status, confirm_page) = app.get_text(&link).await;
    assert_eq!(status, StatusCode::OK);
    assert!(confirm_page.contains("Yes, email me replies"));
    let stored = |id| {
        let store = app.store.clone();
        async move { store.comment(id).await.unwrap().unwrap().reply_subscription }
    };
    assert_eq!(
        stored(first).await,
        gazette_core::ReplySubscription::Requested
    );
    let forged = link.replace("confirm.", "stop.");
    assert_eq!(app.get_text(&forged).await.0, StatusCode::NOT_FOUND);
    let confirmed = client().post(app.url(&link)).send().await.unwrap();
    assert_eq!(confirmed.status(), StatusCode::OK);
    assert_eq!(
        stored(first).await,
        gazette_core::ReplySubscription::Confirmed
    );

    // Bob replies: Ann hears of it once, even if the reply is unapproved and approved again.
    let reply = with(
        form(article.id, "Here is a reply.", "bob@replier.example"),
        "comment_parent",
        &first.0.to_string(),
    );
    let reply = comment_in(&post(&app, &client(), "/comments/", &reply).await);
    wait_until(|| mails_to(&sink, ann).len() == 2).await;
    let notice = mails_to(&sink, ann)[1].clone();
    assert!(
        notice.contains("Here is a reply.") && notice.contains(&format!("#comment-{}", reply.0)),
        "{notice}"
    );
    assert!(
        !notice.contains("bob@replier.example"),
        "the replier's address stays private"
    );
    let admin = client();
    let signed_in = app
        .sign_in(
            &admin,
            gazette_testkit::ADMIN_EMAIL,
            gazette_testkit::ADMIN_PASSWORD,
        )
        .await;
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER, "signed in");
    let (status, inbox) = page(&admin, &app, "/admin/comments/?status=all").await;
    assert_eq!(status, StatusCode::OK);
    let csrf = csrf_of(&inbox);
    for (action, status) in [
        ("unapprove", CommentStatus::Pending),
        ("approve", CommentStatus::Approved),
    ] {
        let moved = post(
            &app,
            &admin,
            "/admin/comments/",
            &[
                ("csrf", csrf.clone()),
                ("do", format!("{action}:{}", reply.0)),
            ],
        )
        .await;
        assert_eq!(moved.status(), StatusCode::SEE_OTHER, "{action}");
        assert_eq!(
            moved.headers()["location"],
            format!(
                "/admin/comments/?done=moved&to={}&changed=1&refused=0",
                status.as_str()
            )
            .as_str(),
            "{action} moved the reply"
        );
        assert_eq!(
            app.store.comment(reply).await.unwrap().unwrap().status,
            status,
            "{action}"
        );
    }
    mail_queue_flushed(&app, &sink, article.id, "first-sentinel@subscriber.example").await;
    assert_eq!(mails_to(&sink, ann).len(), 2, "one notice per reply");

    // The stop link in the notice ends it.
    let stop = subscription_link(&notice);
    assert!(stop.starts_with("/comments/replies/stop."), "{stop}");
    let stopped = client().post(app.url(&stop)).send().await.unwrap();
    assert_eq!(stopped.status(), StatusCode::OK);
    assert_eq!(stored(first).await, gazette_core::ReplySubscription::None);
    let again = with(
        form(article.id, "Another reply.", "carl@replier.example"),
        "comment_parent",
        &first.0.to_string(),
    );
    let again = comment_in(&post(&app, &client(), "/comments/", &again).await);
    assert_eq!(
        app.store.comment(again).await.unwrap().unwrap().status,
        CommentStatus::Approved,
        "published at once, so it would have been a notice"
    );
    mail_queue_flushed(
        &app,
        &sink,
        article.id,
        "second-sentinel@subscriber.example",
    )
    .await;
    assert_eq!(mails_to(&sink, ann).len(), 2, "no mail after stopping");
}

/// Returns once every mail enqueued before the call has been delivered: a new top-level
/// comment from `address` that asks for replies is published at once, so its author is asked
/// to confirm, and the one job runner sends mail in the order it was enqueued.
async fn mail_queue_flushed(
    app: &TestApp,
    sink: &gazette_testkit::smtp::SmtpSink,
    article: ArticleId,
    address: &str,
) {
    let asked = with(
        form(article, &format!("A sentinel from {address}."), address),
        "subscribe_replies",
        "yes",
    );
    let sentinel = comment_in(&post(app, &client(), "/comments/", &asked).await);
    assert_eq!(
        app.store.comment(sentinel).await.unwrap().unwrap().status,
        CommentStatus::Approved,
        "the sentinel is published at once"
    );
    wait_until(|| mails_to(sink, address).len() == 1).await;
}

async fn administrators_set_the_comment_policy(backend: Backend) {
    use gazette_core::Role;
    let Some(app) = app(backend, CommentPolicy::default()).await else {
        return;
    };
    let editor = signed_in(&app, "Edna", Role::Editor).await;
    assert_eq!(
        page(&editor, &app, "/admin/settings/comments").await.0,
        StatusCode::FORBIDDEN
    );

    let admin = client();
    app.sign_in(
        &admin,
        gazette_testkit::ADMIN_EMAIL,
        gazette_testkit::ADMIN_PASSWORD,
    )
    .await;
    let (status, form_page) = page(&admin, &app, "/admin/settings/comments").await;
    assert_eq!(status, StatusCode::OK);
    assert!(form_page.contains(r#"value="trust_approved" checked"#));
    let csrf = csrf_of(&form_page);
    let fields = vec![
        ("csrf", csrf.as_str()),
        ("enabled", "1"),
        ("moderation", "hold_all"),
        ("max_links", "1"),
        ("min_seconds", "5"),
        ("moderation_list", "casino\n\n203.0.113.0/24\n"),
        ("block_list", ""),
        ("per_page", "20"),
        ("close_after_days", "14"),
        ("anonymise_ip_after_days", "10"),
        ("privacy_page", "/about/"),
    ];
    let bad = [fields.clone(), vec![("thread_depth", "zero")]].concat();
    let refused = post(&app, &admin, "/admin/settings/comments", &bad).await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("Give a whole number from 1 to 10.")
    );
    let good = [fields, vec![("thread_depth", "3")]].concat();
    let saved = post(&app, &admin, "/admin/settings/comments", &good).await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);

    let policy = app.store.publication().await.unwrap().unwrap().comments;
    assert_eq!(policy.moderation, ModerationMode::HoldAll);
    assert_eq!(policy.moderation_list, ["casino", "203.0.113.0/24"]);
    assert_eq!(
        (
            policy.thread_depth,
            policy.per_page,
            policy.close_after_days
        ),
        (3, 20, Some(14))
    );
    assert_eq!(policy.privacy_page.as_deref(), Some("/about/"));
    assert!(!policy.notify_moderators);

    // The site follows at once: the form links the new privacy page.
    app.caught_up().await;
    let (_, path) = newest(&app).await;
    let (_, html) = app.get_text(&path).await;
    assert!(html.contains(r#"<p class="comment-privacy"><a href="/about/">"#));
}

async fn nobody_passes_for_a_known_commenter_or_for_staff(backend: Backend) {
    use gazette_core::Role;
    let Some(app) = app(backend, CommentPolicy::default()).await else {
        return;
    };
    let (article, _) = newest(&app).await;
    let known = comment_on(&app, article.id, "I am known.", "known@reader.example").await;
    set_status(&app, known, CommentStatus::Approved).await;
    // The same email under another name is not the same commenter.
    let posing = with(
        form(article.id, "Me again.", "known@reader.example"),
        "author",
        "Someone Else",
    );
    let posing = comment_in(&post(&app, &client(), "/comments/", &posing).await);
    assert_eq!(
        app.store.comment(posing).await.unwrap().unwrap().status,
        CommentStatus::Pending
    );
    // A staff member's address from the public form is held, whatever the policy.
    app.add_staff("Edna", Role::Editor, "a long enough password")
        .await;
    let staff = with(
        form(article.id, "Official statement.", "edna@example.org"),
        "author",
        "Edna",
    );
    let staff = comment_in(&post(&app, &client(), "/comments/", &staff).await);
    let stored = app.store.comment(staff).await.unwrap().unwrap();
    assert_eq!(stored.status, CommentStatus::Pending);
    assert!(
        stored.reasons.iter().any(|r| r.contains("member of staff")),
        "{:?}",
        stored.reasons
    );
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
