//! The discussion under an article, as the public page shows it and the comment form answers
//! with it: threads paged as WordPress pages them, the form with its values and errors, and
//! the reader's own held comments, which a signed cookie lists.

pub mod fields;
pub mod held;
pub mod section;
pub mod thread;

pub(crate) use held::held_ids;
pub(crate) use section::{Wanted, article_comments};
pub(crate) use thread::comment_page_url;
