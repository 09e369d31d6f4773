//! Newsletters on the public site: `/newsletters/` (what each sends, and the form to ask for
//! them), and the pages the links in newsletter mail open. No page here is cached: the form
//! carries a token of its own, and the link pages are one reader's.

mod links;
mod subscribe;
mod web_version;

use axum::Router;
use axum::routing::get;

use crate::AppState;

/// The newsletter endpoints.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/newsletters/", get(subscribe::show).post(subscribe::ask))
        .route(
            "/newsletters/confirm/{token}",
            get(links::show).post(links::confirm),
        )
        .route(
            "/newsletters/preferences/{token}",
            get(links::show).post(links::choose),
        )
        .route(
            "/newsletters/unsubscribe/{token}",
            get(links::show).post(links::leave),
        )
        .route("/newsletters/{newsletter}/{issue}/", get(web_version::show))
}
