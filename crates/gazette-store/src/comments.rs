//! Reader comments: submitting, moderating, counting, and the commenter's right to their data.
//!
//! The SQL is the same on both backends, so it lives here and each backend only binds and runs
//! it. A change is recorded only when what the public sees changes (an approved comment added,
//! a comment approved or unapproved, an approved one edited), so a flood of spam never
//! invalidates the page cache.

use std::collections::HashMap;

use gazette_core::{
    ArticleId, Comment, CommentId, CommentKind, CommentStatus, PersonId, ReplySubscription,
    SafeHtml,
};
use jiff::{SignedDuration, Timestamp};

use crate::changes::ChangeKind;
use crate::query::{Param, placeholders};
use crate::rows::RowExt;
use crate::store::{on_backend, on_tx};
use crate::{Store, StoreError, WriteTx};

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

/// Which comments the moderation inbox lists.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CommentFilter {
    pub status: Option<CommentStatus>,
    pub article: Option<ArticleId>,
    /// Only this commenter's (normalised email).
    pub email: Option<String>,
    /// Only comments on articles these people wrote (an author's own inbox).
    pub on_articles_by: Option<PersonId>,
}

/// A page of the moderation inbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommentListing {
    pub comments: Vec<Comment>,
    pub total: u64,
}

