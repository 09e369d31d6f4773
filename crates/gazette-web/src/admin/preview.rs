//! Share links for previews of unpublished articles (the preview itself is the public surface's
//! `/preview/{id}`). Share links are random tokens recorded per article (only their hash is
//! kept): each expires, is listed on the article's share page and can be revoked there, and
//! none works while the article is in the trash.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use gazette_core::{Article, Status};
use jiff::SignedDuration;

use gazette_newsroom::share_links;

use super::{CsrfForm, Staff, staff_page};
use crate::kernel::query::{Done, Query};
use crate::{AppError, AppState};

/// How long a share link works.
const SHARE_FOR: SignedDuration = SignedDuration::from_hours(7 * 24);

/// `GET /admin/articles/{id}/share`: the article's share links that still work.
pub(crate) async fn links(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Query(query): Query<Done>,
) -> Result<Response, AppError> {
    let article = super::editable(&state, &staff, id).await?;
    let notice = match query.done.as_deref() {
        Some("revoked") => Some("The link was revoked: it no longer opens the preview."),
        _ => None,
    };
    share_page(&state, &staff, &article, None, notice).await
}

/// `POST /admin/articles/{id}/share`: makes a share link and shows it, once.
pub(crate) async fn share(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    CsrfForm(_form): CsrfForm,
) -> Result<Response, AppError> {
    let article = super::editable(&state, &staff, id).await?;
    if article.status == Status::Trashed {
        return Err(AppError::BadRequest(
            "A trashed article cannot be shared; restore it first.".to_owned(),
        ));
    }
    let token = share_links::create(state.store(), article.id, staff.person.id, SHARE_FOR).await?;
    let link = format!("/preview/{id}?share={}", token.expose());
    share_page(&state, &staff, &article, Some(link), None).await
}

/// `POST /admin/articles/{id}/share/{link}/revoke`.
pub(crate) async fn revoke(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, link)): Path<(i64, i64)>,
    CsrfForm(_form): CsrfForm,
) -> Result<Response, AppError> {
    let article = super::editable(&state, &staff, id).await?;
    let revoked = share_links::revoke(state.store(), article.id, link).await?;
    if !revoked {
        return Err(AppError::NotFound);
    }
    Ok(crate::kernel::redirect::see_other(&format!(
        "/admin/articles/{id}/share?done=revoked"
    )))
}

/// The share page: a link just made (shown once: only its hash is kept) and every link that
/// still works, each with who made it, when it ends and a button to revoke it.
async fn share_page(
    state: &AppState,
    staff: &Staff,
    article: &Article,
    new_link: Option<String>,
    notice: Option<&str>,
) -> Result<Response, AppError> {
    let people = state.store().people().await?;
    let zone = super::times::newsroom_zone(state).await?;
    let name_of = |person: Option<gazette_core::PersonId>| {
        person
            .and_then(|id| people.iter().find(|p| p.id == id))
            .map_or_else(
                || "a former colleague".to_owned(),
                |p| p.display_name.clone(),
            )
    };
    let links: Vec<minijinja::Value> = state
        .store()
        .share_links(article.id)
        .await?
        .into_iter()
        .map(|link| {
            minijinja::context! {
                id => link.id,
                by => name_of(link.created_by),
                made => super::times::to_minute(&zone, link.created_at),
                ends => super::times::to_minute(&zone, link.expires_at),
            }
        })
        .collect();
    let id = article.id;
    Ok(staff_page(
        state,
        staff,
        StatusCode::OK,
        "admin/share.html",
        minijinja::context! {
            article => minijinja::context! {
                headline => article.headline,
                url => format!("/admin/articles/{id}"),
                share => format!("/admin/articles/{id}/share"),
                trashed => article.status == Status::Trashed,
            },
            link => new_link,
            links,
            notice,
            days => SHARE_FOR.as_hours() / 24,
        },
    ))
}
