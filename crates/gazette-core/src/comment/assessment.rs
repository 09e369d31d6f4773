//! The local spam assessment: the signals gathered about a new comment, scored, and the
//! status the policy gives it (published, held for a moderator, or spam).

use super::{CommentPolicy, CommentStatus, ModerationMode};

/// How long the reader had the form before sending it, from the per-view token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormAge {
    /// No token: the page's script did not run (no JavaScript, or a bot posting directly).
    Unknown,
    /// A token that was forged, or older than a day.
    Invalid,
    Seconds(i64),
    /// Not sent from a form at all but by an app through the REST API, so there is nothing
    /// to time (such comments are always held instead).
    NoForm,
}

/// What is known about a new comment when it is assessed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signals {
    pub honeypot_filled: bool,
    pub form_age: FormAge,
    pub links: usize,
    /// The same text was already posted on this article by someone else.
    pub duplicate: bool,
    /// The same name and email have an approved comment already.
    pub known_commenter: bool,
    /// The email belongs to a member of staff, who would comment signed in: someone else
    /// may be posing as them.
    pub uses_staff_email: bool,
    /// The first entry of the moderation list the comment matched.
    pub moderation_match: Option<String>,
    /// The first entry of the block list the comment matched.
    pub block_match: Option<String>,
}

/// What happens to a new comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessment {
    pub status: CommentStatus,
    pub score: i64,
    /// Why it was held or treated as spam, in words a moderator understands.
    pub reasons: Vec<String>,
}

/// A score at which a comment is held whatever the moderation mode.
const HOLD_SCORE: i64 = 3;

/// A score at which a comment is spam.
const SPAM_SCORE: i64 = 8;

/// Combines the signals into a score and a status. Each suspicious signal adds points and a
/// reason; the policy decides what happens to a comment that raised none.
pub fn assess(signals: &Signals, policy: &CommentPolicy) -> Assessment {
    let mut score = 0;
    let mut reasons = Vec::new();
    let mut add = |points: i64, reason: String| {
        score += points;
        reasons.push(reason);
    };
    if signals.honeypot_filled {
        add(
            SPAM_SCORE,
            "The hidden honeypot field was filled in.".to_owned(),
        );
    }
    match signals.form_age {
        FormAge::Unknown => add(
            2,
            "Sent without the page's script (no form token).".to_owned(),
        ),
        FormAge::Invalid => add(4, "The form token was forged or expired.".to_owned()),
        FormAge::Seconds(s) if s < policy.min_seconds => add(
            6,
            format!(
                "Sent {s} s after the form was shown (less than {} s).",
                policy.min_seconds
            ),
        ),
        FormAge::Seconds(_) | FormAge::NoForm => {}
    }
    if signals.links > policy.max_links {
        add(
            HOLD_SCORE,
            format!("{} links (more than {}).", signals.links, policy.max_links),
        );
    }
    if signals.duplicate {
        add(
            5,
            "The same text was already posted on this article.".to_owned(),
        );
    }
    if signals.uses_staff_email {
        add(
            HOLD_SCORE,
            "Uses the email address of a member of staff.".to_owned(),
        );
    }
    if let Some(entry) = &signals.moderation_match {
        add(
            HOLD_SCORE,
            format!("Matches the moderation list: “{entry}”."),
        );
    }
    if let Some(entry) = &signals.block_match {
        add(SPAM_SCORE, format!("Matches the block list: “{entry}”."));
    }
    let status = if score >= SPAM_SCORE {
        CommentStatus::Spam
    } else if score >= HOLD_SCORE {
        CommentStatus::Pending
    } else {
        match policy.moderation {
            ModerationMode::HoldAll => {
                reasons.push("Every comment is held for moderation.".to_owned());
                CommentStatus::Pending
            }
            ModerationMode::TrustApproved if !signals.known_commenter => {
                reasons.push("First comment from this email address.".to_owned());
                CommentStatus::Pending
            }
            _ => CommentStatus::Approved,
        }
    };
    Assessment {
        status,
        score,
        reasons,
    }
}
