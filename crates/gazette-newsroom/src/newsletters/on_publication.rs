//! Newsletters that follow publication: an article an editor chose to send when it is
//! published (now or at its scheduled time), and digests made at their local time from what
//! was published since the last one. The node's jobs call these once the parts are made.

use gazette_core::{Article, ArticleId, NewsletterId, Person};
use gazette_store::{IssueId, NewIssue, Store, StoreError, publication_job};
use jiff::Timestamp;

/// Records that `article` goes to `newsletters` when it is published, and the job that makes
/// the issues then; how many were recorded (newsletters it already went to are left out).
pub async fn request(
    store: &Store,
    article: &Article,
    newsletters: Vec<NewsletterId>,
    by: &Person,
) -> Result<u64, StoreError> {
    let (id, published_at, by) = (article.id, article.published_at, by.id);
    store
        .write(move |tx| {
            Box::pin(async move {
                let recorded = tx.request_newsletter_sends(id, &newsletters, by).await?;
                if recorded > 0 {
                    let due = published_at.map_or(tx.now(), |at| at.max(tx.now()));
                    tx.enqueue_job(&publication_job(id, due)).await?;
                }
                Ok(recorded)
            })
        })
        .await
}

/// Makes the issue of a waiting send and queues it, unless another unit of work took the
/// send first; the issue's id when this one made it.
pub async fn issue_waiting(
    store: &Store,
    article: ArticleId,
    issue: NewIssue,
) -> Result<Option<IssueId>, StoreError> {
    store
        .write(move |tx| {
            Box::pin(async move {
                if !tx.take_newsletter_send(article, issue.newsletter).await? {
                    return Ok(None);
                }
                Ok(Some(super::issues::queue(tx, &issue).await?.issue))
            })
        })
        .await
}

/// Drops what waited for an article's publication (it was withdrawn before it came out).
pub async fn withdraw(store: &Store, article: ArticleId) -> Result<(), StoreError> {
    let waiting = store.newsletter_sends_of(article).await?;
    store
        .write(move |tx| {
            Box::pin(async move {
                for newsletter in waiting {
                    tx.take_newsletter_send(article, newsletter).await?;
                }
                Ok(())
            })
        })
        .await
}

/// Makes a digest covering up to `covers_until` and queues it; None when this digest was
/// made already (its slug, the local day, is taken).
pub async fn make_digest(
    store: &Store,
    issue: NewIssue,
    covers_until: Timestamp,
) -> Result<Option<IssueId>, StoreError> {
    let made = store
        .write(move |tx| {
            Box::pin(async move {
                let id = super::issues::queue(tx, &issue).await?.issue;
                tx.set_issue_covers_until(id, covers_until).await?;
                Ok(id)
            })
        })
        .await;
    match made {
        Ok(id) => Ok(Some(id)),
        Err(StoreError::Conflict { .. }) => Ok(None),
        Err(error) => Err(error),
    }
}
