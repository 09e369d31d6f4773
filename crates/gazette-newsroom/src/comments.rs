//! Reader comments: taking them ([`intake`]), where a reply goes in its thread, the emails
//! comments cause ([`mail`]),
//! who moderates what ([`moderation`]),
//! and what comment intake and the privacy tools agree on.

pub mod intake;
pub mod mail;
pub mod moderation;

use gazette_core::{Comment, CommentId};

/// The rate counter that limits how often one email may comment. Intake counts under it, and
/// erasing a commenter forgets it with everything else about them.
pub fn email_rate_key(email_normalized: &str) -> String {
    format!("comment-email:{email_normalized}")
}

/// Where a reply to `answered` goes in its thread: under `answered` while the thread may grow
/// deeper, else under the ancestor one level above the last (`None`: top level), with the
/// reply's depth.
pub async fn attach_reply(
    store: &gazette_store::Store,
    policy: &gazette_core::CommentPolicy,
    answered: &Comment,
) -> Result<(Option<CommentId>, i64), gazette_store::StoreError> {
    let depth = policy.reply_depth(answered.depth);
    if depth == 0 {
        return Ok((None, 0));
    }
    let mut under = answered.clone();
    // Depths are at most a few levels; the bound only guards against a corrupt cycle.
    for _ in 0..64 {
        if under.depth < depth {
            break;
        }
        match under.parent {
            Some(parent) => match store.comment(parent).await? {
                Some(comment) => under = comment,
                None => break,
            },
            None => return Ok((None, 0)),
        }
    }
    Ok((Some(under.id), (under.depth + 1).min(depth)))
}
