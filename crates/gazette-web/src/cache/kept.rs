//! What the cache keeps besides pages, whether or not pages are cached: listings' totals,
//! articles' comment lists and thread views, months' sitemap addresses. Each is data a render
//! reads, kept until the change marks (or the store's revision) say it changed.

use std::sync::Arc;

use gazette_core::{ArticleAddress, Comment};
use gazette_store::{ArticleFilter, MonthAddresses, StoreError};

use super::{MonthPart, PageCache, Shows};
use crate::locks::read;

impl PageCache {
    /// How many published articles `filter` selects: counted by `count` once per site
    /// generation, even with page caching off (a count is data, not a page, and goes stale
    /// with the same changes).
    pub async fn listing_total<F, Fut, E>(&self, filter: &ArticleFilter, count: F) -> Result<u64, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<u64, E>>,
    {
        let counted_at = self.site_generation();
        if let Some(total) = self.totals.get(filter, counted_at) {
            return Ok(total);
        }
        let total = count().await?;
        self.totals
            .keep(filter, total, counted_at, self.site_generation());
        Ok(total)
    }

    /// The published comments of `article`, read by `load` unless the list read before is
    /// still what the store holds: nothing has changed its discussion since (a change to
    /// everything, or too many changes to remember, counts as one).
    pub async fn published_comments<F, Fut, E>(
        &self,
        article: i64,
        load: F,
    ) -> Result<Arc<[Comment]>, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Vec<Comment>, E>>,
    {
        let shows = [Shows::Discussion(article)];
        if let Some((ticket, comments)) = self.threads.get(article)
            && read(&self.index).unchanged_since(ticket, &shows)
        {
            return Ok(comments);
        }
        let ticket = self.ticket();
        let comments: Arc<[Comment]> = load().await?.into();
        // Kept even if the discussion changed meanwhile: the next request sees the mark and
        // reads again.
        self.threads.keep(article, ticket, comments.clone());
        Ok(comments)
    }

    /// The template values of an article's threads, built by `build` from `comments` (as
    /// [`PageCache::published_comments`] gave them) and kept with them: the same list shown
    /// the same way (`key`: the site's generation, the comment page, whether comments are
    /// open, the article's address) reuses them.
    pub fn thread_views(
        &self,
        article: i64,
        comments: &Arc<[Comment]>,
        key: &str,
        build: impl FnOnce() -> minijinja::Value,
    ) -> minijinja::Value {
        self.threads.views(article, comments, key, build)
    }

    /// The sitemap addresses of `part`, read by `read` (given the revision of the list kept,
    /// if any) unless the store says the kept list is current (see `months`).
    pub async fn month_addresses<F, Fut>(
        &self,
        part: MonthPart,
        read: F,
    ) -> Result<Arc<[ArticleAddress]>, StoreError>
    where
        F: FnOnce(Option<u64>) -> Fut,
        Fut: Future<Output = Result<MonthAddresses, StoreError>>,
    {
        let kept = self.months.get(part);
        match read(kept.as_ref().map(|(revision, _)| *revision)).await? {
            MonthAddresses::Read {
                revision,
                addresses,
            } => {
                let addresses: Arc<[ArticleAddress]> = addresses.into();
                self.months.keep(part, revision, Arc::clone(&addresses));
                Ok(addresses)
            }
            MonthAddresses::Unchanged => match kept {
                Some((_, addresses)) => Ok(addresses),
                // Not reached: nothing kept is never unchanged.
                None => Err(StoreError::Corrupt {
                    what: "month addresses",
                    detail: "unchanged, but none kept".to_owned(),
                }),
            },
        }
    }
}
