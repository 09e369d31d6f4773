//! Accounts by email: "forgot my password" links, invitations for new staff, and the page
//! where either link lets a person choose a password.
//!
//! Links are one-time tokens (only their hash is stored) sent by the `send_email` job. They
//! are built from the publication's `base_url`, never from the request's `Host` header, which
//! an attacker could set to have a victim's reset link point at their own server.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use gazette_core::password::NewPassword;
use gazette_core::session::SessionToken;
use gazette_core::{Capability, Email, Person, Role, Slug};
use gazette_newsroom::accounts::{self, links, passwords};
use gazette_store::{NewPerson, StoreError, TokenPurpose};

use super::sign_in::{form_cookie, random_token, set_cookie};
use super::{CsrfForm, GuestForm, Staff, page, staff_page};
use crate::kernel::site::Site;
use crate::{AppError, AppState};

const SENT: &str = "If an account has that address, we have sent it a link to choose a new \
    password. It works for an hour.";

/// Why links cannot be mailed from this site, if they cannot.
pub(super) fn mail_unavailable(state: &AppState, site: &Site) -> Option<&'static str> {
    if !state.mail_enabled() {
        Some("This site cannot send email: no SMTP server is configured (setting smtp).")
    } else if site.publication.base_url.is_none() {
        Some("This site cannot send links: its address (the publication's base_url) is not set.")
    } else {
        None
    }
}

pub(super) async fn site(state: &AppState) -> Result<std::sync::Arc<Site>, AppError> {
    state
        .site()
        .await
        .map_err(|e| AppError::Internal(Box::new(e)))
}

pub(super) fn with_form_token(
    state: &AppState,
    status: StatusCode,
    template: &str,
    context: minijinja::Value,
) -> Response {
    let token = random_token();
    let mut response = page(
        state,
        status,
        template,
        minijinja::context! { csrf => token, ..context },
    );
    set_cookie(&mut response, &form_cookie(&token));
    response
}

/// `GET /admin/forgot`.
pub(crate) async fn forgot_form(State(state): State<AppState>) -> Response {
    with_form_token(
        &state,
        StatusCode::OK,
        "admin/forgot.html",
        minijinja::context! {},
    )
}

/// `POST /admin/forgot`: the same answer whether or not the account exists.
pub(crate) async fn forgot(
    State(state): State<AppState>,
    form: GuestForm,
) -> Result<Response, AppError> {
    let GuestForm::Fresh(form) = form else {
        let message = "The form expired. Please try again.";
        return Ok(with_form_token(
            &state,
            StatusCode::FORBIDDEN,
            "admin/forgot.html",
            minijinja::context! { error => message },
        ));
    };
    let field = |name: &str| form.get(name);
    let site = site(&state).await?;
    if let Some(reason) = mail_unavailable(&state, &site) {
        let message =
            format!("{reason} Ask an administrator to run `gazette user reset-password`.");
        return Ok(with_form_token(
            &state,
            StatusCode::SERVICE_UNAVAILABLE,
            "admin/forgot.html",
            minijinja::context! { error => message },
        ));
    }
    // The lookup and the link happen after the answer, so its timing cannot tell whether
    // the account exists.
    if let Ok(email) = Email::parse(field("email").trim()) {
        let work = state.clone();
        state.after_answer().spawn(async move {
            let state = work;
            let sent = async {
                let person = state.store().person_by_email(&email).await?;
                match person.filter(|p| p.active) {
                    Some(person) => {
                        send_link(&state, &site, &person, TokenPurpose::Reset, None).await
                    }
                    None => Ok(()),
                }
            };
            if let Err(error) = sent.await {
                tracing::error!(%error, "could not send a password reset link");
            }
        });
    }
    Ok(with_form_token(
        &state,
        StatusCode::OK,
        "admin/forgot.html",
        minijinja::context! { notice => SENT },
    ))
}

/// Makes a one-time link for `person` and mails it (see `gazette_newsroom::accounts::links`).
pub(super) async fn send_link(
    state: &AppState,
    site: &Site,
    person: &Person,
    purpose: TokenPurpose,
    inviter: Option<&str>,
) -> Result<(), AppError> {
    let base =
        site.publication.base_url.as_ref().ok_or_else(|| {
            AppError::BadRequest("The publication's base_url is not set.".to_owned())
        })?;
    let from = links::Sender {
        base_url: base.as_str(),
        journal: &site.publication.name,
    };
    links::send(state.store(), from, person, purpose, inviter).await?;
    Ok(())
}

/// `GET /admin/password/{token}`: the form to choose a password, if the link is still good.
pub(crate) async fn password_form(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let purpose = usable(&state, &token).await?.ok_or_else(expired)?;
    Ok(with_form_token(
        &state,
        StatusCode::OK,
        "admin/password.html",
        minijinja::context! { welcome => purpose == TokenPurpose::Invite },
    ))
}

