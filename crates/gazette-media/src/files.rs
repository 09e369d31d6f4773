//! The media directory on disk. Files appear whole or not at all: each is written under a
//! hidden `.partial` name (which `/media/` never serves), synced, then renamed into place.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use gazette_core::Media;

use crate::{Limits, MediaError};

/// Writes `bytes` at `relative` below `media_dir`, creating folders as needed.
pub fn write_file(media_dir: &Path, relative: &str, bytes: &[u8]) -> std::io::Result<PathBuf> {
    let target = media_dir.join(relative);
    let folder = target
        .parent()
        .ok_or_else(|| std::io::Error::other(format!("{relative} has no folder")))?;
    fs::create_dir_all(folder)?;
    let name = target
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| std::io::Error::other(format!("{relative} has no file name")))?;
    let partial = folder.join(format!(".{name}.partial"));
    let mut file = fs::File::create(&partial)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    fs::rename(&partial, &target)?;
    Ok(target)
}

/// Removes an item's files; ones already gone are not an error.
pub fn remove_files(media_dir: &Path, media: &Media) -> std::io::Result<()> {
    for relative in media.file_paths() {
        match fs::remove_file(media_dir.join(&relative)) {
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
