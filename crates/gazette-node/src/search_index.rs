//! Keeps this node's search index in step with the change log, and rebuilds it from the store
//! (at first start, when the index was unreadable, after a bulk change, and for
//! `gazette search reindex`).
//!
//! The index's own commits carry the last change they include, so the follower resumes from
//! there after a restart. Only published articles without a password are indexed; every other
//! article is removed from the index when it changes.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use anyhow::Context as _;
use gazette_core::{Article, ArticleId};
use gazette_search::{Builder, IndexedArticle, Link, SearchIndex};
use gazette_store::{BoxFuture, Change, ChangeId, ChangeKind, Store};
use gazette_web::cache::PageCache;
use gazette_web::{indexed_article, is_searchable};

use crate::follower::ChangeConsumer;

/// Articles read from the store at once while rebuilding.
const REBUILD_BATCH: u64 = 500;

/// The follower's consumer for the search index.
#[derive(Debug)]
pub struct SearchIndexer {
    index: Arc<SearchIndex>,
    store: Store,
    /// Article pages show related articles from the index: when a whole new index is swapped
    /// in, pages cached before it are stale.
    page_cache: Arc<PageCache>,
}

impl SearchIndexer {
    pub fn new(index: Arc<SearchIndex>, store: Store, page_cache: Arc<PageCache>) -> Self {
        Self {
            index,
            store,
            page_cache,
        }
    }

    /// Brings the index up to date with `changes` (oldest first), committing `last`.
    async fn apply_changes(&self, changes: &[Change]) -> anyhow::Result<()> {
        let Some(last) = changes.last().map(|c| c.id) else {
            return Ok(());
        };
        let mut ids: HashSet<i64> = HashSet::new();
        for change in changes {
            let Some(entity) = change.entity_id else {
                continue;
            };
            // A renamed or merged section, tag or author changes what its articles match.
            let link = match change.kind {
                ChangeKind::Article => {
                    ids.insert(entity);
                    continue;
                }
                ChangeKind::Section => Link::Section,
                ChangeKind::Tag => Link::Tag,
                ChangeKind::Person => Link::Author,
                _ => continue,
            };
            ids.extend(self.index.linked_to(link, entity)?);
            ids.extend(self.store_linked_to(link, entity).await?);
        }
        self.refresh(&ids.into_iter().collect::<Vec<_>>(), last)
            .await
    }

    /// The published articles the store links to a section, tag or author.
    async fn store_linked_to(&self, link: Link, id: i64) -> anyhow::Result<Vec<i64>> {
        use gazette_core::{PersonId, SectionId, TagId};
        use gazette_store::ArticleFilter;
        let filter = match link {
            Link::Section => ArticleFilter::InSections(vec![SectionId(id)]),
            Link::Tag => ArticleFilter::Tagged(TagId(id)),
            Link::Author => ArticleFilter::ByAuthor(PersonId(id)),
        };
        let mut found = Vec::new();
        let mut offset = 0;
        loop {
            let listing = self
                .store
                .published_articles(&filter, offset, REBUILD_BATCH)
                .await?;
            let count = listing.articles.len() as u64;
            found.extend(listing.articles.iter().map(|a| a.id.0));
            offset += count;
            if count < REBUILD_BATCH {
                return Ok(found);
            }
        }
    }

    /// Re-reads these articles from the store: the searchable ones are (re)indexed, the others
    /// (unpublished, protected, deleted) removed. Commits with `position` once all are done;
    /// a rename touching thousands of articles goes in chunks whose commits keep the old
    /// position, so a crash in between redoes the whole change.
    async fn refresh(&self, ids: &[i64], position: ChangeId) -> anyhow::Result<()> {
        let names = Names::load(&self.store).await?;
        let chunks: Vec<&[i64]> = ids.chunks(REBUILD_BATCH as usize).collect();
        let before = self.index.position().unwrap_or(position.0);
        if chunks.is_empty() {
            return self.apply(Vec::new(), Vec::new(), position.0).await;
        }
        for (n, chunk) in chunks.iter().enumerate() {
            let article_ids: Vec<ArticleId> = chunk.iter().map(|id| ArticleId(*id)).collect();
            let articles = self.store.articles_by_ids(&article_ids).await?;
            let upserts: Vec<IndexedArticle> = articles
                .iter()
                .filter(|a| is_searchable(a))
                .map(|a| names.indexed(a))
                .collect();
            let indexed: HashSet<i64> = upserts.iter().map(|a| a.id).collect();
            let deletes: Vec<i64> = chunk
                .iter()
                .copied()
                .filter(|id| !indexed.contains(id))
                .collect();
            let commit_at = if n + 1 == chunks.len() {
                position.0
            } else {
                before
            };
            self.apply(upserts, deletes, commit_at).await?;
        }
        Ok(())
    }

    /// One commit to the index, off the async threads.
    async fn apply(
        &self,
        upserts: Vec<IndexedArticle>,
        deletes: Vec<i64>,
        position: i64,
    ) -> anyhow::Result<()> {
        let index = self.index.clone();
        tokio::task::spawn_blocking(move || index.apply(&upserts, &deletes, position))
            .await
            .context("the search index task panicked")??;
        Ok(())
    }

