//! Issues: what a newsletter sends once. Making one stores its two parts and queues a
//! delivery for every confirmed subscriber in one unit of work, with the job that sends them;
//! the sending itself is the node's (`gazette-node`'s `newsletter_mail`).
//!
//! The parts are the same for every reader but for the links that are each reader's own
//! (preferences, leave all): the parts carry [`PREFERENCES_MARK`] and [`UNSUBSCRIBE_MARK`]
//! where those go, and the sender puts each reader's signed link there.

use gazette_core::NewsletterId;
use gazette_store::{IssueId, IssueStatus, NewIssue, Store, StoreError, WriteTx};

/// Where a reader's own preferences link goes in an issue's parts.
pub const PREFERENCES_MARK: &str = "%%gazette-preferences%%";
/// Where a reader's own leave-all link goes.
pub const UNSUBSCRIBE_MARK: &str = "%%gazette-unsubscribe%%";

/// An issue made and queued: its id, and how many deliveries wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Queued {
    pub issue: IssueId,
    pub deliveries: u64,
}

/// Makes an issue and queues it for every confirmed subscriber, with its sending job.
pub async fn send(store: &Store, issue: NewIssue) -> Result<Queued, StoreError> {
    store
        .write(move |tx| Box::pin(async move { queue(tx, &issue).await }))
        .await
}

/// In a unit of work: makes the issue, queues a delivery for every confirmed subscriber and
/// the jobs that send them. Every way an issue is made (by hand, on publication, a digest)
/// goes through here.
pub(crate) async fn queue(tx: &mut WriteTx, issue: &NewIssue) -> Result<Queued, StoreError> {
    let (id, deliveries) = tx.insert_issue(issue).await?;
    tx.enqueue_senders(id).await?;
    Ok(Queued {
        issue: id,
        deliveries,
    })
}

/// An issue's part with a reader's own links replaced by `link` (a preview, a test).
pub fn without_reader_links(part: &str, link: &str) -> String {
    part.replace(PREFERENCES_MARK, link)
        .replace(UNSUBSCRIBE_MARK, link)
}

/// Sends an issue's parts to one address (an editor's own), as a test: through the mail
/// queue, outside any subscription, with the reader's links pointing nowhere.
pub async fn send_test(
    store: &Store,
    to: &str,
    subject: &str,
    html: &str,
    text: &str,
) -> Result<(), StoreError> {
    let to = to.to_owned();
    let subject = format!("[Test] {subject}");
    let text = without_reader_links(text, "(your own link)");
    let html = without_reader_links(html, "#");
    store
        .write(move |tx| {
            Box::pin(async move {
                crate::outbox::enqueue_email_with_html(tx, &to, &subject, &text, &html).await
            })
        })
        .await
}

/// What an editor may do to an issue being sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Control {
    Pause,
    Resume,
    Cancel,
}

/// Pauses, resumes or cancels what of an issue has not gone yet; false when the issue was not
/// in a state that allows it. Resuming queues the sending job again.
pub async fn control(store: &Store, issue: IssueId, control: Control) -> Result<bool, StoreError> {
    use IssueStatus::{Cancelled, Paused, Sending};
    store
        .write(move |tx| {
            Box::pin(async move {
                let moved = match control {
                    Control::Pause => tx.move_issue(issue, &[Sending], Paused).await?,
                    Control::Cancel => tx.move_issue(issue, &[Sending, Paused], Cancelled).await?,
                    Control::Resume => tx.move_issue(issue, &[Paused], Sending).await?,
                };
                if moved && control == Control::Resume {
                    tx.enqueue_senders(issue).await?;
                }
                Ok(moved)
            })
        })
        .await
}

/// Sends an issue's `unknown` deliveries again, at an editor's word; how many (none when
/// there were none, or the issue was cancelled).
pub async fn resend_unknown(store: &Store, issue: IssueId) -> Result<u64, StoreError> {
    store
        .write(move |tx| {
            Box::pin(async move {
                let queued = tx.resend_unknown(issue).await?;
                if queued > 0 {
                    tx.enqueue_senders(issue).await?;
                }
                Ok(queued)
            })
        })
        .await
}

/// A slug for an issue: the newsletter's running number of issues, then `slug`.
pub async fn next_slug(
    store: &Store,
    newsletter: NewsletterId,
    slug: &str,
) -> Result<String, StoreError> {
    let count = store.issues_of(newsletter).await?.len() + 1;
    Ok(format!("{count}-{slug}"))
}
