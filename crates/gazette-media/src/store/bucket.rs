//! Media in an S3-compatible bucket, through the `object_store` crate (see docs/decisions.md).
//! Names are claimed with `If-None-Match: *`, which S3, SeaweedFS, MinIO and R2 honour.

use std::fmt;
use std::ops::Range;
use std::time::Duration;

use bytes::Bytes;
use futures_util::TryStreamExt as _;
use jiff::Timestamp;
use object_store::aws::{AmazonS3, AmazonS3Builder, S3ConditionalPut};
use object_store::prefix::PrefixStore;
use object_store::{ClientOptions, ObjectStore, PutMode, PutOptions, PutPayload, RetryConfig};

use super::{MediaStoreError, ObjectInfo, Put, io_error, is_object_name};

/// Where the bucket is and how to reach it. `Debug` never shows the secret.
#[derive(Clone, PartialEq, Eq)]
pub struct BucketSettings {
    /// The S3 API's address (`https://s3.eu-west-1.amazonaws.com`, `http://127.0.0.1:8333`);
    /// `None` means Amazon S3 itself, found from the region.
    pub endpoint: Option<String>,
    pub region: String,
    pub bucket: String,
    /// A folder inside the bucket for this journal's media (may be empty).
    pub prefix: String,
    pub access_key_id: String,
    pub secret_access_key: String,
    /// Where readers fetch the objects directly (a public bucket's address, or a CDN in front
    /// of it); `/media/…` then redirects there instead of being served by the node.
    pub public_url: Option<String>,
}

impl fmt::Debug for BucketSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BucketSettings")
            .field("endpoint", &self.endpoint)
            .field("region", &self.region)
            .field("bucket", &self.bucket)
            .field("prefix", &self.prefix)
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"(hidden)")
            .field("public_url", &self.public_url)
            .finish()
    }
}

pub(super) struct Bucket {
    objects: PrefixStore<AmazonS3>,
    name: String,
    public_url: Option<String>,
}

impl fmt::Debug for Bucket {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Bucket").field("name", &self.name).finish()
    }
}

impl Bucket {
    pub(super) fn connect(settings: &BucketSettings) -> Result<Self, MediaStoreError> {
        let mut builder = AmazonS3Builder::new()
            .with_region(&settings.region)
            .with_bucket_name(&settings.bucket)
            .with_access_key_id(&settings.access_key_id)
            .with_secret_access_key(&settings.secret_access_key)
            .with_conditional_put(S3ConditionalPut::ETagMatch)
            // A reader's request waits on these: fail in seconds, not after minutes of retries.
            .with_client_options(
                ClientOptions::new()
                    .with_connect_timeout(Duration::from_secs(5))
                    .with_timeout(Duration::from_secs(60)),
            )
            .with_retry(RetryConfig {
                max_retries: 3,
                retry_timeout: Duration::from_secs(20),
                ..RetryConfig::default()
            });
        if let Some(endpoint) = &settings.endpoint {
            builder = builder
                .with_endpoint(endpoint)
                .with_allow_http(endpoint.starts_with("http://"));
        }
        let s3 = builder
            .build()
            .map_err(|e| MediaStoreError::Settings(e.to_string()))?;
        let prefix = settings.prefix.trim_matches('/');
        Ok(Self {
            objects: PrefixStore::new(s3, prefix),
            name: if prefix.is_empty() {
                format!("s3://{}", settings.bucket)
            } else {
                format!("s3://{}/{prefix}", settings.bucket)
            },
            public_url: settings
                .public_url
                .as_ref()
                .map(|url| url.trim_end_matches('/').to_owned()),
        })
    }

    pub(super) fn describe(&self) -> String {
        self.name.clone()
    }

    pub(super) fn public_url(&self, path: &str) -> Option<String> {
        let base = self.public_url.as_ref()?;
        let encoded: Vec<String> = path
            .split('/')
            .map(|part| percent_encoding::utf8_percent_encode(part, PATH_SEGMENT).to_string())
            .collect();
        Some(format!("{base}/{}", encoded.join("/")))
    }

