//! Writing through the WordPress REST API, over HTTP: readers' comments sent by apps,
//! moderation, and posts, pages and media changed with an application password.
//!
//! The tests are in one module per topic; the API client they share is here.

use gazette_core::{ArticleId, Person, Role, Status};
use gazette_testkit::TestApp;
use reqwest::{Method, StatusCode};
use serde_json::Value;

#[path = "rest_api_writes/app_passwords.rs"]
mod app_passwords;
#[path = "rest_api_writes/bad_input.rs"]
mod bad_input;
#[path = "rest_api_writes/comments.rs"]
mod comments;
#[path = "rest_api_writes/edit_context.rs"]
mod edit_context;
#[path = "rest_api_writes/idempotency.rs"]
mod idempotency;
#[path = "rest_api_writes/media.rs"]
mod media;
#[path = "rest_api_writes/outages.rs"]
mod outages;
#[path = "rest_api_writes/pages.rs"]
mod pages;
#[path = "rest_api_writes/posts.rs"]
mod posts;
#[path = "rest_api_writes/review_findings.rs"]
mod review_findings;
#[path = "rest_api_writes/site.rs"]
mod site;

/// A signed-in API client: one person's application password over HTTP Basic.
struct Writer<'a> {
    app: &'a TestApp,
    user: String,
    secret: String,
    person: Person,
}

impl<'a> Writer<'a> {
    async fn with_role(app: &'a TestApp, role: Role) -> Self {
        let person = app
            .store
            .people()
            .await
            .unwrap()
            .into_iter()
            .find(|p| p.role == role)
            .unwrap();
        Self::of(app, person).await
    }

    async fn new_staff(app: &'a TestApp, name: &str, role: Role) -> Self {
        let person = app.add_staff(name, role, "a long password").await;
        Self::of(app, person).await
    }

    async fn of(app: &'a TestApp, person: Person) -> Self {
        let (_, secret) = gazette_newsroom::app_passwords::create(&app.store, person.id, "tests")
            .await
            .unwrap();
        Self {
            app,
            user: person.email.as_str().to_owned(),
            secret,
            person,
        }
    }

    async fn send(&self, method: Method, path: &str, body: Option<Value>) -> (StatusCode, Value) {
        let url = format!("http://{}{path}", self.app.address);
        let mut request = self
            .app
            .client
            .request(method, &url)
            .basic_auth(&self.user, Some(&self.secret));
        if let Some(body) = body {
            request = request.json(&body);
        }
        answer(request).await
    }
}

async fn answer(request: reqwest::RequestBuilder) -> (StatusCode, Value) {
    let response = request.send().await.unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    let body = serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON: {text}"));
    (status, body)
}

/// An anonymous request with a JSON body.
async fn anonymous(app: &TestApp, method: Method, path: &str, body: Value) -> (StatusCode, Value) {
    let url = format!("http://{}{path}", app.address);
    answer(app.client.request(method, &url).json(&body)).await
}

async fn published_article(app: &TestApp) -> ArticleId {
    app.store
        .articles_with_status(Status::Published, 1)
        .await
        .unwrap()
        .first()
        .unwrap()
        .id
}
