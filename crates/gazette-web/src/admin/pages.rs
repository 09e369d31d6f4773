//! Static pages at `/admin/pages`, for editors and administrators: write, nest (one level:
//! `/{parent}/{child}/`), publish, rename and delete. A published page that moves (a new slug
//! or parent) keeps its old address, and its sub-pages' addresses, as 301 rules.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use gazette_core::{BodyFormat, Capability, Page, PageId, RedirectRule, SafeHtml, Slug, Status};
use gazette_store::{Constraint, NewPage, StoreError};
use minijinja::context;

use super::{FormFields, Staff, staff_page};
use crate::{AppError, AppState};

fn may_manage(staff: &Staff) -> Result<(), AppError> {
    staff.require(
        Capability::ManageSectionsAndTags,
        "Only editors and administrators manage pages.",
    )
}

/// Each page's address, `/about/` or `/about/team/`.
fn page_paths(pages: &[Page]) -> HashMap<PageId, String> {
    let by_id: HashMap<PageId, &Page> = pages.iter().map(|p| (p.id, p)).collect();
    pages
        .iter()
        .map(|p| {
            let path = match p.parent.and_then(|id| by_id.get(&id)) {
                Some(parent) => format!("/{}/{}/", parent.slug, p.slug),
                None => format!("/{}/", p.slug),
            };
            (p.id, path)
        })
        .collect()
}

/// `GET /admin/pages`.
pub(crate) async fn list(
    State(state): State<AppState>,
    staff: Staff,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    may_manage(&staff)?;
    let pages = state.store().pages().await?;
    let paths = page_paths(&pages);
    let mut rows: Vec<(String, minijinja::Value)> = pages
        .iter()
        .map(|p| {
            let path = paths.get(&p.id).cloned().unwrap_or_default();
            let row = context! { id => p.id.0, title => p.title, path, status => p.status.as_str(), child => p.parent.is_some() };
            (path, row)
        })
        .collect();
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    let rows: Vec<_> = rows.into_iter().map(|(_, row)| row).collect();
    let notice = super::notice::fixed(&query, &[("saved", "Saved."), ("deleted", "Deleted.")]);
    Ok(staff_page(
        &state,
        &staff,
        StatusCode::OK,
        "admin/pages.html",
        context! { rows, notice },
    ))
}

/// What the page form shows.
#[derive(Debug, Default, serde::Serialize)]
struct Form {
    title: String,
    slug: String,
    parent: i64,
    body: String,
    published: bool,
    problem: Option<String>,
}

impl Form {
    fn of(page: &Page) -> Self {
        Self {
            title: page.title.clone(),
            slug: page.slug.to_string(),
            parent: page.parent.map_or(0, |p| p.0),
            body: page.body_source.clone(),
            published: page.status == Status::Published,
            problem: None,
        }
    }

    fn from_fields(fields: &FormFields) -> Self {
        Self {
            title: fields.get("title").trim().to_owned(),
            slug: fields.get("slug").trim().to_owned(),
            parent: fields.get("parent").parse().unwrap_or(0),
            body: fields.get("body").replace("\r\n", "\n"),
            published: fields.get("action") == "publish",
            problem: None,
        }
    }
}

async fn form_page(
    state: &AppState,
    staff: &Staff,
    id: Option<i64>,
    status: StatusCode,
    form: Form,
) -> Result<Response, AppError> {
    let pages = state.store().pages().await?;
    let has_children = id.is_some_and(|id| pages.iter().any(|p| p.parent == Some(PageId(id))));
    // One level of nesting: a parent is a top-level page other than this one.
    let parents: Vec<_> = if has_children {
        Vec::new()
    } else {
        pages
            .iter()
            .filter(|p| p.parent.is_none() && Some(p.id.0) != id)
            .map(|p| context! { id => p.id.0, title => p.title })
            .collect()
    };
    Ok(staff_page(
        state,
        staff,
        status,
        "admin/page_edit.html",
        context! { id, form, parents, has_children },
    ))
}

