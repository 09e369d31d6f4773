//! The newsroom's own records under the editor: editorial notes (`gazette_newsroom::notes`
//! keeps the rules), their list and `POST /admin/articles/{id}/notes` to add one; and the
//! day an unpublished article is planned for, `POST /admin/articles/{id}/plan` (from the
//! editor, or from the calendar when the form names its view).

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use gazette_core::{ArticleId, Person};
use gazette_newsroom::notes::{self, NoteError};
use jiff::tz::TimeZone;
use serde::Serialize;

use super::{CsrfForm, Staff};
use crate::admin::times;
use crate::kernel::pages::Snapshot;
use crate::{AppError, AppState};

/// A note as the editor lists it.
#[derive(Debug, Serialize)]
pub(super) struct NoteView {
    author: String,
    when: String,
    body: String,
}

/// An article's notes, oldest first.
pub(super) async fn list(
    state: &AppState,
    article: ArticleId,
    people: &[Person],
    zone: &TimeZone,
) -> Result<Vec<NoteView>, AppError> {
    let notes = state.store().article_notes(article).await?;
    Ok(notes
        .into_iter()
        .map(|note| NoteView {
            author: crate::admin::staff_name(people, note.author),
            when: times::to_minute(zone, note.created_at),
            body: note.body,
        })
        .collect())
}

/// `POST /admin/articles/{id}/notes`.
pub(crate) async fn add(
    State(state): State<AppState>,
    Snapshot(site): Snapshot,
    staff: Staff,
    Path(id): Path<i64>,
    CsrfForm(fields): CsrfForm,
) -> Result<Response, AppError> {
    let added = notes::add(
        state.store(),
        &site.publication,
        &staff.person,
        ArticleId(id),
        fields.get("note"),
    )
    .await;
    match added {
        Ok(added) => {
            let unknown = if added.unknown.is_empty() {
                String::new()
            } else {
                format!(
                    "&unknown={}",
                    crate::admin::url_encode(&added.unknown.join(" "))
                )
            };
            Ok(crate::kernel::redirect::see_other(&format!(
                "/admin/articles/{id}?noted={}{unknown}#notes",
                added.mentioned.len()
            ))
            .into_response())
        }
        Err(NoteError::NotFound) => Err(AppError::NotFound),
        Err(NoteError::Forbidden) => Err(crate::admin::forbidden()),
        Err(NoteError::Invalid(message)) => Err(AppError::BadRequest(message)),
        Err(NoteError::Store(error)) => Err(error.into()),
    }
}

/// `POST /admin/articles/{id}/plan`: `planned_on` (`YYYY-MM-DD`, empty to forget the plan).
pub(crate) async fn plan(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    CsrfForm(fields): CsrfForm,
) -> Result<Response, AppError> {
    use gazette_newsroom::plans::{self, PlanError};
    let day = match fields.get("planned_on").trim() {
        "" => None,
        text => Some(text.parse::<jiff::civil::Date>().map_err(|_| {
            AppError::BadRequest(format!("“{text}” is not a day: give it as YYYY-MM-DD."))
        })?),
    };
    match plans::plan(state.store(), &staff.person, ArticleId(id), day).await {
        Ok(()) => {}
        Err(PlanError::NotFound) => return Err(AppError::NotFound),
        Err(PlanError::Forbidden) => return Err(crate::admin::forbidden()),
        Err(PlanError::NotPlannable) => {
            return Err(AppError::BadRequest(
                "A scheduled or published article has its own time; plan drafts and articles \
                 waiting for review."
                    .to_owned(),
            ));
        }
        Err(PlanError::Store(error)) => return Err(error.into()),
    }
    let back = match (fields.get("view"), day) {
        (view @ ("week" | "month"), Some(day)) => {
            format!("/admin/calendar?view={view}&from={day}&done=planned")
        }
        _ => format!("/admin/articles/{id}?planned=1#plan"),
    };
    Ok(crate::kernel::redirect::see_other(&back).into_response())
}
