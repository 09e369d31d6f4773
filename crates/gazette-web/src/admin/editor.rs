//! The article editor: create, edit and move articles through the workflow.
//!
//! A save names the version it started from (the article's `updated_at`); if someone else
//! saved in between, the save is refused and the page shows both texts, so nobody's work is
//! silently overwritten. The newsroom (`gazette_newsroom::articles`) saves, and checks the role
//! rules of `gazette_core::desk`; [`form`] reads the form and [`page`] shows it.

mod convert;
mod embeds;
mod form;
mod merge;
mod newsletters;
mod notes;
mod page;
mod presence;

pub(crate) use convert::{
    convert as convert_to_markdown, from_html as markdown_from_html, preview as conversion,
};
pub(crate) use embeds::embed_preview;
pub(crate) use notes::{add as add_note, plan};
pub(crate) use presence::{heartbeat, leave, take_over};

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use gazette_core::desk::raw_html_trusted;
use gazette_core::{Article, ArticleId, BodyFormat, Media, MediaId};
use gazette_newsroom::articles;
use gazette_render::HtmlPolicy;
use gazette_store::Once;
use jiff::Timestamp;

use super::{CsrfForm, FormFields, Staff, editable};
use crate::kernel::pages::Snapshot;
use crate::kernel::pages::load_site;
use crate::kernel::query::Query;
use crate::{AppError, AppState};
pub(crate) use form::version;
use form::{Action, Refused, apply, asked_raw_html, edit, tag_names};
use page::render;

/// `GET /admin/articles/new`.
pub(crate) async fn new_form(
    State(state): State<AppState>,
    Snapshot(site): Snapshot,
    staff: Staff,
) -> Result<Response, AppError> {
    let draft = blank_article(&staff);
    render(&state, &site, &staff, &draft, None, StatusCode::OK, None).await
}

/// The editor's address after a note named people nobody on the staff is called:
/// `?unknown=name other`.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub(crate) struct Unknown {
    unknown: Option<String>,
}

/// `GET /admin/articles/{id}`.
pub(crate) async fn edit_form(
    State(state): State<AppState>,
    Snapshot(site): Snapshot,
    staff: Staff,
    Path(id): Path<i64>,
    Query(query): Query<Unknown>,
) -> Result<Response, AppError> {
    let article = editable(&state, &staff, id).await?;
    // A note's mentions that named nobody: the note is kept, the writer is told.
    let unknown = query
        .unknown
        .filter(|names| !names.trim().is_empty())
        .map(|names| {
            let names: Vec<String> = names.split_whitespace().map(|n| format!("@{n}")).collect();
            format!(
                "Your note was kept, but no one on the staff is called {}; mention people by the \
                 names listed under the notes.",
                names.join(", ")
            )
        });
    render(
        &state,
        &site,
        &staff,
        &article,
        unknown.as_deref(),
        StatusCode::OK,
        None,
    )
    .await
}

/// `POST /admin/articles/new`.
pub(crate) async fn create(
    State(state): State<AppState>,
    staff: Staff,
    CsrfForm(fields): CsrfForm,
) -> Response {
    let outcome = async {
        let site = load_site(&state).await?;
        let media = chosen_media(&state, &fields).await?;
        let action = Action::parse(fields.get("action"))?;
        let now = state.store().clock().now();
        let blank = blank_article(&staff);
        let edited = edit(&site, &staff, &blank, &fields, &media, action, now)?;
        let key = fields.idempotency_key(staff.person.id, "POST /admin/articles/new")?;
        let created = articles::create(
            state.store(),
            &staff.person,
            edited,
            Some(tag_names(&fields)),
            key.as_ref(),
        )
        .await
        .map_err(Refused::from)?;
        // Sent again after its answer was lost: the article the first sending made (and the
        // newsletters the first sending asked for).
        let id = match created {
            Once::Done(article) => {
                newsletters::send_when_published(&state, &staff, &fields, action, &article).await?;
                article.id
            }
            Once::Repeated(record) => ArticleId(record.id),
        };
        Ok::<_, Refused>(id)
    }
    .await;
    respond(&state, &staff, None, &fields, outcome).await
}

/// `POST /admin/articles/{id}`.
pub(crate) async fn save(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    headers: axum::http::HeaderMap,
    CsrfForm(fields): CsrfForm,
) -> Response {
    let id = ArticleId(id);
    let outcome = async {
        let site = load_site(&state).await?;
        let action = Action::parse(fields.get("action"))?;
        let started_from = version(fields.get("version"));
        let media = chosen_media(&state, &fields).await?;
        let now = state.store().clock().now();
        let address = |article: &Article| crate::kernel::views::article_url(&site, article);
        let save = articles::Save {
            id,
            by: &staff.person,
            started_from: Some(started_from),
            tag_names: Some(tag_names(&fields)),
            edit: |current: &Article| edit(&site, &staff, current, &fields, &media, action, now),
        };
        let saved = articles::save(state.store(), &address, save)
            .await
            .map_err(Refused::from)?;
        newsletters::send_when_published(&state, &staff, &fields, action, &saved).await?;
        Ok::<_, Refused>(saved.updated_at)
    }
    .await;
    if headers.contains_key(AUTOSAVE_HEADER) {
        return autosaved(outcome);
    }
    respond(&state, &staff, Some(id), &fields, outcome.map(|_| id)).await
}

