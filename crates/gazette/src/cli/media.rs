//! `gazette media`: the media store checked against the database, and a library moved into an
//! S3-compatible bucket.

use clap::{Args, Subcommand};

use super::StoreArgs;

#[derive(Debug, Subcommand)]
pub(super) enum MediaCommand {
    /// Copy the media directory into an S3-compatible bucket and verify every object; run it
    /// again to copy what was uploaded meanwhile, then point the nodes at the bucket.
    Migrate(MediaMigrateArgs),
    /// List objects nothing names (orphans) and library files the store lacks (dangling).
    Sweep(MediaSweepArgs),
}

#[derive(Debug, Args)]
pub(crate) struct MediaMigrateArgs {
    #[command(flatten)]
    pub(super) store: StoreArgs,
    /// The bucket, and optionally a folder in it: s3://BUCKET or s3://BUCKET/PREFIX. It is
    /// reached with the [media_bucket] endpoint, region and credentials (or the
    /// GAZETTE_MEDIA_BUCKET_* variables).
    #[arg(long, value_name = "URL")]
    pub to: String,
}

#[derive(Debug, Args)]
pub(crate) struct MediaSweepArgs {
    #[command(flatten)]
    pub(super) store: StoreArgs,
    /// Remove the orphans found (objects older than an hour that nothing names).
    #[arg(long)]
    pub remove_orphans: bool,
}
