//! Reader comments: submitting, moderating, counting, and the commenter's right to their data.
//!
//! The SQL is the same on both backends, so it lives here and each backend only binds and runs
//! it. A change is recorded only when what the public sees changes (an approved comment added,
//! a comment approved or unapproved, an approved one edited), so a flood of spam never
//! invalidates the page cache.
//!
//! Here: storing, editing, moving and deleting one comment. The rest by what it serves:
//! `readers` (threads, feeds, counts, the form's checks), `moderation` (the inbox),
//! `subscriptions` (replies by mail), `rate_counters` (the form's limits) and `privacy` (a
//! commenter's data, and old IP addresses).

mod moderation;
mod privacy;
mod rate_counters;
mod readers;
mod subscriptions;

use gazette_core::{
    ArticleId, Comment, CommentId, CommentKind, CommentStatus, PersonId, ReplySubscription,
    SafeHtml,
};

use crate::changes::ChangeKind;
use crate::query::Param;
use crate::rows::RowExt;
use crate::store::{on_backend, on_tx};
use crate::{Store, StoreError, WriteTx};

pub use moderation::{CommentFilter, CommentListing};

/// A comment about to be stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewComment {
    pub article: ArticleId,
    pub parent: Option<CommentId>,
    /// The comment the reader answered, when the reply is attached higher up.
    pub answered: Option<CommentId>,
    pub depth: i64,
    pub status: CommentStatus,
    pub kind: CommentKind,
    pub author_name: String,
    pub author_email: String,
    pub author_url: String,
    pub author_ip: Option<String>,
    pub user_agent: String,
    pub person: Option<PersonId>,
    pub body: String,
    pub body_html: SafeHtml,
    pub score: i64,
    pub reasons: Vec<String>,
    /// Identifies one submission of one form; a second insert with the same key returns the
    /// first comment instead of creating another.
    pub submission_key: Option<String>,
    /// The commenter asked to hear of replies (still to be confirmed).
    pub wants_replies: bool,
    /// A hash of the commenter key the reader's browser holds (when they asked to be
    /// remembered): what proves a returning commenter is the one whose comment was approved.
    pub commenter_key: Option<String>,
}

/// What inserting a comment did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Inserted {
    New(CommentId),
    /// The same submission arrived before: this is the comment it created.
    Again(CommentId),
}

impl Inserted {
    pub fn id(self) -> CommentId {
        match self {
            Self::New(id) | Self::Again(id) => id,
        }
    }
}

pub(crate) const COLUMNS: &str = "id, article_id, parent_id, answered_id, depth, status, kind, author_name, author_email, \
    author_url, author_ip, user_agent, person_id, body, body_html, score, reasons, \
    reply_subscription, created_at, updated_at";

/// [`COLUMNS`] as a reader's page reads them: the moderation data (the source text, the
/// address, the user agent, the spam filter's reasons) comes back empty. A long thread then
/// reads and decodes about half as much.
pub(crate) const READER_COLUMNS: &str = "id, article_id, parent_id, answered_id, depth, status, kind, author_name, \
    author_email, author_url, null as author_ip, '' as user_agent, person_id, '' as body, body_html, score, \
    '' as reasons, reply_subscription, created_at, updated_at";

/// The order of a list of comments, as its query's `order by` gives it.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Sorted {
    /// `order by id`
    ById,
    /// `order by id desc`
    ByIdNewestFirst,
    /// `order by created_at desc, id desc`
    NewestFirst,
}

pub(crate) fn comment_from_row(row: &impl RowExt) -> Result<Comment, StoreError> {
    let status = row.text("status")?;
    let kind = row.text("kind")?;
    let reasons = row.text("reasons")?;
    let subscription = row.text("reply_subscription")?;
    Ok(Comment {
        id: CommentId(row.int("id")?),
        article: ArticleId(row.int("article_id")?),
        parent: row.opt_int("parent_id")?.map(CommentId),
        answered: row.opt_int("answered_id")?.map(CommentId),
        depth: row.int("depth")?,
        status: CommentStatus::parse(&status)
            .ok_or_else(|| StoreError::corrupt("comment status", &status))?,
        kind: CommentKind::parse(&kind)
            .ok_or_else(|| StoreError::corrupt("comment kind", &kind))?,
        author_name: row.text("author_name")?,
        author_email: row.text("author_email")?,
        author_url: row.text("author_url")?,
        author_ip: row.opt_text("author_ip")?,
        user_agent: row.text("user_agent")?,
        person: row.opt_int("person_id")?.map(PersonId),
        body: row.text("body")?,
        body_html: SafeHtml::assume_sanitized(row.text("body_html")?),
        score: row.int("score")?,
        reasons: reasons
            .lines()
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect(),
        reply_subscription: ReplySubscription::parse(&subscription)
            .ok_or_else(|| StoreError::corrupt("reply subscription", &subscription))?,
        created_at: row.time("created_at")?,
        updated_at: row.time("updated_at")?,
    })
}

