//! `GET /comments/token`: the comment form's script asks for a form token (see
//! `kernel::form_token`) when the reader starts on the form, since the article page around it
//! is cached and shared and cannot carry a time of its own.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::kernel::form_token::issue;
use crate::{AppError, AppState};

/// `GET /comments/token`: a fresh token, never cached.
pub(crate) async fn view_token(State(state): State<AppState>) -> Result<Response, AppError> {
    let site = crate::kernel::pages::load_site(&state).await?;
    let token = issue(&site.server_secret, state.store().clock().now());
    Ok((
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        serde_json::json!({ "token": token }).to_string(),
    )
        .into_response())
}
