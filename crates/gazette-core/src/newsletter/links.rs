//! The links in newsletter mail, signed with the server secret: confirming an address (which
//! expires), choosing newsletters and leaving them all (which last as long as the address).
//! Each tag also covers the subscriber's address, so links die with an erased or changed one.

use jiff::{SignedDuration, Timestamp};

use super::SubscriberId;
use crate::signing::{keyed_tag, same_secret};

/// How long a confirmation link works.
pub const CONFIRMATION_LIFETIME: SignedDuration = SignedDuration::from_hours(72);

/// What a link does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkPurpose {
    /// Confirms the address and the newsletters it asked for.
    Confirm,
    /// Opens the page where the reader chooses newsletters.
    Preferences,
    /// Leaves every newsletter (RFC 8058's one-click target, and a page with a button).
    Unsubscribe,
}

impl LinkPurpose {
    fn code(self) -> &'static str {
        match self {
            Self::Confirm => "c",
            Self::Preferences => "p",
            Self::Unsubscribe => "u",
        }
    }
}

/// A token as it claims to be, before it is checked against its subscriber.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkClaim {
    pub purpose: LinkPurpose,
    pub subscriber: SubscriberId,
    expires: Option<i64>,
    tag: String,
}

fn tag(
    secret: &str,
    purpose: LinkPurpose,
    id: SubscriberId,
    expires: Option<i64>,
    email: &str,
) -> String {
    let expires = expires.map(|at| at.to_string()).unwrap_or_default();
    let message = format!(
        "{}\u{0}{}\u{0}{expires}\u{0}{}",
        purpose.code(),
        id.0,
        email.trim().to_lowercase()
    );
    keyed_tag(secret, "newsletter-link", &message, 32)
}

/// The token of a link for `id` at `email`, made at `now` (confirmations expire from then).
pub fn token(
    secret: &str,
    purpose: LinkPurpose,
    id: SubscriberId,
    email: &str,
    now: Timestamp,
) -> String {
    match purpose {
        LinkPurpose::Confirm => {
            let expires = (now + CONFIRMATION_LIFETIME).as_second();
            let tag = tag(secret, purpose, id, Some(expires), email);
            format!("c.{}.{expires}.{tag}", id.0)
        }
        _ => format!(
            "{}.{}.{}",
            purpose.code(),
            id.0,
            tag(secret, purpose, id, None, email)
        ),
    }
}

impl LinkClaim {
    /// Splits a token into what it claims; None for what is not a token at all.
    pub fn parse(token: &str) -> Option<Self> {
        let parts: Vec<&str> = token.split('.').collect();
        let purpose = match *parts.first()? {
            "c" => LinkPurpose::Confirm,
            "p" => LinkPurpose::Preferences,
            "u" => LinkPurpose::Unsubscribe,
            _ => return None,
        };
        let subscriber = SubscriberId(parts.get(1)?.parse().ok()?);
        let (expires, tag) = match (purpose, parts.as_slice()) {
            (LinkPurpose::Confirm, [_, _, expires, tag]) => (Some(expires.parse().ok()?), tag),
            (LinkPurpose::Preferences | LinkPurpose::Unsubscribe, [_, _, tag]) => (None, tag),
            _ => return None,
        };
        Some(Self {
            purpose,
            subscriber,
            expires,
            tag: (*tag).to_owned(),
        })
    }

    /// Whether the claim is genuine for the subscriber's current `email` and, for a
    /// confirmation, not expired at `now`.
    pub fn holds(&self, secret: &str, email: &str, now: Timestamp) -> bool {
        let in_time = self.expires.is_none_or(|at| now.as_second() <= at);
        in_time
            && !email.is_empty()
            && same_secret(
                &self.tag,
                &tag(secret, self.purpose, self.subscriber, self.expires, email),
            )
    }
}
