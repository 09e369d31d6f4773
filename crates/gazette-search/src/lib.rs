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

mod order;
mod query;
mod schema;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

use tantivy::collector::{DocSetCollector, TopDocs};
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::snippet::SnippetGenerator;
use tantivy::{
    DocAddress, Index, IndexReader, IndexWriter, ReloadPolicy, Searcher, TantivyDocument, Term,
};

pub use order::SearchOrder;
pub use query::{Filters, MAX_QUERY_CHARS, ParsedQuery};
pub use schema::stemmer_language;
use schema::{ANALYSER, Fields};

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

/// A page of results, best first.
#[derive(Debug)]
pub struct SearchResults {
    pub hits: Vec<Hit>,
    /// How many articles match in all.
    pub total: usize,
    pub parsed: ParsedQuery,
    highlighter: Option<Highlighter>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    pub id: i64,
    /// How well it matches; 0 when the results are in date order.
    pub score: f32,
}

/// An excerpt of a text around the query's matches, with the matches' byte ranges.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    pub text: String,
    pub highlights: Vec<std::ops::Range<usize>>,
}

/// What a snippet needs: the query's terms and the analyser that finds them in a text.
struct Highlighter {
    terms: std::collections::BTreeMap<String, tantivy::Score>,
    analyser: tantivy::tokenizer::TextAnalyzer,
    field: tantivy::schema::Field,
}

impl std::fmt::Debug for Highlighter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Highlighter")
    }
}

impl SearchResults {
    /// The part of `text` (a result's body as plain text) that best shows the matches, at most
    /// about `max_chars` long; the start of the text when nothing in it matches.
    pub fn snippet(&self, text: &str, max_chars: usize) -> Snippet {
        let Some(highlighter) = &self.highlighter else {
            return opening(text, max_chars);
        };
        let generator = SnippetGenerator::new(
            highlighter.terms.clone(),
            highlighter.analyser.clone(),
            highlighter.field,
            max_chars,
        );
        let snippet = generator.snippet(text);
        if snippet.is_empty() {
            return opening(text, max_chars);
        }
        Snippet {
            text: snippet.fragment().to_owned(),
            highlights: snippet.highlighted().to_vec(),
        }
    }
}

impl SearchResults {
    /// `text` whole (a headline), with the query's matches in it.
    pub fn highlight(&self, text: &str) -> Snippet {
        let whole = text.chars().count().max(1);
        let snippet = self.snippet(text, whole);
        if snippet.text == text {
            snippet
        } else {
            // The generator trims what it returns; a headline is shown whole, so its ranges
            // are found again in the untrimmed text.
            let offset = text.find(snippet.text.as_str()).unwrap_or(0);
            Snippet {
                text: text.to_owned(),
                highlights: snippet
                    .highlights
                    .iter()
                    .map(|r| r.start + offset..r.end + offset)
                    .collect(),
            }
        }
    }
}

/// The first `max_chars` characters of `text`, cut at a word.
fn opening(text: &str, max_chars: usize) -> Snippet {
    let end = text
        .char_indices()
        .nth(max_chars)
        .map_or(text.len(), |(at, _)| at);
    let cut = if end < text.len() {
        text[..end].rfind(char::is_whitespace).unwrap_or(end)
    } else {
        end
    };
    Snippet {
        text: text[..cut].trim_end().to_owned(),
        highlights: Vec::new(),
    }
}

/// The live generation: its index, reader and writer.
struct Live {
    dir: PathBuf,
    index: Index,
    reader: IndexReader,
    writer: Mutex<IndexWriter<TantivyDocument>>,
    fields: Fields,
}

impl std::fmt::Debug for Live {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Live")
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

/// What a commit records besides the documents.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Payload {
    /// The last change applied.
    position: i64,
    /// The language the analyser stems for.
    language: String,
}

impl Payload {
    fn encode(&self) -> String {
        format!("position={};language={}", self.position, self.language)
    }

    fn decode(text: &str) -> Option<Self> {
        let mut position = None;
        let mut language = None;
        for part in text.split(';') {
            match part.split_once('=')? {
                ("position", value) => position = value.parse().ok(),
                ("language", value) => language = Some(value.to_owned()),
                _ => {}
            }
        }
        Some(Self {
            position: position?,
            language: language?,
        })
    }
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

