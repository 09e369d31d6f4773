//! `AppError`: the only place where errors become HTTP status codes. Clients get a clear
//! message for their own mistakes and a bare apology for ours; details of server-side failures
//! go to the log, never into a response.

use axum::http::{HeaderValue, StatusCode, header};
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
    /// Who is asking is not known (no session, no application password); the message says how
    /// to identify.
    #[error("{0}")]
    Unauthenticated(String),
    /// Too many requests from this client or for this account; try again after the seconds
    /// given.
    #[error("{message}")]
    RateLimited { retry_after: u32, message: String },
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
    /// The connection was lost while a change was being saved: it may or may not have been.
    #[error(
        "The connection to the database was lost while your change was being saved, so it may or \
         may not have been saved. Check before sending it again."
    )]
    OutcomeUnknown,
    /// An idempotency key came back with a different request than the one that used it.
    #[error(
        "This idempotency key was already used for a different request; send a new key with \
         each new request, and the same key only when repeating one."
    )]
    KeyReused,
    /// Our fault. The source is logged, never sent.
    #[error("internal error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

/// How long a client should wait before retrying when the store cannot answer: long enough
/// for a database restart or a failover's first seconds, short enough that readers come back.
pub const RETRY_AFTER_SECONDS: u32 = 5;

/// How one kind of error answers: the status of an HTML page, and the status and WordPress
/// error code of a REST API response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Answer {
    pub page_status: StatusCode,
    pub api_status: StatusCode,
    pub api_code: &'static str,
    /// Seconds for `Retry-After`, sent with both kinds of answer.
    pub retry_after: Option<u32>,
}

impl AppError {
    /// The one table from error kinds to answers. The API keeps WordPress's statuses and
    /// codes where WordPress has them (400 `rest_invalid_param`, 404 `rest_no_route` for a
    /// method a route does not take).
    pub fn answer(&self) -> Answer {
        use StatusCode as S;
        let (page_status, api_status, api_code) = match self {
            Self::NotFound => (S::NOT_FOUND, S::NOT_FOUND, "rest_not_found"),
            Self::Gone => (S::GONE, S::GONE, "rest_gone"),
            Self::Forbidden(_) => (S::FORBIDDEN, S::FORBIDDEN, "rest_forbidden"),
            Self::Unauthenticated(_) => (S::UNAUTHORIZED, S::UNAUTHORIZED, "rest_not_logged_in"),
            Self::RateLimited { .. } => (
                S::TOO_MANY_REQUESTS,
                S::TOO_MANY_REQUESTS,
                "rest_too_many_requests",
            ),
            Self::UriTooLong => (S::URI_TOO_LONG, S::URI_TOO_LONG, "rest_uri_too_long"),
            Self::MethodNotAllowed => (S::METHOD_NOT_ALLOWED, S::NOT_FOUND, "rest_no_route"),
            Self::BadRequest(_) => (S::BAD_REQUEST, S::BAD_REQUEST, "rest_invalid_param"),
            Self::TooLarge(_) => (S::PAYLOAD_TOO_LARGE, S::PAYLOAD_TOO_LARGE, "rest_too_large"),
            Self::Conflict { .. } => (S::CONFLICT, S::CONFLICT, "rest_conflict"),
            Self::Unavailable => (
                S::SERVICE_UNAVAILABLE,
                S::SERVICE_UNAVAILABLE,
                "rest_unavailable",
            ),
            Self::OutcomeUnknown => (
                S::SERVICE_UNAVAILABLE,
                S::SERVICE_UNAVAILABLE,
                "rest_outcome_unknown",
            ),
            Self::KeyReused => (
                S::UNPROCESSABLE_ENTITY,
                S::UNPROCESSABLE_ENTITY,
                "rest_idempotency_key_reused",
            ),
            Self::Internal(_) => (
                S::INTERNAL_SERVER_ERROR,
                S::INTERNAL_SERVER_ERROR,
                "rest_internal_error",
            ),
        };
        Answer {
            page_status,
            api_status,
            api_code,
            retry_after: match self {
                Self::Unavailable | Self::OutcomeUnknown => Some(RETRY_AFTER_SECONDS),
                Self::RateLimited { retry_after, .. } => Some(*retry_after),
                _ => None,
            },
        }
    }

    /// The status of this error's HTML page.
    pub fn status(&self) -> StatusCode {
        self.answer().page_status
    }

    /// What a client may be told: the message for its own mistakes, a bare apology for ours
    /// (whose details go to the log).
    pub fn public_message(&self) -> String {
        match self {
            Self::Internal(source) => {
                tracing::error!(error = %source, "request failed");
                "Something went wrong on our side. Please try again later.".to_owned()
            }
            Self::NotFound => "Page not found.".to_owned(),
            Self::Unavailable => {
                "The site is temporarily unavailable. Please try again shortly.".to_owned()
            }
            other => other.to_string(),
        }
    }
}

/// Adds `Retry-After` to a response when the error's answer has one.
pub fn with_retry_after(answer: Answer, mut response: Response) -> Response {
    if let Some(seconds) = answer.retry_after {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    }
    response
}

