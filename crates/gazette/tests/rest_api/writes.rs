//! Writes need an application password, checked; bad bodies get WordPress's errors.

use gazette_core::Status;
use gazette_testkit::{Backend, TestApp};
use reqwest::StatusCode;
use serde_json::Value;

use super::administrator;

/// Writes need an application password, checked; bad bodies get WordPress's errors.
async fn writes_need_an_application_password(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let admin = administrator(&app).await;
    let (_, secret) = gazette_newsroom::app_passwords::create(&app.store, admin.id, "script")
        .await
        .unwrap();
    let url = format!("http://{}/wp-json/wp/v2/posts", app.address);
    let post = |user: &str, password: &str, body: &str| {
        app.client
            .post(&url)
            .basic_auth(user, Some(password))
            .header("content-type", "application/json")
            .body(body.to_owned())
    };
    let email = admin.email.as_str();
    for (request, status, code) in [
        (
            app.client.post(&url).body("{\"title\":\"x\"}"),
            StatusCode::UNAUTHORIZED,
            "rest_cannot_create",
        ),
        (
            post(email, "wrong password", "{\"title\":\"x\"}"),
            StatusCode::UNAUTHORIZED,
            "incorrect_password",
        ),
        (
            post("somebody-else", &secret, "{\"title\":\"x\"}"),
            StatusCode::UNAUTHORIZED,
            "invalid_username",
        ),
        (
            post(email, &secret, "{not json"),
            StatusCode::BAD_REQUEST,
            "rest_invalid_json",
        ),
        (
            post(email, &secret, "{\"title\":\"x\",\"status\":\"sideways\"}"),
            StatusCode::BAD_REQUEST,
            "rest_invalid_param",
        ),
        (
            post(email, &secret, "{\"title\":\"x\",\"categories\":[999999]}"),
            StatusCode::BAD_REQUEST,
            "rest_invalid_param",
        ),
        (
            post(email, &secret, "{\"content\":\"no title\"}"),
            StatusCode::BAD_REQUEST,
            "rest_invalid_param",
        ),
    ] {
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), status, "{code}");
        let body: Value = serde_json::from_str(&response.text().await.unwrap()).unwrap();
        assert_eq!(body["code"], code, "{body}");
    }
    // Through a proxy on this machine that Gazette was not told to trust, the request may
    // come from anywhere over plain HTTP: the password is not even looked at.
    let proxied = post(email, &secret, "{\"title\":\"x\"}")
        .header("x-forwarded-for", "203.0.113.9")
        .send()
        .await
        .unwrap();
    assert_eq!(proxied.status(), StatusCode::UNAUTHORIZED);
    // A draft, with the spaces WordPress shows the password with or without them.
    let response = post(
        email,
        &secret.replace(' ', ""),
        "{\"title\":\"A draft\",\"content\":\"<p>Soon.</p>\"}",
    )
    .send()
    .await
    .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    let created: Value = serde_json::from_str(&response.text().await.unwrap()).unwrap();
    let id = created["id"].as_i64().unwrap();
    let stored = app
        .store
        .article(gazette_core::ArticleId(id))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.status, Status::Draft);
    assert_eq!(stored.authors, vec![admin.id]);
    // A draft is not for readers.
    assert_eq!(
        app.get(&format!("/wp-json/wp/v2/posts/{id}"))
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn writes_need_an_application_password_on_sqlite() {
    writes_need_an_application_password(Backend::Sqlite).await;
}

#[tokio::test]
#[cfg_attr(
    not(gazette_test_database_url),
    ignore = "needs GAZETTE_TEST_DATABASE_URL (see README)"
)]
async fn writes_need_an_application_password_on_postgres() {
    writes_need_an_application_password(Backend::Postgres).await;
}
