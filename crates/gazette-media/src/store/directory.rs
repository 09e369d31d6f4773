//! Media as files below a directory. A file is written under a hidden partial name (never
//! served), synced, then linked into place, which refuses a name already taken.

use std::io::{Read as _, Seek as _, SeekFrom};
use std::ops::Range;
use std::path::{Path, PathBuf};

use bytes::Bytes;
use jiff::Timestamp;

use super::{MediaStoreError, ObjectInfo, Put, io_error, is_object_name};

#[derive(Debug)]
pub(super) struct Directory {
    root: PathBuf,
}

impl Directory {
    pub(super) fn new(root: PathBuf) -> Self {
        Self { root }
    }

    pub(super) fn root(&self) -> &Path {
        &self.root
    }

    pub(super) fn describe(&self) -> String {
        self.root.display().to_string()
    }

    /// The file for an object name, refusing names that could leave the directory.
    fn file(&self, path: &str) -> Result<PathBuf, MediaStoreError> {
        if is_object_name(path) {
            Ok(self.root.join(path))
        } else {
            Err(self.error("naming", path, std::io::Error::other("not a media path")))
        }
    }

    fn error(&self, operation: &'static str, path: &str, e: std::io::Error) -> MediaStoreError {
        io_error(operation, path, self.describe(), e)
    }

    pub(super) async fn put_new(&self, path: &str, bytes: Bytes) -> Result<Put, MediaStoreError> {
        self.file(path)?;
        let (root, name) = (self.root.clone(), path.to_owned());
        let written =
            tokio::task::spawn_blocking(move || crate::files::write_new_file(&root, &name, &bytes))
                .await
                .map_err(std::io::Error::other)
                .and_then(|written| written);
        match written {
            Ok(_) => Ok(Put::Written),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(Put::Taken),
            Err(e) => Err(self.error("writing", path, e)),
        }
    }

    pub(super) async fn read(&self, path: &str) -> Result<Option<Bytes>, MediaStoreError> {
        match tokio::fs::read(self.file(path)?).await {
            Ok(bytes) => Ok(Some(Bytes::from(bytes))),
            Err(e) if is_missing(&e) => Ok(None),
            Err(e) => Err(self.error("reading", path, e)),
        }
    }

    pub(super) async fn read_range(
        &self,
        path: &str,
        range: Range<u64>,
    ) -> Result<Option<Bytes>, MediaStoreError> {
        let file = self.file(path)?;
        let read = tokio::task::spawn_blocking(move || {
            let mut file = std::fs::File::open(file)?;
            file.seek(SeekFrom::Start(range.start))?;
            let length = usize::try_from(range.end.saturating_sub(range.start))
                .map_err(std::io::Error::other)?;
            let mut bytes = vec![0; length];
            file.read_exact(&mut bytes)?;
            Ok::<_, std::io::Error>(bytes)
        })
        .await
        .map_err(std::io::Error::other)
        .and_then(|read| read);
        match read {
            Ok(bytes) => Ok(Some(Bytes::from(bytes))),
            Err(e) if is_missing(&e) => Ok(None),
            Err(e) => Err(self.error("reading", path, e)),
        }
    }

    pub(super) async fn info(&self, path: &str) -> Result<Option<ObjectInfo>, MediaStoreError> {
        match tokio::fs::metadata(self.file(path)?).await {
            Ok(metadata) if metadata.is_file() => Ok(Some(object_info(path, &metadata))),
            Ok(_) => Ok(None),
            Err(e) if is_missing(&e) => Ok(None),
            Err(e) => Err(self.error("reading", path, e)),
        }
    }

    pub(super) async fn remove(&self, paths: &[String]) -> Result<(), MediaStoreError> {
        for path in paths {
            match tokio::fs::remove_file(self.file(path)?).await {
                Err(e) if !is_missing(&e) => return Err(self.error("removing", path, e)),
                _ => {}
            }
        }
        Ok(())
    }

    pub(super) async fn list(&self) -> Result<Vec<ObjectInfo>, MediaStoreError> {
        let root = self.root.clone();
        tokio::task::spawn_blocking(move || list_below(&root))
            .await
            .map_err(std::io::Error::other)
            .and_then(|listed| listed)
            .map_err(|e| self.error("listing", "", e))
    }
}

/// Every complete file below `root` (partial files are hidden, and skipped).
fn list_below(root: &Path) -> std::io::Result<Vec<ObjectInfo>> {
    let mut found = Vec::new();
    let mut folders = vec![String::new()];
    while let Some(folder) = folders.pop() {
        let entries = match std::fs::read_dir(root.join(&folder)) {
            Err(e) if is_missing(&e) && folder.is_empty() => return Ok(found),
            entries => entries?,
        };
        for entry in entries {
            let entry = entry?;
            let Some(name) = entry.file_name().to_str().map(str::to_owned) else {
                continue;
            };
            if name.starts_with('.') {
                continue;
            }
            let path = if folder.is_empty() {
                name
            } else {
                format!("{folder}/{name}")
            };
            let metadata = entry.metadata()?;
            if metadata.is_dir() {
                folders.push(path);
            } else if metadata.is_file() {
                found.push(object_info(&path, &metadata));
            }
        }
    }
    Ok(found)
}

/// Files are never rewritten in place, so size and modification time identify the bytes.
fn object_info(path: &str, metadata: &std::fs::Metadata) -> ObjectInfo {
    let modified = metadata
        .modified()
        .ok()
        .and_then(|at| Timestamp::try_from(at).ok())
        .unwrap_or(Timestamp::UNIX_EPOCH);
    ObjectInfo {
        path: path.to_owned(),
        size: metadata.len(),
        // HTTP dates have whole seconds: Last-Modified must not claim a later time than ours.
        last_modified: Timestamp::from_second(modified.as_second()).unwrap_or(modified),
        etag: format!(
            "\"{:x}-{:x}\"",
            metadata.len(),
            modified.as_nanosecond().unsigned_abs()
        ),
    }
}

fn is_missing(error: &std::io::Error) -> bool {
    matches!(
        error.kind(),
        std::io::ErrorKind::NotFound | std::io::ErrorKind::IsADirectory
    )
}
