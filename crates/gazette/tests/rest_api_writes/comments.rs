//! Readers' comments sent by apps through the REST API, and their moderation.

use gazette_core::{CommentId, CommentStatus, Role};
use gazette_testkit::{Backend, TestApp, TestOptions};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::{Writer, anonymous, answer, published_article};

/// Apps post readers' comments through the form's defences, always held; moderators see
/// emails and addresses in `context=edit`, approve, correct, reply, trash and delete.
async fn comments_are_posted_and_moderated(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let article = published_article(&app).await;
    let reader = json!({
        "post": article.0,
        "author_name": "Ada Reader",
        "author_email": "ada@example.org",
        "author_url": "https://ada.example.org/",
        "content": "A thoughtful reply, sent from an app.",
    });
    let (status, created) = anonymous(
        &app,
        Method::POST,
        "/wp-json/wp/v2/comments",
        reader.clone(),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["status"], "hold", "{created}");
    assert_eq!(created["author_name"], "Ada Reader");
    assert!(created.get("author_email").is_none(), "{created}");
    let id = created["id"].as_i64().unwrap();
    let stored = app.store.comment(CommentId(id)).await.unwrap().unwrap();
    assert_eq!(stored.status, CommentStatus::Pending);
    assert!(
        stored.reasons.iter().any(|r| r.contains("REST API")),
        "{:?}",
        stored.reasons
    );
    assert_eq!(stored.author_ip.as_deref(), Some("127.0.0.1"));
    // Held: not for readers, not listed.
    let (status, _) = answer(app.client.get(format!(
        "http://{}/wp-json/wp/v2/comments/{id}",
        app.address
    )))
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // The same comment sent again is the same comment, not a second one.
    let (status, again) = anonymous(
        &app,
        Method::POST,
        "/wp-json/wp/v2/comments",
        reader.clone(),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(again["id"], id);

    // What the form refuses, the API refuses, in WordPress's words.
    let with = |change: Value| {
        let mut body = reader.clone();
        for (key, value) in change.as_object().unwrap() {
            body[key] = value.clone();
        }
        body
    };
    for (body, status, code) in [
        (
            with(json!({ "content": "  " })),
            400,
            "rest_comment_content_invalid",
        ),
        (
            with(json!({ "author_email": "" })),
            400,
            "rest_invalid_param",
        ),
        (
            with(json!({ "author_email": "not an email" })),
            400,
            "rest_invalid_param",
        ),
        (
            with(json!({ "author_url": "javascript:alert(1)" })),
            400,
            "rest_invalid_param",
        ),
        (
            with(json!({ "post": 999_999 })),
            403,
            "rest_comment_invalid_post_id",
        ),
        (with(json!({ "post": "first" })), 400, "rest_invalid_param"),
        (
            json!({ "content": "Where?" }),
            403,
            "rest_comment_invalid_post_id",
        ),
        (
            with(json!({ "status": "approved" })),
            401,
            "rest_comment_invalid_author",
        ),
    ] {
        let (got, answer) =
            anonymous(&app, Method::POST, "/wp-json/wp/v2/comments", body.clone()).await;
        assert_eq!(got.as_u16(), status, "{body} → {answer}");
        assert_eq!(answer["code"], code, "{body} → {answer}");
    }
    let (_, missing) = anonymous(
        &app,
        Method::POST,
        "/wp-json/wp/v2/comments",
        with(json!({ "author_email": "" })),
    )
    .await;
    assert!(
        missing["data"]["params"]["author_email"].is_string(),
        "{missing}"
    );

    // A moderator sees what readers do not, and publishes it.
    let editor = Writer::with_role(&app, Role::Administrator).await;
    let path = format!("/wp-json/wp/v2/comments/{id}");
    let (status, edit) = editor
        .send(Method::GET, &format!("{path}?context=edit"), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{edit}");
    assert_eq!(edit["author_email"], "ada@example.org");
    assert_eq!(edit["author_ip"], "127.0.0.1");
    assert_eq!(
        edit["content"]["raw"],
        "A thoughtful reply, sent from an app."
    );
    let (status, _) = answer(
        app.client
            .get(format!("http://{}{path}?context=edit", app.address)),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, approved) = editor
        .send(Method::POST, &path, Some(json!({ "status": "approved" })))
        .await;
    assert_eq!(status, StatusCode::OK, "{approved}");
    assert_eq!(approved["status"], "approved");
    let (status, public) = answer(app.client.get(format!("http://{}{path}", app.address))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(public.get("author_email").is_none() && public.get("author_ip").is_none());
    let (status, _) = editor
        .send(Method::PATCH, &path, Some(json!({ "status": "sideways" })))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, corrected) = editor
        .send(
            Method::PUT,
            &path,
            Some(json!({ "content": "A thoughtful reply, corrected." })),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        corrected["content"]["raw"],
        "A thoughtful reply, corrected."
    );

    // A moderator's own comment is published at once, under their name.
    let (status, reply) = editor
        .send(
            Method::POST,
            "/wp-json/wp/v2/comments",
            Some(json!({ "post": article.0, "parent": id, "content": "Thank you." })),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{reply}");
    assert_eq!(reply["status"], "approved");
    assert_eq!(reply["author"], editor.person.id.0);
    assert_eq!(reply["parent"], id);
    let reply_id = reply["id"].as_i64().unwrap();

    // Trash, then delete for good: the reply moves up to the top of the thread.
    let (status, trashed) = editor.send(Method::DELETE, &path, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(trashed["status"], "trash");
    let (status, deleted) = editor
        .send(Method::DELETE, &format!("{path}?force=true"), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(deleted["deleted"], true);
    assert_eq!(deleted["previous"]["id"], id);
    assert!(app.store.comment(CommentId(id)).await.unwrap().is_none());
    let moved = app
        .store
        .comment(CommentId(reply_id))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(moved.parent, None);

    // Nobody else moderates.
    let (status, refused) = anonymous(
        &app,
        Method::POST,
        &format!("/wp-json/wp/v2/comments/{reply_id}"),
        json!({ "status": "spam" }),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(refused["code"], "rest_cannot_edit");
    let (status, _) = editor
        .send(Method::GET, "/wp-json/wp/v2/comments/999999", None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn comments_are_posted_and_moderated_on_sqlite() {
    comments_are_posted_and_moderated(Backend::Sqlite).await;
}

#[tokio::test]
#[cfg_attr(
    not(gazette_test_database_url),
    ignore = "needs GAZETTE_TEST_DATABASE_URL (see README)"
)]
async fn comments_are_posted_and_moderated_on_postgres() {
    comments_are_posted_and_moderated(Backend::Postgres).await;
}

/// With the setting off, apps cannot post readers' comments; the form still works.
#[tokio::test]
async fn anonymous_api_comments_can_be_turned_off() {
    let publication = gazette_core::Publication {
        comments: gazette_core::CommentPolicy {
            api_comments: false,
            ..gazette_core::CommentPolicy::default()
        },
        ..gazette_core::Publication::sample()
    };
    let options = TestOptions {
        demo: true,
        publication: Some(publication),
        ..TestOptions::default()
    };
    let Some(app) = TestApp::spawn_with(Backend::Sqlite, options).await else {
        return;
    };
    let article = published_article(&app).await;
    let (status, refused) = anonymous(
        &app,
        Method::POST,
        "/wp-json/wp/v2/comments",
        json!({ "post": article.0, "author_name": "A", "author_email": "a@example.org", "content": "Hi" }),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(refused["code"], "rest_comment_login_required");
}
