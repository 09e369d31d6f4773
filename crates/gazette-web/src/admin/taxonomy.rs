//! Sections and tags at `/admin/sections` and `/admin/tags`, for editors and administrators:
//! add, rename, move (sections nest), merge and delete.
//!
//! Archive URLs are kept: a rename, a move or a merge adds a 301 redirect rule (visible in the
//! redirect manager) from each archive path that changed to its new one, in the unit of work
//! that makes the change; and a rule whose source a section or tag takes again is removed, so
//! no old rule shadows a live archive.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use gazette_core::{Capability, Section, SectionId, Slug, Tag, TagId};
use gazette_newsroom::terms::{self, Kind, SectionDeletion, TermDraft};
use gazette_store::{Constraint, StoreError};
use minijinja::context;

use super::{CsrfForm, FormFields, Staff, staff_page};
use crate::kernel::idempotency;
use crate::kernel::query::{Done, Query};
use crate::{AppError, AppState};

fn may_manage(staff: &Staff) -> Result<(), AppError> {
    staff.require(
        Capability::ManageSectionsAndTags,
        "Only editors and administrators manage sections and tags.",
    )
}

/// The kind an address names: `sections` or `tags`.
fn kind_named(name: &str) -> Result<Kind, AppError> {
    match name {
        "sections" => Ok(Kind::Section),
        "tags" => Ok(Kind::Tag),
        _ => Err(AppError::NotFound),
    }
}

/// What the add or edit form shows, as stored or as typed.
#[derive(Debug, Default, serde::Serialize)]
struct Form {
    name: String,
    slug: String,
    description: String,
    parent: i64,
    problem: Option<String>,
}

impl Form {
    fn of_section(section: Section) -> Self {
        Self {
            name: section.name,
            slug: section.slug.to_string(),
            description: section.description,
            parent: section.parent.map_or(0, |p| p.0),
            problem: None,
        }
    }

    fn from_fields(fields: &FormFields) -> Self {
        Self {
            name: fields.get("name").trim().to_owned(),
            slug: fields.get("slug").trim().to_owned(),
            description: fields.get("description").trim().to_owned(),
            parent: fields.get("parent").parse().unwrap_or(0),
            problem: None,
        }
    }

    /// The name and slug, checked (an empty slug is made from the name).
    fn name_and_slug(&self) -> Result<(String, Slug), String> {
        if self.name.is_empty() {
            return Err("Give it a name.".to_owned());
        }
        let slug = match self.slug.as_str() {
            "" => Slug::from_headline(&self.name),
            text => Slug::parse(text).map_err(|e| format!("The slug: {e}."))?,
        };
        if slug.is_reserved() {
            return Err(format!(
                "“{slug}” is reserved for the site's own pages; choose another slug."
            ));
        }
        Ok((self.name.clone(), slug))
    }
}

/// `GET /admin/sections` and `/admin/tags`: the list, with counts, and the add form.
pub(crate) async fn list(
    State(state): State<AppState>,
    staff: Staff,
    Path(kind): Path<String>,
    Query(query): Query<Done>,
) -> Result<Response, AppError> {
    may_manage(&staff)?;
    let kind = kind_named(&kind)?;
    let notice = super::notice::fixed(
        query.done.as_deref(),
        &[
            ("saved", "Saved."),
            (
                "merged",
                "Merged. The old archive address redirects to the new one.",
            ),
            ("deleted", "Deleted."),
        ],
    );
    list_page(
        &state,
        &staff,
        kind,
        StatusCode::OK,
        Form::default(),
        notice,
    )
    .await
}

async fn list_page(
    state: &AppState,
    staff: &Staff,
    kind: Kind,
    status: StatusCode,
    form: Form,
    notice: Option<&str>,
) -> Result<Response, AppError> {
    let (tag_counts, section_counts) = state.store().taxonomy_counts().await?;
    let items: Vec<minijinja::Value> = match kind {
        Kind::Section => {
            let sections = state.store().sections().await?;
            let paths = terms::section_paths(&sections);
            let mut rows: Vec<_> = sections
                .iter()
                .map(|s| {
                    let path = paths.get(&s.id).cloned().unwrap_or_default();
                    (path.clone(), context! { id => s.id.0, name => s.name, path, count => section_counts.get(&s.id).copied().unwrap_or(0), depth => path.matches('/').count().saturating_sub(3) })
                })
                .collect();
            rows.sort_by(|a, b| a.0.cmp(&b.0));
            rows.into_iter().map(|(_, row)| row).collect()
        }
        Kind::Tag => state
            .store()
            .tags()
            .await?
            .iter()
            .map(|t| context! { id => t.id.0, name => t.name, path => format!("/tag/{}/", t.slug), count => tag_counts.get(&t.id).copied().unwrap_or(0), depth => 0 })
            .collect(),
    };
    let parents = choice_values(&terms::parent_choices(state.store(), None).await?);
    Ok(staff_page(
        state,
        staff,
        status,
        "admin/taxonomy.html",
        context! {
            kind => kind.plural(),
            items,
            form,
            parents,
            notice,
            // The form adds a section or tag at most once, however often it is sent.
            idempotency_key => idempotency::fresh(),
        },
    ))
}

