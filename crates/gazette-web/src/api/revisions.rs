//! `/wp/v2/posts/{id}/revisions`: the text each published save left, for those who may edit
//! the post, newest first, in WordPress's revision shape.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use gazette_core::desk::may_edit;
use gazette_core::{Article, ArticleId};
use gazette_store::{Revision, RevisionId};
use serde_json::{Value, json};

use super::values::{gmt, invalid_post_id, local, paragraph};
use super::write::person;
use super::{ApiError, Asked};
use crate::AppState;
use crate::kernel::pages::Snapshot;
use crate::kernel::site::Site;

/// `GET /wp/v2/posts/{id}/revisions`.
pub(crate) async fn list_revisions(
    State(state): State<AppState>,
    Snapshot(site): Snapshot,
    Path(id): Path<String>,
    asked: Asked,
) -> Result<Response, ApiError> {
    let article = readable_article(&state, &asked, &id).await?;
    let revisions = state.store().revisions(article.id).await?;
    let origin = asked.origin(&state).await;
    let body: Vec<Value> = revisions
        .iter()
        .map(|r| revision_json(&site, &origin, &article, r))
        .collect();
    let total = revisions.len().to_string();
    Ok((
        [("x-wp-total", total), ("x-wp-totalpages", "1".to_owned())],
        Json(Value::Array(body)),
    )
        .into_response())
}

/// `GET /wp/v2/posts/{id}/revisions/{revision}`.
pub(crate) async fn one_revision(
    State(state): State<AppState>,
    Snapshot(site): Snapshot,
    Path((id, revision)): Path<(String, String)>,
    asked: Asked,
) -> Result<Json<Value>, ApiError> {
    let article = readable_article(&state, &asked, &id).await?;
    let revision_id = RevisionId(super::path_id(&revision)?);
    let revision = state
        .store()
        .revision(revision_id)
        .await?
        .filter(|r| r.article == article.id)
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::NOT_FOUND,
                "rest_post_invalid_id",
                "Invalid revision ID.",
            )
        })?;
    let origin = asked.origin(&state).await;
    Ok(Json(revision_json(&site, &origin, &article, &revision)))
}

/// The article, when the authenticated person may edit it (revisions are drafts of history,
/// not for readers).
async fn readable_article(state: &AppState, asked: &Asked, id: &str) -> Result<Article, ApiError> {
    let id = ArticleId(super::path_id(id)?);
    let Some(person) = person(state, asked).await? else {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "rest_cannot_read",
            "Sorry, you are not allowed to view revisions of this post.",
        ));
    };
    let article = state
        .store()
        .article(id)
        .await?
        .ok_or_else(invalid_post_id)?;
    if !may_edit(&person, &article) {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "rest_cannot_read",
            "Sorry, you are not allowed to view revisions of this post.",
        ));
    }
    Ok(article)
}

fn revision_json(site: &Site, origin: &str, article: &Article, revision: &Revision) -> Value {
    // Always sanitised: a revision may have been saved by someone whose HTML was filtered,
    // whatever the article allows now.
    let html = gazette_render::render_body_as(
        revision.body_format,
        &revision.body_source,
        gazette_render::HtmlPolicy::Sanitised,
    );
    let excerpt = paragraph(&revision.standfirst);
    let id = revision.id.0;
    let parent = article.id.0;
    json!({
        "author": revision.saved_by.map_or(0, |p| p.0),
        "date": local(site, revision.saved_at),
        "date_gmt": gmt(revision.saved_at),
        "id": id,
        "modified": local(site, revision.saved_at),
        "modified_gmt": gmt(revision.saved_at),
        "parent": parent,
        "slug": format!("{parent}-revision-v1"),
        "guid": { "rendered": format!("{origin}/?p={id}") },
        "title": { "rendered": gazette_render::escape_html(&revision.headline) },
        "content": { "rendered": html.as_str() },
        "excerpt": { "rendered": excerpt },
        "_links": {
            "parent": [{ "href": format!("{origin}/wp-json/wp/v2/posts/{parent}") }],
        },
    })
}
