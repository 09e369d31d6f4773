//! The moderation inbox: its pages of comments, filtered, and the count in each status.

use std::collections::HashMap;

use gazette_core::{ArticleId, Comment, CommentStatus, PersonId};

use super::{COLUMNS, Sorted};
use crate::query::Param;
use crate::rows::RowExt;
use crate::store::on_backend;
use crate::{Store, StoreError};

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

impl Store {
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
        let comments = self
            .comments_where(&sql, Sorted::ByIdNewestFirst, &params)
            .await?;
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
}
