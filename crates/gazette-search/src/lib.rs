//! Full-text search over published articles, with tantivy.
//!
//! The index is a node-local cache of the store, kept in step by the follower (see
//! ARCHITECTURE): every commit carries the id of the last change it applied, so a restart
//! resumes where it stopped. Only what readers may find is indexed: published articles without
//! a password. Results are ids; the caller reads the articles from the store.
//!
//! On disk, the index directory holds generations (`generation-{n}/`, each a whole tantivy
//! index) and a `current` symbolic link naming the live one. A rebuild writes a new generation
//! beside the live one and replaces the link with an atomic rename, so `gazette search reindex`
//! can run while a server is searching: the server notices the new link, opens the new
//! generation and removes the old ones. An index that cannot be read is replaced by an empty
//! generation that asks to be rebuilt.
//!
//! The crate's modules: `generation` (the directories and the `current` link) and `builder`
//! (a full rebuild) on disk; `schema` and `query` for what is indexed and asked; `results`,
//! `order` and `related` for what a search returns.

mod builder;
mod candidates;
mod generation;
mod order;
mod query;
mod related;
mod results;
mod schema;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

use tantivy::collector::DocSetCollector;
use tantivy::{DocAddress, Index, Searcher, Term};

use builder::document;
pub use builder::{Builder, Built};
use generation::{
    Live, Payload, commit, current_dir, is_building, new_generation, open_live, payload,
};
pub use order::SearchOrder;
pub use query::{Filters, MAX_QUERY_CHARS, ParsedQuery};
pub use results::{Hit, SearchResults, Snippet};
use schema::ANALYSER;
pub use schema::stemmer_language;

/// How much memory the writer may buffer before flushing a segment.
const WRITER_HEAP: usize = 50_000_000;
/// The link naming the live generation.
const CURRENT: &str = "current";

/// Why the index cannot do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index at {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "the search index in {path} is in use by another process: is another `gazette serve` using this index_dir?"
    )]
    InUse { path: PathBuf },
    #[error("the search index in {path} was built by an earlier version of Gazette; it is rebuilt")]
    EarlierSchema { path: PathBuf },
    #[error("search index: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> SearchError + '_ {
    move |source| SearchError::Io {
        path: path.to_owned(),
        source,
    }
}

/// What an article can be linked to besides its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Link {
    Section,
    Tag,
    Author,
}

/// One published article as the index sees it.
#[derive(Debug, Clone, Default)]
pub struct IndexedArticle {
    pub id: i64,
    pub headline: String,
    pub standfirst: String,
    /// The body as plain text.
    pub body: String,
    /// Authors', sections' and tags' names.
    pub names: Vec<String>,
    /// The article's sections (its archive pages list it under each).
    pub sections: Vec<i64>,
    pub tags: Vec<i64>,
    pub authors: Vec<i64>,
    pub published: jiff::Timestamp,
}

/// A search: its text, filters and the page of results wanted.
#[derive(Debug, Clone, Default)]
pub struct SearchRequest {
    pub text: String,
    pub filters: Filters,
    pub offset: usize,
    pub limit: usize,
    /// For the recency boost.
    pub now: jiff::Timestamp,
    /// Match only the articles' own text (headline, standfirst, body), not their authors',
    /// sections' and tags' names: what WordPress's search looks at.
    pub text_only: bool,
    pub order: SearchOrder,
}

/// The node's search index.
#[derive(Debug)]
pub struct SearchIndex {
    root: PathBuf,
    language: String,
    live: RwLock<Arc<Live>>,
}

impl SearchIndex {
    /// Opens the index under `root` for a publication in `language` (a BCP 47 tag), creating
    /// it if needed. An index that cannot be read, or was built for another language, is set
    /// aside for an empty one: [`SearchIndex::position`] is then None and the caller rebuilds.
    pub fn open(root: &Path, language: &str) -> Result<Self, SearchError> {
        std::fs::create_dir_all(root).map_err(io(root))?;
        let live = match current_dir(root).map(|dir| open_live(&dir, language)) {
            Some(Ok(live)) if payload(&live.index).is_some_and(|p| p.language == language) => live,
            Some(Ok(_)) => {
                tracing::info!(path = %root.display(), "search index built for another language; starting a new one");
                new_generation(root, language)?
            }
            // Another server holds the writer: setting its index aside would pull it from under it.
            Some(Err(SearchError::Tantivy(tantivy::TantivyError::LockFailure(..)))) => {
                return Err(SearchError::InUse {
                    path: root.to_owned(),
                });
            }
            Some(Err(SearchError::EarlierSchema { .. })) => {
                tracing::info!(path = %root.display(), "search index built by an earlier version; starting a new one");
                new_generation(root, language)?
            }
            Some(Err(error)) => {
                tracing::warn!(path = %root.display(), %error, "search index unreadable; starting a new one");
                new_generation(root, language)?
            }
            None => new_generation(root, language)?,
        };
        let index = Self {
            root: root.to_owned(),
            language: language.to_owned(),
            live: RwLock::new(Arc::new(live)),
        };
        index.remove_old_generations();
        Ok(index)
    }

