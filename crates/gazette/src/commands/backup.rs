//! `gazette backup`: a SQLite store and its media copied, online, into a new data directory.

use std::path::Path;
use std::sync::Arc;

use anyhow::{Context as _, bail};
use gazette_core::SystemClock;
use gazette_node::config::Config;
use gazette_node::node::connect_existing;
use gazette_node::private_files::create_private_dir;
use gazette_store::{BackendKind, StoreError};

/// `gazette backup DEST`: a consistent online copy of a SQLite store (`VACUUM INTO`) plus the
/// media directory, laid out as a data directory.
pub(crate) async fn backup(config: &Config, destination: &Path) -> anyhow::Result<()> {
    let store = connect_existing(config, Arc::new(SystemClock)).await?;
    if store.kind() == BackendKind::Postgres {
        store.close().await;
        bail!(
            "this journal runs on PostgreSQL; back it up with PostgreSQL's own tool, for example \
             `pg_dump --format=custom --file=gazette.dump DATABASE_URL`, and copy the media in {}",
            config
                .media_store()
                .map_or_else(|_| config.media_dir.display().to_string(), |m| m.describe())
        );
    }
    if let Err(error) = store.check_schema().await {
        store.close().await;
        return Err(error.into());
    }
    prepare_destination(destination)?;
    let database = destination.join("gazette.db");
    let copied = store.backup_sqlite_into(&database).await;
    store.close().await;
    copied
        .map_err(|e: StoreError| anyhow::Error::new(e))
        .with_context(|| format!("copying the database to {}", database.display()))?;
    let files = match &config.media_bucket {
        None => copy_tree(&config.media_dir, &destination.join("media"))?,
        // Media in a bucket are copied into the backup's media directory, so it runs alone.
        Some(_) => {
            gazette_node::media_upkeep::copy_into_directory(config, &destination.join("media"))
                .await?
        }
    };
    eprintln!(
        "Backed up the database and {files} media file(s) to {}. Run from the copy with: gazette serve --data {}",
        destination.display(),
        destination.display()
    );
    Ok(())
}

fn prepare_destination(destination: &Path) -> anyhow::Result<()> {
    if destination.exists() {
        let mut entries = std::fs::read_dir(destination).with_context(|| {
            format!(
                "{} exists and is not a readable directory",
                destination.display()
            )
        })?;
        if entries.next().is_some() {
            bail!(
                "{} is not empty: choose a new directory so no backup is overwritten",
                destination.display()
            );
        }
    }
    create_private_dir(destination).with_context(|| format!("creating {}", destination.display()))
}

/// Copies a directory tree; a missing source is an empty tree. Returns the files copied.
fn copy_tree(from: &Path, to: &Path) -> anyhow::Result<u64> {
    create_private_dir(to).with_context(|| format!("creating {}", to.display()))?;
    if !from.exists() {
        return Ok(0);
    }
    let mut copied = 0;
    for entry in std::fs::read_dir(from).with_context(|| format!("reading {}", from.display()))? {
        let entry = entry.with_context(|| format!("reading {}", from.display()))?;
        let target = to.join(entry.file_name());
        let kind = entry
            .file_type()
            .with_context(|| format!("reading {}", entry.path().display()))?;
        if kind.is_dir() {
            copied += copy_tree(&entry.path(), &target)?;
        } else if kind.is_file() {
            std::fs::copy(entry.path(), &target)
                .with_context(|| format!("copying {}", entry.path().display()))?;
            copied += 1;
        }
    }
    Ok(copied)
}
