//! `POST /wp/v2/posts`, `POST|PUT|PATCH /wp/v2/posts/{id}` and `DELETE /wp/v2/posts/{id}`:
//! articles written, changed, trashed and deleted by an application password's owner, under
//! the newsroom's own rules (`gazette_core::desk`): contributors write drafts and submit them,
//! publishing, scheduling and trashing need the right to publish, and only editors touch
//! other people's work. As in the newsroom, a published article keeps its old address
//! answering with a redirect, and each published save is a revision.

mod changes;

use axum::Json;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use gazette_core::desk::may_edit;
use gazette_core::{Article, ArticleId, BodyFormat, Capability, Person, Slug, Status};
use gazette_newsroom::articles;
use gazette_store::{Once, StoreError};
use serde_json::{Map, Value, json};

use super::posts::post_json;
use super::write::{body_of, fresh_site, not_reserved, person, person_who_can};
use super::{ApiError, Asked};
use crate::AppState;
use crate::kernel::site::Site;
use changes::Changes;

/// `POST /wp/v2/posts`: a new article by the authenticated person, from `title`, `content`
/// (HTML), `excerpt`, `slug`, `status`, `date`, `categories`, `tags`, `sticky`,
/// `comment_status` and `password`.
pub(crate) async fn create_post(
    State(state): State<AppState>,
    request: Request,
) -> Result<Response, ApiError> {
    let (asked, fields) = body_of(request).await?;
    let person = person_who_can(
        &state,
        &asked,
        Capability::WriteOwnDrafts,
        "rest_cannot_create",
        "Sorry, you are not allowed to create posts as this user.",
    )
    .await?;
    let key = asked.idempotency_key(&person, "POST /wp/v2/posts", &fields)?;
    let site = fresh_site(&state).await?;
    let changes = changes(&state, &fields, &site).await?;
    if changes.title.as_deref().is_none_or(|t| t.trim().is_empty()) {
        return Err(ApiError::invalid_params(vec![(
            "title".to_owned(),
            "A post needs a title.".to_owned(),
        )]));
    }
    let now = state.store().clock().now();
    let blank = articles::blank(&person, BodyFormat::Html);
    let mut article = changes.applied(&blank, &person, now)?;
    if changes.slug.is_none() {
        let made = not_reserved(Slug::from_headline(&article.headline))?;
        article.slug = free_slug(&state, made).await?;
    }
    let created = articles::create(state.store(), &person, article, None, key.as_ref())
        .await
        .map_err(|e| refused(e, cannot_publish))?;
    let (created, repeated) = match created {
        Once::Done(article) => (article, false),
        Once::Repeated(record) => {
            let gone = super::values::invalid_post_id;
            let id = super::write::repeated(record, "article", gone())?;
            let article = state.store().article(ArticleId(id)).await?;
            (article.ok_or_else(gone)?, true)
        }
    };
    let origin = asked.origin(&state).await;
    let item = post_json(&site, &origin, &created, true);
    Ok(super::write::created_once(item, repeated))
}

/// `POST`/`PUT`/`PATCH /wp/v2/posts/{id}`: the fields given change, the others stay.
pub(crate) async fn update_post(
    State(state): State<AppState>,
    Path(id): Path<String>,
    request: Request,
) -> Result<Response, ApiError> {
    let (asked, fields) = body_of(request).await?;
    let id = ArticleId(super::path_id(&id)?);
    let (person, _) = editable(&state, &asked, id).await?;
    let site = fresh_site(&state).await?;
    let changes = changes(&state, &fields, &site).await?;
    let now = state.store().clock().now();
    let change = |current: &Article| changes.applied(current, &person, now);
    let saved = save(&state, &site, &person, id, change, cannot_publish).await?;
    let origin = asked.origin(&state).await;
    Ok(Json(post_json(&site, &origin, &saved, true)).into_response())
}

/// `DELETE /wp/v2/posts/{id}`: to the trash, or with `force=true` deleted for good (its
/// comments and revisions with it), as WordPress does.
pub(crate) async fn delete_post(
    State(state): State<AppState>,
    Path(id): Path<String>,
    asked: Asked,
) -> Result<Response, ApiError> {
    let id = ArticleId(super::path_id(&id)?);
    let (person, _) = editable(&state, &asked, id).await?;
    let site = fresh_site(&state).await?;
    let origin = asked.origin(&state).await;
    if matches!(asked.params.get("force"), Some("true" | "1")) {
        let deleted = articles::delete(state.store(), &person, id)
            .await
            .map_err(|e| refused(e, cannot_delete))?;
        let previous = super::values::previous(post_json(&site, &origin, &deleted, true));
        return Ok(Json(json!({ "deleted": true, "previous": previous })).into_response());
    }
    let trash = |current: &Article| {
        if current.status == Status::Trashed {
            return Err(ApiError::new(
                StatusCode::GONE,
                "rest_already_trashed",
                "The post has already been deleted.",
            ));
        }
        let mut trashed = current.clone();
        trashed.status = Status::Trashed;
        Ok(trashed)
    };
    let saved = save(&state, &site, &person, id, trash, cannot_delete).await?;
    Ok(Json(post_json(&site, &origin, &saved, true)).into_response())
}

