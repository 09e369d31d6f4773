//! Reader comments: what a comment is, the publication's comment policy, and the local spam
//! assessment that decides whether a new comment is published, held for a moderator, or
//! treated as spam. Everything here is pure; the web layer gathers the signals.
//!
//! Here: the comment itself. `policy` holds the rules, `assessment` the spam score, and
//! `lists` the moderation and block lists and the link count it is made from.

mod assessment;
mod lists;
mod policy;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::{ArticleId, PersonId, SafeHtml};

pub use assessment::{Assessment, FormAge, Signals, assess};
pub use lists::{count_links, list_match};
pub use policy::{CommentPolicy, ModerationMode};

/// A comment's id. Imported comments keep their WordPress id, so `#comment-N` anchors in old
/// links keep pointing at them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct CommentId(pub i64);

/// Where a comment stands in moderation. Only approved comments are ever public.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CommentStatus {
    Pending,
    Approved,
    Spam,
    Trash,
}

impl CommentStatus {
    pub const ALL: [CommentStatus; 4] = [Self::Pending, Self::Approved, Self::Spam, Self::Trash];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Approved => "approved",
            Self::Spam => "spam",
            Self::Trash => "trash",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|status| status.as_str() == s)
    }
}

/// An ordinary comment, or a notice that another site linked here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CommentKind {
    Comment,
    Pingback,
    Trackback,
}

impl CommentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Comment => "comment",
            Self::Pingback => "pingback",
            Self::Trackback => "trackback",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Comment, Self::Pingback, Self::Trackback]
            .into_iter()
            .find(|kind| kind.as_str() == s)
    }
}

/// Whether a commenter hears of replies to their comment: asked for in the form, then
/// confirmed from an email (double opt-in).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReplySubscription {
    None,
    Requested,
    Confirmed,
}

impl ReplySubscription {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Requested => "requested",
            Self::Confirmed => "confirmed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::None, Self::Requested, Self::Confirmed]
            .into_iter()
            .find(|state| state.as_str() == s)
    }
}

/// One comment as stored. The email and IP address are private: they exist for moderation
/// only and must never reach a public page, feed or API view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    pub id: CommentId,
    pub article: ArticleId,
    /// The comment this one answers, after the thread-depth limit was applied.
    pub parent: Option<CommentId>,
    /// The comment the reader actually answered, when that is not `parent` (the thread was as
    /// deep as it may go).
    pub answered: Option<CommentId>,
    /// 0 for a top-level comment.
    pub depth: i64,
    pub status: CommentStatus,
    pub kind: CommentKind,
    pub author_name: String,
    /// As the commenter typed it; empty once erased.
    pub author_email: String,
    pub author_url: String,
    /// None once anonymised or erased.
    pub author_ip: Option<String>,
    pub user_agent: String,
    /// The staff member who wrote it from the back office, if any.
    pub person: Option<PersonId>,
    /// The text as written.
    pub body: String,
    pub body_html: SafeHtml,
    /// The local spam score and the reasons behind it, for the moderator.
    pub score: i64,
    pub reasons: Vec<String>,
    pub reply_subscription: ReplySubscription,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

#[cfg(test)]
mod tests;
