//! Revisions of a published article: the list, a line diff between two, and restoring one.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use gazette_core::Article;
use gazette_core::diff::{Line, line_diff};
use gazette_newsroom::articles;
use gazette_store::{Revision, RevisionId};
use serde::Serialize;

use super::{CsrfForm, Staff, editable, forbidden, staff_page};
use crate::kernel::pages::Snapshot;
use crate::kernel::query::Query;
use crate::{AppError, AppState};

#[derive(Debug, Serialize)]
struct Row {
    url: String,
    /// This revision against the one saved after it.
    against_newer: Option<String>,
    restore: String,
    saved_at: String,
    saved_by: String,
    headline: String,
}

#[derive(Debug, Serialize)]
struct DiffLine {
    kind: &'static str,
    text: String,
}

async fn revision_of(
    state: &AppState,
    article: &Article,
    revision: i64,
) -> Result<Revision, AppError> {
    state
        .store()
        .revision(RevisionId(revision))
        .await?
        .filter(|r| r.article == article.id)
        .ok_or(AppError::NotFound)
}

/// `GET /admin/articles/{id}/revisions`.
pub(crate) async fn list(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let article = editable(&state, &staff, id).await?;
    let people = state.store().people().await?;
    let revisions = state.store().revisions(article.id).await?;
    let zone = super::times::newsroom_zone(&state).await?;
    let newer: Vec<Option<i64>> = std::iter::once(None)
        .chain(revisions.iter().map(|r| Some(r.id.0)))
        .collect();
    let rows: Vec<Row> = revisions
        .into_iter()
        .zip(newer)
        .map(|(r, newer)| Row {
            url: format!("/admin/articles/{id}/revisions/{}", r.id.0),
            against_newer: newer
                .map(|n| format!("/admin/articles/{id}/revisions/{}?against={n}", r.id.0)),
            restore: format!("/admin/articles/{id}/revisions/{}/restore", r.id.0),
            saved_at: super::times::to_second(&zone, r.saved_at),
            saved_by: r
                .saved_by
                .and_then(|p| people.iter().find(|x| x.id == p))
                .map_or_else(String::new, |p| p.display_name.clone()),
            headline: r.headline,
        })
        .collect();
    Ok(staff_page(
        &state,
        &staff,
        StatusCode::OK,
        "admin/revisions.html",
        minijinja::context! {
            article => minijinja::context! { headline => article.headline, url => format!("/admin/articles/{id}") },
            rows,
        },
    ))
}

/// The revision to compare with (`?against=ID`); the article as it is now without one.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub(crate) struct Against {
    against: Option<String>,
}

/// `GET /admin/articles/{id}/revisions/{revision}[?against={other}]`: the changes from this
/// revision to another one, or to the article as it is now.
pub(crate) async fn compare(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, revision)): Path<(i64, i64)>,
    Query(query): Query<Against>,
) -> Result<Response, AppError> {
    let article = editable(&state, &staff, id).await?;
    let older = revision_of(&state, &article, revision).await?;
    let (label, headline, body) = match query.against {
        Some(other) => {
            let other = other.parse().map_err(|_| {
                AppError::BadRequest("“against” must be a revision number.".to_owned())
            })?;
            let newer = revision_of(&state, &article, other).await?;
            let label = format!("revision {}", newer.id.0);
            (label, newer.headline, newer.body_source)
        }
        None => (
            "the current text".to_owned(),
            article.headline.clone(),
            article.body_source.clone(),
        ),
    };
    let lines: Vec<DiffLine> = line_diff(&older.body_source, &body)
        .into_iter()
        .map(|line| match line {
            Line::Same(text) => DiffLine {
                kind: "same",
                text: text.to_owned(),
            },
            Line::Removed(text) => DiffLine {
                kind: "removed",
                text: text.to_owned(),
            },
            Line::Added(text) => DiffLine {
                kind: "added",
                text: text.to_owned(),
            },
        })
        .collect();
    Ok(staff_page(
        &state,
        &staff,
        StatusCode::OK,
        "admin/revision.html",
        minijinja::context! {
            article => minijinja::context! { url => format!("/admin/articles/{id}") },
            revision => minijinja::context! {
                id => older.id.0,
                headline => older.headline,
                restore => format!("/admin/articles/{id}/revisions/{}/restore", older.id.0),
            },
            against => minijinja::context! { label, headline },
            lines,
        },
    ))
}

/// `POST /admin/articles/{id}/revisions/{revision}/restore`: the revision's text becomes the
/// article's again, as a new save (which keeps a revision of its own).
pub(crate) async fn restore(
    State(state): State<AppState>,
    Snapshot(site): Snapshot,
    staff: Staff,
    Path((id, revision)): Path<(i64, i64)>,
    _form: CsrfForm,
) -> Result<Response, AppError> {
    let article = editable(&state, &staff, id).await?;
    let old = revision_of(&state, &article, revision).await?;
    let address = |article: &Article| crate::kernel::views::article_url(&site, article);
    articles::restore_revision(state.store(), &address, &staff.person, old)
        .await
        .map_err(|error| match error {
            articles::SaveError::<AppError>::NotFound => AppError::NotFound,
            articles::SaveError::Forbidden | articles::SaveError::StatusNotAllowed => forbidden(),
            // Someone saved while the revision was being restored: theirs stays, and the
            // restorer sees it on the editor page.
            articles::SaveError::Stale(_) => AppError::Conflict {
                code: "article_busy",
                message: "The article kept changing while the revision was being restored; \
                          restore it again."
                    .to_owned(),
            },
            articles::SaveError::Refused(error) => error,
            articles::SaveError::Store(error) => error.into(),
        })?;
    Ok(
        crate::kernel::redirect::see_other(&format!("/admin/articles/{id}?saved=1"))
            .into_response(),
    )
}
