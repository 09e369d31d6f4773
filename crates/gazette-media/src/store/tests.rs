use super::*;

#[tokio::test]
async fn a_directory_keeps_the_stores_promises() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    crate::store_contract::check(&MediaStore::directory(dir.path())).await;
}

#[tokio::test]
async fn a_directory_that_does_not_exist_yet_is_empty() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let store = MediaStore::directory(dir.path().join("media"));
    assert!(store.list().await.expect("listing").is_empty());
}

#[test]
fn object_names_stay_inside_the_store() {
    assert!(is_object_name("2026/11/boat.jpg"));
    for bad in [
        "",
        "/etc/passwd",
        "a//b.jpg",
        "../b.jpg",
        "2026/.boat.jpg.1.partial",
        "a\\b",
    ] {
        assert!(!is_object_name(bad), "{bad}");
    }
}

#[test]
fn the_secret_never_shows() {
    let settings = BucketSettings {
        endpoint: Some("http://127.0.0.1:8333".to_owned()),
        region: "us-east-1".to_owned(),
        bucket: "media".to_owned(),
        prefix: String::new(),
        access_key_id: "key".to_owned(),
        secret_access_key: "very-secret".to_owned(),
        public_url: Some("https://cdn.example.org/media/".to_owned()),
    };
    assert!(!format!("{settings:?}").contains("very-secret"));
    let store = MediaStore::bucket(&settings).expect("settings are enough to build a client");
    assert_eq!(
        store.public_url("2026/11/a boat.jpg").as_deref(),
        Some("https://cdn.example.org/media/2026/11/a%20boat.jpg")
    );
    assert_eq!(store.describe(), "s3://media");
}
