//! The REST API with its database gone: 503 with `Retry-After`.

use gazette_core::Role;
use gazette_testkit::{Backend, TestApp, TestOptions};
use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{Writer, published_article};

/// With the database gone, a write and a read answer 503 with `Retry-After`, as WordPress's
/// JSON and as the themed page: the client may retry, and nothing claims our code failed.
async fn a_lost_database_answers_503_with_retry_after(backend: Backend) {
    let Some(app) = TestApp::spawn_with(
        backend,
        TestOptions {
            demo: true,
            no_page_cache: true,
            ..TestOptions::default()
        },
    )
    .await
    else {
        return;
    };
    let writer = Writer::with_role(&app, Role::Administrator).await;
    let article = published_article(&app).await;
    let page = app.published_path(article).await;
    app.store.close().await;

    let url = format!("http://{}/wp-json/wp/v2/posts", app.address);
    let response = app
        .client
        .post(&url)
        .basic_auth(&writer.user, Some(&writer.secret))
        .json(&json!({ "title": "During the outage", "status": "draft" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(response.headers()["retry-after"], "5");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["code"], "rest_unavailable", "{body}");
    assert_eq!(body["data"]["status"], 503, "{body}");

    let response = app.get(&page).await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(response.headers()["retry-after"], "5");
}

#[tokio::test]
async fn a_lost_database_answers_503_with_retry_after_on_sqlite() {
    a_lost_database_answers_503_with_retry_after(Backend::Sqlite).await;
}

#[tokio::test]
#[cfg_attr(
    not(gazette_test_database_url),
    ignore = "needs GAZETTE_TEST_DATABASE_URL (see README)"
)]
async fn a_lost_database_answers_503_with_retry_after_on_postgres() {
    a_lost_database_answers_503_with_retry_after(Backend::Postgres).await;
}
