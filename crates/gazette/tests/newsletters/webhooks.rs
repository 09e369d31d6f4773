//! Bounces and complaints reported by the relay's webhook (Mailgun's signed events, Postmark's
//! Basic credentials) put the address on the suppression list; forged, stale or anonymous
//! reports change nothing.

use std::process::Command;

use gazette_core::{Clock as _, Publication, Suppression};
use gazette_testkit::smtp::SmtpSink;
use gazette_testkit::{Backend, TestApp, TestOptions};
use reqwest::StatusCode;
use serde_json::json;

use super::{BASE, journal};

gazette_testkit::on_both_backends!(
    signed_mailgun_events_suppress_and_forged_ones_do_not,
    postmark_reports_need_the_password,
);

const SECRET: &str = "key-3ax6xnjp29jd6fds4gc373sgvjxteol0";

async fn with_webhooks(backend: Backend, sink: &SmtpSink) -> Option<TestApp> {
    let mut publication = Publication::sample();
    publication.base_url = Some(format!("{BASE}/").parse().unwrap());
    let options = TestOptions {
        demo: true,
        publication: Some(publication),
        smtp_port: Some(sink.port),
        env: vec![("GAZETTE_SMTP_WEBHOOK_SECRET".to_owned(), SECRET.to_owned())],
        ..TestOptions::default()
    };
    TestApp::spawn_with(backend, options).await
}

/// The hex HMAC-SHA256 of `message` under `key`, by Debian's openssl (not Gazette's code).
fn hmac_sha256(key: &str, message: &str) -> String {
    let mut child = Command::new("openssl")
        .args(["dgst", "-sha256", "-hmac", key, "-r"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("openssl");
    use std::io::Write as _;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(message.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    String::from_utf8(output.stdout)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned()
}

fn mailgun_event(key: &str, timestamp: i64, event: serde_json::Value) -> serde_json::Value {
    let token = "a8ce0edb2dd8301dee6c2405235584e45aa91d1e9f979f3de0";
    json!({
        "signature": {
            "timestamp": timestamp.to_string(),
            "token": token,
            "signature": hmac_sha256(key, &format!("{timestamp}{token}")),
        },
        "event-data": event,
    })
}

async fn post(app: &TestApp, path: &str, body: &serde_json::Value) -> reqwest::Response {
    reqwest::Client::new()
        .post(app.url(path))
        .json(body)
        .send()
        .await
        .unwrap()
}

async fn signed_mailgun_events_suppress_and_forged_ones_do_not(backend: Backend) {
    let sink = SmtpSink::start().await;
    let Some(app) = with_webhooks(backend, &sink).await else {
        return;
    };
    let path = "/newsletters/webhooks/mailgun";
    let now = app.clock.now().as_second();
    let failed = |to: &str| json!({"event": "failed", "severity": "permanent", "recipient": to});

    let forged = mailgun_event("not-the-key-at-all", now, failed("ann@example.org"));
    assert_eq!(
        post(&app, path, &forged).await.status(),
        StatusCode::UNAUTHORIZED
    );
    let stale = mailgun_event(SECRET, now - 3600, failed("ann@example.org"));
    assert_eq!(
        post(&app, path, &stale).await.status(),
        StatusCode::UNAUTHORIZED,
        "an old event is not replayed"
    );
    assert_eq!(
        app.store.suppression("ann@example.org").await.unwrap(),
        None
    );

    let bounced = mailgun_event(SECRET, now, failed("ann@example.org"));
    assert_eq!(post(&app, path, &bounced).await.status(), StatusCode::OK);
    assert_eq!(
        app.store.suppression("ann@example.org").await.unwrap(),
        Some(Suppression::Bounced)
    );
    let complaint = mailgun_event(
        SECRET,
        now,
        json!({"event": "complained", "recipient": "bob@example.org"}),
    );
    assert_eq!(post(&app, path, &complaint).await.status(), StatusCode::OK);
    assert_eq!(
        app.store.suppression("bob@example.org").await.unwrap(),
        Some(Suppression::Complained)
    );
    let temporary = mailgun_event(
        SECRET,
        now,
        json!({"event": "failed", "severity": "temporary", "recipient": "cat@example.org"}),
    );
    assert_eq!(
        post(&app, path, &temporary).await.status(),
        StatusCode::OK,
        "acknowledged"
    );
    assert_eq!(
        app.store.suppression("cat@example.org").await.unwrap(),
        None,
        "and ignored"
    );
    let broken = reqwest::Client::new()
        .post(app.url(path))
        .body("{")
        .send()
        .await
        .unwrap();
    assert_eq!(broken.status(), StatusCode::BAD_REQUEST);
}

async fn postmark_reports_need_the_password(backend: Backend) {
    let sink = SmtpSink::start().await;
    let Some(app) = with_webhooks(backend, &sink).await else {
        return;
    };
    let url = app.url("/newsletters/webhooks/postmark");
    let hard = json!({"RecordType": "Bounce", "Type": "HardBounce", "Email": "ann@example.org"});
    let client = reqwest::Client::new();
    let anonymous = client.post(&url).json(&hard).send().await.unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    assert!(anonymous.headers().contains_key("www-authenticate"));
    let wrong = client
        .post(&url)
        .basic_auth("postmark", Some("guessed-password-123"))
        .json(&hard)
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.store.suppression("ann@example.org").await.unwrap(),
        None
    );

    let right = client
        .post(&url)
        .basic_auth("postmark", Some(SECRET))
        .json(&hard)
        .send()
        .await
        .unwrap();
    assert_eq!(right.status(), StatusCode::OK);
    assert_eq!(
        app.store.suppression("ann@example.org").await.unwrap(),
        Some(Suppression::Bounced)
    );
    let soft = json!({"RecordType": "Bounce", "Type": "SoftBounce", "Email": "bob@example.org"});
    let answered = client
        .post(&url)
        .basic_auth("postmark", Some(SECRET))
        .json(&soft)
        .send()
        .await
        .unwrap();
    assert_eq!(answered.status(), StatusCode::OK);
    assert_eq!(
        app.store.suppression("bob@example.org").await.unwrap(),
        None
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_secret_there_are_no_webhooks() {
    let sink = SmtpSink::start().await;
    let app = journal(Backend::Sqlite, &sink).await.unwrap();
    for provider in ["mailgun", "postmark"] {
        let answer = reqwest::Client::new()
            .post(app.url(&format!("/newsletters/webhooks/{provider}")))
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), StatusCode::NOT_FOUND, "{provider}");
    }
}
