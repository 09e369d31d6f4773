//! A full rebuild: a new generation written beside the live one, then made current by
//! renaming a link over `current`, so a server can keep searching the old one meanwhile.

use std::path::{Path, PathBuf};

use tantivy::{Index, IndexWriter, TantivyDocument};

use crate::generation::{BUILDING, Payload, commit, symlink, unique_suffix};
use crate::schema::{self, ALL_TEXT_REPEATS, ANALYSER, Fields};
use crate::{CURRENT, IndexedArticle, SearchError, WRITER_HEAP, dir_size, io, query};

/// A generation being built. Its directory carries a `building` marker until it is finished,
/// so a crash leaves something [`SearchIndex`](crate::SearchIndex) recognises and removes.
pub struct Builder {
    root: PathBuf,
    pub(crate) dir: PathBuf,
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
    pub(crate) dir: PathBuf,
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

pub(crate) fn document(fields: &Fields, article: &IndexedArticle) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_u64(fields.id, query::id_value(article.id));
    doc.add_text(fields.headline, &article.headline);
    doc.add_text(fields.standfirst, &article.standfirst);
    doc.add_text(fields.body, &article.body);
    for name in &article.names {
        doc.add_text(fields.names, name);
    }
    add_all_text(&mut doc, fields.all, article);
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

/// The article's text into the `all` field, each part as many times as it weighs.
fn add_all_text(doc: &mut TantivyDocument, all: tantivy::schema::Field, article: &IndexedArticle) {
    let repeats = ALL_TEXT_REPEATS;
    let parts = [
        (article.headline.as_str(), repeats.headline),
        (article.standfirst.as_str(), repeats.standfirst),
        (article.body.as_str(), repeats.body),
    ];
    for (text, times) in parts {
        for _ in 0..times {
            doc.add_text(all, text);
        }
    }
    for name in &article.names {
        for _ in 0..repeats.names {
            doc.add_text(all, name);
        }
    }
}
