//! One image's page: its text, focal point, sizes, crops and where it is used; saving its
//! description (from this page, or in place from the library's grid) and deleting it.

use std::collections::HashSet;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use gazette_core::{ArticleId, FocalPoint, Media};
use gazette_store::{MediaDeletion, MediaText, MediaUsage};
use minijinja::context;

use super::{find, item_json, item_view, may_change, may_upload, wants_json};
use crate::admin::{CsrfForm, Staff, staff_page};
use crate::kernel::query::Query;
use crate::{AppError, AppState};

/// An image's address after its upload or a save: `?uploaded` or `?saved`.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub(crate) struct ItemQuery {
    uploaded: Option<String>,
    saved: Option<String>,
}

/// `GET /admin/media/{id}`: one image, its text, its sizes and where it is used.
pub(crate) async fn item(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Query(query): Query<ItemQuery>,
) -> Result<Response, AppError> {
    may_upload(&staff)?;
    let media = find(&state, id).await?;
    let notice = if query.uploaded.is_some() {
        Some(
            "Uploaded. Smaller sizes are being made; describe the image for readers who cannot see it.",
        )
    } else if query.saved.is_some() {
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
) -> Result<HashSet<ArticleId>, AppError> {
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

fn places(usage: &MediaUsage, listed: &HashSet<ArticleId>) -> Vec<Place> {
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

/// `POST /admin/media/{id}`: saves alt text, caption, credit and the focal point. The grid's
/// in-place form comes back to the library page it was sent from (`return_to`, its query).
pub(crate) async fn describe(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    headers: HeaderMap,
    CsrfForm(fields): CsrfForm,
) -> Result<Response, AppError> {
    let media = find(&state, id).await?;
    may_change(&staff, &media)?;
    let text = MediaText {
        alt: fields.get("alt").trim().to_owned(),
        caption: fields.get("caption").trim().to_owned(),
        credit: fields.get("credit").trim().to_owned(),
    };
    let focus = read_focus(fields.get("focus_x"), fields.get("focus_y"), media.focus);
    let problem = match (&focus, text_problem(&text)) {
        (_, Some(problem)) => Some(problem),
        (Err(problem), None) => Some(problem.clone()),
        (Ok(_), None) => None,
    };
    if let Some(problem) = problem {
        if wants_json(&headers) {
            let body = serde_json::json!({ "error": problem });
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, axum::Json(body)).into_response());
        }
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return item_page(&state, &staff, &media, status, None, Some(problem)).await;
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
    if wants_json(&headers) {
        let saved = find(&state, id).await?;
        return Ok(axum::Json(serde_json::json!({ "saved": item_json(&saved) })).into_response());
    }
    let back = match library_query(fields.get("return_to")) {
        Some(query) => format!("/admin/media/?{query}saved={id}#media-{id}"),
        None => format!("/admin/media/{id}?saved"),
    };
    Ok(crate::kernel::redirect::see_other(&back).into_response())
}

fn text_problem(text: &MediaText) -> Option<String> {
    [&text.alt, &text.caption, &text.credit]
        .iter()
        .any(|t| t.chars().count() > 1000)
        .then(|| "Alt text, caption and credit may be at most 1,000 characters each.".to_owned())
}

/// The library page's query a form came from, ready for another parameter (`page=2&`), when
/// it is one (anything else, which could lead elsewhere, is ignored).
fn library_query(return_to: &str) -> Option<String> {
    let query = return_to.strip_prefix("/admin/media/")?;
    let query = query.strip_prefix('?').unwrap_or(query);
    let safe = query
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"=&%+-_.".contains(&b));
    if !safe {
        return None;
    }
    // A previous `saved=` is replaced, not repeated.
    let kept: Vec<&str> = query
        .split('&')
        .filter(|pair| !pair.is_empty() && !pair.starts_with("saved="))
        .collect();
    Some(kept.iter().map(|pair| format!("{pair}&")).collect())
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
    let deletion = gazette_newsroom::media::delete_unused(state.store(), media.id).await?;
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

#[cfg(test)]
mod tests {
    use super::library_query;

    #[test]
    fn forms_return_only_to_the_library() {
        assert_eq!(library_query("/admin/media/").as_deref(), Some(""));
        assert_eq!(
            library_query("/admin/media/?page=2&type=png&saved=4").as_deref(),
            Some("page=2&type=png&")
        );
        assert_eq!(library_query("https://evil.example/"), None);
        assert_eq!(library_query("/admin/media/?q=a#b"), None);
    }
}
