//! `/admin/account/app-passwords`: each person's application passwords for the REST API.
//! A new one is shown once, on the page that made it; afterwards only its name and when it
//! was made and last used are known, and it can be revoked.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use minijinja::context;

use super::{CsrfForm, Staff, staff_page};
use crate::kernel::query::Query;
use crate::{AppError, AppState};

/// The longest name a password may have.
const MAX_NAME_CHARS: usize = 100;

/// `GET /admin/account/app-passwords`.
pub(crate) async fn list(
    State(state): State<AppState>,
    staff: Staff,
    Query(query): Query<Revoked>,
) -> Result<Response, AppError> {
    let notice = query
        .revoked
        .is_some()
        .then_some("Revoked. Apps using that password are refused from now on.");
    page(&state, &staff, StatusCode::OK, Shown::default(), notice).await
}

/// The list's address after a password was revoked: `?revoked`.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub(crate) struct Revoked {
    revoked: Option<String>,
}

/// What the page shows besides the list.
#[derive(Debug, Default)]
struct Shown {
    /// A password just made: its name and its secret, shown this once.
    created: Option<(String, String)>,
    /// What was wrong with the form, and the name as typed.
    problem: Option<(String, String)>,
}

async fn page(
    state: &AppState,
    staff: &Staff,
    status: StatusCode,
    shown: Shown,
    notice: Option<&str>,
) -> Result<Response, AppError> {
    let zone = super::times::newsroom_zone(state).await?;
    let when = |at: jiff::Timestamp| {
        at.to_zoned(zone.clone())
            .strftime("%-d %B %Y, %H:%M %Z")
            .to_string()
    };
    let rows: Vec<minijinja::Value> = state
        .store()
        .app_passwords(staff.person.id)
        .await?
        .into_iter()
        .map(|p| {
            context! {
                id => p.id,
                name => p.name,
                created => when(p.created_at),
                last_used => p.last_used_at.map(when),
            }
        })
        .collect();
    let (created_name, secret) = shown.created.unzip();
    let (problem, typed) = shown.problem.unzip();
    Ok(staff_page(
        state,
        staff,
        status,
        "admin/app_passwords.html",
        context! { rows, created_name, secret, problem, typed, notice },
    ))
}

/// `POST /admin/account/app-passwords`: a new password named by the form.
pub(crate) async fn create(
    State(state): State<AppState>,
    staff: Staff,
    CsrfForm(fields): CsrfForm,
) -> Result<Response, AppError> {
    let name = fields.get("name").trim().to_owned();
    let problem = if name.is_empty() {
        Some("Name the password after the app that will use it.")
    } else if name.chars().count() > MAX_NAME_CHARS {
        Some("The name is longer than 100 characters; shorten it.")
    } else if name.chars().any(char::is_control) {
        Some("The name holds control characters; type it again.")
    } else {
        None
    };
    if let Some(problem) = problem {
        let shown = Shown {
            problem: Some((problem.to_owned(), name)),
            ..Shown::default()
        };
        return page(
            &state,
            &staff,
            StatusCode::UNPROCESSABLE_ENTITY,
            shown,
            None,
        )
        .await;
    }
    let (record, secret) =
        gazette_newsroom::app_passwords::create(state.store(), staff.person.id, &name).await?;
    let shown = Shown {
        created: Some((record.name, secret)),
        ..Shown::default()
    };
    page(&state, &staff, StatusCode::OK, shown, None).await
}

/// `POST /admin/account/app-passwords/{id}/revoke`: one of the person's own.
pub(crate) async fn revoke(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    _form: CsrfForm,
) -> Result<Response, AppError> {
    let revoked =
        gazette_newsroom::app_passwords::revoke(state.store(), staff.person.id, id).await?;
    if !revoked {
        return Err(AppError::NotFound);
    }
    Ok(crate::kernel::redirect::see_other("/admin/account/app-passwords?revoked").into_response())
}
