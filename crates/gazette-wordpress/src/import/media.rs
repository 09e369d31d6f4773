//! `--media-dir`: the old site's `wp-content/uploads` copied into the media library.
//!
//! Each image attachment's file is found below the given folder at the path WordPress kept it
//! (`2013/03/boat.jpg`), cleaned like an upload (upright, without metadata), written to the
//! media directory at the same path and recorded, with a job to make its narrower variants.
//! Posts' links to the old uploads URLs, the `-300x200` sizes WordPress made included, are
//! rewritten to the copies; a file that is missing or not an image keeps its old URL and is
//! listed in the report. Nothing is downloaded.

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;

use anyhow::Context as _;
use gazette_core::{Media, MediaId, RedirectRule, RedirectStatus};
use gazette_store::{MEDIA_VARIANTS, NewJob, NewMedia, WordPressKind, WriteTx};

use super::catalogue::{AttachedFile, Catalogue};
use super::report::Report;

/// Where the files come from and go.
#[derive(Debug, Clone)]
pub struct MediaFolders {
    /// A copy of the old site's `wp-content/uploads`.
    pub uploads: PathBuf,
    /// Gazette's media store.
    pub media: gazette_media::MediaStore,
}

/// What the copy made of the old uploads, for rewriting links.
#[derive(Debug, Default)]
pub struct Uploads {
    /// The old uploads folders' URLs without their scheme (`//example.com/wp-content/uploads/`).
    bases: BTreeSet<String>,
    /// Old path below uploads → media-store path.
    moved: HashMap<String, String>,
    /// Attachment id → the library item and its path.
    copies: HashMap<i64, (MediaId, String)>,
}

impl Uploads {
    /// Knows the old uploads URLs of every attachment, copied or not (links to one not
    /// copied stay as they are).
    fn learn_bases(&mut self, files: &[&AttachedFile]) {
        for file in files {
            if let Some(base) = file.url.strip_suffix(&file.relative)
                && !file.relative.is_empty()
                && let Some(at) = base.find("//")
            {
                self.bases.insert(base[at..].to_owned());
            }
        }
    }

    /// `html` with links to copied uploads (any size WordPress made of them) pointing at the
    /// copies.
    pub fn rewrite(&self, html: &str) -> String {
        if self.moved.is_empty() {
            return html.to_owned();
        }
        let mut out = html.to_owned();
        for base in &self.bases {
            out = self.rewrite_base(&out, base);
        }
        out
    }

    fn rewrite_base(&self, html: &str, base: &str) -> String {
        let mut out = String::with_capacity(html.len());
        let mut rest = html;
        while let Some(at) = rest.find(base) {
            let before = &rest[..at];
            let scheme = ["https:", "http:"]
                .into_iter()
                .find(|s| before.ends_with(s))
                .unwrap_or("");
            let after = &rest[at + base.len()..];
            let end = after
                .find(|c: char| c.is_whitespace() || "\"'<>()?#".contains(c))
                .unwrap_or(after.len());
            match self.copy_of(&after[..end]) {
                Some(path) => {
                    out.push_str(&before[..before.len() - scheme.len()]);
                    out.push_str("/media/");
                    out.push_str(path);
                }
                None => {
                    out.push_str(before);
                    out.push_str(base);
                    out.push_str(&after[..end]);
                }
            }
            rest = &after[end..];
        }
        out.push_str(rest);
        out
    }

    /// The library item an attachment became, with its media-store path.
    pub fn media_of(&self, wp_id: i64) -> Option<(MediaId, &str)> {
        self.copies
            .get(&wp_id)
            .map(|(id, path)| (*id, path.as_str()))
    }

    /// The copy of `relative`, or of the original a `-WxH` size was made from.
    fn copy_of(&self, relative: &str) -> Option<&str> {
        if let Some(path) = self.moved.get(relative) {
            return Some(path);
        }
        self.moved
            .get(&gazette_core::media::without_wordpress_size(relative)?)
            .map(String::as_str)
    }
}

