//! Accounts by email: "forgot my password" links, invitations for new staff, and the page
//! where either link lets a person choose a password.
//!
//! Links are one-time tokens (only their hash is stored) sent by the `send_email` job. They
//! are built from the publication's `base_url`, never from the request's `Host` header, which
//! an attacker could set to have a victim's reset link point at their own server.

use std::collections::HashMap;

use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use gazette_core::password::NewPassword;
use gazette_core::session::SessionToken;
use gazette_core::{Capability, Email, Person, Role, Slug};
use gazette_store::{NewJob, NewPerson, SEND_EMAIL, StoreError, TokenPurpose, WriteTx};
use jiff::SignedDuration;

use super::sign_in::{FORM_COOKIE, form_cookie, random_token, set_cookie};
use super::{Staff, page, staff_page};
use crate::kernel::site::Site;
use crate::{AppError, AppState};

const RESET_FOR: SignedDuration = SignedDuration::from_hours(1);
const INVITE_FOR: SignedDuration = SignedDuration::from_hours(7 * 24);
const SIGN_IN_FOR: SignedDuration = SignedDuration::from_mins(15);
/// At most one reset (or sign-in link) email per account in this long, however often it is
/// asked for.
const RESET_EVERY: SignedDuration = SignedDuration::from_mins(5);
const SENT: &str = "If an account has that address, we have sent it a link to choose a new \
    password. It works for an hour.";

/// The absolute address of a path on this site, when the publication's address is known.
pub(super) fn absolute(site: &Site, path: &str) -> Option<String> {
    let base = site.publication.base_url.as_ref()?;
    Some(format!("{}{path}", base.as_str().trim_end_matches('/')))
}

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

/// Enqueues an email in this unit of work: it is sent if and only if the unit commits.
pub(super) async fn enqueue_email(
    tx: &mut WriteTx,
    to: &Email,
    subject: &str,
    text: String,
) -> Result<(), StoreError> {
    let payload = serde_json::json!({ "to": to.as_str(), "subject": subject, "text": text });
    tx.enqueue_job(&NewJob::new(SEND_EMAIL, payload, tx.now()))
        .await?;
    Ok(())
}

pub(super) async fn site(state: &AppState) -> Result<std::sync::Arc<Site>, AppError> {
    state
        .site()
        .await
        .map_err(|e| AppError::Internal(Box::new(e)))
}

