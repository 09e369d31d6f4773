//! Feeds over HTTP: conditional requests, content types, and links without a base URL.

use gazette_testkit::{Backend, client};

use super::{BASE, app};

gazette_testkit::on_both_backends!(
    feeds_answer_conditional_requests_and_name_their_type,
    without_a_base_url_links_follow_the_request_and_are_not_shared,
);

async fn feeds_answer_conditional_requests_and_name_their_type(backend: Backend) {
    let Some(app) = app(backend, Some(BASE)).await else {
        return;
    };
    for (path, mime) in [
        ("/feed/", "application/rss+xml; charset=utf-8"),
        ("/feed/atom/", "application/atom+xml; charset=utf-8"),
        ("/feed/json/", "application/feed+json; charset=utf-8"),
    ] {
        let first = app.get(path).await;
        assert_eq!(first.headers()["content-type"], mime);
        let etag = first.headers()["etag"].clone();
        let modified = first.headers()["last-modified"].clone();
        let by_etag = client()
            .get(app.url(path))
            .header("if-none-match", etag)
            .send()
            .await
            .unwrap();
        assert_eq!(by_etag.status(), 304, "{path}");
        let by_date = client()
            .get(app.url(path))
            .header("if-modified-since", modified.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(by_date.status(), 304, "{path}");
        let older = client()
            .get(app.url(path))
            .header("if-modified-since", "Thu, 01 Jan 2015 00:00:00 GMT")
            .send()
            .await
            .unwrap();
        assert_eq!(older.status(), 200, "{path}");
    }
}

async fn without_a_base_url_links_follow_the_request_and_are_not_shared(backend: Backend) {
    let Some(app) = app(backend, None).await else {
        return;
    };
    let (_, ours) = app.get_text("/feed/").await;
    let origin = format!("http://{}", app.address);
    assert!(ours.contains(&format!("<link>{origin}/</link>")), "{ours}");
    let theirs = client()
        .get(app.url("/feed/"))
        .header("host", "attacker.example")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(theirs.contains("http://attacker.example/"));
    let (_, again) = app.get_text("/feed/").await;
    assert!(
        !again.contains("attacker.example"),
        "no one else gets that copy"
    );
    let (_, bad) = {
        let response = client()
            .get(app.url("/feed/"))
            .header("host", "evil.example/<script>")
            .send()
            .await
            .unwrap();
        (response.status(), response.text().await.unwrap())
    };
    assert!(!bad.contains("<script>"));
}