/// Sent by the editor's script when it saves a draft in the background.
const AUTOSAVE_HEADER: &str = "x-gazette-autosave";

/// The answer to a background save: the new version to send next time, or why not, as JSON.
fn autosaved(outcome: Result<Timestamp, Refused>) -> Response {
    let json =
        |status: StatusCode, body: serde_json::Value| (status, axum::Json(body)).into_response();
    match outcome {
        // The version this save wrote, from inside its unit of work: a save by someone else a
        // moment later must not be adopted unseen.
        Ok(version) => json(
            StatusCode::OK,
            serde_json::json!({ "version": version.as_microsecond().to_string() }),
        ),
        Err(Refused::Stale(_)) => json(
            StatusCode::CONFLICT,
            serde_json::json!({ "error": "Someone else saved this article; save by hand to see both texts." }),
        ),
        Err(Refused::Invalid(message)) => json(
            StatusCode::UNPROCESSABLE_ENTITY,
            serde_json::json!({ "error": message }),
        ),
        Err(Refused::Failed(error)) => error.into_response(),
    }
}

/// `POST /admin/render`: the site's own rendering of a Markdown or HTML body, for the
/// editor's live preview: exactly what publishing would show, raw HTML included when the
/// person may allow it and has ticked the box. The page puts it in a sandboxed frame without
/// `allow-same-origin`, never into the back office's own document; it is sent as plain text
/// under a sandboxing policy, so even opened on its own it runs nothing here.
pub(crate) async fn render_preview(
    staff: Staff,
    CsrfForm(fields): CsrfForm,
) -> Result<Response, AppError> {
    let format = match fields.get("body_format") {
        "html" => BodyFormat::Html,
        _ => BodyFormat::Markdown,
    };
    // The box's state decides; a request without it previews the sanitised body.
    let asked = Some(asked_raw_html(&fields).unwrap_or(false));
    let trusted = raw_html_trusted(&staff.person, None, asked);
    let html =
        gazette_render::render_body_as(format, fields.get("body"), HtmlPolicy::for_trust(trusted));
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "text/plain; charset=utf-8",
            ),
            (axum::http::header::CACHE_CONTROL, "private, no-store"),
            (
                axum::http::header::CONTENT_SECURITY_POLICY,
                "sandbox; default-src 'none'",
            ),
        ],
        html.into_string(),
    )
        .into_response())
}

/// The library item the form chose as featured image, as the library has it now.
async fn chosen_media(state: &AppState, fields: &FormFields) -> Result<Option<Media>, AppError> {
    match fields.get("image_media").parse().ok().map(MediaId) {
        Some(id) => Ok(state.store().media(id).await?),
        None => Ok(None),
    }
}

/// A new, empty draft with the person as its byline.
fn blank_article(staff: &Staff) -> Article {
    articles::blank(&staff.person, BodyFormat::Markdown)
}

/// After a save: back to the editor (post/redirect/get), or the form again with the problem.
async fn respond(
    state: &AppState,
    staff: &Staff,
    id: Option<ArticleId>,
    fields: &FormFields,
    outcome: Result<ArticleId, Refused>,
) -> Response {
    let (status, message, theirs) = match outcome {
        Ok(saved) => {
            return crate::kernel::redirect::see_other(&format!("/admin/articles/{saved}?saved=1"))
                .into_response();
        }
        Err(Refused::Failed(error)) => return error.into_response(),
        Err(Refused::Invalid(message)) => (StatusCode::UNPROCESSABLE_ENTITY, message, None),
        Err(Refused::Stale(current)) => (
            StatusCode::CONFLICT,
            "Someone else saved this article while you were editing it. Your text is in the form \
             below, unsaved; theirs is shown under it. Merge what you need, then save again."
                .to_owned(),
            Some(current),
        ),
    };
    let site = match load_site(state).await {
        Ok(site) => site,
        Err(error) => return error.into_response(),
    };
    // Show what the person submitted, on top of the stored article (or a blank one).
    let base = match id {
        Some(id) => match state.store().article(id).await {
            Ok(Some(article)) => article,
            _ => blank_article(staff),
        },
        None => blank_article(staff),
    };
    let now = state.store().clock().now();
    let mut shown = apply(&site, staff, &base, fields, now).unwrap_or(base.clone());
    shown.headline = fields.get("headline").to_owned();
    shown.body_source = fields.get("body").to_owned();
    if let Some(current) = &theirs {
        // The next save starts from their version.
        shown.updated_at = current.updated_at;
    }
    let tags = fields.get("tags").to_owned();
    match render(
        state,
        &site,
        staff,
        &shown,
        Some(&message),
        status,
        theirs.as_deref().map(|a| (a, tags)),
    )
    .await
    {
        Ok(response) => response,
        Err(error) => error.into_response(),
    }
}