impl WriteTx {
    /// Stores a new comment, or finds the one an earlier identical submission created.
    pub async fn insert_comment(&mut self, comment: &NewComment) -> Result<Inserted, StoreError> {
        if let Some(key) = &comment.submission_key
            && let Some(existing) = self.comment_by_submission(key).await?
        {
            return Ok(Inserted::Again(existing));
        }
        let sql = "insert into comments (article_id, parent_id, depth, status, kind, author_name, \
            author_email, email_normalized, author_url, author_ip, user_agent, person_id, body, \
            body_html, score, reasons, submission_key, reply_subscription, answered_id, created_at, \
            updated_at, commenter_key) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, \
            $13, $14, $15, $16, $17, $19, $20, $18, $18, $21) on conflict (submission_key) do nothing \
            returning id";
        let params = [
            Param::Int(comment.article.0),
            Param::opt_int(comment.parent.map(|p| p.0)),
            Param::Int(comment.depth),
            Param::Text(comment.status.as_str().to_owned()),
            Param::Text(comment.kind.as_str().to_owned()),
            Param::Text(comment.author_name.clone()),
            Param::Text(comment.author_email.clone()),
            Param::Text(comment.author_email.trim().to_lowercase()),
            Param::Text(comment.author_url.clone()),
            Param::opt_text(comment.author_ip.as_deref()),
            Param::Text(comment.user_agent.clone()),
            Param::opt_int(comment.person.map(|p| p.0)),
            Param::Text(comment.body.clone()),
            Param::Text(comment.body_html.as_str().to_owned()),
            Param::Int(comment.score),
            Param::Text(comment.reasons.join("\n")),
            Param::opt_text(comment.submission_key.as_deref()),
            Param::Time(self.now),
            Param::Text(
                if comment.wants_replies {
                    ReplySubscription::Requested
                } else {
                    ReplySubscription::None
                }
                .as_str()
                .to_owned(),
            ),
            Param::opt_int(comment.answered.map(|a| a.0)),
            Param::opt_text(comment.commenter_key.as_deref()),
        ];
        let id = on_tx!(self, conn => {
            let rows = backend::query::fetch_all(conn, sql, &params).await?;
            rows.first().map(|row| row.int("id")).transpose()
        })?;
        // No row: the same submission was stored by a concurrent request after our check.
        let Some(id) = id else {
            let key = comment.submission_key.as_deref().unwrap_or_default();
            let existing = self
                .comment_by_submission(key)
                .await?
                .ok_or_else(|| StoreError::corrupt("comments", "insert returned no id"))?;
            return Ok(Inserted::Again(existing));
        };
        if comment.status == CommentStatus::Approved {
            self.record_change(ChangeKind::Comment, Some(comment.article.0));
        }
        Ok(Inserted::New(CommentId(id)))
    }

    /// The comment an earlier submission with this key created.
    pub async fn comment_by_submission(
        &mut self,
        key: &str,
    ) -> Result<Option<CommentId>, StoreError> {
        let sql = "select id from comments where submission_key = $1";
        let params = [Param::Text(key.to_owned())];
        on_tx!(self, conn => {
            let rows = backend::query::fetch_all(conn, sql, &params).await?;
            rows.first().map(|row| row.int("id")).transpose()
        })
        .map(|id| id.map(CommentId))
    }

    /// One comment, seeing this unit's own writes.
    pub async fn comment(&mut self, id: CommentId) -> Result<Option<Comment>, StoreError> {
        let sql = format!("select {COLUMNS} from comments where id = $1");
        let params = [Param::Int(id.0)];
        on_tx!(self, conn => {
            let rows = backend::query::fetch_all(conn, &sql, &params).await?;
            rows.first().map(comment_from_row).transpose()
        })
    }