    /// One page of results for `request`.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults, SearchError> {
        let live = self.live();
        let mut analyser = analyser_of(&live.index, &self.language);
        let parsed = query::parse(&request.text, &mut analyser);
        if parsed.is_empty() || request.limit == 0 {
            return Ok(SearchResults {
                hits: Vec::new(),
                total: 0,
                parsed,
                highlighter: None,
            });
        }
        let query = query::build(&parsed, &request.filters, &live.fields, request.text_only);
        let searcher = live.reader.searcher();
        let (hits, total) = order::page(&searcher, &*query, request)?;
        let mut terms = std::collections::BTreeMap::new();
        for term in parsed.terms() {
            terms.insert(term.clone(), 1.0);
        }
        let highlighter = Highlighter {
            terms,
            analyser,
            field: live.fields.body,
        };
        Ok(SearchResults {
            hits,
            total,
            parsed,
            highlighter: Some(highlighter),
        })
    }

    /// Up to `limit` published articles like `article`: sharing its tags (most), its sections
    /// and its vocabulary (the index's more-like-this), never the article itself.
    pub fn related(&self, article: &IndexedArticle, limit: usize) -> Result<Vec<i64>, SearchError> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        let live = self.live();
        let fields = &live.fields;
        let searcher = live.reader.searcher();
        let mut analyser = analyser_of(&live.index, &self.language);
        let text = format!(
            "{} {} {}",
            article.headline, article.standfirst, article.body
        );
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for term in distinctive_terms(&searcher, fields.body, &mut analyser, &text)? {
            clauses.push((
                Occur::Should,
                Box::new(TermQuery::new(
                    Term::from_field_text(fields.body, &term),
                    IndexRecordOption::WithFreqs,
                )),
            ));
        }
        for tag in &article.tags {
            clauses.push((
                Occur::Should,
                Box::new(BoostQuery::new(query::id_term(fields.tag, *tag), 4.0)),
            ));
        }
        for section in &article.sections {
            clauses.push((
                Occur::Should,
                Box::new(BoostQuery::new(
                    query::id_term(fields.section, *section),
                    2.0,
                )),
            ));
        }
        clauses.push((Occur::MustNot, query::id_term(fields.id, article.id)));
        let top = searcher.search(
            &BooleanQuery::new(clauses),
            &TopDocs::with_limit(limit).order_by_score(),
        )?;
        Ok(top
            .into_iter()
            .filter_map(|(_, address)| id_of(&searcher, address))
            .collect())
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

/// A generation being built. Its directory carries a `building` marker until it is finished,
/// so a crash leaves something [`SearchIndex`] recognises and removes.
pub struct Builder {
    root: PathBuf,
    dir: PathBuf,
    language: String,
    fields: Fields,
    writer: IndexWriter<TantivyDocument>,
    added: u64,
}

impl std::fmt::Debug for Builder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Builder")
            .field("dir", &self.dir)
            .field("added", &self.added)
            .finish_non_exhaustive()
    }
}

/// A finished generation, now the one `current` names.
#[derive(Debug)]
pub struct Built {
    dir: PathBuf,
    pub articles: u64,
}

impl Built {
    /// The generation's size on disk, in bytes.
    pub fn size_on_disk(&self) -> u64 {
        dir_size(&self.dir)
    }
}

impl Builder {
    /// A new, empty generation under `root` (which a server may be using).
    pub fn new(root: &Path, language: &str) -> Result<Self, SearchError> {
        std::fs::create_dir_all(root).map_err(io(root))?;
        let dir = root.join(format!("generation-{}", unique_suffix()));
        std::fs::create_dir(&dir).map_err(io(&dir))?;
        std::fs::write(dir.join(BUILDING), b"").map_err(io(&dir))?;
        let index = Index::create_in_dir(&dir, schema::schema())?;
        index
            .tokenizers()
            .register(ANALYSER, schema::analyser(language));
        let fields = Fields::of(&index.schema())?;
        // One thread: a rebuild shares two cores with a server.
        let writer = index.writer_with_num_threads(1, WRITER_HEAP * 4)?;
        Ok(Self {
            root: root.to_owned(),
            dir,
            language: language.to_owned(),
            fields,
            writer,
            added: 0,
        })
    }

    pub fn add(&mut self, articles: &[IndexedArticle]) -> Result<(), SearchError> {
        for article in articles {
            self.writer.add_document(document(&self.fields, article))?;
        }
        self.added += articles.len() as u64;
        Ok(())
    }

    /// Commits with `position`, merges nothing further, and makes this generation current by
    /// renaming a new link over `current` (atomic on POSIX file systems).
    pub fn finish(mut self, position: i64) -> Result<Built, SearchError> {
        commit(
            &mut self.writer,
            &Payload {
                position,
                language: self.language.clone(),
            },
        )?;
        self.writer.wait_merging_threads()?;
        std::fs::remove_file(self.dir.join(BUILDING)).map_err(io(&self.dir))?;
        let name = self.dir.file_name().map(PathBuf::from).unwrap_or_default();
        let link = self.root.join(format!("{CURRENT}.{}", unique_suffix()));
        symlink(&name, &link).map_err(io(&link))?;
        let current = self.root.join(CURRENT);
        std::fs::rename(&link, &current).map_err(io(&current))?;
        Ok(Built {
            dir: self.dir,
            articles: self.added,
        })
    }
}

const BUILDING: &str = "building";

