//! `context=edit` in the REST API: raw fields only for those who may edit what is listed.

use gazette_core::{ArticleId, Role};
use gazette_testkit::{Backend, TestApp};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::{Writer, anonymous, published_article};

/// `context=edit` lists show raw fields (and commenters' emails) to those who may edit what
/// is listed, and only that.
async fn edit_context_is_for_those_who_may_edit(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let editor = Writer::with_role(&app, Role::Administrator).await;
    let author = Writer::with_role(&app, Role::Author).await;
    let (status, posts) = editor
        .send(
            Method::GET,
            "/wp-json/wp/v2/posts?context=edit&per_page=100",
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{posts}");
    assert!(posts[0]["content"]["raw"].is_string());
    let (status, own) = author
        .send(
            Method::GET,
            "/wp-json/wp/v2/posts?context=edit&per_page=100",
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(own.as_array().unwrap().len() < posts.as_array().unwrap().len());
    for post in own.as_array().unwrap() {
        let id = ArticleId(post["id"].as_i64().unwrap());
        let stored = app.store.article(id).await.unwrap().unwrap();
        assert!(stored.authors.contains(&author.person.id), "{post}");
    }
    let (status, _) = anonymous(
        &app,
        Method::GET,
        "/wp-json/wp/v2/posts?context=edit",
        json!({}),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    let article = published_article(&app).await;
    let (status, _) = anonymous(
        &app,
        Method::POST,
        "/wp-json/wp/v2/comments",
        json!({ "post": article.0, "author_name": "Ada", "author_email": "ada@example.org", "content": "Hello." }),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, _) = editor
        .send(
            Method::POST,
            "/wp-json/wp/v2/comments",
            Some(json!({ "post": article.0, "content": "Welcome." })),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, comments) = editor
        .send(Method::GET, "/wp-json/wp/v2/comments?context=edit", None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(comments[0]["author_email"].is_string(), "{comments}");
    // Signed in but not allowed: 403, as WordPress answers once a client has signed in.
    let (status, _) = author
        .send(Method::GET, "/wp-json/wp/v2/comments?context=edit", None)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, public) = anonymous(&app, Method::GET, "/wp-json/wp/v2/comments", json!({})).await;
    assert!(public[0].get("author_email").is_none());

    let (status, draft) = editor
        .send(
            Method::POST,
            "/wp-json/wp/v2/pages",
            Some(json!({ "title": "Coming soon" })),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let path = format!("/wp-json/wp/v2/pages/{}", draft["id"]);
    let (status, seen) = editor
        .send(Method::GET, &format!("{path}?context=edit"), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(seen["title"]["raw"], "Coming soon");
    assert_eq!(seen["status"], "draft");
    let (status, _) = anonymous(&app, Method::GET, &path, json!({})).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = author
        .send(Method::GET, &format!("{path}?context=edit"), None)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Their own account, with WordPress's names for what they may do.
    let (status, me) = author
        .send(Method::GET, "/wp-json/wp/v2/users/me?context=edit", None)
        .await;
    assert_eq!(status, StatusCode::OK, "{me}");
    assert_eq!(me["roles"], json!(["author"]));
    assert_eq!(me["capabilities"]["publish_posts"], true);
    assert!(me["capabilities"].get("moderate_comments").is_none());
    assert_eq!(me["email"], author.user);

    // Terms: for those who manage them. Media: raw fields for those who may upload.
    let (status, _) = editor
        .send(Method::GET, "/wp-json/wp/v2/categories?context=edit", None)
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = author
        .send(Method::GET, "/wp-json/wp/v2/tags?context=edit", None)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let upload = app
        .client
        .post(format!("http://{}/wp-json/wp/v2/media", app.address))
        .basic_auth(&editor.user, Some(&editor.secret))
        .header("content-disposition", "attachment; filename=tram.png")
        .body(gazette_media::fixtures::plain_png(40, 30))
        .send()
        .await
        .unwrap();
    let uploaded: Value = serde_json::from_str(&upload.text().await.unwrap()).unwrap();
    let path = format!("/wp-json/wp/v2/media/{}?context=edit", uploaded["id"]);
    let (status, media) = editor.send(Method::GET, &path, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(media["title"]["raw"], "tram");
    let (status, _) = anonymous(&app, Method::GET, &path, json!({})).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn edit_context_is_for_those_who_may_edit_on_sqlite() {
    edit_context_is_for_those_who_may_edit(Backend::Sqlite).await;
}

#[tokio::test]
#[cfg_attr(
    not(gazette_test_database_url),
    ignore = "needs GAZETTE_TEST_DATABASE_URL (see README)"
)]
async fn edit_context_is_for_those_who_may_edit_on_postgres() {
    edit_context_is_for_those_who_may_edit(Backend::Postgres).await;
}
