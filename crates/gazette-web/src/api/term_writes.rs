//! Editing categories (Gazette's sections) and tags through the API: create, update and
//! delete (`force=true`, as WordPress deletes terms), by those who manage them in the back
//! office, saved the same way so that archives that move keep answering.

use axum::Json;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use gazette_core::{Capability, Person, SectionId, Slug, TagId};
use gazette_store::{Constraint, Once, StoreError};
use serde_json::{Map, Value, json};

use super::terms::{category_json, invalid_term, tag_json};
use super::write::{
    body_of, created_once, fresh_site, integer_field, not_reserved, person_who_can, slug_field,
    text_field,
};
use super::{ApiError, Asked};
use crate::AppState;
use gazette_newsroom::terms::{self, Kind, SectionDeletion, TermDraft};

/// `POST /wp/v2/categories`.
pub(crate) async fn create_category(
    State(state): State<AppState>,
    request: Request,
) -> Result<Response, ApiError> {
    create(state, request, Kind::Section).await
}

/// `POST /wp/v2/tags`.
pub(crate) async fn create_tag(
    State(state): State<AppState>,
    request: Request,
) -> Result<Response, ApiError> {
    create(state, request, Kind::Tag).await
}

/// `POST|PUT|PATCH /wp/v2/categories/{id}`.
pub(crate) async fn update_category(
    State(state): State<AppState>,
    Path(id): Path<String>,
    request: Request,
) -> Result<Json<Value>, ApiError> {
    update(state, request, Kind::Section, &id).await
}

/// `POST|PUT|PATCH /wp/v2/tags/{id}`.
pub(crate) async fn update_tag(
    State(state): State<AppState>,
    Path(id): Path<String>,
    request: Request,
) -> Result<Json<Value>, ApiError> {
    update(state, request, Kind::Tag, &id).await
}

/// `DELETE /wp/v2/categories/{id}?force=true`: an empty section without sub-sections.
pub(crate) async fn delete_category(
    State(state): State<AppState>,
    Path(id): Path<String>,
    asked: Asked,
) -> Result<Json<Value>, ApiError> {
    delete(state, asked, Kind::Section, &id).await
}

/// `DELETE /wp/v2/tags/{id}?force=true`.
pub(crate) async fn delete_tag(
    State(state): State<AppState>,
    Path(id): Path<String>,
    asked: Asked,
) -> Result<Json<Value>, ApiError> {
    delete(state, asked, Kind::Tag, &id).await
}

async fn create(state: AppState, request: Request, kind: Kind) -> Result<Response, ApiError> {
    let (asked, fields) = body_of(request).await?;
    let person = manager(&state, &asked, "rest_cannot_create").await?;
    let route = match kind {
        Kind::Section => "POST /wp/v2/categories",
        Kind::Tag => "POST /wp/v2/tags",
    };
    let key = asked.idempotency_key(&person, route, &fields)?;
    let draft = draft(&state, kind, None, &fields).await?;
    let (id, repeated) = match terms::create(state.store(), kind, draft, key.as_ref())
        .await
        .map_err(stored)?
    {
        Once::Done(id) => (id, false),
        Once::Repeated(record) => (record.id, true),
    };
    let item = term_json(&state, &asked, kind, id).await?;
    Ok(created_once(item, repeated))
}

async fn update(
    state: AppState,
    request: Request,
    kind: Kind,
    id: &str,
) -> Result<Json<Value>, ApiError> {
    let (asked, fields) = body_of(request).await?;
    let id = super::path_id(id)?;
    manager(&state, &asked, "rest_cannot_update").await?;
    let draft = draft(&state, kind, Some(id), &fields).await?;
    terms::save(state.store(), kind, id, draft)
        .await
        .map_err(stored)?;
    Ok(Json(term_json(&state, &asked, kind, id).await?))
}

async fn delete(
    state: AppState,
    asked: Asked,
    kind: Kind,
    id: &str,
) -> Result<Json<Value>, ApiError> {
    let id = super::path_id(id)?;
    manager(&state, &asked, "rest_cannot_delete").await?;
    let previous = super::values::previous(term_json(&state, &asked, kind, id).await?);
    if !matches!(asked.params.get("force"), Some("true" | "1")) {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "rest_trash_not_supported",
            "Terms do not support trashing. Set 'force=true' to delete.",
        ));
    }
    match kind {
        Kind::Tag => {
            terms::delete_tag(state.store(), TagId(id)).await?;
        }
        Kind::Section => match terms::delete_section(state.store(), SectionId(id)).await? {
            SectionDeletion::Deleted | SectionDeletion::Missing => {}
            SectionDeletion::InUse => {
                return Err(ApiError::new(
                    StatusCode::CONFLICT,
                    "rest_term_in_use",
                    "This category still holds posts or categories: merge it into another in the back office, so its archive keeps working.",
                ));
            }
        },
    }
    Ok(Json(json!({ "deleted": true, "previous": previous })))
}

