//! Scheduled publishing: the job the store enqueues when an article is scheduled, run by
//! whichever node claims it, at the article's time.
//!
//! The article turns public in the same unit of work that completes the job
//! (`gazette_newsroom::articles::publish_scheduled`), so it is published exactly once however
//! many nodes run; a node that was down when the time came finds the job overdue on start and
//! publishes at once.

use anyhow::Context as _;
use gazette_core::ArticleId;
use gazette_store::{BoxFuture, ClaimedJob, PUBLISH_SCHEDULED, Store};

use crate::runner::JobHandler;

/// Publishes a scheduled article whose time has come.
#[derive(Debug)]
pub struct PublishScheduled;

impl JobHandler for PublishScheduled {
    fn kind(&self) -> &'static str {
        PUBLISH_SCHEDULED
    }

    fn run<'a>(
        &'a self,
        store: &'a Store,
        job: &'a ClaimedJob,
    ) -> BoxFuture<'a, anyhow::Result<()>> {
        Box::pin(async move {
            let id = job
                .number("article_id")
                .map(ArticleId)
                .context("the publish job has no article_id")?;
            let published = gazette_newsroom::articles::publish_scheduled(store, id, job).await?;
            if published {
                tracing::info!(article = id.0, "published a scheduled article");
            }
            Ok(())
        })
    }
}
