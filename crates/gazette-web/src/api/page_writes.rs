//! `POST /wp/v2/pages`, `POST|PUT|PATCH /wp/v2/pages/{id}` and `DELETE /wp/v2/pages/{id}`:
//! pages written by those who manage them in the back office (editors and administrators),
//! saved the way the back office saves them, old addresses redirecting. Gazette's pages are
//! published or drafts, nest one level deep and have no trash: they are deleted with
//! `force=true`, as WordPress deletes what it cannot trash.

use axum::Json;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use gazette_core::{BodyFormat, Capability, Page, PageId, Person, Slug, Status};
use gazette_store::{Constraint, Once, StoreError};
use serde_json::{Map, Value, json};

use super::pages::page_json;
use super::write::{
    body_of, created_once, fresh_site, integer_field, not_reserved, person_who_can, slug_field,
    text_field,
};
use super::{ApiError, Asked};
use crate::kernel::pages::Snapshot;
use crate::{AppError, AppState};
use gazette_newsroom::pages::{self, PageDeletion, PageDraft};

/// `POST /wp/v2/pages`: a new page from `title`, `content` (HTML), `slug`, `status`
/// (`publish` or `draft`) and `parent`.
pub(crate) async fn create_page(
    State(state): State<AppState>,
    request: Request,
) -> Result<Response, ApiError> {
    let (asked, fields) = body_of(request).await?;
    let person = manager(&state, &asked, "rest_cannot_create").await?;
    let key = asked.idempotency_key(&person, "POST /wp/v2/pages", &fields)?;
    let draft = draft(&state, &person, None, None, &fields).await?;
    let made = pages::create_once(state.store(), draft, key.as_ref())
        .await
        .map_err(stored)?;
    let (id, repeated) = match made {
        Once::Done(id) => (id, false),
        Once::Repeated(record) => {
            let id = super::write::repeated(record, "page", super::values::invalid_post_id())?;
            (PageId(id), true)
        }
    };
    Ok(created_once(saved(&state, &asked, id).await?, repeated))
}

/// `POST`/`PUT`/`PATCH /wp/v2/pages/{id}`: the fields given change, the others stay.
pub(crate) async fn update_page(
    State(state): State<AppState>,
    Path(id): Path<String>,
    request: Request,
) -> Result<Response, ApiError> {
    let (asked, fields) = body_of(request).await?;
    let id = PageId(super::path_id(&id)?);
    let person = manager(&state, &asked, "rest_cannot_edit").await?;
    let current = find(&state, id).await?;
    let draft = draft(&state, &person, Some(id), Some(&current), &fields).await?;
    pages::save(state.store(), Some(id), draft)
        .await
        .map_err(stored)?;
    Ok(Json(saved(&state, &asked, id).await?).into_response())
}

/// `DELETE /wp/v2/pages/{id}?force=true`: a page without sub-pages, for good.
pub(crate) async fn delete_page(
    State(state): State<AppState>,
    Snapshot(site): Snapshot,
    Path(id): Path<String>,
    asked: Asked,
) -> Result<Response, ApiError> {
    let id = PageId(super::path_id(&id)?);
    manager(&state, &asked, "rest_cannot_delete").await?;
    let page = find(&state, id).await?;
    if !matches!(asked.params.get("force"), Some("true" | "1")) {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "rest_trash_not_supported",
            "Pages do not support trashing. Set 'force=true' to delete.",
        ));
    }
    let has_children = || {
        ApiError::new(
            StatusCode::CONFLICT,
            "rest_page_has_children",
            "This page has sub-pages: move or delete them first.",
        )
    };
    let origin = asked.origin(&state).await;
    let previous = super::values::previous(page_json(&site, &origin, &page, true));
    match pages::delete(state.store(), id).await? {
        PageDeletion::Deleted => {}
        PageDeletion::HasSubPages => return Err(has_children()),
        PageDeletion::NotFound => return Err(ApiError::from(AppError::NotFound)),
    }
    Ok(Json(json!({ "deleted": true, "previous": previous })).into_response())
}

