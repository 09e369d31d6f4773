//! The signed-in member of staff: the extractor every back-office handler and staff-only page
//! takes, with the session's CSRF token that each form they send must carry back.

use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use gazette_core::session::SessionToken;
use gazette_core::{Capability, Person};

use crate::kernel::cookies::SESSION_COOKIE;
use crate::{AppError, AppState};
use gazette_core::signing::keyed_hash;

/// The signed-in member of staff making a request, with their session's CSRF token.
#[derive(Debug, Clone)]
pub(crate) struct Staff {
    pub person: Person,
    pub token: SessionToken,
    /// Must come back with every form this person submits.
    pub csrf: String,
}

impl Staff {
    /// Refuses (403, saying `refusal`) what this person's role may not do.
    pub fn require(&self, capability: Capability, refusal: &str) -> Result<(), AppError> {
        if self.person.role.can(capability) {
            Ok(())
        } else {
            Err(AppError::Forbidden(refusal.to_owned()))
        }
    }

    /// Refuses a form whose CSRF token is not this session's.
    pub fn check_csrf(&self, submitted: &str) -> Result<(), AppError> {
        if gazette_core::signing::same_secret(submitted, &self.csrf) {
            Ok(())
        } else {
            Err(AppError::Forbidden(
                "This form has expired or did not come from this site. Go back, reload the \
                 page and try again."
                    .to_owned(),
            ))
        }
    }
}

/// What happens to a request that needs a signed-in person and has none: the sign-in page,
/// which brings them back afterwards.
#[derive(Debug)]
pub(crate) enum NotSignedIn {
    Redirect(String),
    Failed(AppError),
}

impl IntoResponse for NotSignedIn {
    fn into_response(self) -> Response {
        match self {
            Self::Redirect(next) => {
                let to = format!(
                    "/admin/sign-in?next={}",
                    percent_encoding::utf8_percent_encode(
                        &next,
                        percent_encoding::NON_ALPHANUMERIC
                    )
                );
                crate::kernel::redirect::see_other(&to).into_response()
            }
            Self::Failed(error) => error.into_response(),
        }
    }
}

impl FromRequestParts<AppState> for Staff {
    type Rejection = NotSignedIn;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match <Staff as OptionalFromRequestParts<AppState>>::from_request_parts(parts, state).await
        {
            Ok(Some(staff)) => Ok(staff),
            // A form sent after the session ended must not be answered with a redirect that
            // drops what was typed; the page stays, with a clear message.
            Ok(None) if parts.method != axum::http::Method::GET => {
                Err(NotSignedIn::Failed(AppError::Forbidden(
                    "You are signed out (the session ended). Sign in again in another tab, \
                     then send this form again: nothing was saved."
                        .to_owned(),
                )))
            }
            Ok(None) => Err(NotSignedIn::Redirect(
                parts
                    .uri
                    .path_and_query()
                    .map_or("/admin/", |p| p.as_str())
                    .to_owned(),
            )),
            Err(error) => Err(NotSignedIn::Failed(error)),
        }
    }
}

impl OptionalFromRequestParts<AppState> for Staff {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Option<Self>, Self::Rejection> {
        // Loaded once per request: a handler taking `Staff` and a `CsrfForm` reads the session
        // once.
        if let Some(staff) = parts.extensions.get::<Self>() {
            return Ok(Some(staff.clone()));
        }
        let Some(token) = crate::kernel::cookies::cookie(&parts.headers, SESSION_COOKIE)
            .and_then(|value| SessionToken::from_cookie(&value))
        else {
            return Ok(None);
        };
        let Some(person) = state.store().person_for_session(&token.hash()).await? else {
            return Ok(None);
        };
        let secret = server_secret(state).await?;
        let csrf = keyed_hash(&secret, &format!("csrf:{}", token.hash().0));
        let staff = Self {
            person,
            token,
            csrf,
        };
        parts.extensions.insert(staff.clone());
        Ok(Some(staff))
    }
}

/// The server secret; its absence is an error, never an empty key anyone could sign with.
pub(crate) async fn server_secret(state: &AppState) -> Result<String, AppError> {
    match state.store().server_secret().await? {
        Some(secret) if !secret.is_empty() => Ok(secret),
        _ => Err(AppError::Internal("the server secret is missing".into())),
    }
}
