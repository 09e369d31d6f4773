//! `AppError`: the only place where errors become HTTP status codes. Clients get a clear
//! message for their own mistakes and a bare apology for ours; details of server-side failures
//! go to the log, never into a response.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use gazette_store::{Constraint, StoreError};

/// An error a handler returns.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    /// It existed and was removed on purpose (a trashed article).
    #[error("gone")]
    Gone,
    /// The reader may not have this (a wrong article password); the message says why.
    #[error("{0}")]
    Forbidden(String),
    #[error("the address is too long")]
    UriTooLong,
    #[error("method not allowed")]
    MethodNotAllowed,
    /// The request is malformed; the message says what is wrong and how to fix it.
    #[error("{0}")]
    BadRequest(String),
    /// The request body is over its limit; the message names the limit.
    #[error("{0}")]
    TooLarge(String),
    /// The request conflicts with existing data, with a stable code (`slug_taken`).
    #[error("{message}")]
    Conflict { code: &'static str, message: String },
    /// The store cannot be reached; worth retrying.
    #[error("service unavailable")]
    Unavailable,
    /// Our fault. The source is logged, never sent.
    #[error("internal error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Gone => StatusCode::GONE,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::UriTooLong => StatusCode::URI_TOO_LONG,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Conflict { .. } => StatusCode::CONFLICT,
            Self::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl From<StoreError> for AppError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound { .. } => Self::NotFound,
            StoreError::Conflict { constraint } => conflict(&constraint),
            StoreError::Unavailable(_) | StoreError::Contended(_) => {
                tracing::warn!(%error, "store unavailable");
                Self::Unavailable
            }
            other => Self::Internal(Box::new(other)),
        }
    }
}

fn conflict(constraint: &Constraint) -> AppError {
    let (code, message) = match constraint {
        Constraint::ArticleSlug
        | Constraint::SectionSlug
        | Constraint::TagSlug
        | Constraint::PersonSlug
        | Constraint::PagePath => (
            "slug_taken",
            "That slug is already used; choose another one.",
        ),
        Constraint::PersonEmail => ("email_taken", "An account with that email address exists."),
        _ => ("conflict", "That conflicts with existing data."),
    };
    AppError::Conflict {
        code,
        message: message.to_owned(),
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        let body = match &self {
            Self::Internal(source) => {
                tracing::error!(error = %source, "request failed");
                "Something went wrong on our side. Please try again later.".to_owned()
            }
            Self::NotFound => "Page not found.".to_owned(),
            Self::Unavailable => {
                "The site is temporarily unavailable. Please try again shortly.".to_owned()
            }
            other => other.to_string(),
        };
        (
            status,
            [("content-type", "text/plain; charset=utf-8")],
            body,
        )
            .into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_errors_map_to_stable_statuses_and_codes() {
        let slug = AppError::from(StoreError::Conflict {
            constraint: Constraint::ArticleSlug,
        });
        assert_eq!(slug.status(), StatusCode::CONFLICT);
        assert!(matches!(
            slug,
            AppError::Conflict {
                code: "slug_taken",
                ..
            }
        ));
        let email = AppError::from(StoreError::Conflict {
            constraint: Constraint::PersonEmail,
        });
        assert!(matches!(
            email,
            AppError::Conflict {
                code: "email_taken",
                ..
            }
        ));
        assert_eq!(
            AppError::from(StoreError::NotFound { what: "article" }).status(),
            StatusCode::NOT_FOUND
        );
        let corrupt = AppError::from(StoreError::Corrupt {
            what: "x",
            detail: "secret detail".into(),
        });
        assert_eq!(corrupt.status(), StatusCode::INTERNAL_SERVER_ERROR);
    }

    #[tokio::test]
    async fn internal_details_never_reach_the_client() {
        let error = AppError::from(StoreError::Corrupt {
            what: "x",
            detail: "secret detail".into(),
        });
        let body = axum::body::to_bytes(error.into_response().into_body(), 1024)
            .await
            .unwrap();
        let text = String::from_utf8(body.to_vec()).unwrap();
        assert!(!text.contains("secret"), "{text}");
    }
}