fn choice_values(choices: &[(i64, String)]) -> Vec<minijinja::Value> {
    choices
        .iter()
        .map(|(id, label)| context! { id, label })
        .collect()
}

fn slug_taken(error: StoreError) -> Result<String, StoreError> {
    match error {
        StoreError::Conflict {
            constraint: Constraint::SectionSlug | Constraint::TagSlug,
        } => Ok(
            "That slug is taken; choose another one (or merge into the one that has it)."
                .to_owned(),
        ),
        other => Err(other),
    }
}

/// `POST /admin/sections` and `/admin/tags`: adds one.
pub(crate) async fn add(
    State(state): State<AppState>,
    staff: Staff,
    Path(kind): Path<String>,
    CsrfForm(fields): CsrfForm,
) -> Result<Response, AppError> {
    may_manage(&staff)?;
    let kind = kind_named(&kind)?;
    let mut form = Form::from_fields(&fields);
    let (name, slug) = match form.name_and_slug() {
        Ok(checked) => checked,
        Err(problem) => {
            form.problem = Some(problem);
            return list_page(
                &state,
                &staff,
                kind,
                StatusCode::UNPROCESSABLE_ENTITY,
                form,
                None,
            )
            .await;
        }
    };
    let draft = TermDraft {
        name,
        slug,
        description: form.description.clone(),
        parent: (form.parent > 0).then_some(SectionId(form.parent)),
    };
    let route = format!("POST /admin/{}", kind.plural());
    let key = fields.idempotency_key(staff.person.id, &route)?;
    let saved = terms::create(state.store(), kind, draft, key.as_ref()).await;
    match saved {
        Ok(_) => Ok(crate::kernel::redirect::see_other(&format!(
            "/admin/{}?done=saved",
            kind.plural()
        ))
        .into_response()),
        Err(error) => {
            form.problem = Some(slug_taken(error)?);
            list_page(
                &state,
                &staff,
                kind,
                StatusCode::UNPROCESSABLE_ENTITY,
                form,
                None,
            )
            .await
        }
    }
}

