//! The media library: uploads, their descriptions and their deletion. An upload is a cleaned
//! image written under a free name that no other upload can take, then recorded with the job
//! that makes its variants, in that order, so a row never names an object that is not
//! complete. Objects a row stops naming are removed by a job queued in that same unit of work.

use bytes::Bytes;
use gazette_core::media::stored_stem;
use gazette_core::{Media, MediaId};
use gazette_media::{MediaStore, MediaStoreError, Prepared, Put};
use gazette_store::{
    CreatedRecord, IdempotencyKey, MEDIA_REMOVE_FILES, MEDIA_VARIANTS, MediaDeletion, MediaText,
    NewJob, NewMedia, Once, Store, StoreError, WriteTx,
};

/// Why an upload was not kept.
#[derive(Debug, thiserror::Error)]
pub enum UploadError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("writing the file into the media store failed")]
    Media(#[source] MediaStoreError),
    /// A thousand images this month share the file's name.
    #[error("too many images this month share this file name; rename the file and upload it again")]
    NameTaken,
}

/// Writes the clean file under a free name, then records it with its variants job. If the
/// record was not written, the object is removed again; when that is unknown (the connection
/// failed during the commit) it is left for `gazette media sweep` to judge, since removing it
/// could leave a record without its file. With an idempotency key an earlier upload used, the
/// new object is removed and that upload's image is named.
pub async fn upload(
    store: &Store,
    media: &MediaStore,
    uploaded_by: gazette_core::PersonId,
    upload: Upload<'_>,
    prepared: Prepared,
) -> Result<Once<Media>, UploadError> {
    let Upload {
        file_name,
        text,
        once,
    } = upload;
    let byte_size = prepared.bytes.len() as u64;
    let path =
        write_under_free_name(store, media, file_name, prepared.format, prepared.bytes).await?;
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
    let made = |media: &Media| CreatedRecord {
        kind: "media",
        id: media.id.0,
    };
    let stored = store
        .write_once(once, made, |tx| {
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
    let unrecorded = match &stored {
        Ok(Once::Done(_)) | Err(StoreError::OutcomeUnknown(_)) => false,
        Ok(Once::Repeated(_)) | Err(_) => true,
    };
    if unrecorded && let Err(e) = media.remove(std::slice::from_ref(&path)).await {
        tracing::warn!(error = %e, %path, "an unrecorded upload could not be removed");
    }
    stored.map_err(UploadError::Store)
}

/// What an upload is called and described as, and the idempotency key it came with.
#[derive(Debug, Clone, Copy)]
pub struct Upload<'a> {
    pub file_name: &'a str,
    pub text: &'a MediaText,
    pub once: Option<&'a IdempotencyKey>,
}

/// `YYYY/MM/{name}.{ext}` for this month, numbered (`-2`, `-3`, …) past names already taken
/// by a record or an object. The name is claimed by a write that never replaces: a concurrent
/// upload (on any node) that took it makes this one try the next.
async fn write_under_free_name(
    store: &Store,
    media: &MediaStore,
    file_name: &str,
    format: gazette_core::ImageFormat,
    bytes: Vec<u8>,
) -> Result<String, UploadError> {
    let now = store.clock().now().to_zoned(jiff::tz::TimeZone::UTC);
    let folder = format!("{:04}/{:02}", now.year(), now.month());
    let stem = stored_stem(file_name);
    let bytes = Bytes::from(bytes);
    for n in 1..1000 {
        let name = if n == 1 {
            stem.clone()
        } else {
            format!("{stem}-{n}")
        };
        let path = format!("{folder}/{name}.{}", format.extension());
        if store.media_path_taken(&path).await? {
            continue;
        }
        match media.put_new(&path, bytes.clone()).await {
            Ok(Put::Written) => return Ok(path),
            Ok(Put::Taken) => continue,
            Err(e) => return Err(UploadError::Media(e)),
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

/// Removes an image used nowhere: the store checks, in the unit of work that deletes the
/// record, that nothing uses it, and queues the removal of its files in that same unit.
pub async fn delete_unused(store: &Store, id: MediaId) -> Result<MediaDeletion, StoreError> {
    store
        .write(|tx| {
            Box::pin(async move {
                let deletion = tx.delete_unused_media(id).await?;
                if let MediaDeletion::Deleted(deleted) = &deletion {
                    queue_removal(tx, None, deleted.file_paths()).await?;
                }
                Ok(deletion)
            })
        })
        .await
}

/// Queues the removal of objects no row names any more; `of`, the image whose earlier crops
/// they are, when it still exists.
async fn queue_removal(
    tx: &mut WriteTx,
    of: Option<MediaId>,
    paths: Vec<String>,
) -> Result<(), StoreError> {
    if paths.is_empty() {
        return Ok(());
    }
    let payload = serde_json::json!({ "paths": paths, "media_id": of.map(|id| id.0) });
    tx.enqueue_job(&NewJob::new(MEDIA_REMOVE_FILES, payload, tx.now()))
        .await?;
    Ok(())
}

/// The removal job: removes the objects (ones already gone are fine) and completes. Files the
/// image names again by now are kept: if this job was delayed (a retry) past a focal point
/// moved back, the media job found those crops still there and recorded them again.
pub async fn remove_files(
    store: &Store,
    media: &MediaStore,
    of: Option<MediaId>,
    paths: &[String],
    job: &gazette_store::ClaimedJob,
) -> Result<(), VariantsError> {
    let named = match of {
        Some(id) => store
            .media(id)
            .await?
            .map(|item| item.file_paths())
            .unwrap_or_default(),
        None => Vec::new(),
    };
    let unnamed: Vec<String> = paths
        .iter()
        .filter(|path| !named.contains(path))
        .cloned()
        .collect();
    media.remove(&unnamed).await.map_err(VariantsError::Media)?;
    store.complete_job(job).await?;
    Ok(())
}

/// Changes an item's focal point and asks the media job to make crops around it; false when
/// there is no such item. Pages keep the previous crops until the new ones are stored.
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

/// The media job: makes an image's missing narrower sizes and its crops for the current focal
/// point (on a blocking thread), stores them, then records them and completes the job (`job`)
/// in one unit of work. The objects are stored first, so a crash in between only means the
/// job runs again and finds them already there. Crops for an earlier focal point are queued
/// for removal in the unit of work that stops naming them. An image deleted since completes
/// the job with nothing to do.
pub async fn make_variants(
    store: &Store,
    media: &MediaStore,
    id: MediaId,
    job: &gazette_store::ClaimedJob,
) -> Result<(), VariantsError> {
    let Some(item) = store.media(id).await? else {
        store.complete_job(job).await?;
        return Ok(());
    };
    let work = MediaWork::for_item(&item);
    let clean = media
        .read(&item.path)
        .await
        .map_err(VariantsError::Media)?
        .ok_or_else(|| VariantsError::Missing(item.path.clone()))?;
    let made = {
        let item = item.clone();
        tokio::task::spawn_blocking(move || work.make_files(&clean, &item))
            .await
            .map_err(|_| VariantsError::Stopped)?
            .map_err(VariantsError::Resizing)?
    };
    let Made { files, widths } = made;
    for file in files {
        // Taken: an earlier run of this job stored it (the bytes are made the same way).
        media
            .put_new(&file.path, Bytes::from(file.bytes))
            .await
            .map_err(VariantsError::Media)?;
    }
    let job = job.clone();
    store
        .write(|tx| {
            Box::pin(async move {
                if let Some(widths) = &widths {
                    tx.set_media_variants(id, widths).await?;
                }
                if let Some(focus) = work.crops {
                    let recorded = tx.set_media_crops(id, focus).await?;
                    // The crops no longer named: the earlier point's, or these if the point
                    // moved again meanwhile.
                    let stale = if recorded {
                        item.crops_focus.filter(|previous| *previous != focus)
                    } else {
                        Some(focus)
                    };
                    if let Some(stale) = stale {
                        queue_removal(tx, Some(id), crop_paths(&item, stale)).await?;
                    }
                }
                tx.complete_job(&job).await?;
                Ok::<_, StoreError>(())
            })
        })
        .await?;
    Ok(())
}

/// What the media job has to make for one image.
#[derive(Debug, Clone, Copy)]
struct MediaWork {
    variants: bool,
    /// The focal point to make crops for, when they are missing.
    crops: Option<gazette_core::FocalPoint>,
}

/// The files the media job made, and the variant widths when variants were due.
struct Made {
    files: Vec<gazette_media::Derived>,
    widths: Option<Vec<u32>>,
}

impl MediaWork {
    fn for_item(media: &Media) -> Self {
        Self {
            variants: !media.animated
                && media.variant_widths != gazette_media::variant_widths(media.width),
            crops: media.needs_crops().then_some(media.focus),
        }
    }

    fn make_files(self, clean: &[u8], media: &Media) -> Result<Made, gazette_media::VariantError> {
        let mut made = Made {
            files: Vec::new(),
            widths: None,
        };
        if self.variants {
            let variants = gazette_media::make_variants(clean, media)?;
            made.widths = Some(variants.iter().map(|(width, _)| *width).collect());
            made.files
                .extend(variants.into_iter().map(|(_, file)| file));
        }
        if let Some(focus) = self.crops {
            made.files
                .extend(gazette_media::make_crops(clean, media, focus)?);
        }
        Ok(made)
    }
}

/// The crop files an image has for `focus`.
fn crop_paths(media: &Media, focus: gazette_core::FocalPoint) -> Vec<String> {
    media
        .every_crop_for(focus)
        .into_iter()
        .map(|crop| crop.path)
        .collect()
}

/// Why an image's sizes were not made, or files not removed (the job is retried).
#[derive(Debug, thiserror::Error)]
pub enum VariantsError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Media(MediaStoreError),
    #[error("the image {0} is missing from the media store")]
    Missing(String),
    #[error("resizing the image failed")]
    Resizing(#[source] gazette_media::VariantError),
    #[error("the resizing thread stopped")]
    Stopped,
}
