//! Theme assets under content-hashed URLs, and uploaded media from the media store.

mod range;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::metrics::RouteLabel;
use crate::{AppError, AppState};

/// A hashed asset never changes: a new version has a new URL.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// An object never changes while a row names it, but a deleted image's name may be taken again
/// later, so caches revalidate (cheaply, by ETag) within the hour.
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

/// `/media/{path}`: an object of the media store (a directory or a bucket), with `ETag`,
/// `Last-Modified`, `304` and byte ranges; or a redirect to the bucket's public address when the
/// operator set one.
pub(crate) async fn media(
    State(state): State<AppState>,
    Path(path): Path<String>,
    request: HeaderMap,
) -> Response {
    let mut response = match media_object(&state, &path, &request).await {
        Ok(response) => response,
        Err(error) => crate::kernel::pages::error_page(&state, error).await,
    };
    response.extensions_mut().insert(RouteLabel("media"));
    response
}

async fn media_object(
    state: &AppState,
    path: &str,
    request: &HeaderMap,
) -> Result<Response, AppError> {
    // Nothing outside the store and nothing half-written (hidden names) is ever served.
    if !gazette_media::is_object_name(path) {
        return Err(AppError::NotFound);
    }
    let media = state.media();
    if let Some(url) = media.public_url(path) {
        return Ok((
            StatusCode::FOUND,
            [
                (header::LOCATION, url),
                (header::CACHE_CONTROL, MEDIA_CACHE.to_owned()),
            ],
        )
            .into_response());
    }
    let info = media
        .info(path)
        .await
        .map_err(unavailable)?
        .ok_or(AppError::NotFound)?;
    let etag = HeaderValue::from_str(&info.etag).map_err(|e| AppError::Internal(Box::new(e)))?;
    let mut headers = HeaderMap::with_capacity(12);
    headers.insert(header::ETAG, etag.clone());
    let modified = crate::cache::http_date(info.last_modified);
    if let Ok(value) = HeaderValue::from_str(&modified) {
        headers.insert(header::LAST_MODIFIED, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(MEDIA_CACHE));
    headers.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    if crate::cache::not_modified(request, &etag, Some(info.last_modified)) {
        return Ok((StatusCode::NOT_MODIFIED, headers).into_response());
    }
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(media_type(path)),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(MEDIA_CSP),
    );
    let wanted = range::requested(request, &info.etag, info.last_modified);
    let (status, span) = match range::resolve(wanted, info.size) {
        range::Resolved::Whole => (StatusCode::OK, 0..info.size),
        range::Resolved::Part(span) => {
            let content_range = format!("bytes {}-{}/{}", span.start, span.end - 1, info.size);
            if let Ok(value) = HeaderValue::from_str(&content_range) {
                headers.insert(header::CONTENT_RANGE, value);
            }
            (StatusCode::PARTIAL_CONTENT, span)
        }
        range::Resolved::Unsatisfiable => {
            let content_range = format!("bytes */{}", info.size);
            if let Ok(value) = HeaderValue::from_str(&content_range) {
                headers.insert(header::CONTENT_RANGE, value);
            }
            return Ok((StatusCode::RANGE_NOT_SATISFIABLE, headers).into_response());
        }
    };
    let body = if span == (0..info.size) {
        media.read(path).await
    } else {
        media.read_range(path, span).await
    };
    // Gone between the two questions: removed by a job meanwhile.
    let body = body.map_err(unavailable)?.ok_or(AppError::NotFound)?;
    Ok((status, headers, body).into_response())
}

/// The media store could not answer (a bucket unreachable, a disk failing): logged, and the
/// reader is asked to come back.
fn unavailable(error: gazette_media::MediaStoreError) -> AppError {
    tracing::error!(%error, "the media store could not answer");
    AppError::Unavailable
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
