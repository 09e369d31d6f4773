//! Staff accounts: sessions, sign-in throttling, one-time links by email (password resets,
//! invitations, sign-in links), passwords, invitations and author profiles.

pub mod links;
pub mod passwords;
pub mod sessions;
pub mod throttle;

use gazette_core::profile::AuthorProfile;
use gazette_core::{Person, PersonId};
use gazette_store::{NewPerson, Store, StoreError};

/// Adds an account (an invitation: it has no password until its link is used). An email or
/// name in use already answers `StoreError::Conflict`.
pub async fn add(store: &Store, new: NewPerson) -> Result<Person, StoreError> {
    store
        .write(|tx| Box::pin(async move { tx.insert_person(&new).await }))
        .await
}

/// Changes the byline name, biography and profile (photo, links) of an account; false when
/// there is no such account.
pub async fn update_profile(
    store: &Store,
    id: PersonId,
    display_name: String,
    bio: String,
    profile: AuthorProfile,
) -> Result<bool, StoreError> {
    store
        .write(|tx| {
            Box::pin(async move { tx.update_profile(id, &display_name, &bio, &profile).await })
        })
        .await
}
