//! Signing in through a link sent by email: the way in for someone whose account is being
//! guessed at from elsewhere (see [`super::throttle`]), or who would rather not type a
//! password on a borrowed device.
//!
//! The link is a one-time token (only its hash is stored) that works for 15 minutes. Opening
//! it shows a button; only pressing it signs in, because mail scanners open links. A device
//! signed in this way is remembered as a known device, like one signed in with a password.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use gazette_core::Email;
use gazette_core::session::SessionToken;
use gazette_store::TokenPurpose;

use super::GuestForm;
use super::accounts::{expired, mail_unavailable, send_link, site, with_form_token};
use super::sign_in::SignedIn;
use crate::kernel::client::Client;
use crate::{AppError, AppState};

const SENT: &str = "If an account has that address, we have sent it a link to sign in. It \
    works once, for 15 minutes.";

/// `GET /admin/sign-in/link`: asks for the email address to send a link to.
pub(crate) async fn ask_form(State(state): State<AppState>) -> Response {
    with_form_token(
        &state,
        StatusCode::OK,
        "admin/sign_in_link.html",
        minijinja::context! {},
    )
}

/// `POST /admin/sign-in/link`: the same answer whether or not the account exists.
pub(crate) async fn ask(
    State(state): State<AppState>,
    form: GuestForm,
) -> Result<Response, AppError> {
    let again = |status, error: String| {
        with_form_token(
            &state,
            status,
            "admin/sign_in_link.html",
            minijinja::context! { error },
        )
    };
    let GuestForm::Fresh(form) = form else {
        return Ok(again(
            StatusCode::FORBIDDEN,
            "The form expired. Please try again.".to_owned(),
        ));
    };
    let field = |name: &str| form.get(name);
    let site = site(&state).await?;
    if let Some(reason) = mail_unavailable(&state, &site) {
        return Ok(again(
            StatusCode::SERVICE_UNAVAILABLE,
            format!("{reason} Wait until the time the sign-in page gave, then sign in."),
        ));
    }
    // The lookup and the link happen after the answer, so its timing cannot tell whether
    // the account exists.
    if let Ok(email) = Email::parse(field("email").trim()) {
        let work = state.clone();
        state.after_answer().spawn(async move {
            let state = work;
            let sent = async {
                match state.store().person_by_email(&email).await? {
                    Some(person) if person.active => {
                        send_link(&state, &site, &person, TokenPurpose::SignIn, None).await
                    }
                    _ => Ok(()),
                }
            };
            if let Err(error) = sent.await {
                tracing::error!(%error, "could not send a sign-in link");
            }
        });
    }
    Ok(with_form_token(
        &state,
        StatusCode::OK,
        "admin/sign_in_link.html",
        minijinja::context! { notice => SENT },
    ))
}

/// `GET /admin/sign-in/link/{token}`: the button that signs in, if the link is still good.
pub(crate) async fn confirm_form(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let token = SessionToken::from_cookie(&token).ok_or_else(expired)?;
    let person = state
        .store()
        .one_time_token_person(&token.hash(), TokenPurpose::SignIn)
        .await?
        .ok_or_else(expired)?;
    let name = state
        .store()
        .person(person)
        .await?
        .map(|p| p.display_name)
        .unwrap_or_default();
    Ok(with_form_token(
        &state,
        StatusCode::OK,
        "admin/sign_in_link_confirm.html",
        minijinja::context! { name },
    ))
}

/// `POST /admin/sign-in/link/{token}`: uses up the link and signs in.
pub(crate) async fn confirm(
    State(state): State<AppState>,
    client: axum::Extension<Client>,
    Path(token): Path<String>,
    form: GuestForm,
) -> Result<Response, AppError> {
    if !matches!(form, GuestForm::Fresh(_)) {
        return Err(AppError::Forbidden(
            "The form expired. Open the link from your email again.".to_owned(),
        ));
    }
    let token = SessionToken::from_cookie(&token).ok_or_else(expired)?;
    let person =
        gazette_newsroom::accounts::sessions::use_sign_in_link(state.store(), token.hash())
            .await?
            .ok_or_else(expired)?;
    let signed_in = SignedIn::start(&state, person).await?;
    Ok(signed_in.response(&state, "/admin/", client.https).await)
}
