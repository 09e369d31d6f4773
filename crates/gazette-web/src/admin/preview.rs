//! Previews of unpublished articles: for signed-in staff who may edit the article, and for
//! anyone holding a share link, which is signed with the server secret and expires.

use std::collections::HashMap;

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use gazette_core::desk::may_edit;
use gazette_core::{Article, ArticleId};
use jiff::{SignedDuration, Timestamp};

use super::{Staff, keyed_hash, staff_page};
use crate::{AppError, AppState};

/// How long a share link works.
const SHARE_FOR: SignedDuration = SignedDuration::from_hours(7 * 24);

/// `GET /preview/{id}?expires=…&token=…` or, signed in, `GET /preview/{id}`.
pub(crate) async fn show(
    State(state): State<AppState>,
    staff: Option<Staff>,
    Path(id): Path<i64>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let article = state
        .store()
        .article(ArticleId(id))
        .await?
        .ok_or(AppError::NotFound)?;
    let by_staff = staff.is_some_and(|s| may_edit(&s.person, &article));
    let now = state.store().clock().now();
    if !by_staff && !share_link_valid(&state, &article, &query, now).await? {
        return Err(AppError::NotFound);
    }
    let site = state
        .site()
        .await
        .map_err(|e| AppError::Internal(Box::new(e)))?;
    let html = crate::public::preview_page(&state, &site, &article, now).await?;
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
fn sandboxed(site: &crate::site::Site) -> HeaderValue {
    const SANDBOX: &str = "sandbox allow-scripts allow-popups allow-popups-to-escape-sandbox";
    let policy = site
        .content_security_policy
        .as_ref()
        .and_then(|p| p.to_str().ok())
        .map_or_else(|| SANDBOX.to_owned(), |p| format!("{p}; {SANDBOX}"));
    HeaderValue::from_str(&policy).unwrap_or(HeaderValue::from_static(SANDBOX))
}

async fn share_link_valid(
    state: &AppState,
    article: &Article,
    query: &HashMap<String, String>,
    now: Timestamp,
) -> Result<bool, AppError> {
    let (Some(expires), Some(token)) = (query.get("expires"), query.get("token")) else {
        return Ok(false);
    };
    let Ok(expires_at) = expires.parse::<i64>() else {
        return Ok(false);
    };
    if now.as_second() >= expires_at {
        return Ok(false);
    }
    let secret = super::server_secret(state).await?;
    let expected = keyed_hash(&secret, &format!("preview:{}:{expires_at}", article.id));
    Ok(crate::public::same_secret(token, &expected))
}

/// `POST /admin/articles/{id}/share`: makes a share link and shows it.
pub(crate) async fn share(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, AppError> {
    staff.check_csrf(form.get("csrf").map_or("", String::as_str))?;
    let article = super::editable(&state, &staff, id).await?;
    let expires_at = (state.store().clock().now() + SHARE_FOR).as_second();
    let secret = super::server_secret(&state).await?;
    let token = keyed_hash(&secret, &format!("preview:{id}:{expires_at}"));
    let link = format!("/preview/{id}?expires={expires_at}&token={token}");
    Ok(staff_page(
        &state,
        &staff,
        StatusCode::OK,
        "admin/share.html",
        minijinja::context! {
            article => minijinja::context! { headline => article.headline, url => format!("/admin/articles/{id}") },
            link,
            days => SHARE_FOR.as_hours() / 24,
        },
    ))
}
