//! Signing in and out.
//!
//! Failed sign-ins are counted in the store per account (the email typed, whether or not an
//! account has it) and per client address, so every node agrees. After a few failures each
//! further attempt is slowed down; after more, the key is locked for a while. Every answer is
//! the same whether or not the account exists, and an unknown account still costs a password
//! verification, so neither the text nor the timing tells.

use std::collections::HashMap;
use std::time::Duration;

use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use gazette_core::Email;
use gazette_core::session::SessionToken;
use jiff::{SignedDuration, Timestamp};
use rand::RngCore as _;
use serde::Deserialize;

use super::{SESSION_COOKIE, Staff, page};
use crate::client::Client;
use crate::{AppError, AppState};

/// How long failures are remembered.
const WINDOW: SignedDuration = SignedDuration::from_mins(15);
/// Failures on one account before each further attempt is slowed down.
const SLOW_AFTER: i64 = 3;
/// Failures on one account, or from one address, before it is locked.
const ACCOUNT_LOCK_AFTER: i64 = 8;
const ADDRESS_LOCK_AFTER: i64 = 30;
const LOCK_FOR: SignedDuration = SignedDuration::from_mins(15);
/// The slow-down grows by this much per failure past `SLOW_AFTER`, up to `MAX_DELAY`.
const DELAY_STEP: Duration = Duration::from_millis(200);
const MAX_DELAY: Duration = Duration::from_secs(2);
/// How long a session lasts.
pub(crate) const SESSION_LIFETIME: SignedDuration = SignedDuration::from_hours(14 * 24);
/// The sign-in form's own CSRF cookie (no session exists yet): double-submit.
pub(crate) const FORM_COOKIE: &str = "gazette_sign_in";

const WRONG: &str = "That email address and password do not match an account.";

#[derive(Debug, Deserialize)]
pub(crate) struct SignInForm {
    email: String,
    password: String,
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    next: String,
}

/// `GET /admin/sign-in`.
pub(crate) async fn form(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
    staff: Option<Staff>,
) -> Response {
    let next = safe_next(query.get("next").map(String::as_str));
    if staff.is_some() {
        return crate::redirect::see_other(&next).into_response();
    }
    let token = random_token();
    let mut response = render(&state, StatusCode::OK, &token, &next, "", None);
    set_cookie(&mut response, &form_cookie(&token));
    response
}

/// `POST /admin/sign-in`.
pub(crate) async fn submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    client: axum::Extension<Client>,
    Form(form): Form<SignInForm>,
) -> Response {
    let next = safe_next(Some(&form.next));
    let form_token = crate::public::cookie(&headers, FORM_COOKIE).unwrap_or_default();
    if form_token.is_empty() || !crate::public::same_secret(&form_token, &form.csrf) {
        let message = "The sign-in form expired. Please try again.";
        let token = random_token();
        let mut response = render(
            &state,
            StatusCode::FORBIDDEN,
            &token,
            &next,
            &form.email,
            Some(message),
        );
        set_cookie(&mut response, &form_cookie(&token));
        return response;
    }
    match sign_in(&state, &form, client.0).await {
        Ok(token) => {
            let mut response = crate::redirect::see_other(&next).into_response();
            set_cookie(
                &mut response,
                &session_cookie(token.expose(), client.https, SESSION_LIFETIME),
            );
            set_cookie(
                &mut response,
                &format!("{FORM_COOKIE}=; Path=/admin/; Max-Age=0"),
            );
            response
        }
        Err(refusal) => {
            let (status, message) = match refusal {
                Refusal::Wrong => (StatusCode::UNAUTHORIZED, WRONG.to_owned()),
                Refusal::Locked(until) => (
                    StatusCode::TOO_MANY_REQUESTS,
                    format!(
                        "Too many failed sign-ins. Try again after {} UTC.",
                        until.strftime("%H:%M")
                    ),
                ),
                Refusal::Failed(error) => return error.into_response(),
            };
            render(
                &state,
                status,
                &form_token,
                &next,
                &form.email,
                Some(&message),
            )
        }
    }
}

enum Refusal {
    Wrong,
    Locked(Timestamp),
    Failed(AppError),
}

impl From<gazette_store::StoreError> for Refusal {
    fn from(error: gazette_store::StoreError) -> Self {
        Self::Failed(error.into())
    }
}

