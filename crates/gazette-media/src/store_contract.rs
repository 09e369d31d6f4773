//! The promises every media store keeps, as one check run against each kind: the directory in
//! this crate's tests, a real S3 server (SeaweedFS) in the integration suite.

use bytes::Bytes;

use crate::{MediaStore, Put};

/// Exercises `store` (which must be empty) and panics on the first broken promise.
#[expect(clippy::expect_used, reason = "a test helper: a failure is the report")]
pub async fn check(store: &MediaStore) {
    let first = Bytes::from_static(b"the first picture's bytes");
    let written = store.put_new("2026/12/boat.jpg", first.clone()).await;
    assert_eq!(written.expect("writing a new name"), Put::Written);
    let again = store
        .put_new("2026/12/boat.jpg", Bytes::from_static(b"another picture"))
        .await;
    assert_eq!(
        again.expect("a taken name"),
        Put::Taken,
        "names are never reused"
    );
    let read = store.read("2026/12/boat.jpg").await.expect("reading");
    assert_eq!(read, Some(first.clone()), "the first bytes stay");

    let info = store
        .info("2026/12/boat.jpg")
        .await
        .expect("its information")
        .expect("it is there");
    assert_eq!(info.size, first.len() as u64);
    assert!(
        info.etag.starts_with('"') && info.etag.len() > 2,
        "{}",
        info.etag
    );
    let part = store.read_range("2026/12/boat.jpg", 4..9).await;
    assert_eq!(part.expect("a range").as_deref(), Some(&b"first"[..]));

    assert_eq!(store.read("2026/12/none.jpg").await.expect("reading"), None);
    assert_eq!(store.info("2026/12/none.jpg").await.expect("info"), None);
    assert!(
        store
            .put_new("../outside.jpg", first.clone())
            .await
            .is_err(),
        "names cannot leave the store"
    );

    store
        .put_new("2026/11/harbour [1] #2.png", Bytes::from_static(b"png"))
        .await
        .expect("a second object, with characters keys escape");
    let mut listed: Vec<String> = store
        .list()
        .await
        .expect("listing")
        .into_iter()
        .map(|object| object.path)
        .collect();
    listed.sort();
    assert_eq!(listed, ["2026/11/harbour [1] #2.png", "2026/12/boat.jpg"]);

    let both = ["2026/12/boat.jpg".to_owned(), "2026/12/gone.jpg".to_owned()];
    store
        .remove(&both)
        .await
        .expect("removing, one already gone");
    assert_eq!(store.read("2026/12/boat.jpg").await.expect("reading"), None);
    let left = store.list().await.expect("listing");
    assert_eq!(left.len(), 1, "{left:?}");
}
