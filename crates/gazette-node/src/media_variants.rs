//! The `media_variants` job: writes an uploaded image's narrower sizes beside it and records
//! them, so pages start listing them in `srcset`.
//!
//! Resizing runs on a blocking thread, off the async workers. The files are written before the
//! unit of work that records them and completes the job, so a crash in between only means the
//! job runs again and overwrites the same files.

use std::path::PathBuf;

use anyhow::Context as _;
use gazette_core::MediaId;
use gazette_store::{BoxFuture, ClaimedJob, MEDIA_VARIANTS, Store, StoreError};

use crate::runner::JobHandler;

#[derive(Debug)]
pub struct MakeVariants {
    media_dir: PathBuf,
}

impl MakeVariants {
    pub fn new(media_dir: PathBuf) -> Self {
        Self { media_dir }
    }
}

impl JobHandler for MakeVariants {
    fn kind(&self) -> &'static str {
        MEDIA_VARIANTS
    }

    fn run<'a>(
        &'a self,
        store: &'a Store,
        job: &'a ClaimedJob,
    ) -> BoxFuture<'a, anyhow::Result<()>> {
        Box::pin(async move {
            let id = job
                .payload
                .get("media_id")
                .and_then(serde_json::Value::as_i64)
                .map(MediaId)
                .context("the job has no media_id")?;
            // Deleted since the upload: nothing to do.
            let Some(media) = store.media(id).await? else {
                store.complete_job(job).await?;
                return Ok(());
            };
            let media_dir = self.media_dir.clone();
            let widths = tokio::task::spawn_blocking(move || {
                gazette_media::make_variants(&media_dir, &media)
            })
            .await
            .context("the resizing thread stopped")??;
            let job = job.clone();
            store
                .write(|tx| {
                    Box::pin(async move {
                        tx.set_media_variants(id, &widths).await?;
                        tx.complete_job(&job).await?;
                        Ok::<_, StoreError>(())
                    })
                })
                .await?;
            Ok(())
        })
    }
}
