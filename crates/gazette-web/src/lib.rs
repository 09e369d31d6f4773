//! Gazette's HTTP layer: the axum router, the application state handlers share, the one error
//! type that becomes responses, and the middleware every response passes through.
//!
//! Nothing here talks SQL or knows which database runs: handlers call the store's methods.
//! The binary builds an [`AppState`] and hands it to [`serve`].

mod error;
mod health;
mod middleware;
mod state;

use std::future::Future;

use axum::Router;
use tokio::net::TcpListener;

pub use error::AppError;
pub use state::{AppState, Readiness};

/// All of Gazette's routes.
pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(health::routes())
        .fallback(error::not_found)
        .layer(axum::middleware::from_fn(middleware::security_headers))
        .layer(axum::middleware::from_fn(middleware::access_log))
        .with_state(state)
}

/// Serves `state` on `listener` until `shutdown` completes, then finishes the requests in
/// flight. Tests bind `127.0.0.1:0` and pass the listener in.
pub async fn serve(
    state: AppState,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}
