//! Telling moderators that a comment waits for them, by email, as jobs in the unit of work that
//! stores the comment: a message exists exactly when its comment does.

use gazette_core::{Article, Capability, CommentId, Email, Person, Role};
use gazette_store::{NewComment, NewJob, SEND_EMAIL, StoreError, WriteTx};

use crate::site::Site;

/// Who hears about held comments on `article`: its authors who may moderate them, and every
/// editor and administrator.
pub(crate) fn moderators_of(people: &[Person], article: &Article) -> Vec<Email> {
    let mut emails: Vec<Email> = people
        .iter()
        .filter(|p| p.active)
        .filter(|p| {
            p.role.can(Capability::ModerateComments)
                || (article.authors.contains(&p.id) && p.role != Role::Contributor)
        })
        .map(|p| p.email.clone())
        .collect();
    emails.dedup_by_key(|e| e.normalized());
    emails
}

/// Enqueues one email per moderator about the held comment `id`.
pub(crate) async fn notify_moderators(
    tx: &mut WriteTx,
    site: &Site,
    article: &Article,
    id: CommentId,
    comment: &NewComment,
    moderators: &[Email],
) -> Result<(), StoreError> {
    let subject = format!(
        "[{}] A comment awaits moderation: {}",
        site.publication.name, article.headline
    );
    let inbox = site
        .publication
        .base_url
        .as_ref()
        .map(|base| {
            format!(
                "\n\nModerate it: {}/admin/comments/?status=pending#comment-{}",
                base.as_str().trim_end_matches('/'),
                id.0
            )
        })
        .unwrap_or_default();
    let reasons = if comment.reasons.is_empty() {
        String::new()
    } else {
        format!("\n\nWhy it was held:\n- {}", comment.reasons.join("\n- "))
    };
    let text = format!(
        "A comment on “{}” is waiting for a moderator.\n\nFrom: {} <{}>\n\n{}{reasons}{inbox}\n",
        article.headline, comment.author_name, comment.author_email, comment.body
    );
    for to in moderators {
        let payload = serde_json::json!({ "to": to.as_str(), "subject": subject, "text": text });
        tx.enqueue_job(&NewJob::new(SEND_EMAIL, payload, tx.now()))
            .await?;
    }
    Ok(())
}
