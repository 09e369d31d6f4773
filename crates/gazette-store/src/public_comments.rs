//! The comments anyone may read (approved, on published articles without a password) as
//! WordPress's REST API lists them: filtered, ordered, counted and paged by the database, so
//! a request reads one page whatever the number of comments; and the newest few under each
//! post of a page (`_embed`), for all the page's posts in one query.
//!
//! The SQL is the same on both backends (only the case-insensitive `like` differs); the
//! moderation inbox, which shows every status, lives in `comments`.

use std::collections::HashMap;

use gazette_core::{ArticleId, Comment, CommentId, CommentStatus, Status};
use jiff::Timestamp;

use crate::comments::{COLUMNS, CommentListing, comment_from_row};
use crate::listings::contains_pattern;
use crate::query::{Param, placeholders};
use crate::rows::RowExt;
use crate::store::on_backend;
use crate::{BackendKind, Store, StoreError};

/// What a public comment listing is sorted by (then by id, the same way).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum CommentOrder {
    #[default]
    Date,
    Id,
    Article,
    /// The comment it answers (top-level comments first when ascending).
    Parent,
    Kind,
}

impl CommentOrder {
    fn column(self) -> &'static str {
        match self {
            Self::Date => "created_at",
            Self::Id => "id",
            Self::Article => "article_id",
            Self::Parent => ANSWERED,
            Self::Kind => "kind",
        }
    }
}

/// The comment a reply answers as readers see it: the one it answered when the thread was
/// too deep to attach it there, else the one it is attached under; 0 at the top level.
const ANSWERED: &str = "coalesce(answered_id, parent_id, 0)";

/// Which public comments a listing shows, in which order. Empty lists do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PublicCommentQuery {
    /// On any of these articles.
    pub articles: Vec<ArticleId>,
    /// Answering any of these comments (see [`Comment::answered`]); None is the top level.
    pub parents: Vec<Option<CommentId>>,
    pub include: Vec<CommentId>,
    pub exclude: Vec<CommentId>,
    /// Text the commenter's name or the comment contains, in any case. Emails and addresses
    /// are never searched: a listing must not confirm who wrote what.
    pub search: Option<String>,
    /// Written strictly after or before these times.
    pub after: Option<Timestamp>,
    pub before: Option<Timestamp>,
    pub order_by: CommentOrder,
    pub ascending: bool,
}

impl PublicCommentQuery {
    /// The `where` clause, pushing its parameters.
    fn clause(&self, like: &str, params: &mut Vec<Param>) -> String {
        let mut conditions = vec![public_clause(params)];
        let mut list = |params: &mut Vec<Param>, column: &str, negate: bool, ids: Vec<i64>| {
            if ids.is_empty() {
                return;
            }
            let start = params.len() + 1;
            let count = ids.len();
            params.extend(ids.into_iter().map(Param::Int));
            let not = if negate { "not " } else { "" };
            conditions.push(format!("{column} {not}in ({})", placeholders(start, count)));
        };
        list(params, "article_id", false, ids_of(&self.articles, |a| a.0));
        let parents = self.parents.iter().map(|p| p.map_or(0, |c| c.0)).collect();
        list(params, ANSWERED, false, parents);
        list(params, "id", false, ids_of(&self.include, |c| c.0));
        list(params, "id", true, ids_of(&self.exclude, |c| c.0));
        if let Some(text) = self.search.as_deref().filter(|t| !t.trim().is_empty()) {
            params.push(Param::Text(contains_pattern(text.trim())));
            let p = params.len();
            conditions.push(format!(
                "(author_name {like} ${p} escape '\\' or body {like} ${p} escape '\\')"
            ));
        }
        for (bound, operator) in [(self.after, ">"), (self.before, "<")] {
            if let Some(at) = bound {
                params.push(Param::Time(at));
                conditions.push(format!("created_at {operator} ${}", params.len()));
            }
        }
        conditions.join(" and ")
    }

    fn order(&self) -> String {
        let direction = if self.ascending { "asc" } else { "desc" };
        format!("{} {direction}, id {direction}", self.order_by.column())
    }
}

fn ids_of<T>(items: &[T], id: impl Fn(&T) -> i64) -> Vec<i64> {
    items.iter().map(id).collect()
}

