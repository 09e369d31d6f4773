//! Moderation: whose comments a person moderates, and comments staff write themselves.

use gazette_core::{
    ArticleId, Capability, Comment, CommentId, CommentKind, CommentStatus, Person, PersonId, Role,
};
use gazette_store::{NewComment, Store, StoreError};

/// A contributor asked to moderate: only those who may moderate (editors, administrators, and
/// authors on their own articles) do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("Contributors do not moderate comments; ask an editor.")]
pub struct NotAModerator;

/// Which comments a person may moderate: all of them, those on their own articles, or none.
pub fn scope(person: &Person) -> Result<Option<PersonId>, NotAModerator> {
    if person.role.can(Capability::ModerateComments) {
        Ok(None)
    } else if person.role == Role::Author {
        Ok(Some(person.id))
    } else {
        Err(NotAModerator)
    }
}

/// Whether a comment falls within a moderation scope from [`scope`]: every comment, or those on
/// the articles one person wrote.
pub async fn in_scope(
    store: &Store,
    scope: Option<PersonId>,
    comment: &Comment,
) -> Result<bool, StoreError> {
    let Some(person) = scope else {
        return Ok(true);
    };
    let article = store.article(comment.article).await?;
    Ok(article.is_some_and(|a| a.authors.contains(&person)))
}

/// A comment by a member of staff, signed with their name and without an address or
/// browser to keep. `place` is where it attaches: the comment it goes under, its depth, and
/// the comment it answers when the thread was too deep to go under that one.
pub fn staff_comment(
    person: &Person,
    article: ArticleId,
    place: (Option<CommentId>, i64, Option<CommentId>),
    status: CommentStatus,
    text: String,
) -> NewComment {
    let (parent, depth, answered) = place;
    NewComment {
        article,
        parent,
        depth,
        status,
        kind: CommentKind::Comment,
        author_name: person.display_name.clone(),
        author_email: person.email.as_str().to_owned(),
        author_url: String::new(),
        author_ip: None,
        user_agent: String::new(),
        person: Some(person.id),
        body_html: gazette_render::render_comment(&text),
        body: text,
        score: 0,
        reasons: Vec::new(),
        submission_key: None,
        wants_replies: false,
        commenter_key: None,
        answered,
    }
}