async fn manager(state: &AppState, asked: &Asked, code: &'static str) -> Result<Person, ApiError> {
    let message = "Sorry, you are not allowed to manage terms in this taxonomy.";
    person_who_can(
        state,
        asked,
        Capability::ManageSectionsAndTags,
        code,
        message,
    )
    .await
}

/// The term the fields describe, over the current one when `id` is given.
async fn draft(
    state: &AppState,
    kind: Kind,
    id: Option<i64>,
    fields: &Map<String, Value>,
) -> Result<TermDraft, ApiError> {
    let current = match id {
        None => None,
        Some(id) => Some(current(state, kind, id).await?),
    };
    let mut problems = Vec::new();
    let given = |name: &str| fields.contains_key(name).then(|| text_field(fields, name));
    let name = given("name")
        .map(|n| n.trim().to_owned())
        .or_else(|| current.as_ref().map(|c| c.name.clone()))
        .unwrap_or_default();
    if name.is_empty() {
        problems.push(("name".to_owned(), "A term needs a name.".to_owned()));
    }
    let slug =
        slug_field(fields, &mut problems).or_else(|| current.as_ref().map(|c| c.slug.clone()));
    let description = given("description")
        .map(|d| d.trim().to_owned())
        .or_else(|| current.as_ref().map(|c| c.description.clone()))
        .unwrap_or_default();
    let parent = match integer_field(fields, "parent", &mut problems) {
        Some(_) if kind == Kind::Tag => {
            problems.push(("parent".to_owned(), "Tags have no parent.".to_owned()));
            None
        }
        Some(0) => None,
        Some(id) => Some(SectionId(id)),
        None => current.as_ref().and_then(|c| c.parent),
    };
    if let Some(parent) = parent {
        let allowed = match id {
            Some(id) => terms::parent_allowed(state.store(), SectionId(id), Some(parent)).await?,
            None => state
                .store()
                .sections()
                .await?
                .iter()
                .any(|s| s.id == parent),
        };
        if !allowed {
            problems.push((
                "parent".to_owned(),
                "parent is not a category this one may go under.".to_owned(),
            ));
        }
    }
    if !problems.is_empty() {
        return Err(ApiError::invalid_params(problems));
    }
    Ok(TermDraft {
        slug: match slug {
            Some(slug) => slug,
            None => not_reserved(Slug::from_headline(&name))?,
        },
        name,
        description,
        parent,
    })
}

/// The stored term as a draft (its current values).
async fn current(state: &AppState, kind: Kind, id: i64) -> Result<TermDraft, ApiError> {
    match kind {
        Kind::Section => {
            let section = state
                .store()
                .sections()
                .await?
                .into_iter()
                .find(|s| s.id == SectionId(id))
                .ok_or_else(invalid_term)?;
            Ok(TermDraft {
                name: section.name,
                slug: section.slug,
                description: section.description,
                parent: section.parent,
            })
        }
        Kind::Tag => {
            let tag = state
                .store()
                .tags()
                .await?
                .into_iter()
                .find(|t| t.id == TagId(id))
                .ok_or_else(invalid_term)?;
            Ok(TermDraft {
                name: tag.name,
                slug: tag.slug,
                description: tag.description,
                parent: None,
            })
        }
    }
}

/// The term as stored now, in WordPress's shape.
async fn term_json(
    state: &AppState,
    asked: &Asked,
    kind: Kind,
    id: i64,
) -> Result<Value, ApiError> {
    let origin = asked.origin(state).await;
    let site = fresh_site(state).await?;
    let (tag_counts, section_counts) = site.published_counts(state.store()).await?;
    match kind {
        Kind::Section => {
            let section = site.section(SectionId(id)).ok_or_else(invalid_term)?;
            let count = section_counts.get(&section.id).copied();
            Ok(category_json(&site, &origin, section, count))
        }
        Kind::Tag => {
            let tag = site.tag(TagId(id)).ok_or_else(invalid_term)?;
            Ok(tag_json(&origin, tag, tag_counts.get(&tag.id).copied()))
        }
    }
}

/// The store's refusals in WordPress's words.
fn stored(error: StoreError) -> ApiError {
    match error {
        StoreError::Conflict {
            constraint: Constraint::SectionSlug | Constraint::TagSlug,
        } => ApiError::new(
            StatusCode::BAD_REQUEST,
            "term_exists",
            "A term with the slug provided already exists in this taxonomy.",
        ),
        StoreError::NotFound { .. } => invalid_term(),
        other => ApiError::from(other),
    }
}
