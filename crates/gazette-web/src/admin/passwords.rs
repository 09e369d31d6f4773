//! Passwords in the back office: a person's own account page (changing their password, and
//! what else that ends), and an administrator setting someone else's. The newsroom
//! (`gazette_newsroom::accounts::passwords`) does each change in one unit of work.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use gazette_core::password::NewPassword;
use gazette_core::{Capability, Person};
use gazette_newsroom::accounts::passwords;

use super::{CsrfForm, Staff, staff_page};
use crate::kernel::query::{Done, Query};
use crate::{AppError, AppState};

/// `GET /admin/account`: the signed-in person's own account: changing their password.
pub(crate) async fn account(
    State(state): State<AppState>,
    staff: Staff,
    Query(query): Query<Done>,
) -> Result<Response, AppError> {
    let notice = query
        .done
        .as_deref()
        .and_then(changed_notice)
        .map(str::to_owned);
    account_page(&state, &staff, StatusCode::OK, notice, None).await
}

/// What a password change ended, as the key its redirect names (`?done=`), and back.
const CHANGED: [(&str, bool, bool, &str); 4] = [
    (
        "changed",
        false,
        false,
        "Your password is changed. Your other sessions stay signed in and your application \
         passwords stay valid.",
    ),
    (
        "changed-signed-out",
        true,
        false,
        "Your password is changed and your other sessions are signed out. Your application \
         passwords stay valid.",
    ),
    (
        "changed-revoked",
        false,
        true,
        "Your password is changed and your application passwords are revoked. Your other \
         sessions stay signed in.",
    ),
    (
        "changed-signed-out-revoked",
        true,
        true,
        "Your password is changed, your other sessions are signed out and your application \
         passwords are revoked.",
    ),
];

fn changed_notice(key: &str) -> Option<&'static str> {
    CHANGED.iter().find(|c| c.0 == key).map(|c| c.3)
}

fn changed_key(signed_out: bool, revoked: bool) -> &'static str {
    CHANGED
        .iter()
        .find(|c| c.1 == signed_out && c.2 == revoked)
        .map_or("changed", |c| c.0)
}

/// The account page, with what else signs in as this person: their other sessions and their
/// application passwords, which a password change may end or leave valid.
async fn account_page(
    state: &AppState,
    staff: &Staff,
    status: StatusCode,
    notice: Option<String>,
    error: Option<String>,
) -> Result<Response, AppError> {
    let person = staff.person.id;
    let other_sessions = state.store().session_count(person).await?.saturating_sub(1);
    let app_passwords: Vec<String> = state
        .store()
        .app_passwords(person)
        .await?
        .into_iter()
        .map(|p| p.name)
        .collect();
    Ok(staff_page(
        state,
        staff,
        status,
        "admin/account.html",
        minijinja::context! {
            notice,
            error,
            other_sessions,
            app_passwords,
        },
    ))
}

/// `POST /admin/account/password`: with the current password, a new one. The person chooses
/// whether their other sessions end and their application passwords are revoked; the page
/// then says what was ended and what stays valid.
pub(crate) async fn change_password(
    State(state): State<AppState>,
    staff: Staff,
    CsrfForm(form): CsrfForm,
) -> Result<Response, AppError> {
    let field = |name: &str| form.get(name);
    let refuse = |message: String| {
        account_page(
            &state,
            &staff,
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            Some(message),
        )
    };
    let current_ok = match staff.person.password_hash.clone() {
        Some(hash) => {
            let (hasher, candidate) = (state.hasher().clone(), field("current").to_owned());
            tokio::task::spawn_blocking(move || hasher.verify(&hash, &candidate))
                .await
                .map_err(|e| AppError::Internal(Box::new(e)))?
        }
        None => false,
    };
    if !current_ok {
        return refuse("Your current password is not right.".to_owned()).await;
    }
    let hash = match new_password_hash(&state, field("password"), field("confirm"))? {
        Ok(hash) => hash,
        Err(problem) => return refuse(problem).await,
    };
    let (sign_out_others, revoke_apps) = (
        !field("end_sessions").is_empty(),
        !field("revoke_app_passwords").is_empty(),
    );
    let also_end = passwords::AlsoEnd {
        other_sessions: sign_out_others,
        app_passwords: revoke_apps,
    };
    passwords::change_own(
        state.store(),
        staff.person.id,
        staff.token.hash(),
        hash,
        also_end,
    )
    .await?;
    Ok(crate::kernel::redirect::see_other(&format!(
        "/admin/account?done={}",
        changed_key(sign_out_others, revoke_apps)
    )))
}

