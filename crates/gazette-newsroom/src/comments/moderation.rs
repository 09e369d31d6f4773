//! Moderation: whose comments a person moderates, what moderators do to comments (approve,
//! hold, mark as spam, trash, correct, delete), and comments staff write themselves.

use gazette_core::{
    ArticleId, Capability, Comment, CommentId, CommentKind, CommentStatus, Person, PersonId, Role,
};
use gazette_store::{CreatedRecord, IdempotencyKey, NewComment, Once, Store, StoreError, WriteTx};

use super::mail::{Journal, on_approved};

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

/// What approving a comment sends (the replies it answers are notified), and whether this
/// journal sends mail at all.
#[derive(Debug, Clone)]
pub struct Approvals {
    pub journal: Journal,
    pub mail_enabled: bool,
}

/// Moves the comments to `target` in one unit of work, returning those whose status changed.
/// Approving sends the reply notifications of those it changed.
pub async fn move_each(
    store: &Store,
    approvals: Approvals,
    ids: Vec<CommentId>,
    target: CommentStatus,
) -> Result<Vec<CommentId>, StoreError> {
    store
        .write(|tx| {
            Box::pin(async move {
                let mut changed = Vec::new();
                for id in ids {
                    let before = tx.set_comment_status(id, target).await?;
                    if before.is_some_and(|c| c.status != target) {
                        changed.push(id);
                    }
                }
                if target == CommentStatus::Approved {
                    approvals.sent_for(tx, &changed).await?;
                }
                Ok(changed)
            })
        })
        .await
}

/// A moderator's correction of a comment's name, website and text.
#[derive(Debug, Clone)]
pub struct Correction {
    pub author_name: String,
    pub author_url: String,
    pub text: String,
}

/// Corrects a comment and/or moves it to `target`, in one unit of work.
pub async fn change(
    store: &Store,
    approvals: Approvals,
    id: CommentId,
    correction: Option<Correction>,
    target: Option<CommentStatus>,
) -> Result<(), StoreError> {
    let rendered = correction.map(|c| {
        let html = gazette_render::render_comment(&c.text);
        (c, html)
    });
    store
        .write(|tx| {
            Box::pin(async move {
                if let Some((c, html)) = &rendered {
                    tx.edit_comment(id, &c.author_name, &c.author_url, &c.text, html)
                        .await?;
                }
                let Some(target) = target else {
                    return Ok(());
                };
                let before = tx.set_comment_status(id, target).await?;
                if target == CommentStatus::Approved && before.is_some_and(|c| c.status != target) {
                    approvals.sent_for(tx, &[id]).await?;
                }
                Ok(())
            })
        })
        .await
}

/// Posts a comment by a member of staff (from [`staff_comment`]). Approving `answering`
/// first, when it is held, goes with it: a moderator does not answer what they would not
/// publish. With an idempotency key an earlier request used, that request's comment is named.
pub async fn post(
    store: &Store,
    approvals: Approvals,
    new: NewComment,
    answering: Option<&Comment>,
    once: Option<&IdempotencyKey>,
) -> Result<CommentId, StoreError> {
    let held_parent = answering
        .filter(|c| c.status != CommentStatus::Approved)
        .map(|c| c.id);
    let made = |id: &CommentId| CreatedRecord {
        kind: "comment",
        id: id.0,
    };
    let posted = store
        .write_once(once, made, |tx| {
            Box::pin(async move {
                let mut approved = Vec::new();
                if let Some(parent) = held_parent {
                    tx.set_comment_status(parent, CommentStatus::Approved)
                        .await?;
                    approved.push(parent);
                }
                let posted = tx.insert_comment(&new).await?.id();
                if new.status == CommentStatus::Approved {
                    approved.push(posted);
                }
                approvals.sent_for(tx, &approved).await?;
                Ok(posted)
            })
        })
        .await?;
    // Sent again with its key: the comment the first sending posted.
    Ok(match posted {
        Once::Done(id) => id,
        Once::Repeated(record) => CommentId(record.id),
    })
}

/// Deletes a comment for good; its replies move up a level.
pub async fn delete(store: &Store, id: CommentId) -> Result<Option<Comment>, StoreError> {
    store
        .write(|tx| Box::pin(async move { tx.delete_comment(id).await }))
        .await
}

impl Approvals {
    async fn sent_for(&self, tx: &mut WriteTx, ids: &[CommentId]) -> Result<(), StoreError> {
        if ids.is_empty() {
            return Ok(());
        }
        on_approved(tx, &self.journal, self.mail_enabled, ids).await
    }
}
