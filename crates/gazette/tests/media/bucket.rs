//! Media in an S3-compatible bucket (a real SeaweedFS): the store keeps the same promises as
//! a directory; nodes that share no disk serve each other's uploads from it; removals follow
//! the rows; a public address turns `/media/` into redirects; and `gazette media migrate`
//! and `sweep` move a library across and check it.

use gazette_media::{BucketSettings, MediaStore};
use gazette_testkit::s3::{BucketAccess, S3Server};
use gazette_testkit::{Backend, TestApp, TestOptions};
use reqwest::header;

use super::{until_removed, upload, uploaded_id, with_variants};

/// The bucket part a node given `access` uses, opened directly.
pub(crate) fn store_of(access: &BucketAccess) -> MediaStore {
    MediaStore::bucket(&BucketSettings {
        endpoint: Some(access.endpoint.clone()),
        region: "us-east-1".to_owned(),
        bucket: access.bucket.clone(),
        prefix: access.prefix.clone(),
        access_key_id: access.access_key_id.clone(),
        secret_access_key: access.secret_access_key.clone(),
        public_url: None,
    })
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(gazette_test_weed),
    ignore = "needs GAZETTE_TEST_WEED (see README)"
)]
async fn a_bucket_keeps_the_media_stores_promises() {
    let Some(s3) = S3Server::start().await else {
        return;
    };
    gazette_media::store_contract::check(&store_of(&s3.bucket("contract"))).await;
    store_of(&s3.bucket("private"))
        .put_new("2026/12/boat.jpg", b"a picture".to_vec().into())
        .await
        .unwrap();
    let anonymous = reqwest::get(format!(
        "{}/gazette-tests/private/2026/12/boat.jpg",
        s3.endpoint
    ))
    .await
    .unwrap();
    assert_eq!(anonymous.status(), 403, "the bucket is not open to anyone");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(all(gazette_test_weed, gazette_test_database_url)),
    ignore = "needs GAZETTE_TEST_WEED and GAZETTE_TEST_DATABASE_URL (see README)"
)]
async fn nodes_without_a_shared_disk_serve_media_from_the_bucket() {
    let Some(s3) = S3Server::start().await else {
        return;
    };
    let bucket = s3.bucket("journal");
    let options = || TestOptions {
        media_bucket: Some(bucket.clone()),
        ..TestOptions::default()
    };
    let Some(a) = TestApp::spawn_with(Backend::Postgres, options()).await else {
        return;
    };
    let b = a.spawn_beside(options()).await;
    let http = a.admin_client().await;
    let bytes = gazette_media::fixtures::halves_jpeg(1600, 900);
    let id = uploaded_id(&upload(&a, &http, "harbour.jpg", bytes, "The harbour").await);
    let media = with_variants(&a, id).await;

    let objects = store_of(&bucket);
    for path in media.file_paths() {
        assert!(
            objects.info(&path).await.unwrap().is_some(),
            "{path} is in the bucket"
        );
        assert!(
            !a.media_dir().join(&path).exists(),
            "{path} is not on a node's disk"
        );
    }
    let reader = reqwest::Client::new();
    let original = reader.get(b.url(&media.url())).send().await.unwrap();
    assert_eq!(original.status(), 200, "the other node serves it");
    let etag = original.headers()[header::ETAG]
        .to_str()
        .unwrap()
        .to_owned();
    let bytes = original.bytes().await.unwrap();
    assert_eq!(bytes.len() as u64, media.byte_size);
    let again = reader
        .get(b.url(&media.url()))
        .header(header::IF_NONE_MATCH, &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
    let part = reader
        .get(b.url(&media.url()))
        .header(header::RANGE, "bytes=100-199")
        .send()
        .await
        .unwrap();
    assert_eq!(part.status(), 206);
    assert_eq!(part.bytes().await.unwrap(), bytes.slice(100..200));

    let deleted = http
        .post(a.url(&format!("/admin/media/{}/delete", id.0)))
        .form(&[(
            "csrf",
            gazette_testkit::csrf_of(&a.page_text(&http, &format!("/admin/media/{}", id.0)).await),
        )])
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 303);
    for path in media.file_paths() {
        until_removed(&b, &format!("/media/{path}")).await;
        assert!(
            objects.info(&path).await.unwrap().is_none(),
            "{path} left the bucket"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(gazette_test_weed),
    ignore = "needs GAZETTE_TEST_WEED (see README)"
)]
async fn a_public_bucket_address_turns_media_into_redirects() {
    let Some(s3) = S3Server::start().await else {
        return;
    };
    let mut bucket = s3.bucket("public");
    bucket.public_url = Some("https://cdn.example.org/journal/".to_owned());
    let options = TestOptions {
        media_bucket: Some(bucket),
        ..TestOptions::default()
    };
    let Some(app) = TestApp::spawn_with(Backend::Sqlite, options).await else {
        return;
    };
    let sent = app.get("/media/2026/12/a%20boat.jpg").await;
    assert_eq!(sent.status(), 302);
    assert_eq!(
        sent.headers()[header::LOCATION],
        "https://cdn.example.org/journal/2026/12/a%20boat.jpg"
    );
    assert_eq!(app.get("/media/../gazette.db").await.status(), 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_bucket_answers_503_and_keeps_nothing() {
    // A port nothing listens on: every request to the bucket is refused.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let endpoint = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let options = TestOptions {
        media_bucket: Some(BucketAccess {
            endpoint,
            bucket: "gone".to_owned(),
            prefix: String::new(),
            access_key_id: "key".to_owned(),
            secret_access_key: "secret".to_owned(),
            public_url: None,
        }),
        ..TestOptions::default()
    };
    let Some(app) = TestApp::spawn_with(Backend::Sqlite, options).await else {
        return;
    };
    let served = app.get("/media/2026/12/harbour.jpg").await;
    assert_eq!(served.status(), 503);
    assert!(served.headers().contains_key(header::RETRY_AFTER));
    let http = app.admin_client().await;
    let bytes = gazette_media::fixtures::plain_png(40, 30);
    let refused = upload(&app, &http, "chart.png", bytes, "A chart").await;
    assert_eq!(refused.status(), 503, "an upload the store cannot take");
    assert!(refused.headers().contains_key(header::RETRY_AFTER));
    let library = app
        .store
        .media_library(&Default::default(), 0, 10)
        .await
        .unwrap();
    assert_eq!(library.total, 0, "nothing was recorded");
}
