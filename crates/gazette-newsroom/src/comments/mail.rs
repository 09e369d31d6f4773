//! Comment emails, all enqueued as jobs in the unit of work that causes them, so a message
//! exists exactly when its cause does: moderators hear of held comments; commenters who asked
//! (and confirmed) hear of replies once those are approved. Links in them carry tokens keyed
//! with the server secret.

use std::sync::Arc;

use gazette_core::signing::{keyed_tag, same_secret};
use gazette_core::{
    Article, Capability, Comment, CommentId, CommentStatus, Email, Person, Publication,
    ReplySubscription, Role,
};
use gazette_store::{NewComment, StoreError, WriteTx};

/// What comment emails say about the journal they come from.
#[derive(Clone)]
pub struct Journal {
    pub publication: Publication,
    pub server_secret: String,
    /// An article's path under the publication's permalinks.
    pub article_path: Arc<dyn Fn(&Article) -> String + Send + Sync>,
}

impl std::fmt::Debug for Journal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Journal")
            .field("publication", &self.publication.name)
            .finish_non_exhaustive()
    }
}

/// Who hears about held comments on `article`: its authors who may moderate them, and every
/// editor and administrator.
pub fn moderators_of(people: &[Person], article: &Article) -> Vec<Email> {
    let mut emails: Vec<Email> = people
        .iter()
        .filter(|p| p.active)
        .filter(|p| {
            p.role.can(Capability::ModerateComments)
                || (article.authors.contains(&p.id) && p.role != Role::Contributor)
        })
        .map(|p| p.email.clone())
        .collect();
    let mut seen = std::collections::HashSet::new();
    emails.retain(|e| seen.insert(e.normalized()));
    emails
}

/// Enqueues one email per moderator about the held comment `id`.
pub async fn notify_moderators(
    tx: &mut WriteTx,
    journal: &Journal,
    article: &Article,
    id: CommentId,
    comment: &NewComment,
    moderators: &[Email],
) -> Result<(), StoreError> {
    let subject = format!(
        "[{}] A comment awaits moderation: {}",
        journal.publication.name, article.headline
    );
    let inbox = journal
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
        crate::outbox::enqueue_email(tx, to.as_str(), &subject, &text).await?;
    }
    Ok(())
}

/// Why a subscription link was sent: to confirm a subscription, or to stop them all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkPurpose {
    Confirm,
    Stop,
}

/// Does what a subscription link asks for `comment`: confirms the subscription to replies
/// to it, or stops every reply notification to its author's address.
pub async fn follow_link(
    store: &gazette_store::Store,
    purpose: LinkPurpose,
    comment: &Comment,
) -> Result<(), StoreError> {
    let id = comment.id;
    let email = comment.author_email.trim().to_lowercase();
    store
        .write(|tx| {
            Box::pin(async move {
                match purpose {
                    LinkPurpose::Confirm => tx.confirm_reply_subscription(id).await.map(|_| ()),
                    LinkPurpose::Stop => tx.end_reply_subscriptions(&email).await.map(|_| ()),
                }
            })
        })
        .await
}

impl LinkPurpose {
    fn as_str(self) -> &'static str {
        match self {
            Self::Confirm => "confirm",
            Self::Stop => "stop",
        }
    }
}

fn link_mac(secret: &str, purpose: LinkPurpose, id: CommentId, email: &str) -> String {
    let message = format!(
        "{}\u{0}{}\u{0}{}",
        purpose.as_str(),
        id.0,
        email.trim().to_lowercase()
    );
    keyed_tag(secret, "reply-subscription", &message, 32)
}

/// The token of a subscription link: the purpose, the comment and a MAC that also covers the
/// commenter's email, so the link dies with an erased or changed address.
pub fn link_token(secret: &str, purpose: LinkPurpose, id: CommentId, email: &str) -> String {
    format!(
        "{}.{}.{}",
        purpose.as_str(),
        id.0,
        link_mac(secret, purpose, id, email)
    )
}

