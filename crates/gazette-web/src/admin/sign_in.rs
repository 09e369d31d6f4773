//! Signing in and out.
//!
//! Failed sign-ins are counted in the store (see `gazette_newsroom::accounts::throttle`), so every node agrees.
//! Every answer is the same whether or not the account exists, and an unknown account still
//! costs a password verification, so neither the text nor the timing tells. Password checks
//! run one at a time per node, but nobody holds that turn while waiting: refusals are decided
//! before it, and a failure's slow-down happens after it.

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use gazette_core::session::SessionToken;
use gazette_core::{Email, Person};
use jiff::SignedDuration;
use rand::RngCore as _;

use gazette_newsroom::accounts::sessions;
use gazette_newsroom::accounts::throttle::{Attempt, Refusal as Throttled};

use super::{CsrfForm, FormFields, GuestForm, SESSION_COOKIE, Staff, known_device, page};
use crate::kernel::client::Client;
use crate::kernel::cookies::FORM_COOKIE;
use crate::kernel::query::Query;
use crate::{AppError, AppState};

/// How long a session lasts.
pub(crate) const SESSION_LIFETIME: SignedDuration = SignedDuration::from_hours(14 * 24);

const WRONG: &str = "That email address and password do not match an account.";

#[derive(Debug)]
pub(crate) struct SignInForm {
    email: String,
    password: String,
    next: String,
}

impl SignInForm {
    fn of(fields: &FormFields) -> Self {
        Self {
            email: fields.get("email").to_owned(),
            password: fields.get("password").to_owned(),
            next: fields.get("next").to_owned(),
        }
    }
}

/// Where to go once signed in (`?next=/admin/…`); only addresses of this site are followed.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub(crate) struct Next {
    next: Option<String>,
}

