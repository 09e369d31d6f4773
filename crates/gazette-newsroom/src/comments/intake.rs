//! Taking a reader's comment, from the form under an article or from an app through the REST
//! API: the spam signals weighed, the reply placed in its thread, and one unit of work that
//! counts the sender's rate, stores the comment (once, however often it is sent again) and
//! enqueues the emails it causes.

use std::sync::Arc;

use gazette_core::comment::{FormAge, assess, count_links, list_match};
use gazette_core::{
    Article, ClientAddress, Comment, CommentId, CommentKind, CommentPolicy, CommentStatus, Email,
    Signals,
};
use gazette_store::{CreatedRecord, IdempotencyKey, Inserted, NewComment, Once, Store, StoreError};
use jiff::SignedDuration;
use sha2::{Digest as _, Sha256};

use super::attach_reply;
use super::mail::{Journal, moderators_of, notify_moderators, on_approved};

/// How far back the rate limits count.
const RATE_WINDOW: SignedDuration = SignedDuration::from_mins(10);
/// Comments one address (an IPv4 address or an IPv6 /64) may send in the window.
const MAX_PER_ADDRESS: i64 = 10;
/// Comments one email may send in the window.
const MAX_PER_EMAIL: i64 = 5;

/// A comment whose fields were checked: the article is open to comments and the reply's
/// parent is one of its comments.
#[derive(Debug, Clone)]
pub struct Submission {
    pub article: Article,
    pub parent: Option<Comment>,
    pub author: String,
    pub email: Email,
    pub url: String,
    pub text: String,
    pub wants_replies: bool,
    /// The field no person sees was filled in.
    pub honeypot_filled: bool,
}

/// Who sent it.
#[derive(Debug, Clone)]
pub struct Sender {
    pub address: ClientAddress,
    pub user_agent: String,
}

/// Where a comment came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// The form under an article, in a reader's browser: how long the form was open, the
    /// form's one-time nonce when its script ran, and the hash of the browser's commenter key
    /// when the reader asked to be remembered.
    Form {
        form_age: FormAge,
        nonce: Option<String>,
        commenter_key: Option<String>,
    },
    /// An app posting for a reader through the REST API: no page, no form token, no person
    /// seen typing, so it is always held for a moderator. Its `Idempotency-Key`, when sent,
    /// makes a repeated request answer with the comment the first one made.
    Api { once: Option<IdempotencyKey> },
}

