//! One-time links by email: password resets, invitations and sign-in links. Only the link's
//! hash is stored, and the email is enqueued in the unit of work that stores it. Links are
//! built from the publication's address, never from a request's `Host` header, which an
//! attacker could set to have a victim's reset link point at their own server.

use gazette_core::Person;
use gazette_core::session::SessionToken;
use gazette_store::{Store, StoreError, TokenPurpose};
use jiff::SignedDuration;

const RESET_FOR: SignedDuration = SignedDuration::from_hours(1);
const INVITE_FOR: SignedDuration = SignedDuration::from_hours(7 * 24);
const SIGN_IN_FOR: SignedDuration = SignedDuration::from_mins(15);
/// At most one reset (or sign-in link) email per account in this long, however often it is
/// asked for.
const RESET_EVERY: SignedDuration = SignedDuration::from_mins(5);

/// Who the link comes from: the journal's address (`https://example.org`) and name.
#[derive(Debug, Clone, Copy)]
pub struct Sender<'a> {
    pub base_url: &'a str,
    pub journal: &'a str,
}

/// Makes a one-time link for `person` and mails it, in one unit of work. A reset or sign-in
/// link asked for again within five minutes sends nothing new. `inviter` names who invited
/// them, for an invitation.
pub async fn send(
    store: &Store,
    from: Sender<'_>,
    person: &Person,
    purpose: TokenPurpose,
    inviter: Option<&str>,
) -> Result<(), StoreError> {
    let now = store.clock().now();
    if matches!(purpose, TokenPurpose::Reset | TokenPurpose::SignIn) {
        let latest = store.latest_one_time_token(person.id, purpose).await?;
        if latest.is_some_and(|at| at + RESET_EVERY > now) {
            return Ok(());
        }
    }
    let token = SessionToken::generate();
    let path = match purpose {
        TokenPurpose::SignIn => "/admin/sign-in/link",
        TokenPurpose::Reset | TokenPurpose::Invite => "/admin/password",
    };
    let link = format!(
        "{}{path}/{}",
        from.base_url.trim_end_matches('/'),
        token.expose()
    );
    let (lifetime, subject, text) = message(from.journal, person, purpose, inviter, &link);
    let (hash, id, email) = (token.hash(), person.id, person.email.clone());
    store
        .write(|tx| {
            Box::pin(async move {
                let expires = tx.now() + lifetime;
                tx.insert_one_time_token(&hash, id, purpose, expires)
                    .await?;
                crate::outbox::enqueue_email(tx, email.as_str(), &subject, &text).await
            })
        })
        .await
}

/// How long the link works, and the email's subject and text.
fn message(
    name: &str,
    person: &Person,
    purpose: TokenPurpose,
    inviter: Option<&str>,
    link: &str,
) -> (SignedDuration, String, String) {
    match purpose {
        TokenPurpose::Reset => (
            RESET_FOR,
            format!("Choose a new password for {name}"),
            format!(
                "Someone asked to reset the password of your account at {name}.\n\n\
                 To choose a new password, open this link within an hour:\n{link}\n\n\
                 If it was not you, ignore this message: your password stays as it is.\n"
            ),
        ),
        TokenPurpose::SignIn => (
            SIGN_IN_FOR,
            format!("Your sign-in link for {name}"),
            format!(
                "Someone asked for a link to sign in to your account at {name}.\n\n\
                 To sign in, open this link within 15 minutes and press the button:\n{link}\n\n\
                 If it was not you, ignore this message; nobody can use the link but you.\n"
            ),
        ),
        TokenPurpose::Invite => (
            INVITE_FOR,
            format!("You are invited to write for {name}"),
            format!(
                "{} invited you to join {name} as {}.\n\n\
                 To choose your password and sign in, open this link within 7 days:\n{link}\n",
                inviter.unwrap_or("An editor"),
                person.role
            ),
        ),
    }
}
