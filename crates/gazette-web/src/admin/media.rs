//! The media library at `/admin/media/`: upload, browse, search, describe and delete images.
//!
//! An upload is checked and re-encoded (`gazette-media`) before anything is kept: the file a
//! reader receives is never the one the uploader sent. The full-size clean image is written
//! first, then recorded with a job that makes the narrower variants, so a record never points
//! at a missing file and a failed upload leaves nothing behind.

use std::collections::HashMap;

use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use gazette_core::{ArticleId, Capability, FocalPoint, Media, MediaId};
use gazette_media::{Limits, MediaError};
use gazette_store::{MediaDeletion, MediaText, MediaUsage};
use minijinja::context;

use super::{CsrfForm, Staff, capitalise, staff_page};
use crate::{AppError, AppState};

/// Items per library page.
const PER_PAGE: u64 = 48;

fn may_upload(staff: &Staff) -> Result<(), AppError> {
    staff.require(
        Capability::UploadMedia,
        "Your role does not include the media library; ask an editor to add images.",
    )
}

/// Authors change and delete their own uploads; editors and administrators anyone's.
fn may_change(staff: &Staff, media: &Media) -> Result<(), AppError> {
    may_upload(staff)?;
    if staff.person.role.can(Capability::EditOthersArticles)
        || media.uploaded_by == Some(staff.person.id)
    {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "Only editors change images other people uploaded.".to_owned(),
        ))
    }
}

/// `GET /admin/media/`: the library, newest first, with the upload form.
pub(crate) async fn library(
    State(state): State<AppState>,
    staff: Staff,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    may_upload(&staff)?;
    let notice = super::notice::fixed(&query, &[("deleted", "Deleted the image and its files.")])
        .map(str::to_owned);
    library_page(&state, &staff, &query, StatusCode::OK, None, notice).await
}

async fn library_page(
    state: &AppState,
    staff: &Staff,
    query: &HashMap<String, String>,
    status: StatusCode,
    problem: Option<String>,
    notice: Option<String>,
) -> Result<Response, AppError> {
    let search = query.get("q").map_or("", |q| q.trim());
    let page: u64 = query
        .get("page")
        .and_then(|p| p.parse().ok())
        .filter(|p| *p >= 1)
        .unwrap_or(1);
    let found = state
        .store()
        .media_library(search, (page - 1) * PER_PAGE, PER_PAGE)
        .await?;
    let pages = found.total.div_ceil(PER_PAGE).max(1);
    let items: Vec<_> = found.items.iter().map(item_view).collect();
    let link = |n: u64| {
        let mut url = format!("/admin/media/?page={n}");
        if !search.is_empty() {
            url.push_str(&format!("&q={}", super::url_encode(search)));
        }
        url
    };
    Ok(staff_page(
        state,
        staff,
        status,
        "admin/media.html",
        context! {
            items,
            search,
            total => found.total,
            page,
            pages,
            previous => (page > 1).then(|| link(page - 1)),
            next => (page < pages).then(|| link(page + 1)),
            problem,
            notice,
            max_megabytes => Limits::default().max_bytes / (1024 * 1024),
        },
    ))
}

fn item_view(media: &Media) -> minijinja::Value {
    let widest = |shape| media.crops(shape).pop().map(|crop| crop.url());
    context! {
        id => media.id.0,
        url => media.url(),
        thumbnail => media.url_for_width(320),
        srcset => media.srcset(),
        name => media.original_name,
        path => media.path,
        width => media.width,
        height => media.height,
        kilobytes => media.byte_size.div_ceil(1024),
        format => media.format.as_str(),
        alt => media.alt,
        caption => media.caption,
        credit => media.credit,
        variants => media.variant_widths,
        focus_x => media.focus.x,
        focus_y => media.focus.y,
        card_crop => widest(gazette_core::media::CARD),
        social_crop => widest(gazette_core::media::SOCIAL),
        crops_pending => media.needs_crops(),
        markdown => format!("![{}]({})", media.alt.replace([']', '['], ""), media.url()),
    }
}

/// What an upload form carried.
#[derive(Debug, Default)]
struct Upload {
    csrf: String,
    file_name: String,
    bytes: Vec<u8>,
    text: MediaText,
}

