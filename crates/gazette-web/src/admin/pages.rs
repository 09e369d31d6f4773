//! Static pages at `/admin/pages`, for editors and administrators: write, nest (one level:
//! `/{parent}/{child}/`), publish, rename and delete. A published page that moves (a new slug
//! or parent) keeps its old address, and its sub-pages' addresses, as 301 rules.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use gazette_core::{BodyFormat, Capability, Page, PageId, Slug, Status};
use gazette_newsroom::pages::{self, PageDeletion, PageDraft};
use gazette_store::{Constraint, StoreError};
use minijinja::context;

use super::{CsrfForm, FormFields, Staff, staff_page};
use crate::kernel::idempotency;
use crate::kernel::query::{Done, Query};
use crate::{AppError, AppState};

fn may_manage(staff: &Staff) -> Result<(), AppError> {
    staff.require(
        Capability::ManageSectionsAndTags,
        "Only editors and administrators manage pages.",
    )
}

/// `GET /admin/pages`.
pub(crate) async fn list(
    State(state): State<AppState>,
    staff: Staff,
    Query(query): Query<Done>,
) -> Result<Response, AppError> {
    may_manage(&staff)?;
    let pages = state.store().pages().await?;
    let paths = pages::page_paths(&pages);
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
    let notice = super::notice::fixed(
        query.done.as_deref(),
        &[("saved", "Saved."), ("deleted", "Deleted.")],
    );
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
        context! {
            id,
            form,
            parents,
            has_children,
            // A new page's form makes it at most once, however often it is sent.
            idempotency_key => if id.is_none() { idempotency::fresh() } else { String::new() },
        },
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
    form: CsrfForm,
) -> Result<Response, AppError> {
    save(state, staff, None, form).await
}

/// `POST /admin/pages/{id}/edit`.
pub(crate) async fn update(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    form: CsrfForm,
) -> Result<Response, AppError> {
    save(state, staff, Some(id), form).await
}

async fn save(
    state: AppState,
    staff: Staff,
    id: Option<i64>,
    CsrfForm(fields): CsrfForm,
) -> Result<Response, AppError> {
    may_manage(&staff)?;
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
    if !pages::parent_allowed(&pages, id.map(PageId), parent) {
        let form = refuse(form, "Pages nest one level deep: choose a top-level page (and not one with sub-pages of its own).".to_owned());
        return form_page(&state, &staff, id, StatusCode::UNPROCESSABLE_ENTITY, form).await;
    }
    let policy = pages::html_policy(&staff.person);
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
    let saved = match id {
        None => {
            let key = fields.idempotency_key(staff.person.id, "POST /admin/pages/new")?;
            pages::create_once(state.store(), draft, key.as_ref())
                .await
                .map(drop)
        }
        Some(id) => pages::save(state.store(), Some(PageId(id)), draft)
            .await
            .map(drop),
    };
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

/// `POST /admin/pages/{id}/delete`: a page without sub-pages.
pub(crate) async fn delete(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    _form: CsrfForm,
) -> Result<Response, AppError> {
    may_manage(&staff)?;
    let page = find(&state, id).await?;
    match pages::delete(state.store(), page.id).await? {
        PageDeletion::Deleted => {}
        PageDeletion::NotFound => return Err(AppError::NotFound),
        PageDeletion::HasSubPages => {
            let mut form = Form::of(&page);
            form.problem = Some(
                "This page has sub-pages: move or delete them first. Nothing was deleted."
                    .to_owned(),
            );
            return form_page(&state, &staff, Some(id), StatusCode::CONFLICT, form).await;
        }
    }
    Ok(crate::kernel::redirect::see_other("/admin/pages?done=deleted").into_response())
}
