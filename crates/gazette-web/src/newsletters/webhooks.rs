//! Bounces and complaints the relay reports after the fact, by webhook: the address goes on
//! the suppression list. Two providers' formats are read:
//! - **Mailgun** (`POST /newsletters/webhooks/mailgun`): each event is signed, an HMAC-SHA256
//!   of its timestamp and token under the account's webhook signing key; events older than
//!   five minutes are refused, so a captured one cannot be replayed later;
//! - **Postmark** (`POST /newsletters/webhooks/postmark`): Postmark does not sign; it proves
//!   itself with the HTTP Basic credentials written into the webhook's address (any user
//!   name, the secret as password), over HTTPS.
//!
//! The secret is `smtp.webhook_secret`. Without it both endpoints answer `404`. An event that
//! is not a permanent bounce or a complaint is acknowledged and ignored, so the provider does
//! not send it again.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use gazette_core::signing::{keyed_hash, same_secret};
use gazette_core::{Email, Suppression};
use gazette_newsroom::newsletters;
use serde_json::Value;

use crate::AppState;

/// How old a signed event may be.
const MAX_EVENT_AGE_SECONDS: i64 = 300;

/// What a provider's event says of an address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Report {
    Suppress(Email, Suppression),
    /// Anything else (a temporary failure, a delivery, an open): acknowledged, ignored.
    Nothing,
}

/// `POST /newsletters/webhooks/mailgun`.
pub(crate) async fn mailgun(State(state): State<AppState>, body: Bytes) -> Response {
    let Some(secret) = state.webhook_secret() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let Ok(event) = serde_json::from_slice::<Value>(&body) else {
        return refuse(StatusCode::BAD_REQUEST, "the body is not JSON");
    };
    let now = state.store().clock().now().as_second();
    if !mailgun_signed(&event, secret, now) {
        return refuse(StatusCode::UNAUTHORIZED, "the signature does not hold");
    }
    act(&state, mailgun_report(&event)).await
}

/// `POST /newsletters/webhooks/postmark`.
pub(crate) async fn postmark(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(secret) = state.webhook_secret() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    if !basic_password_is(&headers, secret) {
        let mut refused = refuse(StatusCode::UNAUTHORIZED, "credentials required");
        refused.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            header::HeaderValue::from_static("Basic realm=\"gazette-webhooks\""),
        );
        return refused;
    }
    let Ok(event) = serde_json::from_slice::<Value>(&body) else {
        return refuse(StatusCode::BAD_REQUEST, "the body is not JSON");
    };
    act(&state, postmark_report(&event)).await
}

async fn act(state: &AppState, report: Report) -> Response {
    match report {
        Report::Nothing => StatusCode::OK.into_response(),
        Report::Suppress(email, reason) => {
            match newsletters::relay_reported(state.store(), &email, reason).await {
                Ok(()) => StatusCode::OK.into_response(),
                // The provider sends it again later.
                Err(error) => {
                    tracing::warn!(%error, "a relay's report could not be recorded");
                    StatusCode::SERVICE_UNAVAILABLE.into_response()
                }
            }
        }
    }
}

fn refuse(status: StatusCode, why: &'static str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        why,
    )
        .into_response()
}

/// Whether a Mailgun event's signature holds and is recent: `signature.signature` is the hex
/// HMAC-SHA256 of `timestamp` followed by `token` under the signing key.
pub(crate) fn mailgun_signed(event: &Value, key: &str, now: i64) -> bool {
    let field = |name: &str| event["signature"][name].as_str().unwrap_or_default();
    let (timestamp, token, signature) = (field("timestamp"), field("token"), field("signature"));
    let Ok(sent) = timestamp.parse::<i64>() else {
        return false;
    };
    let fresh = (now - sent).abs() <= MAX_EVENT_AGE_SECONDS;
    let expected = keyed_hash(key, &format!("{timestamp}{token}"));
    fresh && !token.is_empty() && same_secret(&signature.to_ascii_lowercase(), &expected)
}

/// A Mailgun event: a permanent failure bounces the address, a complaint is a complaint.
pub(crate) fn mailgun_report(event: &Value) -> Report {
    let data = &event["event-data"];
    let reason = match (data["event"].as_str(), data["severity"].as_str()) {
        (Some("failed"), Some("permanent")) => Suppression::Bounced,
        (Some("complained"), _) => Suppression::Complained,
        _ => return Report::Nothing,
    };
    address(data["recipient"].as_str(), reason)
}

/// A Postmark event: a hard bounce (or an address Postmark deactivated) bounces it, a spam
/// complaint is a complaint; soft bounces and the rest are transient.
pub(crate) fn postmark_report(event: &Value) -> Report {
    let reason = match (event["RecordType"].as_str(), event["Type"].as_str()) {
        (Some("Bounce"), Some("HardBounce" | "BadEmailAddress" | "ManuallyDeactivated")) => {
            Suppression::Bounced
        }
        (Some("SpamComplaint"), _) => Suppression::Complained,
        _ => return Report::Nothing,
    };
    address(event["Email"].as_str(), reason)
}

fn address(email: Option<&str>, reason: Suppression) -> Report {
    match email.map(Email::parse) {
        Some(Ok(email)) => Report::Suppress(email, reason),
        _ => Report::Nothing,
    }
}

/// Whether the request carries HTTP Basic credentials whose password is `secret`.
fn basic_password_is(headers: &HeaderMap, secret: &str) -> bool {
    let Some(encoded) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
    else {
        return false;
    };
    let Ok(decoded) = base64::engine::general_purpose::STANDARD.decode(encoded.trim()) else {
        return false;
    };
    let decoded = String::from_utf8_lossy(&decoded);
    decoded
        .split_once(':')
        .is_some_and(|(_, password)| same_secret(password, secret))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn providers_events_become_suppressions_or_nothing() {
        let bounced = json!({"event-data": {"event": "failed", "severity": "permanent", "recipient": "a@example.org"}});
        let soft = json!({"event-data": {"event": "failed", "severity": "temporary", "recipient": "a@example.org"}});
        let complained =
            json!({"event-data": {"event": "complained", "recipient": "a@example.org"}});
        let email = Email::parse("a@example.org").unwrap_or_else(|_| unreachable!());
        assert_eq!(
            mailgun_report(&bounced),
            Report::Suppress(email.clone(), Suppression::Bounced)
        );
        assert_eq!(mailgun_report(&soft), Report::Nothing);
        assert_eq!(
            mailgun_report(&complained),
            Report::Suppress(email.clone(), Suppression::Complained)
        );
        let hard = json!({"RecordType": "Bounce", "Type": "HardBounce", "Email": "a@example.org"});
        let transient =
            json!({"RecordType": "Bounce", "Type": "SoftBounce", "Email": "a@example.org"});
        let spam = json!({"RecordType": "SpamComplaint", "Email": "a@example.org"});
        assert_eq!(
            postmark_report(&hard),
            Report::Suppress(email.clone(), Suppression::Bounced)
        );
        assert_eq!(postmark_report(&transient), Report::Nothing);
        assert_eq!(
            postmark_report(&spam),
            Report::Suppress(email, Suppression::Complained)
        );
        let not_an_address = json!({"RecordType": "SpamComplaint", "Email": "nobody"});
        assert_eq!(postmark_report(&not_an_address), Report::Nothing);
    }
}
