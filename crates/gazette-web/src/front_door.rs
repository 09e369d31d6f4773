//! What every request passes through before the router sees it: the client worked out once,
//! the page cache's hits answered at once, then on the way out the security headers, the
//! access line and the metrics.
//!
//! A cached public page is most of a journal's traffic, and on a hit nothing else runs: no
//! routing, no other middleware, no snapshot load. The front door is a service of its own,
//! made once per connection, rather than a middleware layer: a hit is then answered in the
//! call itself, without the boxed future, the clone of the router and the request extension
//! for the peer's address that a layer and `ConnectInfo` cost on every request.

use std::borrow::Cow;
use std::convert::Infallible;
use std::future::{Future, Ready, ready};
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::serve::IncomingStream;
use tower::{Service, ServiceExt};

use crate::AppState;
use crate::acceptors::Arrivals;
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

/// Makes a [`FrontDoor`] for each connection the listener accepts.
#[derive(Clone)]
pub(crate) struct FrontDoors(Arc<Behind>);

/// What every front door leads to.
struct Behind {
    state: AppState,
    router: Router,
    /// The node's main runtime, where routed requests run (see `acceptors`).
    main: tokio::runtime::Handle,
}

impl FrontDoors {
    /// Front doors to `router`, whose requests run on the runtime this is called on.
    pub(crate) fn new(state: AppState, router: Router) -> Self {
        Self(Arc::new(Behind {
            state,
            router,
            main: tokio::runtime::Handle::current(),
        }))
    }

    fn door(&self, peer: IpAddr) -> FrontDoor {
        FrontDoor {
            behind: self.0.clone(),
            peer,
        }
    }
}

impl Service<IncomingStream<'_, Arrivals>> for FrontDoors {
    type Response = FrontDoor;
    type Error = Infallible;
    type Future = Ready<Result<FrontDoor, Infallible>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, stream: IncomingStream<'_, Arrivals>) -> Self::Future {
        let peer: &SocketAddr = stream.remote_addr();
        ready(Ok(self.door(peer.ip())))
    }
}

/// One connection's way in: a page-cache hit or the router, then what every response carries.
#[derive(Clone)]
pub(crate) struct FrontDoor {
    behind: Arc<Behind>,
    peer: IpAddr,
}

impl Service<Request> for FrontDoor {
    type Response = Response;
    type Error = Infallible;
    type Future = Answer;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        // The router is always ready.
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request) -> Answer {
        let started = Instant::now();
        let state = &self.behind.state;
        let client = Client::work_out(self.peer, request.headers(), state.trusted_proxies());
        let hit = match cached_page(state, &request, client) {
            Found::Hit(hit) => hit,
            Found::Miss(last_copy) => return self.route(request, started, client, last_copy),
        };
        let way_out = WayOut {
            started,
            method: request.method(),
            path: request.uri().path(),
            client,
        };
        let mut response = hit.response;
        if state.readiness().is_database_down() {
            // Stale is better than down, but say so.
            mark_stale(&mut response);
        }
        let response = way_out.leave(state, response, Some(hit.label), Some(hit.site));
        Answer::Hit(ready(Ok(response)))
    }
}

impl FrontDoor {
    /// A miss: the router answers, within a deadline, and a page it cannot render for want
    /// of the database is answered from its last copy when there is one.
    fn route(
        &self,
        mut request: Request,
        started: Instant,
        client: Client,
        last_copy: Option<LastCopy>,
    ) -> Answer {
        let method = request.method().clone();
        // A clone shares the request's bytes: the path stays readable after the request is gone.
        let uri = request.uri().clone();
        request.extensions_mut().insert(client);
        let behind = self.behind.clone();
        let router = behind.router.clone();
        let deadline = deadline_for(&request);
        // A read that times out changed nothing; a write may have been committing.
        let changes = !matches!(*request.method(), Method::GET | Method::HEAD);
        let routed = behind.main.spawn(router.oneshot(request));
        let abort = routed.abort_handle();
        Answer::Routed(Box::pin(async move {
            let mut response = match tokio::time::timeout(deadline, routed).await {
                Ok(Ok(Ok(response))) => response,
                Ok(Err(failed)) => {
                    tracing::error!(error = %failed, "a request's handler failed");
                    axum::http::StatusCode::INTERNAL_SERVER_ERROR.into_response()
                }
                Err(_) => {
                    // The handler waits on something that does not answer (a frozen database):
                    // it is stopped, and the client told to come back.
                    abort.abort();
                    tracing::warn!(path = uri.path(), "a request passed its deadline");
                    if changes {
                        crate::AppError::OutcomeUnknown.into_response()
                    } else {
                        crate::AppError::Unavailable.into_response()
                    }
                }
            };
            if response.status() == StatusCode::SERVICE_UNAVAILABLE
                && let Some(stale) = last_copy.and_then(|copy| copy.respond(&behind.state))
            {
                response = stale;
            }
            let way_out = WayOut {
                started,
                method: &method,
                path: uri.path(),
                client,
            };
            // The handler has loaded the current site snapshot by now, if it needed one.
            let site = behind.state.last_site();
            Ok(way_out.leave(&behind.state, response, None, site))
        }))
    }
}

