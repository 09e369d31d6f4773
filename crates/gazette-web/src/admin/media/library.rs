//! The library's grid, narrowed by words, file type and month, and its uploads: one or many
//! files from the form (several at once with `multiple`, or dropped on the page and sent one
//! by one by `media.js`, each with its own progress).

use axum::extract::{Multipart, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use gazette_core::{ImageFormat, Media, MediaId};
use gazette_media::{Limits, MediaError};
use gazette_store::{MediaFilter, MediaText, Once};
use minijinja::context;

use super::{item_json, item_view, may_upload, wants_json};
use crate::admin::{Staff, capitalise, staff_page, url_encode};
use crate::kernel::idempotency::{self, upload_description};
use crate::kernel::query::Query;
use crate::{AppError, AppState};

/// Items per library page.
const PER_PAGE: u64 = 48;

/// What a library address may carry: the filters and page its form and links make, and the
/// notice after an upload (`?uploaded=N`), a save (`?saved=ID`) or a deletion
/// (`?done=deleted`).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub(crate) struct LibraryQuery {
    q: Option<String>,
    r#type: Option<String>,
    month: Option<String>,
    unused: Option<String>,
    page: Option<String>,
    uploaded: Option<String>,
    saved: Option<String>,
    done: Option<String>,
}

/// `GET /admin/media/`: the library, newest first, with the upload form.
pub(crate) async fn library(
    State(state): State<AppState>,
    staff: Staff,
    Query(query): Query<LibraryQuery>,
) -> Result<Response, AppError> {
    may_upload(&staff)?;
    let notice = if let Some(count) = crate::admin::notice::count(query.uploaded.as_deref()) {
        Some(format!(
            "Uploaded {count} images. Smaller sizes and crops are being made; describe each \
             image for readers who cannot see it."
        ))
    } else if query.saved.is_some() {
        Some("Saved.".to_owned())
    } else {
        crate::admin::notice::fixed(
            query.done.as_deref(),
            &[("deleted", "Deleted the image and its files.")],
        )
        .map(str::to_owned)
    };
    library_page(&state, &staff, &query, StatusCode::OK, Vec::new(), notice).await
}

/// The filters a library address carries; a clear error for values the form never sends.
fn read_filter(query: &LibraryQuery) -> Result<MediaFilter, AppError> {
    let format = match trimmed(&query.r#type) {
        "" => None,
        name => Some(ImageFormat::parse(name).ok_or_else(|| {
            AppError::BadRequest(format!(
                "“{name}” is not a file type of the library: choose jpeg, png, webp or gif."
            ))
        })?),
    };
    let month = match trimmed(&query.month) {
        "" => None,
        value => Some(read_month(value).ok_or_else(|| {
            AppError::BadRequest(format!(
                "“{value}” is not a month: give it as year and month, like 2026-11."
            ))
        })?),
    };
    let unused = match trimmed(&query.unused) {
        "" => false,
        "1" | "on" => true,
        other => {
            return Err(AppError::BadRequest(format!(
                "“{other}” is not a choice for unused images: leave it out, or give 1."
            )));
        }
    };
    Ok(MediaFilter {
        search: trimmed(&query.q).to_owned(),
        format,
        month,
        unused,
    })
}

/// A parameter's value without surrounding spaces; "" when it is missing.
fn trimmed(value: &Option<String>) -> &str {
    value.as_deref().map_or("", str::trim)
}

fn read_month(value: &str) -> Option<(i16, i8)> {
    let (year, month) = value.split_once('-')?;
    let month: i8 = month.parse().ok().filter(|m| (1..=12).contains(m))?;
    Some((year.parse().ok().filter(|y| *y > 0)?, month))
}

/// The library address for `filter`'s page `page`.
fn address(filter: &MediaFilter, page: u64) -> String {
    let mut pairs = Vec::new();
    if !filter.search.is_empty() {
        pairs.push(format!("q={}", url_encode(&filter.search)));
    }
    if let Some(format) = filter.format {
        pairs.push(format!("type={}", format.as_str()));
    }
    if let Some((year, month)) = filter.month {
        pairs.push(format!("month={year:04}-{month:02}"));
    }
    if filter.unused {
        pairs.push("unused=1".to_owned());
    }
    if page > 1 {
        pairs.push(format!("page={page}"));
    }
    if pairs.is_empty() {
        "/admin/media/".to_owned()
    } else {
        format!("/admin/media/?{}", pairs.join("&"))
    }
}

