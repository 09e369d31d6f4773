//! The index's generations on disk: each `generation-{n}/` a whole tantivy index, the
//! `current` link naming the live one, and the commit payload that records how far it has
//! followed the store and which language it stems for.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use tantivy::directory::MmapDirectory;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument};

use crate::builder::Builder;
use crate::schema::{self, ANALYSER, Fields};
use crate::{CURRENT, SearchError, WRITER_HEAP, io};

/// The live generation: its index, reader and writer.
pub(crate) struct Live {
    pub(crate) dir: PathBuf,
    /// The index's files, shared with `index`: see [`Live::forget_closed_files`].
    files: MmapDirectory,
    pub(crate) index: Index,
    pub(crate) reader: IndexReader,
    pub(crate) writer: Mutex<IndexWriter<TantivyDocument>>,
    pub(crate) fields: Fields,
}

impl std::fmt::Debug for Live {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Live")
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

impl Live {
    /// Drops what tantivy remembers of files no reader has open any more. Its directory keeps
    /// an entry for every file it ever mapped, and each commit writes new ones, so without
    /// this a node's heap grew by about 1.3 KB a commit for as long as it ran (heaptrack, in
    /// `scripts/soak`).
    pub(crate) fn forget_closed_files(&self) {
        // Asking for the cache's state is what prunes it.
        let _ = self.files.get_cache_info();
    }
}

/// What a commit records besides the documents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Payload {
    /// The last change applied.
    pub(crate) position: i64,
    /// The language the analyser stems for.
    pub(crate) language: String,
}

impl Payload {
    pub(crate) fn encode(&self) -> String {
        format!("position={};language={}", self.position, self.language)
    }

    pub(crate) fn decode(text: &str) -> Option<Self> {
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

pub(crate) const BUILDING: &str = "building";

pub(crate) fn is_building(dir: &Path) -> bool {
    // A build in progress in another process is young; one older than a day crashed.
    dir.join(BUILDING)
        .metadata()
        .and_then(|m| m.modified())
        .is_ok_and(|at| at.elapsed().is_ok_and(|age| age.as_secs() < 86_400))
}

#[cfg(unix)]
pub(crate) fn symlink(target: &Path, link: &Path) -> std::io::Result<()> {
    std::os::unix::fs::symlink(target, link)
}

#[cfg(not(unix))]
pub(crate) fn symlink(target: &Path, link: &Path) -> std::io::Result<()> {
    std::fs::write(link, target.to_string_lossy().as_bytes())
}

/// The live generation's directory, from the `current` link.
pub(crate) fn current_dir(root: &Path) -> Option<PathBuf> {
    let target = std::fs::read_link(root.join(CURRENT)).ok()?;
    Some(root.join(target))
}

pub(crate) fn open_live(dir: &Path, language: &str) -> Result<Live, SearchError> {
    let files = MmapDirectory::open(dir).map_err(tantivy::TantivyError::from)?;
    let index = Index::open(files.clone())?;
    if index.schema() != schema::schema() {
        return Err(SearchError::EarlierSchema {
            path: dir.to_owned(),
        });
    }
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
        files,
        index,
        reader,
        writer: Mutex::new(writer),
        fields,
    })
}

/// An empty generation, made current, without a position (so it gets rebuilt).
pub(crate) fn new_generation(root: &Path, language: &str) -> Result<Live, SearchError> {
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

pub(crate) fn payload(index: &Index) -> Option<Payload> {
    let metas = index.load_metas().ok()?;
    Payload::decode(metas.payload.as_deref()?)
}

pub(crate) fn commit(
    writer: &mut IndexWriter<TantivyDocument>,
    payload: &Payload,
) -> Result<(), SearchError> {
    let mut prepared = writer.prepare_commit()?;
    prepared.set_payload(&payload.encode());
    prepared.commit()?;
    Ok(())
}

pub(crate) fn unique_suffix() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("{nanos}-{}", std::process::id())
}