/// `GET /admin/pages/new`.
pub(crate) async fn new_form(
    State(state): State<AppState>,
    staff: Staff,
) -> Result<Response, AppError> {
    may_manage(&staff)?;
    form_page(&state, &staff, None, StatusCode::OK, Form::default()).await
}

/// `GET /admin/pages/{id}/edit`.
pub(crate) async fn edit_form(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    may_manage(&staff)?;
    let page = find(&state, id).await?;
    form_page(&state, &staff, Some(id), StatusCode::OK, Form::of(&page)).await
}

async fn find(state: &AppState, id: i64) -> Result<Page, AppError> {
    state
        .store()
        .pages()
        .await?
        .into_iter()
        .find(|p| p.id.0 == id)
        .ok_or(AppError::NotFound)
}

/// `POST /admin/pages/new`.
pub(crate) async fn create(
    State(state): State<AppState>,
    staff: Staff,
    body: Bytes,
) -> Result<Response, AppError> {
    save(state, staff, None, body).await
}

/// `POST /admin/pages/{id}/edit`.
pub(crate) async fn update(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Response, AppError> {
    save(state, staff, Some(id), body).await
}

async fn save(
    state: AppState,
    staff: Staff,
    id: Option<i64>,
    body: Bytes,
) -> Result<Response, AppError> {
    may_manage(&staff)?;
    let fields = staff.checked_form(&body)?;
    let mut form = Form::from_fields(&fields);
    let refuse = |mut form: Form, problem: String| {
        form.problem = Some(problem);
        form
    };
    if form.title.is_empty() {
        let form = refuse(form, "Give the page a title.".to_owned());
        return form_page(&state, &staff, id, StatusCode::UNPROCESSABLE_ENTITY, form).await;
    }
    let slug = match form.slug.as_str() {
        "" => Slug::from_headline(&form.title),
        text => match Slug::parse(text) {
            Ok(slug) => slug,
            Err(e) => {
                let form = refuse(form, format!("The slug: {e}."));
                return form_page(&state, &staff, id, StatusCode::UNPROCESSABLE_ENTITY, form).await;
            }
        },
    };
    if slug.is_reserved() {
        let problem =
            format!("“{slug}” is reserved for the site's own pages; choose another slug.");
        let form = refuse(form, problem);
        return form_page(&state, &staff, id, StatusCode::UNPROCESSABLE_ENTITY, form).await;
    }
    let pages = state.store().pages().await?;
    let parent = (form.parent > 0).then_some(PageId(form.parent));
    if !parent_allowed(&pages, id.map(PageId), parent) {
        let form = refuse(form, "Pages nest one level deep: choose a top-level page (and not one with sub-pages of its own).".to_owned());
        return form_page(&state, &staff, id, StatusCode::UNPROCESSABLE_ENTITY, form).await;
    }
    let policy = super::html_policy(&staff.person);
    let draft = PageDraft {
        parent,
        slug,
        title: form.title.clone(),
        body_format: BodyFormat::Markdown,
        body_html: gazette_render::render_body_as(BodyFormat::Markdown, &form.body, policy),
        body_source: form.body.clone(),
        status: if form.published {
            Status::Published
        } else {
            Status::Draft
        },
    };
    let saved = store_page(&state, id.map(PageId), draft).await;
    match saved {
        Ok(_) => Ok(crate::kernel::redirect::see_other("/admin/pages?done=saved").into_response()),
        Err(StoreError::Conflict {
            constraint: Constraint::PagePath,
        }) => {
            form.problem =
                Some("Another page already has this address; choose another slug.".to_owned());
            form_page(&state, &staff, id, StatusCode::UNPROCESSABLE_ENTITY, form).await
        }
        Err(error) => Err(error.into()),
    }
}

/// Whether `page` (None for a new one) may sit under `parent`: pages nest one level deep, so
/// the parent is a top-level page other than itself, and a page with sub-pages stays at the
/// top.
pub(crate) fn parent_allowed(pages: &[Page], page: Option<PageId>, parent: Option<PageId>) -> bool {
    let has_children = page.is_some_and(|id| pages.iter().any(|p| p.parent == Some(id)));
    parent.is_none_or(|p| {
        Some(p) != page
            && !has_children
            && pages
                .iter()
                .any(|candidate| candidate.id == p && candidate.parent.is_none())
    })
}

/// A page as it is about to be saved.
pub(crate) struct PageDraft {
    pub parent: Option<PageId>,
    pub slug: Slug,
    pub title: String,
    pub body_format: BodyFormat,
    pub body_source: String,
    pub body_html: SafeHtml,
    pub status: Status,
}

/// Saves a new page (`id` None) or over an existing one in one unit of work. A public page
/// whose address changed keeps its old one answering with a redirect, and a page now at an
/// address an old redirect claimed takes it back.
pub(crate) async fn store_page(
    state: &AppState,
    id: Option<PageId>,
    draft: PageDraft,
) -> Result<PageId, StoreError> {
    let now = gazette_core::Clock::now(state.store().clock().as_ref());
    state
        .store()
        .write(|tx| {
            Box::pin(async move {
                let Some(id) = id else {
                    let new = NewPage {
                        parent: draft.parent,
                        slug: draft.slug,
                        title: draft.title,
                        body_format: draft.body_format,
                        body_source: draft.body_source,
                        body_html: draft.body_html,
                        render_version: gazette_render::RENDER_VERSION,
                        status: draft.status,
                        published_at: (draft.status == Status::Published).then_some(now),
                    };
                    let page = tx.insert_page(&new).await?;
                    let path = page_paths(&tx.pages().await?)
                        .remove(&page.id)
                        .unwrap_or_default();
                    tx.delete_redirect_from(&path).await?;
                    return Ok(page.id);
                };
                let before_pages = tx.pages().await?;
                let current = before_pages
                    .iter()
                    .find(|p| p.id == id)
                    .cloned()
                    .ok_or(StoreError::NotFound { what: "page" })?;
                let before = page_paths(&before_pages);
                let page = Page {
                    parent: draft.parent,
                    slug: draft.slug,
                    title: draft.title,
                    body_format: draft.body_format,
                    body_source: draft.body_source,
                    body_html: draft.body_html,
                    render_version: gazette_render::RENDER_VERSION,
                    published_at: current
                        .published_at
                        .or((draft.status == Status::Published).then_some(now)),
                    status: draft.status,
                    ..current.clone()
                };
                tx.update_page(&page).await?;
                let after_pages = tx.pages().await?;
                let after = page_paths(&after_pages);
                for p in after_pages.iter().filter(|p| p.status == Status::Published) {
                    let (Some(old), Some(new)) = (before.get(&p.id), after.get(&p.id)) else {
                        continue;
                    };
                    tx.delete_redirect_from(new).await?;
                    let was_public = before_pages
                        .iter()
                        .any(|b| b.id == p.id && b.status == Status::Published);
                    if old != new
                        && was_public
                        && let Ok(rule) = RedirectRule::parse(old, new, "301")
                    {
                        tx.upsert_redirect(&rule).await?;
                    }
                }
                Ok(page.id)
            })
        })
        .await
}

/// `POST /admin/pages/{id}/delete`: a page without sub-pages.
pub(crate) async fn delete(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Response, AppError> {
    may_manage(&staff)?;
    staff.checked_form(&body)?;
    let page = find(&state, id).await?;
    let pages = state.store().pages().await?;
    if pages.iter().any(|p| p.parent == Some(page.id)) {
        let mut form = Form::of(&page);
        form.problem = Some(
            "This page has sub-pages: move or delete them first. Nothing was deleted.".to_owned(),
        );
        return form_page(&state, &staff, Some(id), StatusCode::CONFLICT, form).await;
    }
    state
        .store()
        .write(|tx| Box::pin(async move { tx.delete_page(PageId(id)).await }))
        .await?;
    Ok(crate::kernel::redirect::see_other("/admin/pages?done=deleted").into_response())
}
