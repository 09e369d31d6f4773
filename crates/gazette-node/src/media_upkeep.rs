//! The operator's media tasks that need the configuration: moving a media directory into a
//! bucket (`gazette media migrate`) and copying a bucket's media into a backup.

use std::path::Path;

use anyhow::{Context as _, bail};
use gazette_media::{BucketSettings, CopyReport, MediaStore};

use crate::config::Config;

/// What a migration into a bucket did, and whether the configuration already names it.
#[derive(Debug)]
pub struct Migration {
    pub report: CopyReport,
    /// Where the media went (`s3://bucket/prefix`).
    pub target: String,
    /// Whether `[media_bucket]` names this bucket and prefix, so a restart is all that is left.
    pub configured: bool,
}

/// Copies the media directory into the bucket `url` names (`s3://BUCKET[/PREFIX]`), reached
/// with the `[media_bucket]` endpoint, region and credentials, verifying every object. Safe to
/// interrupt and run again: objects already there are checked, never written twice.
pub async fn migrate_to_bucket(
    config: &Config,
    url: &str,
    progress: impl FnMut(&str, u64, u64),
) -> anyhow::Result<Migration> {
    let (bucket, prefix) = parse_bucket_url(url)?;
    let Some(settings) = &config.media_bucket else {
        bail!(
            "no bucket is configured to reach {url}: add a [media_bucket] table (endpoint, \
             region, name, access_key_id, secret_access_key) to gazette.toml, or set the \
             GAZETTE_MEDIA_BUCKET_* variables, then run this again"
        );
    };
    let configured = settings.bucket == bucket && settings.prefix.trim_matches('/') == prefix;
    let target = MediaStore::bucket(&BucketSettings {
        bucket,
        prefix,
        ..settings.clone()
    })
    .context("connecting to the bucket")?;
    let source = MediaStore::directory(&config.media_dir);
    let report = gazette_media::copy_all(&source, &target, progress)
        .await
        .with_context(|| format!("copying {} into {}", source.describe(), target.describe()))?;
    Ok(Migration {
        report,
        target: target.describe(),
        configured,
    })
}

/// `s3://BUCKET` or `s3://BUCKET/PREFIX`.
fn parse_bucket_url(url: &str) -> anyhow::Result<(String, String)> {
    let Some(rest) = url.strip_prefix("s3://") else {
        bail!(
            "--to takes an s3:// address, like s3://journal-media or s3://journal-media/media, \
             not {url:?}"
        );
    };
    let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
    if bucket.is_empty() {
        bail!("--to names no bucket: write it as s3://BUCKET or s3://BUCKET/PREFIX");
    }
    Ok((bucket.to_owned(), prefix.trim_matches('/').to_owned()))
}

/// Copies the media of the configured store into `dir` (a backup's media directory); the
/// number of objects there afterwards.
pub async fn copy_into_directory(config: &Config, dir: &Path) -> anyhow::Result<u64> {
    let from = config.media_store().context("the media store")?;
    let report = gazette_media::copy_all(&from, &MediaStore::directory(dir), |_, _, _| {})
        .await
        .with_context(|| format!("copying the media of {}", from.describe()))?;
    if !report.is_complete() {
        bail!(
            "{} already holds other files named {}",
            dir.display(),
            report.different.join(", ")
        );
    }
    Ok(report.copied + report.already_there)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_addresses_name_a_bucket_and_maybe_a_folder() {
        let parsed = |url| parse_bucket_url(url).ok();
        assert_eq!(parsed("s3://media"), Some(("media".into(), String::new())));
        assert_eq!(
            parsed("s3://media/journal/"),
            Some(("media".into(), "journal".into()))
        );
        assert_eq!(parsed("https://media"), None);
        assert_eq!(parsed("s3:///x"), None);
    }
}
