//! Reader comments over HTTP on both backends: the form and its promise, moderation on the
//! public page, threads and comment pages, the spam defences, bad input, notifications, and
//! the privacy crawl that proves no commenter's email (or a hash of it) is ever published.
//!
//! The tests are in one module per topic; the helpers they share are here.

use gazette_core::{Article, ArticleId, CommentId, CommentPolicy, CommentStatus, Publication};
use gazette_store::ArticleFilter;
use gazette_testkit::{Backend, TestApp, TestOptions, client};
use reqwest::StatusCode;

#[path = "comments/defences.rs"]
mod defences;
#[path = "comments/inbox.rs"]
mod inbox;
#[path = "comments/notifications.rs"]
mod notifications;
#[path = "comments/privacy.rs"]
mod privacy;
#[path = "comments/submitting.rs"]
mod submitting;
#[path = "comments/threads.rs"]
mod threads;

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

async fn signed_in(app: &TestApp, name: &str, role: gazette_core::Role) -> reqwest::Client {
    let password = "a long enough password";
    let person = app.add_staff(name, role, password).await;
    let http = client();
    let response = app.sign_in(&http, person.email.as_str(), password).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "{name} signs in");
    http
}