/// The authenticated person, when they manage pages.
async fn manager(state: &AppState, asked: &Asked, code: &'static str) -> Result<Person, ApiError> {
    let message = "Sorry, you are not allowed to manage pages.";
    person_who_can(
        state,
        asked,
        Capability::ManageSectionsAndTags,
        code,
        message,
    )
    .await
}

async fn find(state: &AppState, id: PageId) -> Result<Page, ApiError> {
    state
        .store()
        .pages()
        .await?
        .into_iter()
        .find(|p| p.id == id)
        .ok_or_else(super::values::invalid_post_id)
}

/// The page after a save, in the `edit` context.
async fn saved(state: &AppState, asked: &Asked, id: PageId) -> Result<Value, ApiError> {
    let page = find(state, id).await?;
    let site = fresh_site(state).await?;
    let origin = asked.origin(state).await;
    Ok(page_json(&site, &origin, &page, true))
}

/// The page the fields describe, over `current` when there is one.
async fn draft(
    state: &AppState,
    person: &Person,
    id: Option<PageId>,
    current: Option<&Page>,
    fields: &Map<String, Value>,
) -> Result<PageDraft, ApiError> {
    let mut problems = Vec::new();
    let given = |name: &str| fields.contains_key(name).then(|| text_field(fields, name));
    let title = given("title")
        .map(|t| t.trim().to_owned())
        .or_else(|| current.map(|p| p.title.clone()))
        .unwrap_or_default();
    if title.is_empty() {
        problems.push(("title".to_owned(), "A page needs a title.".to_owned()));
    }
    let slug = slug_field(fields, &mut problems).or_else(|| current.map(|p| p.slug.clone()));
    let status = match given("status").as_deref() {
        None => current.map_or(Status::Draft, |p| p.status),
        Some("publish") => Status::Published,
        Some("draft") => Status::Draft,
        Some(_) => {
            problems.push((
                "status".to_owned(),
                "Gazette's pages are published (publish) or drafts (draft).".to_owned(),
            ));
            Status::Draft
        }
    };
    let parent = match integer_field(fields, "parent", &mut problems) {
        Some(0) => None,
        Some(id) => Some(PageId(id)),
        None => current.and_then(|p| p.parent),
    };
    if !pages::parent_allowed(&state.store().pages().await?, id, parent) {
        problems.push((
            "parent".to_owned(),
            "Pages nest one level deep: give a top-level page without sub-pages of its own."
                .to_owned(),
        ));
    }
    if !problems.is_empty() {
        return Err(ApiError::invalid_params(problems));
    }
    let (body_format, body_source, body_html) = match (given("content"), current) {
        (Some(content), _) => {
            let policy = pages::html_policy(person);
            let html = gazette_render::render_body_as(BodyFormat::Html, &content, policy);
            (BodyFormat::Html, content, html)
        }
        (None, Some(page)) => (
            page.body_format,
            page.body_source.clone(),
            page.body_html.clone(),
        ),
        (None, None) => (
            BodyFormat::Html,
            String::new(),
            gazette_core::SafeHtml::from_text(""),
        ),
    };
    Ok(PageDraft {
        parent,
        slug: match slug {
            Some(slug) => slug,
            None => not_reserved(Slug::from_headline(&title))?,
        },
        title,
        body_format,
        body_source,
        body_html,
        status,
    })
}

/// The store's refusals in WordPress's words.
fn stored(error: StoreError) -> ApiError {
    match error {
        StoreError::Conflict {
            constraint: Constraint::PagePath,
        } => ApiError::invalid_params(vec![(
            "slug".to_owned(),
            "Another page already has this address; choose another slug.".to_owned(),
        )]),
        StoreError::NotFound { .. } => super::values::invalid_post_id(),
        other => ApiError::from(other),
    }
}