/// A front door's answer: ready at once for a hit, or the router's.
pub(crate) enum Answer {
    Hit(Ready<Result<Response, Infallible>>),
    Routed(Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>),
}

impl Future for Answer {
    type Output = Result<Response, Infallible>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.get_mut() {
            Self::Hit(ready) => Pin::new(ready).poll(cx),
            Self::Routed(routed) => routed.as_mut().poll(cx),
        }
    }
}

/// How long a request may take before it is answered 503: longer than the store's wait for a
/// connection (3 s on PostgreSQL, 10 s on SQLite), so that answers first when it can.
const REQUEST_DEADLINE: Duration = Duration::from_secs(15);

/// Uploads stream their body inside the handler, at the client's pace: they get longer.
const UPLOAD_DEADLINE: Duration = Duration::from_secs(600);

/// The header a cached page carries while the database does not answer.
const STALE_HEADER: HeaderName = HeaderName::from_static("x-gazette-stale");
const STALE_REASON: &str = "the database does not answer; this page may be out of date";

fn deadline_for(request: &Request) -> Duration {
    let multipart = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/"));
    let raw_upload = request.uri().path().starts_with("/wp-json/wp/v2/media");
    if multipart || raw_upload {
        UPLOAD_DEADLINE
    } else {
        REQUEST_DEADLINE
    }
}

/// What the way out needs to know of the request.
struct WayOut<'a> {
    started: Instant,
    method: &'a Method,
    path: &'a str,
    client: Client,
}

impl WayOut<'_> {
    /// The security headers added, the request counted and logged.
    fn leave(
        &self,
        state: &AppState,
        mut response: Response,
        label: Option<&'static str>,
        site: Option<Arc<Site>>,
    ) -> Response {
        add_security_headers(site.as_deref(), self.client.https, response.headers_mut());
        let elapsed = self.started.elapsed();
        let route = match label.or_else(|| response.extensions().get::<RouteLabel>().map(|l| l.0)) {
            Some(label) => label,
            None => match self.path {
                "/healthz" => "healthz",
                "/readyz" => "readyz",
                _ => "other",
            },
        };
        let status = response.status().as_u16();
        state.metrics().record(route, status, elapsed);
        tracing::info!(
            target: ACCESS_LOG_TARGET,
            method = %self.method,
            path = &*loggable_path(self.path),
            route,
            status,
            micros = u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX),
            "request"
        );
        response
    }
}

/// A public GET or HEAD the page cache holds a fresh copy for: one lookup by origin and path.
/// Only the requests the full path would cache come here (no query string, nothing
/// personal), and the cache only ever holds what `fallback::dispatch` put there after its
/// redirect checks, for paths no route claims: any other path simply misses.
fn cached_page(state: &AppState, request: &Request, client: Client) -> Found {
    let cache = state.page_cache();
    let head = *request.method() == Method::HEAD;
    let cacheable = (head || *request.method() == Method::GET)
        && cache.enabled()
        && request.uri().query().is_none()
        && !is_personal(request.headers());
    if !cacheable {
        return Found::Miss(None);
    }
    // A change moves the site generation on before the snapshot is loaded again: a hit
    // waits for it, but a last copy is found under the last snapshot, however old.
    let (site, current) = match state.loaded_site() {
        Some(site) => (site, true),
        None => match state.last_site() {
            Some(site) => (site, false),
            None => return Found::Miss(None),
        },
    };
    let path = request.uri().path();
    // A rule added while a page was being rendered must still win over the copy that render
    // left in the cache.
    if site.redirect_for(path).is_some() {
        return Found::Miss(None);
    }
    let origin = Origin::for_site(Some(&site), state, request.headers(), client.https);
    // Documents that need absolute links are never cached for an unknown host, so asking
    // as for a page finds them only under a known origin.
    let Some(key) = origin.cache_key(path, false) else {
        return Found::Miss(None);
    };
    let entry = current
        .then(|| cache.lookup(&key, state.store().clock().now()))
        .flatten();
    let Some(entry) = entry else {
        return Found::Miss(Some(LastCopy {
            key,
            headers: request.headers().clone(),
            head,
        }));
    };
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
    Found::Hit(Hit {
        response,
        label: entry.label,
        site,
    })
}

/// What the page cache had for a request.
enum Found {
    Hit(Hit),
    /// Nothing fresh: how to ask for the last copy if the page cannot be rendered, for the
    /// requests the cache serves.
    Miss(Option<LastCopy>),
}

/// A cacheable request that missed, kept in case its render fails for want of the database.
struct LastCopy {
    key: String,
    headers: HeaderMap,
    head: bool,
}

impl LastCopy {
    /// The page's last copy, marked stale, if the cache kept one.
    fn respond(self, state: &AppState) -> Option<Response> {
        let entry = state.page_cache().last_copy(&self.key)?;
        let mut response = entry.respond(&self.headers);
        mark_stale(&mut response);
        response.extensions_mut().insert(RouteLabel(entry.label));
        if self.head {
            *response.body_mut() = Body::empty();
        }
        Some(response)
    }
}

/// Says that a page may be out of date because the database does not answer.
fn mark_stale(response: &mut Response) {
    response
        .headers_mut()
        .insert(STALE_HEADER, HeaderValue::from_static(STALE_REASON));
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
