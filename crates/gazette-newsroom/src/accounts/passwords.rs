//! Setting passwords: from an emailed link, one's own, or someone's by an administrator.
//! Each is one unit of work that also ends what the old password let in.

use gazette_core::PersonId;
use gazette_core::password::PasswordHash;
use gazette_core::session::TokenHash;
use gazette_store::{Store, StoreError, ThrottleKeys, TokenPurpose};

use super::throttle::account_hash;

/// Sets the password of the account a reset or invitation link names, using the link up.
/// Whoever knew the old password, or took a session or an application password with it, is
/// out; other links die with the old password; and the throttle's count of failed sign-ins
/// to the account is forgotten. `None` when the link no longer works.
pub async fn set_from_link(
    store: &Store,
    server_secret: &str,
    token: TokenHash,
    purpose: TokenPurpose,
    hash: PasswordHash,
) -> Result<Option<PersonId>, StoreError> {
    let used = store
        .write(|tx| {
            Box::pin(async move {
                let Some(person) = tx.use_one_time_token(&token, purpose).await? else {
                    return Ok(None);
                };
                tx.set_password(person, &hash).await?;
                tx.delete_sessions_of(person).await?;
                tx.revoke_app_passwords_of(person).await?;
                tx.delete_one_time_tokens_of(person).await?;
                Ok(Some(person))
            })
        })
        .await?;
    let Some(id) = used else {
        return Ok(None);
    };
    if let Some(person) = store.person(id).await? {
        let keys = ThrottleKeys::for_account(&account_hash(server_secret, person.email.as_str()));
        store
            .write(|tx| Box::pin(async move { tx.clear_account_sign_in_failures(&keys).await }))
            .await?;
    }
    Ok(Some(id))
}

/// What else a person changing their own password ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AlsoEnd {
    /// Every other session (this one stays).
    pub other_sessions: bool,
    pub app_passwords: bool,
}

/// Changes one's own password; `current` is the session making the change.
pub async fn change_own(
    store: &Store,
    person: PersonId,
    current: TokenHash,
    hash: PasswordHash,
    also_end: AlsoEnd,
) -> Result<(), StoreError> {
    store
        .write(|tx| {
            Box::pin(async move {
                tx.set_password(person, &hash).await?;
                tx.delete_one_time_tokens_of(person).await?;
                if also_end.other_sessions {
                    tx.delete_other_sessions_of(person, &current).await?;
                }
                if also_end.app_passwords {
                    tx.revoke_app_passwords_of(person).await?;
                }
                Ok(())
            })
        })
        .await
}

/// An administrator sets `target`'s password, ending every session and revoking every
/// application password of theirs; returns how many of each.
pub async fn set_for(
    store: &Store,
    target: PersonId,
    hash: PasswordHash,
) -> Result<(u64, u64), StoreError> {
    store
        .write(|tx| {
            Box::pin(async move {
                tx.set_password(target, &hash).await?;
                tx.delete_one_time_tokens_of(target).await?;
                let ended = tx.delete_sessions_of(target).await?;
                let revoked = tx.revoke_app_passwords_of(target).await?;
                Ok((ended, revoked))
            })
        })
        .await
}
