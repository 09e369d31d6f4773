//! `/wp/v2/media`: the media library in WordPress's attachment shape, and uploads through the
//! same pipeline as the back office's (checked, re-encoded, its variants made by a job), by
//! those whose role may upload. An upload is the image as the body with
//! `Content-Disposition: attachment; filename=…`, or a `multipart/form-data` form with a
//! `file` field, as WordPress takes either.

use axum::Json;
use axum::extract::{FromRequest, Multipart, Path, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use gazette_core::{Capability, Media, MediaId, media::stored_stem};
use gazette_media::{Limits, MediaError};
use gazette_store::{MediaText, Once};
use serde_json::{Value, json};

use super::collection::Paging;
use super::values::{gmt, local, paragraph};
use super::write::person_who_can;
use super::{ApiError, Asked};
use crate::AppError;
use crate::AppState;
use crate::kernel::UPLOAD_BODY_LIMIT;
use crate::kernel::idempotency::{self, upload_description};
use crate::kernel::pages::Snapshot;
use crate::kernel::site::Site;

/// `GET /wp/v2/media`: the library, newest first; `search` looks in names and texts. Those
/// who may upload see all of it; anyone else the images published articles feature (the
/// library also holds pictures for stories not out yet).
pub(crate) async fn list_media(
    State(state): State<AppState>,
    Snapshot(site): Snapshot,
    asked: Asked,
) -> Result<Response, ApiError> {
    let params = &asked.params;
    let mut problems = Vec::new();
    let paging = Paging::of(params, &mut problems);
    if !problems.is_empty() {
        return Err(ApiError::invalid_params(problems));
    }
    let library = if sees_library(&state, &asked).await? {
        let search = params.get("search").unwrap_or_default();
        state
            .store()
            .media_library(
                &gazette_store::MediaFilter::searching(search),
                paging.skip(),
                paging.per_page,
            )
            .await?
    } else {
        state
            .store()
            .public_media(paging.skip(), paging.per_page)
            .await?
    };
    let origin = asked.origin(&state).await;
    let headers = paging.headers(
        library.total,
        &format!("{origin}/wp-json/wp/v2/media"),
        params,
    )?;
    let body: Vec<Value> = library
        .items
        .iter()
        .map(|m| media_json(&site, &origin, m, false))
        .collect();
    Ok((headers, Json(Value::Array(body))).into_response())
}

/// `GET /wp/v2/media/{id}`: any image for those who may upload, a published article's
/// featured image for anyone.
pub(crate) async fn one_media(
    State(state): State<AppState>,
    Snapshot(site): Snapshot,
    Path(id): Path<String>,
    asked: Asked,
) -> Result<Json<Value>, ApiError> {
    let id = MediaId(super::path_id(&id)?);
    let person = super::write::person(&state, &asked).await?;
    let uploader = person
        .as_ref()
        .is_some_and(|p| p.role.can(Capability::UploadMedia));
    let edit = asked.params.get("context") == Some("edit");
    if edit && !uploader {
        return Err(ApiError::forbidden_context(person.is_some()));
    }
    let visible = uploader || state.store().media_is_public(id).await?;
    let media = match state.store().media(id).await? {
        Some(media) if visible => media,
        _ => return Err(super::values::invalid_post_id()),
    };
    let origin = asked.origin(&state).await;
    Ok(Json(media_json(&site, &origin, &media, edit)))
}

/// Whether the client signed in as someone who may upload, and so sees the whole library.
async fn sees_library(state: &AppState, asked: &Asked) -> Result<bool, ApiError> {
    Ok(super::write::person(state, asked)
        .await?
        .is_some_and(|p| p.role.can(Capability::UploadMedia)))
}

/// `POST /wp/v2/media`: an image into the library, with `alt_text` and `caption` when sent
/// as form fields.
pub(crate) async fn upload_media(
    State(state): State<AppState>,
    Snapshot(site): Snapshot,
    request: Request,
) -> Result<Response, ApiError> {
    let asked = Asked::of_request(&request);
    let uploader = person_who_can(
        &state,
        &asked,
        Capability::UploadMedia,
        "rest_cannot_create",
        "Sorry, you are not allowed to upload media as this user.",
    )
    .await?;
    let upload = read_upload(&state, request).await?;
    if upload.bytes.is_empty() {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "rest_upload_no_data",
            "No data supplied.",
        ));
    }
    let description = upload_description("POST /wp/v2/media", &upload.file_name, &upload.text);
    let key = idempotency::from_header(
        &asked.headers,
        &idempotency::of_person(uploader.id),
        &[description.as_bytes(), &upload.bytes],
    )?;
    let bytes = upload.bytes;
    let prepared =
        tokio::task::spawn_blocking(move || gazette_media::prepare(&bytes, &Limits::default()))
            .await
            .map_err(|e| ApiError::from(crate::AppError::Internal(Box::new(e))))?;
    let prepared = prepared.map_err(|error| {
        let status = match error {
            MediaError::TooLarge { .. } | MediaError::TooManyPixels { .. } => {
                StatusCode::PAYLOAD_TOO_LARGE
            }
            MediaError::NotAnImage => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            _ => StatusCode::UNPROCESSABLE_ENTITY,
        };
        ApiError::new(
            status,
            "rest_upload_sideload_error",
            format!("{}: {error}.", upload.file_name),
        )
    })?;
    let kept = gazette_newsroom::media::Upload {
        file_name: &upload.file_name,
        text: &upload.text,
        once: key.as_ref(),
    };
    let media =
        gazette_newsroom::media::upload(state.store(), state.media(), uploader.id, kept, prepared)
            .await
            .map_err(AppError::from)?;
    let (media, repeated) = match media {
        Once::Done(media) => (media, false),
        Once::Repeated(record) => {
            let gone = || ApiError::from(AppError::NotFound);
            let id = super::write::repeated(record, "media", gone())?;
            let media = state.store().media(MediaId(id)).await?;
            (media.ok_or_else(gone)?, true)
        }
    };
    let origin = asked.origin(&state).await;
    let item = media_json(&site, &origin, &media, true);
    Ok(super::write::created_once(item, repeated))
}

