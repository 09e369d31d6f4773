//! Sign-in sessions: the cookie carries a random token; the store keeps only its hash, so a
//! leaked database cannot be replayed as cookies.

use rand::RngCore as _;
use sha2::{Digest, Sha256};

/// The secret a browser holds. Its `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionToken(String);

/// The SHA-256 of a token, hex-encoded: what the store keeps and looks up.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TokenHash(pub String);

impl SessionToken {
    /// 256 random bits, hex-encoded.
    pub fn generate() -> Self {
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        Self(hex::encode(bytes))
    }

    /// A token presented by a client; anything that is not 64 hex digits is no token.
    pub fn from_cookie(value: &str) -> Option<Self> {
        (value.len() == 64 && value.bytes().all(|b| b.is_ascii_hexdigit()))
            .then(|| Self(value.to_ascii_lowercase()))
    }

    pub fn hash(&self) -> TokenHash {
        TokenHash(hex::encode(Sha256::digest(self.0.as_bytes())))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for SessionToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SessionToken(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_hash_stably() {
        let a = SessionToken::generate();
        let b = SessionToken::generate();
        assert_ne!(a, b);
        assert_eq!(a.hash(), a.hash());
        assert_ne!(a.hash(), b.hash());
        assert_eq!(a.hash().0.len(), 64);
        assert_ne!(a.hash().0, a.expose());
    }

    #[test]
    fn only_well_formed_cookies_become_tokens() {
        let token = SessionToken::generate();
        assert_eq!(SessionToken::from_cookie(token.expose()), Some(token));
        assert_eq!(SessionToken::from_cookie("abc"), None);
        assert_eq!(SessionToken::from_cookie(&"g".repeat(64)), None);
    }
}
