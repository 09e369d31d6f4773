//! `/healthz` (the process is alive) and `/readyz` (this node may take traffic: the store
//! answers and the follower has caught up).

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;

use crate::AppState;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
}

async fn healthz() -> &'static str {
    "ok\n"
}

async fn readyz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    if !state.readiness().is_caught_up() {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            "not ready: catching up with the change log\n",
        );
    }
    let answered = state.store().latest_change_id().await;
    state.readiness().set_database_reachable(answered.is_ok());
    match answered {
        Ok(_) => (StatusCode::OK, "ready\n"),
        Err(error) => {
            tracing::warn!(%error, "readiness check could not reach the store");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "not ready: the database does not answer\n",
            )
        }
    }
}