/// An upload as received.
#[derive(Debug, Default)]
struct Upload {
    file_name: String,
    bytes: Vec<u8>,
    text: MediaText,
}

async fn read_upload(state: &AppState, request: Request) -> Result<Upload, ApiError> {
    let too_large = || {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "rest_upload_file_too_big",
            format!(
                "The upload is larger than {} MB.",
                Limits::default().max_bytes / (1024 * 1024)
            ),
        )
    };
    let is_form = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if !is_form {
        let file_name = attachment_name(request.headers()).ok_or_else(|| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "rest_upload_no_content_disposition",
                "No Content-Disposition supplied.",
            )
        })?;
        let bytes = axum::body::to_bytes(request.into_body(), UPLOAD_BODY_LIMIT)
            .await
            .map_err(|_| too_large())?;
        return Ok(Upload {
            file_name,
            bytes: bytes.to_vec(),
            text: MediaText::default(),
        });
    }
    let unreadable = |error: axum::extract::multipart::MultipartError| {
        if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
            too_large()
        } else {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "rest_upload_no_data",
                format!("The form could not be read ({}).", error.body_text()),
            )
        }
    };
    let mut form = Multipart::from_request(request, state).await.map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "rest_upload_no_data",
            format!("The form could not be read ({}).", e.body_text()),
        )
    })?;
    let mut upload = Upload::default();
    while let Some(field) = form.next_field().await.map_err(unreadable)? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            upload.file_name = field.file_name().unwrap_or("image").to_owned();
            upload.bytes = field.bytes().await.map_err(unreadable)?.to_vec();
            continue;
        }
        let value = field.text().await.map_err(unreadable)?.trim().to_owned();
        match name.as_str() {
            "alt_text" => upload.text.alt = value,
            "caption" => upload.text.caption = value,
            _ => {}
        }
    }
    Ok(upload)
}

/// The file name in `Content-Disposition: attachment; filename="x.png"` (or `filename*=`).
fn attachment_name(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::CONTENT_DISPOSITION)?.to_str().ok()?;
    value.split(';').find_map(|part| {
        let (key, name) = part.trim().split_once('=')?;
        let name = name.trim().trim_matches('"');
        match key.trim().to_ascii_lowercase().as_str() {
            "filename" => Some(name.to_owned()),
            // RFC 5987: charset''percent-encoded
            "filename*" => name.split_once("''").map(|(_, encoded)| {
                percent_encoding::percent_decode_str(encoded)
                    .decode_utf8_lossy()
                    .into_owned()
            }),
            _ => None,
        }
        .filter(|name| !name.trim().is_empty())
    })
}

