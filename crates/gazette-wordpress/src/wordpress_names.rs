//! How WordPress names what Gazette has: post statuses, comment approval and comment types,
//! one table each, read one way by the import and the other by the export, so the two agree.

use gazette_core::{CommentKind, CommentStatus, Status};

/// WordPress's post statuses. `auto-draft` and `inherit` are not content and have no entry.
const STATUSES: [(&str, Status); 6] = [
    ("publish", Status::Published),
    ("future", Status::Scheduled),
    ("draft", Status::Draft),
    ("pending", Status::PendingReview),
    ("private", Status::Private),
    ("trash", Status::Trashed),
];

/// `comment_approved` values; the first spelling of each is what an export writes.
const APPROVALS: [(&str, CommentStatus); 6] = [
    ("1", CommentStatus::Approved),
    ("approve", CommentStatus::Approved),
    ("0", CommentStatus::Pending),
    ("spam", CommentStatus::Spam),
    ("trash", CommentStatus::Trash),
    ("post-trashed", CommentStatus::Trash),
];

const COMMENT_TYPES: [(&str, CommentKind); 3] = [
    ("comment", CommentKind::Comment),
    ("pingback", CommentKind::Pingback),
    ("trackback", CommentKind::Trackback),
];

/// A WordPress post status as Gazette's; None for what is not content.
pub fn status(wordpress: &str) -> Option<Status> {
    STATUSES
        .iter()
        .find(|(name, _)| *name == wordpress)
        .map(|(_, status)| *status)
}

pub fn wordpress_status(status: Status) -> &'static str {
    first_name(&STATUSES, status).unwrap_or("draft")
}

/// A comment's `comment_approved`; anything unknown is held for a moderator.
pub fn comment_status(approved: &str) -> CommentStatus {
    APPROVALS
        .iter()
        .find(|(name, _)| *name == approved)
        .map_or(CommentStatus::Pending, |(_, status)| *status)
}

pub fn wordpress_approval(status: CommentStatus) -> &'static str {
    first_name(&APPROVALS, status).unwrap_or("0")
}

/// A comment's `comment_type`; empty or unknown is an ordinary comment.
pub fn comment_kind(kind: &str) -> CommentKind {
    COMMENT_TYPES
        .iter()
        .find(|(name, _)| *name == kind)
        .map_or(CommentKind::Comment, |(_, kind)| *kind)
}

pub fn wordpress_comment_type(kind: CommentKind) -> &'static str {
    first_name(&COMMENT_TYPES, kind).unwrap_or("comment")
}

fn first_name<T: PartialEq + Copy>(table: &[(&'static str, T)], value: T) -> Option<&'static str> {
    table
        .iter()
        .find(|(_, v)| *v == value)
        .map(|(name, _)| *name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_written_reads_back_the_same() {
        for value in Status::ALL {
            assert_eq!(status(wordpress_status(value)), Some(value));
        }
        for value in CommentStatus::ALL {
            assert_eq!(comment_status(wordpress_approval(value)), value);
        }
        for value in [
            CommentKind::Comment,
            CommentKind::Pingback,
            CommentKind::Trackback,
        ] {
            assert_eq!(comment_kind(wordpress_comment_type(value)), value);
        }
        assert_eq!(status("auto-draft"), None);
        assert_eq!(comment_status("surprise"), CommentStatus::Pending);
        assert_eq!(comment_kind(""), CommentKind::Comment);
    }
}