pub(super) fn form_ok(headers: &HeaderMap, submitted: &str) -> bool {
    let cookie = crate::kernel::cookies::cookie(headers, FORM_COOKIE).unwrap_or_default();
    !cookie.is_empty() && gazette_core::signing::same_secret(&cookie, submitted)
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
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let field = |name: &str| form.get(name).map_or("", String::as_str);
    if !form_ok(&headers, field("csrf")) {
        let message = "The form expired. Please try again.";
        return Ok(with_form_token(
            &state,
            StatusCode::FORBIDDEN,
            "admin/forgot.html",
            minijinja::context! { error => message },
        ));
    }
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
        let state = state.clone();
        tokio::spawn(async move {
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

/// Makes a one-time link for `person` and mails it, in one unit of work. A reset asked for
/// again within `RESET_EVERY` sends nothing new.
pub(super) async fn send_link(
    state: &AppState,
    site: &Site,
    person: &Person,
    purpose: TokenPurpose,
    inviter: Option<&str>,
) -> Result<(), AppError> {
    let now = state.store().clock().now();
    if matches!(purpose, TokenPurpose::Reset | TokenPurpose::SignIn) {
        let latest = state
            .store()
            .latest_one_time_token(person.id, purpose)
            .await?;
        if latest.is_some_and(|at| at + RESET_EVERY > now) {
            return Ok(());
        }
    }
    let token = SessionToken::generate();
    let path = match purpose {
        TokenPurpose::SignIn => "/admin/sign-in/link",
        TokenPurpose::Reset | TokenPurpose::Invite => "/admin/password",
    };
    let link = absolute(site, &format!("{path}/{}", token.expose()))
        .ok_or_else(|| AppError::BadRequest("The publication's base_url is not set.".to_owned()))?;
    let name = site.publication.name.clone();
    let (lifetime, subject, text) = match purpose {
        TokenPurpose::Reset => (
            RESET_FOR,
            format!("Choose a new password for {name}"),
            format!(
                "Someone asked to reset the password of your account at {name}.\n\n\
                 To choose a new password, open this link within an hour:\n{link}\n\n\
                 If it was not you, ignore this message: your password stays as it is.\n"
            ),
        ),
        TokenPurpose::SignIn => (
            SIGN_IN_FOR,
            format!("Your sign-in link for {name}"),
            format!(
                "Someone asked for a link to sign in to your account at {name}.\n\n\
                 To sign in, open this link within 15 minutes and press the button:\n{link}\n\n\
                 If it was not you, ignore this message; nobody can use the link but you.\n"
            ),
        ),
        TokenPurpose::Invite => (
            INVITE_FOR,
            format!("You are invited to write for {name}"),
            format!(
                "{} invited you to join {name} as {}.\n\n\
                 To choose your password and sign in, open this link within 7 days:\n{link}\n",
                inviter.unwrap_or("An editor"),
                person.role
            ),
        ),
    };
    let (hash, id, email) = (token.hash(), person.id, person.email.clone());
    state
        .store()
        .write(|tx| {
            Box::pin(async move {
                let expires = tx.now() + lifetime;
                tx.insert_one_time_token(&hash, id, purpose, expires)
                    .await?;
                enqueue_email(tx, &email, &subject, text).await
            })
        })
        .await?;
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
    headers: HeaderMap,
    Path(token): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let field = |name: &str| form.get(name).map_or("", String::as_str);
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
    if !form_ok(&headers, field("csrf")) {
        return Ok(again(
            StatusCode::FORBIDDEN,
            "The form expired. Please try again.".to_owned(),
        ));
    }
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
    let used = state
        .store()
        .write(|tx| {
            Box::pin(async move {
                let Some(person) = tx.use_one_time_token(&token.hash(), purpose).await? else {
                    return Ok::<_, StoreError>(None);
                };
                // Whoever knew the old password, or took a session or an application password
                // with it, is out.
                tx.set_password(person, &hash).await?;
                tx.delete_sessions_of(person).await?;
                tx.revoke_app_passwords_of(person).await?;
                // Other links (an older reset, an unused invitation) die with the old password,
                // and a lock someone else put on the account is lifted.
                tx.delete_one_time_tokens_of(person).await?;
                Ok(Some(person))
            })
        })
        .await?;
    let Some(person) = used else {
        return Err(expired());
    };
    if let Some(person) = state.store().person(person).await? {
        let secret = super::server_secret(&state).await?;
        let keys = gazette_store::ThrottleKeys::for_account(&super::throttle::account_hash(
            &secret,
            person.email.as_str(),
        ));
        state
            .store()
            .write(|tx| Box::pin(async move { tx.clear_account_sign_in_failures(&keys).await }))
            .await?;
    }
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
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let field = |name: &str| form.get(name).map_or("", String::as_str).trim();
    staff.check_csrf(field("csrf"))?;
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
    let person = match state
        .store()
        .write(|tx| Box::pin(async move { tx.insert_person(&new).await }))
        .await
    {
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

/// `GET /admin/account`: the signed-in person's own account: changing their password.
pub(crate) async fn account(
    State(state): State<AppState>,
    staff: Staff,
    axum::extract::Query(query): axum::extract::Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let notice = query
        .get("done")
        .and_then(|key| changed_notice(key))
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
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let field = |name: &str| form.get(name).map_or("", String::as_str);
    staff.check_csrf(field("csrf"))?;
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
    let (person, current) = (staff.person.id, staff.token.hash());
    state
        .store()
        .write(|tx| {
            Box::pin(async move {
                tx.set_password(person, &hash).await?;
                tx.delete_one_time_tokens_of(person).await?;
                if sign_out_others {
                    tx.delete_other_sessions_of(person, &current).await?;
                }
                if revoke_apps {
                    tx.revoke_app_passwords_of(person).await?;
                }
                Ok::<_, StoreError>(())
            })
        })
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
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let field = |name: &str| form.get(name).map_or("", String::as_str);
    staff.check_csrf(field("csrf"))?;
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
    let (ended, revoked) = state
        .store()
        .write(|tx| {
            Box::pin(async move {
                tx.set_password(target, &hash).await?;
                tx.delete_one_time_tokens_of(target).await?;
                let ended = tx.delete_sessions_of(target).await?;
                let revoked = tx.revoke_app_passwords_of(target).await?;
                Ok::<_, StoreError>((ended, revoked))
            })
        })
        .await?;
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
