//! Theme assets under content-hashed URLs, and uploaded media from the media directory.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::metrics::RouteLabel;
use crate::{AppError, AppState};

/// A hashed asset never changes: a new version has a new URL.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Media may be replaced in place (a corrected image), so caches revalidate within the hour.
const MEDIA_CACHE: &str = "public, max-age=3600";
/// Uploaded files are never run as documents: an SVG with a script stays inert.
const MEDIA_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; sandbox";

/// `/assets/{hash}/{name}`.
pub(crate) async fn asset(
    State(state): State<AppState>,
    Path((hash, name)): Path<(String, String)>,
    request: HeaderMap,
) -> Response {
    let mut response = match state.theme().asset(&name) {
        Some(asset) if asset.hash == hash => asset.encoded(IMMUTABLE).respond(&request),
        _ => AppError::NotFound.into_response(),
    };
    response.extensions_mut().insert(RouteLabel("asset"));
    response
}

/// `/media/{path}`: a file below the media directory, never outside it.
pub(crate) async fn media(State(state): State<AppState>, Path(path): Path<String>) -> Response {
    let mut response = match media_file(&state, &path).await {
        Ok(response) => response,
        Err(error) => crate::kernel::pages::error_page(&state, error).await,
    };
    response.extensions_mut().insert(RouteLabel("media"));
    response
}

async fn media_file(state: &AppState, path: &str) -> Result<Response, AppError> {
    // No empty, hidden (`.partial` files, `..`) or odd segments: nothing outside the media
    // directory and nothing half-written is ever served.
    let safe = path
        .split('/')
        .all(|part| !part.is_empty() && !part.starts_with('.') && !part.contains(['\\', '\0']));
    if !safe {
        return Err(AppError::NotFound);
    }
    let file = state.media_dir().join(path);
    let bytes = match tokio::fs::read(&file).await {
        Ok(bytes) => bytes,
        Err(e)
            if matches!(
                e.kind(),
                std::io::ErrorKind::NotFound | std::io::ErrorKind::IsADirectory
            ) =>
        {
            return Err(AppError::NotFound);
        }
        Err(e) => return Err(AppError::Internal(Box::new(e))),
    };
    Ok((
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, media_type(path)),
            (header::CACHE_CONTROL, MEDIA_CACHE),
            (header::CONTENT_SECURITY_POLICY, MEDIA_CSP),
        ],
        bytes,
    )
        .into_response())
}

fn media_type(path: &str) -> &'static str {
    let extension = path.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    match extension.as_str() {
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "svg" => "image/svg+xml",
        "pdf" => "application/pdf",
        "mp3" => "audio/mpeg",
        "mp4" => "video/mp4",
        _ => "application/octet-stream",
    }
}