    /// Moves a comment to `status`; returns it as it was before, if it exists.
    pub async fn set_comment_status(
        &mut self,
        id: CommentId,
        status: CommentStatus,
    ) -> Result<Option<Comment>, StoreError> {
        let Some(before) = self.comment(id).await? else {
            return Ok(None);
        };
        let sql = "update comments set status = $2, updated_at = $3 where id = $1";
        let params = [
            Param::Int(id.0),
            Param::Text(status.as_str().to_owned()),
            Param::Time(self.now),
        ];
        on_tx!(self, conn => backend::query::execute(conn, sql, &params).await)?;
        let visible = CommentStatus::Approved;
        if (before.status == visible) != (status == visible) {
            self.record_change(ChangeKind::Comment, Some(before.article.0));
        }
        Ok(Some(before))
    }

    /// Deletes a comment for good. Its replies move up to the comment it answered (or to
    /// the top of the thread), as WordPress reparents them, and everything below them up one
    /// level with them. Returns the deleted comment.
    pub async fn delete_comment(&mut self, id: CommentId) -> Result<Option<Comment>, StoreError> {
        let Some(deleted) = self.comment(id).await? else {
            return Ok(None);
        };
        let raise = "with recursive below(id) as ( \
                select id from comments where parent_id = $1 \
                union all select c.id from comments c join below on c.parent_id = below.id) \
            update comments set depth = depth - 1, updated_at = $2 \
            where depth > 0 and id in (select id from below)";
        let params = [Param::Int(id.0), Param::Time(self.now)];
        on_tx!(self, conn => backend::query::execute(conn, raise, &params).await)?;
        let reparent = "update comments set parent_id = $2 where parent_id = $1";
        let params = [
            Param::Int(id.0),
            deleted.parent.map_or(Param::Null, |p| Param::Int(p.0)),
        ];
        on_tx!(self, conn => backend::query::execute(conn, reparent, &params).await)?;
        let delete = "delete from comments where id = $1";
        let params = [Param::Int(id.0)];
        on_tx!(self, conn => backend::query::execute(conn, delete, &params).await)?;
        // The thread readers see changed shape even when the deleted comment was not shown.
        self.record_change(ChangeKind::Comment, Some(deleted.article.0));
        Ok(Some(deleted))
    }

    /// Replaces a comment's text and public author details (a moderator's edit).
    pub async fn edit_comment(
        &mut self,
        id: CommentId,
        author_name: &str,
        author_url: &str,
        body: &str,
        body_html: &SafeHtml,
    ) -> Result<Option<Comment>, StoreError> {
        let Some(before) = self.comment(id).await? else {
            return Ok(None);
        };
        let sql = "update comments set author_name = $2, author_url = $3, body = $4, \
            body_html = $5, updated_at = $6 where id = $1";
        let params = [
            Param::Int(id.0),
            Param::Text(author_name.to_owned()),
            Param::Text(author_url.to_owned()),
            Param::Text(body.to_owned()),
            Param::Text(body_html.as_str().to_owned()),
            Param::Time(self.now),
        ];
        on_tx!(self, conn => backend::query::execute(conn, sql, &params).await)?;
        if before.status == CommentStatus::Approved {
            self.record_change(ChangeKind::Comment, Some(before.article.0));
        }
        Ok(Some(before))
    }
}

impl Store {
    /// One comment.
    pub async fn comment(&self, id: CommentId) -> Result<Option<Comment>, StoreError> {
        let sql = format!("select {COLUMNS} from comments where id = $1");
        self.comments_where(&sql, Sorted::ById, &[Param::Int(id.0)])
            .await
            .map(|mut found| found.pop())
    }

    /// The comments `sql` selects (all of [`COLUMNS`]), `sorted` as its `order by` says:
    /// packed rows come in any order (see `fetch_packed`).
    async fn comments_where(
        &self,
        sql: &str,
        sorted: Sorted,
        params: &[Param],
    ) -> Result<Vec<Comment>, StoreError> {
        let mut comments = on_backend!(self.backend(), db => {
            let conn = &mut *db.reader().await?;
            let rows = backend::query::fetch_packed(conn, sql, params, COLUMNS).await?;
            rows.iter().map(comment_from_row).collect::<Result<Vec<_>, StoreError>>()
        })?;
        match sorted {
            Sorted::ById => comments.sort_by_key(|c| c.id),
            Sorted::ByIdNewestFirst => comments.sort_by_key(|c| std::cmp::Reverse(c.id)),
            Sorted::NewestFirst => {
                comments.sort_by_key(|c| std::cmp::Reverse((c.created_at, c.id)));
            }
        }
        Ok(comments)
    }

    async fn exists(&self, sql: &str, params: &[Param]) -> Result<bool, StoreError> {
        on_backend!(self.backend(), db => {
            let rows = backend::query::fetch_all(&mut *db.reader().await?, sql, params).await?;
            Ok(!rows.is_empty())
        })
    }
}
