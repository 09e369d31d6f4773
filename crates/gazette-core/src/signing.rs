//! Tags keyed with the server secret, for values a client carries and must not forge
//! (cookies, links, file names), and comparing secrets without telling where they differ.

use hmac::{Hmac, Mac as _};
use sha2::Sha256;

/// The first `hex_digits` of [`keyed_hash`] of `message` under `context`: a tag short enough for
/// a cookie, a link or a file name. The context keeps tags made for one purpose from being
/// valid for another.
pub fn keyed_tag(secret: &str, context: &str, message: &str, hex_digits: usize) -> String {
    let mut tag = keyed_hash(secret, &format!("{context}\u{0}{message}"));
    tag.truncate(hex_digits);
    tag
}

/// HMAC-SHA256 of `message` under the server secret, hex-encoded.
pub fn keyed_hash(secret: &str, message: &str) -> String {
    match Hmac::<Sha256>::new_from_slice(secret.as_bytes()) {
        Ok(mut mac) => {
            mac.update(message.as_bytes());
            hex::encode(mac.finalize().into_bytes())
        }
        Err(_) => String::new(),
    }
}

/// Compares secrets in time that does not depend on where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |diff, (x, y)| diff | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_differ_by_context_and_secret() {
        let tag = keyed_tag("secret", "avatar", "ada@example.org", 16);
        assert_eq!(tag.len(), 16);
        assert_ne!(tag, keyed_tag("secret", "held", "ada@example.org", 16));
        assert_ne!(tag, keyed_tag("other", "avatar", "ada@example.org", 16));
        assert_eq!(tag, keyed_tag("secret", "avatar", "ada@example.org", 16));
    }

    #[test]
    fn secrets_are_the_same_only_when_equal() {
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abc", "abd"));
        assert!(!same_secret("abc", "abcd"));
    }
}
