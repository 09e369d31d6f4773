//! `GET /admin/embed?url=…`: the frame a link alone on its line will become, for the editor to
//! show under that line (`{"provider": …, "html": …}`), or 404 for a link to a provider that is
//! not on the allow-list (it stays a link).

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::Staff;
use crate::kernel::query::Query;

/// The link to turn into a frame: `?url=…`.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub(crate) struct Link {
    url: String,
}

pub(crate) async fn embed_preview(_staff: Staff, Query(query): Query<Link>) -> Response {
    let link = query.url.as_str();
    match gazette_render::embed_frame(link) {
        Some((provider, html)) => {
            axum::Json(serde_json::json!({ "provider": provider, "html": html })).into_response()
        }
        None => {
            let error = "Not a link to a provider whose players and charts articles may show.";
            (
                StatusCode::NOT_FOUND,
                axum::Json(serde_json::json!({ "error": error })),
            )
                .into_response()
        }
    }
}