    /// The last change the live generation includes; None when it needs a full build.
    pub fn position(&self) -> Option<i64> {
        let live = self.live();
        payload(&live.index).map(|p| p.position)
    }

    /// The language the index stems for.
    pub fn language(&self) -> &str {
        &self.language
    }

    fn live(&self) -> Arc<Live> {
        self.live
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Opens a generation another process swapped in (`gazette search reindex`), if any.
    /// Returns the new generation's position: the caller re-applies the changes after it.
    pub fn follow_swap(&self) -> Result<Option<Option<i64>>, SearchError> {
        let Some(dir) = current_dir(&self.root) else {
            return Ok(None);
        };
        if dir == self.live().dir {
            return Ok(None);
        }
        let live = open_live(&dir, &self.language)?;
        let position = payload(&live.index).map(|p| p.position);
        *self
            .live
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Arc::new(live);
        self.remove_old_generations();
        tracing::info!(path = %dir.display(), "search index swapped in");
        Ok(Some(position))
    }

    /// Replaces or adds `upserts`, removes `deletes`, and commits with `position`.
    pub fn apply(
        &self,
        upserts: &[IndexedArticle],
        deletes: &[i64],
        position: i64,
    ) -> Result<(), SearchError> {
        let live = self.live();
        let mut writer = lock(&live.writer);
        for id in deletes.iter().chain(upserts.iter().map(|a| &a.id)) {
            writer.delete_term(Term::from_field_u64(live.fields.id, query::id_value(*id)));
        }
        for article in upserts {
            writer.add_document(document(&live.fields, article))?;
        }
        commit(
            &mut writer,
            &Payload {
                position,
                language: self.language.clone(),
            },
        )?;
        drop(writer);
        live.reader.reload()?;
        live.forget_closed_files();
        Ok(())
    }

    /// Starts a new generation beside the live one, for a full rebuild.
    pub fn builder(&self) -> Result<Builder, SearchError> {
        Builder::new(&self.root, &self.language)
    }

    /// Makes a finished build live.
    pub fn swap_in(&self, built: Built) -> Result<(), SearchError> {
        let live = open_live(&built.dir, &self.language)?;
        *self
            .live
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Arc::new(live);
        self.remove_old_generations();
        Ok(())
    }

    /// Every generation but the live one is removed (a crashed build, a replaced index).
    fn remove_old_generations(&self) {
        let live = self.live().dir.clone();
        let Ok(entries) = std::fs::read_dir(&self.root) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let is_generation = entry
                .file_name()
                .to_str()
                .is_some_and(|n| n.starts_with("generation-"));
            if is_generation
                && path != live
                && !is_building(&path)
                && let Err(error) = std::fs::remove_dir_all(&path)
            {
                tracing::warn!(path = %path.display(), %error, "could not remove an old search index");
            }
        }
    }

    /// The ids of indexed articles linked to a section, tag or author: when its name changes,
    /// they are re-read, including those the store no longer links to it (a merged tag).
    pub fn linked_to(&self, link: Link, id: i64) -> Result<Vec<i64>, SearchError> {
        let live = self.live();
        let field = match link {
            Link::Section => live.fields.section,
            Link::Tag => live.fields.tag,
            Link::Author => live.fields.author,
        };
        let searcher = live.reader.searcher();
        let found = searcher.search(&query::id_term(field, id), &DocSetCollector)?;
        Ok(found
            .into_iter()
            .filter_map(|address| id_of(&searcher, address))
            .collect())
    }

    /// How many articles the live generation holds.
    pub fn len(&self) -> u64 {
        self.live().reader.searcher().num_docs()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The live generation's size on disk, in bytes.
    pub fn size_on_disk(&self) -> u64 {
        dir_size(&self.live().dir)
    }
}

fn analyser_of(index: &Index, language: &str) -> tantivy::tokenizer::TextAnalyzer {
    index
        .tokenizers()
        .get(ANALYSER)
        .unwrap_or_else(|| schema::analyser(language))
}

pub(crate) fn id_of(searcher: &Searcher, address: DocAddress) -> Option<i64> {
    let column = searcher
        .segment_reader(address.segment_ord)
        .fast_fields()
        .u64("id")
        .ok()?;
    i64::try_from(column.first(address.doc_id)?).ok()
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn dir_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .filter_map(|e| e.metadata().ok())
                .filter(|m| m.is_file())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

#[cfg(test)]
mod tests;
