//! Sections and tags at `/admin/sections` and `/admin/tags`, for editors and administrators:
//! add, rename, move (sections nest), merge and delete.
//!
//! Archive URLs are kept: a rename, a move or a merge adds a 301 redirect rule (visible in the
//! redirect manager) from each archive path that changed to its new one, in the unit of work
//! that makes the change; and a rule whose source a section or tag takes again is removed, so
//! no old rule shadows a live archive.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use gazette_core::{Capability, RedirectRule, Section, SectionId, Slug, Tag, TagId};
use gazette_store::{Constraint, NewSection, NewTag, StoreError, WriteTx};
use minijinja::context;

use super::{FormFields, Staff, staff_page};
use crate::{AppError, AppState};

fn may_manage(staff: &Staff) -> Result<(), AppError> {
    staff.require(
        Capability::ManageSectionsAndTags,
        "Only editors and administrators manage sections and tags.",
    )
}

/// Sections or tags: the two kinds share their pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Section,
    Tag,
}

impl Kind {
    fn parse(name: &str) -> Result<Self, AppError> {
        match name {
            "sections" => Ok(Self::Section),
            "tags" => Ok(Self::Tag),
            _ => Err(AppError::NotFound),
        }
    }

    fn plural(self) -> &'static str {
        match self {
            Self::Section => "sections",
            Self::Tag => "tags",
        }
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

/// `/category/world/europe/` for each section.
fn section_paths(sections: &[Section]) -> HashMap<SectionId, String> {
    let by_id: HashMap<SectionId, &Section> = sections.iter().map(|s| (s.id, s)).collect();
    sections
        .iter()
        .map(|s| {
            let mut slugs = vec![s.slug.as_str()];
            let mut parent = s.parent;
            while let Some(id) = parent.filter(|_| slugs.len() < 64) {
                let Some(p) = by_id.get(&id) else { break };
                slugs.push(p.slug.as_str());
                parent = p.parent;
            }
            slugs.reverse();
            (s.id, format!("/category/{}/", slugs.join("/")))
        })
        .collect()
}

/// Adds a 301 from each archive path that changed to its new one, and drops rules from the
/// new paths.
async fn keep_archive_paths(
    tx: &mut WriteTx,
    moves: &[(String, String)],
) -> Result<(), StoreError> {
    for (_, new) in moves {
        tx.delete_redirect_from(new).await?;
    }
    for (old, new) in moves.iter().filter(|(old, new)| old != new) {
        if let Ok(rule) = RedirectRule::parse(old, new, "301") {
            tx.upsert_redirect(&rule).await?;
        }
    }
    Ok(())
}

/// Keeps the archive paths a change of sections moved, given every section's path `before` it
/// (and, for a merge, which section went into which).
async fn keep_moved_section_paths(
    tx: &mut WriteTx,
    before: &HashMap<SectionId, String>,
    merged: Option<(SectionId, SectionId)>,
) -> Result<(), StoreError> {
    let after = section_paths(&tx.sections().await?);
    keep_archive_paths(tx, &moved_paths(before, &after, merged)).await
}

/// Section paths before and after a change, for the sections whose path moved.
fn moved_paths(
    before: &HashMap<SectionId, String>,
    after: &HashMap<SectionId, String>,
    merged: Option<(SectionId, SectionId)>,
) -> Vec<(String, String)> {
    let mut moves: Vec<(String, String)> = before
        .iter()
        .filter_map(|(id, old)| Some((old.clone(), after.get(id)?.clone())))
        .collect();
    if let Some((from, into)) = merged
        && let (Some(old), Some(new)) = (before.get(&from), after.get(&into))
    {
        moves.push((old.clone(), new.clone()));
    }
    moves
}

/// `GET /admin/sections` and `/admin/tags`: the list, with counts, and the add form.
pub(crate) async fn list(
    State(state): State<AppState>,
    staff: Staff,
    Path(kind): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    may_manage(&staff)?;
    let kind = Kind::parse(&kind)?;
    let notice = super::notice::fixed(
        &query,
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
            let paths = section_paths(&sections);
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
    let parents = choice_values(&parent_choices(state, None).await?);
    Ok(staff_page(
        state,
        staff,
        status,
        "admin/taxonomy.html",
        context! { kind => kind.plural(), items, form, parents, notice },
    ))
}

/// Sections a section may be put under (or merged into): all but itself and its
/// descendants, as (id, label) in path order.
async fn parent_choices(
    state: &AppState,
    except: Option<SectionId>,
) -> Result<Vec<(i64, String)>, AppError> {
    let sections = state.store().sections().await?;
    let paths = section_paths(&sections);
    let excluded = except.and_then(|id| paths.get(&id).cloned());
    let mut choices: Vec<(String, i64)> = sections
        .iter()
        .filter_map(|s| {
            let path = paths.get(&s.id)?.clone();
            let inside = excluded
                .as_ref()
                .is_some_and(|e| path.starts_with(e.as_str()));
            (!inside).then_some((path, s.id.0))
        })
        .collect();
    choices.sort();
    Ok(choices
        .into_iter()
        .map(|(path, id)| {
            let label = path
                .trim_start_matches("/category/")
                .trim_end_matches('/')
                .replace('/', " › ");
            (id, label)
        })
        .collect())
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
    body: Bytes,
) -> Result<Response, AppError> {
    may_manage(&staff)?;
    let kind = Kind::parse(&kind)?;
    let fields = staff.checked_form(&body)?;
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
    let saved = store_new_term(&state, kind, draft).await;
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
    let kind = Kind::parse(&kind)?;
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
            let others = choice_values(&parent_choices(state, Some(SectionId(id))).await?);
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
    body: Bytes,
) -> Result<Response, AppError> {
    may_manage(&staff)?;
    let kind = Kind::parse(&kind)?;
    let fields = staff.checked_form(&body)?;
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
    if kind == Kind::Section && !parent_allowed(&state, SectionId(id), parent).await? {
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
    let saved = store_term(&state, kind, id, draft).await;
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

/// A section or tag as it is about to be saved (`parent` is for sections).
pub(crate) struct TermDraft {
    pub name: String,
    pub slug: Slug,
    pub description: String,
    pub parent: Option<SectionId>,
}

/// Whether `section` may move under `parent`: not under itself or one of its own.
pub(crate) async fn parent_allowed(
    state: &AppState,
    section: SectionId,
    parent: Option<SectionId>,
) -> Result<bool, AppError> {
    let allowed = parent_choices(state, Some(section)).await?;
    Ok(parent.is_none_or(|p| allowed.iter().any(|(id, _)| *id == p.0)))
}

/// Adds a section or tag; an old redirect from its archive's address is dropped, since the
/// archive answers there now. Returns its id.
pub(crate) async fn store_new_term(
    state: &AppState,
    kind: Kind,
    draft: TermDraft,
) -> Result<i64, StoreError> {
    state
        .store()
        .write(|tx| {
            Box::pin(async move {
                let (id, path) = match kind {
                    Kind::Section => {
                        let new = NewSection {
                            slug: draft.slug,
                            name: draft.name,
                            description: draft.description,
                            parent: draft.parent,
                        };
                        let section = tx.insert_section(&new).await?;
                        let sections = tx.sections().await?;
                        let path = section_paths(&sections)
                            .remove(&section.id)
                            .unwrap_or_default();
                        (section.id.0, path)
                    }
                    Kind::Tag => {
                        let tag = tx
                            .insert_tag(&NewTag {
                                slug: draft.slug,
                                name: draft.name,
                                description: draft.description,
                            })
                            .await?;
                        (tag.id.0, format!("/tag/{}/", tag.slug))
                    }
                };
                tx.delete_redirect_from(&path).await?;
                Ok(id)
            })
        })
        .await
}

/// Saves a section or tag over the one with `id`; archives whose address changed (a
/// section's sub-sections' too) keep answering with redirects.
pub(crate) async fn store_term(
    state: &AppState,
    kind: Kind,
    id: i64,
    draft: TermDraft,
) -> Result<(), StoreError> {
    match kind {
        Kind::Section => {
            let section = Section {
                id: SectionId(id),
                slug: draft.slug,
                name: draft.name,
                description: draft.description,
                parent: draft.parent,
            };
            state
                .store()
                .write(|tx| {
                    Box::pin(async move {
                        let before = section_paths(&tx.sections().await?);
                        if !tx.update_section(&section).await? {
                            return Err(StoreError::NotFound { what: "section" });
                        }
                        keep_moved_section_paths(tx, &before, None).await
                    })
                })
                .await
        }
        Kind::Tag => {
            let old = state
                .store()
                .tags()
                .await?
                .into_iter()
                .find(|t| t.id == TagId(id))
                .ok_or(StoreError::NotFound { what: "tag" })?;
            let tag = Tag {
                id: TagId(id),
                slug: draft.slug,
                name: draft.name,
                description: draft.description,
            };
            state
                .store()
                .write(|tx| {
                    Box::pin(async move {
                        if !tx.update_tag(&tag).await? {
                            return Err(StoreError::NotFound { what: "tag" });
                        }
                        let moves =
                            [(format!("/tag/{}/", old.slug), format!("/tag/{}/", tag.slug))];
                        keep_archive_paths(tx, &moves).await
                    })
                })
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
    body: Bytes,
) -> Result<Response, AppError> {
    may_manage(&staff)?;
    let kind = Kind::parse(&kind)?;
    let fields = staff.checked_form(&body)?;
    let into: i64 = fields.get("into").parse().unwrap_or(0);
    let merged = match kind {
        Kind::Section => {
            find_section(&state, id).await?;
            let allowed = parent_choices(&state, Some(SectionId(id))).await?;
            let ok = allowed.iter().any(|(id, _)| *id == into);
            if !ok {
                return Err(AppError::BadRequest(
                    "Choose another section to merge into (not this one or one of its own)."
                        .to_owned(),
                ));
            }
            let (from, into) = (SectionId(id), SectionId(into));
            state
                .store()
                .write(|tx| {
                    Box::pin(async move {
                        let before = section_paths(&tx.sections().await?);
                        tx.merge_section(from, into).await?;
                        keep_moved_section_paths(tx, &before, Some((from, into))).await
                    })
                })
                .await
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
            state
                .store()
                .write(|tx| {
                    Box::pin(async move {
                        tx.merge_tag(from.id, target.id).await?;
                        let moves = [(
                            format!("/tag/{}/", from.slug),
                            format!("/tag/{}/", target.slug),
                        )];
                        keep_archive_paths(tx, &moves).await
                    })
                })
                .await
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
    body: Bytes,
) -> Result<Response, AppError> {
    may_manage(&staff)?;
    let kind = Kind::parse(&kind)?;
    staff.checked_form(&body)?;
    match kind {
        Kind::Tag => {
            let tag = TagId(id);
            let deleted = state
                .store()
                .write(|tx| Box::pin(async move { tx.delete_tag(tag).await }))
                .await?;
            if !deleted {
                return Err(AppError::NotFound);
            }
        }
        Kind::Section => {
            let section = find_section(&state, id).await?;
            let (_, counts) = state.store().taxonomy_counts().await?;
            let has_children = state
                .store()
                .sections()
                .await?
                .iter()
                .any(|s| s.parent == Some(section.id));
            if counts.get(&section.id).copied().unwrap_or(0) > 0 || has_children {
                let mut form = Form::of_section(section);
                form.problem = Some("This section still holds articles or sections: merge it into another instead, so its archive keeps working. Nothing was deleted.".to_owned());
                return edit_page(&state, &staff, kind, id, StatusCode::CONFLICT, form).await;
            }
            let target = section.id;
            state
                .store()
                .write(|tx| Box::pin(async move { tx.delete_section(target).await }))
                .await?;
        }
    }
    Ok(
        crate::kernel::redirect::see_other(&format!("/admin/{}?done=deleted", kind.plural()))
            .into_response(),
    )
}
