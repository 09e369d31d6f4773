//! Bad input to the REST API's write routes, naughty strings included: refused with a 4xx or
//! stored, never a server error.

use gazette_core::Role;
use gazette_testkit::{Backend, TestApp};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::{Writer, anonymous, published_article};

/// Every write route answers bad input with WordPress's error body and a 4xx: malformed
/// JSON, bodies too large, wrong types (the Big List of Naughty Strings in every text field is
/// [`naughty_strings_are_stored_or_refused_never_a_server_error`]). Nothing is a 5xx.
async fn bad_input_is_refused_never_a_server_error(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let editor = Writer::with_role(&app, Role::Administrator).await;
    let article = published_article(&app).await;
    let (_, comment) = editor
        .send(
            Method::POST,
            "/wp-json/wp/v2/comments",
            Some(json!({ "post": article.0, "content": "A note." })),
        )
        .await;
    let comment = comment["id"].as_i64().unwrap();
    let section = app.store.sections().await.unwrap()[0].id.0;
    let tag = app.store.tags().await.unwrap()[0].id.0;
    let page = app.store.pages().await.unwrap()[0].id.0;
    let writes: Vec<(Method, String)> = vec![
        (Method::POST, "/wp-json/wp/v2/posts".into()),
        (Method::PUT, format!("/wp-json/wp/v2/posts/{}", article.0)),
        (Method::POST, "/wp-json/wp/v2/pages".into()),
        (Method::PATCH, format!("/wp-json/wp/v2/pages/{page}")),
        (Method::POST, "/wp-json/wp/v2/comments".into()),
        (Method::POST, format!("/wp-json/wp/v2/comments/{comment}")),
        (Method::POST, "/wp-json/wp/v2/categories".into()),
        (Method::POST, format!("/wp-json/wp/v2/categories/{section}")),
        (Method::POST, "/wp-json/wp/v2/tags".into()),
        (Method::PUT, format!("/wp-json/wp/v2/tags/{tag}")),
        (Method::POST, "/wp-json/wp/v2/settings".into()),
    ];
    let url = |path: &str| format!("http://{}{path}", app.address);
    let huge = "x".repeat(5 << 20);
    let wrong_types = json!({
        "title": 5, "content": [1], "status": {}, "post": "first", "parent": "none",
        "categories": "a,b", "tags": [true], "name": 7, "slug": false, "sticky": "perhaps",
        "date": 12, "author_email": [], "description": {}, "featured_media": "image",
    });
    for (method, path) in &writes {
        for (what, body) in [
            ("malformed JSON", "{\"title\":".to_owned()),
            ("a JSON array", "[1, 2]".to_owned()),
            ("a body too large", format!("{{\"title\":\"{huge}\"}}")),
            ("wrong types", wrong_types.to_string()),
        ] {
            let response = app
                .client
                .request(method.clone(), url(path))
                .basic_auth(&editor.user, Some(&editor.secret))
                .header("content-type", "application/json")
                .body(body)
                .send()
                .await
                .unwrap();
            let status = response.status();
            let error: Value = serde_json::from_str(&response.text().await.unwrap()).unwrap();
            assert!(
                status.is_client_error(),
                "{method} {path} with {what}: {status} {error}"
            );
            assert!(
                error["code"].is_string() && error["data"]["status"] == status.as_u16(),
                "{error}"
            );
        }
    }
    let media = app
        .client
        .post(url("/wp-json/wp/v2/media"))
        .basic_auth(&editor.user, Some(&editor.secret))
        .header("content-disposition", "attachment; filename=huge.png")
        .body(vec![0u8; 30 << 20])
        .send()
        .await
        .unwrap();
    assert_eq!(media.status(), StatusCode::PAYLOAD_TOO_LARGE);
}

/// Naughty strings are text like any other: in every text field of posts, comments (staff's
/// and anonymous) and tags, and in a search, they are stored or refused, never a 5xx.
async fn naughty_strings_are_stored_or_refused_never_a_server_error(backend: Backend) {
    let Some(strings) = gazette_testkit::corpora::naughty_strings() else {
        return;
    };
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let editor = Writer::with_role(&app, Role::Administrator).await;
    let article = published_article(&app).await;
    let url = |path: &str| format!("http://{}{path}", app.address);
    for (n, text) in strings.iter().enumerate().step_by(7) {
        for (method, path, body) in [
            (
                Method::POST,
                "/wp-json/wp/v2/posts".to_owned(),
                json!({ "title": text, "content": text, "excerpt": text, "slug": text }),
            ),
            (
                Method::POST,
                "/wp-json/wp/v2/comments".to_owned(),
                json!({ "post": article.0, "content": text }),
            ),
            (
                Method::POST,
                "/wp-json/wp/v2/tags".to_owned(),
                json!({ "name": format!("{text} {n}"), "description": text }),
            ),
        ] {
            let (status, answer) = editor.send(method, &path, Some(body)).await;
            assert!(!status.is_server_error(), "{path} with {text:?}: {answer}");
        }
        let (status, answer) = anonymous(
            &app,
            Method::POST,
            "/wp-json/wp/v2/comments",
            json!({ "post": article.0, "author_name": text, "author_email": "n@example.org", "author_url": text, "content": text }),
        )
        .await;
        assert!(
            !status.is_server_error(),
            "anonymous comment {text:?}: {answer}"
        );
        let query: String = url::form_urlencoded::byte_serialize(text.as_bytes()).collect();
        let listed = app
            .client
            .get(url(&format!(
                "/wp-json/wp/v2/posts?search={query}&slug={query}&before={query}"
            )))
            .send()
            .await
            .unwrap();
        assert!(!listed.status().is_server_error(), "search {text:?}");
    }
}

#[tokio::test]
async fn bad_input_is_refused_never_a_server_error_on_sqlite() {
    bad_input_is_refused_never_a_server_error(Backend::Sqlite).await;
}

#[tokio::test]
#[cfg_attr(
    not(gazette_test_database_url),
    ignore = "needs GAZETTE_TEST_DATABASE_URL (see README)"
)]
async fn bad_input_is_refused_never_a_server_error_on_postgres() {
    bad_input_is_refused_never_a_server_error(Backend::Postgres).await;
}

#[tokio::test]
#[cfg_attr(
    not(gazette_test_blns),
    ignore = "needs GAZETTE_TEST_BLNS (see README)"
)]
async fn naughty_strings_are_stored_or_refused_never_a_server_error_on_sqlite() {
    naughty_strings_are_stored_or_refused_never_a_server_error(Backend::Sqlite).await;
}

#[tokio::test]
#[cfg_attr(
    not(all(gazette_test_database_url, gazette_test_blns)),
    ignore = "needs GAZETTE_TEST_DATABASE_URL and GAZETTE_TEST_BLNS (see README)"
)]
async fn naughty_strings_are_stored_or_refused_never_a_server_error_on_postgres() {
    naughty_strings_are_stored_or_refused_never_a_server_error(Backend::Postgres).await;
}