/// Which purpose a token in a link is valid for, if any.
async fn usable(state: &AppState, token: &str) -> Result<Option<TokenPurpose>, AppError> {
    let Some(token) = SessionToken::from_cookie(token) else {
        return Ok(None);
    };
    for purpose in [TokenPurpose::Reset, TokenPurpose::Invite] {
        if state
            .store()
            .one_time_token_person(&token.hash(), purpose)
            .await?
            .is_some()
        {
            return Ok(Some(purpose));
        }
    }
    Ok(None)
}

pub(super) fn expired() -> AppError {
    AppError::Gone
}

/// `POST /admin/password/{token}`: sets the password, uses up the link and signs the account
/// out everywhere (whoever knew the old password is out too).
pub(crate) async fn set_password(
    State(state): State<AppState>,
    Path(token): Path<String>,
    form: GuestForm,
) -> Result<Response, AppError> {
    let purpose = usable(&state, &token).await?.ok_or_else(expired)?;
    let welcome = purpose == TokenPurpose::Invite;
    let again = |status, message: String| {
        with_form_token(
            &state,
            status,
            "admin/password.html",
            minijinja::context! { welcome, error => message },
        )
    };
    let GuestForm::Fresh(form) = form else {
        return Ok(again(
            StatusCode::FORBIDDEN,
            "The form expired. Please try again.".to_owned(),
        ));
    };
    let field = |name: &str| form.get(name);
    if field("password") != field("confirm") {
        return Ok(again(
            StatusCode::UNPROCESSABLE_ENTITY,
            "The two passwords differ; type the same one twice.".to_owned(),
        ));
    }
    let password = match NewPassword::parse(field("password")) {
        Ok(password) => password,
        Err(error) => return Ok(again(StatusCode::UNPROCESSABLE_ENTITY, format!("{error}."))),
    };
    let hash = state
        .hasher()
        .hash(&password)
        .map_err(|e| AppError::Internal(Box::new(e)))?;
    let token = SessionToken::from_cookie(&token).ok_or_else(expired)?;
    let secret = super::server_secret(&state).await?;
    passwords::set_from_link(state.store(), &secret, token.hash(), purpose, hash)
        .await?
        .ok_or_else(expired)?;
    Ok(crate::kernel::redirect::see_other("/admin/sign-in").into_response())
}

/// `GET /admin/people`: the staff, and the invitation form.
pub(crate) async fn people(
    State(state): State<AppState>,
    staff: Staff,
) -> Result<Response, AppError> {
    people_page(&state, &staff, StatusCode::OK, None, None).await
}

async fn people_page(
    state: &AppState,
    staff: &Staff,
    status: StatusCode,
    notice: Option<String>,
    error: Option<String>,
) -> Result<Response, AppError> {
    staff.require(
        Capability::ManagePeople,
        "Only administrators manage people.",
    )?;
    let rows: Vec<minijinja::Value> = state
        .store()
        .people()
        .await?
        .into_iter()
        .map(|p| {
            minijinja::context! {
                id => p.id.0, name => p.display_name, email => p.email.as_str(), role => p.role.as_str(),
                invited => p.password_hash.is_none(),
                is_me => p.id == staff.person.id,
            }
        })
        .collect();
    Ok(staff_page(
        state,
        staff,
        status,
        "admin/people.html",
        minijinja::context! {
            rows,
            notice,
            error,
        },
    ))
}

/// `POST /admin/people/invite`: a new account without a password, and an email with the link
/// to choose one.
pub(crate) async fn invite(
    State(state): State<AppState>,
    staff: Staff,
    CsrfForm(form): CsrfForm,
) -> Result<Response, AppError> {
    let field = |name: &str| form.get(name).trim();
    staff.require(
        Capability::ManagePeople,
        "Only administrators manage people.",
    )?;
    let refuse = |message: String| {
        people_page(
            &state,
            &staff,
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            Some(message),
        )
    };
    let site = site(&state).await?;
    if let Some(reason) = mail_unavailable(&state, &site) {
        return refuse(format!(
            "{reason} Add the account with `gazette user add` instead."
        ))
        .await;
    }
    let Ok(email) = Email::parse(field("email")) else {
        return refuse(format!("“{}” is not an email address.", field("email"))).await;
    };
    let name = field("name").to_owned();
    if name.is_empty() {
        return refuse("Give their name as bylines should show it.".to_owned()).await;
    }
    let Some(role) = Role::parse(field("role")) else {
        return refuse("Choose a role.".to_owned()).await;
    };
    let new = NewPerson {
        display_name: name.clone(),
        slug: Slug::from_headline(&name),
        email: email.clone(),
        role,
        password_hash: None,
        bio: String::new(),
        active: true,
    };
    let person = match accounts::add(state.store(), new).await {
        Ok(person) => person,
        Err(StoreError::Conflict { .. }) => {
            return refuse(format!(
                "An account with the address {email} or the name {name} exists already."
            ))
            .await;
        }
        Err(error) => return Err(error.into()),
    };
    send_link(
        &state,
        &site,
        &person,
        TokenPurpose::Invite,
        Some(&staff.person.display_name),
    )
    .await?;
    people_page(
        &state,
        &staff,
        StatusCode::OK,
        Some(format!("Invited {name} <{email}>.")),
        None,
    )
    .await
}
