//! Gazette's HTTP layer: the axum router, the application state handlers share, the one error
//! type that becomes responses, the theme, the page cache and the front door every request
//! passes through before routing.
//!
//! Nothing here talks SQL or knows which database runs: handlers call the store's methods.
//! `gazette-node` builds an [`AppState`] and hands it to [`serve`]. The surfaces (`public`,
//! `admin`, `api`, `feeds`, `seo`, `comments`) stand on `kernel`.

mod admin;
mod api;
pub mod cache;
mod comments;
mod csp;
mod fallback;
mod feeds;
mod front_door;
mod health;
mod kernel;
pub mod metrics;
mod public;
mod seo;
mod state;
mod static_files;
pub mod theme;

use std::convert::Infallible;
use std::future::Future;

use axum::Router;
use axum::ServiceExt as _;
use axum::extract::{Request, State};
use axum::response::Response;
use axum::routing::get;
use tokio::net::TcpListener;
use tower::{Layer as _, Service};

pub use front_door::ACCESS_LOG_TARGET;
pub use kernel::error::AppError;
pub use kernel::pages::PER_PAGE;
pub use kernel::route::MAX_PATH_BYTES;
pub use kernel::search::{indexed_article, is_searchable};
pub use state::{AppState, Readiness, WebOptions};

/// Gazette's public site: the front door (`front_door.rs`: page-cache hits, security headers,
/// access lines), then the router.
pub fn app(state: AppState) -> impl HttpService {
    axum::middleware::from_fn_with_state(state.clone(), front_door::front_door).layer(router(state))
}

/// What [`serve`] serves: [`app`], or the [`metrics_router`].
pub trait HttpService:
    Service<Request, Response = Response, Error = Infallible, Future: Send> + Clone + Send + 'static
{
}

impl<S> HttpService for S where
    S: Service<Request, Response = Response, Error = Infallible, Future: Send>
        + Clone
        + Send
        + 'static
{
}

/// All of Gazette's public routes.
fn router(state: AppState) -> Router {
    Router::new()
        .merge(health::routes())
        .merge(admin::routes())
        .merge(comments::routes())
        .merge(api::routes())
        .route("/assets/{hash}/{*name}", get(static_files::asset))
        .route("/media/{*path}", get(static_files::media))
        .route("/robots.txt", get(public::crawlers::robots))
        .route("/ads.txt", get(public::crawlers::ads))
        .route("/preview/{id}", get(public::preview::show))
        .fallback(fallback::dispatch)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            api::cached_reads,
        ))
        .with_state(state)
}

/// The metrics endpoint, for its own listen address.
pub fn metrics_router(state: AppState) -> Router {
    Router::new()
        .route("/metrics", get(metrics_text))
        .with_state(state)
}

async fn metrics_text(State(state): State<AppState>) -> impl axum::response::IntoResponse {
    let jobs = state.store().job_stats().await.ok();
    let text = state
        .metrics()
        .render(state.page_cache().stats(), state.store().pool_stats(), jobs);
    (
        [("content-type", "text/plain; version=0.0.4; charset=utf-8")],
        text,
    )
}

/// Serves `service` on `listener` until `shutdown` completes, then finishes the requests in
/// flight. Tests bind `127.0.0.1:0` and pass the listener in.
pub async fn serve(
    service: impl HttpService,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = service.into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}