/// What makes a comment public, pushing its parameters.
fn public_clause(params: &mut Vec<Param>) -> String {
    params.push(Param::Text(CommentStatus::Approved.as_str().to_owned()));
    let approved = params.len();
    params.push(Param::Text(Status::Published.as_str().to_owned()));
    let published = params.len();
    format!(
        "status = ${approved} and article_id in \
         (select id from articles where status = ${published} and password is null)"
    )
}

fn limit_param(n: u64) -> Param {
    Param::Int(i64::try_from(n).unwrap_or(i64::MAX))
}

impl Store {
    /// One page of the public comments `query` selects, in its order (`limit` after skipping
    /// `offset`), with how many it selects in all.
    #[tracing::instrument(skip(self), level = "debug")]
    pub async fn public_comments(
        &self,
        query: &PublicCommentQuery,
        offset: u64,
        limit: u64,
    ) -> Result<CommentListing, StoreError> {
        let like = match self.kind() {
            BackendKind::Sqlite => "like",
            BackendKind::Postgres => "ilike",
        };
        let mut params = Vec::new();
        let clause = query.clause(like, &mut params);
        let count_sql = format!("select count(*) as n from comments where {clause}");
        let n = params.len();
        let page_sql = format!(
            "select {COLUMNS} from comments where {clause} order by {} limit ${} offset ${}",
            query.order(),
            n + 1,
            n + 2
        );
        let mut page_params = params.clone();
        page_params.extend([limit_param(limit), limit_param(offset)]);
        on_backend!(self.backend(), db => {
            let conn = &mut *db.reader().await?;
            let counted = backend::query::fetch_all(&mut *conn, &count_sql, &params).await?;
            let total = counted.first().map(|row| row.int("n")).transpose()?.unwrap_or(0);
            let rows = backend::query::fetch_all(&mut *conn, &page_sql, &page_params).await?;
            let comments = rows.iter().map(comment_from_row).collect::<Result<Vec<_>, _>>()?;
            Ok(CommentListing { comments, total: u64::try_from(total).unwrap_or(0) })
        })
    }

    /// The newest `per_article` public comments of each of `articles`, newest first, read in
    /// one query for a whole page of posts; articles without any are absent.
    #[tracing::instrument(skip(self), level = "debug")]
    pub async fn recent_public_comments_of(
        &self,
        articles: &[ArticleId],
        per_article: u64,
    ) -> Result<HashMap<ArticleId, Vec<Comment>>, StoreError> {
        if articles.is_empty() || per_article == 0 {
            return Ok(HashMap::new());
        }
        let mut params: Vec<Param> = articles.iter().map(|a| Param::Int(a.0)).collect();
        let on_articles = placeholders(1, articles.len());
        let public = public_clause(&mut params);
        params.push(limit_param(per_article));
        let sql = format!(
            "select {COLUMNS} from (select {COLUMNS}, row_number() over \
                 (partition by article_id order by created_at desc, id desc) as place \
                 from comments where article_id in ({on_articles}) and {public}) ranked \
             where place <= ${} order by article_id, place",
            params.len()
        );
        let comments = on_backend!(self.backend(), db => {
            let rows = backend::query::fetch_all(&mut *db.reader().await?, &sql, &params).await?;
            rows.iter().map(comment_from_row).collect::<Result<Vec<_>, _>>()
        })?;
        let mut by_article: HashMap<ArticleId, Vec<Comment>> = HashMap::new();
        for comment in comments {
            by_article.entry(comment.article).or_default().push(comment);
        }
        Ok(by_article)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clauses_number_their_parameters_in_order() {
        let query = PublicCommentQuery {
            articles: vec![ArticleId(4), ArticleId(5)],
            parents: vec![None, Some(CommentId(9))],
            exclude: vec![CommentId(7)],
            search: Some(" 50% ".to_owned()),
            ..PublicCommentQuery::default()
        };
        let mut params = Vec::new();
        let clause = query.clause("like", &mut params);
        assert!(clause.contains("article_id in ($3, $4)"), "{clause}");
        assert!(clause.contains("coalesce(answered_id, parent_id, 0) in ($5, $6)"));
        assert!(clause.contains("id not in ($7)"), "{clause}");
        assert!(clause.contains("author_name like $8 escape"), "{clause}");
        assert_eq!(params.len(), 8);
        assert!(matches!(&params[4], Param::Int(0)), "the top level is 0");
        assert!(matches!(&params[7], Param::Text(p) if p == "%50\\%%"));
        assert_eq!(query.order(), "created_at desc, id desc");
    }
}