    fn location(&self, path: &str) -> Result<object_store::path::Path, MediaStoreError> {
        if is_object_name(path) {
            Ok(object_store::path::Path::from(path))
        } else {
            Err(self.error("naming", path, std::io::Error::other("not a media path")))
        }
    }

    fn error(
        &self,
        operation: &'static str,
        path: &str,
        e: impl std::error::Error + Send + Sync + 'static,
    ) -> MediaStoreError {
        io_error(operation, path, self.describe(), e)
    }

    pub(super) async fn put_new(&self, path: &str, bytes: Bytes) -> Result<Put, MediaStoreError> {
        let options = PutOptions {
            mode: PutMode::Create,
            ..PutOptions::default()
        };
        let location = self.location(path)?;
        match self
            .objects
            .put_opts(&location, PutPayload::from(bytes), options)
            .await
        {
            Ok(_) => Ok(Put::Written),
            Err(object_store::Error::AlreadyExists { .. }) => Ok(Put::Taken),
            Err(e) => Err(self.error("writing", path, e)),
        }
    }

    pub(super) async fn read(&self, path: &str) -> Result<Option<Bytes>, MediaStoreError> {
        let location = self.location(path)?;
        let got = match self.objects.get(&location).await {
            Ok(got) => got,
            Err(object_store::Error::NotFound { .. }) => return Ok(None),
            Err(e) => return Err(self.error("reading", path, e)),
        };
        got.bytes()
            .await
            .map(Some)
            .map_err(|e| self.error("reading", path, e))
    }

    pub(super) async fn read_range(
        &self,
        path: &str,
        range: Range<u64>,
    ) -> Result<Option<Bytes>, MediaStoreError> {
        let location = self.location(path)?;
        match self.objects.get_range(&location, range).await {
            Ok(bytes) => Ok(Some(bytes)),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(self.error("reading", path, e)),
        }
    }

    pub(super) async fn info(&self, path: &str) -> Result<Option<ObjectInfo>, MediaStoreError> {
        let location = self.location(path)?;
        match self.objects.head(&location).await {
            Ok(meta) => Ok(Some(object_info(path.to_owned(), &meta))),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(self.error("reading", path, e)),
        }
    }

    pub(super) async fn remove(&self, paths: &[String]) -> Result<(), MediaStoreError> {
        for path in paths {
            let location = self.location(path)?;
            match self.objects.delete(&location).await {
                Ok(()) | Err(object_store::Error::NotFound { .. }) => {}
                Err(e) => return Err(self.error("removing", path, e)),
            }
        }
        Ok(())
    }

    pub(super) async fn list(&self) -> Result<Vec<ObjectInfo>, MediaStoreError> {
        let listed: Vec<object_store::ObjectMeta> = self
            .objects
            .list(None)
            .try_collect()
            .await
            .map_err(|e| self.error("listing", "", e))?;
        Ok(listed
            .iter()
            .map(|meta| object_info(name_of(&meta.location), meta))
            .filter(|info| is_object_name(&info.path))
            .collect())
    }
}

/// Our name for a listed object: `object_store` escapes a few characters in keys (`%`, `#`,
/// `[`…) when it writes them, the same way for every request, so a listing is unescaped back.
fn name_of(location: &object_store::path::Path) -> String {
    location
        .as_ref()
        .split('/')
        .map(|part| percent_encoding::percent_decode_str(part).decode_utf8_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn object_info(path: String, meta: &object_store::ObjectMeta) -> ObjectInfo {
    let etag = meta.e_tag.clone().unwrap_or_default();
    ObjectInfo {
        path,
        size: meta.size,
        last_modified: Timestamp::from_second(meta.last_modified.timestamp())
            .unwrap_or(Timestamp::UNIX_EPOCH),
        // S3 sends its ETag quoted; some S3-compatible stores do not.
        etag: if etag.starts_with('"') {
            etag
        } else {
            format!("\"{etag}\"")
        },
    }
}

/// What a path segment of a URL must escape.
const PATH_SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}');
