//! The `media_variants` job: writes an uploaded image's narrower sizes beside it and records
//! them, so pages start listing them in `srcset`.
//!
//! The work is the newsroom's (`gazette_newsroom::media::make_variants`): resizing on a blocking
//! thread, then the files recorded and the job completed in one unit of work.

use std::path::PathBuf;

use anyhow::Context as _;
use gazette_core::MediaId;
use gazette_store::{BoxFuture, ClaimedJob, MEDIA_VARIANTS, Store};

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
            gazette_newsroom::media::make_variants(store, &self.media_dir, id, job).await?;
            Ok(())
        })
    }
}
