//! The publication's comment policy: who is held for moderation, when threads close, how
//! deep replies nest, and the lists that hold or block a comment.

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

/// Which comments wait for a moderator before they are published.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ModerationMode {
    /// Every comment is held.
    HoldAll,
    /// Commenters with a previously approved comment are published at once (WordPress's
    /// default); everyone else is held.
    TrustApproved,
    /// Comments that raise no suspicion are published at once.
    ApproveClean,
}

/// The publication's comment rules, edited in the back office.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CommentPolicy {
    pub enabled: bool,
    pub moderation: ModerationMode,
    /// Comments with more links than this are held.
    pub max_links: usize,
    /// How deep replies nest; deeper replies attach at the last level.
    pub thread_depth: i64,
    /// Top-level comments per comment page; 0 shows them all on the article's page, as
    /// WordPress does by default.
    pub per_page: usize,
    /// Comments close this many days after publication; None keeps them open.
    pub close_after_days: Option<i64>,
    /// Commenters' IP addresses are removed after this many days.
    pub anonymise_ip_after_days: i64,
    /// A form submitted sooner than this after it was shown is suspicious.
    pub min_seconds: i64,
    /// Words, addresses, IP ranges or URL fragments that hold a comment for moderation.
    pub moderation_list: Vec<String>,
    /// The same, but the comment goes straight to spam.
    pub block_list: Vec<String>,
    /// Email new held comments to the article's authors and the moderators.
    pub notify_moderators: bool,
    /// The path of the privacy policy the form links to; None looks for a page called
    /// `privacy-policy` or `privacy`.
    pub privacy_page: Option<String>,
    /// Apps may post readers' comments through the REST API (`POST /wp-json/wp/v2/comments`
    /// without signing in). Such comments pass the same defences and are always held.
    pub api_comments: bool,
}

impl Default for CommentPolicy {
    fn default() -> Self {
        Self {
            enabled: true,
            moderation: ModerationMode::TrustApproved,
            max_links: 2,
            thread_depth: 5,
            per_page: 0,
            close_after_days: None,
            anonymise_ip_after_days: 30,
            min_seconds: 3,
            moderation_list: Vec::new(),
            block_list: Vec::new(),
            notify_moderators: true,
            api_comments: true,
            privacy_page: None,
        }
    }
}

impl CommentPolicy {
    /// When comments on an article published at `published_at` close by age, if they do.
    pub fn closes_at(&self, published_at: Option<Timestamp>) -> Option<Timestamp> {
        let days = self.close_after_days?;
        published_at?
            .checked_add(SignedDuration::from_hours(days.saturating_mul(24)))
            .ok()
    }

    /// Whether a reader may comment on an article at `now`.
    pub fn open_at(
        &self,
        article_open: bool,
        published_at: Option<Timestamp>,
        now: Timestamp,
    ) -> bool {
        self.enabled
            && article_open
            && self
                .closes_at(published_at)
                .is_none_or(|closes| now < closes)
    }

    /// The depth a reply to a comment at `parent_depth` gets: one deeper, but never deeper
    /// than the last level. A reply whose depth is not `parent_depth + 1` attaches to the
    /// answered comment's ancestor at `depth - 1` (none for depth 0).
    pub fn reply_depth(&self, parent_depth: i64) -> i64 {
        let last = (self.thread_depth - 1).max(0);
        (parent_depth + 1).min(last)
    }
}
