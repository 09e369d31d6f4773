//! `GET /wp/v2/comments`: the comments anyone may read (approved, on published articles
//! without a password), narrowed, ordered and paged by the store as WordPress's parameters
//! ask, so a request reads one page and a count whatever the number of comments.
//! Commenters' emails and addresses appear only in the `edit` context, for those who may
//! moderate every comment. Reading, writing and moderating one comment live in `comments`.

use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use gazette_core::{ArticleId, Comment, CommentId};
use gazette_store::{CommentOrder, PublicCommentQuery};
use serde_json::Value;

use super::collection::{Paging, Params, ascending, ids};
use super::comment_json::comment_json;
use super::values::date_bounds;
use super::{ApiError, Asked};
use crate::AppState;
use crate::kernel::pages::Snapshot;
use crate::kernel::site::Site;

/// `GET /wp/v2/comments`: `post` (one or several), `parent` (0 for the top level), `search`
/// (the commenter's name and the text), `include`, `exclude`, `after`, `before`, `order` and
/// `orderby` (date, date_gmt, id, post, parent, type), newest first by default.
pub(crate) async fn list_comments(
    State(state): State<AppState>,
    Snapshot(site): Snapshot,
    asked: Asked,
) -> Result<Response, ApiError> {
    let params = &asked.params;
    let mut problems = Vec::new();
    let paging = Paging::of(params, &mut problems);
    let query = public_query(&site, params, &mut problems);
    if !problems.is_empty() {
        return Err(ApiError::invalid_params(problems));
    }
    let edit = params.get("context") == Some("edit");
    if edit {
        may_moderate_every_comment(&state, &asked).await?;
    }
    let listing = state
        .store()
        .public_comments(&query, paging.skip(), paging.per_page)
        .await?;
    let origin = asked.origin(&state).await;
    let url = format!("{origin}/wp-json/wp/v2/comments");
    let headers = paging.headers(listing.total, &url, params)?;
    let body = items(&state, &site, &origin, &listing.comments, edit).await?;
    Ok((headers, Json(Value::Array(body))).into_response())
}

/// The store's query for WordPress's parameters, or the problems with them.
fn public_query(
    site: &Site,
    params: &Params,
    problems: &mut Vec<(String, String)>,
) -> PublicCommentQuery {
    let mut comments = |name: &str| -> Vec<CommentId> {
        ids(params, name, problems)
            .into_iter()
            .map(CommentId)
            .collect()
    };
    let include = comments("include");
    let exclude = comments("exclude");
    // WordPress's parent 0 is a comment on the post itself.
    let parents = comments("parent")
        .into_iter()
        .map(|id| (id.0 != 0).then_some(id))
        .collect();
    let articles = ids(params, "post", problems)
        .into_iter()
        .map(ArticleId)
        .collect();
    let (after, before) = date_bounds(site, params, problems);
    PublicCommentQuery {
        articles,
        parents,
        include,
        exclude,
        search: params.get("search").map(str::to_owned),
        after,
        before,
        order_by: order(params, problems),
        ascending: ascending(params, problems),
    }
}

/// `orderby`. WordPress's `include` (the order of the `include` list) is not offered.
fn order(params: &Params, problems: &mut Vec<(String, String)>) -> CommentOrder {
    match params.get("orderby") {
        None | Some("date" | "date_gmt") => CommentOrder::Date,
        Some("id") => CommentOrder::Id,
        Some("post") => CommentOrder::Article,
        Some("parent") => CommentOrder::Parent,
        Some("type") => CommentOrder::Kind,
        Some(_) => {
            problems.push((
                "orderby".to_owned(),
                "orderby is not one of date, date_gmt, id, post, parent and type.".to_owned(),
            ));
            CommentOrder::Date
        }
    }
}

/// The edit context (emails, addresses) is for those who moderate every comment.
async fn may_moderate_every_comment(state: &AppState, asked: &Asked) -> Result<(), ApiError> {
    let person = super::write::person(state, asked).await?;
    let moderates = person
        .as_ref()
        .is_some_and(|p| p.role.can(gazette_core::Capability::ModerateComments));
    if moderates {
        Ok(())
    } else {
        Err(ApiError::forbidden_context(person.is_some()))
    }
}

/// The page's comments in WordPress's shape, with links to their articles (only the shown
/// comments' articles are read).
async fn items(
    state: &AppState,
    site: &Site,
    origin: &str,
    comments: &[Comment],
    edit: bool,
) -> Result<Vec<Value>, ApiError> {
    let mut article_ids: Vec<ArticleId> = comments.iter().map(|c| c.article).collect();
    article_ids.sort_unstable_by_key(|id| id.0);
    article_ids.dedup();
    let articles = state.store().articles_by_ids(&article_ids).await?;
    Ok(comments
        .iter()
        .map(|c| {
            let article = articles.iter().find(|a| a.id == c.article);
            comment_json(site, origin, c, article, edit)
        })
        .collect())
}
