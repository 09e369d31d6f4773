//! The commands that rebuild what is derived from the store: `search reindex` and `render
//! rebuild`.

use clap::{Args, Subcommand};

use super::{IndexArgs, StoreArgs};

#[derive(Debug, Subcommand)]
pub(super) enum SearchCommand {
    /// Build a fresh index beside the live one and swap it in; safe while the server runs
    /// (it picks the new index up within seconds).
    Reindex(ReindexArgs),
}

#[derive(Debug, Args)]
pub(super) struct ReindexArgs {
    #[command(flatten)]
    pub(super) store: StoreArgs,
    #[command(flatten)]
    pub(super) index: IndexArgs,
}

#[derive(Debug, Subcommand)]
pub(super) enum RenderCommand {
    /// Render every article and page that an older renderer rendered (all of them with
    /// --all) from its source again; safe while the server runs (pages follow at once).
    Rebuild(RebuildArgs),
}

#[derive(Debug, Args)]
pub(super) struct RebuildArgs {
    #[command(flatten)]
    pub(super) store: StoreArgs,
    /// Render every body, not only those an older renderer made.
    #[arg(long)]
    pub(super) all: bool,
}
