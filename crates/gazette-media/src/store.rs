//! Where uploaded media live: a directory (one node, the embedded default) or an S3-compatible
//! bucket (many nodes). Both keep the same promises, which the rest of Gazette relies on:
//!
//! - an object appears whole or not at all, and only when it is complete;
//! - an object name is claimed by a write that never replaces what is there ([`Put::Taken`]),
//!   so two nodes racing for one name never overwrite each other, and an object a row names
//!   never changes (a re-made image gets a new name);
//! - removing an object that is already gone is not an error (removals are retried by jobs).

mod bucket;
mod copy;
mod directory;

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use bytes::Bytes;
use jiff::Timestamp;

pub use bucket::BucketSettings;
pub use copy::{CopyReport, copy_all};

/// The media store of this node; cheap to clone.
#[derive(Debug, Clone)]
pub struct MediaStore(Arc<Backend>);

#[derive(Debug)]
enum Backend {
    Directory(directory::Directory),
    Bucket(bucket::Bucket),
}

/// What a write that never replaces did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Put {
    /// The object is there now, with these bytes.
    Written,
    /// Another object already had the name; it was left as it was.
    Taken,
}

/// What the store knows of an object without reading it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectInfo {
    /// Its name, relative to the store (`2026/11/harbour.jpg`).
    pub path: String,
    pub size: u64,
    pub last_modified: Timestamp,
    /// A strong entity tag, quoted (`"…"`), that changes whenever the bytes would.
    pub etag: String,
}

/// Why the media store could not do what was asked. Messages name the object and the store,
/// never a credential.
#[derive(Debug, thiserror::Error)]
pub enum MediaStoreError {
    #[error("{operation} {path} in {store}: {source}")]
    Io {
        operation: &'static str,
        path: String,
        store: String,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    #[error("the media bucket is misconfigured: {0}")]
    Settings(String),
}

impl MediaStore {
    /// Media kept as files below `dir`.
    pub fn directory(dir: impl Into<PathBuf>) -> Self {
        Self(Arc::new(Backend::Directory(directory::Directory::new(
            dir.into(),
        ))))
    }

    /// Media kept in an S3-compatible bucket.
    pub fn bucket(settings: &BucketSettings) -> Result<Self, MediaStoreError> {
        Ok(Self(Arc::new(Backend::Bucket(bucket::Bucket::connect(
            settings,
        )?))))
    }

    /// Where the store is, for messages and logs (`/srv/media`, `s3://bucket/prefix`).
    pub fn describe(&self) -> String {
        match &*self.0 {
            Backend::Directory(dir) => dir.describe(),
            Backend::Bucket(bucket) => bucket.describe(),
        }
    }

    /// The directory, when the media are files on this machine.
    pub fn local_dir(&self) -> Option<&Path> {
        match &*self.0 {
            Backend::Directory(dir) => Some(dir.root()),
            Backend::Bucket(_) => None,
        }
    }

    /// The address readers are sent to for `path` instead of this node serving it, when the
    /// operator set a public address for the bucket (or a CDN in front of it).
    pub fn public_url(&self, path: &str) -> Option<String> {
        match &*self.0 {
            Backend::Directory(_) => None,
            Backend::Bucket(bucket) => bucket.public_url(path),
        }
    }

    /// Writes `bytes` as `path` unless an object already has that name.
    pub async fn put_new(&self, path: &str, bytes: Bytes) -> Result<Put, MediaStoreError> {
        match &*self.0 {
            Backend::Directory(dir) => dir.put_new(path, bytes).await,
            Backend::Bucket(bucket) => bucket.put_new(path, bytes).await,
        }
    }

    /// The whole object; `None` when there is none.
    pub async fn read(&self, path: &str) -> Result<Option<Bytes>, MediaStoreError> {
        match &*self.0 {
            Backend::Directory(dir) => dir.read(path).await,
            Backend::Bucket(bucket) => bucket.read(path).await,
        }
    }

    /// Part of an object (the range must lie within it; see [`ObjectInfo::size`]).
    pub async fn read_range(
        &self,
        path: &str,
        range: Range<u64>,
    ) -> Result<Option<Bytes>, MediaStoreError> {
        match &*self.0 {
            Backend::Directory(dir) => dir.read_range(path, range).await,
            Backend::Bucket(bucket) => bucket.read_range(path, range).await,
        }
    }

    /// What the store knows of an object; `None` when there is none.
    pub async fn info(&self, path: &str) -> Result<Option<ObjectInfo>, MediaStoreError> {
        match &*self.0 {
            Backend::Directory(dir) => dir.info(path).await,
            Backend::Bucket(bucket) => bucket.info(path).await,
        }
    }

    /// Removes objects; ones already gone are not an error.
    pub async fn remove(&self, paths: &[String]) -> Result<(), MediaStoreError> {
        match &*self.0 {
            Backend::Directory(dir) => dir.remove(paths).await,
            Backend::Bucket(bucket) => bucket.remove(paths).await,
        }
    }

    /// Every complete object in the store, in no particular order.
    pub async fn list(&self) -> Result<Vec<ObjectInfo>, MediaStoreError> {
        match &*self.0 {
            Backend::Directory(dir) => dir.list().await,
            Backend::Bucket(bucket) => bucket.list().await,
        }
    }
}

/// Whether `path` is a name the store may hold: relative, without empty, hidden (`.partial`
/// files, `..`) or odd segments. Nothing outside the store and nothing half-written is ever
/// read through such a name.
pub fn is_object_name(path: &str) -> bool {
    !path.is_empty()
        && path
            .split('/')
            .all(|part| !part.is_empty() && !part.starts_with('.') && !part.contains(['\\', '\0']))
}

fn io_error(
    operation: &'static str,
    path: &str,
    store: String,
    source: impl std::error::Error + Send + Sync + 'static,
) -> MediaStoreError {
    MediaStoreError::Io {
        operation,
        path: path.to_owned(),
        store,
        source: Box::new(source),
    }
}

#[cfg(test)]
mod tests;
