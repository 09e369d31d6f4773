//! The commenter key: a random value a reader's browser keeps when they ask to be remembered
//! ("Save my name, email…"), sent only to the comment form's endpoint. Each comment stores a
//! hash of the key it came with, and a returning commenter is trusted only when their browser
//! holds the key of one of their approved comments: a name and an email alone prove nothing,
//! since anyone can type them.

use axum::http::HeaderMap;
use rand::RngCore as _;
use sha2::{Digest as _, Sha256};

use crate::kernel::cookies::cookie;

const KEY_COOKIE: &str = "gazette_commenter_key";
const LIFETIME_SECONDS: i64 = 365 * 24 * 3600;
/// A key is 32 hex digits (128 random bits).
const KEY_LENGTH: usize = 32;

/// The key the request's browser holds, or a new one.
pub(crate) fn of_request_or_new(headers: &HeaderMap) -> String {
    cookie(headers, KEY_COOKIE)
        .filter(|key| key.len() == KEY_LENGTH && key.bytes().all(|b| b.is_ascii_hexdigit()))
        .unwrap_or_else(|| {
            let mut bytes = [0u8; KEY_LENGTH / 2];
            rand::rng().fill_bytes(&mut bytes);
            hex::encode(bytes)
        })
}

/// What a comment stores: the key's SHA-256, so the table holds nothing a browser could send.
pub(crate) fn hash(key: &str) -> String {
    hex::encode(Sha256::digest(key.as_bytes()))
}

/// The `Set-Cookie` value keeping `key` for a year, or forgetting it (`None`: the reader did
/// not ask to be remembered).
pub(crate) fn cookie_for(key: Option<&str>, secure: &str) -> String {
    match key {
        Some(key) => format!(
            "{KEY_COOKIE}={key}; Path=/comments/; Max-Age={LIFETIME_SECONDS}; HttpOnly; SameSite=Lax{secure}"
        ),
        None => {
            format!("{KEY_COOKIE}=; Path=/comments/; Max-Age=0; HttpOnly; SameSite=Lax{secure}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn a_browser_keeps_its_key_and_a_forged_one_is_replaced() {
        let fresh = of_request_or_new(&HeaderMap::new());
        assert_eq!(fresh.len(), KEY_LENGTH);
        let mut headers = HeaderMap::new();
        let kept = format!("{KEY_COOKIE}={fresh}");
        headers.insert(
            "cookie",
            HeaderValue::from_str(&kept).unwrap_or(HeaderValue::from_static("")),
        );
        assert_eq!(of_request_or_new(&headers), fresh);
        headers.insert(
            "cookie",
            HeaderValue::from_static("gazette_commenter_key=<script>"),
        );
        assert_ne!(of_request_or_new(&headers), "<script>");
        assert_ne!(hash(&fresh), fresh);
    }
}