/// Why a comment was not taken.
#[derive(Debug, thiserror::Error)]
pub enum IntakeError {
    /// Too many comments from this address or email lately; nothing was stored or counted.
    #[error("too many comments from this address or email; try again in a few minutes")]
    RateLimited,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What the journal's settings say about taking comments.
#[derive(Debug, Clone)]
pub struct Intake {
    pub policy: CommentPolicy,
    /// Whether mail can be sent (SMTP is configured): without it nobody is notified.
    pub mail_enabled: bool,
    pub journal: Arc<Journal>,
}

/// Weighs `submission`, places it in its thread and stores it with its rate counts and the
/// emails it causes, in one unit of work. A submission sent again is answered with the comment
/// it made the first time. Returns the comment and the status it was given.
pub async fn take(
    store: &Store,
    intake: &Intake,
    submission: &Submission,
    sender: &Sender,
    source: &Source,
) -> Result<(Inserted, CommentStatus), IntakeError> {
    let policy = &intake.policy;
    let email_normalized = submission.email.normalized();
    let text = submission.text.trim().to_owned();
    let (assessed, score, reasons) = weigh(
        store,
        policy,
        submission,
        sender,
        source,
        &email_normalized,
        &text,
    )
    .await?;
    let (parent, depth) = match &submission.parent {
        None => (None, 0),
        Some(answered) => attach_reply(store, policy, answered).await?,
    };
    let answered = submission
        .parent
        .as_ref()
        .map(|c| c.id)
        .filter(|id| parent != Some(*id));
    let nonce = match source {
        Source::Form { nonce, .. } => nonce.as_deref(),
        Source::Api { .. } => None,
    };
    let new = NewComment {
        article: submission.article.id,
        parent,
        depth,
        status: assessed,
        kind: CommentKind::Comment,
        author_name: submission.author.trim().to_owned(),
        author_email: submission.email.as_str().to_owned(),
        author_url: submission.url.clone(),
        author_ip: Some(sender.address.to_string()),
        user_agent: sender.user_agent.chars().take(255).collect(),
        person: None,
        body_html: gazette_render::render_comment(&text),
        submission_key: Some(submission_key(
            nonce,
            sender.address,
            submission,
            &email_normalized,
            &text,
        )),
        body: text,
        score,
        reasons,
        wants_replies: submission.wants_replies,
        answered,
        commenter_key: match source {
            Source::Form { commenter_key, .. } => commenter_key.clone(),
            Source::Api { .. } => None,
        },
    };
    let moderators = if intake.mail_enabled && policy.notify_moderators {
        moderators_of(&store.people().await?, &submission.article)
    } else {
        Vec::new()
    };
    let address_key = format!("comment-address:{}", sender.address.limit_key());
    let email_key = super::email_rate_key(&email_normalized);
    let article = submission.article.clone();
    let journal = Arc::clone(&intake.journal);
    let mail_enabled = intake.mail_enabled;
    let once = match source {
        Source::Api { once } => once.as_ref(),
        Source::Form { .. } => None,
    };
    let made = |inserted: &Inserted| CreatedRecord {
        kind: "comment",
        id: inserted.id().0,
    };
    let inserted = store
        .write_once(once, made, |tx| {
            Box::pin(async move {
                if let Some(key) = &new.submission_key
                    && let Some(existing) = tx.comment_by_submission(key).await?
                {
                    return Ok(Inserted::Again(existing));
                }
                let by_address = tx.count_event(&address_key, RATE_WINDOW).await?;
                let by_email = tx.count_event(&email_key, RATE_WINDOW).await?;
                if by_address > MAX_PER_ADDRESS || by_email > MAX_PER_EMAIL {
                    // An error rolls the unit back: a refused attempt counts for nothing.
                    return Err(IntakeError::RateLimited);
                }
                let inserted = tx.insert_comment(&new).await?;
                match (inserted, new.status) {
                    (Inserted::New(id), CommentStatus::Pending) => {
                        notify_moderators(tx, &journal, &article, id, &new, &moderators).await?;
                    }
                    (Inserted::New(id), CommentStatus::Approved) => {
                        on_approved(tx, &journal, mail_enabled, &[id]).await?;
                    }
                    _ => {}
                }
                Ok(inserted)
            })
        })
        .await?;
    let inserted = match inserted {
        Once::Done(inserted) => inserted,
        Once::Repeated(record) => Inserted::Again(CommentId(record.id)),
    };
    Ok((inserted, assessed))
}

/// The spam signals of a submission and what the comment policy makes of them: the status,
/// the score and the reasons a moderator is shown.
async fn weigh(
    store: &Store,
    policy: &CommentPolicy,
    submission: &Submission,
    sender: &Sender,
    source: &Source,
    email_normalized: &str,
    text: &str,
) -> Result<(CommentStatus, i64, Vec<String>), StoreError> {
    let haystacks = [
        text,
        submission.author.as_str(),
        email_normalized,
        submission.url.as_str(),
    ];
    let (form_age, commenter_key) = match source {
        Source::Form {
            form_age,
            commenter_key,
            ..
        } => (*form_age, commenter_key.as_deref()),
        Source::Api { .. } => (FormAge::NoForm, None),
    };
    // A returning commenter is known by their browser's key, never by name and email alone.
    let known_commenter = match commenter_key {
        Some(key) => {
            store
                .has_approved_comment(email_normalized, &submission.author, key)
                .await?
        }
        None => false,
    };
    let ip = sender.address.ip();
    let signals = Signals {
        honeypot_filled: submission.honeypot_filled,
        form_age,
        links: count_links(text),
        duplicate: store
            .is_duplicate_comment(submission.article.id, text)
            .await?,
        known_commenter,
        uses_staff_email: store.person_by_email(&submission.email).await?.is_some(),
        moderation_match: list_match(&policy.moderation_list, &haystacks, Some(ip)),
        block_match: list_match(&policy.block_list, &haystacks, Some(ip)),
    };
    let mut assessment = assess(&signals, policy);
    if matches!(source, Source::Api { .. }) {
        assessment
            .reasons
            .push("Sent by an app through the REST API: always held.".to_owned());
        if assessment.status == CommentStatus::Approved {
            assessment.status = CommentStatus::Pending;
        }
    }
    Ok((assessment.status, assessment.score, assessment.reasons))
}

/// One key per submission of one form: the token's nonce when the script ran, and the content
/// always, so a retried POST without the script is recognised as well. Without a nonce the
/// client's address is part of it: a retry comes from the same place, while someone else
/// re-sending a published comment's text with a guessed email must not learn, from being
/// answered with that comment, that the guess was right.
fn submission_key(
    nonce: Option<&str>,
    address: ClientAddress,
    submission: &Submission,
    email_normalized: &str,
    text: &str,
) -> String {
    let mut hash = Sha256::new();
    let origin = match nonce {
        Some(nonce) => nonce.to_owned(),
        None => format!("address:{address}"),
    };
    for part in [
        origin.as_str(),
        &submission.article.id.0.to_string(),
        &submission.parent.as_ref().map_or(0, |p| p.id.0).to_string(),
        email_normalized,
        text,
    ] {
        hash.update(part.as_bytes());
        hash.update([0]);
    }
    hex::encode(hash.finalize())
}
