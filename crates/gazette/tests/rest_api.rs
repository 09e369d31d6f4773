//! The WordPress REST API's first slice, spoken to over HTTP: discovery, posts, pages,
//! categories, tags and users in WordPress's shapes, its paging headers and its errors.
//!
//! The tests are in one module per topic; the helpers they share are here.

use gazette_testkit::TestApp;
use reqwest::StatusCode;
use serde_json::Value;

#[path = "rest_api/cache.rs"]
mod cache;
#[path = "rest_api/clients.rs"]
mod clients;
#[path = "rest_api/reads.rs"]
mod reads;
#[path = "rest_api/work.rs"]
mod work;
#[path = "rest_api/writes.rs"]
mod writes;

async fn json(app: &TestApp, path: &str) -> (StatusCode, reqwest::header::HeaderMap, Value) {
    let response = app.get(path).await;
    let status = response.status();
    let headers = response.headers().clone();
    let body: Value = serde_json::from_str(&response.text().await.unwrap()).unwrap();
    (status, headers, body)
}

async fn administrator(app: &TestApp) -> gazette_core::Person {
    app.store
        .people()
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.role == gazette_core::Role::Administrator)
        .unwrap()
}

fn comment(
    article: gazette_core::ArticleId,
    status: gazette_core::CommentStatus,
    body: &str,
) -> gazette_store::NewComment {
    gazette_store::NewComment {
        article,
        parent: None,
        answered: None,
        depth: 0,
        status,
        kind: gazette_core::CommentKind::Comment,
        author_name: "Reader".into(),
        author_email: "reader@example.org".into(),
        author_url: String::new(),
        author_ip: Some("192.0.2.7".into()),
        user_agent: String::new(),
        person: None,
        body: body.into(),
        body_html: gazette_render::render_comment(body),
        score: 0,
        reasons: Vec::new(),
        submission_key: None,
        wants_replies: false,
        commenter_key: None,
    }
}
