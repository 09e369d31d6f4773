//! Creates sent again with their `Idempotency-Key`: a client whose answer was lost (or was
//! "outcome unknown") repeats the request and gets the first one's record, never a second.

use gazette_core::{MediaId, Role, Status};
use gazette_testkit::{Backend, TestApp};
use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{Writer, answer};

gazette_testkit::on_both_backends!(
    every_create_sent_again_with_its_key_is_made_once,
    a_key_is_refused_for_another_request_and_belongs_to_its_sender,
    concurrent_copies_of_one_create_make_one_record,
);

/// Sends `body` to `path` as `writer` with `key`; the status, the body and whether the answer
/// says it repeats an earlier one.
async fn create(
    writer: &Writer<'_>,
    path: &str,
    key: &str,
    body: &Value,
) -> (StatusCode, Value, bool) {
    let response = writer
        .app
        .client
        .post(writer.app.url(&format!("/wp-json/wp/v2/{path}")))
        .basic_auth(&writer.user, Some(&writer.secret))
        .header("idempotency-key", key)
        .json(body)
        .send()
        .await
        .unwrap();
    let repeated = response.headers().get("idempotent-replayed").is_some();
    let status = response.status();
    (status, response.json().await.unwrap(), repeated)
}

/// Every draft whose headline is `headline`.
async fn drafts_titled(app: &TestApp, headline: &str) -> usize {
    let drafts = app
        .store
        .articles_with_status(Status::Draft, 1000)
        .await
        .unwrap();
    drafts.iter().filter(|a| a.headline == headline).count()
}

async fn every_create_sent_again_with_its_key_is_made_once(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let writer = Writer::with_role(&app, Role::Administrator).await;
    let creates = [
        ("posts", json!({ "title": "Filed once", "status": "draft" })),
        ("pages", json!({ "title": "Masthead", "status": "draft" })),
        ("categories", json!({ "name": "Harbour news" })),
        ("tags", json!({ "name": "Tides" })),
    ];
    for (path, body) in &creates {
        let key = format!("{path}-7f3c0d1e");
        let (status, first, repeated) = create(&writer, path, &key, body).await;
        assert_eq!(status, StatusCode::CREATED, "{path}: {first}");
        assert!(!repeated, "{path}: the first answer is not a repeat");
        let (status, again, repeated) = create(&writer, path, &key, body).await;
        assert_eq!(status, StatusCode::CREATED, "{path}: {again}");
        assert!(repeated, "{path}: the second answer says it repeats");
        assert_eq!(first["id"], again["id"], "{path}: the same record");
    }
    assert_eq!(drafts_titled(&app, "Filed once").await, 1);
    let pages = app.store.pages().await.unwrap();
    assert_eq!(pages.iter().filter(|p| p.title == "Masthead").count(), 1);
    let sections = app.store.sections().await.unwrap();
    assert_eq!(
        sections.iter().filter(|s| s.name == "Harbour news").count(),
        1
    );
    let tags = app.store.tags().await.unwrap();
    assert_eq!(tags.iter().filter(|t| t.name == "Tides").count(), 1);

    // An upload sent twice is kept once, and the second copy of the file is not left behind.
    let upload = || {
        app.client
            .post(app.url("/wp-json/wp/v2/media"))
            .basic_auth(&writer.user, Some(&writer.secret))
            .header("content-type", "image/png")
            .header("content-disposition", "attachment; filename=\"quay.png\"")
            .header("idempotency-key", "upload-quay-1")
            .body(gazette_media::fixtures::plain_png(320, 200))
    };
    let (status, first) = answer(upload()).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    let (status, again) = answer(upload()).await;
    assert_eq!(status, StatusCode::CREATED, "{again}");
    assert_eq!(first["id"], again["id"]);
    let next = MediaId(first["id"].as_i64().unwrap() + 1);
    assert!(app.store.media(next).await.unwrap().is_none());
    let kept = files_under(&app.media_dir());
    assert!(
        kept.iter().any(|name| name == "quay.png") && !kept.iter().any(|name| name == "quay-2.png"),
        "the repeated upload's object was removed: {kept:?}"
    );

    // Without a key, the same request makes a second record, as before.
    let body = json!({ "title": "Filed once", "status": "draft" });
    let (status, _) = writer
        .send(reqwest::Method::POST, "/wp-json/wp/v2/posts", Some(body))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(drafts_titled(&app, "Filed once").await, 2);
}

async fn a_key_is_refused_for_another_request_and_belongs_to_its_sender(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let writer = Writer::with_role(&app, Role::Administrator).await;
    let body = json!({ "title": "Tide tables", "status": "draft" });
    let (status, first, _) = create(&writer, "posts", "shared-key", &body).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");

    // The same key with another request: 422, and nothing is made.
    let other = json!({ "title": "Something else", "status": "draft" });
    let (status, refused, _) = create(&writer, "posts", "shared-key", &other).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert_eq!(refused["code"], "rest_idempotency_key_reused", "{refused}");
    assert_eq!(drafts_titled(&app, "Something else").await, 0);

    // Another person's key is theirs: the same key and request make their own article.
    let colleague = Writer::new_staff(&app, "colleague", Role::Editor).await;
    let (status, theirs, repeated) = create(&colleague, "posts", "shared-key", &body).await;
    assert_eq!(status, StatusCode::CREATED, "{theirs}");
    assert!(!repeated);
    assert_ne!(theirs["id"], first["id"]);

    // A key that cannot be one is a 400 saying why.
    for (bad, why) in [
        ("k".repeat(256), "longer than 255"),
        ("two words".to_owned(), "visible ASCII"),
    ] {
        let (status, refused, _) = create(&writer, "posts", &bad, &body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{refused}");
        assert!(
            refused["message"].as_str().unwrap().contains(why),
            "{refused}"
        );
    }
}

async fn concurrent_copies_of_one_create_make_one_record(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let writer = Writer::with_role(&app, Role::Administrator).await;
    let body = json!({ "title": "Sent from a flaky train", "status": "draft" });
    let send = || create(&writer, "posts", "train-42", &body);
    let (a, b, c, d, e, f) = tokio::join!(send(), send(), send(), send(), send(), send());
    let answers = [a, b, c, d, e, f];
    for (status, answer, _) in &answers {
        assert_eq!(*status, StatusCode::CREATED, "{answer}");
        assert_eq!(answer["id"], answers[0].1["id"], "{answer}");
    }
    assert_eq!(
        answers.iter().filter(|(_, _, repeated)| !repeated).count(),
        1
    );
    assert_eq!(drafts_titled(&app, "Sent from a flaky train").await, 1);
}

/// The names of the files under `dir`, at any depth.
fn files_under(dir: &std::path::Path) -> Vec<String> {
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            names.extend(files_under(&path));
        } else if let Some(name) = path.file_name() {
            names.push(name.to_string_lossy().into_owned());
        }
    }
    names
}
