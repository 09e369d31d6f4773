//! `POST /wp/v2/posts`, `POST|PUT|PATCH /wp/v2/posts/{id}` and `DELETE /wp/v2/posts/{id}`:
//! articles written, changed, trashed and deleted by an application password's owner, under
//! the newsroom's own rules (`gazette_core::desk`): contributors write drafts and submit them,
//! publishing, scheduling and trashing need the right to publish, and only editors touch
//! other people's work. As in the newsroom, a published article keeps its old address
//! answering with a redirect, and each published save is a revision.

use axum::Json;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use gazette_core::desk::{may_edit, may_set_status};
use gazette_core::{
    Article, ArticleId, BodyFormat, Capability, Person, SectionId, Slug, Status, TagId,
};
use gazette_store::{NewArticle, StoreError};
use jiff::Timestamp;
use serde_json::{Map, Value, json};

use super::posts::{parse_status, post_json, wordpress_time};
use super::write::{body_of, fresh_site, not_reserved, person, person_who_can, text_field};
use super::{ApiError, Asked};
use crate::AppState;
use crate::kernel::site::Site;

/// `POST /wp/v2/posts`: a new article by the authenticated person, from `title`, `content`
/// (HTML), `excerpt`, `slug`, `status`, `date`, `categories`, `tags`, `sticky`,
/// `comment_status` and `password`.
pub(crate) async fn create_post(
    State(state): State<AppState>,
    request: Request,
) -> Result<Response, ApiError> {
    let (asked, fields) = body_of(&state, request).await?;
    let person = person_who_can(
        &state,
        &asked,
        Capability::WriteOwnDrafts,
        "rest_cannot_create",
        "Sorry, you are not allowed to create posts as this user.",
    )
    .await?;
    let site = fresh_site(&state).await?;
    let changes = changes(&state, &fields, &site).await?;
    if changes.title.as_deref().is_none_or(|t| t.trim().is_empty()) {
        return Err(ApiError::invalid_params(vec![(
            "title".to_owned(),
            "A post needs a title.".to_owned(),
        )]));
    }
    let now = state.store().clock().now();
    let mut draft = NewArticle::draft(
        "",
        "",
        gazette_core::SafeHtml::from_text(""),
        gazette_render::RENDER_VERSION,
    );
    draft.authors = vec![person.id];
    draft.body_format = BodyFormat::Html;
    let blank = draft.unsaved();
    let mut article = changes.applied(&blank, &person, now)?;
    if !may_set_status(&person, &blank, article.status) {
        return Err(cannot_publish());
    }
    if changes.slug.is_none() {
        let made = not_reserved(Slug::from_headline(&article.headline))?;
        article.slug = free_slug(&state, made).await?;
    }
    let author = person.id;
    let created = state
        .store()
        .write(|tx| {
            Box::pin(async move {
                let created = tx.insert_article(NewArticle::from(article)).await?;
                if created.status == Status::Published {
                    tx.insert_revision(&created, Some(author)).await?;
                }
                Ok::<_, StoreError>(created)
            })
        })
        .await
        .map_err(stored)?;
    let origin = asked.origin(&state).await;
    Ok(super::write::created(post_json(
        &site, &origin, &created, true,
    )))
}

/// `POST`/`PUT`/`PATCH /wp/v2/posts/{id}`: the fields given change, the others stay.
pub(crate) async fn update_post(
    State(state): State<AppState>,
    Path(id): Path<String>,
    request: Request,
) -> Result<Response, ApiError> {
    let (asked, fields) = body_of(&state, request).await?;
    let id = ArticleId(super::path_id(&id)?);
    let (person, _) = editable(&state, &asked, id).await?;
    let site = fresh_site(&state).await?;
    let changes = changes(&state, &fields, &site).await?;
    let now = state.store().clock().now();
    let editor = person.clone();
    let change = move |current: &Article| changes.applied(current, &editor, now);
    let saved = save(&state, &site, &person, id, change, cannot_publish).await?;
    let origin = asked.origin(&state).await;
    Ok(Json(post_json(&site, &origin, &saved, true)).into_response())
}

