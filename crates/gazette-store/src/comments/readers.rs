//! What readers see of the comments, and what the comment form checks before it stores one:
//! an article's thread, the comment feeds, returning commenters and duplicates. (The counts
//! beside headlines come with the articles: `listings::loading`.)

use gazette_core::{ArticleId, Comment, CommentId, CommentStatus};

use super::{COLUMNS, READER_COLUMNS, Sorted};
use crate::query::{Param, placeholders};
use crate::{Store, StoreError};

impl Store {
    /// The comments a reader of `article` sees, oldest first: the approved ones, plus `own`,
    /// the reader's own comments still awaiting moderation (or taken for spam, which their
    /// author sees as awaiting moderation, as they see any held comment). Read as readers
    /// see them: without moderation data ([`READER_COLUMNS`]).
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
            "select {READER_COLUMNS} from comments where article_id = $1 \
             and (status = 'approved'{own_clause}) order by id"
        );
        self.comments_where(&sql, Sorted::ById, &params).await
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
        self.comments_where(&sql, Sorted::NewestFirst, &params)
            .await
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
}
