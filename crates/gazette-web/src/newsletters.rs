//! Newsletters on the public site: `/newsletters/` (what each sends, and the form to ask for
//! them), and the pages the links in newsletter mail open. No page here is cached: the form
//! carries a token of its own, and the link pages are one reader's.
//!
//! The handlers answer `Result<Response, AppError>`; the routes below show their errors as the
//! themed error page, as every public page does (a reader who follows a broken link in a mail
//! lands on the journal, not on a line of plain text).

mod links;
mod subscribe;
mod web_version;
mod webhooks;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use axum::{Extension, Router};

use crate::kernel::client::Client;
use crate::kernel::pages::{Snapshot, error_page};
use crate::{AppError, AppState};

/// The newsletter endpoints.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/newsletters/", get(show_list).post(ask))
        .route("/newsletters/confirm/{token}", get(show_link).post(confirm))
        .route(
            "/newsletters/preferences/{token}",
            get(show_link).post(choose),
        )
        .route(
            "/newsletters/unsubscribe/{token}",
            get(show_link).post(leave),
        )
        .route(
            "/newsletters/webhooks/mailgun",
            axum::routing::post(webhooks::mailgun),
        )
        .route(
            "/newsletters/webhooks/postmark",
            axum::routing::post(webhooks::postmark),
        )
        .route("/newsletters/{newsletter}/{issue}/", get(show_issue))
}

/// The answer, or the themed page for its error.
async fn themed(state: &AppState, answer: Result<Response, AppError>) -> Response {
    match answer {
        Ok(response) => response,
        Err(error) => error_page(state, error).await,
    }
}

async fn show_list(state: State<AppState>, site: Snapshot) -> Response {
    let app = state.0.clone();
    themed(&app, subscribe::show(state, site).await).await
}

async fn ask(
    state: State<AppState>,
    client: Extension<Client>,
    site: Snapshot,
    body: Bytes,
) -> Response {
    let app = state.0.clone();
    themed(&app, subscribe::ask(state, client, site, body).await).await
}

async fn show_link(state: State<AppState>, site: Snapshot, token: Path<String>) -> Response {
    let app = state.0.clone();
    themed(&app, links::show(state, site, token).await).await
}

async fn confirm(state: State<AppState>, site: Snapshot, token: Path<String>) -> Response {
    let app = state.0.clone();
    themed(&app, links::confirm(state, site, token).await).await
}

async fn choose(
    state: State<AppState>,
    site: Snapshot,
    token: Path<String>,
    body: Bytes,
) -> Response {
    let app = state.0.clone();
    themed(&app, links::choose(state, site, token, body).await).await
}

async fn leave(state: State<AppState>, site: Snapshot, token: Path<String>) -> Response {
    let app = state.0.clone();
    themed(&app, links::leave(state, site, token).await).await
}

async fn show_issue(
    state: State<AppState>,
    site: Snapshot,
    path: Path<(String, String)>,
) -> Response {
    let app = state.0.clone();
    themed(&app, web_version::show(state, site, path).await).await
}