pub(crate) const COLUMNS: &str = "id, article_id, parent_id, answered_id, depth, status, kind, author_name, author_email, \
    author_url, author_ip, user_agent, person_id, body, body_html, score, reasons, \
    reply_subscription, created_at, updated_at";

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

    /// Records that the confirmation request for this comment's reply subscription is being
    /// mailed; false if it already was, so it goes out once.
    pub async fn claim_subscription_mail(&mut self, id: CommentId) -> Result<bool, StoreError> {
        let sql = "update comments set subscription_mailed_at = $2 \
            where id = $1 and subscription_mailed_at is null and reply_subscription = 'requested'";
        let params = [Param::Int(id.0), Param::Time(self.now)];
        on_tx!(self, conn => backend::query::execute(conn, sql, &params).await).map(|n| n == 1)
    }

    /// Records that the author of the comment `reply` answers is being told of it; false if
    /// they already were, so each reply is announced once.
    pub async fn claim_reply_notice(&mut self, reply: CommentId) -> Result<bool, StoreError> {
        let sql = "update comments set reply_notified_at = $2 \
            where id = $1 and reply_notified_at is null";
        let params = [Param::Int(reply.0), Param::Time(self.now)];
        on_tx!(self, conn => backend::query::execute(conn, sql, &params).await).map(|n| n == 1)
    }

    /// Confirms a comment's reply subscription; false if it was not requested.
    pub async fn confirm_reply_subscription(&mut self, id: CommentId) -> Result<bool, StoreError> {
        let sql = "update comments set reply_subscription = 'confirmed' \
            where id = $1 and reply_subscription <> 'none'";
        let params = [Param::Int(id.0)];
        on_tx!(self, conn => backend::query::execute(conn, sql, &params).await).map(|n| n == 1)
    }

    /// Ends every reply subscription of a commenter (an unsubscribe link); returns how many.
    pub async fn end_reply_subscriptions(
        &mut self,
        email_normalized: &str,
    ) -> Result<u64, StoreError> {
        let sql = "update comments set reply_subscription = 'none' \
            where email_normalized = $1 and reply_subscription <> 'none'";
        let params = [Param::Text(email_normalized.to_owned())];
        on_tx!(self, conn => backend::query::execute(conn, sql, &params).await)
    }

    /// Counts one event for `key` in a fixed window of `window` and returns the count so far,
    /// this one included. Atomic, so every node's events count.
    pub async fn count_event(
        &mut self,
        key: &str,
        window: SignedDuration,
    ) -> Result<i64, StoreError> {
        let sql = "insert into rate_counters (key, count, window_started_at) values ($1, 1, $2)
            on conflict (key) do update set
                count = case when rate_counters.window_started_at < $3 then 1
                             else rate_counters.count + 1 end,
                window_started_at = case when rate_counters.window_started_at < $3 then $2
                                         else rate_counters.window_started_at end
            returning count";
        let params = [
            Param::Text(key.to_owned()),
            Param::Time(self.now),
            Param::Time(self.now - window),
        ];
        on_tx!(self, conn => {
            let rows = backend::query::fetch_all(conn, sql, &params).await?;
            rows.first()
                .map(|row| row.int("count"))
                .ok_or_else(|| StoreError::corrupt("rate_counters", "upsert returned no row"))?
        })
    }

    /// Forgets one counter (a commenter's data is erased).
    pub async fn forget_rate_counter(&mut self, key: &str) -> Result<(), StoreError> {
        let sql = "delete from rate_counters where key = $1";
        let params = [Param::Text(key.to_owned())];
        on_tx!(self, conn => backend::query::execute(conn, sql, &params).await)?;
        Ok(())
    }

    /// Forgets counters whose window ended before `before`.
    pub async fn prune_rate_counters(&mut self, before: Timestamp) -> Result<u64, StoreError> {
        let sql = "delete from rate_counters where window_started_at < $1";
        let params = [Param::Time(before)];
        on_tx!(self, conn => backend::query::execute(conn, sql, &params).await)
    }

    /// Removes what identifies a commenter from every comment they wrote: the name becomes
    /// "Anonymous", the email, website, IP address and browser are cleared. The texts stay, so
    /// the threads they belong to still read. Comments kept from WordPress pages are erased
    /// alike. Returns how many comments were anonymised.
    pub async fn erase_commenter(&mut self, email_normalized: &str) -> Result<u64, StoreError> {
        let articles = self.articles_commented_by(email_normalized).await?;
        let sql = "update comments set author_name = 'Anonymous', author_email = '', \
            email_normalized = '', author_url = '', author_ip = null, user_agent = '', \
            reply_subscription = 'none', submission_key = null, updated_at = $2 \
            where email_normalized = $1";
        let params = [
            Param::Text(email_normalized.to_owned()),
            Param::Time(self.now),
        ];
        let mut erased = on_tx!(self, conn => backend::query::execute(conn, sql, &params).await)?;
        let pages_sql = "update page_comments set author_name = 'Anonymous', author_email = '', \
            email_normalized = '', author_url = '', author_ip = null where email_normalized = $1";
        let pages_params = [Param::Text(email_normalized.to_owned())];
        erased +=
            on_tx!(self, conn => backend::query::execute(conn, pages_sql, &pages_params).await)?;
        for article in articles {
            self.record_change(ChangeKind::Comment, Some(article.0));
        }
        Ok(erased)
    }

    async fn articles_commented_by(&mut self, email: &str) -> Result<Vec<ArticleId>, StoreError> {
        let sql = "select distinct article_id from comments where email_normalized = $1 \
            and status = 'approved'";
        let params = [Param::Text(email.to_owned())];
        on_tx!(self, conn => {
            let rows = backend::query::fetch_all(conn, sql, &params).await?;
            rows.iter()
                .map(|row| row.int("article_id").map(ArticleId))
                .collect::<Result<Vec<_>, _>>()
        })
    }

    /// Clears the IP address of comments written before `before`. Returns how many.
    pub async fn anonymise_comment_addresses(
        &mut self,
        before: Timestamp,
    ) -> Result<u64, StoreError> {
        let params = [Param::Time(before)];
        let mut cleared = 0;
        for table in ["comments", "page_comments"] {
            let sql = format!(
                "update {table} set author_ip = null where created_at < $1 and author_ip is not null"
            );
            cleared += on_tx!(self, conn => backend::query::execute(conn, &sql, &params).await)?;
        }
        Ok(cleared)
    }
}

impl Store {
    /// One comment.
    pub async fn comment(&self, id: CommentId) -> Result<Option<Comment>, StoreError> {
        let sql = format!("select {COLUMNS} from comments where id = $1");
        self.comments_where(&sql, &[Param::Int(id.0)])
            .await
            .map(|mut found| found.pop())
    }

