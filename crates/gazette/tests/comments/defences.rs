//! The defences: bad input gets named errors and the form back, spam never reaches the page,
//! and floods are limited per address.

use gazette_core::{CommentPolicy, CommentStatus, ModerationMode};
use gazette_store::CommentFilter;
use gazette_testkit::{Backend, TestOptions, client};
use jiff::SignedDuration;
use reqwest::StatusCode;

use super::{app, form, newest, page, post, with};

gazette_testkit::on_both_backends!(
    bad_input_gets_named_errors_and_the_form_back,
    spam_never_reaches_the_page,
    floods_are_limited_per_address,
);

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
