//! Reader comments on the public site: the form's endpoints, the threads under articles, the
//! avatars, and the cookies that remember a commenter.
//!
//! The promise in the form ("Your email address will not be published") is kept everywhere:
//! emails and IP addresses are stored for moderation only, avatars come from a keyed hash,
//! and nothing public is built from either.

pub(crate) mod avatar;
mod commenter_key;
mod submit;
mod subscription;
mod token;

use axum::Router;
use axum::routing::{get, post};

use crate::AppState;

/// The comment endpoints.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/comments/", post(submit::submit))
        .route("/wp-comments-post.php", post(submit::submit))
        .route("/comments/token", get(token::view_token))
        .route("/avatar/{file}", get(avatar::avatar))
        .route(
            "/comments/replies/{token}",
            get(subscription::show).post(subscription::apply),
        )
}
