//! A commenter's right to their data: everything stored about them, and its erasure. The
//! command line (`gazette privacy export|erase --email`) and the back office share these.

use gazette_core::{Comment, Email};
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

/// Everything stored about the commenter with this email, as pretty-printed JSON.
pub async fn export(store: &Store, email: &Email) -> Result<String, StoreError> {
    let comments = store.comments_by_email(&email.normalized()).await?;
    let page_comments = store.page_comments_by_email(&email.normalized()).await?;
    Ok(export_json(email, &comments, &page_comments))
}

fn export_json(email: &Email, comments: &[Comment], page_comments: &[PageComment]) -> String {
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
    });
    serde_json::to_string_pretty(&document).unwrap_or_default()
}

/// Removes what identifies the commenter from all their comments (see
/// `WriteTx::erase_commenter`) and forgets their rate counter; returns how many comments were
/// anonymised.
pub async fn erase(store: &Store, email: &Email) -> Result<u64, StoreError> {
    let normalized = email.normalized();
    let counter = crate::comments::email_rate_key(&normalized);
    store
        .write(|tx| {
            Box::pin(async move {
                tx.forget_rate_counter(&counter).await?;
                tx.erase_commenter(&normalized).await
            })
        })
        .await
}