async fn library_page(
    state: &AppState,
    staff: &Staff,
    query: &LibraryQuery,
    status: StatusCode,
    problems: Vec<String>,
    notice: Option<String>,
) -> Result<Response, AppError> {
    let filter = read_filter(query)?;
    let page: u64 = query
        .page
        .as_deref()
        .and_then(|p| p.parse().ok())
        .filter(|p| *p >= 1)
        .unwrap_or(1);
    let found = state
        .store()
        .media_library(&filter, (page - 1) * PER_PAGE, PER_PAGE)
        .await?;
    let pages = found.total.div_ceil(PER_PAGE).max(1);
    let items: Vec<_> = found
        .items
        .iter()
        .map(|media| {
            let editable = super::may_change(staff, media).is_ok();
            context! { editable, ..item_view(media) }
        })
        .collect();
    let months: Vec<_> = state
        .store()
        .media_months()
        .await?
        .into_iter()
        .map(|(year, month)| {
            context! {
                value => format!("{year:04}-{month:02}"),
                selected => filter.month == Some((year, month)),
            }
        })
        .collect();
    let formats: Vec<_> = ImageFormat::ALL
        .iter()
        .map(|format| context! { value => format.as_str(), selected => filter.format == Some(*format) })
        .collect();
    let narrowed = filter != MediaFilter::default();
    Ok(staff_page(
        state,
        staff,
        status,
        "admin/media.html",
        context! {
            items,
            search => filter.search,
            unused => filter.unused,
            formats,
            months,
            narrowed,
            total => found.total,
            page,
            pages,
            here => address(&filter, page),
            previous => (page > 1).then(|| address(&filter, page - 1)),
            next => (page < pages).then(|| address(&filter, page + 1)),
            problems,
            notice,
            max_megabytes => Limits::default().max_bytes / (1024 * 1024),
            idempotency_key => idempotency::fresh(),
        },
    ))
}

/// A file of an upload form.
#[derive(Debug)]
struct File {
    name: String,
    bytes: Vec<u8>,
}

/// What an upload form carried: its files (none chosen sends one without a name or bytes)
/// and the text for all of them.
#[derive(Debug, Default)]
struct Upload {
    csrf: String,
    /// The form's idempotency key; each file is made once under it (`KEY/0`, `KEY/1`, …).
    key: String,
    files: Vec<File>,
    text: MediaText,
}

async fn read_upload(mut form: Multipart) -> Result<Upload, AppError> {
    let mut upload = Upload::default();
    while let Some(field) = form.next_field().await.map_err(multipart_error)? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            let file_name = field.file_name().unwrap_or_default().to_owned();
            let bytes = field.bytes().await.map_err(multipart_error)?.to_vec();
            if !(file_name.is_empty() && bytes.is_empty()) {
                upload.files.push(File {
                    name: file_name,
                    bytes,
                });
            }
            continue;
        }
        let value = field.text().await.map_err(multipart_error)?;
        let value = value.trim().to_owned();
        match name.as_str() {
            "csrf" => upload.csrf = value,
            idempotency::FIELD => upload.key = value,
            "alt" => upload.text.alt = value,
            "caption" => upload.text.caption = value,
            "credit" => upload.text.credit = value,
            _ => {}
        }
    }
    Ok(upload)
}

fn multipart_error(error: axum::extract::multipart::MultipartError) -> AppError {
    if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
        AppError::TooLarge(format!(
            "The upload is larger than {} MB. Export a smaller version of the image and try \
             again.",
            Limits::default().max_bytes / (1024 * 1024)
        ))
    } else {
        AppError::BadRequest(format!(
            "The upload could not be read ({}). Choose the file again and resend the form.",
            error.body_text()
        ))
    }
}

/// Why one file was not kept: the status to answer with and what to tell the uploader.
type Refusal = (StatusCode, String);

