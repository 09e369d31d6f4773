//! Scheduled publishing: the job the store enqueues when an article is scheduled, run by
//! whichever node claims it, at the article's time.
//!
//! The article turns public in the same unit of work that completes the job, so it is
//! published exactly once however many nodes run; a node that was down when the time came
//! finds the job overdue on start and publishes at once.

use anyhow::Context as _;
use gazette_core::{ArticleId, Status};
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
                .payload
                .get("article_id")
                .and_then(serde_json::Value::as_i64)
                .map(ArticleId)
                .context("the publish job has no article_id")?;
            let job = job.clone();
            let published = store
                .write(|tx| {
                    Box::pin(async move {
                        // Article first, then job: the order an editor's save takes them in.
                        tx.lock_article(id).await?;
                        // Complete before saving: saving the article as published cancels
                        // its publication job, which must by then be ours and done.
                        tx.complete_job(&job).await?;
                        let Some(mut article) = tx.article(id).await? else {
                            return Ok::<_, gazette_store::StoreError>(false);
                        };
                        if article.status != Status::Scheduled {
                            return Ok(false); // unscheduled since: nothing to publish
                        }
                        if article.published_at.is_none_or(|at| at > tx.now()) {
                            // Moved later while this job was claimed: saving the article
                            // again enqueues its job for the new time.
                            tx.update_article(&article).await?;
                            return Ok(false);
                        }
                        article.status = Status::Published;
                        tx.update_article(&article).await?;
                        Ok(true)
                    })
                })
                .await?;
            if published {
                tracing::info!(article = id.0, "published a scheduled article");
            }
            Ok(())
        })
    }
}
