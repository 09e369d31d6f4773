//! Per-view form tokens for readers' forms: when the reader opened the form.
//!
//! A token holds the time it was issued and a random nonce, signed with the server secret. On
//! submission it tells how long the form was open, and its nonce keys the submission, so a
//! double click or a retried POST is recognised. The article page is cached and shared, so its
//! comment form's script asks `/comments/token` for one; `/newsletters/` is rendered for each
//! request and carries its own.

use gazette_core::FormAge;
use jiff::Timestamp;
use rand::RngCore as _;

use gazette_core::signing::{keyed_tag, same_secret};

/// Tokens older than this no longer vouch for anything.
const TOKEN_LIFETIME_SECONDS: i64 = 24 * 3600;

/// Issues a token for `now`.
pub(crate) fn issue(secret: &str, now: Timestamp) -> String {
    let mut nonce = [0u8; 12];
    rand::rng().fill_bytes(&mut nonce);
    let body = format!("{}.{}", now.as_second(), hex::encode(nonce));
    let mac = sign(secret, &body);
    format!("{body}.{mac}")
}

fn sign(secret: &str, body: &str) -> String {
    // Named for the first form that used it; renaming would void the tokens of open pages.
    keyed_tag(secret, "comment-form", body, 32)
}

/// A checked token: how old it is, and its nonce when it was genuine.
pub(crate) fn check(secret: &str, token: &str, now: Timestamp) -> (FormAge, Option<String>) {
    let token = token.trim();
    if token.is_empty() {
        return (FormAge::Unknown, None);
    }
    let mut parts = token.split('.');
    let (Some(issued), Some(nonce), Some(mac), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return (FormAge::Invalid, None);
    };
    let body = format!("{issued}.{nonce}");
    if !same_secret(mac, &sign(secret, &body)) {
        return (FormAge::Invalid, None);
    }
    let Ok(issued) = issued.parse::<i64>() else {
        return (FormAge::Invalid, None);
    };
    let age = now.as_second() - issued;
    if !(0..=TOKEN_LIFETIME_SECONDS).contains(&age) {
        return (FormAge::Invalid, None);
    }
    (FormAge::Seconds(age), Some(nonce.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::SignedDuration;

    #[test]
    fn a_token_tells_its_age_and_nonce() {
        let issued: Timestamp = "2026-03-01T10:00:00Z".parse().unwrap_or_default();
        let token = issue("s", issued);
        let later = issued + SignedDuration::from_secs(42);
        let (age, nonce) = check("s", &token, later);
        assert_eq!(age, FormAge::Seconds(42));
        assert_eq!(nonce.map(|n| n.len()), Some(24));
    }

    #[test]
    fn forged_expired_and_missing_tokens_are_told_apart() {
        let issued: Timestamp = "2026-03-01T10:00:00Z".parse().unwrap_or_default();
        let token = issue("s", issued);
        assert_eq!(check("other", &token, issued).0, FormAge::Invalid);
        let tampered = token.replacen("17", "16", 1);
        assert_eq!(check("s", &tampered, issued).0, FormAge::Invalid);
        let next_week = issued + SignedDuration::from_hours(24 * 7);
        assert_eq!(check("s", &token, next_week).0, FormAge::Invalid);
        assert_eq!(check("s", "", issued).0, FormAge::Unknown);
        assert_eq!(check("s", "a.b", issued).0, FormAge::Invalid);
    }
}
