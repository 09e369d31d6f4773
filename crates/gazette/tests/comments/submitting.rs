//! The form and its promise: a first comment waits for moderation and only its author sees
//! it, a known commenter's token publishes at once, a double submit finds the first comment,
//! and nobody passes for a known commenter or for staff.

use gazette_core::{CommentPolicy, CommentStatus};
use gazette_store::CommentFilter;
use gazette_testkit::{Backend, TestApp, client};
use jiff::SignedDuration;
use reqwest::StatusCode;

use super::{app, avatar_of, comment_in, comment_on, form, newest, page, post, set_status, with};

gazette_testkit::on_both_backends!(
    a_first_comment_waits_for_moderation_and_only_its_author_sees_it,
    a_known_commenter_with_a_token_is_published_at_once,
    a_double_submit_finds_the_first_comment,
    nobody_passes_for_a_known_commenter_or_for_staff,
);

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
