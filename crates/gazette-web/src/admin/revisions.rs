//! Revisions of a published article: the list, a line diff between two, and restoring one.

use std::collections::HashMap;

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use gazette_core::Article;
use gazette_core::desk::may_edit;
use gazette_core::diff::{Line, line_diff};
use gazette_store::{Revision, RevisionId, StoreError};
use serde::Serialize;

use super::{Staff, editable, forbidden, staff_page};
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
            saved_at: r.saved_at.strftime("%Y-%m-%d %H:%M:%S UTC").to_string(),
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

/// `GET /admin/articles/{id}/revisions/{revision}[?against={other}]`: the changes from this
/// revision to another one, or to the article as it is now.
pub(crate) async fn compare(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, revision)): Path<(i64, i64)>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let article = editable(&state, &staff, id).await?;
    let older = revision_of(&state, &article, revision).await?;
    let (label, headline, body) = match query.get("against") {
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
    staff: Staff,
    Path((id, revision)): Path<(i64, i64)>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, AppError> {
    staff.check_csrf(form.get("csrf").map_or("", String::as_str))?;
    let article = editable(&state, &staff, id).await?;
    let old = revision_of(&state, &article, revision).await?;
    let person = staff.person.id;
    let person_record = staff.person.clone();
    let restored = state
        .store()
        .write(|tx| {
            Box::pin(async move {
                tx.lock_article(article.id).await?;
                let Some(mut current) = tx.article(article.id).await? else {
                    return Err(StoreError::NotFound { what: "article" });
                };
                // Checked again on the locked row: it may have been published meanwhile.
                if !may_edit(&person_record, &current) {
                    return Ok(false);
                }
                current.headline = old.headline;
                current.standfirst = old.standfirst;
                current.body_format = old.body_format;
                // The revision's own trust, not the restorer's: restoring a contributor's text
                // does not make it an editor's.
                let trusted = gazette_core::desk::raw_html_trusted(
                    &person_record,
                    Some(old.unfiltered_html),
                    None,
                );
                current.body_html = gazette_render::render_body_as(
                    old.body_format,
                    &old.body_source,
                    gazette_render::HtmlPolicy::for_trust(trusted),
                );
                current.unfiltered_html = trusted;
                current.body_source = old.body_source;
                current.render_version = gazette_render::RENDER_VERSION;
                let saved = tx.update_article(&current).await?;
                tx.insert_revision(&saved, Some(person)).await?;
                Ok(true)
            })
        })
        .await?;
    if !restored {
        return Err(forbidden());
    }
    Ok(
        crate::kernel::redirect::see_other(&format!("/admin/articles/{id}?saved=1"))
            .into_response(),
    )
}
