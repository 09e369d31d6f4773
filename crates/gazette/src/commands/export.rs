//! `gazette export wxr`: the journal as a WordPress export, on standard output or into a file
//! that appears only once complete.

use std::sync::Arc;

use anyhow::Context as _;
use gazette_core::SystemClock;
use gazette_node::config::Config;
use gazette_node::node::open_journal;

use crate::cli::ExportWxrArgs;

/// `gazette export wxr [--output FILE]`: the journal as a WordPress export. A file is written
/// beside its destination and renamed into place once complete, so a failed export never
/// leaves half a file under the name asked for.
pub(crate) async fn export_wxr(config: &Config, args: &ExportWxrArgs) -> anyhow::Result<()> {
    let store = open_journal(config, Arc::new(SystemClock)).await?;
    let bar =
        indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::stderr());
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("Exporting {pos} articles ({per_sec}, {elapsed})")
    {
        bar.set_style(style);
    }
    let progress = |done| bar.set_position(done);
    let outcome = match &args.output {
        None => {
            gazette_wordpress::export::export_wxr(&store, std::io::stdout().lock(), progress).await
        }
        Some(path) => export_to_file(&store, path, progress).await,
    };
    bar.finish_and_clear();
    store.close().await;
    let counts = outcome?;
    eprintln!(
        "Exported {} articles ({} comments in all, {} featured images), {} pages, {} images, {} menu entries, {} sections, {} tags and {} people.",
        counts.articles,
        counts.comments,
        counts.featured_images,
        counts.pages,
        counts.media,
        counts.menu_items,
        counts.sections,
        counts.tags,
        counts.authors
    );
    Ok(())
}

async fn export_to_file(
    store: &gazette_store::Store,
    path: &std::path::Path,
    progress: impl Fn(u64),
) -> anyhow::Result<gazette_wordpress::export::ExportCounts> {
    let name = path
        .file_name()
        .with_context(|| format!("{} names no file", path.display()))?;
    let mut partial_name = std::ffi::OsString::from(".");
    partial_name.push(name);
    partial_name.push(".partial");
    let partial = path.with_file_name(partial_name);
    // The export holds commenters' emails and IP addresses: only its owner may read it.
    let file = gazette_node::private_files::private_file(&partial).with_context(|| {
        format!(
            "cannot write {} (does its folder exist, and may Gazette write there?)",
            partial.display()
        )
    })?;
    let written = async {
        let counts = gazette_wordpress::export::export_wxr(store, &file, progress).await?;
        file.sync_all()?;
        std::fs::rename(&partial, path)
            .with_context(|| format!("cannot write {}", path.display()))?;
        anyhow::Ok(counts)
    }
    .await;
    if written.is_err() {
        // What was written so far is of no use; the error says why.
        let _ = std::fs::remove_file(&partial);
    }
    let counts = written?;
    Ok(counts)
}
