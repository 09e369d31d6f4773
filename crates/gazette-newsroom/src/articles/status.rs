//! Moving articles between statuses without an editor's form: many at once (the desk's bulk
//! actions, each article checked against the role rules on its own, those the person may not
//! change left as they are), and a scheduled article when its time comes (the job runner).

use gazette_core::desk::{may_edit, may_set_status};
use gazette_core::{ArticleId, Person, Status};
use gazette_store::{Store, StoreError, WriteTx};

/// What a bulk move did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BulkOutcome {
    pub changed: usize,
    /// Not the person's to change, or no such article: the two count alike, so that ids tell
    /// nobody what they may not see.
    pub refused: usize,
}

/// Moves each article to `target` in one unit of work. Moving to `Draft` restores from the
/// trash, and only from there; an article already where it is asked to go is left alone.
pub async fn move_each(
    store: &Store,
    by: &Person,
    ids: &[ArticleId],
    target: Status,
) -> Result<BulkOutcome, StoreError> {
    // Sorted and unique: rows are locked in id order, so two bulk moves never deadlock.
    let mut ids = ids.to_vec();
    ids.sort();
    ids.dedup();
    let by = by.clone();
    store
        .write(|tx| {
            Box::pin(async move {
                let mut outcome = BulkOutcome::default();
                for id in ids {
                    match move_one(tx, &by, id, target).await? {
                        Moved::Changed => outcome.changed += 1,
                        Moved::Refused => outcome.refused += 1,
                        Moved::AlreadyThere => {}
                    }
                }
                Ok(outcome)
            })
        })
        .await
}

enum Moved {
    Changed,
    Refused,
    /// Already in the target status (or, restoring, not in the trash).
    AlreadyThere,
}

async fn move_one(
    tx: &mut WriteTx,
    by: &Person,
    id: ArticleId,
    target: Status,
) -> Result<Moved, StoreError> {
    let found = super::locked(tx, id).await?;
    let Some(mut article) = found.filter(|article| may_edit(by, article)) else {
        return Ok(Moved::Refused);
    };
    let restoring_live = target == Status::Draft && article.status != Status::Trashed;
    if article.status == target || restoring_live {
        return Ok(Moved::AlreadyThere);
    }
    if !may_set_status(by, &article, target) {
        return Ok(Moved::Refused);
    }
    // Publishing dates an article that has no date yet, or whose date is still ahead.
    if target == Status::Published && article.published_at.is_none_or(|at| at > tx.now()) {
        article.published_at = Some(tx.now());
    }
    article.status = target;
    let saved = tx.update_article(&article).await?;
    if saved.status == Status::Published {
        tx.insert_revision(&saved, Some(by.id)).await?;
    }
    Ok(Moved::Changed)
}

/// Publishes the scheduled article `id` as its publication job (`job`) completes, in one unit
/// of work, so it is published exactly once however many nodes run jobs. Returns whether it
/// was published: an article unscheduled since is left alone, and one moved later is saved
/// again, which enqueues its job for the new time.
pub async fn publish_scheduled(
    store: &Store,
    id: ArticleId,
    job: &gazette_store::ClaimedJob,
) -> Result<bool, StoreError> {
    let job = job.clone();
    store
        .write(|tx| {
            Box::pin(async move {
                // Article first, then job: the order an editor's save takes them in.
                tx.lock_article(id).await?;
                // Complete before saving: saving the article as published cancels its
                // publication job, which must by then be ours and done.
                tx.complete_job(&job).await?;
                let Some(mut article) = tx.article(id).await? else {
                    return Ok(false);
                };
                if article.status != Status::Scheduled {
                    return Ok(false);
                }
                if article.published_at.is_none_or(|at| at > tx.now()) {
                    tx.update_article(&article).await?;
                    return Ok(false);
                }
                article.status = Status::Published;
                tx.update_article(&article).await?;
                Ok(true)
            })
        })
        .await
}
