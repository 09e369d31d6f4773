//! Share links: a secret address that shows an unpublished article's preview to someone
//! without an account (a source checking a quote, a lawyer reading before publication), until
//! it expires or is revoked. Only the link's hash is stored.

use gazette_core::session::SessionToken;
use gazette_core::{ArticleId, PersonId};
use gazette_store::{Store, StoreError};
use jiff::SignedDuration;

/// Makes a link to `article`'s preview lasting `lifetime`; the token is shown once.
pub async fn create(
    store: &Store,
    article: ArticleId,
    by: PersonId,
    lifetime: SignedDuration,
) -> Result<SessionToken, StoreError> {
    let token = SessionToken::generate();
    let hash = token.hash().0;
    let expires_at = store.clock().now() + lifetime;
    store
        .write(|tx| {
            Box::pin(async move { tx.insert_share_link(article, &hash, by, expires_at).await })
        })
        .await?;
    Ok(token)
}

/// Revokes one of `article`'s links; false when it has no such link.
pub async fn revoke(store: &Store, article: ArticleId, link: i64) -> Result<bool, StoreError> {
    store
        .write(|tx| Box::pin(async move { tx.revoke_share_link(article, link).await }))
        .await
}
