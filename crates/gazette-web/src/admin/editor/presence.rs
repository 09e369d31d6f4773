//! Editing together over HTTP (the rules are `gazette_newsroom::presence`): the editor page
//! says who else has the article open and whether it waits for them; `presence.js` sends a
//! heartbeat every few seconds (`POST …/presence`), offers the take-over (`POST
//! …/presence/take-over`, a plain form without JavaScript) and says when the page is closed
//! (`POST …/presence/leave`).

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use gazette_core::{ArticleId, Person};
use gazette_newsroom::presence::{self, Presence, Standing};
use jiff::tz::TimeZone;
use serde::Serialize;

use super::{CsrfForm, Staff, editable};
use crate::admin::{staff_name, times};
use crate::kernel::pages::Snapshot;
use crate::{AppError, AppState};

/// Another person's open page, as the editor shows it.
#[derive(Debug, Serialize)]
struct Other {
    name: String,
    /// When they opened it, in the publication's zone.
    since: String,
}

/// A page's standing, as the editor page and its heartbeat show it.
#[derive(Debug, Serialize)]
pub(super) struct StandingView {
    tab: String,
    others: Vec<Other>,
    waiting_for: Option<Other>,
    taken_over_by: Option<String>,
}

fn view(tab: String, standing: Standing, people: &[Person], zone: &TimeZone) -> StandingView {
    let other = |page: &Presence| Other {
        name: staff_name(people, Some(page.person)),
        since: times::time_of_day(zone, page.opened_at),
    };
    StandingView {
        tab,
        others: standing.others.iter().map(other).collect(),
        waiting_for: standing.waiting_for.as_ref().map(other),
        taken_over_by: standing
            .taken_over_by
            .map(|id| staff_name(people, Some(id))),
    }
}

/// A newly opened editor page of `article`: its tab, and where it stands.
pub(super) async fn opened(
    state: &AppState,
    staff: &Staff,
    article: ArticleId,
    people: &[Person],
    zone: &TimeZone,
) -> Result<StandingView, AppError> {
    let tab = presence::new_tab();
    let standing = presence::here(state.store(), article, &tab, staff.person.id).await?;
    Ok(view(tab, standing, people, zone))
}

fn tab_of(fields: &crate::kernel::forms::FormFields) -> Result<String, AppError> {
    let tab = fields.get("tab");
    if presence::is_tab(tab) {
        Ok(tab.to_owned())
    } else {
        Err(AppError::BadRequest(
            "The editor page's id is missing; reload the editor.".to_owned(),
        ))
    }
}

/// `POST /admin/articles/{id}/presence`: still open; answers with the page's standing.
pub(crate) async fn heartbeat(
    State(state): State<AppState>,
    Snapshot(site): Snapshot,
    staff: Staff,
    Path(id): Path<i64>,
    CsrfForm(fields): CsrfForm,
) -> Result<Response, AppError> {
    let article = editable(&state, &staff, id).await?;
    let tab = tab_of(&fields)?;
    let standing = presence::here(state.store(), article.id, &tab, staff.person.id).await?;
    let people = state.store().people().await?;
    let zone = site.publication.time_zone.zone();
    Ok(axum::Json(view(tab, standing, &people, &zone)).into_response())
}

/// `POST /admin/articles/{id}/presence/take-over`: this person edits the article from now on;
/// the others' pages learn it on their next heartbeat.
pub(crate) async fn take_over(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    headers: HeaderMap,
    CsrfForm(fields): CsrfForm,
) -> Result<Response, AppError> {
    let article = editable(&state, &staff, id).await?;
    let taken = presence::take_over(state.store(), article.id, staff.person.id).await?;
    // The page that asked is replaced by the editor opened again (with a tab of its own).
    if let Ok(tab) = tab_of(&fields) {
        presence::leave(state.store(), article.id, &tab).await?;
    }
    if crate::admin::wants_json(&headers) {
        return Ok(axum::Json(serde_json::json!({ "taken_over": taken })).into_response());
    }
    Ok(
        crate::kernel::redirect::see_other(&format!("/admin/articles/{id}?took_over=1"))
            .into_response(),
    )
}

/// `POST /admin/articles/{id}/presence/leave`: the page was closed.
pub(crate) async fn leave(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    CsrfForm(fields): CsrfForm,
) -> Result<Response, AppError> {
    let article = editable(&state, &staff, id).await?;
    let tab = tab_of(&fields)?;
    presence::leave(state.store(), article.id, &tab).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
