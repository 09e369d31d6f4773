//! `/preview/{id}`: an unpublished article as it will be published, for signed-in staff who
//! may edit it and for anyone holding one of its share links (which the back office makes,
//! lists and revokes). It is never cached, never indexed, and runs in a sandbox of its own
//! origin.

use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use gazette_core::desk::may_edit;
use gazette_core::session::SessionToken;
use gazette_core::{Article, ArticleId, Status};

use crate::kernel::query::Query;
use crate::kernel::staff::Staff;
use crate::{AppError, AppState};

/// The share link's token: `?share=…`.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub(crate) struct Share {
    share: Option<String>,
}

/// `GET /preview/{id}?share=…` or, signed in, `GET /preview/{id}`.
pub(crate) async fn show(
    State(state): State<AppState>,
    staff: Option<Staff>,
    Path(id): Path<i64>,
    Query(query): Query<Share>,
) -> Result<Response, AppError> {
    let article = state
        .store()
        .article(ArticleId(id))
        .await?
        .ok_or(AppError::NotFound)?;
    let by_staff = staff.is_some_and(|s| may_edit(&s.person, &article));
    if !by_staff && !share_link_valid(&state, &article, &query).await? {
        return Err(AppError::NotFound);
    }
    let now = state.store().clock().now();
    let site = state
        .site()
        .await
        .map_err(|e| AppError::Internal(Box::new(e)))?;
    let html = super::preview_page(&state, &site, &article, now).await?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            ),
            (header::CONTENT_SECURITY_POLICY, sandboxed(&site)),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, no-store"),
            ),
            (
                header::HeaderName::from_static("x-robots-tag"),
                HeaderValue::from_static("noindex"),
            ),
        ],
        html,
    )
        .into_response())
}

/// The public pages' policy, with the page put in a sandbox of its own origin: a preview shows
/// the body exactly as it will be published (an editor's trusted raw HTML included), and
/// whatever that runs cannot act with the signed-in reader's cookies on this site.
fn sandboxed(site: &crate::kernel::site::Site) -> HeaderValue {
    const SANDBOX: &str = "sandbox allow-scripts allow-popups allow-popups-to-escape-sandbox";
    let policy = site
        .content_security_policy
        .as_ref()
        .and_then(|p| p.to_str().ok())
        .map_or_else(|| SANDBOX.to_owned(), |p| format!("{p}; {SANDBOX}"));
    HeaderValue::from_str(&policy).unwrap_or(HeaderValue::from_static(SANDBOX))
}

/// Whether the query's `share` token is a link to this article that still works.
async fn share_link_valid(
    state: &AppState,
    article: &Article,
    query: &Share,
) -> Result<bool, AppError> {
    let Some(token) = query.share.as_deref().and_then(SessionToken::from_cookie) else {
        return Ok(false);
    };
    if article.status == Status::Trashed {
        return Ok(false);
    }
    let link = state.store().share_link_by_hash(&token.hash().0).await?;
    Ok(link.is_some_and(|link| link.article == article.id))
}
