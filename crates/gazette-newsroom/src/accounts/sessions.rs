//! Back-office sessions: a random token in a cookie, only its hash in the store.

use gazette_core::session::{SessionToken, TokenHash};
use gazette_core::{Person, PersonId};
use gazette_store::{Store, StoreError, TokenPurpose};
use jiff::SignedDuration;

/// Starts a session for `person` lasting `lifetime`; the token goes into their cookie.
pub async fn start(
    store: &Store,
    person: &Person,
    lifetime: SignedDuration,
) -> Result<SessionToken, StoreError> {
    let token = SessionToken::generate();
    let (hash, id) = (token.hash(), person.id);
    let expires = store.clock().now() + lifetime;
    store
        .write(|tx| Box::pin(async move { tx.insert_session(&hash, id, expires).await }))
        .await?;
    tracing::info!(person = person.id.0, "signed in");
    Ok(token)
}

/// Ends the session with this token.
pub async fn end(store: &Store, token: TokenHash) -> Result<(), StoreError> {
    store
        .write(|tx| Box::pin(async move { tx.delete_session(&token).await }))
        .await
}

/// Ends every session of `person`, on every device; returns how many there were.
pub async fn end_everywhere(store: &Store, person: PersonId) -> Result<u64, StoreError> {
    let ended = store
        .write(|tx| Box::pin(async move { tx.delete_sessions_of(person).await }))
        .await?;
    tracing::info!(person = person.0, ended, "signed out everywhere");
    Ok(ended)
}

/// Uses up an emailed sign-in link: the active account it signs in, if the link still works.
pub async fn use_sign_in_link(
    store: &Store,
    token: TokenHash,
) -> Result<Option<Person>, StoreError> {
    let used = store
        .write(|tx| {
            Box::pin(async move { tx.use_one_time_token(&token, TokenPurpose::SignIn).await })
        })
        .await?;
    let Some(id) = used else {
        return Ok(None);
    };
    Ok(store.person(id).await?.filter(|p| p.active))
}
