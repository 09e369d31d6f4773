//! The media directory on disk. Files appear whole or not at all: each is written under a
//! hidden `.partial` name (which `/media/` never serves), synced, then renamed into place.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use gazette_core::Media;

use crate::{Limits, MediaError};

/// Writes `bytes` at `relative` below `media_dir`, creating folders as needed and replacing a
/// file already there (variants, which a job may write again).
pub fn write_file(media_dir: &Path, relative: &str, bytes: &[u8]) -> std::io::Result<PathBuf> {
    write(media_dir, relative, bytes, Replace::Yes)
}

/// Like [`write_file`], but fails with `AlreadyExists` instead of replacing a file: two uploads
/// racing for one name can never overwrite each other.
pub fn write_new_file(media_dir: &Path, relative: &str, bytes: &[u8]) -> std::io::Result<PathBuf> {
    write(media_dir, relative, bytes, Replace::No)
}

#[derive(PartialEq)]
enum Replace {
    Yes,
    No,
}

fn write(
    media_dir: &Path,
    relative: &str,
    bytes: &[u8],
    replace: Replace,
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
    let placed = if replace == Replace::Yes {
        fs::rename(&partial, &target)
    } else {
        // A hard link is atomic and refuses an existing name, unlike a rename.
        fs::hard_link(&partial, &target).and_then(|()| fs::remove_file(&partial))
    };
    if let Err(error) = placed {
        let _ = fs::remove_file(&partial);
        return Err(error);
    }
    Ok(target)
}

/// A number that differs between writes in one process (the partial file's name).
fn next_write_number() -> u32 {
    use std::sync::atomic::{AtomicU32, Ordering};
    static NEXT: AtomicU32 = AtomicU32::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// Removes files below the media directory; ones already gone are not an error.
pub fn remove_files(media_dir: &Path, paths: &[String]) -> std::io::Result<()> {
    for relative in paths {
        match fs::remove_file(media_dir.join(relative)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
    }
    Ok(())
}

/// Why variants could not be made.
#[derive(Debug, thiserror::Error)]
pub enum VariantError {
    #[error("reading {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("writing {path}: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
    #[error("resizing {path}: {source}")]
    Resize { path: String, source: MediaError },
}

/// Writes every variant an item should have beside its full-size file and returns their
/// widths. Animated images have none.
pub fn make_variants(media_dir: &Path, media: &Media) -> Result<Vec<u32>, VariantError> {
    if media.animated {
        return Ok(Vec::new());
    }
    let clean = fs::read(media_dir.join(&media.path)).map_err(|source| VariantError::Read {
        path: media.path.clone(),
        source,
    })?;
    let widths = crate::variant_widths(media.width);
    for width in &widths {
        let bytes = crate::variant(&clean, *width, &Limits::default()).map_err(|source| {
            VariantError::Resize {
                path: media.path.clone(),
                source,
            }
        })?;
        let path = media.variant_path(*width);
        write_file(media_dir, &path, &bytes)
            .map_err(|source| VariantError::Write { path, source })?;
    }
    Ok(widths)
}

/// Writes the card and social crops of an item for `focus` beside its full-size file (the
/// files are named after the focal point, so crops pages already name are never replaced).
pub fn make_crops(
    media_dir: &Path,
    media: &Media,
    focus: gazette_core::FocalPoint,
) -> Result<(), VariantError> {
    let crops = media.every_crop_for(focus);
    if crops.is_empty() {
        return Ok(());
    }
    let clean = fs::read(media_dir.join(&media.path)).map_err(|source| VariantError::Read {
        path: media.path.clone(),
        source,
    })?;
    for crop in crops {
        let bytes = crate::crop(
            &clean,
            crop.source,
            crop.width,
            crop.height,
            &Limits::default(),
        )
        .map_err(|source| VariantError::Resize {
            path: media.path.clone(),
            source,
        })?;
        write_file(media_dir, &crop.path, &bytes).map_err(|source| VariantError::Write {
            path: crop.path.clone(),
            source,
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_files_never_replace_and_leave_no_partial_behind() {
        let dir = std::env::temp_dir().join(format!("gazette-media-files-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        write_new_file(&dir, "2026/11/a.jpg", b"first").expect("a new name is free");
        let again = write_new_file(&dir, "2026/11/a.jpg", b"second").expect_err("taken");
        assert_eq!(again.kind(), std::io::ErrorKind::AlreadyExists);
        assert_eq!(fs::read(dir.join("2026/11/a.jpg")).expect("kept"), b"first");
        write_file(&dir, "2026/11/a.jpg", b"third").expect("variants may replace");
        assert_eq!(
            fs::read(dir.join("2026/11/a.jpg")).expect("replaced"),
            b"third"
        );
        let names: Vec<_> = fs::read_dir(dir.join("2026/11"))
            .expect("the folder")
            .filter_map(Result::ok)
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names, ["a.jpg"], "no partial file is left");
        let _ = fs::remove_dir_all(&dir);
    }
}
