//! Keeps this node's page cache in step with the change log: each change, made on any node,
//! removes the cached pages that show what it changed (an article, its discussion), or every
//! page when it may show anywhere (settings, people, sections, tags, pages, media, redirects,
//! imports).

use std::sync::Arc;

use gazette_store::{BoxFuture, Change, ChangeId, ChangeKind};
use gazette_web::cache::{self, PageCache};

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
            for change in changes {
                self.0.invalidate(for_pages(change));
            }
            Ok(())
        })
    }

    fn rebuild(&self, _head: ChangeId) -> BoxFuture<'_, anyhow::Result<()>> {
        Box::pin(async move {
            self.0.invalidate(cache::Change::Everything);
            Ok(())
        })
    }
}

/// What a change in the log means for cached pages.
fn for_pages(change: &Change) -> cache::Change {
    match (change.kind, change.entity_id) {
        (ChangeKind::Article, Some(id)) => cache::Change::Article(id),
        (ChangeKind::Comment, Some(article)) => cache::Change::Discussion(article),
        _ => cache::Change::Everything,
    }
}
