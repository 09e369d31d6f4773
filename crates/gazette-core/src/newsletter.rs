//! Newsletters: what a journal mails to readers who asked for it, and the rules of asking.
//!
//! A reader's address is mailed only after it confirmed (double opt-in), only what it chose,
//! and never again once it left every newsletter, bounced, complained or was erased (the
//! suppression list). Links in mail carry signed tokens ([`links`]) instead of an account.

pub mod links;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Span, Timestamp};

use crate::{SectionId, Slug};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NewsletterId(pub i64);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SubscriberId(pub i64);

/// What a newsletter carries, and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cadence {
    /// Every article of its sections, as it is published.
    EachArticle,
    /// A digest of its sections' new articles every day at `minute` after local midnight.
    Daily { minute: u16 },
    /// A digest every week on `weekday` (1 = Monday) at `minute` after local midnight.
    Weekly { weekday: u8, minute: u16 },
    /// Only what an editor sends by hand.
    ByHand,
}

impl Cadence {
    /// The stored name, and the stored minute and weekday when it has them.
    pub fn parts(self) -> (&'static str, Option<u16>, Option<u8>) {
        match self {
            Self::EachArticle => ("each", None, None),
            Self::Daily { minute } => ("daily", Some(minute), None),
            Self::Weekly { weekday, minute } => ("weekly", Some(minute), Some(weekday)),
            Self::ByHand => ("by_hand", None, None),
        }
    }

    /// The cadence stored as `name` with `minute` and `weekday`; None for what cannot be.
    pub fn from_parts(name: &str, minute: Option<i64>, weekday: Option<i64>) -> Option<Self> {
        let minute = minute
            .and_then(|m| u16::try_from(m).ok())
            .filter(|m| *m < 24 * 60);
        let weekday = weekday
            .and_then(|d| u8::try_from(d).ok())
            .filter(|d| (1..=7).contains(d));
        match name {
            "each" => Some(Self::EachArticle),
            "daily" => Some(Self::Daily { minute: minute? }),
            "weekly" => Some(Self::Weekly {
                weekday: weekday?,
                minute: minute?,
            }),
            "by_hand" => Some(Self::ByHand),
            _ => None,
        }
    }
}

impl Cadence {
    /// The latest moment at or before `now` when a digest of this cadence falls due, at its
    /// local time in `zone`; None for a cadence that makes no digests. A local time that a
    /// daylight-saving change skips falls due just after the gap; one it repeats, the first
    /// time.
    pub fn last_slot(self, now: Timestamp, zone: &TimeZone) -> Option<Timestamp> {
        let today = now.to_zoned(zone.clone()).date();
        (0..=8)
            .filter_map(|back| today.checked_sub(Span::new().days(back)).ok())
            .filter_map(|day| self.slot_on(day, zone))
            .find(|slot| *slot <= now)
    }

    /// The first moment after `now` when a digest of this cadence falls due.
    pub fn next_slot(self, now: Timestamp, zone: &TimeZone) -> Option<Timestamp> {
        let today = now.to_zoned(zone.clone()).date();
        (0..=8)
            .filter_map(|ahead| today.checked_add(Span::new().days(ahead)).ok())
            .filter_map(|day| self.slot_on(day, zone))
            .find(|slot| *slot > now)
    }

    /// How far back a first digest reaches, with no earlier one to start from.
    pub fn first_reach(self) -> Option<SignedDuration> {
        match self {
            Self::Daily { .. } => Some(SignedDuration::from_hours(24)),
            Self::Weekly { .. } => Some(SignedDuration::from_hours(24 * 7)),
            Self::EachArticle | Self::ByHand => None,
        }
    }

    /// When the digest of `day` falls due, if one does that day.
    fn slot_on(self, day: Date, zone: &TimeZone) -> Option<Timestamp> {
        let minute = match self {
            Self::Daily { minute } => minute,
            Self::Weekly { weekday, minute }
                if day.weekday().to_monday_one_offset() == i8::try_from(weekday).ok()? =>
            {
                minute
            }
            _ => return None,
        };
        let hour = i8::try_from(minute / 60).ok()?;
        let minute = i8::try_from(minute % 60).ok()?;
        let local = day.at(hour, minute, 0, 0);
        zone.to_ambiguous_zoned(local)
            .compatible()
            .ok()
            .map(|z| z.timestamp())
    }
}

/// A newsletter as its editors defined it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Newsletter {
    pub id: NewsletterId,
    pub slug: Slug,
    pub name: String,
    pub description: String,
    pub cadence: Cadence,
    /// The sections whose articles it carries (none for one sent by hand).
    pub sections: Vec<SectionId>,
    pub sender_name: String,
    pub sender_email: String,
    /// Printed under every issue: the journal's postal address, which anti-spam laws require.
    pub footer: String,
    pub created_at: Timestamp,
}

impl Newsletter {
    /// Whether a page about `sections` (with their parents) offers this newsletter: one that
    /// carries any of them, or one sent by hand, which is about the whole journal.
    pub fn offered_with(&self, sections: &[SectionId]) -> bool {
        self.sections.is_empty() || self.sections.iter().any(|s| sections.contains(s))
    }
}

/// Where a subscriber stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubscriberStatus {
    /// Asked, not yet confirmed: nothing but the confirmation is ever sent.
    Pending,
    Confirmed,
    /// Left every newsletter.
    Left,
}

impl SubscriberStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Confirmed => "confirmed",
            Self::Left => "left",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "pending" => Some(Self::Pending),
            "confirmed" => Some(Self::Confirmed),
            "left" => Some(Self::Left),
            _ => None,
        }
    }
}

/// One reader's address and what it asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscriber {
    pub id: SubscriberId,
    pub email: String,
    pub status: SubscriberStatus,
    pub created_at: Timestamp,
    pub confirmed_at: Option<Timestamp>,
    /// What it asked for: each newsletter with its consent, confirmed or still pending.
    pub subscriptions: Vec<Subscription>,
}

/// One newsletter a subscriber asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    pub newsletter: NewsletterId,
    pub consent: Consent,
    /// When the address confirmed it; None while pending.
    pub confirmed_at: Option<Timestamp>,
}

/// The consent a subscription was given with, kept private: when, on which form, and the
/// wording the reader agreed to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Consent {
    pub at: Timestamp,
    /// The form's address (`/newsletters/`, an article's path), or an import's source.
    pub form: String,
    pub wording: String,
}

/// Why an address must never be mailed again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Suppression {
    /// Its reader left every newsletter.
    Left,
    /// The relay reported it undeliverable.
    Bounced,
    /// Its reader marked a message as spam.
    Complained,
    /// Its person asked to be forgotten.
    Erased,
}

impl Suppression {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Left => "left",
            Self::Bounced => "bounced",
            Self::Complained => "complained",
            Self::Erased => "erased",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "left" => Some(Self::Left),
            "bounced" => Some(Self::Bounced),
            "complained" => Some(Self::Complained),
            "erased" => Some(Self::Erased),
            _ => None,
        }
    }

    /// Whether the reader's own new, confirmed request lifts it. Only leaving does: the
    /// reader who left may come back, but a relay's or a person's word stands.
    pub fn lifted_by_consent(self) -> bool {
        self == Self::Left
    }
}

/// How the suppression list knows an address: its SHA-256, so that an erased address is kept
/// out without being kept.
pub fn address_hash(email_normalized: &str) -> String {
    use sha2::Digest as _;
    hex::encode(sha2::Sha256::digest(email_normalized.as_bytes()))
}

#[cfg(test)]
mod tests;
