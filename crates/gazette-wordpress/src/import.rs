//! Moving a journal from WordPress: `gazette import wxr`.
//!
//! The import reads the export twice. The first pass ([`catalogue`], counting with
//! [`survey`]) checks the whole file: a file that would be refused is refused before anything
//! is written, `--dry-run` reports the counts, and the second pass knows the attachments posts
//! name before they appear and the settings the links imply. The second pass ([`write`])
//! writes everything in one unit of work, together with the journal itself when the import is
//! the journal's first command.

pub mod bases;
pub mod catalogue;
pub mod media;
pub mod menus;
pub mod report;
pub mod settings;
pub mod survey;
pub mod time_zone;
pub mod write;

use std::fs::File;
use std::io::BufReader;
use std::path::Path;
use std::sync::Arc;

use anyhow::Context as _;
use gazette_core::{PermalinkPattern, Publication, TimeZoneName};
use gazette_store::{Store, WriteTx};

pub use report::Report;

use gazette_newsroom::journal::MAKE_A_JOURNAL;
use gazette_newsroom::journal::Seed;

/// Settings WXR does not carry; when absent they are inferred from the export.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    pub permalink: Option<PermalinkPattern>,
    pub time_zone: Option<TimeZoneName>,
    /// A copy of the old site's `wp-content/uploads` and the media directory to copy it to.
    pub media: Option<media::MediaFolders>,
    /// Which of the export's menus become the header and footer menus.
    pub menus: menus::MenuChoice,
    /// The old site's category and tag bases, when not WordPress's defaults.
    pub bases: bases::Bases,
    /// What to create when the store holds no journal yet, as `gazette import wxr` does for
    /// a journal's first command; None refuses a store without one.
    pub new_journal: Option<Seed>,
}

/// Which pass an import is in, for progress reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pass {
    Checking,
    Writing,
}

/// Progress: the pass and the bytes of the export read so far.
pub type Progress = Arc<dyn Fn(Pass, u64) + Send + Sync>;

/// Imports the WordPress export at `path` into `store`: [`check`], then [`import_checked`].
pub async fn import_wxr(
    store: &Store,
    path: &Path,
    options: &ImportOptions,
    progress: Progress,
) -> anyhow::Result<Report> {
    let catalogue = check(path, options, &progress)?;
    import_checked(store, catalogue, path, options, progress).await
}

/// The first pass: reads the whole export and checks it, and the options against it, before
/// anything (a new journal included) is written.
pub fn check(
    path: &Path,
    options: &ImportOptions,
    progress: &Progress,
) -> anyhow::Result<catalogue::Catalogue> {
    let checking = Arc::clone(progress);
    let catalogue = catalogue::catalogue(open(path)?, move |bytes| {
        checking(Pass::Checking, bytes);
    })
    .with_context(|| format!("{} cannot be imported", path.display()))?;
    if let Some(folders) = &options.media
        && !folders.uploads.is_dir()
    {
        anyhow::bail!(
            "--media-dir {} is not a folder: give a copy of the old site's wp-content/uploads",
            folders.uploads.display()
        );
    }
    for slug in [&options.menus.header, &options.menus.footer]
        .into_iter()
        .flatten()
    {
        if !catalogue.menu_slugs.contains(slug) {
            let known: Vec<&str> = catalogue.menu_slugs.iter().map(String::as_str).collect();
            anyhow::bail!(
                "the export has no menu {slug:?}; its menus are: {}",
                if known.is_empty() {
                    "none".to_owned()
                } else {
                    known.join(", ")
                }
            );
        }
    }
    Ok(catalogue)
}

/// The second pass: writes the export [`check`] catalogued into `store`, in one unit of work
/// with the new journal when the store holds none and `options.new_journal` says what to make.
pub async fn import_checked(
    store: &Store,
    catalogue: catalogue::Catalogue,
    path: &Path,
    options: &ImportOptions,
    progress: Progress,
) -> anyhow::Result<Report> {
    // Creating a journal holds the first-run lock, so a node starting meanwhile waits for the
    // import and then finds the journal.
    let _lock = match options.new_journal {
        Some(_) => Some(
            store
                .bootstrap_lock()
                .await
                .context("taking the first-run lock")?,
        ),
        None => None,
    };
    let (mut publication, seed, mut report) = journal(store, &catalogue, options).await?;
    let options = with_gazette_menus(&catalogue, options);
    settings::infer(&catalogue, &options, &mut publication, &mut report);
    let mut writer = write::Writer::new(catalogue, publication, &options);
    writer.report = report;
    let input = open(path)?;
    let owned_path = path.to_path_buf();
    // The file is read as the import writes, so the unit of work cannot run twice.
    let report = store
        .write_unrepeatable(move |tx| {
            Box::pin(async move {
                if let Some(seed) = &seed {
                    create_journal(tx, seed).await?;
                }
                let writing = move |bytes| progress(Pass::Writing, bytes);
                writer
                    .run(tx, input, &writing)
                    .await
                    .with_context(|| format!("importing {}", owned_path.display()))?;
                Ok::<_, anyhow::Error>(writer.report)
            })
        })
        .await?;
    Ok(report)
}

/// The journal to import into: the store's, or (with `options.new_journal`) a new one named
/// after the export's channel, with the report saying so.
async fn journal(
    store: &Store,
    catalogue: &catalogue::Catalogue,
    options: &ImportOptions,
) -> anyhow::Result<(Publication, Option<Seed>, Report)> {
    let mut report = Report::default();
    let Some(seed) = &options.new_journal else {
        store.check_schema().await?;
        let publication = store
            .publication()
            .await?
            .with_context(|| format!("this database has no journal yet: {MAKE_A_JOURNAL}"))?;
        return Ok((publication, None, report));
    };
    store
        .migrate()
        .await
        .context("migrating the database schema")?;
    if let Some(publication) = store.publication().await? {
        return Ok((publication, None, report));
    }
    let mut seed = seed.clone();
    report.new_journal = Some(seed.admin_email().to_string());
    settings::take_channel(&catalogue.channel, &mut seed.publication, &mut report);
    Ok((seed.publication.clone(), Some(seed), report))
}

/// Seeds the new journal in the import's unit of work, so a failed import leaves no journal.
async fn create_journal(tx: &mut WriteTx, seed: &Seed) -> anyhow::Result<()> {
    // SQLite has no lock between processes: a `serve` may have seeded the journal since.
    if tx.publication().await?.is_some() {
        anyhow::bail!(
            "another process created a journal in this database while the export was being read; run the import again"
        );
    }
    seed.write(tx).await.context("creating the journal")?;
    Ok(())
}

/// A Gazette export names its menus header and footer: they return to their places.
fn with_gazette_menus(catalogue: &catalogue::Catalogue, options: &ImportOptions) -> ImportOptions {
    let mut options = options.clone();
    if catalogue.from_gazette && options.menus.header.is_none() && options.menus.footer.is_none() {
        for (slug, place) in [
            ("header", &mut options.menus.header),
            ("footer", &mut options.menus.footer),
        ] {
            if catalogue.menu_slugs.contains(slug) {
                *place = Some(slug.to_owned());
            }
        }
    }
    options
}

fn open(path: &Path) -> anyhow::Result<BufReader<File>> {
    let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    Ok(BufReader::with_capacity(256 * 1024, file))
}