async fn sign_in(
    state: &AppState,
    form: &SignInForm,
    client: Client,
) -> Result<SessionToken, Refusal> {
    let store = state.store();
    // One password check at a time per node: the check costs ~19 MiB and tens of
    // milliseconds, and queueing here is what makes the lock check below hold against a
    // burst of parallel attempts.
    let _turn = state
        .sign_in_gate()
        .acquire()
        .await
        .map_err(|e| Refusal::Failed(AppError::Internal(Box::new(e))))?;
    let now = store.clock().now();
    let address = client.address.limit_key();
    // The lock is per account *and* address, so nobody can lock a colleague out from
    // elsewhere; the address key limits one client across all accounts.
    let account_key = format!("account:{}|{address}", form.email.trim().to_lowercase());
    let address_key = format!("address:{address}");
    for key in [&account_key, &address_key] {
        let locked = store
            .sign_in_throttle(key)
            .await?
            .and_then(|t| t.locked_until);
        if let Some(until) = locked.filter(|until| *until > now) {
            return Err(Refusal::Locked(until));
        }
    }
    let person = match Email::parse(form.email.trim()) {
        Ok(email) => store.person_by_email(&email).await?,
        Err(_) => None,
    };
    // An unknown account is checked against a decoy hash: the same time, then a failure.
    let real = person
        .as_ref()
        .and_then(|p| p.active.then_some(p.password_hash.clone()).flatten());
    let hash = real
        .clone()
        .unwrap_or_else(|| state.dummy_password_hash().clone());
    let (hasher, password) = (state.hasher().clone(), form.password.clone());
    // Off the async workers: argon2 would otherwise stall every request on this node.
    let matches = tokio::task::spawn_blocking(move || hasher.verify(&hash, &password))
        .await
        .map_err(|e| Refusal::Failed(AppError::Internal(Box::new(e))))?;
    let verified = real.is_some() && matches;
    match person.filter(|_| verified) {
        Some(person) => {
            let token = SessionToken::generate();
            let hash = token.hash();
            let expires = now + SESSION_LIFETIME;
            store
                .write(|tx| {
                    Box::pin(async move {
                        tx.clear_sign_in_failures(&account_key).await?;
                        tx.insert_session(&hash, person.id, expires).await
                    })
                })
                .await?;
            tracing::info!(person = person.id.0, "signed in");
            Ok(token)
        }
        None => {
            let failures = store
                .write(|tx| {
                    Box::pin(async move {
                        let account = tx.count_sign_in_failure(&account_key, WINDOW).await?;
                        let address = tx.count_sign_in_failure(&address_key, WINDOW).await?;
                        let until = tx.now() + LOCK_FOR;
                        if account.failures >= ACCOUNT_LOCK_AFTER {
                            tx.lock_sign_in(&account_key, until).await?;
                        }
                        if address.failures >= ADDRESS_LOCK_AFTER {
                            tx.lock_sign_in(&address_key, until).await?;
                        }
                        Ok::<_, gazette_store::StoreError>(account.failures)
                    })
                })
                .await?;
            tracing::warn!(address = %client.address, failures, "failed sign-in");
            tokio::time::sleep(slow_down(failures)).await;
            Err(Refusal::Wrong)
        }
    }
}

/// How long to hold back the answer to the `failures`th failure in a row.
fn slow_down(failures: i64) -> Duration {
    let past = u32::try_from(failures - SLOW_AFTER).unwrap_or(0);
    DELAY_STEP.saturating_mul(past).min(MAX_DELAY)
}

/// `POST /admin/sign-out`: ends this session.
pub(crate) async fn sign_out(
    State(state): State<AppState>,
    staff: Staff,
    client: axum::Extension<Client>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, AppError> {
    staff.check_csrf(form.get("csrf").map_or("", String::as_str))?;
    let hash = staff.token.hash();
    state
        .store()
        .write(|tx| Box::pin(async move { tx.delete_session(&hash).await }))
        .await?;
    Ok(signed_out(client.https))
}

/// `POST /admin/sign-out-everywhere`: ends every session of this person, on every device.
pub(crate) async fn sign_out_everywhere(
    State(state): State<AppState>,
    staff: Staff,
    client: axum::Extension<Client>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, AppError> {
    staff.check_csrf(form.get("csrf").map_or("", String::as_str))?;
    let person = staff.person.id;
    let ended = state
        .store()
        .write(|tx| Box::pin(async move { tx.delete_sessions_of(person).await }))
        .await?;
    tracing::info!(person = person.0, ended, "signed out everywhere");
    Ok(signed_out(client.https))
}

fn signed_out(https: bool) -> Response {
    let mut response = crate::redirect::see_other("/admin/sign-in").into_response();
    set_cookie(
        &mut response,
        &session_cookie("", https, SignedDuration::ZERO),
    );
    response
}

pub(crate) fn session_cookie(value: &str, https: bool, lifetime: SignedDuration) -> String {
    let secure = if https { "; Secure" } else { "" };
    format!(
        "{SESSION_COOKIE}={value}; Path=/; Max-Age={}; HttpOnly; SameSite=Lax{secure}",
        lifetime.as_secs()
    )
}

pub(crate) fn form_cookie(token: &str) -> String {
    format!("{FORM_COOKIE}={token}; Path=/admin/; HttpOnly; SameSite=Strict")
}

pub(crate) fn set_cookie(response: &mut Response, cookie: &str) {
    if let Ok(value) = HeaderValue::from_str(cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
}

pub(crate) fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// Where to go after signing in: a path inside the back office, never another site (nor,
/// through `..`, a path outside it).
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(path) if path.starts_with("/admin/") && gazette_core::address::is_site_path(path) => {
            path.to_owned()
        }
        _ => "/admin/".to_owned(),
    }
}

fn render(
    state: &AppState,
    status: StatusCode,
    csrf: &str,
    next: &str,
    email: &str,
    error: Option<&str>,
) -> Response {
    page(
        state,
        status,
        "admin/sign_in.html",
        minijinja::context! { csrf, next, email, error },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_back_office_paths_are_followed_after_sign_in() {
        assert_eq!(
            safe_next(Some("/admin/articles?status=draft")),
            "/admin/articles?status=draft"
        );
        for bad in [
            "/admin/\r\nSet-Cookie: x",
            "https://evil.example/",
            "//evil.example/admin/",
            "/admin\\..\\x",
            "/admin/..//evil.example/",
            "/admin/%2e%2e//evil.example/",
            "/2026/",
            "",
        ] {
            assert_eq!(safe_next(Some(bad)), "/admin/", "{bad}");
        }
    }

    #[test]
    fn failures_slow_down_gradually_and_within_a_bound() {
        assert_eq!(slow_down(1), Duration::ZERO);
        assert_eq!(slow_down(SLOW_AFTER), Duration::ZERO);
        assert_eq!(slow_down(SLOW_AFTER + 2), DELAY_STEP * 2);
        assert_eq!(slow_down(1000), MAX_DELAY);
    }
}