    /// The comments a reader of `article` sees, oldest first: the approved ones, plus `own`,
    /// the reader's own comments still awaiting moderation (or taken for spam, which their
    /// author sees as awaiting moderation, as they see any held comment).
    pub async fn article_comments(
        &self,
        article: ArticleId,
        own: &[CommentId],
    ) -> Result<Vec<Comment>, StoreError> {
        let mut params = vec![Param::Int(article.0)];
        let own_clause = if own.is_empty() {
            String::new()
        } else {
            params.extend(own.iter().map(|id| Param::Int(id.0)));
            format!(
                " or (status in ('pending', 'spam') and id in ({}))",
                placeholders(2, own.len())
            )
        };
        let sql = format!(
            "select {COLUMNS} from comments where article_id = $1 \
             and (status = 'approved'{own_clause}) order by id"
        );
        self.comments_where(&sql, &params).await
    }

    /// The newest approved comments that anyone may read (on published articles without a
    /// password), newest first: on one article, or on all of them. For the comment feeds.
    pub async fn recent_public_comments(
        &self,
        article: Option<ArticleId>,
        limit: u64,
    ) -> Result<Vec<Comment>, StoreError> {
        let mut params = vec![
            Param::Text(CommentStatus::Approved.as_str().to_owned()),
            Param::Text(gazette_core::Status::Published.as_str().to_owned()),
            Param::Int(i64::try_from(limit).unwrap_or(i64::MAX)),
        ];
        let on_article = match article {
            Some(id) => {
                params.push(Param::Int(id.0));
                " and article_id = $4"
            }
            None => "",
        };
        let sql = format!(
            "select {COLUMNS} from comments where status = $1{on_article} and article_id in \
             (select id from articles where status = $2 and password is null) \
             order by created_at desc, id desc limit $3"
        );
        self.comments_where(&sql, &params).await
    }

    /// How many approved comments each of `articles` has (absent: none).
    pub async fn approved_comment_counts(
        &self,
        articles: &[ArticleId],
    ) -> Result<HashMap<ArticleId, u64>, StoreError> {
        if articles.is_empty() {
            return Ok(HashMap::new());
        }
        let sql = format!(
            "select article_id, count(*) as n from comments where status = 'approved' \
             and article_id in ({}) group by article_id",
            placeholders(1, articles.len())
        );
        let params: Vec<Param> = articles.iter().map(|a| Param::Int(a.0)).collect();
        on_backend!(self.backend(), db => {
            let rows = backend::query::fetch_all(&mut *db.reader().await?, &sql, &params).await?;
            rows.iter()
                .map(|row| {
                    let n = u64::try_from(row.int("n")?).unwrap_or(0);
                    Ok((ArticleId(row.int("article_id")?), n))
                })
                .collect()
        })
    }

    /// Whether the browser holding `commenter_key` (its hash) sent an approved comment under
    /// this (normalised) email and this name (in any case). Name and email alone prove
    /// nothing: anyone can type them.
    pub async fn has_approved_comment(
        &self,
        email_normalized: &str,
        name: &str,
        commenter_key: &str,
    ) -> Result<bool, StoreError> {
        let sql = "select 1 as found from comments where email_normalized = $1 \
            and lower(author_name) = lower($2) and commenter_key = $3 and status = 'approved' \
            and person_id is null limit 1";
        let params = [
            Param::Text(email_normalized.to_owned()),
            Param::Text(name.trim().to_owned()),
            Param::Text(commenter_key.to_owned()),
        ];
        self.exists(sql, &params).await
    }

    /// Whether `body` was already posted on `article`, by anyone. (Not only by someone
    /// else: then re-sending a published comment's text with a guessed email would show, by
    /// the copy's fate, whether the guess was right.)
    pub async fn is_duplicate_comment(
        &self,
        article: ArticleId,
        body: &str,
    ) -> Result<bool, StoreError> {
        let sql = "select 1 as found from comments where article_id = $1 and body = $2 limit 1";
        let params = [Param::Int(article.0), Param::Text(body.to_owned())];
        self.exists(sql, &params).await
    }

