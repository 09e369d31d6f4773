//! Pages written through the REST API by those who manage them.

use gazette_core::Role;
use gazette_testkit::{Backend, TestApp};
use reqwest::{Method, StatusCode};
use serde_json::json;

use super::Writer;

/// Pages are written by those who manage them, at their addresses, and deleted for good.
async fn pages_are_written_by_their_managers(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let editor = Writer::with_role(&app, Role::Administrator).await;
    let (status, page) = editor
        .send(
            Method::POST,
            "/wp-json/wp/v2/pages",
            Some(json!({ "title": "Corrections policy", "content": "<p>We correct.</p>", "status": "publish" })),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{page}");
    assert_eq!(page["status"], "publish");
    assert_eq!(page["slug"], "corrections-policy");
    let id = page["id"].as_i64().unwrap();
    app.caught_up().await;
    let (status, html) = app.get_text("/corrections-policy/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("We correct."), "{html}");

    let path = format!("/wp-json/wp/v2/pages/{id}");
    let (status, moved) = editor
        .send(Method::PATCH, &path, Some(json!({ "slug": "corrections" })))
        .await;
    assert_eq!(status, StatusCode::OK, "{moved}");
    assert_eq!(moved["content"]["raw"], "<p>We correct.</p>");
    app.caught_up().await;
    assert_eq!(
        app.get("/corrections-policy/").await.status(),
        StatusCode::MOVED_PERMANENTLY
    );

    for (body, code) in [
        (json!({ "status": "pending" }), "rest_invalid_param"),
        (json!({ "parent": id }), "rest_invalid_param"),
        (json!({ "title": "" }), "rest_invalid_param"),
    ] {
        let (status, error) = editor.send(Method::PUT, &path, Some(body.clone())).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body} → {error}");
        assert_eq!(error["code"], code);
    }
    let author = Writer::with_role(&app, Role::Author).await;
    let (status, refused) = author
        .send(
            Method::POST,
            "/wp-json/wp/v2/pages",
            Some(json!({ "title": "Mine" })),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(refused["code"], "rest_cannot_create");

    let (status, refused) = editor.send(Method::DELETE, &path, None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(refused["code"], "rest_trash_not_supported");
    let (status, deleted) = editor
        .send(Method::DELETE, &format!("{path}?force=true"), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(deleted["deleted"], true);
    app.caught_up().await;
    let (status, _) = editor.send(Method::GET, &path, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn pages_are_written_by_their_managers_on_sqlite() {
    pages_are_written_by_their_managers(Backend::Sqlite).await;
}

#[tokio::test]
#[cfg_attr(
    not(gazette_test_database_url),
    ignore = "needs GAZETTE_TEST_DATABASE_URL (see README)"
)]
async fn pages_are_written_by_their_managers_on_postgres() {
    pages_are_written_by_their_managers(Backend::Postgres).await;
}
