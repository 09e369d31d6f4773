//! Newsletters for readers: asking for them (the first half of the double opt-in), the
//! confirmation mail, and the links every later mail carries (confirm, choose, leave all);
//! editors defining them are in `definitions`.
//!
//! What a reader learns from the form never depends on what the journal knows of the
//! address: every well-formed request is answered alike, and mail goes only where it may (not
//! to a suppressed address, at most one confirmation a day).

use gazette_core::newsletter::links::{self, LinkClaim, LinkPurpose};
use gazette_core::{ClientAddress, Email, NewsletterId, Subscriber, SubscriberStatus};
use gazette_store::{NewConsent, Store, StoreError, WriteTx};
use jiff::SignedDuration;

use crate::comments::mail::Journal;

mod definitions;
pub mod issues;
pub mod on_publication;
pub mod roster;

pub use definitions::{DefinitionFields, SaveRefusal, definition, save};

/// How far back the form's rate limits count.
const RATE_WINDOW: SignedDuration = SignedDuration::from_hours(1);
/// Requests one network address may make in the window (a newsroom behind one NAT signs up
/// together, so not too few).
const MAX_PER_ADDRESS: i64 = 20;
/// Requests for one email address in the window.
const MAX_PER_EMAIL: i64 = 3;

/// A reader's request, as the form sent it.
#[derive(Debug, Clone)]
pub struct Request {
    pub email: Email,
    pub newsletters: Vec<NewsletterId>,
    /// Where the form was, and the words next to its button.
    pub consent: NewConsent,
    pub sender: ClientAddress,
}

