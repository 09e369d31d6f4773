//! The export's `post_id`s: one numbering for posts, pages, attachments and menu entries.

use std::collections::HashMap;

use gazette_core::PageId;
use gazette_store::{Store, WordPressKind};

use super::Context;

/// The `post_id`s of the export, which WordPress's importer needs unique across posts, pages,
/// attachments and menu entries (it skips an id it has seen). Articles keep theirs; a page
/// keeps its own unless an article has it; an image an import brought keeps its WordPress
/// id unless taken; everything else is numbered above all of these.
pub(super) struct ItemIds {
    kept_media: HashMap<i64, i64>,
    media_base: i64,
    pages: HashMap<PageId, i64>,
    taken: std::collections::HashSet<i64>,
    next_own: i64,
}

impl ItemIds {
    pub(super) async fn new(context: &Context, store: &Store) -> anyhow::Result<Self> {
        let mut taken: std::collections::HashSet<i64> =
            store.article_ids().await?.into_iter().collect();
        let kept_media = store
            .wordpress_ids_by_gazette_id(WordPressKind::Attachment)
            .await?;
        let highest_media = store.highest_media_id().await?;
        let media_base = context
            .first_free_id
            .max(kept_media.values().copied().max().unwrap_or(0) + 1);
        let mut next_own = media_base + highest_media + 1;
        let mut pages = HashMap::new();
        for page in &context.pages {
            let id = if taken.contains(&page.id.0) {
                next_own += 1;
                next_own - 1
            } else {
                page.id.0
            };
            taken.insert(id);
            pages.insert(page.id, id);
        }
        Ok(Self {
            kept_media,
            media_base,
            pages,
            taken,
            next_own,
        })
    }

    /// A library item's attachment id.
    pub(super) fn media(&self, media: gazette_core::MediaId) -> i64 {
        self.kept_media
            .get(&media.0)
            .copied()
            .filter(|id| !self.taken.contains(id))
            .unwrap_or(self.media_base + media.0)
    }

    /// A page's id in the export.
    pub(super) fn page(&self, page: PageId) -> i64 {
        self.pages.get(&page).copied().unwrap_or(page.0)
    }

    /// An id for an item of no other kind (an image from elsewhere, a menu entry).
    pub(super) fn next_own(&mut self) -> i64 {
        self.next_own += 1;
        self.next_own - 1
    }
}