async fn read_upload(mut form: Multipart) -> Result<Upload, AppError> {
    let mut upload = Upload::default();
    while let Some(field) = form.next_field().await.map_err(multipart_error)? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            upload.file_name = field.file_name().unwrap_or_default().to_owned();
            upload.bytes = field.bytes().await.map_err(multipart_error)?.to_vec();
            continue;
        }
        let value = field.text().await.map_err(multipart_error)?;
        let value = value.trim().to_owned();
        match name.as_str() {
            "csrf" => upload.csrf = value,
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

/// `POST /admin/media/`: checks, cleans and stores an upload.
pub(crate) async fn upload(
    State(state): State<AppState>,
    staff: Staff,
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
    if upload.bytes.is_empty() {
        return refused(
            &state,
            &staff,
            StatusCode::UNPROCESSABLE_ENTITY,
            "Choose an image file to upload.".to_owned(),
        )
        .await;
    }
    let bytes = upload.bytes;
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
                display_name(&upload.file_name),
                capitalise(&error.to_string())
            );
            return refused(&state, &staff, status, message).await;
        }
    };
    let media = gazette_newsroom::media::upload(
        state.store(),
        state.media_dir(),
        staff.person.id,
        &upload.file_name,
        &upload.text,
        prepared,
    )
    .await?;
    Ok(
        crate::kernel::redirect::see_other(&format!("/admin/media/{}?uploaded", media.id.0))
            .into_response(),
    )
}

async fn refused(
    state: &AppState,
    staff: &Staff,
    status: StatusCode,
    problem: String,
) -> Result<Response, AppError> {
    library_page(state, staff, &HashMap::new(), status, Some(problem), None).await
}

fn display_name(file_name: &str) -> String {
    if file_name.is_empty() {
        "The file".to_owned()
    } else {
        format!("“{file_name}”")
    }
}

async fn find(state: &AppState, id: i64) -> Result<Media, AppError> {
    state
        .store()
        .media(MediaId(id))
        .await?
        .ok_or(AppError::NotFound)
}

/// `GET /admin/media/{id}`: one image, its text, its sizes and where it is used.
pub(crate) async fn item(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    may_upload(&staff)?;
    let media = find(&state, id).await?;
    let notice = if query.contains_key("uploaded") {
        Some(
            "Uploaded. Smaller sizes are being made; describe the image for readers who cannot see it.",
        )
    } else if query.contains_key("saved") {
        Some("Saved.")
    } else {
        None
    };
    item_page(&state, &staff, &media, StatusCode::OK, notice, None).await
}

async fn item_page(
    state: &AppState,
    staff: &Staff,
    media: &Media,
    status: StatusCode,
    notice: Option<&str>,
    problem: Option<String>,
) -> Result<Response, AppError> {
    let usage = state.store().media_usage(media).await?;
    let listed = listed_articles(state, staff, &usage).await?;
    let places = places(&usage, &listed);
    let may_change = may_change(staff, media).is_ok();
    Ok(staff_page(
        state,
        staff,
        status,
        "admin/media_item.html",
        context! {
            item => item_view(media),
            places,
            in_use => !usage.is_empty(),
            may_change,
            notice,
            problem,
        },
    ))
}

/// One place an image is used, for the item page's list.
#[derive(Debug, serde::Serialize)]
struct Place {
    label: String,
    url: Option<String>,
}

/// The articles among those using the image whose headlines this person may see (others'
/// private and trashed ones are not named to those who may not list them).
async fn listed_articles(
    state: &AppState,
    staff: &Staff,
    usage: &MediaUsage,
) -> Result<std::collections::HashSet<ArticleId>, AppError> {
    let ids: Vec<ArticleId> = usage
        .articles
        .iter()
        .chain(&usage.revisions)
        .map(|(id, _)| *id)
        .collect();
    Ok(state
        .store()
        .articles_by_ids(&ids)
        .await?
        .into_iter()
        .filter(|a| gazette_core::desk::may_list(&staff.person, a))
        .map(|a| a.id)
        .collect())
}

