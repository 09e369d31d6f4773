//! The media library: uploads, their descriptions and their deletion. An upload is a cleaned
//! image written under a free name that no other upload can take, then recorded with the job
//! that makes its variants, in that order, so a row never names a file that is not complete.

use std::path::Path;

use gazette_core::media::stored_stem;
use gazette_core::{Media, MediaId};
use gazette_media::Prepared;
use gazette_store::{
    MEDIA_VARIANTS, MediaDeletion, MediaText, NewJob, NewMedia, Store, StoreError,
};

/// Why an upload was not kept.
#[derive(Debug, thiserror::Error)]
pub enum UploadError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("writing the file into the media directory failed")]
    Io(#[source] std::io::Error),
    /// Every free name was claimed by concurrent uploads meanwhile; worth retrying.
    #[error("other uploads took every free name meanwhile")]
    Busy,
    /// A thousand images this month share the file's name.
    #[error("too many images this month share this file name; rename the file and upload it again")]
    NameTaken,
}

/// Writes the clean file under a free name, then records it with its variants job. If the
/// record cannot be written, the file is removed again.
pub async fn upload(
    store: &Store,
    media_dir: &Path,
    uploaded_by: gazette_core::PersonId,
    file_name: &str,
    text: &MediaText,
    prepared: Prepared,
) -> Result<Media, UploadError> {
    let byte_size = prepared.bytes.len() as u64;
    let path =
        write_under_free_name(store, media_dir, file_name, prepared.format, prepared.bytes).await?;
    let new = NewMedia {
        path: path.clone(),
        original_name: file_name.chars().take(200).collect(),
        format: prepared.format,
        width: prepared.width,
        height: prepared.height,
        byte_size,
        animated: prepared.animated,
        alt: text.alt.clone(),
        caption: text.caption.clone(),
        credit: text.credit.clone(),
        uploaded_by: Some(uploaded_by),
    };
    // Still images get narrower sizes and crops; animations are served as they are.
    let needs_variants = !prepared.animated;
    let stored = store
        .write(|tx| {
            Box::pin(async move {
                let media = tx.insert_media(&new).await?;
                if needs_variants {
                    let payload = serde_json::json!({ "media_id": media.id.0 });
                    let job = NewJob::new(MEDIA_VARIANTS, payload, tx.now());
                    tx.enqueue_job(&job).await?;
                }
                Ok::<_, StoreError>(media)
            })
        })
        .await;
    match stored {
        Ok(media) => Ok(media),
        Err(error) => {
            let _ = tokio::fs::remove_file(media_dir.join(&path)).await;
            Err(UploadError::Store(error))
        }
    }
}

/// Writes the clean file under a free name and returns its path. The name is claimed by a
/// write that never replaces a file: a concurrent upload that took it makes this one try the
/// next.
async fn write_under_free_name(
    store: &Store,
    media_dir: &Path,
    file_name: &str,
    format: gazette_core::ImageFormat,
    bytes: Vec<u8>,
) -> Result<String, UploadError> {
    let bytes = std::sync::Arc::new(bytes);
    for _ in 0..10 {
        let candidate = free_path(store, media_dir, file_name, format).await?;
        let (media_dir, relative, data) = (media_dir.to_owned(), candidate.clone(), bytes.clone());
        let written = tokio::task::spawn_blocking(move || {
            gazette_media::write_new_file(&media_dir, &relative, &data)
        })
        .await
        .map_err(|e| UploadError::Io(std::io::Error::other(e)))?;
        match written {
            Ok(_) => return Ok(candidate),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(UploadError::Io(e)),
        }
    }
    Err(UploadError::Busy)
}

/// `YYYY/MM/{name}.{ext}` for this month, numbered (`-2`, `-3`, …) past names already taken
/// by a record or a file.
async fn free_path(
    store: &Store,
    media_dir: &Path,
    file_name: &str,
    format: gazette_core::ImageFormat,
) -> Result<String, UploadError> {
    let now = store.clock().now().to_zoned(jiff::tz::TimeZone::UTC);
    let folder = format!("{:04}/{:02}", now.year(), now.month());
    let stem = stored_stem(file_name);
    for n in 1..1000 {
        let name = if n == 1 {
            stem.clone()
        } else {
            format!("{stem}-{n}")
        };
        let path = format!("{folder}/{name}.{}", format.extension());
        let on_disk = tokio::fs::try_exists(media_dir.join(&path))
            .await
            .unwrap_or(true);
        if !on_disk && !store.media_path_taken(&path).await? {
            return Ok(path);
        }
    }
    Err(UploadError::NameTaken)
}

/// Changes an item's text alternative, caption and credit; false when there is no such item.
pub async fn describe(store: &Store, id: MediaId, text: MediaText) -> Result<bool, StoreError> {
    store
        .write(|tx| Box::pin(async move { tx.describe_media(id, &text).await }))
        .await
}

