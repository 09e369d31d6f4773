//! The operator commands besides `serve` and `migrate` (which `crate::cli` runs itself), one
//! module each: `users` (accounts and their passwords), `privacy` (a commenter's data),
//! `backup`, `media` (the media store), `rebuild` (the search index, rendered bodies), `export`
//! (WXR) and `dev`
//! (benchmark corpora). `gazette import` has a module of its own, `crate::import_command`.

mod backup;
mod dev;
mod export;
mod media;
mod privacy;
mod rebuild;
mod users;

use anyhow::Context as _;

use crate::explain::MAKE_A_JOURNAL;

pub(crate) use backup::backup;
pub(crate) use dev::{bench_search, corpus};
pub(crate) use export::export_wxr;
pub(crate) use media::{media_migrate, media_sweep};
pub(crate) use privacy::{privacy_erase, privacy_export};
pub(crate) use rebuild::{reindex, render_rebuild};
pub(crate) use users::{add_user, app_password, list_users, reset_password};

/// The journal's settings, for commands that need a journal to exist: a schema without them
/// (made by `user add`) gets a message saying how to make one.
async fn existing_journal(
    store: &gazette_store::Store,
) -> anyhow::Result<gazette_core::Publication> {
    store
        .publication()
        .await?
        .with_context(|| format!("this database has no journal yet: {MAKE_A_JOURNAL}"))
}
