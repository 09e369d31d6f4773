//! Keeps the media references (which library files each text names) in step with the change
//! log, for the media grid's "unused" filter. An article's, a page's, a person's or the
//! settings' change refreshes that owner's references; a bulk change rebuilds them all. The
//! references and their position live in the store, so every node may follow at once (the
//! writes are the same, and the position never moves back).

use gazette_store::{BoxFuture, Change, ChangeId, ChangeKind, ReferenceOwner, Store};

use crate::follower::ChangeConsumer;

/// The follower's consumer for the media references.
#[derive(Debug)]
pub struct MediaReferences(pub Store);

/// The owner whose texts a change may have changed.
fn owner_of(change: &Change) -> Option<ReferenceOwner> {
    let id = change.entity_id;
    match change.kind {
        ChangeKind::Article => id.map(ReferenceOwner::Article),
        ChangeKind::Page => id.map(ReferenceOwner::Page),
        ChangeKind::Person => id.map(ReferenceOwner::Person),
        ChangeKind::Settings => Some(ReferenceOwner::Settings),
        _ => None,
    }
}

impl ChangeConsumer for MediaReferences {
    fn name(&self) -> &'static str {
        "media_references"
    }

    /// Where the stored references are; never built reports a position before every change,
    /// which makes the follower build them.
    fn position(&self) -> BoxFuture<'_, anyhow::Result<Option<ChangeId>>> {
        Box::pin(async move {
            let position = self.0.media_references_position().await?;
            Ok(Some(position.unwrap_or(ChangeId(-1))))
        })
    }

    fn apply<'a>(&'a self, changes: &'a [Change]) -> BoxFuture<'a, anyhow::Result<()>> {
        Box::pin(async move {
            let Some(last) = changes.last().map(|c| c.id) else {
                return Ok(());
            };
            let mut owners: Vec<ReferenceOwner> = changes.iter().filter_map(owner_of).collect();
            owners.sort();
            owners.dedup();
            let mut fresh = Vec::with_capacity(owners.len());
            for owner in owners {
                fresh.push((owner, self.0.referenced_by(owner).await?));
            }
            self.0
                .write(|tx| {
                    let fresh = fresh.clone();
                    Box::pin(async move {
                        for (owner, paths) in &fresh {
                            tx.replace_references(*owner, paths).await?;
                        }
                        tx.set_references_position(last).await
                    })
                })
                .await?;
            Ok(())
        })
    }

    fn rebuild(&self, head: ChangeId) -> BoxFuture<'_, anyhow::Result<()>> {
        Box::pin(async move {
            let all = self.0.all_references().await?;
            let owners = all.len();
            self.0
                .write(|tx| {
                    let all = all.clone();
                    Box::pin(async move {
                        tx.clear_references().await?;
                        for (owner, paths) in &all {
                            tx.replace_references(*owner, paths).await?;
                        }
                        tx.set_references_position(head).await
                    })
                })
                .await?;
            tracing::info!(owners, "media references rebuilt");
            Ok(())
        })
    }
}
