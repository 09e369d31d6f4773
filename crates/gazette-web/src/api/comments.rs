//! `/wp/v2/comments`: approved comments on published, unprotected articles, newest first, in
//! WordPress's `view` shape. Commenters' emails and IP addresses are never in it.

use axum::Json;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use gazette_core::{ArticleId, Comment, CommentId, CommentKind, CommentStatus};
use serde_json::{Value, json};

use super::collection::{Paging, ids};
use super::posts::{gmt, local};
use super::{ApiError, Asked};
use crate::AppState;
use crate::public::{load_site, views};
use crate::site::Site;

/// The most comments one listing reads; WordPress pages through more with `page`.
const MOST: u64 = 10_000;

/// `GET /wp/v2/comments`, optionally of one post (`post=ID`).
pub(crate) async fn list_comments(
    State(state): State<AppState>,
    request: Request,
) -> Result<Response, ApiError> {
    let asked = Asked::of(&state, &request);
    drop(request);
    let params = &asked.params;
    let mut problems = Vec::new();
    let paging = Paging::of(params, &mut problems);
    let posts = ids(params, "post", &mut problems);
    if posts.len() > 1 {
        problems.push((
            "post".to_owned(),
            "Gazette lists one post's comments at a time.".to_owned(),
        ));
    }
    if !problems.is_empty() {
        return Err(ApiError::invalid_params(problems));
    }
    let comments = state
        .store()
        .recent_public_comments(posts.first().copied().map(ArticleId), MOST)
        .await?;
    let site = load_site(&state).await?;
    let origin = asked.origin(&state).await;
    let total = comments.len() as u64;
    let headers = paging.headers(total, &format!("{origin}/wp-json/wp/v2/comments"), params)?;
    let page: Vec<&Comment> = paging.page(&comments).collect();
    // Only the shown comments' articles, for their links.
    let mut article_ids: Vec<ArticleId> = page.iter().map(|c| c.article).collect();
    article_ids.sort_unstable_by_key(|id| id.0);
    article_ids.dedup();
    let articles = state.store().articles_by_ids(&article_ids).await?;
    let body: Vec<Value> = page
        .into_iter()
        .map(|c| {
            let article = articles.iter().find(|a| a.id == c.article);
            comment_json(&site, &origin, c, article)
        })
        .collect();
    Ok((headers, Json(Value::Array(body))).into_response())
}

/// `GET /wp/v2/comments/{id}`.
pub(crate) async fn one_comment(
    State(state): State<AppState>,
    Path(id): Path<String>,
    request: Request,
) -> Result<Json<Value>, ApiError> {
    let asked = Asked::of(&state, &request);
    drop(request);
    let invalid = || {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "rest_comment_invalid_id",
            "Invalid comment ID.",
        )
    };
    let id = super::path_id(&id)?;
    let comment = state
        .store()
        .comment(CommentId(id))
        .await?
        .ok_or_else(invalid)?;
    let article = state.store().article(comment.article).await?;
    let readable = comment.status == CommentStatus::Approved
        && article
            .as_ref()
            .is_some_and(|a| a.status.is_public() && a.password.is_none());
    if !readable {
        return Err(ApiError::forbidden());
    }
    let site = load_site(&state).await?;
    let origin = asked.origin(&state).await;
    Ok(Json(comment_json(
        &site,
        &origin,
        &comment,
        article.as_ref(),
    )))
}

fn comment_json(
    site: &Site,
    origin: &str,
    comment: &Comment,
    article: Option<&gazette_core::Article>,
) -> Value {
    let id = comment.id.0;
    let link = article.map_or_else(String::new, |a| {
        format!("{origin}{}#comment-{id}", views::article_url(site, a))
    });
    json!({
        "id": id,
        "post": comment.article.0,
        "parent": comment.answered.or(comment.parent).map_or(0, |p| p.0),
        "author": comment.person.map_or(0, |p| p.0),
        "author_name": comment.author_name,
        "author_url": comment.author_url,
        "date": local(site, comment.created_at),
        "date_gmt": gmt(comment.created_at),
        "content": { "rendered": comment.body_html.as_str() },
        "link": link,
        "status": "approved",
        "type": match comment.kind {
            CommentKind::Comment => "comment",
            CommentKind::Pingback => "pingback",
            CommentKind::Trackback => "trackback",
        },
        "author_avatar_urls": {},
        "meta": [],
        "_links": {
            "self": [{ "href": format!("{origin}/wp-json/wp/v2/comments/{id}") }],
            "collection": [{ "href": format!("{origin}/wp-json/wp/v2/comments") }],
            "up": [{ "embeddable": true, "post_type": "post", "href": format!("{origin}/wp-json/wp/v2/posts/{}", comment.article.0) }],
        },
    })
}
