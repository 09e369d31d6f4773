//! Forms sent to the server, checked against forgery before a handler sees them.
//!
//! A signed-in person's forms carry their session's CSRF token ([`CsrfForm`]). Forms sent
//! before signing in (sign-in, a forgotten password, a password or sign-in link) carry the
//! token of the form cookie their page set ([`GuestForm`]). Clippy's `disallowed-types`
//! (`clippy.toml`) keeps axum's own `Form` out of the workspace, so no handler can read a form
//! without one of these checks.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::response::{IntoResponse, Response};

use crate::AppState;
use crate::kernel::cookies::FORM_COOKIE;
use crate::kernel::idempotency;
use crate::kernel::staff::Staff;

/// The fields of a submitted form, in order (checkbox lists repeat a name).
#[derive(Debug, Clone)]
pub(crate) struct FormFields(Vec<(String, String)>);

impl FormFields {
    pub(crate) fn parse(body: &[u8]) -> Self {
        Self(url::form_urlencoded::parse(body).into_owned().collect())
    }

    /// The first value of `name`, or "".
    pub(crate) fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// Every value of `name`.
    pub(crate) fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> {
        self.0
            .iter()
            .filter(move |(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Whether a checkbox `name` was ticked (sent with any value).
    pub(crate) fn checked(&self, name: &str) -> bool {
        !self.get(name).is_empty()
    }

    /// The idempotency key `person`'s form sent (its hidden `idempotency_key` field), tied to
    /// `route` and to every field but the anti-forgery token, which says who sends the form
    /// rather than what it asks.
    pub(crate) fn idempotency_key(
        &self,
        person: gazette_core::PersonId,
        route: &str,
    ) -> Result<Option<gazette_store::IdempotencyKey>, crate::AppError> {
        let mut request = format!("{route}\n");
        for (name, value) in self.0.iter().filter(|(name, _)| name != "csrf") {
            request.push_str(&format!("{name}={value}\n"));
        }
        let key = self.get(idempotency::FIELD);
        let scope = idempotency::of_person(person);
        idempotency::from_field(Some(key), &scope, &[request.as_bytes()])
    }
}

/// A signed-in person's form whose CSRF token (the `csrf` field) is their session's; any other
/// is refused with 403 before the handler runs. The handler takes `Staff` too, which the
/// check has already loaded (it is kept in the request's extensions).
#[derive(Debug)]
pub(crate) struct CsrfForm(pub FormFields);

impl FromRequest<AppState> for CsrfForm {
    type Rejection = Response;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = request.into_parts();
        let staff = Staff::from_request_parts(&mut parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let fields = body_fields(Request::from_parts(parts, body), state).await?;
        staff
            .check_csrf(fields.get("csrf"))
            .map_err(IntoResponse::into_response)?;
        Ok(Self(fields))
    }
}

/// A form sent before signing in, and whether its `csrf` field matches the form cookie set
/// with its page. A handler decides what an expired form shows (most show the form again with
/// a fresh token), so the check's outcome is part of what it is given, not a rejection.
#[derive(Debug)]
pub(crate) enum GuestForm {
    Fresh(FormFields),
    /// The token is missing or not this browser's: its fields may be shown again in the form,
    /// never acted on.
    Expired(FormFields),
}

impl FromRequest<AppState> for GuestForm {
    type Rejection = Response;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let cookie =
            crate::kernel::cookies::cookie(request.headers(), FORM_COOKIE).unwrap_or_default();
        let fields = body_fields(request, state).await?;
        let submitted = fields.get("csrf");
        if !cookie.is_empty() && gazette_core::signing::same_secret(&cookie, submitted) {
            Ok(Self::Fresh(fields))
        } else {
            Ok(Self::Expired(fields))
        }
    }
}

async fn body_fields(request: Request, state: &AppState) -> Result<FormFields, Response> {
    let body = Bytes::from_request(request, state)
        .await
        .map_err(IntoResponse::into_response)?;
    Ok(FormFields::parse(&body))
}

/// A signed-in person's multipart form (an import with its file): its text fields, and the
/// text of the first of `file_fields` that is not blank (a CSV chosen as a file, or pasted),
/// once its CSRF token is checked like every other form's.
pub(crate) async fn csrf_multipart(
    staff: &Staff,
    form: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
    file_fields: &[&str],
) -> Result<(FormFields, String), crate::AppError> {
    use crate::AppError;
    let mut form = form.map_err(|e| {
        AppError::BadRequest(format!(
            "Send the CSV with the import form ({}).",
            e.body_text()
        ))
    })?;
    let unreadable = |e: axum::extract::multipart::MultipartError| {
        AppError::BadRequest(format!(
            "The form could not be read ({}). Choose the file again and resend the form.",
            e.body_text()
        ))
    };
    let (mut pairs, mut text) = (Vec::new(), String::new());
    while let Some(field) = form.next_field().await.map_err(unreadable)? {
        let name = field.name().unwrap_or_default().to_owned();
        let bytes = field.bytes().await.map_err(unreadable)?;
        let value = String::from_utf8(bytes.to_vec()).map_err(|_| {
            AppError::BadRequest(
                "The file is not UTF-8 text; save it from the spreadsheet as “CSV UTF-8”."
                    .to_owned(),
            )
        })?;
        if file_fields.contains(&name.as_str()) {
            if text.trim().is_empty() {
                text = value;
            }
        } else {
            pairs.push((name, value));
        }
    }
    let fields = FormFields(pairs);
    staff.check_csrf(fields.get("csrf"))?;
    Ok((fields, text.trim_start_matches('\u{feff}').to_owned()))
}
