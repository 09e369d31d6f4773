//! Listings as WordPress's REST API asks for them: any of its filters together, in one of its
//! orders.

use gazette_core::{ArticleId, PersonId, SectionId, Status, TagId};
use jiff::Timestamp;

use super::ArticleListing;
use crate::query::{Param, placeholders};
use crate::rows::RowExt;
use crate::store::on_backend;
use crate::{Store, StoreError};

/// A listing as WordPress's REST API asks for it: any of these filters together, in one of
/// its orders. Empty lists do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArticleQuery {
    /// Statuses shown; empty means published.
    pub statuses: Vec<Status>,
    /// In any of these sections (primary or further).
    pub sections: Vec<SectionId>,
    /// With any of these tags.
    pub tags: Vec<TagId>,
    /// By any of these people.
    pub authors: Vec<PersonId>,
    pub ids: Vec<ArticleId>,
    /// Published strictly after or before these times.
    pub after: Option<Timestamp>,
    pub before: Option<Timestamp>,
    pub sticky: Option<bool>,
    /// Only articles without a password (those whose text readers may search).
    pub without_password: bool,
    pub order_by: ArticleOrder,
    pub ascending: bool,
}

/// What a REST listing is sorted by (then by id, the same way).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ArticleOrder {
    #[default]
    Published,
    Modified,
    Id,
    Headline,
    Slug,
}

impl ArticleQuery {
    /// The `where` clause, pushing its parameters.
    fn clause(&self, params: &mut Vec<Param>) -> String {
        let mut conditions = Vec::new();
        let list = |params: &mut Vec<Param>, values: Vec<Param>| {
            let start = params.len() + 1;
            let count = values.len();
            params.extend(values);
            placeholders(start, count)
        };
        let statuses: Vec<Param> = if self.statuses.is_empty() {
            vec![Param::Text(Status::Published.as_str().to_owned())]
        } else {
            self.statuses
                .iter()
                .map(|s| Param::Text(s.as_str().to_owned()))
                .collect()
        };
        conditions.push(format!("status in ({})", list(params, statuses)));
        if !self.sections.is_empty() {
            let ids = list(
                params,
                self.sections.iter().map(|s| Param::Int(s.0)).collect(),
            );
            conditions.push(format!(
                "(primary_section_id in ({ids}) or id in \
                 (select article_id from article_sections where section_id in ({ids})))"
            ));
        }
        if !self.tags.is_empty() {
            let ids = list(params, self.tags.iter().map(|t| Param::Int(t.0)).collect());
            conditions.push(format!(
                "id in (select article_id from article_tags where tag_id in ({ids}))"
            ));
        }
        if !self.authors.is_empty() {
            let ids = list(
                params,
                self.authors.iter().map(|p| Param::Int(p.0)).collect(),
            );
            conditions.push(format!(
                "id in (select article_id from article_authors where person_id in ({ids}))"
            ));
        }
        if !self.ids.is_empty() {
            let ids = list(params, self.ids.iter().map(|a| Param::Int(a.0)).collect());
            conditions.push(format!("id in ({ids})"));
        }
        if let Some(after) = self.after {
            params.push(Param::Time(after));
            conditions.push(format!("published_at > ${}", params.len()));
        }
        if let Some(before) = self.before {
            params.push(Param::Time(before));
            conditions.push(format!("published_at < ${}", params.len()));
        }
        if let Some(sticky) = self.sticky {
            params.push(Param::Bool(sticky));
            conditions.push(format!("sticky = ${}", params.len()));
        }
        if self.without_password {
            conditions.push("password is null".to_owned());
        }
        conditions.join(" and ")
    }

    fn order(&self) -> String {
        // Published articles all have a date; with drafts among them, an undated one sorts
        // by when it was made, the same on both backends (which place nulls differently).
        let only_published = self.statuses.iter().all(|s| *s == Status::Published);
        let column = match self.order_by {
            ArticleOrder::Published if only_published => "published_at",
            ArticleOrder::Published => "coalesce(published_at, created_at)",
            ArticleOrder::Modified => "updated_at",
            ArticleOrder::Id => "id",
            ArticleOrder::Headline => "headline",
            ArticleOrder::Slug => "slug",
        };
        let direction = if self.ascending { "asc" } else { "desc" };
        format!("{column} {direction}, id {direction}")
    }
}

impl Store {
    /// The articles `query` selects, in its order: `limit` of them after skipping `offset`,
    /// with how many it selects in all.
    #[tracing::instrument(skip(self), level = "debug")]
    pub async fn query_articles(
        &self,
        query: &ArticleQuery,
        offset: u64,
        limit: u64,
    ) -> Result<ArticleListing, StoreError> {
        let mut params = Vec::new();
        let clause = query.clause(&mut params);
        self.listing(&clause, params, &query.order(), offset, limit)
            .await
    }

    /// The ids of every article `query` selects, in no particular order: for narrowing a
    /// list of ids found elsewhere (the search index's matches) that stays in its own order.
    #[tracing::instrument(skip(self), level = "debug")]
    pub async fn query_article_ids(
        &self,
        query: &ArticleQuery,
    ) -> Result<Vec<ArticleId>, StoreError> {
        let mut params = Vec::new();
        let sql = format!(
            "select id from articles where {}",
            query.clause(&mut params)
        );
        on_backend!(self.backend(), db => {
            let rows = backend::query::fetch_all(&mut *db.reader().await?, &sql, &params).await?;
            rows.iter().map(|row| row.int("id").map(ArticleId)).collect()
        })
    }
}
