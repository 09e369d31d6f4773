//! The journal's settings: its publication settings (name, address rules, time zone…), its
//! comment policy, and the name and tagline the REST API may change. Each save reads the
//! stored settings again inside its unit of work, so a change saved meanwhile on another page
//! is kept.

use std::sync::Arc;

use gazette_core::{Article, CommentPolicy, Publication, Status};
use gazette_store::{Store, StoreError, WriteTx};

/// Published articles read per batch when their old addresses are kept.
const BATCH: u64 = 500;

/// An article's address under some publication settings.
pub type AddressUnder = Arc<dyn Fn(&Publication, &Article) -> String + Send + Sync>;

/// Saves `updated` over the publication settings, keeping the stored comment policy (it has
/// its own page). When the settings move articles' addresses (`before` is what they were),
/// every published article's old address answers with a redirect to its new one.
pub async fn save_publication(
    store: &Store,
    before: Publication,
    updated: Publication,
    address_under: AddressUnder,
) -> Result<(), StoreError> {
    let moves_addresses =
        updated.permalink != before.permalink || updated.time_zone != before.time_zone;
    store
        .write(|tx| {
            Box::pin(async move {
                let comments = match tx.publication().await? {
                    Some(current) => current.comments,
                    None => updated.comments.clone(),
                };
                let saved = Publication {
                    comments,
                    ..updated
                };
                if moves_addresses {
                    keep_old_addresses(tx, &before, &saved, &address_under).await?;
                }
                tx.put_publication(&saved).await
            })
        })
        .await
}

/// Saves the comment policy, keeping every other setting as stored.
pub async fn save_comment_policy(store: &Store, policy: CommentPolicy) -> Result<(), StoreError> {
    change_publication(store, move |publication| publication.comments = policy).await
}

/// Renames the journal and/or changes its tagline, as the REST API's settings endpoint may.
pub async fn rename(
    store: &Store,
    name: Option<String>,
    tagline: Option<String>,
) -> Result<(), StoreError> {
    change_publication(store, move |publication| {
        if let Some(name) = name {
            publication.name = name;
        }
        if let Some(tagline) = tagline {
            publication.tagline = tagline;
        }
    })
    .await
}

async fn change_publication(
    store: &Store,
    change: impl FnOnce(&mut Publication) + Clone + Send + 'static,
) -> Result<(), StoreError> {
    store
        .write(|tx| {
            Box::pin(async move {
                let mut publication = tx.publication().await?.ok_or(StoreError::NotFound {
                    what: "publication settings",
                })?;
                change(&mut publication);
                tx.put_publication(&publication).await
            })
        })
        .await
}

/// Records the address every published article had under `before` that `after` moves, so
/// each answers with a 301 to its new one.
async fn keep_old_addresses(
    tx: &mut WriteTx,
    before: &Publication,
    after: &Publication,
    address_under: &AddressUnder,
) -> Result<(), StoreError> {
    let mut offset = 0;
    loop {
        let batch = tx.published_articles_page(offset, BATCH).await?;
        for article in batch.iter().filter(|a| a.status == Status::Published) {
            let old = address_under(before, article);
            if old != address_under(after, article) {
                tx.retire_article_path(&old, article.id).await?;
            }
        }
        if (batch.len() as u64) < BATCH {
            return Ok(());
        }
        offset += BATCH;
    }
}