/// Splits a token into what it claims; [`link_holds`] checks the claim against the comment.
pub fn parse_link_token(token: &str) -> Option<(LinkPurpose, CommentId, &str)> {
    let mut parts = token.split('.');
    let purpose = match parts.next()? {
        "confirm" => LinkPurpose::Confirm,
        "stop" => LinkPurpose::Stop,
        _ => return None,
    };
    let id = CommentId(parts.next()?.parse().ok()?);
    let mac = parts.next()?;
    parts.next().is_none().then_some((purpose, id, mac))
}

/// Whether `mac` is the one this comment's current email gives.
pub fn link_holds(secret: &str, purpose: LinkPurpose, comment: &Comment, mac: &str) -> bool {
    !comment.author_email.is_empty()
        && same_secret(
            mac,
            &link_mac(secret, purpose, comment.id, &comment.author_email),
        )
}

/// What must be mailed now that the comments `ids` are approved, each at most once and in
/// this unit of work: the confirmation request to a commenter who asked to hear of replies,
/// and, to the author of each comment answered, the news of the reply (only if they confirmed
/// their subscription). Needs SMTP and the publication's address for the links; without
/// them nothing is claimed and nothing sent.
pub async fn on_approved(
    tx: &mut WriteTx,
    journal: &Journal,
    mail_enabled: bool,
    ids: &[CommentId],
) -> Result<(), StoreError> {
    let Some(base) = journal
        .publication
        .base_url
        .as_ref()
        .filter(|_| mail_enabled)
    else {
        return Ok(());
    };
    let base = base.as_str().trim_end_matches('/').to_owned();
    for id in ids {
        let Some(comment) = tx.comment(*id).await? else {
            continue;
        };
        let Some(article) = tx.article(comment.article).await? else {
            continue;
        };
        let article_url = format!("{base}{}", (journal.article_path)(&article));
        if comment.reply_subscription == ReplySubscription::Requested
            && !suppressed(tx, &comment.author_email).await?
            && tx.claim_subscription_mail(comment.id).await?
        {
            let token = link_token(
                &journal.server_secret,
                LinkPurpose::Confirm,
                comment.id,
                &comment.author_email,
            );
            let text = format!(
                "You asked to hear of replies to your comment on “{}”.\n\nTo confirm, open this \
                 link and press the button:\n{base}/comments/replies/{token}\n\nIf you did not \
                 ask, ignore this message: nothing will be sent to you.\n",
                article.headline
            );
            let subject = format!("[{}] Confirm reply notifications", journal.publication.name);
            crate::outbox::enqueue_email(tx, &comment.author_email, &subject, &text).await?;
        }
        // The author of the comment the reader answered, even when the reply hangs higher up.
        let Some(parent) = comment.answered.or(comment.parent) else {
            continue;
        };
        let Some(parent) = tx.comment(parent).await? else {
            continue;
        };
        let same_person =
            parent.author_email.trim().to_lowercase() == comment.author_email.trim().to_lowercase();
        if parent.reply_subscription == ReplySubscription::Confirmed
            && parent.status == CommentStatus::Approved
            && !same_person
            && !suppressed(tx, &parent.author_email).await?
            && tx.claim_reply_notice(comment.id).await?
        {
            let stop = link_token(
                &journal.server_secret,
                LinkPurpose::Stop,
                parent.id,
                &parent.author_email,
            );
            let text = format!(
                "{} replied to your comment on “{}”:\n\n{}\n\nRead it: {article_url}#comment-{}\n\n\
                 Stop these emails: {base}/comments/replies/{stop}\n",
                comment.author_name, article.headline, comment.body, comment.id.0
            );
            let subject = format!("[{}] A reply to your comment", journal.publication.name);
            crate::outbox::enqueue_email(tx, &parent.author_email, &subject, &text).await?;
        }
    }
    Ok(())
}

/// Whether the suppression list (shared with newsletters) forbids mailing `email`.
async fn suppressed(tx: &mut WriteTx, email: &str) -> Result<bool, StoreError> {
    Ok(tx.suppression(email).await?.is_some())
}