/// Copies every image attachment the catalogue knows into the media library (those a previous
/// run copied are reused), points the catalogue's attachments at the copies, and redirects
/// the attachments' own pages to them.
pub async fn copy_attachments(
    tx: &mut WriteTx,
    catalogue: &mut Catalogue,
    folders: Option<&MediaFolders>,
    report: &mut Report,
) -> anyhow::Result<Uploads> {
    let mut uploads = Uploads::default();
    let files: Vec<(i64, AttachedFile)> = catalogue
        .files
        .iter()
        .map(|(id, file)| (*id, file.clone()))
        .collect();
    uploads.learn_bases(&files.iter().map(|(_, f)| f).collect::<Vec<_>>());
    let done = tx.wordpress_ids(WordPressKind::Attachment).await?;
    let mut recorded = Vec::new();
    let mut redirects = Vec::new();
    for (wp_id, file) in files {
        let media = match done.get(&wp_id) {
            Some(id) => tx.media(MediaId(*id)).await?,
            None => match folders {
                Some(folders) => {
                    let copied = copy_one(tx, folders, &file, catalogue, wp_id, report).await?;
                    if let Some(media) = &copied {
                        recorded.push((wp_id, media.id.0));
                    }
                    copied
                }
                None => {
                    report.not_copied_media += 1;
                    None
                }
            },
        };
        let Some(media) = media else {
            continue;
        };
        let url = format!("/media/{}", media.path);
        uploads
            .moved
            .insert(file.relative.clone(), media.path.clone());
        uploads.copies.insert(wp_id, (media.id, media.path.clone()));
        if let Some(page) = super::write::link_path(&catalogue.site_url, &file.link) {
            redirects.push(RedirectRule {
                source: page,
                target: url.clone(),
                status: RedirectStatus::Permanent,
            });
        }
        catalogue.moved_attachment(wp_id, url);
    }
    tx.record_wordpress_ids(WordPressKind::Attachment, &recorded)
        .await?;
    tx.upsert_redirects(&redirects).await?;
    Ok(uploads)
}

/// Copies one attachment's file; None (and a line in the report) when it is missing or not
/// an image the library takes.
async fn copy_one(
    tx: &mut WriteTx,
    folders: &MediaFolders,
    file: &AttachedFile,
    catalogue: &Catalogue,
    wp_id: i64,
    report: &mut Report,
) -> anyhow::Result<Option<Media>> {
    let relative = file.relative.as_str();
    if !is_safe_relative(relative) {
        report.missing_files.push(format!(
            "attachment {wp_id}: {} (no path below uploads)",
            file.url
        ));
        return Ok(None);
    }
    let source = folders.uploads.join(relative);
    let bytes = match tokio::fs::read(&source).await {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            report.missing_files.push(relative.to_owned());
            return Ok(None);
        }
        Err(error) => {
            return Err(error).with_context(|| format!("reading {}", source.display()));
        }
    };
    let prepared = tokio::task::spawn_blocking(move || {
        gazette_media::prepare(&bytes, &gazette_media::Limits::default())
    })
    .await
    .context("the image thread stopped")?;
    let prepared = match prepared {
        Ok(prepared) => prepared,
        Err(error) => {
            report
                .missing_files
                .push(format!("{relative} (kept at its old URL: {error})"));
            return Ok(None);
        }
    };
    let path = write_copy(&folders.media, relative, &prepared).await?;
    // The same file already in the library (two attachments of one file, or an earlier
    // copy): one item serves both.
    if let Some(existing) = tx.media_by_path(&path).await? {
        return Ok(Some(existing));
    }
    let attachment = gazette_render::wordpress::MediaLookup::attachment(catalogue, wp_id);
    let new = NewMedia {
        path,
        original_name: relative.rsplit('/').next().unwrap_or(relative).to_owned(),
        format: prepared.format,
        width: prepared.width,
        height: prepared.height,
        byte_size: prepared.bytes.len() as u64,
        animated: prepared.animated,
        alt: attachment
            .as_ref()
            .map(|a| a.alt.clone())
            .unwrap_or_default(),
        caption: attachment.map(|a| a.caption).unwrap_or_default(),
        credit: String::new(),
        uploaded_by: None,
    };
    let media = tx.insert_media(&new).await?;
    if !prepared.animated {
        let payload = serde_json::json!({ "media_id": media.id.0 });
        let job = NewJob::new(MEDIA_VARIANTS, payload, tx.now());
        tx.enqueue_job(&job).await?;
    }
    report.copied_media += 1;
    Ok(Some(media))
}

