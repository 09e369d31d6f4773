//! The `[media_bucket]` table and its `GAZETTE_MEDIA_BUCKET_*` variables: an S3-compatible
//! bucket for media. Naming the table (or any of the variables) moves media there; the bucket's
//! name and credentials are then required.

use super::*;

pub(super) const MEDIA_BUCKET_ENV_PREFIX: &str = "GAZETTE_MEDIA_BUCKET_";

/// The region when none is given: what S3-compatible servers other than Amazon's accept.
const DEFAULT_REGION: &str = "us-east-1";

/// The raw `[media_bucket]` values merged so far.
#[derive(Default)]
pub(super) struct MediaBucketLayers {
    /// The first layer that mentioned the bucket at all; `None` keeps media in a directory.
    configured_by: Option<Origin>,
    endpoint: Given<String>,
    region: Given<String>,
    name: Given<String>,
    prefix: Given<String>,
    access_key_id: Given<String>,
    secret_access_key: Given<String>,
    public_url: Given<String>,
}

impl MediaBucketLayers {
    pub(super) fn apply_file(&mut self, file: FileMediaBucket, origin: &Origin) {
        self.configured_by.get_or_insert_with(|| origin.clone());
        set(&mut self.endpoint, file.endpoint, origin);
        set(&mut self.region, file.region, origin);
        set(&mut self.name, file.name, origin);
        set(&mut self.prefix, file.prefix, origin);
        set(&mut self.access_key_id, file.access_key_id, origin);
        set(&mut self.secret_access_key, file.secret_access_key, origin);
        set(&mut self.public_url, file.public_url, origin);
    }

    pub(super) fn apply_env(&mut self, name: &'static str, value: &str, origin: Origin) {
        let slot = match name.trim_start_matches(MEDIA_BUCKET_ENV_PREFIX) {
            "ENDPOINT" => &mut self.endpoint,
            "REGION" => &mut self.region,
            "NAME" => &mut self.name,
            "PREFIX" => &mut self.prefix,
            "ACCESS_KEY_ID" => &mut self.access_key_id,
            "SECRET_ACCESS_KEY" => &mut self.secret_access_key,
            "PUBLIC_URL" => &mut self.public_url,
            _ => return,
        };
        *slot = Some((value.to_owned(), origin.clone()));
        self.configured_by.get_or_insert(origin);
    }

    /// `None` when nothing mentioned a bucket; otherwise its name and credentials are required.
    pub(super) fn resolve(self) -> Result<Option<gazette_media::BucketSettings>, ConfigError> {
        let Some(configured_by) = self.configured_by else {
            return Ok(None);
        };
        let required = |given: Given<String>, setting, env_var| {
            given
                .map(|(value, _)| value)
                .filter(|value| !value.trim().is_empty())
                .ok_or_else(|| ConfigError::MissingSetting {
                    setting,
                    configured_by: configured_by.clone(),
                    env_var,
                })
        };
        Ok(Some(gazette_media::BucketSettings {
            endpoint: check(self.endpoint, |url, origin| {
                http_url("media_bucket.endpoint", url, origin)
            })?,
            region: self
                .region
                .map(|(region, _)| region)
                .unwrap_or_else(|| DEFAULT_REGION.to_owned()),
            bucket: required(self.name, "media_bucket.name", "GAZETTE_MEDIA_BUCKET_NAME")?,
            prefix: self.prefix.map(|(prefix, _)| prefix).unwrap_or_default(),
            access_key_id: required(
                self.access_key_id,
                "media_bucket.access_key_id",
                "GAZETTE_MEDIA_BUCKET_ACCESS_KEY_ID",
            )?,
            secret_access_key: required(
                self.secret_access_key,
                "media_bucket.secret_access_key",
                "GAZETTE_MEDIA_BUCKET_SECRET_ACCESS_KEY",
            )?,
            public_url: check(self.public_url, |url, origin| {
                http_url("media_bucket.public_url", url, origin)
            })?,
        }))
    }
}

/// An `http://` or `https://` address.
fn http_url(setting: &str, text: String, origin: &Origin) -> Result<String, ConfigError> {
    match url::Url::parse(&text) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.host().is_some() => Ok(text),
        _ => Err(invalid(
            setting,
            origin,
            format!(
                "must be an http:// or https:// address, like https://s3.eu-west-1.amazonaws.com, not {text:?}"
            ),
        )),
    }
}
