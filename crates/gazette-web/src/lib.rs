//! Gazette's HTTP layer: the axum router, the application state handlers share, the one error
//! type that becomes responses, the theme, the page cache and the front door every request
//! passes through before routing.
//!
//! Nothing here talks SQL or knows which database runs: handlers call the store's methods.
//! `gazette-node` builds an [`AppState`] and hands it to [`serve_site`]. The surfaces (`public`,
//! `admin`, `api`, `feeds`, `seo`, `comments`) stand on `kernel`.

mod acceptors;
mod admin;
pub mod after_answer;
mod api;
pub mod cache;
mod comments;
mod csp;
mod fallback;
mod feeds;
mod front_door;
mod health;
mod kernel;
mod locks;
pub mod metrics;
mod newsletters;
mod public;
mod seo;
mod state;
mod static_files;
mod striped;
pub mod theme;

use std::future::Future;

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use tokio::net::TcpListener;

pub use front_door::ACCESS_LOG_TARGET;
use front_door::FrontDoors;
pub use kernel::error::AppError;
pub use kernel::newsletter_parts::{IssueParts, compose_article_issue, compose_digest};
pub use kernel::pages::PER_PAGE;
pub use kernel::route::MAX_PATH_BYTES;
pub use kernel::search::{indexed_article, is_searchable};
pub use state::{AppState, Readiness, WebOptions};

/// Serves Gazette's public site on `listener` until `shutdown` completes, then finishes the
/// requests in flight: one acceptor thread per core (`acceptors.rs`) reads the connections,
/// and each connection gets a front door (`front_door.rs`: page-cache hits, security headers,
/// access lines) that leads to the router on this runtime. Tests bind `127.0.0.1:0` and pass
/// the listener in.
pub async fn serve_site(
    state: AppState,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let doors = FrontDoors::new(state.clone(), router(state));
    acceptors::serve(doors, listener, shutdown, acceptors::per_core()).await
}

/// Serves the metrics endpoint on its own listener, as [`serve_site`] does the site.
pub async fn serve_metrics(
    state: AppState,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, metrics_router(state).into_make_service())
        .with_graceful_shutdown(shutdown)
        .await
}

/// All of Gazette's public routes.
fn router(state: AppState) -> Router {
    Router::new()
        .merge(health::routes())
        .merge(admin::routes())
        .merge(comments::routes())
        .merge(newsletters::routes())
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
fn metrics_router(state: AppState) -> Router {
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
