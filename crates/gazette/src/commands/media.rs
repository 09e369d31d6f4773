//! `gazette media migrate` and `gazette media sweep`.

use std::sync::Arc;

use anyhow::{Context as _, bail};
use gazette_core::SystemClock;
use gazette_node::config::Config;
use gazette_node::node::connect_existing;

use crate::cli::{MediaMigrateArgs, MediaSweepArgs};

/// Copies the media directory into the bucket `--to` names and says what is left to do.
pub(crate) async fn media_migrate(config: &Config, args: &MediaMigrateArgs) -> anyhow::Result<()> {
    eprintln!("Copying {} into {} …", config.media_dir.display(), args.to);
    let migration =
        gazette_node::media_upkeep::migrate_to_bucket(config, &args.to, |path, done, total| {
            if done % 100 == 0 || done == total {
                eprintln!("  {done}/{total} verified (last: {path})");
            }
        })
        .await?;
    let report = &migration.report;
    eprintln!(
        "{} object(s) copied ({} bytes), {} already there; every object verified.",
        report.copied, report.bytes, report.already_there
    );
    if !report.is_complete() {
        bail!(
            "{} object(s) already exist in {} with different bytes and were left as they are: \
             {}. Remove them from the bucket (or choose another prefix) and run this again",
            report.different.len(),
            migration.target,
            report.different.join(", ")
        );
    }
    if migration.configured {
        eprintln!(
            "Restart the nodes to serve media from {}.",
            migration.target
        );
    } else {
        eprintln!(
            "Now set the [media_bucket] name and prefix to {} and restart the nodes.",
            migration.target
        );
    }
    Ok(())
}

/// Reports orphans and dangling files; removes the orphans with `--remove-orphans`.
pub(crate) async fn media_sweep(config: &Config, args: &MediaSweepArgs) -> anyhow::Result<()> {
    let media = config.media_store().context("the media store")?;
    let store = connect_existing(config, Arc::new(SystemClock)).await?;
    let swept = gazette_newsroom::media_sweep::sweep(&store, &media).await;
    store.close().await;
    let report = swept.context("sweeping the media store")?;
    eprintln!("{} holds {} object(s).", media.describe(), report.objects);
    for (id, path) in &report.dangling {
        eprintln!("  dangling: {path} (library item {}) is missing", id.0);
    }
    for orphan in &report.orphans {
        eprintln!(
            "  orphan: {} ({} bytes) is named by nothing",
            orphan.path, orphan.size
        );
    }
    eprintln!(
        "{} orphan(s), {} dangling file(s).",
        report.orphans.len(),
        report.dangling.len()
    );
    if args.remove_orphans && !report.orphans.is_empty() {
        gazette_newsroom::media_sweep::remove_orphans(&media, &report)
            .await
            .context("removing the orphans")?;
        eprintln!("Removed {} orphan(s).", report.orphans.len());
    }
    Ok(())
}
