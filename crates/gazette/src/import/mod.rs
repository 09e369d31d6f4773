//! Moving a journal from WordPress: `gazette import wxr`.
//!
//! The import reads the export twice. The first pass ([`catalogue`], counting with
//! [`survey`]) checks the whole file: a file that would be refused is refused before anything
//! is written, `--dry-run` reports the counts, and the second pass knows the attachments posts
//! name before they appear and the settings the links imply. The second pass ([`write`])
//! writes everything in one unit of work.

pub mod bases;
pub mod catalogue;
pub mod media;
pub mod menus;
pub mod report;
pub mod survey;
pub mod write;

use std::fs::File;
use std::io::BufReader;
use std::path::Path;
use std::sync::Arc;

use anyhow::Context as _;
use gazette_core::{PermalinkPattern, TimeZoneName};
use gazette_store::Store;

pub use report::Report;

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
}

/// Which pass an import is in, for progress reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pass {
    Checking,
    Writing,
}

/// Progress: the pass and the bytes of the export read so far.
pub type Progress = Arc<dyn Fn(Pass, u64) + Send + Sync>;

/// Imports the WordPress export at `path` into `store`, which must hold a journal.
pub async fn import_wxr(
    store: &Store,
    path: &Path,
    options: &ImportOptions,
    progress: Progress,
) -> anyhow::Result<Report> {
    let checking = Arc::clone(&progress);
    let catalogue = catalogue::catalogue(open(path)?, move |bytes| {
        checking(Pass::Checking, bytes);
    })
    .with_context(|| format!("{} cannot be imported", path.display()))?;
    let mut publication = store
        .publication()
        .await?
        .context("this store holds no journal yet: run `gazette migrate` first")?;
    let mut settings = Vec::new();
    match (&options.permalink, catalogue.permalink()) {
        (Some(pattern), _) => {
            settings.push(format!(
                "permalinks {} (from --permalink-structure).",
                pattern.as_str()
            ));
            publication.permalink = pattern.clone();
        }
        (None, Some((pattern, fitting, total))) => {
            settings.push(format!(
                "permalinks {} (inferred: {fitting} of {total} published posts' links fit it; --permalink-structure overrides).",
                pattern.as_str()
            ));
            publication.permalink = pattern;
        }
        (None, None) => settings.push(format!(
            "permalinks {} kept (the links are plain, ?p=N, which keep working).",
            publication.permalink.as_str()
        )),
    }
    match (&options.time_zone, catalogue.time_zone()) {
        (Some(zone), _) => {
            settings.push(format!("time zone {} (from --timezone).", zone.as_str()));
            publication.time_zone = zone.clone();
        }
        (None, Some(zone)) => {
            settings.push(format!(
                "time zone {} (inferred from the gap between local and UTC dates; --timezone overrides).",
                zone.as_str()
            ));
            publication.time_zone = zone;
        }
        (None, None) => {
            let offsets: Vec<String> = catalogue
                .offsets_seen()
                .iter()
                .map(|m| format!("{:+}:{:02}", m / 60, (m % 60).abs()))
                .collect();
            settings.push(format!(
                "time zone {} kept: the posts' offsets from UTC vary ({}), as with daylight saving time; pass --timezone to name the zone.",
                publication.time_zone.as_str(),
                offsets.join(", ")
            ));
        }
    }
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
    // A Gazette export names its menus header and footer: they return to their places.
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
    let mut writer = write::Writer::new(catalogue, publication, &options);
    writer.report.settings = settings;
    let input = open(path)?;
    let owned_path = path.to_path_buf();
    let report = store
        .write(move |tx| {
            Box::pin(async move {
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

fn open(path: &Path) -> anyhow::Result<BufReader<File>> {
    let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    Ok(BufReader::with_capacity(256 * 1024, file))
}