    /// Opens the generation `gazette search reindex` swapped in, if it did. That generation was
    /// built from an older point of the log: what it lacks is re-applied.
    async fn follow_reindex(&self) -> anyhow::Result<()> {
        if let Some(swapped) = self.index.follow_swap()? {
            let position = swapped.map_or(ChangeId(-1), ChangeId);
            self.catch_up_after_swap(position).await?;
            self.page_cache
                .invalidate(gazette_web::cache::Change::Everything);
        }
        Ok(())
    }

    /// The changes another process's reindex missed: the ones after its position.
    async fn catch_up_after_swap(&self, position: ChangeId) -> anyhow::Result<()> {
        let mut from = position;
        loop {
            let batch = self.store.changes_after(from, 500).await?;
            let Some(last) = batch.last().map(|c| c.id) else {
                return Ok(());
            };
            if batch.iter().any(|c| c.kind == ChangeKind::Bulk) {
                return rebuild(&self.index, &self.store).await.map(|_| ());
            }
            self.apply_changes(&batch).await?;
            from = last;
        }
    }
}

impl ChangeConsumer for SearchIndexer {
    fn name(&self) -> &'static str {
        "search_index"
    }

    /// The position of the index's last commit. An index without one (new, or set aside as
    /// unreadable) reports a position before every change, which makes the follower rebuild it.
    fn position(&self) -> BoxFuture<'_, anyhow::Result<Option<ChangeId>>> {
        Box::pin(async move {
            self.index.follow_swap()?;
            Ok(Some(self.index.position().map_or(ChangeId(-1), ChangeId)))
        })
    }

    fn apply<'a>(&'a self, changes: &'a [Change]) -> BoxFuture<'a, anyhow::Result<()>> {
        Box::pin(async move {
            self.follow_reindex().await?;
            let pending: Vec<Change> = match self.index.position() {
                Some(at) => changes.iter().filter(|c| c.id.0 > at).cloned().collect(),
                None => changes.to_vec(),
            };
            self.apply_changes(&pending).await
        })
    }

    fn rebuild(&self, _head: ChangeId) -> BoxFuture<'_, anyhow::Result<()>> {
        Box::pin(async move {
            rebuild(&self.index, &self.store).await?;
            self.page_cache
                .invalidate(gazette_web::cache::Change::Everything);
            Ok(())
        })
    }

    fn idle(&self) -> BoxFuture<'_, anyhow::Result<()>> {
        Box::pin(self.follow_reindex())
    }
}

/// Builds a fresh generation from every searchable article beside the live one and swaps it
/// in; returns how many articles it holds. Its position is the head of the change log read
/// before the first article, so changes made during the build are applied afterwards.
pub async fn rebuild(index: &Arc<SearchIndex>, store: &Store) -> anyhow::Result<u64> {
    let built = build(index.builder()?, store).await?;
    let articles = built.articles;
    let index = index.clone();
    tokio::task::spawn_blocking(move || index.swap_in(built))
        .await
        .context("the search index task panicked")??;
    tracing::info!(articles, "search index rebuilt");
    Ok(articles)
}

/// Fills `builder` with every searchable article and makes it the current generation on
/// disk. A server using the same directory opens it within a poll interval (see
/// [`SearchIndexer`]'s `idle`).
pub async fn build(builder: Builder, store: &Store) -> anyhow::Result<gazette_search::Built> {
    let head = store.latest_change_id().await?;
    let builder = fill(builder, store).await?;
    let built = tokio::task::spawn_blocking(move || builder.finish(head.0))
        .await
        .context("the search index task panicked")??;
    Ok(built)
}

/// Adds every searchable article to `builder`, in batches by id.
async fn fill(mut builder: Builder, store: &Store) -> anyhow::Result<Builder> {
    let names = Names::load(store).await?;
    let mut after = ArticleId(0);
    loop {
        let batch = store.published_articles_after(after, REBUILD_BATCH).await?;
        let Some(last) = batch.last().map(|a| a.id) else {
            return Ok(builder);
        };
        let documents: Vec<IndexedArticle> = batch
            .iter()
            .filter(|a| is_searchable(a))
            .map(|a| names.indexed(a))
            .collect();
        builder = tokio::task::spawn_blocking(move || {
            builder.add(&documents)?;
            Ok::<_, gazette_search::SearchError>(builder)
        })
        .await
        .context("the search index task panicked")??;
        after = last;
    }
}

/// The names of authors, sections and tags, which searches match as well as the text.
struct Names {
    people: HashMap<i64, String>,
    sections: HashMap<i64, String>,
    tags: HashMap<i64, String>,
}

impl Names {
    async fn load(store: &Store) -> anyhow::Result<Self> {
        Ok(Self {
            people: store
                .people()
                .await?
                .into_iter()
                .map(|p| (p.id.0, p.display_name))
                .collect(),
            sections: store
                .sections()
                .await?
                .into_iter()
                .map(|s| (s.id.0, s.name))
                .collect(),
            tags: store
                .tags()
                .await?
                .into_iter()
                .map(|t| (t.id.0, t.name))
                .collect(),
        })
    }

    fn indexed(&self, article: &Article) -> IndexedArticle {
        let authors = article
            .authors
            .iter()
            .filter_map(|id| self.people.get(&id.0));
        let sections = article.sections().filter_map(|id| self.sections.get(&id.0));
        let tags = article.tags.iter().filter_map(|id| self.tags.get(&id.0));
        let names = authors.chain(sections).chain(tags).cloned().collect();
        indexed_article(article, names)
    }
}