impl From<StoreError> for AppError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound { .. } => Self::NotFound,
            StoreError::Conflict { constraint } => conflict(&constraint),
            StoreError::IdempotencyKeyReused => Self::KeyReused,
            StoreError::OutcomeUnknown(_) => {
                tracing::error!(%error, "a unit of work's outcome is unknown");
                Self::OutcomeUnknown
            }
            StoreError::Unavailable(_) | StoreError::Contended(_) => {
                tracing::warn!(%error, "store unavailable");
                Self::Unavailable
            }
            other => Self::Internal(Box::new(other)),
        }
    }
}

impl From<gazette_newsroom::comments::moderation::NotAModerator> for AppError {
    fn from(refusal: gazette_newsroom::comments::moderation::NotAModerator) -> Self {
        Self::Forbidden(refusal.to_string())
    }
}

impl From<gazette_newsroom::media::UploadError> for AppError {
    fn from(error: gazette_newsroom::media::UploadError) -> Self {
        use gazette_newsroom::media::UploadError;
        match error {
            UploadError::Store(store) => Self::from(store),
            UploadError::NameTaken => Self::Conflict {
                code: "media_name_taken",
                message: "Too many images this month share this file name; rename the file and \
                          upload it again."
                    .to_owned(),
            },
            // The bucket or the disk cannot take the file now: worth retrying, and logged.
            UploadError::Media(source) => {
                tracing::error!(error = %source, "an upload could not be stored");
                Self::Unavailable
            }
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
        let answer = self.answer();
        let response = (
            answer.page_status,
            [("content-type", "text/plain; charset=utf-8")],
            self.public_message(),
        )
            .into_response();
        with_retry_after(answer, response)
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

    /// Every kind, with the page status, API status, API code and Retry-After it must have.
    #[test]
    fn every_kind_answers_as_the_table_says() {
        use StatusCode as S;
        let internal = || AppError::Internal("boom".into());
        let conflict = AppError::Conflict {
            code: "slug_taken",
            message: "taken".into(),
        };
        let cases: Vec<(AppError, S, S, &str, Option<u32>)> = vec![
            (
                AppError::NotFound,
                S::NOT_FOUND,
                S::NOT_FOUND,
                "rest_not_found",
                None,
            ),
            (AppError::Gone, S::GONE, S::GONE, "rest_gone", None),
            (
                AppError::Forbidden("no".into()),
                S::FORBIDDEN,
                S::FORBIDDEN,
                "rest_forbidden",
                None,
            ),
            (
                AppError::Unauthenticated("who?".into()),
                S::UNAUTHORIZED,
                S::UNAUTHORIZED,
                "rest_not_logged_in",
                None,
            ),
            (
                AppError::RateLimited {
                    retry_after: 60,
                    message: "slow down".into(),
                },
                S::TOO_MANY_REQUESTS,
                S::TOO_MANY_REQUESTS,
                "rest_too_many_requests",
                Some(60),
            ),
            (
                AppError::UriTooLong,
                S::URI_TOO_LONG,
                S::URI_TOO_LONG,
                "rest_uri_too_long",
                None,
            ),
            (
                AppError::MethodNotAllowed,
                S::METHOD_NOT_ALLOWED,
                S::NOT_FOUND,
                "rest_no_route",
                None,
            ),
            (
                AppError::BadRequest("bad".into()),
                S::BAD_REQUEST,
                S::BAD_REQUEST,
                "rest_invalid_param",
                None,
            ),
            (
                AppError::TooLarge("big".into()),
                S::PAYLOAD_TOO_LARGE,
                S::PAYLOAD_TOO_LARGE,
                "rest_too_large",
                None,
            ),
            (conflict, S::CONFLICT, S::CONFLICT, "rest_conflict", None),
            (
                AppError::Unavailable,
                S::SERVICE_UNAVAILABLE,
                S::SERVICE_UNAVAILABLE,
                "rest_unavailable",
                Some(RETRY_AFTER_SECONDS),
            ),
            (
                internal(),
                S::INTERNAL_SERVER_ERROR,
                S::INTERNAL_SERVER_ERROR,
                "rest_internal_error",
                None,
            ),
        ];
        for (error, page, api, code, retry_after) in cases {
            let expected = Answer {
                page_status: page,
                api_status: api,
                api_code: code,
                retry_after,
            };
            assert_eq!(error.answer(), expected, "{error:?}");
        }
    }

    #[test]
    fn an_unavailable_store_says_when_to_retry_and_nothing_else_does() {
        let unavailable = AppError::Unavailable.into_response();
        assert_eq!(unavailable.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(
            unavailable
                .headers()
                .get(header::RETRY_AFTER)
                .map(|v| v.as_bytes()),
            Some(RETRY_AFTER_SECONDS.to_string().as_bytes())
        );
        let missing = AppError::NotFound.into_response();
        assert!(missing.headers().get(header::RETRY_AFTER).is_none());
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
