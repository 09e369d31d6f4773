//! Commenters' avatar addresses: a keyed hash of the email under the server secret, so the same
//! commenter keeps the same picture and nobody without the secret can tell whose address it
//! came from (Gravatar's unsalted MD5 is reversed by a dictionary for most real addresses).

use gazette_core::signing::keyed_tag;

/// Hex digits of the key in an avatar's URL (48 bits: enough to tell commenters apart).
pub(crate) const KEY_LEN: usize = 12;

/// The avatar key of an email address under `secret`.
pub(crate) fn avatar_key(secret: &str, email: &str) -> String {
    let normalized = email.trim().to_lowercase();
    keyed_tag(secret, "avatar", &normalized, KEY_LEN)
}

/// The avatar's path for an email address.
pub(crate) fn avatar_url(secret: &str, email: &str) -> String {
    format!("/avatar/{}.svg", avatar_key(secret, email))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_stable_case_blind_and_secret_dependent() {
        let key = avatar_key("secret", "Ann@Example.org ");
        assert_eq!(key.len(), KEY_LEN);
        assert_eq!(key, avatar_key("secret", "ann@example.org"));
        assert_ne!(key, avatar_key("another secret", "ann@example.org"));
        assert_ne!(key, avatar_key("secret", "bob@example.org"));
    }
}
