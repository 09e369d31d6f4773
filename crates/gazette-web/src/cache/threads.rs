//! Each article's published comments, kept between renders until its discussion changes.
//!
//! An article page with 200 comments spent about a third of its uncached render reading and
//! decoding them, and an article page renders again after every change to the article, to an
//! article its related cards show, and after evictions, while its comments rarely changed
//! meanwhile. Like listing totals, the comments are data, kept whether or not pages are; a
//! kept list is served only while the page cache's change marks say its discussion has not
//! changed since it was read (`PageCache::published_comments`).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use gazette_core::Comment;

use super::Ticket;
use crate::locks::lock;

/// Past this many bytes of kept comments, all are dropped and read again as asked.
const MAX_BYTES: usize = 16 * 1024 * 1024;

/// Past this many articles with kept thread views, all views are dropped and built again.
const MAX_VIEWS: usize = 64;

/// The comment lists read so far, and where the cache stood when each was read.
#[derive(Debug, Default)]
pub(super) struct KeptThreads {
    kept: Mutex<Kept>,
}

#[derive(Debug, Default)]
struct Kept {
    bytes: usize,
    by_article: HashMap<i64, (Ticket, Arc<[Comment]>)>,
    /// The template values last built from each article's kept list: see [`KeptThreads::views`].
    views: HashMap<i64, KeptViews>,
}

/// Thread views built from one kept list, for one way of showing it.
#[derive(Debug)]
struct KeptViews {
    /// The very list they were built from: held, so that it cannot be freed and another take
    /// its place at the same address.
    comments: Arc<[Comment]>,
    /// Everything else the views depend on (the caller's key).
    key: String,
    views: minijinja::Value,
}

impl KeptThreads {
    /// The list kept for `article` and when it was read, if there is one.
    pub(super) fn get(&self, article: i64) -> Option<(Ticket, Arc<[Comment]>)> {
        lock(&self.kept).by_article.get(&article).cloned()
    }

    /// Keeps `comments`, read from the store after `ticket` was taken.
    pub(super) fn keep(&self, article: i64, ticket: Ticket, comments: Arc<[Comment]>) {
        let size = heap_size(&comments);
        let mut kept = lock(&self.kept);
        // Views of a list no longer kept would keep it alive for nothing.
        kept.views.remove(&article);
        if let Some((_, old)) = kept.by_article.remove(&article) {
            kept.bytes -= heap_size(&old);
        }
        // A list larger than the whole bound is not kept, and does not empty the others.
        if size > MAX_BYTES {
            return;
        }
        if kept.bytes + size > MAX_BYTES {
            kept.by_article.clear();
            kept.views.clear();
            kept.bytes = 0;
        }
        kept.bytes += size;
        kept.by_article.insert(article, (ticket, comments));
    }

    /// The views `build` makes of `comments` (a list this cache handed out) shown as `key`
    /// says, built again only when the list or the key changed. An article page with 200
    /// comments spent a quarter of its render making one template value per comment (its
    /// avatar's keyed hash, its dates), for a list that had not changed since the last render.
    pub(super) fn views(
        &self,
        article: i64,
        comments: &Arc<[Comment]>,
        key: &str,
        build: impl FnOnce() -> minijinja::Value,
    ) -> minijinja::Value {
        if let Some(kept) = lock(&self.kept).views.get(&article)
            && Arc::ptr_eq(&kept.comments, comments)
            && kept.key == key
        {
            return kept.views.clone();
        }
        let views = build();
        let mut kept = lock(&self.kept);
        if kept.views.len() >= MAX_VIEWS && !kept.views.contains_key(&article) {
            kept.views.clear();
        }
        let entry = KeptViews {
            comments: Arc::clone(comments),
            key: key.to_owned(),
            views: views.clone(),
        };
        kept.views.insert(article, entry);
        views
    }
}

/// What a list of comments holds on the heap, near enough to bound the total.
fn heap_size(comments: &[Comment]) -> usize {
    comments
        .iter()
        .map(|comment| {
            std::mem::size_of::<Comment>()
                + comment.author_name.len()
                + comment.author_email.len()
                + comment.author_url.len()
                + comment.body.len()
                + comment.body_html.as_str().len()
        })
        .sum()
}
