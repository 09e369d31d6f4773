//! Application passwords for the REST API, as WordPress makes them: 24 random letters and
//! digits, shown once in groups of four (`abcd efgh …`), accepted with or without the spaces.
//! Only their SHA-256 is stored.

use gazette_core::PersonId;
use gazette_store::{AppPassword, Store, StoreError};
use rand::RngCore as _;
use sha2::{Digest as _, Sha256};

const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// A new secret, grouped for reading: about 143 bits.
fn generate() -> String {
    let mut rng = rand::rng();
    let mut chars: Vec<char> = Vec::with_capacity(24);
    // Bytes past the largest multiple of the alphabet's length are drawn again, so every
    // character is equally likely.
    let limit = (256 / ALPHABET.len() * ALPHABET.len()) as u8;
    while chars.len() < 24 {
        let mut byte = [0u8; 1];
        rng.fill_bytes(&mut byte);
        if byte[0] < limit {
            chars.push(char::from(ALPHABET[usize::from(byte[0]) % ALPHABET.len()]));
        }
    }
    chars
        .chunks(4)
        .map(|group| group.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The stored form of a secret as typed: spaces removed, then SHA-256 in hex.
pub fn hash(secret: &str) -> String {
    let compact: String = secret.chars().filter(|c| !c.is_whitespace()).collect();
    hex::encode(Sha256::digest(compact.as_bytes()))
}

/// Makes an application password named `name` for `person`; the secret is returned once.
pub async fn create(
    store: &Store,
    person: PersonId,
    name: &str,
) -> Result<(AppPassword, String), StoreError> {
    let secret = generate();
    let hashed = hash(&secret);
    let name = name.trim().to_owned();
    let record = store
        .write(|tx| Box::pin(async move { tx.insert_app_password(person, &name, &hashed).await }))
        .await?;
    Ok((record, secret))
}

/// Revokes one of `person`'s own application passwords; false when they have no such one.
pub async fn revoke(store: &Store, person: PersonId, id: i64) -> Result<bool, StoreError> {
    store
        .write(|tx| Box::pin(async move { tx.revoke_app_password(person, id).await }))
        .await
}

/// How precisely "last used" is kept: a busy client would otherwise write on every request.
const LAST_USED_PRECISION: jiff::SignedDuration = jiff::SignedDuration::from_mins(10);

/// Records that `record` was used now, to the nearest ten minutes.
pub async fn note_use(store: &Store, record: &AppPassword) -> Result<(), StoreError> {
    let now = store.clock().now();
    let fresh = record
        .last_used_at
        .is_some_and(|at| now.duration_since(at) < LAST_USED_PRECISION);
    if fresh {
        return Ok(());
    }
    let id = record.id;
    store
        .write(|tx| Box::pin(async move { tx.touch_app_password(id).await }))
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_grouped_and_hash_without_their_spaces() {
        let secret = generate();
        assert_eq!(secret.len(), 24 + 5);
        assert_eq!(secret.split(' ').count(), 6);
        assert_eq!(hash(&secret), hash(&secret.replace(' ', "")));
        assert_ne!(generate(), secret);
    }
}