fn is_building(dir: &Path) -> bool {
    // A build in progress in another process is young; one older than a day crashed.
    dir.join(BUILDING)
        .metadata()
        .and_then(|m| m.modified())
        .is_ok_and(|at| at.elapsed().is_ok_and(|age| age.as_secs() < 86_400))
}

#[cfg(unix)]
fn symlink(target: &Path, link: &Path) -> std::io::Result<()> {
    std::os::unix::fs::symlink(target, link)
}

#[cfg(not(unix))]
fn symlink(target: &Path, link: &Path) -> std::io::Result<()> {
    std::fs::write(link, target.to_string_lossy().as_bytes())
}

/// The live generation's directory, from the `current` link.
fn current_dir(root: &Path) -> Option<PathBuf> {
    let target = std::fs::read_link(root.join(CURRENT)).ok()?;
    Some(root.join(target))
}

fn open_live(dir: &Path, language: &str) -> Result<Live, SearchError> {
    let index = Index::open_in_dir(dir)?;
    index
        .tokenizers()
        .register(ANALYSER, schema::analyser(language));
    let fields = Fields::of(&index.schema())?;
    let reader = index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()?;
    let writer = index.writer_with_num_threads(1, WRITER_HEAP)?;
    Ok(Live {
        dir: dir.to_owned(),
        index,
        reader,
        writer: Mutex::new(writer),
        fields,
    })
}

/// An empty generation, made current, without a position (so it gets rebuilt).
fn new_generation(root: &Path, language: &str) -> Result<Live, SearchError> {
    let builder = Builder::new(root, language)?;
    let dir = builder.dir.clone();
    drop(builder);
    std::fs::remove_file(dir.join(BUILDING)).map_err(io(&dir))?;
    let name = dir.file_name().map(PathBuf::from).unwrap_or_default();
    let link = root.join(format!("{CURRENT}.{}", unique_suffix()));
    symlink(&name, &link).map_err(io(&link))?;
    let current = root.join(CURRENT);
    std::fs::rename(&link, &current).map_err(io(&current))?;
    open_live(&dir, language)
}

fn payload(index: &Index) -> Option<Payload> {
    let metas = index.load_metas().ok()?;
    Payload::decode(metas.payload.as_deref()?)
}

fn commit(writer: &mut IndexWriter<TantivyDocument>, payload: &Payload) -> Result<(), SearchError> {
    let mut prepared = writer.prepare_commit()?;
    prepared.set_payload(&payload.encode());
    prepared.commit()?;
    Ok(())
}

fn document(fields: &Fields, article: &IndexedArticle) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_u64(fields.id, query::id_value(article.id));
    doc.add_text(fields.headline, &article.headline);
    doc.add_text(fields.standfirst, &article.standfirst);
    doc.add_text(fields.body, &article.body);
    for name in &article.names {
        doc.add_text(fields.names, name);
    }
    for id in &article.sections {
        doc.add_u64(fields.section, query::id_value(*id));
    }
    for id in &article.tags {
        doc.add_u64(fields.tag, query::id_value(*id));
    }
    for id in &article.authors {
        doc.add_u64(fields.author, query::id_value(*id));
    }
    doc.add_date(fields.published, query::date(article.published));
    doc
}

/// Terms that best tell `text` apart from the rest of the index: frequent in the text, rare
/// elsewhere (tf × idf), found in at least one other article. This is "more like this" done
/// here rather than with tantivy's `MoreLikeThisQuery`, whose idf counts live documents
/// against document frequencies that still include deleted ones, and panics once an article
/// has been updated often enough.
fn distinctive_terms(
    searcher: &Searcher,
    field: Field,
    analyser: &mut tantivy::tokenizer::TextAnalyzer,
    text: &str,
) -> Result<Vec<String>, SearchError> {
    const MAX_TERMS: usize = 20;
    const MIN_CHARS: usize = 3;
    let mut frequencies: std::collections::HashMap<String, u32> = std::collections::HashMap::new();
    let mut stream = analyser.token_stream(text);
    stream.process(&mut |token| {
        if token.text.chars().count() >= MIN_CHARS {
            *frequencies.entry(token.text.clone()).or_default() += 1;
        }
    });
    let documents: u64 = searcher
        .segment_readers()
        .iter()
        .map(|s| u64::from(s.max_doc()))
        .sum();
    let mut scored = Vec::with_capacity(frequencies.len());
    for (term, frequency) in frequencies {
        let in_documents = searcher
            .doc_freq(&Term::from_field_text(field, &term))?
            .min(documents);
        if in_documents < 2 {
            continue;
        }
        let odds = ((documents - in_documents) as f64 + 0.5) / (in_documents as f64 + 0.5);
        scored.push((f64::from(frequency) * odds.ln_1p(), term));
    }
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    Ok(scored
        .into_iter()
        .take(MAX_TERMS)
        .map(|(_, term)| term)
        .collect())
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

fn unique_suffix() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("{nanos}-{}", std::process::id())
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
