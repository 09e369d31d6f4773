//! Files below the media directory, and the narrower sizes and crops made from an image.
//!
//! A file appears whole or not at all: each is written under a hidden `.partial` name (which
//! `/media/` never serves), synced, then linked into place, which refuses a name already
//! taken, so two writers racing for one name never overwrite each other.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use gazette_core::Media;

use crate::{Limits, MediaError};

/// Writes `bytes` at `relative` below `media_dir`, creating folders as needed; fails with
/// `AlreadyExists` when a file has that name.
pub(crate) fn write_new_file(
    media_dir: &Path,
    relative: &str,
    bytes: &[u8],
) -> std::io::Result<PathBuf> {
    let target = media_dir.join(relative);
    let folder = target
        .parent()
        .ok_or_else(|| std::io::Error::other(format!("{relative} has no folder")))?;
    fs::create_dir_all(folder)?;
    let name = target
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| std::io::Error::other(format!("{relative} has no file name")))?;
    // A partial name of our own: concurrent writers never share one.
    let partial = folder.join(format!(
        ".{name}.{}-{}.partial",
        std::process::id(),
        next_write_number()
    ));
    let mut file = fs::File::create(&partial)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    // A hard link is atomic and refuses an existing name, unlike a rename.
    let placed = fs::hard_link(&partial, &target);
    let _ = fs::remove_file(&partial);
    placed.map(|()| target)
}

/// A number that differs between writes in one process (the partial file's name).
fn next_write_number() -> u32 {
    use std::sync::atomic::{AtomicU32, Ordering};
    static NEXT: AtomicU32 = AtomicU32::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// A file made from an image, to be stored under `path`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Derived {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Why variants or crops could not be made.
#[derive(Debug, thiserror::Error)]
pub enum VariantError {
    #[error("resizing {path}: {source}")]
    Resize { path: String, source: MediaError },
}

/// Every narrower size an item should have, made from its clean full-size bytes. Animated
/// images have none.
pub fn make_variants(clean: &[u8], media: &Media) -> Result<Vec<(u32, Derived)>, VariantError> {
    if media.animated {
        return Ok(Vec::new());
    }
    let mut made = Vec::new();
    for width in crate::variant_widths(media.width) {
        let bytes = crate::variant(clean, width, &Limits::default()).map_err(|source| {
            VariantError::Resize {
                path: media.path.clone(),
                source,
            }
        })?;
        let path = media.variant_path(width);
        made.push((width, Derived { path, bytes }));
    }
    Ok(made)
}

/// The card and social crops of an item for `focus` (named after the focal point, so crops
/// pages already name are never replaced).
pub fn make_crops(
    clean: &[u8],
    media: &Media,
    focus: gazette_core::FocalPoint,
) -> Result<Vec<Derived>, VariantError> {
    let mut made = Vec::new();
    for crop in media.every_crop_for(focus) {
        let bytes = crate::crop(
            clean,
            crop.source,
            crop.width,
            crop.height,
            &Limits::default(),
        )
        .map_err(|source| VariantError::Resize {
            path: media.path.clone(),
            source,
        })?;
        made.push(Derived {
            path: crop.path,
            bytes,
        });
    }
    Ok(made)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_files_never_replace_and_leave_no_partial_behind() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let dir = dir.path();
        write_new_file(dir, "2026/11/a.jpg", b"first").expect("a new name is free");
        let again = write_new_file(dir, "2026/11/a.jpg", b"second").expect_err("taken");
        assert_eq!(again.kind(), std::io::ErrorKind::AlreadyExists);
        assert_eq!(fs::read(dir.join("2026/11/a.jpg")).expect("kept"), b"first");
        let names: Vec<_> = fs::read_dir(dir.join("2026/11"))
            .expect("the folder")
            .filter_map(Result::ok)
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names, ["a.jpg"], "no partial file is left");
    }
}
