//! What every request passes through before the router sees it: the client worked out once,
//! the page cache's hits answered at once, then on the way out the security headers, the
//! access line and the metrics.
//!
//! A cached public page is most of a journal's traffic, and on a hit nothing else runs: no
//! routing, no other middleware, no snapshot load. One layer does all of this, since each
//! layer costs a boxed future and a clone of the service behind it on every request.

use std::borrow::Cow;
use std::sync::Arc;
use std::time::Instant;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::Response;

use crate::AppState;
use crate::kernel::client::Client;
use crate::kernel::cookies::is_personal;
use crate::kernel::origin::Origin;
use crate::kernel::site::Site;
use crate::metrics::RouteLabel;

/// The target of access-log lines, so the log's writer can tell them from the other events.
pub const ACCESS_LOG_TARGET: &str = "gazette::access";

/// The policy before any site snapshot is loaded (no head snippet yet), built once.
static DEFAULT_POLICY: std::sync::LazyLock<Option<HeaderValue>> =
    std::sync::LazyLock::new(|| HeaderValue::from_str(&crate::csp::policy("")).ok());

/// Browsers that reached us over HTTPS keep to it for a year.
const STRICT_TRANSPORT_SECURITY: &str = "max-age=31536000; includeSubDomains";

/// The front door: a page-cache hit or the router, then what every response carries.
pub(crate) async fn front_door(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let started = Instant::now();
    let client = Client::work_out(&request, state.trusted_proxies());
    let method = request.method().clone();
    // A clone shares the request's bytes: the path stays readable after the request is gone.
    let uri = request.uri().clone();
    let (mut response, label, site) = match cached_page(&state, &request, client) {
        Some(hit) => (hit.response, Some(hit.label), Some(hit.site)),
        None => {
            request.extensions_mut().insert(client);
            let response = next.run(request).await;
            // The handler has loaded the current site snapshot by now, if it needed one.
            (response, None, state.last_site())
        }
    };
    add_security_headers(site.as_deref(), client.https, response.headers_mut());
    let elapsed = started.elapsed();
    let path = loggable_path(uri.path());
    let route = match label.or_else(|| response.extensions().get::<RouteLabel>().map(|l| l.0)) {
        Some(label) => label,
        None => match uri.path() {
            "/healthz" => "healthz",
            "/readyz" => "readyz",
            _ => "other",
        },
    };
    let status = response.status().as_u16();
    state.metrics().record(route, status, elapsed);
    tracing::info!(
        target: ACCESS_LOG_TARGET,
        %method,
        path = &*path,
        route,
        status,
        micros = u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX),
        "request"
    );
    response
}

/// A public GET or HEAD the page cache holds a fresh copy for: one lookup by origin and path.
/// Only the requests the full path would cache come here (no query string, nothing
/// personal), and the cache only ever holds what `fallback::dispatch` put there after its
/// redirect checks, for paths no route claims: any other path simply misses.
fn cached_page(state: &AppState, request: &Request, client: Client) -> Option<Hit> {
    let cache = state.page_cache();
    let head = *request.method() == Method::HEAD;
    let cacheable = (head || *request.method() == Method::GET)
        && cache.enabled()
        && request.uri().query().is_none()
        && !is_personal(request.headers());
    if !cacheable {
        return None;
    }
    let site = state.loaded_site()?;
    let path = request.uri().path();
    // A rule added while a page was being rendered must still win over the copy that render
    // left in the cache.
    if site.redirect_for(path).is_some() {
        return None;
    }
    let origin = Origin::for_site(Some(&site), state, request.headers(), client.https);
    // Documents that need absolute links are never cached for an unknown host, so asking
    // as for a page finds them only under a known origin.
    let key = origin.cache_key(path, false)?;
    let entry = cache.lookup(&key, state.store().clock().now())?;
    let mut response = entry.respond(request.headers());
    if entry.is_html()
        && !origin.is_known()
        && let Some(link) = crate::api::discovery_link(&origin.url)
    {
        // Pages for hosts the node does not know are shared by all of them: the API's
        // address, which names the host, is added for each request instead.
        response.headers_mut().insert(header::LINK, link);
    }
    if head {
        *response.body_mut() = Body::empty();
    }
    Some(Hit {
        response,
        label: entry.label,
        site,
    })
}

/// A page-cache hit: the response, its label for the metrics, and the snapshot it was found
/// under (whose CSP it gets).
struct Hit {
    response: Response,
    label: &'static str,
    site: Arc<Site>,
}

/// The security headers ARCHITECTURE.md requires on every response, with the CSP of `site`
/// (the last snapshot loaded), and HSTS on those served over HTTPS (directly or through a
/// trusted proxy). A handler's own choice of a header wins.
fn add_security_headers(site: Option<&Site>, https: bool, headers: &mut HeaderMap) {
    if https {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(STRICT_TRANSPORT_SECURITY),
        );
    }
    let policy = match site {
        Some(site) => site.content_security_policy.clone(),
        None => DEFAULT_POLICY.clone(),
    };
    if let Some(value) = policy {
        headers
            .entry(header::CONTENT_SECURITY_POLICY)
            .or_insert(value);
    }
    for (name, value) in [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "strict-origin-when-cross-origin"),
        (header::X_FRAME_OPTIONS, "SAMEORIGIN"),
    ] {
        headers
            .entry(name)
            .or_insert(HeaderValue::from_static(value));
    }
}

/// The path as the access log may keep it: tokens in links sent by email (password reset,
/// invitation, reply notifications) act for whoever holds them, and are cut out.
fn loggable_path(path: &str) -> Cow<'_, str> {
    for secret in [
        "/admin/password/",
        "/admin/sign-in/link/",
        "/comments/replies/",
    ] {
        if path.starts_with(secret) {
            return Cow::Owned(format!("{secret}[token]"));
        }
    }
    Cow::Borrowed(path)
}

#[cfg(test)]
mod tests {
    #[test]
    fn one_time_tokens_never_reach_the_log() {
        for (path, logged) in [
            ("/admin/password/abc123", "/admin/password/[token]"),
            (
                "/comments/replies/stop.4.abcdef",
                "/comments/replies/[token]",
            ),
            ("/admin/sign-in/link/abc123", "/admin/sign-in/link/[token]"),
            ("/2026/05/28/story/", "/2026/05/28/story/"),
        ] {
            assert_eq!(super::loggable_path(path), logged);
        }
    }
}