/// The fields' changes, checked against the sections and the media library as they are now
/// (not the cached site: a category made a moment ago counts).
async fn changes(
    state: &AppState,
    fields: &Map<String, Value>,
    site: &Site,
) -> Result<Changes, ApiError> {
    let sections = state.store().sections().await?;
    // Problems with the field itself are named by `Changes::of`.
    let media = match super::write::integer_field(fields, "featured_media", &mut Vec::new()) {
        Some(id) if id > 0 => state
            .store()
            .media(gazette_core::MediaId(id))
            .await?
            .into_iter()
            .collect(),
        _ => Vec::new(),
    };
    Changes::of(fields, site, &sections, &media)
}

/// The authenticated person and the article, when they may edit it (checked again when
/// the change is saved, on the locked row).
async fn editable(
    state: &AppState,
    asked: &Asked,
    id: ArticleId,
) -> Result<(Person, Article), ApiError> {
    let person = person(state, asked)
        .await?
        .ok_or_else(|| cannot_edit(StatusCode::UNAUTHORIZED))?;
    let article = state
        .store()
        .article(id)
        .await?
        .ok_or_else(super::values::invalid_post_id)?;
    if !may_edit(&person, &article) {
        return Err(cannot_edit(StatusCode::FORBIDDEN));
    }
    Ok((person, article))
}

/// Saves `change` of the article through the newsroom: the rules are checked again on the
/// article as it is (someone may have published it a moment ago; a status it may not get is
/// refused with `not_allowed`), a published save is a revision, and a public article whose
/// address changed keeps the old one redirecting.
async fn save(
    state: &AppState,
    site: &Site,
    person: &Person,
    id: ArticleId,
    change: impl Fn(&Article) -> Result<Article, ApiError>,
    not_allowed: fn() -> ApiError,
) -> Result<Article, ApiError> {
    let address = |article: &Article| crate::kernel::views::article_url(site, article);
    let save = articles::Save {
        id,
        by: person,
        started_from: None,
        tag_names: None,
        edit: change,
    };
    articles::save(state.store(), &address, save)
        .await
        .map_err(|e| refused(e, not_allowed))
}

/// The newsroom's refusals in WordPress's words; `not_allowed` names the status change the
/// person may not make.
fn refused(error: articles::SaveError<ApiError>, not_allowed: fn() -> ApiError) -> ApiError {
    use articles::SaveError;
    match error {
        SaveError::NotFound => super::values::invalid_post_id(),
        SaveError::Forbidden => cannot_edit(StatusCode::FORBIDDEN),
        SaveError::StatusNotAllowed => not_allowed(),
        SaveError::Stale(_) => ApiError::new(
            StatusCode::CONFLICT,
            "rest_post_busy",
            "The post kept changing while this save was applied; send it again.",
        ),
        SaveError::Refused(error) => error,
        SaveError::Store(error) => stored(error),
    }
}

fn cannot_edit(status: StatusCode) -> ApiError {
    ApiError::new(
        status,
        "rest_cannot_edit",
        "Sorry, you are not allowed to edit this post.",
    )
}

fn cannot_delete() -> ApiError {
    ApiError::new(
        StatusCode::FORBIDDEN,
        "rest_cannot_delete",
        "Sorry, you are not allowed to delete this post.",
    )
}

/// The store's refusals in WordPress's words.
fn stored(error: StoreError) -> ApiError {
    match error {
        StoreError::InvalidReference => ApiError::invalid_params(vec![(
            "tags".to_owned(),
            "tags names a tag that does not exist.".to_owned(),
        )]),
        StoreError::Conflict {
            constraint: gazette_store::Constraint::ArticleSlug,
        } => ApiError::invalid_params(vec![(
            "slug".to_owned(),
            "Another post already uses this slug; choose another.".to_owned(),
        )]),
        StoreError::NotFound { .. } => super::values::invalid_post_id(),
        other => ApiError::from(other),
    }
}

fn cannot_publish() -> ApiError {
    ApiError::new(
        StatusCode::FORBIDDEN,
        "rest_cannot_publish",
        "Sorry, you are not allowed to publish posts as this user.",
    )
}

/// `base`, or `base-2`, `base-3`… when an article has it; a long base is shortened so that
/// the number fits.
async fn free_slug(state: &AppState, base: Slug) -> Result<Slug, ApiError> {
    let room = gazette_core::slug::MAX_SLUG_CHARS - 4;
    let stem: String = base.as_str().chars().take(room).collect();
    let stem = stem.trim_end_matches('-');
    let mut candidate = base.clone();
    for n in 2..1000 {
        if state.store().article_by_slug(&candidate).await?.is_none() {
            return Ok(candidate);
        }
        candidate = Slug::parse(&format!("{stem}-{n}")).map_err(|_| slug_taken())?;
    }
    Err(slug_taken())
}

fn slug_taken() -> ApiError {
    ApiError::new(
        StatusCode::CONFLICT,
        "rest_post_exists",
        "Too many posts have this slug; give another.",
    )
}