/// A library image as WordPress's attachment. Its variants are listed in
/// `media_details.sizes` by width (`640w`), with WordPress's `thumbnail`, `medium` and
/// `large` names given to the narrowest, the first at least 300 and the widest up to 1024
/// pixels wide, and `full`.
pub(super) fn media_json(site: &Site, origin: &str, media: &Media, edit: bool) -> Value {
    let id = media.id.0;
    let source_url = format!("{origin}{}", media.url());
    let mime = media.format.mime_type();
    let file_name = |path: &str| path.rsplit('/').next().unwrap_or(path).to_owned();
    let mut sizes = serde_json::Map::new();
    let size = |width: u32| {
        let (w, h) = gazette_core::media::variant_size(media.width, media.height, width);
        let path = media.variant_path(width);
        json!({
            "file": file_name(&path),
            "width": w,
            "height": h,
            "mime_type": mime,
            "source_url": format!("{origin}/media/{path}"),
        })
    };
    let widths = &media.variant_widths;
    for width in widths {
        sizes.insert(format!("{width}w"), size(*width));
    }
    let named = [
        ("thumbnail", widths.iter().min().copied()),
        (
            "medium",
            widths.iter().filter(|w| **w >= 300).min().copied(),
        ),
        (
            "large",
            widths.iter().filter(|w| **w <= 1024).max().copied(),
        ),
    ];
    for (name, width) in named {
        if let Some(width) = width {
            sizes.insert(name.to_owned(), size(width));
        }
    }
    sizes.insert(
        "full".to_owned(),
        json!({
            "file": file_name(&media.path),
            "width": media.width,
            "height": media.height,
            "mime_type": mime,
            "source_url": source_url,
        }),
    );
    let author = media.uploaded_by.map_or(0, |p| p.0);
    let title = stored_stem(&media.original_name);
    let mut json = json!({
        "id": id,
        "date": local(site, media.created_at),
        "date_gmt": gmt(media.created_at),
        "guid": { "rendered": source_url },
        "modified": local(site, media.updated_at),
        "modified_gmt": gmt(media.updated_at),
        "slug": stored_stem(&media.path),
        "status": "inherit",
        "type": "attachment",
        "link": source_url,
        "title": { "rendered": gazette_render::escape_html(&title) },
        "author": author,
        "comment_status": "closed",
        "ping_status": "closed",
        "template": "",
        "meta": [],
        "description": { "rendered": paragraph(&media.credit) },
        "caption": { "rendered": paragraph(&media.caption) },
        "alt_text": media.alt,
        "media_type": "image",
        "mime_type": mime,
        "media_details": {
            "width": media.width,
            "height": media.height,
            "file": media.path,
            "filesize": media.byte_size,
            "sizes": sizes,
            // Uploads are re-encoded without their metadata: WordPress's fields, empty.
            "image_meta": {
                "aperture": "0", "credit": "", "camera": "", "caption": "",
                "created_timestamp": "0", "copyright": "", "focal_length": "0", "iso": "0",
                "shutter_speed": "0", "title": "", "orientation": "0", "keywords": [],
            },
        },
        "post": null,
        "source_url": source_url,
        "_links": {
            "self": [{ "href": format!("{origin}/wp-json/wp/v2/media/{id}") }],
            "collection": [{ "href": format!("{origin}/wp-json/wp/v2/media") }],
            "about": [{ "href": format!("{origin}/wp-json/wp/v2/types/attachment") }],
            "author": [{ "embeddable": true, "href": format!("{origin}/wp-json/wp/v2/users/{author}") }],
        },
    });
    if edit {
        json["_links"]["curies"] =
            json!([{ "name": "wp", "href": "https://api.w.org/{rel}", "templated": true }]);
        json["guid"]["raw"] = json!(source_url);
        json["title"]["raw"] = json!(title);
        json["caption"]["raw"] = json!(media.caption);
        json["description"]["raw"] = json!(media.credit);
        json["generated_slug"] = json!(stored_stem(&media.path));
        json["permalink_template"] = json!(source_url);
        // Variants are made by a job just after the upload.
        json["missing_image_sizes"] = json!([]);
    }
    json
}
