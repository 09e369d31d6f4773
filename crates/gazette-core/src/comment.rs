//! Reader comments: what a comment is, the publication's comment policy, and the local spam
//! assessment that decides whether a new comment is published, held for a moderator, or
//! treated as spam. Everything here is pure; the web layer gathers the signals.

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use crate::{ArticleId, PersonId, SafeHtml};

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

/// The first list entry found in any of `haystacks` (case-insensitive). An entry that parses
/// as an IP network (`203.0.113.0/24`) or address matches the commenter's address instead.
pub fn list_match(
    list: &[String],
    haystacks: &[&str],
    address: Option<std::net::IpAddr>,
) -> Option<String> {
    let lowered: Vec<String> = haystacks.iter().map(|h| h.to_lowercase()).collect();
    list.iter()
        .map(|entry| entry.trim())
        .filter(|entry| !entry.is_empty())
        .find(|entry| match ip_entry(entry) {
            Some(network) => address.is_some_and(|a| network.contains(a)),
            None => {
                let needle = entry.to_lowercase();
                lowered.iter().any(|h| h.contains(&needle))
            }
        })
        .map(str::to_owned)
}

/// An address or CIDR range: `(first address, prefix length)`.
struct IpEntry {
    network: std::net::IpAddr,
    prefix: u32,
}

impl IpEntry {
    fn contains(&self, address: std::net::IpAddr) -> bool {
        use std::net::IpAddr;
        match (self.network, address) {
            (IpAddr::V4(n), IpAddr::V4(a)) => {
                masked(u128::from(u32::from(n)), 32, self.prefix)
                    == masked(u128::from(u32::from(a)), 32, self.prefix)
            }
            (IpAddr::V6(n), IpAddr::V6(a)) => {
                masked(u128::from(n), 128, self.prefix) == masked(u128::from(a), 128, self.prefix)
            }
            _ => false,
        }
    }
}

fn masked(bits: u128, width: u32, prefix: u32) -> u128 {
    let keep = prefix.min(width);
    if keep == 0 { 0 } else { bits >> (width - keep) }
}

fn ip_entry(entry: &str) -> Option<IpEntry> {
    let (address, prefix) = match entry.split_once('/') {
        Some((address, prefix)) => (address, Some(prefix.parse::<u32>().ok()?)),
        None => (entry, None),
    };
    let network: std::net::IpAddr = address.parse().ok()?;
    let width = if network.is_ipv4() { 32 } else { 128 };
    let prefix = prefix.unwrap_or(width);
    (prefix <= width).then_some(IpEntry { network, prefix })
}

