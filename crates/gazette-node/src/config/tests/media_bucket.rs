use super::*;

#[test]
fn media_stay_in_a_directory_unless_a_bucket_is_named() {
    let (config, _dir) = load_toml("");
    let config = config.unwrap();
    assert_eq!(config.media_bucket, None);
    assert!(config.media_store().unwrap().local_dir().is_some());
}

#[test]
fn a_bucket_is_read_from_the_file_and_the_environment() {
    let dir = data_dir_with(
        "[media_bucket]\nendpoint = \"http://127.0.0.1:8333\"\nname = \"journal-media\"\n\
         prefix = \"media\"\naccess_key_id = \"from-file\"\n",
    );
    let env = vars(&[
        ("GAZETTE_MEDIA_BUCKET_ACCESS_KEY_ID", "from-env"),
        ("GAZETTE_MEDIA_BUCKET_SECRET_ACCESS_KEY", "s3cr3t-value"),
    ]);
    let config = Config::load(&flags_for(&dir), env).unwrap();
    let bucket = config.media_bucket.clone().unwrap();
    assert_eq!(bucket.endpoint.as_deref(), Some("http://127.0.0.1:8333"));
    assert_eq!(bucket.region, "us-east-1", "the default region");
    assert_eq!(bucket.bucket, "journal-media");
    assert_eq!(bucket.access_key_id, "from-env", "the environment wins");
    assert!(
        !format!("{config:?}").contains("s3cr3t-value"),
        "never shown"
    );
    let store = config.media_store().unwrap();
    assert_eq!(store.describe(), "s3://journal-media/media");
    assert!(store.local_dir().is_none());
}

#[test]
fn a_bucket_without_its_name_or_credentials_is_refused_with_the_fix() {
    let env = vars(&[("GAZETTE_MEDIA_BUCKET_NAME", "journal-media")]);
    let dir = TempDir::new().unwrap();
    let message = error_text(Config::load(&flags_for(&dir), env));
    assert!(
        message.contains(
            "media_bucket.access_key_id is required because a media bucket is configured"
        ) && message.contains("GAZETTE_MEDIA_BUCKET_ACCESS_KEY_ID"),
        "{message}"
    );
    let (result, _dir) = load_toml(
        "[media_bucket]\nname = \"m\"\naccess_key_id = \"k\"\nsecret_access_key = \"s\"\n\
         endpoint = \"ftp://example.org\"\n",
    );
    let message = error_text(result);
    assert!(
        message.contains("media_bucket.endpoint") && message.contains("http://"),
        "{message}"
    );
    let (result, _dir) = load_toml("[media_bucket]\nbucket = \"m\"\n");
    assert!(
        error_text(result).contains("bucket"),
        "unknown keys are refused"
    );
}