/// The confirmation email in the journal's words, made by the theme: its subject and parts,
/// with [`CONFIRM_MARK`] where the reader's own link goes.
#[derive(Debug, Clone)]
pub struct Confirmation {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// Stands in the confirmation's parts for the link to the reader's confirmation page.
pub const CONFIRM_MARK: &str = "https://gazette.invalid/confirm-link";

/// Why a request was refused (every other outcome looks the same to the reader).
#[derive(Debug, thiserror::Error)]
pub enum RequestError {
    #[error("too many requests from this address or for this email; try again in an hour")]
    RateLimited,
    #[error("no such newsletter")]
    UnknownNewsletter,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Records a reader's request and mails `confirmation` if it may go (it needs SMTP, so it is
/// None without, and the publication's address for the link; without them the request
/// waits, unconfirmed).
pub async fn request(
    store: &Store,
    journal: &Journal,
    confirmation: Option<Confirmation>,
    request: Request,
) -> Result<(), RequestError> {
    let known = store.newsletters().await?;
    if request.newsletters.is_empty()
        || !request
            .newsletters
            .iter()
            .all(|id| known.iter().any(|n| n.id == *id))
    {
        return Err(RequestError::UnknownNewsletter);
    }
    let journal = journal.clone();
    store
        .write(move |tx| {
            Box::pin(async move {
                let email_key = format!("newsletter-email:{}", request.email.normalized());
                let address_key = format!("newsletter-address:{}", request.sender.limit_key());
                let by_address = tx.count_event(&address_key, RATE_WINDOW).await?;
                let by_email = tx.count_event(&email_key, RATE_WINDOW).await?;
                if by_address > MAX_PER_ADDRESS || by_email > MAX_PER_EMAIL {
                    return Err(RequestError::RateLimited);
                }
                let id = tx
                    .request_subscription(&request.email, &request.newsletters, &request.consent)
                    .await?;
                if let Some(confirmation) = &confirmation {
                    mail_confirmation(tx, &journal, confirmation, id).await?;
                }
                Ok(())
            })
        })
        .await
}

/// Mails the confirmation link unless the address may not be mailed, needs nothing
/// confirmed, or had one in the last day.
async fn mail_confirmation(
    tx: &mut WriteTx,
    journal: &Journal,
    confirmation: &Confirmation,
    id: gazette_core::SubscriberId,
) -> Result<(), StoreError> {
    let Some(base) = journal.publication.base_url.as_ref() else {
        return Ok(());
    };
    let Some(subscriber) = tx.subscriber(id).await? else {
        return Ok(());
    };
    let waiting = subscriber
        .subscriptions
        .iter()
        .any(|s| s.confirmed_at.is_none());
    let suppressed = tx
        .suppression(&subscriber.email)
        .await?
        .is_some_and(|reason| !reason.lifted_by_consent());
    if !waiting || suppressed || !tx.claim_confirmation_mail(id).await? {
        return Ok(());
    }
    let token = links::token(
        &journal.server_secret,
        LinkPurpose::Confirm,
        id,
        &subscriber.email,
        tx.now(),
    );
    let base = base.as_str().trim_end_matches('/');
    let link = format!("{base}/newsletters/confirm/{token}");
    let own = |part: &str| part.replace(CONFIRM_MARK, &link);
    crate::outbox::enqueue_email_with_html(
        tx,
        &subscriber.email,
        &confirmation.subject,
        &own(&confirmation.text),
        &own(&confirmation.html),
    )
    .await
}

/// What a link in newsletter mail names, once checked.
#[derive(Debug, Clone)]
pub struct Followed {
    pub purpose: LinkPurpose,
    pub subscriber: Subscriber,
}

/// The subscriber a link's token is genuine for, as it is now; None for a forged, expired or
/// outdated link (its address changed or was erased).
pub async fn check_link(
    store: &Store,
    server_secret: &str,
    token: &str,
) -> Result<Option<Followed>, StoreError> {
    let Some(claim) = LinkClaim::parse(token) else {
        return Ok(None);
    };
    let Some(subscriber) = store.subscriber(claim.subscriber).await? else {
        return Ok(None);
    };
    let holds = claim.holds(server_secret, &subscriber.email, store.clock().now());
    Ok(holds.then_some(Followed {
        purpose: claim.purpose,
        subscriber,
    }))
}

/// Confirms the address and what it asked for (the link's button). An old link of a reader
/// who has since left every newsletter, with nothing waiting, changes nothing: leaving
/// stands until the reader asks again.
pub async fn confirm(store: &Store, subscriber: &Subscriber) -> Result<(), StoreError> {
    let id = subscriber.id;
    store
        .write(move |tx| {
            Box::pin(async move {
                let Some(now) = tx.subscriber(id).await? else {
                    return Ok(());
                };
                let waiting = now.subscriptions.iter().any(|s| s.confirmed_at.is_none());
                if now.status == SubscriberStatus::Left && !waiting {
                    return Ok(());
                }
                tx.confirm_subscriber(id).await
            })
        })
        .await
}

/// Sets what a subscriber receives, from its preferences page; none is leaving them all.
pub async fn choose(
    store: &Store,
    subscriber: &Subscriber,
    chosen: Vec<NewsletterId>,
    consent: NewConsent,
) -> Result<(), StoreError> {
    let id = subscriber.id;
    if chosen.is_empty() {
        return leave_all(store, subscriber).await;
    }
    store
        .write(move |tx| {
            Box::pin(async move {
                let subscriber = tx.subscriber(id).await?;
                if subscriber.is_some_and(|s| s.status != SubscriberStatus::Confirmed) {
                    // Reached through a link mailed to the address: that confirms it.
                    tx.confirm_subscriber(id).await?;
                }
                tx.set_subscriptions(id, &chosen, &consent).await
            })
        })
        .await
}

/// Leaves every newsletter at once (RFC 8058's one-click unsubscribe, or the button).
pub async fn leave_all(store: &Store, subscriber: &Subscriber) -> Result<(), StoreError> {
    let id = subscriber.id;
    store
        .write(move |tx| Box::pin(async move { tx.leave_all(id).await }))
        .await
}

/// What a relay reported of an address after the fact (a bounce, a complaint): it goes on the
/// suppression list, for newsletters and every other mail to readers alike.
pub async fn relay_reported(
    store: &Store,
    email: &Email,
    reason: gazette_core::Suppression,
) -> Result<(), StoreError> {
    let email = email.as_str().to_owned();
    store
        .write(move |tx| Box::pin(async move { tx.suppress(&email, reason).await }))
        .await
}

/// A link for `subscriber`, made now: for pages that offer the next step.
pub fn link_token(
    store: &Store,
    server_secret: &str,
    purpose: LinkPurpose,
    subscriber: &Subscriber,
) -> String {
    links::token(
        server_secret,
        purpose,
        subscriber.id,
        &subscriber.email,
        store.clock().now(),
    )
}