/// `GET /admin/sign-in`.
pub(crate) async fn form(
    State(state): State<AppState>,
    Query(query): Query<Next>,
    staff: Option<Staff>,
) -> Response {
    let next = safe_next(query.next.as_deref());
    if staff.is_some() {
        return crate::kernel::redirect::see_other(&next).into_response();
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
    form: GuestForm,
) -> Response {
    let (fresh, fields) = match form {
        GuestForm::Fresh(fields) => (true, fields),
        GuestForm::Expired(fields) => (false, fields),
    };
    let form = SignInForm::of(&fields);
    let next = safe_next(Some(&form.next));
    let form_token = crate::kernel::cookies::cookie(&headers, FORM_COOKIE).unwrap_or_default();
    if !fresh {
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
    match sign_in(&state, &form, &headers, client.0).await {
        Ok(signed_in) => signed_in.response(&state, &next, client.https).await,
        Err(refusal) => {
            let (status, message) = match refusal {
                Refusal::Wrong => (StatusCode::UNAUTHORIZED, WRONG.to_owned()),
                Refusal::Throttled(Throttled::Locked(until)) => (
                    StatusCode::TOO_MANY_REQUESTS,
                    format!(
                        "Too many failed sign-ins. Try again after {}.",
                        time_of_day(&state, until).await
                    ),
                ),
                Refusal::Throttled(Throttled::AccountCooling(until)) => (
                    StatusCode::TOO_MANY_REQUESTS,
                    format!(
                        "Someone has been guessing this account's password. Try again after \
                         {}, sign in from a device you have used before, or ask for a \
                         sign-in link by email.",
                        time_of_day(&state, until).await
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
    Throttled(Throttled),
    Failed(AppError),
}

impl From<gazette_store::StoreError> for Refusal {
    fn from(error: gazette_store::StoreError) -> Self {
        Self::Failed(error.into())
    }
}

/// A person whose password checked out, and their new session.
pub(crate) struct SignedIn {
    pub(crate) person: Person,
    pub(crate) token: SessionToken,
}

impl SignedIn {
    /// Starts a session for `person`: stored now, sent with the response.
    pub(crate) async fn start(state: &AppState, person: Person) -> Result<Self, AppError> {
        let token = sessions::start(state.store(), &person, SESSION_LIFETIME).await?;
        Ok(Self { person, token })
    }

    /// The redirect to `next` carrying the session, and marking this device as one the
    /// person signed in from.
    pub(crate) async fn response(self, state: &AppState, next: &str, https: bool) -> Response {
        let mut response = crate::kernel::redirect::see_other(next);
        set_cookie(
            &mut response,
            &session_cookie(self.token.expose(), https, SESSION_LIFETIME),
        );
        set_cookie(
            &mut response,
            &format!("{FORM_COOKIE}=; Path=/admin/; Max-Age=0"),
        );
        if let Ok(secret) = super::server_secret(state).await {
            let now = state.store().clock().now();
            set_cookie(
                &mut response,
                &known_device::cookie(&secret, self.person.id, now, https),
            );
        }
        response
    }
}

async fn sign_in(
    state: &AppState,
    form: &SignInForm,
    headers: &HeaderMap,
    client: Client,
) -> Result<SignedIn, Refusal> {
    let store = state.store();
    let secret = super::server_secret(state).await.map_err(Refusal::Failed)?;
    let attempt = Attempt::new(&secret, &form.email, client.address);
    let person = match Email::parse(form.email.trim()) {
        Ok(email) => store.person_by_email(&email).await?,
        Err(_) => None,
    };
    let now = store.clock().now();
    let known = person
        .as_ref()
        .is_some_and(|p| known_device::is_known(headers, &secret, p.id, now));
    // Refused attempts never queue for a password check.
    if let Some(refusal) = attempt.refusal(state.store(), known, now).await? {
        return Err(Refusal::Throttled(refusal));
    }
    let verified = {
        // One password check at a time per node: each costs ~19 MiB and tens of
        // milliseconds. Holding the turn while the locks are read again makes them hold
        // against a burst of parallel attempts; it is released before any waiting.
        let _turn = state
            .sign_in_gate()
            .acquire()
            .await
            .map_err(|e| Refusal::Failed(AppError::Internal(Box::new(e))))?;
        if let Some(refusal) = attempt.refusal(state.store(), known, now).await? {
            return Err(Refusal::Throttled(refusal));
        }
        check_password(state, person.as_ref(), &form.password).await?
    };
    match person.filter(|_| verified) {
        Some(person) => {
            attempt.succeeded(state.store()).await?;
            Ok(SignedIn::start(state, person)
                .await
                .map_err(Refusal::Failed)?)
        }
        None => {
            let hold_back = attempt.failed(state.store()).await?;
            tracing::warn!(address = %client.address, "failed sign-in");
            tokio::time::sleep(hold_back).await;
            Err(Refusal::Wrong)
        }
    }
}

/// Whether `password` is the person's. An unknown or inactive account is checked against a
/// decoy hash: the same time, then a failure.
async fn check_password(
    state: &AppState,
    person: Option<&Person>,
    password: &str,
) -> Result<bool, Refusal> {
    let real = person.and_then(|p| p.active.then_some(p.password_hash.clone()).flatten());
    let hash = real
        .clone()
        .unwrap_or_else(|| state.dummy_password_hash().clone());
    let (hasher, password) = (state.hasher().clone(), password.to_owned());
    state.metrics().count_password_check();
    // Off the async workers: argon2 would otherwise stall every request on this node.
    let matches = tokio::task::spawn_blocking(move || hasher.verify(&hash, &password))
        .await
        .map_err(|e| Refusal::Failed(AppError::Internal(Box::new(e))))?;
    Ok(real.is_some() && matches)
}

/// `POST /admin/sign-out`: ends this session.
pub(crate) async fn sign_out(
    State(state): State<AppState>,
    staff: Staff,
    client: axum::Extension<Client>,
    _form: CsrfForm,
) -> Result<Response, AppError> {
    sessions::end(state.store(), staff.token.hash()).await?;
    Ok(signed_out(client.https))
}

/// `POST /admin/sign-out-everywhere`: ends every session of this person, on every device.
pub(crate) async fn sign_out_everywhere(
    State(state): State<AppState>,
    staff: Staff,
    client: axum::Extension<Client>,
    _form: CsrfForm,
) -> Result<Response, AppError> {
    sessions::end_everywhere(state.store(), staff.person.id).await?;
    Ok(signed_out(client.https))
}

/// Back to the sign-in form, without the session cookie, and with the texts the editor kept
/// in this browser cleared (the only storage Gazette uses): a shared newsroom computer keeps
/// nobody's unsaved work for the next person.
fn signed_out(https: bool) -> Response {
    let mut response = crate::kernel::redirect::see_other("/admin/sign-in").into_response();
    response.headers_mut().insert(
        axum::http::HeaderName::from_static("clear-site-data"),
        axum::http::HeaderValue::from_static("\"storage\""),
    );
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

/// When a lock ends, in the publication's time zone (UTC if the site cannot be read).
async fn time_of_day(state: &AppState, until: jiff::Timestamp) -> String {
    let zone = super::times::newsroom_zone(state)
        .await
        .unwrap_or(jiff::tz::TimeZone::UTC);
    super::times::time_of_day(&zone, until)
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
}
