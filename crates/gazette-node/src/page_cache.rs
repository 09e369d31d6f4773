//! Keeps this node's page cache in step with the change log: any content change, made on any
//! node, makes every cached page stale (newsroom write rates are low; see ARCHITECTURE,
//! "Reads are cheap").

use std::sync::Arc;

use gazette_store::{BoxFuture, Change, ChangeId};
use gazette_web::cache::PageCache;

use crate::follower::ChangeConsumer;

/// The follower's consumer for the page cache.
#[derive(Debug)]
pub struct PageCacheInvalidator(pub Arc<PageCache>);

impl ChangeConsumer for PageCacheInvalidator {
    fn name(&self) -> &'static str {
        "page_cache"
    }

    /// The cache lives in memory: it starts empty and follows from the head of the log.
    fn position(&self) -> BoxFuture<'_, anyhow::Result<Option<ChangeId>>> {
        Box::pin(async { Ok(None) })
    }

    fn apply<'a>(&'a self, changes: &'a [Change]) -> BoxFuture<'a, anyhow::Result<()>> {
        Box::pin(async move {
            if !changes.is_empty() {
                self.0.invalidate();
            }
            Ok(())
        })
    }

    fn rebuild(&self, _head: ChangeId) -> BoxFuture<'_, anyhow::Result<()>> {
        Box::pin(async move {
            self.0.invalidate();
            Ok(())
        })
    }
}
