//! WordPress's error body: `{"code": …, "message": …, "data": {"status": …}}`, with its codes.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::AppError;

/// An error as WordPress's REST API reports it.
#[derive(Debug)]
pub(crate) struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
    /// Extra fields of `data` (`params` for invalid parameters).
    data: Option<Value>,
    /// Seconds for `Retry-After`.
    retry_after: Option<u32>,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            data: None,
            retry_after: None,
        }
    }

    pub(crate) fn no_route() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "rest_no_route",
            "No route was found matching the URL and request method.",
        )
    }

    /// What exists but may not be read: 401 for an anonymous client, 403 for one signed in,
    /// as WordPress's `rest_authorization_required_code` answers.
    pub(crate) fn forbidden(signed_in: bool) -> Self {
        Self::new(
            refused_status(signed_in),
            "rest_forbidden",
            "Sorry, you are not allowed to do that.",
        )
    }

    /// `rest_invalid_json`, with PHP's code and words for a syntax error, as WordPress gives.
    pub(crate) fn invalid_json() -> Self {
        Self {
            data: Some(json!({ "json_error_code": 4, "json_error_message": "Syntax error" })),
            ..Self::new(
                StatusCode::BAD_REQUEST,
                "rest_invalid_json",
                "Invalid JSON body passed.",
            )
        }
    }

    /// `context=edit` asked by a client that may not edit the item.
    pub(crate) fn forbidden_context(signed_in: bool) -> Self {
        Self::new(
            refused_status(signed_in),
            "rest_forbidden_context",
            "Sorry, you are not allowed to edit in this context.",
        )
    }

    /// `rest_invalid_param`: each parameter named with what is wrong with it.
    pub(crate) fn invalid_params(problems: Vec<(String, String)>) -> Self {
        let names: Vec<&str> = problems.iter().map(|(name, _)| name.as_str()).collect();
        let message = format!("Invalid parameter(s): {}", names.join(", "));
        let details: serde_json::Map<String, Value> = problems
            .iter()
            .map(|(name, why)| {
                let detail = json!({ "code": "rest_invalid_param", "message": why, "data": null });
                (name.clone(), detail)
            })
            .collect();
        let params: serde_json::Map<String, Value> = problems
            .into_iter()
            .map(|(name, why)| (name, Value::String(why)))
            .collect();
        Self {
            data: Some(json!({ "params": params, "details": details })),
            ..Self::new(StatusCode::BAD_REQUEST, "rest_invalid_param", message)
        }
    }
}

/// WordPress's status for a refusal: 401 asks an anonymous client to sign in; once signed
/// in, 403 says signing in again would not help.
pub(crate) fn refused_status(signed_in: bool) -> StatusCode {
    if signed_in {
        StatusCode::FORBIDDEN
    } else {
        StatusCode::UNAUTHORIZED
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut data = json!({ "status": self.status.as_u16() });
        if let (Some(Value::Object(extra)), Value::Object(fields)) = (self.data, &mut data) {
            fields.extend(extra);
        }
        let body = json!({ "code": self.code, "message": self.message, "data": data });
        let mut response = (self.status, Json(body)).into_response();
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

/// An error from the shared table (`AppError::answer`): its API status and WordPress code,
/// the message a client may see, and `Retry-After` when the store could not answer.
impl From<AppError> for ApiError {
    fn from(error: AppError) -> Self {
        let answer = error.answer();
        if answer.api_status.is_server_error() {
            tracing::warn!(error = %error, "an API request failed");
        }
        Self {
            retry_after: answer.retry_after,
            ..Self::new(answer.api_status, answer.api_code, error.public_message())
        }
    }
}

impl From<gazette_store::StoreError> for ApiError {
    fn from(error: gazette_store::StoreError) -> Self {
        Self::from(AppError::from(error))
    }
}