/// How many links a comment's text holds: `http(s)://` URLs and `<a` tags.
pub fn count_links(text: &str) -> usize {
    let lower = text.to_lowercase();
    lower.matches("http://").count()
        + lower.matches("https://").count()
        + lower.matches("<a ").count().saturating_sub(
            // An `<a href="https://…">` is one link, not two.
            lower.matches("<a href=\"http").count() + lower.matches("<a href='http").count(),
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clean() -> Signals {
        Signals {
            honeypot_filled: false,
            form_age: FormAge::Seconds(40),
            links: 0,
            duplicate: false,
            known_commenter: true,
            uses_staff_email: false,
            moderation_match: None,
            block_match: None,
        }
    }

    #[test]
    fn a_known_commenter_with_a_clean_comment_is_published() {
        let assessed = assess(&clean(), &CommentPolicy::default());
        assert_eq!(assessed.status, CommentStatus::Approved);
        assert_eq!(assessed.score, 0);
        assert!(assessed.reasons.is_empty());
    }

    #[test]
    fn a_first_comment_is_held_under_the_default_policy_and_says_why() {
        let first = Signals {
            known_commenter: false,
            ..clean()
        };
        let assessed = assess(&first, &CommentPolicy::default());
        assert_eq!(assessed.status, CommentStatus::Pending);
        assert!(assessed.reasons[0].contains("First comment"));
        let open = CommentPolicy {
            moderation: ModerationMode::ApproveClean,
            ..CommentPolicy::default()
        };
        assert_eq!(assess(&first, &open).status, CommentStatus::Approved);
    }

    #[test]
    fn hold_all_holds_even_trusted_commenters() {
        let policy = CommentPolicy {
            moderation: ModerationMode::HoldAll,
            ..CommentPolicy::default()
        };
        assert_eq!(assess(&clean(), &policy).status, CommentStatus::Pending);
    }

    #[test]
    fn the_honeypot_and_the_block_list_mean_spam() {
        let policy = CommentPolicy::default();
        let honeypot = Signals {
            honeypot_filled: true,
            ..clean()
        };
        assert_eq!(assess(&honeypot, &policy).status, CommentStatus::Spam);
        let blocked = Signals {
            block_match: Some("casino".to_owned()),
            ..clean()
        };
        let assessed = assess(&blocked, &policy);
        assert_eq!(assessed.status, CommentStatus::Spam);
        assert!(assessed.reasons[0].contains("casino"));
    }

    #[test]
    fn suspicious_signals_add_up() {
        let policy = CommentPolicy::default();
        let no_script = Signals {
            form_age: FormAge::Unknown,
            ..clean()
        };
        // Without the script alone, a trusted commenter still gets through…
        assert_eq!(assess(&no_script, &policy).status, CommentStatus::Approved);
        // …but not with too many links as well.
        let links = Signals {
            links: 3,
            ..no_script.clone()
        };
        assert_eq!(assess(&links, &policy).status, CommentStatus::Pending);
        let fast = Signals {
            form_age: FormAge::Seconds(1),
            ..clean()
        };
        assert_eq!(assess(&fast, &policy).status, CommentStatus::Pending);
        let fast_duplicate = Signals {
            duplicate: true,
            ..fast
        };
        assert_eq!(assess(&fast_duplicate, &policy).status, CommentStatus::Spam);
    }

    #[test]
    fn a_staff_email_from_the_public_form_is_held() {
        let posing = Signals {
            uses_staff_email: true,
            ..clean()
        };
        let policy = CommentPolicy {
            moderation: ModerationMode::ApproveClean,
            ..CommentPolicy::default()
        };
        let assessed = assess(&posing, &policy);
        assert_eq!(assessed.status, CommentStatus::Pending);
        assert!(assessed.reasons[0].contains("member of staff"));
    }

    #[test]
    fn lists_match_words_addresses_and_networks() {
        let list = vec![
            " ".to_owned(),
            "Viagra".to_owned(),
            "203.0.113.0/24".to_owned(),
            "2001:db8::/32".to_owned(),
        ];
        assert_eq!(
            list_match(&list, &["cheap VIAGRA here"], None).as_deref(),
            Some("Viagra")
        );
        assert_eq!(list_match(&list, &["hello"], None), None);
        let inside = "203.0.113.77".parse().ok();
        assert_eq!(
            list_match(&list, &["hello"], inside).as_deref(),
            Some("203.0.113.0/24")
        );
        assert_eq!(
            list_match(&list, &["hello"], "203.0.114.1".parse().ok()),
            None
        );
        assert!(list_match(&list, &["x"], "2001:db8:1::5".parse().ok()).is_some());
        // An address in the text does not match a network entry: entries match what they are.
        assert_eq!(list_match(&list, &["203.0.113.5"], None), None);
    }

    #[test]
    fn replies_nest_until_the_last_level() {
        let policy = CommentPolicy::default();
        assert_eq!(policy.reply_depth(0), 1);
        assert_eq!(policy.reply_depth(3), 4);
        assert_eq!(policy.reply_depth(4), 4);
        // Deeper than allowed, after the limit was lowered: back to the last level.
        assert_eq!(policy.reply_depth(7), 4);
        let flat = CommentPolicy {
            thread_depth: 1,
            ..policy
        };
        assert_eq!(flat.reply_depth(0), 0);
    }

    #[test]
    fn comments_close_after_the_configured_days() {
        let published: Timestamp = "2026-01-01T00:00:00Z".parse().unwrap();
        let policy = CommentPolicy {
            close_after_days: Some(14),
            ..CommentPolicy::default()
        };
        let closes = policy.closes_at(Some(published)).unwrap();
        assert_eq!(closes, "2026-01-15T00:00:00Z".parse::<Timestamp>().unwrap());
        assert!(policy.open_at(true, Some(published), closes - SignedDuration::from_secs(1)));
        assert!(!policy.open_at(true, Some(published), closes));
        assert!(!policy.open_at(false, Some(published), published));
        assert!(CommentPolicy::default().open_at(true, Some(published), closes));
    }

    #[test]
    fn links_are_counted_once() {
        assert_eq!(count_links("no links"), 0);
        assert_eq!(count_links("see https://a.example and http://b.example"), 2);
        assert_eq!(count_links("<a href=\"https://a.example\">a</a>"), 1);
        assert_eq!(count_links("<a title=x>bare</a>"), 1);
    }

    #[test]
    fn statuses_round_trip() {
        for status in CommentStatus::ALL {
            assert_eq!(CommentStatus::parse(status.as_str()), Some(status));
        }
        assert_eq!(CommentStatus::parse("deleted"), None);
    }
}
