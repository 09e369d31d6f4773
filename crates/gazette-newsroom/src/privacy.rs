//! A reader's right to their data: everything stored about an email address (comments,
//! newsletter subscriptions and their consent), and its erasure. The command line
//! (`gazette privacy export|erase --email`) and the back office share these.

use gazette_core::{Comment, Email, Subscriber};
use gazette_store::{PageComment, Store, StoreError};
use serde::Serialize;

/// One comment as its author gets it back: everything stored, private fields included.
#[derive(Debug, Serialize)]
struct ExportedComment<'a> {
    id: i64,
    article_id: i64,
    in_reply_to: Option<i64>,
    status: &'static str,
    written_at: String,
    name: &'a str,
    email: &'a str,
    website: &'a str,
    ip_address: Option<&'a str>,
    browser: &'a str,
    text: &'a str,
    /// Whether they asked to hear of replies: none, requested or confirmed.
    reply_notifications: &'static str,
    /// The spam score and the reasons a moderator was shown.
    score: i64,
    moderation_notes: &'a [String],
}

/// A comment kept from a WordPress page, as its author gets it back.
#[derive(Debug, Serialize)]
struct ExportedPageComment<'a> {
    id: i64,
    page_id: i64,
    in_reply_to: Option<i64>,
    status: &'static str,
    written_at: String,
    name: &'a str,
    email: &'a str,
    website: &'a str,
    ip_address: Option<&'a str>,
    text: &'a str,
}

/// A newsletter subscriber as the reader gets it back: where it stands, and each
/// subscription's consent.
#[derive(Debug, Serialize)]
struct ExportedSubscriber<'a> {
    status: &'static str,
    asked_at: String,
    confirmed_at: Option<String>,
    subscriptions: Vec<ExportedSubscription<'a>>,
}

#[derive(Debug, Serialize)]
struct ExportedSubscription<'a> {
    newsletter: String,
    consented_at: String,
    consent_form: &'a str,
    consent_wording: &'a str,
    confirmed_at: Option<String>,
}

/// Everything stored about this email, as pretty-printed JSON.
pub async fn export(store: &Store, email: &Email) -> Result<String, StoreError> {
    let comments = store.comments_by_email(&email.normalized()).await?;
    let page_comments = store.page_comments_by_email(&email.normalized()).await?;
    let subscriber = store.subscriber_by_email(email.as_str()).await?;
    let names = store.newsletters().await?;
    let newsletter = subscriber.as_ref().map(|s| exported_subscriber(s, &names));
    Ok(export_json(email, &comments, &page_comments, newsletter))
}

fn exported_subscriber<'a>(
    subscriber: &'a Subscriber,
    newsletters: &[gazette_core::Newsletter],
) -> ExportedSubscriber<'a> {
    let name = |id| {
        newsletters
            .iter()
            .find(|n| n.id == id)
            .map_or_else(|| format!("newsletter {}", id.0), |n| n.name.clone())
    };
    ExportedSubscriber {
        status: subscriber.status.as_str(),
        asked_at: subscriber.created_at.to_string(),
        confirmed_at: subscriber.confirmed_at.map(|at| at.to_string()),
        subscriptions: subscriber
            .subscriptions
            .iter()
            .map(|s| ExportedSubscription {
                newsletter: name(s.newsletter),
                consented_at: s.consent.at.to_string(),
                consent_form: &s.consent.form,
                consent_wording: &s.consent.wording,
                confirmed_at: s.confirmed_at.map(|at| at.to_string()),
            })
            .collect(),
    }
}

fn export_json(
    email: &Email,
    comments: &[Comment],
    page_comments: &[PageComment],
    newsletters: Option<ExportedSubscriber<'_>>,
) -> String {
    let exported: Vec<ExportedComment<'_>> = comments
        .iter()
        .map(|c| ExportedComment {
            id: c.id.0,
            article_id: c.article.0,
            in_reply_to: c.answered.or(c.parent).map(|p| p.0),
            status: c.status.as_str(),
            written_at: c.created_at.to_string(),
            name: &c.author_name,
            email: &c.author_email,
            website: &c.author_url,
            ip_address: c.author_ip.as_deref(),
            browser: &c.user_agent,
            text: &c.body,
            reply_notifications: c.reply_subscription.as_str(),
            score: c.score,
            moderation_notes: &c.reasons,
        })
        .collect();
    let on_pages: Vec<ExportedPageComment<'_>> = page_comments
        .iter()
        .map(|c| ExportedPageComment {
            id: c.id,
            page_id: c.page.0,
            in_reply_to: c.parent,
            status: c.status.as_str(),
            written_at: c.created_at.to_string(),
            name: &c.author_name,
            email: &c.author_email,
            website: &c.author_url,
            ip_address: c.author_ip.as_deref(),
            text: &c.body,
        })
        .collect();
    let document = serde_json::json!({
        "email": email.as_str(),
        "comments": exported,
        "comments_on_pages": on_pages,
        "newsletters": newsletters,
    });
    serde_json::to_string_pretty(&document).unwrap_or_default()
}

/// What an erasure did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Erased {
    /// Comments anonymised (their texts stay, signed "Anonymous").
    pub comments: u64,
    /// Whether a newsletter subscriber was forgotten.
    pub subscriber: bool,
}

/// Removes what identifies the reader from all their comments (see
/// `WriteTx::erase_commenter`), forgets their rate counters and their newsletter
/// subscriptions, and keeps the address off every mailing list for good.
pub async fn erase(store: &Store, email: &Email) -> Result<Erased, StoreError> {
    let normalized = email.normalized();
    let counter = crate::comments::email_rate_key(&normalized);
    let address = email.as_str().to_owned();
    store
        .write(|tx| {
            Box::pin(async move {
                tx.forget_rate_counter(&counter).await?;
                let comments = tx.erase_commenter(&normalized).await?;
                let subscriber = tx.erase_subscriber(&address).await?;
                Ok(Erased {
                    comments,
                    subscriber,
                })
            })
        })
        .await
}
