//! `/media/…` as browsers and players ask for it: validators (`ETag`, `Last-Modified`) and
//! their `304`, single byte ranges with `206` and `416`, `If-Range`, and nothing hidden.

use gazette_testkit::{Backend, TestApp};
use reqwest::header;

use super::{upload, uploaded_id};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn media_answer_validators_and_byte_ranges() {
    let Some(app) = TestApp::spawn(Backend::Sqlite).await else {
        return;
    };
    let http = app.admin_client().await;
    let bytes = gazette_media::fixtures::plain_png(300, 200);
    let id = uploaded_id(&upload(&app, &http, "chart.png", bytes, "A chart").await);
    let media = app.store.media(id).await.unwrap().unwrap();
    let url = app.url(&media.url());
    let reader = reqwest::Client::new();

    let whole = reader.get(&url).send().await.unwrap();
    assert_eq!(whole.status(), 200);
    let headers = whole.headers().clone();
    let etag = headers[header::ETAG].to_str().unwrap().to_owned();
    let modified = headers[header::LAST_MODIFIED].to_str().unwrap().to_owned();
    assert!(etag.starts_with('"') && etag.ends_with('"'), "{etag}");
    assert!(modified.ends_with(" GMT"), "{modified}");
    assert_eq!(headers[header::ACCEPT_RANGES], "bytes");
    assert_eq!(headers[header::CONTENT_TYPE], "image/png");
    let body = whole.bytes().await.unwrap();
    assert_eq!(body.len() as u64, media.byte_size);

    let ask = |name: header::HeaderName, value: &str| {
        reader.get(&url).header(name, value.to_owned()).send()
    };
    let cached = ask(header::IF_NONE_MATCH, &etag).await.unwrap();
    assert_eq!(cached.status(), 304, "the ETag revalidates");
    assert_eq!(cached.headers()[header::ETAG], etag.as_str());
    let dated = ask(header::IF_MODIFIED_SINCE, &modified).await.unwrap();
    assert_eq!(dated.status(), 304, "so does the date");
    let other = ask(header::IF_NONE_MATCH, "\"something-else\"")
        .await
        .unwrap();
    assert_eq!(other.status(), 200, "another ETag gets the file");

    let first = ask(header::RANGE, "bytes=0-9").await.unwrap();
    assert_eq!(first.status(), 206);
    let total = body.len();
    assert_eq!(
        first.headers()[header::CONTENT_RANGE].to_str().unwrap(),
        format!("bytes 0-9/{total}")
    );
    assert_eq!(first.bytes().await.unwrap(), body.slice(0..10));
    let last = ask(header::RANGE, "bytes=-7").await.unwrap();
    assert_eq!(last.status(), 206);
    assert_eq!(last.bytes().await.unwrap(), body.slice(total - 7..));
    let past = ask(header::RANGE, &format!("bytes={}-", total + 10))
        .await
        .unwrap();
    assert_eq!(past.status(), 416);
    assert_eq!(
        past.headers()[header::CONTENT_RANGE].to_str().unwrap(),
        format!("bytes */{total}")
    );
    let several = ask(header::RANGE, "bytes=0-1,5-6").await.unwrap();
    assert_eq!(several.status(), 200, "several ranges get the whole file");

    let stale = reader
        .get(&url)
        .header(header::RANGE, "bytes=0-9")
        .header(header::IF_RANGE, "\"an-older-version\"")
        .send()
        .await
        .unwrap();
    assert_eq!(
        stale.status(),
        200,
        "a range of another version is not mixed in"
    );
    let current = reader
        .get(&url)
        .header(header::RANGE, "bytes=0-9")
        .header(header::IF_RANGE, &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(current.status(), 206);

    let head = reader.head(&url).send().await.unwrap();
    assert_eq!(head.status(), 200);
    assert_eq!(
        head.headers()[header::CONTENT_LENGTH],
        total.to_string().as_str()
    );

    let folder = media.path.rsplit_once('/').unwrap().0;
    for hidden in [
        format!("/media/{folder}/.chart.png.1-0.partial"),
        "/media/../gazette.db".to_owned(),
        format!("/media/{folder}"),
        "/media/2026/01/none.png".to_owned(),
    ] {
        let refused = reader.get(app.url(&hidden)).send().await.unwrap();
        assert_eq!(refused.status(), 404, "{hidden}");
    }
}
