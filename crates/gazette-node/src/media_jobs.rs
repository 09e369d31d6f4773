//! The media store's two jobs:
//!
//! - `media_variants` makes an uploaded image's narrower sizes and crops, stores them and
//!   records them, so pages start listing them in `srcset`;
//! - `media_remove_files` removes objects no row names any more, queued by the unit of work
//!   that stopped naming them.
//!
//! The work is the newsroom's (`gazette_newsroom::media`).

use anyhow::Context as _;
use gazette_core::MediaId;
use gazette_media::MediaStore;
use gazette_store::{BoxFuture, ClaimedJob, MEDIA_REMOVE_FILES, MEDIA_VARIANTS, Store};

use crate::runner::JobHandler;

/// The image a media job is about (`media_id` in its payload), when it names one.
fn media_id_of(job: &ClaimedJob) -> Option<MediaId> {
    job.number("media_id").map(MediaId)
}

#[derive(Debug)]
pub struct MakeVariants {
    media: MediaStore,
}

impl MakeVariants {
    pub fn new(media: MediaStore) -> Self {
        Self { media }
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
            let id = media_id_of(job).context("the job has no media_id")?;
            gazette_newsroom::media::make_variants(store, &self.media, id, job).await?;
            Ok(())
        })
    }
}

#[derive(Debug)]
pub struct RemoveFiles {
    media: MediaStore,
}

impl RemoveFiles {
    pub fn new(media: MediaStore) -> Self {
        Self { media }
    }
}

impl JobHandler for RemoveFiles {
    fn kind(&self) -> &'static str {
        MEDIA_REMOVE_FILES
    }

    fn run<'a>(
        &'a self,
        store: &'a Store,
        job: &'a ClaimedJob,
    ) -> BoxFuture<'a, anyhow::Result<()>> {
        Box::pin(async move {
            let paths: Vec<String> = job
                .payload
                .get("paths")
                .cloned()
                .map(serde_json::from_value)
                .transpose()
                .context("the job's paths are not a list of names")?
                .context("the job has no paths")?;
            let of = media_id_of(job);
            gazette_newsroom::media::remove_files(store, &self.media, of, &paths, job).await?;
            Ok(())
        })
    }
}