    /// A page of the moderation inbox, newest first.
    pub async fn moderation_comments(
        &self,
        filter: &CommentFilter,
        offset: u64,
        limit: u64,
    ) -> Result<CommentListing, StoreError> {
        let mut conditions = Vec::new();
        let mut params = Vec::new();
        let next = |param: Param, params: &mut Vec<Param>| {
            params.push(param);
            format!("${}", params.len())
        };
        if let Some(status) = filter.status {
            let p = next(Param::Text(status.as_str().to_owned()), &mut params);
            conditions.push(format!("status = {p}"));
        }
        if let Some(article) = filter.article {
            let p = next(Param::Int(article.0), &mut params);
            conditions.push(format!("article_id = {p}"));
        }
        if let Some(email) = &filter.email {
            let p = next(Param::Text(email.clone()), &mut params);
            conditions.push(format!("email_normalized = {p}"));
        }
        if let Some(person) = filter.on_articles_by {
            let p = next(Param::Int(person.0), &mut params);
            conditions.push(format!(
                "article_id in (select article_id from article_authors where person_id = {p})"
            ));
        }
        let filter_sql = if conditions.is_empty() {
            String::new()
        } else {
            format!(" where {}", conditions.join(" and "))
        };
        let count_sql = format!("select count(*) as n from comments{filter_sql}");
        let total = on_backend!(self.backend(), db => {
            let rows = backend::query::fetch_all(&mut *db.reader().await?, &count_sql, &params).await?;
            rows.first().map(|row| row.int("n")).transpose()?.unwrap_or(0)
        });
        let limit_at = params.len() + 1;
        let sql = format!(
            "select {COLUMNS} from comments{filter_sql} order by id desc \
             limit ${limit_at} offset ${}",
            limit_at + 1
        );
        params.push(Param::Int(i64::try_from(limit).unwrap_or(i64::MAX)));
        params.push(Param::Int(i64::try_from(offset).unwrap_or(i64::MAX)));
        let comments = self.comments_where(&sql, &params).await?;
        Ok(CommentListing {
            comments,
            total: u64::try_from(total).unwrap_or(0),
        })
    }

    /// How many comments are in each status, on every article or on those `by` wrote.
    pub async fn comment_status_counts(
        &self,
        by: Option<PersonId>,
    ) -> Result<HashMap<CommentStatus, u64>, StoreError> {
        let (sql, params) = match by {
            None => (
                "select status, count(*) as n from comments group by status",
                vec![],
            ),
            Some(person) => (
                "select status, count(*) as n from comments where article_id in \
                 (select article_id from article_authors where person_id = $1) group by status",
                vec![Param::Int(person.0)],
            ),
        };
        on_backend!(self.backend(), db => {
            let rows = backend::query::fetch_all(&mut *db.reader().await?, sql, &params).await?;
            let mut counts = HashMap::new();
            for row in &rows {
                let status = row.text("status")?;
                if let Some(status) = CommentStatus::parse(&status) {
                    counts.insert(status, u64::try_from(row.int("n")?).unwrap_or(0));
                }
            }
            Ok(counts)
        })
    }

    /// Every comment written with this (normalised) email, oldest first: a commenter's data.
    pub async fn comments_by_email(
        &self,
        email_normalized: &str,
    ) -> Result<Vec<Comment>, StoreError> {
        let sql = format!("select {COLUMNS} from comments where email_normalized = $1 order by id");
        self.comments_where(&sql, &[Param::Text(email_normalized.to_owned())])
            .await
    }

    async fn comments_where(
        &self,
        sql: &str,
        params: &[Param],
    ) -> Result<Vec<Comment>, StoreError> {
        on_backend!(self.backend(), db => {
            let rows = backend::query::fetch_all(&mut *db.reader().await?, sql, params).await?;
            rows.iter().map(comment_from_row).collect()
        })
    }

    async fn exists(&self, sql: &str, params: &[Param]) -> Result<bool, StoreError> {
        on_backend!(self.backend(), db => {
            let rows = backend::query::fetch_all(&mut *db.reader().await?, sql, params).await?;
            Ok(!rows.is_empty())
        })
    }
}