/// `POST /admin/media/`: checks, cleans and stores each file of an upload. Each file is kept
/// or refused on its own; one refused file never takes the others with it.
pub(crate) async fn upload(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    form: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, AppError> {
    may_upload(&staff)?;
    let form = form.map_err(|e| {
        AppError::BadRequest(format!(
            "Send the image with the upload form ({}).",
            e.body_text()
        ))
    })?;
    let upload = read_upload(form).await?;
    staff.check_csrf(&upload.csrf)?;
    if upload.files.is_empty() {
        let refusal = (
            StatusCode::UNPROCESSABLE_ENTITY,
            "Choose an image file to upload.".to_owned(),
        );
        return refused(&state, &staff, &headers, vec![refusal], &[]).await;
    }
    let mut text = upload.text;
    if upload.files.len() > 1 {
        // One description cannot fit several pictures; the credit and caption may.
        text.alt.clear();
    }
    let mut kept = Vec::new();
    let mut refusals = Vec::new();
    for (index, file) in upload.files.into_iter().enumerate() {
        let key = (!upload.key.is_empty()).then(|| format!("{}/{index}", upload.key));
        match keep(&state, &staff, file, &text, key.as_deref()).await? {
            Ok(media) => kept.push(media),
            Err(refusal) => refusals.push(refusal),
        }
    }
    if !refusals.is_empty() && (kept.is_empty() || !wants_json(&headers)) {
        return refused(&state, &staff, &headers, refusals, &kept).await;
    }
    if wants_json(&headers) {
        if let ([media], []) = (kept.as_slice(), refusals.as_slice()) {
            return Ok((StatusCode::CREATED, axum::Json(item_json(media))).into_response());
        }
        // Several files in one request: what was kept, and why the others were not.
        let status = refusals.first().map_or(StatusCode::CREATED, |(s, _)| *s);
        let body = serde_json::json!({
            "items": kept.iter().map(item_json).collect::<Vec<_>>(),
            "errors": refusals.iter().map(|(_, message)| message).collect::<Vec<_>>(),
        });
        return Ok((status, axum::Json(body)).into_response());
    }
    let next = match kept.as_slice() {
        [media] => format!("/admin/media/{}?uploaded", media.id.0),
        _ => format!("/admin/media/?uploaded={}", kept.len()),
    };
    Ok(crate::kernel::redirect::see_other(&next).into_response())
}

/// Cleans and stores one file; a refusal says why it was not kept.
async fn keep(
    state: &AppState,
    staff: &Staff,
    file: File,
    text: &MediaText,
    key: Option<&str>,
) -> Result<Result<Media, Refusal>, AppError> {
    let File { name, bytes } = file;
    if bytes.is_empty() {
        let message = format!("{}: the file is empty.", display_name(&name));
        return Ok(Err((StatusCode::UNPROCESSABLE_ENTITY, message)));
    }
    let description = upload_description("POST /admin/media/", &name, text);
    let scope = idempotency::of_person(staff.person.id);
    let once = idempotency::from_field(key, &scope, &[description.as_bytes(), &bytes])?;
    let prepared =
        tokio::task::spawn_blocking(move || gazette_media::prepare(&bytes, &Limits::default()))
            .await
            .map_err(|e| AppError::Internal(Box::new(e)))?;
    let prepared = match prepared {
        Ok(prepared) => prepared,
        Err(error) => {
            let status = match error {
                MediaError::TooLarge { .. } | MediaError::TooManyPixels { .. } => {
                    StatusCode::PAYLOAD_TOO_LARGE
                }
                MediaError::NotAnImage => StatusCode::UNSUPPORTED_MEDIA_TYPE,
                _ => StatusCode::UNPROCESSABLE_ENTITY,
            };
            let message = format!(
                "{}: {}.",
                display_name(&name),
                capitalise(&error.to_string())
            );
            return Ok(Err((status, message)));
        }
    };
    let upload = gazette_newsroom::media::Upload {
        file_name: &name,
        text,
        once: once.as_ref(),
    };
    let media = gazette_newsroom::media::upload(
        state.store(),
        state.media(),
        staff.person.id,
        upload,
        prepared,
    )
    .await?;
    // Sent again after its answer was lost: the image the first sending kept.
    let media = match media {
        Once::Done(media) => media,
        Once::Repeated(record) => state
            .store()
            .media(MediaId(record.id))
            .await?
            .ok_or(AppError::NotFound)?,
    };
    Ok(Ok(media))
}

/// The library page with what was refused (the first refusal's status) and what was kept
/// from the same form, or its JSON.
async fn refused(
    state: &AppState,
    staff: &Staff,
    headers: &HeaderMap,
    refusals: Vec<Refusal>,
    kept: &[Media],
) -> Result<Response, AppError> {
    let status = refusals
        .first()
        .map_or(StatusCode::UNPROCESSABLE_ENTITY, |(status, _)| *status);
    let messages: Vec<String> = refusals.into_iter().map(|(_, message)| message).collect();
    if wants_json(headers) {
        let body = serde_json::json!({ "error": messages.join(" ") });
        return Ok((status, axum::Json(body)).into_response());
    }
    let notice = (!kept.is_empty()).then(|| {
        let names: Vec<_> = kept
            .iter()
            .map(|m| display_name(&m.original_name))
            .collect();
        format!("Uploaded and kept: {}.", names.join(", "))
    });
    library_page(
        state,
        staff,
        &LibraryQuery::default(),
        status,
        messages,
        notice,
    )
    .await
}

fn display_name(file_name: &str) -> String {
    if file_name.is_empty() {
        "The file".to_owned()
    } else {
        format!("“{file_name}”")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn library_addresses_carry_their_filters() {
        let filter = MediaFilter {
            search: "red boat".to_owned(),
            format: Some(ImageFormat::Png),
            month: Some((2026, 3)),
            unused: true,
        };
        assert_eq!(
            address(&filter, 2),
            "/admin/media/?q=red%20boat&type=png&month=2026-03&unused=1&page=2"
        );
        assert_eq!(address(&MediaFilter::default(), 1), "/admin/media/");
        assert_eq!(read_month("2026-03"), Some((2026, 3)));
        assert_eq!(read_month("2026-13"), None);
        assert_eq!(read_month("March"), None);
    }
}