/// `GET /admin/people/{id}/password`: an administrator sets someone's password.
pub(crate) async fn person_password_form(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let person = managed_person(&state, &staff, id).await?;
    person_password_page(&state, &staff, &person, StatusCode::OK, None, None).await
}

/// `POST /admin/people/{id}/password`: sets the password and, in the same unit of work,
/// ends every session and revokes every application password of that person: whoever had
/// the old password, or anything signed in with it, is out.
pub(crate) async fn set_person_password(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm,
) -> Result<Response, AppError> {
    let field = |name: &str| form.get(name);
    let person = managed_person(&state, &staff, id).await?;
    let refuse = |message: String| {
        person_password_page(
            &state,
            &staff,
            &person,
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            Some(message),
        )
    };
    let hash = match new_password_hash(&state, field("password"), field("confirm"))? {
        Ok(hash) => hash,
        Err(problem) => return refuse(problem).await,
    };
    let target = person.id;
    let (ended, revoked) = passwords::set_for(state.store(), target, hash).await?;
    tracing::info!(
        by = staff.person.id.0,
        person = target.0,
        ended,
        revoked,
        "password set by an administrator"
    );
    let notice = format!(
        "{}'s password is set: {ended} session(s) ended and {revoked} application password(s) revoked.",
        person.display_name
    );
    person_password_page(&state, &staff, &person, StatusCode::OK, Some(notice), None).await
}

/// The hash of a new password typed twice, or what is wrong with it (to show in the form).
fn new_password_hash(
    state: &AppState,
    password: &str,
    confirm: &str,
) -> Result<Result<gazette_core::password::PasswordHash, String>, AppError> {
    if password != confirm {
        return Ok(Err(
            "The two new passwords differ; type the same one twice.".to_owned(),
        ));
    }
    let password = match NewPassword::parse(password) {
        Ok(password) => password,
        Err(error) => return Ok(Err(format!("{error}."))),
    };
    let hash = state
        .hasher()
        .hash(&password)
        .map_err(|e| AppError::Internal(Box::new(e)))?;
    Ok(Ok(hash))
}

/// The person an administrator manages; not themselves (their own page asks for the current
/// password).
async fn managed_person(state: &AppState, staff: &Staff, id: i64) -> Result<Person, AppError> {
    staff.require(
        Capability::ManagePeople,
        "Only administrators manage people.",
    )?;
    let person = state
        .store()
        .person(gazette_core::PersonId(id))
        .await?
        .ok_or(AppError::NotFound)?;
    if person.id == staff.person.id {
        return Err(AppError::BadRequest(
            "Change your own password on your account page, with your current one.".to_owned(),
        ));
    }
    Ok(person)
}

async fn person_password_page(
    state: &AppState,
    staff: &Staff,
    person: &Person,
    status: StatusCode,
    notice: Option<String>,
    error: Option<String>,
) -> Result<Response, AppError> {
    let sessions = state.store().session_count(person.id).await?;
    let app_passwords = state.store().app_passwords(person.id).await?.len();
    Ok(staff_page(
        state,
        staff,
        status,
        "admin/person_password.html",
        minijinja::context! {
            person => minijinja::context! { id => person.id.0, name => person.display_name, email => person.email.as_str() },
            sessions,
            app_passwords,
            notice,
            error,
        },
    ))
}