/// Removes an image used nowhere: its record first (the store checks, in that unit of work,
/// that nothing uses it), then its files, so a crash in between leaves unlisted files rather
/// than a record without them. Files that cannot be removed are logged, not reported: the
/// image is gone from the library either way.
pub async fn delete_unused(
    store: &Store,
    media_dir: &Path,
    id: MediaId,
) -> Result<MediaDeletion, StoreError> {
    let deletion = store
        .write(|tx| Box::pin(async move { tx.delete_unused_media(id).await }))
        .await?;
    if let MediaDeletion::Deleted(deleted) = &deletion {
        let files = deleted.file_paths();
        remove_quietly(media_dir, files, &deleted.path, "deleted image's files").await;
    }
    Ok(deletion)
}

/// Changes an item's focal point and asks the media job to make crops around it; false when
/// there is no such item. Pages keep the previous crops until the new ones are on disk.
pub async fn set_focus(
    store: &Store,
    id: MediaId,
    focus: gazette_core::FocalPoint,
) -> Result<bool, StoreError> {
    store
        .write(|tx| {
            Box::pin(async move {
                let changed = tx.set_media_focus(id, focus).await?;
                if changed {
                    let payload = serde_json::json!({ "media_id": id.0 });
                    let job = NewJob::new(MEDIA_VARIANTS, payload, tx.now());
                    tx.enqueue_job(&job).await?;
                }
                Ok(changed)
            })
        })
        .await
}

/// The media job: writes an image's missing narrower sizes and its crops for the current
/// focal point beside it (on a blocking thread), then records them and completes the job
/// (`job`) in one unit of work. The files are written first, so a crash in between only means
/// the job runs again and overwrites the same files. Crops for an earlier focal point are
/// removed once the new ones are recorded. An image deleted since completes the job with
/// nothing to do.
pub async fn make_variants(
    store: &Store,
    media_dir: &Path,
    id: MediaId,
    job: &gazette_store::ClaimedJob,
) -> Result<(), VariantsError> {
    let Some(media) = store.media(id).await? else {
        store.complete_job(job).await?;
        return Ok(());
    };
    let work = MediaWork::for_item(&media);
    let (dir, item) = (media_dir.to_owned(), media.clone());
    let widths = tokio::task::spawn_blocking(move || work.make_files(&dir, &item))
        .await
        .map_err(|_| VariantsError::Stopped)?
        .map_err(VariantsError::Resizing)?;
    let job = job.clone();
    let crops_recorded = store
        .write(|tx| {
            Box::pin(async move {
                if let Some(widths) = &widths {
                    tx.set_media_variants(id, widths).await?;
                }
                let recorded = match work.crops {
                    Some(focus) => tx.set_media_crops(id, focus).await?,
                    None => false,
                };
                tx.complete_job(&job).await?;
                Ok::<_, StoreError>(recorded)
            })
        })
        .await?;
    if let Some(focus) = work.crops {
        // The crops no longer named: the earlier point's, or these if the point moved again.
        let stale = if crops_recorded {
            media.crops_focus.filter(|previous| *previous != focus)
        } else {
            Some(focus)
        };
        if let Some(stale) = stale {
            remove_crops(media_dir, &media, stale).await;
        }
    }
    Ok(())
}

/// What the media job has to make for one image.
#[derive(Debug, Clone, Copy)]
struct MediaWork {
    variants: bool,
    /// The focal point to make crops for, when they are missing.
    crops: Option<gazette_core::FocalPoint>,
}

impl MediaWork {
    fn for_item(media: &Media) -> Self {
        Self {
            variants: !media.animated
                && media.variant_widths != gazette_media::variant_widths(media.width),
            crops: media.needs_crops().then_some(media.focus),
        }
    }

    /// Writes the files; the variant widths made, when variants were due.
    fn make_files(
        self,
        media_dir: &Path,
        media: &Media,
    ) -> Result<Option<Vec<u32>>, gazette_media::VariantError> {
        let widths = if self.variants {
            Some(gazette_media::make_variants(media_dir, media)?)
        } else {
            None
        };
        if let Some(focus) = self.crops {
            gazette_media::make_crops(media_dir, media, focus)?;
        }
        Ok(widths)
    }
}

/// Removes the crop files an image had for `focus`.
async fn remove_crops(media_dir: &Path, media: &Media, focus: gazette_core::FocalPoint) {
    let paths = media
        .every_crop_for(focus)
        .into_iter()
        .map(|crop| crop.path)
        .collect();
    remove_quietly(media_dir, paths, &media.path, "earlier crops").await;
}

/// Removes files nothing names any more (on a blocking thread); a failure is logged, not
/// reported: the record no longer points at them either way.
async fn remove_quietly(media_dir: &Path, paths: Vec<String>, image: &str, what: &str) {
    let dir = media_dir.to_owned();
    let removed =
        tokio::task::spawn_blocking(move || gazette_media::remove_files(&dir, &paths)).await;
    if let Ok(Err(error)) | Err(error) = removed.map_err(std::io::Error::other) {
        tracing::warn!(%error, path = %image, "{what} could not all be removed");
    }
}

/// Why an image's sizes were not made (the job is retried).
#[derive(Debug, thiserror::Error)]
pub enum VariantsError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("resizing the image failed")]
    Resizing(#[source] gazette_media::VariantError),
    #[error("the resizing thread stopped")]
    Stopped,
}