/// Writes the cleaned file at the old path (with the extension its format has), or beside it
/// as `-2`, `-3`… when another file has that name. A file from an earlier, interrupted run
/// with the same bytes is reused.
async fn write_copy(
    media: &gazette_media::MediaStore,
    relative: &str,
    prepared: &gazette_media::Prepared,
) -> anyhow::Result<String> {
    let (stem, extension) = match relative.rsplit_once('.') {
        Some((stem, ext)) if gazette_core::ImageFormat::sniff(&prepared.bytes).is_some() => {
            let fits = match prepared.format {
                gazette_core::ImageFormat::Jpeg => ["jpg", "jpeg"].contains(&ext),
                other => ext.eq_ignore_ascii_case(other.extension()),
            };
            let ext = if fits {
                ext
            } else {
                prepared.format.extension()
            };
            (stem.to_owned(), ext.to_owned())
        }
        _ => (relative.to_owned(), prepared.format.extension().to_owned()),
    };
    for n in 1..100 {
        let candidate = if n == 1 {
            format!("{stem}.{extension}")
        } else {
            format!("{stem}-{n}.{extension}")
        };
        let bytes = bytes::Bytes::from(prepared.bytes.clone());
        match media.put_new(&candidate, bytes).await? {
            gazette_media::Put::Written => return Ok(candidate),
            gazette_media::Put::Taken => {
                let existing = media.read(&candidate).await?;
                if existing.as_deref() == Some(&prepared.bytes[..]) {
                    return Ok(candidate);
                }
            }
        }
    }
    anyhow::bail!("too many files are called {stem}.{extension} in the media store")
}

/// A relative path that stays below its folder.
fn is_safe_relative(relative: &str) -> bool {
    !relative.is_empty()
        && !relative.starts_with('/')
        && !relative.contains('\\')
        && relative
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_to_copied_uploads_are_rewritten() {
        let mut uploads = Uploads::default();
        uploads
            .bases
            .insert("//old.example/wp-content/uploads/".to_owned());
        uploads
            .moved
            .insert("2013/03/boat.jpg".to_owned(), "2013/03/boat.jpg".to_owned());
        let html = r#"<a href="https://old.example/wp-content/uploads/2013/03/boat.jpg"><img src="http://old.example/wp-content/uploads/2013/03/boat-300x200.jpg?w=3"></a> <img src="https://old.example/wp-content/uploads/2013/03/other.jpg">"#;
        assert_eq!(
            uploads.rewrite(html),
            r#"<a href="/media/2013/03/boat.jpg"><img src="/media/2013/03/boat.jpg?w=3"></a> <img src="https://old.example/wp-content/uploads/2013/03/other.jpg">"#
        );
    }

    #[test]
    fn paths_stay_below_their_folder() {
        assert!(is_safe_relative("2013/03/boat.jpg"));
        for bad in [
            "",
            "/etc/passwd",
            "../x.jpg",
            "2013/../../x.jpg",
            "a//b.jpg",
        ] {
            assert!(!is_safe_relative(bad), "{bad}");
        }
    }
}
