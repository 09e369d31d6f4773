//! Middleware every response passes through: security headers and access logs.

use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;

use crate::AppState;
use crate::kernel::client::Client;
use crate::metrics::RouteLabel;

/// The policy before any site snapshot is loaded (no head snippet yet), built once.
static DEFAULT_POLICY: std::sync::LazyLock<Option<HeaderValue>> =
    std::sync::LazyLock::new(|| HeaderValue::from_str(&crate::csp::policy("")).ok());

/// Browsers that reached us over HTTPS keep to it for a year.
const STRICT_TRANSPORT_SECURITY: &str = "max-age=31536000; includeSubDomains";

/// Adds the security headers ARCHITECTURE.md requires to every response, and HSTS to those
/// served over HTTPS (directly or through a trusted proxy).
pub(crate) async fn security_headers(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let https = request
        .extensions()
        .get::<Client>()
        .is_some_and(|c| c.https);
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if https {
        headers.insert(
            "strict-transport-security",
            HeaderValue::from_static(STRICT_TRANSPORT_SECURITY),
        );
    }
    // The handler has loaded the current site snapshot by now, if it needed one.
    let policy = match state.last_site() {
        Some(site) => site.content_security_policy.clone(),
        None => DEFAULT_POLICY.clone(),
    };
    if let Some(value) = policy {
        headers.entry("content-security-policy").or_insert(value);
    }
    for (name, value) in [
        ("x-content-type-options", "nosniff"),
        ("referrer-policy", "strict-origin-when-cross-origin"),
        ("x-frame-options", "SAMEORIGIN"),
    ] {
        headers
            .entry(name)
            .or_insert(HeaderValue::from_static(value));
    }
    response
}

/// The target of access-log lines, so the log's writer can tell them from the other events.
pub const ACCESS_LOG_TARGET: &str = "gazette::access";

/// One access-log line per request (method, path, status, time taken) and the request
/// metrics. Query strings are left out of the log: they can carry search terms and tokens.
pub(crate) async fn observe(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let started = Instant::now();
    let client = Client::work_out(&request, state.trusted_proxies());
    request.extensions_mut().insert(client);
    let method = request.method().clone();
    let path = loggable_path(request.uri().path());
    let matched = request
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_owned());
    let response = next.run(request).await;
    let elapsed = started.elapsed();
    let route = match (
        response.extensions().get::<RouteLabel>(),
        matched.as_deref(),
    ) {
        (Some(label), _) => label.0,
        (None, Some("/healthz")) => "healthz",
        (None, Some("/readyz")) => "readyz",
        _ => "other",
    };
    let status = response.status().as_u16();
    state.metrics().record(route, status, elapsed);
    tracing::info!(
        target: ACCESS_LOG_TARGET,
        %method,
        path,
        route,
        status,
        micros = u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX),
        "request"
    );
    response
}

/// The path as the access log may keep it: tokens in links sent by email (password reset,
/// invitation, reply notifications) act for whoever holds them, and are cut out.
fn loggable_path(path: &str) -> String {
    for secret in [
        "/admin/password/",
        "/admin/sign-in/link/",
        "/comments/replies/",
    ] {
        if path.starts_with(secret) {
            return format!("{secret}[token]");
        }
    }
    path.to_owned()
}

#[cfg(test)]
mod tests {
    #[test]
    fn one_time_tokens_never_reach_the_log() {
        assert_eq!(
            super::loggable_path("/admin/password/abc123"),
            "/admin/password/[token]"
        );
        assert_eq!(
            super::loggable_path("/comments/replies/stop.4.abcdef"),
            "/comments/replies/[token]"
        );
        assert_eq!(
            super::loggable_path("/admin/sign-in/link/abc123"),
            "/admin/sign-in/link/[token]"
        );
        assert_eq!(
            super::loggable_path("/2026/05/28/story/"),
            "/2026/05/28/story/"
        );
    }
}
