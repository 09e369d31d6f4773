//! Reader comments: what comment intake and the privacy tools agree on.

/// The rate counter that limits how often one email may comment. Intake counts under it, and
/// erasing a commenter forgets it with everything else about them.
pub fn email_rate_key(email_normalized: &str) -> String {
    format!("comment-email:{email_normalized}")
}