/// `GET /admin/sections/{id}` and `/admin/tags/{id}`: rename, move, merge or delete.
pub(crate) async fn edit_form(
    State(state): State<AppState>,
    staff: Staff,
    Path((kind, id)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    may_manage(&staff)?;
    let kind = kind_named(&kind)?;
    let form = match kind {
        Kind::Section => Form::of_section(find_section(&state, id).await?),
        Kind::Tag => {
            let tag = find_tag(&state, id).await?;
            Form {
                name: tag.name,
                slug: tag.slug.to_string(),
                description: tag.description,
                parent: 0,
                problem: None,
            }
        }
    };
    edit_page(&state, &staff, kind, id, StatusCode::OK, form).await
}

async fn edit_page(
    state: &AppState,
    staff: &Staff,
    kind: Kind,
    id: i64,
    status: StatusCode,
    form: Form,
) -> Result<Response, AppError> {
    let (tag_counts, section_counts) = state.store().taxonomy_counts().await?;
    let (count, others, parents) = match kind {
        Kind::Section => {
            let others =
                choice_values(&terms::parent_choices(state.store(), Some(SectionId(id))).await?);
            (
                section_counts.get(&SectionId(id)).copied().unwrap_or(0),
                others.clone(),
                others,
            )
        }
        Kind::Tag => {
            let others = state
                .store()
                .tags()
                .await?
                .into_iter()
                .filter(|t| t.id.0 != id)
                .map(|t| context! { id => t.id.0, label => t.name })
                .collect();
            (
                tag_counts.get(&TagId(id)).copied().unwrap_or(0),
                others,
                Vec::new(),
            )
        }
    };
    Ok(staff_page(
        state,
        staff,
        status,
        "admin/taxonomy_edit.html",
        context! { kind => kind.plural(), id, form, count, others, parents },
    ))
}

async fn find_section(state: &AppState, id: i64) -> Result<Section, AppError> {
    state
        .store()
        .sections()
        .await?
        .into_iter()
        .find(|s| s.id.0 == id)
        .ok_or(AppError::NotFound)
}

async fn find_tag(state: &AppState, id: i64) -> Result<Tag, AppError> {
    state
        .store()
        .tags()
        .await?
        .into_iter()
        .find(|t| t.id.0 == id)
        .ok_or(AppError::NotFound)
}

/// `POST /admin/sections/{id}` and `/admin/tags/{id}`: renames (and moves a section).
pub(crate) async fn save(
    State(state): State<AppState>,
    staff: Staff,
    Path((kind, id)): Path<(String, i64)>,
    CsrfForm(fields): CsrfForm,
) -> Result<Response, AppError> {
    may_manage(&staff)?;
    let kind = kind_named(&kind)?;
    let mut form = Form::from_fields(&fields);
    let (name, slug) = match form.name_and_slug() {
        Ok(checked) => checked,
        Err(problem) => {
            form.problem = Some(problem);
            return edit_page(
                &state,
                &staff,
                kind,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                form,
            )
            .await;
        }
    };
    let parent = (form.parent > 0).then_some(SectionId(form.parent));
    if kind == Kind::Section && !terms::parent_allowed(state.store(), SectionId(id), parent).await?
    {
        form.problem =
            Some("A section cannot go under itself or one of its own sections.".to_owned());
        return edit_page(
            &state,
            &staff,
            kind,
            id,
            StatusCode::UNPROCESSABLE_ENTITY,
            form,
        )
        .await;
    }
    let draft = TermDraft {
        name,
        slug,
        description: form.description.clone(),
        parent,
    };
    let saved = terms::save(state.store(), kind, id, draft).await;
    match saved {
        Ok(()) => Ok(crate::kernel::redirect::see_other(&format!(
            "/admin/{}?done=saved",
            kind.plural()
        ))
        .into_response()),
        Err(error) => {
            form.problem = Some(slug_taken(error)?);
            edit_page(
                &state,
                &staff,
                kind,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                form,
            )
            .await
        }
    }
}

/// `POST /admin/sections/{id}/merge` and `/admin/tags/{id}/merge`: moves everything into
/// another one and deletes this one; its archive redirects to the other's.
pub(crate) async fn merge(
    State(state): State<AppState>,
    staff: Staff,
    Path((kind, id)): Path<(String, i64)>,
    CsrfForm(fields): CsrfForm,
) -> Result<Response, AppError> {
    may_manage(&staff)?;
    let kind = kind_named(&kind)?;
    let into: i64 = fields.get("into").parse().unwrap_or(0);
    let merged = match kind {
        Kind::Section => {
            find_section(&state, id).await?;
            let allowed = terms::parent_choices(state.store(), Some(SectionId(id))).await?;
            let ok = allowed.iter().any(|(id, _)| *id == into);
            if !ok {
                return Err(AppError::BadRequest(
                    "Choose another section to merge into (not this one or one of its own)."
                        .to_owned(),
                ));
            }
            terms::merge_sections(state.store(), SectionId(id), SectionId(into)).await
        }
        Kind::Tag => {
            let from = find_tag(&state, id).await?;
            let target = find_tag(&state, into).await.map_err(|_| {
                AppError::BadRequest("Choose another tag to merge into.".to_owned())
            })?;
            if target.id == from.id {
                return Err(AppError::BadRequest(
                    "A tag cannot be merged into itself.".to_owned(),
                ));
            }
            terms::merge_tags(state.store(), from, target).await
        }
    };
    merged?;
    Ok(
        crate::kernel::redirect::see_other(&format!("/admin/{}?done=merged", kind.plural()))
            .into_response(),
    )
}

/// `POST /admin/sections/{id}/delete` and `/admin/tags/{id}/delete`. A tag comes off its
/// articles; a section with articles or sections in it is refused (merge it instead).
pub(crate) async fn delete(
    State(state): State<AppState>,
    staff: Staff,
    Path((kind, id)): Path<(String, i64)>,
    _form: CsrfForm,
) -> Result<Response, AppError> {
    may_manage(&staff)?;
    let kind = kind_named(&kind)?;
    match kind {
        Kind::Tag => {
            let tag = TagId(id);
            let deleted = terms::delete_tag(state.store(), tag).await?;
            if !deleted {
                return Err(AppError::NotFound);
            }
        }
        Kind::Section => {
            let section = find_section(&state, id).await?;
            let target = section.id;
            match terms::delete_section(state.store(), target).await? {
                SectionDeletion::Deleted => {}
                SectionDeletion::Missing => return Err(AppError::NotFound),
                SectionDeletion::InUse => {
                    let mut form = Form::of_section(section);
                    form.problem = Some("This section still holds articles or sections: merge it into another instead, so its archive keeps working. Nothing was deleted.".to_owned());
                    return edit_page(&state, &staff, kind, id, StatusCode::CONFLICT, form).await;
                }
            }
        }
    }
    Ok(
        crate::kernel::redirect::see_other(&format!("/admin/{}?done=deleted", kind.plural()))
            .into_response(),
    )
}