/// `DELETE /wp/v2/posts/{id}`: to the trash, or with `force=true` deleted for good (its
/// comments and revisions with it), as WordPress does.
pub(crate) async fn delete_post(
    State(state): State<AppState>,
    Path(id): Path<String>,
    request: Request,
) -> Result<Response, ApiError> {
    let asked = Asked::of(&state, &request);
    drop(request);
    let id = ArticleId(super::path_id(&id)?);
    let (person, _) = editable(&state, &asked, id).await?;
    let site = fresh_site(&state).await?;
    let origin = asked.origin(&state).await;
    if matches!(asked.params.get("force"), Some("true" | "1")) {
        let deleted = delete_for_good(&state, &person, id).await?;
        let previous = super::posts::previous(post_json(&site, &origin, &deleted, true));
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
        .ok_or_else(super::posts::invalid_post_id)?;
    if !may_edit(&person, &article) {
        return Err(cannot_edit(StatusCode::FORBIDDEN));
    }
    Ok((person, article))
}

/// Why a save did not happen: the store failed, or the article as it is now may not be
/// changed so.
enum Unsaved {
    Store(StoreError),
    Refused(ApiError),
}

impl From<StoreError> for Unsaved {
    fn from(error: StoreError) -> Self {
        Self::Store(error)
    }
}

impl From<Unsaved> for ApiError {
    fn from(unsaved: Unsaved) -> Self {
        match unsaved {
            Unsaved::Store(error) => stored(error),
            Unsaved::Refused(error) => error,
        }
    }
}

/// Saves `change` of the article as it is under the lock, in one unit of work: the newsroom's
/// rules are checked again on that row (someone may have published it a moment ago; a
/// status it may not get is refused with `refusal`), a published save is a revision, and a
/// public article whose address changed keeps the old one redirecting.
async fn save(
    state: &AppState,
    site: &std::sync::Arc<Site>,
    person: &Person,
    id: ArticleId,
    change: impl FnOnce(&Article) -> Result<Article, ApiError> + Send + 'static,
    refusal: fn() -> ApiError,
) -> Result<Article, ApiError> {
    let (person, site) = (person.clone(), std::sync::Arc::clone(site));
    let saved = state
        .store()
        .write(|tx| {
            Box::pin(async move {
                let current = locked(tx, id).await?;
                if !may_edit(&person, &current) {
                    return Err(Unsaved::Refused(cannot_edit(StatusCode::FORBIDDEN)));
                }
                let edited = change(&current).map_err(Unsaved::Refused)?;
                if !may_set_status(&person, &current, edited.status) {
                    return Err(Unsaved::Refused(refusal()));
                }
                let saved = tx.update_article(&edited).await?;
                if saved.status == Status::Published {
                    tx.insert_revision(&saved, Some(person.id)).await?;
                }
                let (old_url, new_url) = (
                    crate::kernel::views::article_url(&site, &current),
                    crate::kernel::views::article_url(&site, &saved),
                );
                if current.status == Status::Published && old_url != new_url {
                    tx.retire_article_path(&old_url, id).await?;
                }
                Ok(saved)
            })
        })
        .await?;
    Ok(saved)
}

/// Deletes the article for good, checking again under the lock that the person may.
async fn delete_for_good(
    state: &AppState,
    person: &Person,
    id: ArticleId,
) -> Result<Article, ApiError> {
    let person = person.clone();
    let deleted = state
        .store()
        .write(|tx| {
            Box::pin(async move {
                let current = locked(tx, id).await?;
                if !may_set_status(&person, &current, Status::Trashed) {
                    return Err(Unsaved::Refused(cannot_delete()));
                }
                tx.delete_article(id).await?;
                Ok(current)
            })
        })
        .await?;
    Ok(deleted)
}

/// The article as it is now, its row locked until the unit of work ends.
async fn locked(tx: &mut gazette_store::WriteTx, id: ArticleId) -> Result<Article, Unsaved> {
    let gone = || Unsaved::Refused(super::posts::invalid_post_id());
    if !tx.lock_article(id).await? {
        return Err(gone());
    }
    tx.article(id).await?.ok_or_else(gone)
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
        StoreError::NotFound { .. } => super::posts::invalid_post_id(),
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

/// The fields a write sets, checked; `None` leaves the article's own.
#[derive(Debug, Default)]
struct Changes {
    title: Option<String>,
    content: Option<String>,
    excerpt: Option<String>,
    slug: Option<Slug>,
    status: Option<Status>,
    date: Option<Timestamp>,
    sections: Option<Vec<SectionId>>,
    tags: Option<Vec<TagId>>,
    sticky: Option<bool>,
    comments_open: Option<bool>,
    password: Option<String>,
    /// `featured_media`: the library image (`Some(None)` removes the featured image).
    featured: Option<Option<gazette_core::Media>>,
}

impl Changes {
    /// Reads and checks every field, naming each problem as WordPress's `rest_invalid_param`.
    fn of(
        fields: &Map<String, Value>,
        site: &Site,
        sections: &[gazette_core::Section],
        media: &[gazette_core::Media],
    ) -> Result<Self, ApiError> {
        let mut problems: Vec<(String, String)> = Vec::new();
        let mut changes = Self::default();
        let text = |name: &str| fields.contains_key(name).then(|| text_field(fields, name));
        changes.title = text("title");
        changes.content = text("content");
        changes.excerpt = text("excerpt");
        changes.password = text("password");
        changes.slug = super::write::slug_field(fields, &mut problems);
        if let Some(status) = text("status") {
            match parse_status(&status) {
                Some(status) => changes.status = Some(status),
                None => problems.push((
                    "status".into(),
                    "status is not one of publish, future, draft, pending, private and trash."
                        .into(),
                )),
            }
        }
        for name in ["date", "date_gmt"] {
            if let Some(date) = text(name).filter(|d| !d.is_empty()) {
                match wordpress_time(site, &date, name == "date_gmt") {
                    Some(at) => changes.date = Some(at),
                    None => problems.push((name.into(), format!("Invalid date: {date}."))),
                }
            }
        }
        if let Some(ids) = id_list(fields, "categories", &mut problems) {
            if ids
                .iter()
                .all(|id| sections.iter().any(|s| s.id == SectionId(*id)))
            {
                changes.sections = Some(ids.into_iter().map(SectionId).collect());
            } else {
                problems.push((
                    "categories".into(),
                    "categories names a category that does not exist.".into(),
                ));
            }
        }
        changes.tags =
            id_list(fields, "tags", &mut problems).map(|ids| ids.into_iter().map(TagId).collect());
        changes.sticky = flag(fields, "sticky", &mut problems);
        let featured = super::write::integer_field(fields, "featured_media", &mut problems);
        match featured {
            None => {}
            Some(0) => changes.featured = Some(None),
            Some(id) => match media.iter().find(|m| m.id.0 == id) {
                Some(found) => changes.featured = Some(Some(found.clone())),
                None => problems.push((
                    "featured_media".into(),
                    "featured_media names no image in the media library.".into(),
                )),
            },
        }
        if let Some(status) = text("comment_status") {
            match status.as_str() {
                "open" => changes.comments_open = Some(true),
                "closed" => changes.comments_open = Some(false),
                _ => problems.push((
                    "comment_status".into(),
                    "comment_status is not one of open and closed.".into(),
                )),
            }
        }
        if problems.is_empty() {
            Ok(changes)
        } else {
            Err(ApiError::invalid_params(problems))
        }
    }

    /// `base` with these changes, by `person` at `now`.
    fn applied(
        &self,
        base: &Article,
        person: &Person,
        now: Timestamp,
    ) -> Result<Article, ApiError> {
        let mut article = base.clone();
        if let Some(title) = &self.title {
            let title = title.trim();
            if title.is_empty() {
                return Err(ApiError::invalid_params(vec![(
                    "title".into(),
                    "A post needs a title.".into(),
                )]));
            }
            title.clone_into(&mut article.headline);
        }
        // The body keeps its format: a Markdown article's `content.raw` is Markdown, and a
        // client sending it back must not turn it into HTML. Its trust is decided on every
        // save, as in the editor (there is no "Allow raw HTML" box here: an app keeps a
        // source's trust or loses it, never restores it).
        let before = (base.id.0 != 0).then_some(base.unfiltered_html);
        let trusted = gazette_core::desk::raw_html_trusted(person, before, None);
        if let Some(content) = &self.content {
            article.body_source.clone_from(content);
        }
        if self.content.is_some() || trusted != base.unfiltered_html {
            article.body_html = gazette_render::render_body_as(
                article.body_format,
                &article.body_source,
                gazette_render::HtmlPolicy::for_trust(trusted),
            );
            article.unfiltered_html = trusted;
            article.render_version = gazette_render::RENDER_VERSION;
        }
        if let Some(excerpt) = &self.excerpt {
            excerpt.trim().clone_into(&mut article.excerpt);
        }
        if let Some(slug) = &self.slug {
            article.slug = slug.clone();
        }
        if let Some(sections) = &self.sections {
            let mut sections = sections.iter().copied();
            article.primary_section = sections.next();
            article.further_sections = sections.collect();
        }
        if let Some(tags) = &self.tags {
            article.tags.clone_from(tags);
        }
        if let Some(sticky) = self.sticky {
            if sticky != base.sticky && !gazette_core::desk::may_set_sticky(person) {
                return Err(ApiError::new(
                    StatusCode::FORBIDDEN,
                    "rest_cannot_assign_sticky",
                    "Sorry, you are not allowed to make posts sticky.",
                ));
            }
            article.sticky = sticky;
        }
        if let Some(open) = self.comments_open {
            article.comments_open = open;
        }
        if let Some(password) = &self.password {
            article.password = Some(password.clone()).filter(|p| !p.is_empty());
        }
        if let Some(date) = self.date {
            article.published_at = Some(date);
        }
        if let Some(featured) = &self.featured {
            article.featured_image = featured.as_ref().map(|media| gazette_core::FeaturedImage {
                src: media.url(),
                alt: media.alt.clone(),
                caption: media.caption.clone(),
                credit: media.credit.clone(),
                media: Some(media.id),
            });
        }
        let status = self.status.unwrap_or(base.status);
        // WordPress's `publish` with a date ahead is a scheduled post, `future` without one
        // is refused; publishing now dates an article that has no date yet.
        article.status = match status {
            Status::Published | Status::Scheduled => match article.published_at {
                Some(at)
                    if at > now && (self.date.is_some() || base.status == Status::Scheduled) =>
                {
                    Status::Scheduled
                }
                _ if status == Status::Scheduled => {
                    return Err(ApiError::invalid_params(vec![(
                        "date".into(),
                        "A scheduled post needs a date in the future.".into(),
                    )]));
                }
                _ => Status::Published,
            },
            other => other,
        };
        if article.status == Status::Published && base.status != Status::Published {
            article.published_at = Some(self.date.filter(|d| *d <= now).unwrap_or(now));
        }
        Ok(article)
    }
}

/// A list of ids (`[3, 4]`, `["3"]`, or `"3,4"` from a form), each once; `None` when the
/// field is absent.
fn id_list(
    fields: &Map<String, Value>,
    name: &str,
    problems: &mut Vec<(String, String)>,
) -> Option<Vec<i64>> {
    let value = fields.get(name)?;
    let id = |item: &Value| match item {
        Value::Number(n) => n.as_i64(),
        Value::String(text) => text.trim().parse().ok(),
        _ => None,
    };
    let ids: Option<Vec<i64>> = match value {
        Value::Array(items) => items.iter().map(id).collect(),
        Value::String(text) if text.trim().is_empty() => Some(Vec::new()),
        Value::String(text) => text.split(',').map(|p| p.trim().parse().ok()).collect(),
        Value::Number(n) => n.as_i64().map(|id| vec![id]),
        _ => None,
    };
    match ids {
        Some(mut ids) => {
            // Each once, in the order given: a repeat means nothing more.
            let mut seen = std::collections::HashSet::new();
            ids.retain(|id| seen.insert(*id));
            Some(ids)
        }
        None => {
            problems.push((
                name.to_owned(),
                format!("{name}[0] is not of type integer."),
            ));
            None
        }
    }
}

/// A boolean, from JSON or a form's `true`/`false`/`1`/`0`.
fn flag(
    fields: &Map<String, Value>,
    name: &str,
    problems: &mut Vec<(String, String)>,
) -> Option<bool> {
    let value = fields.get(name)?;
    let parsed = match value {
        Value::Bool(b) => Some(*b),
        Value::String(s) if matches!(s.as_str(), "true" | "1") => Some(true),
        Value::String(s) if matches!(s.as_str(), "false" | "0") => Some(false),
        _ => None,
    };
    if parsed.is_none() {
        problems.push((name.to_owned(), format!("{name} is not of type boolean.")));
    }
    parsed
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