fn places(usage: &MediaUsage, listed: &std::collections::HashSet<ArticleId>) -> Vec<Place> {
    let place = |label: String, url: Option<String>| Place { label, url };
    let mut places = Vec::new();
    let mut unnamed = 0;
    for (id, title) in &usage.articles {
        if !listed.contains(id) {
            unnamed += 1;
            continue;
        }
        places.push(place(
            title.clone(),
            Some(format!("/admin/articles/{}", id.0)),
        ));
    }
    for (_, title) in &usage.pages {
        places.push(place(format!("Page: {title}"), None));
    }
    for (id, title) in &usage.revisions {
        if !listed.contains(id) {
            unnamed += 1;
            continue;
        }
        let url = format!("/admin/articles/{}/revisions", id.0);
        places.push(place(format!("Earlier revision of “{title}”"), Some(url)));
    }
    if unnamed > 0 {
        places.push(place(
            format!("{unnamed} other article(s) or revision(s) you cannot open"),
            None,
        ));
    }
    for (_, name) in &usage.author_photos {
        places.push(place(format!("Author photo of {name}"), None));
    }
    let settings = || Some("/admin/settings".to_owned());
    if usage.logo {
        places.push(place("Publication logo (settings)".to_owned(), settings()));
    }
    if usage.favicon {
        places.push(place(
            "Publication favicon (settings)".to_owned(),
            settings(),
        ));
    }
    places
}

/// `POST /admin/media/{id}`: saves alt text, caption, credit and the focal point.
pub(crate) async fn describe(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    CsrfForm(fields): CsrfForm,
) -> Result<Response, AppError> {
    let media = find(&state, id).await?;
    may_change(&staff, &media)?;
    let text = MediaText {
        alt: fields.get("alt").trim().to_owned(),
        caption: fields.get("caption").trim().to_owned(),
        credit: fields.get("credit").trim().to_owned(),
    };
    let too_long = [&text.alt, &text.caption, &text.credit]
        .iter()
        .any(|t| t.chars().count() > 1000);
    let focus = read_focus(fields.get("focus_x"), fields.get("focus_y"), media.focus);
    let problem = match (too_long, &focus) {
        (true, _) => {
            Some("Alt text, caption and credit may be at most 1,000 characters each.".to_owned())
        }
        (false, Err(problem)) => Some(problem.clone()),
        (false, Ok(_)) => None,
    };
    if let Some(problem) = problem {
        return item_page(
            &state,
            &staff,
            &media,
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            Some(problem),
        )
        .await;
    }
    if !gazette_newsroom::media::describe(state.store(), media.id, text).await? {
        return Err(AppError::NotFound);
    }
    match focus {
        Ok(focus) if focus != media.focus => {
            gazette_newsroom::media::set_focus(state.store(), media.id, focus).await?;
        }
        _ => {}
    }
    Ok(crate::kernel::redirect::see_other(&format!("/admin/media/{id}?saved")).into_response())
}

/// The focal point typed in (percentages across and down); `current` when both are empty.
fn read_focus(x: &str, y: &str, current: FocalPoint) -> Result<FocalPoint, String> {
    let (x, y) = (x.trim(), y.trim());
    if x.is_empty() && y.is_empty() {
        return Ok(current);
    }
    let percent = |value: &str| value.parse::<u8>().ok().filter(|p| *p <= 100);
    percent(x)
        .zip(percent(y))
        .and_then(|(x, y)| FocalPoint::new(x, y))
        .ok_or_else(|| {
            format!(
                "The focal point is given in whole percentages from 0 to 100 (across “{x}”, \
                 down “{y}”). Click the point in the picture, or type both numbers."
            )
        })
}

/// `POST /admin/media/{id}/delete`: removes an image used nowhere (its record first, then its
/// files, so a crash in between leaves unlisted files rather than a broken record). The store
/// checks the image is unused in the unit of work that deletes it.
pub(crate) async fn delete(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    _form: CsrfForm,
) -> Result<Response, AppError> {
    let media = find(&state, id).await?;
    may_change(&staff, &media)?;
    let deletion =
        gazette_newsroom::media::delete_unused(state.store(), state.media_dir(), media.id).await?;
    match deletion {
        MediaDeletion::Deleted(_) => {}
        MediaDeletion::Missing => return Err(AppError::NotFound),
        MediaDeletion::InUse(_) => {
            let problem = "This image is still used in the places listed below. Remove it from \
                 them first; nothing was deleted.";
            return item_page(
                &state,
                &staff,
                &media,
                StatusCode::CONFLICT,
                None,
                Some(problem.to_owned()),
            )
            .await;
        }
    }
    Ok(crate::kernel::redirect::see_other("/admin/media/?done=deleted").into_response())
}
