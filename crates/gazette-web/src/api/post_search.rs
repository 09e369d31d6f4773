//! `search=` on `/wp/v2/posts`, and `/wp/v2/search`, through the node's search index: never
//! a scan of the articles. As in WordPress, every word must match, in the headline,
//! standfirst or body (not in authors', sections' or tags' names, which readers' search
//! page also looks at), and password-protected articles are never found.
//!
//! A search is answered the cheapest way its parameters allow:
//! - by relevance or by date, with filters the index applies (sections, one tag, one
//!   author): the index pages and counts;
//! - otherwise the index hands over its first [`MOST_MATCHES`] matches (newest or oldest
//!   first when sorting by date, else the best), which the store narrows with the other
//!   filters; then the store orders and pages them, or, by relevance, they are paged in the
//!   index's order.
//!
//! Either way the articles are read from the store, which leaves out any that stopped being
//! public since the index last followed the change log.

use std::collections::HashSet;

use axum::http::StatusCode;
use gazette_core::{Article, ArticleId, Status};
use gazette_search::{Filters, SearchIndex, SearchOrder, SearchRequest};
use gazette_store::{ArticleOrder, ArticleQuery};

use super::ApiError;
use super::collection::Paging;
use crate::kernel::search::is_searchable;
use crate::{AppError, AppState};

/// The most matches a search combined with a filter or an order the index cannot apply
/// considers: enough for any reader, and a bounded cost (one list of ids for the store).
const MOST_MATCHES: usize = 10_000;

/// A page of found articles and how many were found.
#[derive(Debug)]
pub(super) struct Found {
    pub articles: Vec<Article>,
    pub total: u64,
}

/// The page `paging` asks for of the articles `query` selects that match `text`, in the
/// query's order, or best first when `relevance`.
pub(super) async fn search_posts(
    state: &AppState,
    text: &str,
    query: &ArticleQuery,
    relevance: bool,
    paging: Paging,
) -> Result<Found, ApiError> {
    let index = index(state)?;
    let (filters, complete) = index_filters(query);
    let order = if relevance {
        Some(SearchOrder::Relevance)
    } else {
        date_order(query)
    };
    let mut request = SearchRequest {
        text: text.to_owned(),
        filters,
        now: state.store().clock().now(),
        text_only: true,
        order: order.unwrap_or_default(),
        ..SearchRequest::default()
    };
    match order {
        Some(_) if complete => {
            request.offset = usize::try_from(paging.skip()).unwrap_or(usize::MAX);
            request.limit = usize::try_from(paging.per_page).unwrap_or(usize::MAX);
            paged_in_index(state, index, &request).await
        }
        // Collect the first matches in the order wanted (or the best, for an order the
        // index does not know), then let the store filter them.
        _ => {
            request.limit = MOST_MATCHES;
            let (found, _) = matches(index, &request)?;
            let mut narrowed = query.clone();
            narrow(&mut narrowed, found.clone());
            narrowed.without_password = true;
            if relevance {
                paged_in_found_order(state, &found, &narrowed, paging).await
            } else {
                paged_in_store(state, &narrowed, paging).await
            }
        }
    }
}

/// The node's index, or WordPress's way of saying search is unavailable: a node without
/// one never falls back to scanning every article.
fn index(state: &AppState) -> Result<&SearchIndex, ApiError> {
    state.search().map(|index| &**index).ok_or_else(|| {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "rest_search_unavailable",
            "Search is not available on this server at the moment.",
        )
    })
}

/// What of `query` the index can apply, and whether that is all of it. The index holds
/// published, unprotected articles only, and knows their sections, tags, authors and dates
/// (to the second: `before` and `after` are left to the store, which compares them exactly).
fn index_filters(query: &ArticleQuery) -> (Filters, bool) {
    let one = |ids: &[i64]| match ids {
        [id] => Some(*id),
        _ => None,
    };
    let tags: Vec<i64> = query.tags.iter().map(|t| t.0).collect();
    let authors: Vec<i64> = query.authors.iter().map(|p| p.0).collect();
    let filters = Filters {
        sections: query.sections.iter().map(|s| s.0).collect(),
        tag: one(&tags),
        author: one(&authors),
        ..Filters::default()
    };
    let complete = query.statuses.iter().all(|s| *s == Status::Published)
        && query.ids.is_empty()
        && query.sticky.is_none()
        && query.after.is_none()
        && query.before.is_none()
        && tags.len() <= 1
        && authors.len() <= 1;
    (filters, complete)
}

/// The index's order for a query sorted by date; None for the store's other orders.
fn date_order(query: &ArticleQuery) -> Option<SearchOrder> {
    match (query.order_by, query.ascending) {
        (ArticleOrder::Published, false) => Some(SearchOrder::Newest),
        (ArticleOrder::Published, true) => Some(SearchOrder::Oldest),
        _ => None,
    }
}

/// The ids of one page of matches, in the index's order, and how many match in all.
fn matches(
    index: &SearchIndex,
    request: &SearchRequest,
) -> Result<(Vec<ArticleId>, u64), ApiError> {
    let results = index
        .search(request)
        .map_err(|e| ApiError::from(AppError::Internal(Box::new(e))))?;
    let ids = results.hits.iter().map(|h| ArticleId(h.id)).collect();
    Ok((ids, u64::try_from(results.total).unwrap_or(u64::MAX)))
}

/// One page as the index ranks and counts it, read from the store.
async fn paged_in_index(
    state: &AppState,
    index: &SearchIndex,
    request: &SearchRequest,
) -> Result<Found, ApiError> {
    let (ids, total) = matches(index, request)?;
    Ok(Found {
        articles: readable(state, &ids).await?,
        total,
    })
}

/// One page of `found` (the index's order) kept to what `narrowed` selects.
async fn paged_in_found_order(
    state: &AppState,
    found: &[ArticleId],
    narrowed: &ArticleQuery,
    paging: Paging,
) -> Result<Found, ApiError> {
    let kept: HashSet<ArticleId> = state
        .store()
        .query_article_ids(narrowed)
        .await?
        .into_iter()
        .collect();
    let in_order: Vec<ArticleId> = found
        .iter()
        .copied()
        .filter(|id| kept.contains(id))
        .collect();
    let page: Vec<ArticleId> = paging.page(&in_order).copied().collect();
    Ok(Found {
        articles: state.store().articles_by_ids(&page).await?,
        total: in_order.len() as u64,
    })
}

/// One page of what `narrowed` selects, in its order, as the store pages and counts it.
async fn paged_in_store(
    state: &AppState,
    narrowed: &ArticleQuery,
    paging: Paging,
) -> Result<Found, ApiError> {
    let listing = state
        .store()
        .query_articles(narrowed, paging.skip(), paging.per_page)
        .await?;
    Ok(Found {
        articles: listing.articles,
        total: listing.total,
    })
}

/// The articles with these ids that readers may still find, in the same order.
async fn readable(state: &AppState, ids: &[ArticleId]) -> Result<Vec<Article>, ApiError> {
    let mut articles = state.store().articles_by_ids(ids).await?;
    articles.retain(is_searchable);
    Ok(articles)
}

/// Keeps only `found` of what the query selects (nothing, when nothing was found).
pub(super) fn narrow(query: &mut ArticleQuery, found: Vec<ArticleId>) {
    let kept: Vec<ArticleId> = if query.ids.is_empty() {
        found
    } else {
        found
            .into_iter()
            .filter(|id| query.ids.contains(id))
            .collect()
    };
    // An id no article has keeps an empty result empty.
    query.ids = if kept.is_empty() {
        vec![ArticleId(0)]
    } else {
        kept
    };
}
