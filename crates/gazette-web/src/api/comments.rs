//! `/wp/v2/comments/{id}` and writes to `/wp/v2/comments`: one comment in WordPress's `view`
//! shape; commenters' emails and IP addresses only in the `edit` context, for those who may
//! moderate the comment. Apps post readers' comments through the comment form's defences;
//! moderators approve, hold, mark as spam, trash and correct comments. The listing lives in
//! `comment_list`.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use gazette_core::{ArticleId, Comment, CommentId, CommentStatus, Person};
use gazette_store::IdempotencyKey;
use serde_json::{Map, Value, json};

use super::comment_json::comment_json;
use super::write::{body_of, created, integer_field, person, text_field};
use super::{ApiError, Asked};
use crate::AppState;
use crate::kernel::discussion::fields::{self, Refusal};
use crate::kernel::idempotency;
use crate::kernel::pages::Snapshot;
use crate::kernel::pages::load_site;
use crate::kernel::site::Site;
use gazette_newsroom::comments::attach_reply;
use gazette_newsroom::comments::intake::Source;
use gazette_newsroom::comments::moderation;

/// `GET /wp/v2/comments/{id}`: an approved comment on a public article for anyone; any
/// comment, and `context=edit`, for those who may moderate it.
pub(crate) async fn one_comment(
    State(state): State<AppState>,
    Snapshot(site): Snapshot,
    Path(id): Path<String>,
    asked: Asked,
) -> Result<Json<Value>, ApiError> {
    let comment = find(&state, &id).await?;
    let article = state.store().article(comment.article).await?;
    let asker = asker(&state, &asked, &comment).await?;
    let edit = asked.params.get("context") == Some("edit");
    if edit && asker.moderator.is_none() {
        return Err(ApiError::forbidden_context(asker.signed_in));
    }
    let readable = comment.status == CommentStatus::Approved
        && article
            .as_ref()
            .is_some_and(|a| a.status.is_public() && a.password.is_none());
    if !readable && asker.moderator.is_none() {
        return Err(ApiError::forbidden(asker.signed_in));
    }
    let origin = asked.origin(&state).await;
    Ok(Json(comment_json(
        &site,
        &origin,
        &comment,
        article.as_ref(),
        edit,
    )))
}

/// The comment a path names, or WordPress's `rest_comment_invalid_id`.
async fn find(state: &AppState, id: &str) -> Result<Comment, ApiError> {
    let id = super::path_id(id)?;
    state.store().comment(CommentId(id)).await?.ok_or_else(|| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "rest_comment_invalid_id",
            "Invalid comment ID.",
        )
    })
}

/// Who asks about a comment.
struct Asker {
    signed_in: bool,
    /// The person, when they may moderate the comment (every comment for editors, those on
    /// their own articles for authors, as in the back office).
    moderator: Option<Person>,
}

async fn asker(state: &AppState, asked: &Asked, comment: &Comment) -> Result<Asker, ApiError> {
    let Some(person) = person(state, asked).await? else {
        return Ok(Asker {
            signed_in: false,
            moderator: None,
        });
    };
    let in_scope = match moderation::scope(&person) {
        Ok(scope) => moderation::in_scope(state.store(), scope, comment)
            .await
            .map_err(ApiError::from)?,
        Err(_) => false,
    };
    Ok(Asker {
        signed_in: true,
        moderator: in_scope.then_some(person),
    })
}

/// The person, when they may moderate the comment; WordPress's refusal otherwise.
async fn moderator(state: &AppState, asked: &Asked, comment: &Comment) -> Result<Person, ApiError> {
    let asker = asker(state, asked, comment).await?;
    asker.moderator.ok_or_else(|| {
        ApiError::new(
            super::error::refused_status(asker.signed_in),
            "rest_cannot_edit",
            "Sorry, you are not allowed to edit this comment.",
        )
    })
}

/// `POST /wp/v2/comments`. Signed in with an application password, a person comments as
/// themselves: published at once when they may moderate the article, held otherwise.
/// Without credentials an app posts a reader's comment (`author_name`, `author_email`,
/// `author_url`, `content`, `post`, `parent`) when the comment settings let it: it goes
/// through the comment form's checks, spam defences and rate limits, and is always held.
pub(crate) async fn create_comment(
    State(state): State<AppState>,
    Snapshot(site): Snapshot,
    request: Request,
) -> Result<Response, ApiError> {
    let (asked, fields) = body_of(request).await?;
    let mut problems = Vec::new();
    let post = integer_field(&fields, "post", &mut problems);
    let parent = integer_field(&fields, "parent", &mut problems);
    if !problems.is_empty() {
        return Err(ApiError::invalid_params(problems));
    }
    let Some(post) = post.filter(|id| *id > 0) else {
        return Err(invalid_post());
    };
    const ROUTE: &str = "POST /wp/v2/comments";
    let (id, by_reader) = match person(&state, &asked).await? {
        Some(person) => {
            let key = asked.idempotency_key(&person, ROUTE, &fields)?;
            let id = staff_comment(&state, &person, post, parent, &fields, key.as_ref()).await?;
            (id, false)
        }
        None => {
            let key = asked.idempotency_key_in(idempotency::READERS, ROUTE, &fields)?;
            let id = reader_comment(&state, &asked, post, parent, &fields, key).await?;
            (id, true)
        }
    };
    let mut comment = find(&state, &id.0.to_string()).await?;
    // A reader's app is told "hold" whether the comment waits or was taken for spam, as the
    // form answers alike: the answer must not say how a comment was judged.
    if by_reader && comment.status != CommentStatus::Approved {
        comment.status = CommentStatus::Pending;
    }
    let article = state.store().article(comment.article).await?;
    let edit = asker(&state, &asked, &comment).await?.moderator.is_some();
    let origin = asked.origin(&state).await;
    Ok(created(comment_json(
        &site,
        &origin,
        &comment,
        article.as_ref(),
        edit,
    )))
}

fn invalid_post() -> ApiError {
    ApiError::new(
        StatusCode::FORBIDDEN,
        "rest_comment_invalid_post_id",
        "Sorry, you are not allowed to create this comment without a post.",
    )
}

/// A reader's comment sent by an app, through the comment form's own checks.
async fn reader_comment(
    state: &AppState,
    asked: &Asked,
    post: i64,
    parent: Option<i64>,
    fields: &Map<String, Value>,
    once: Option<IdempotencyKey>,
) -> Result<CommentId, ApiError> {
    let site = load_site(state).await?;
    if !site.publication.comments.api_comments {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "rest_comment_login_required",
            "Sorry, you must be logged in to comment.",
        ));
    }
    for moderators_only in ["status", "author", "author_ip", "date", "date_gmt"] {
        if fields.contains_key(moderators_only) {
            return Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "rest_comment_invalid_author",
                format!("Only moderators may set {moderators_only} on a comment."),
            ));
        }
    }
    // The form's names for the API's fields.
    let form: HashMap<String, String> = [
        ("comment_post_ID", post.to_string()),
        ("comment_parent", parent.unwrap_or(0).to_string()),
        ("comment", text_field(fields, "content")),
        ("author", text_field(fields, "author_name")),
        ("email", text_field(fields, "author_email")),
        ("url", text_field(fields, "author_url")),
    ]
    .into_iter()
    .map(|(name, value)| (name.to_owned(), value))
    .collect();
    // The form's checks, spam defences and rate limits, then always held (`Source::Api`).
    let site = load_site(state).await?;
    let taken = match fields::check(state, &site, &asked.headers, &form).await {
        Ok(submission) => {
            fields::take(
                state,
                &site,
                asked.client.address,
                &asked.headers,
                &submission,
                Source::Api { once },
            )
            .await
        }
        Err(refused) => Err(refused),
    };
    match taken {
        Ok((inserted, _)) => Ok(inserted.id()),
        Err(Refusal::Page(error)) => Err(error.into()),
        Err(Refusal::Form(form)) => Err(refusal(
            form.status,
            form.errors
                .into_iter()
                .map(|e| (e.field, e.message))
                .collect(),
        )),
    }
}

/// The form's refusal as WordPress words it.
fn refusal(status: StatusCode, problems: Vec<(&'static str, String)>) -> ApiError {
    let message = problems.first().map(|(_, m)| m.clone()).unwrap_or_default();
    match status {
        StatusCode::TOO_MANY_REQUESTS => ApiError::new(status, "comment_flood", message),
        StatusCode::FORBIDDEN => ApiError::new(status, "rest_comment_closed", message),
        StatusCode::NOT_FOUND | StatusCode::GONE => invalid_post(),
        _ if problems.iter().all(|(field, _)| *field == "comment") => {
            ApiError::new(status, "rest_comment_content_invalid", message)
        }
        _ => ApiError::invalid_params(
            problems
                .into_iter()
                .map(|(field, why)| {
                    let name = match field {
                        "comment" => "content",
                        "author" => "author_name",
                        "email" => "author_email",
                        "url" => "author_url",
                        other => other,
                    };
                    (name.to_owned(), why)
                })
                .collect(),
        ),
    }
}

/// A comment by the authenticated person, as their reply in the back office is: published
/// when they may moderate the article's comments, held otherwise.
async fn staff_comment(
    state: &AppState,
    person: &Person,
    post: i64,
    parent: Option<i64>,
    fields: &Map<String, Value>,
    once: Option<&IdempotencyKey>,
) -> Result<CommentId, ApiError> {
    let article = state
        .store()
        .article(ArticleId(post))
        .await?
        .filter(|a| a.status != gazette_core::Status::Trashed)
        .ok_or_else(invalid_post)?;
    // Only a post one may read, as a reader or as one of its editors; and as on the site,
    // only while its comments are open.
    let editor = gazette_core::desk::may_edit(person, &article);
    let readable = article.status.is_public() && article.password.is_none();
    if !(readable || editor) {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "rest_cannot_read_post",
            "Sorry, you are not allowed to read the post for this comment.",
        ));
    }
    let site = load_site(state).await?;
    let policy = &site.publication.comments;
    let now = state.store().clock().now();
    if !policy.open_at(article.comments_open, article.published_at, now) {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "rest_comment_closed",
            "Sorry, comments are closed for this item.",
        ));
    }
    let text = text_field(fields, "content").trim().to_owned();
    if text.is_empty() {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "rest_comment_content_invalid",
            "Invalid comment content.",
        ));
    }
    let answered = match parent.filter(|id| *id > 0) {
        None => None,
        Some(id) => Some(
            state
                .store()
                .comment(CommentId(id))
                .await?
                .filter(|c| c.article == article.id)
                .ok_or_else(|| {
                    ApiError::invalid_params(vec![(
                        "parent".to_owned(),
                        "parent is not a comment on this post.".to_owned(),
                    )])
                })?,
        ),
    };
    let (attach_to, depth) = match &answered {
        None => (None, 0),
        Some(answered) => attach_reply(state.store(), policy, answered).await?,
    };
    let may_moderate = match moderation::scope(person) {
        Ok(None) => true,
        Ok(Some(author)) => article.authors.contains(&author),
        Err(_) => false,
    };
    let status = if may_moderate {
        CommentStatus::Approved
    } else {
        CommentStatus::Pending
    };
    let answered = answered.map(|c| c.id).filter(|id| attach_to != Some(*id));
    let new = moderation::staff_comment(
        person,
        article.id,
        (attach_to, depth, answered),
        status,
        text,
    );
    let approvals = crate::kernel::comment_mail::approvals(state, &site);
    let inserted = moderation::post(state.store(), approvals, new, None, once).await?;
    Ok(inserted)
}

/// `POST`/`PUT`/`PATCH /wp/v2/comments/{id}`, for those who may moderate it: `status`
/// (`approved`, `hold`, `spam`, `trash`), `content`, `author_name`, `author_url`.
pub(crate) async fn update_comment(
    State(state): State<AppState>,
    Snapshot(site): Snapshot,
    Path(id): Path<String>,
    request: Request,
) -> Result<Response, ApiError> {
    let (asked, fields) = body_of(request).await?;
    let comment = find(&state, &id).await?;
    moderator(&state, &asked, &comment).await?;
    let target = match fields.get("status").map(|v| v.as_str()) {
        None => None,
        Some(Some("approved" | "approve" | "1")) => Some(CommentStatus::Approved),
        Some(Some("hold" | "0")) => Some(CommentStatus::Pending),
        Some(Some("spam")) => Some(CommentStatus::Spam),
        Some(Some("trash")) => Some(CommentStatus::Trash),
        Some(_) => {
            return Err(ApiError::invalid_params(vec![(
                "status".to_owned(),
                "status is not one of approved, hold, spam and trash.".to_owned(),
            )]));
        }
    };
    let name = fields
        .contains_key("author_name")
        .then(|| text_field(&fields, "author_name").trim().to_owned());
    let url = fields
        .contains_key("author_url")
        .then(|| text_field(&fields, "author_url").trim().to_owned());
    let text = fields
        .contains_key("content")
        .then(|| text_field(&fields, "content").trim().to_owned());
    let mut problems = Vec::new();
    if name.as_deref() == Some("") {
        problems.push((
            "author_name".to_owned(),
            "A comment needs a name.".to_owned(),
        ));
    }
    if text.as_deref() == Some("") {
        problems.push(("content".to_owned(), "A comment needs a text.".to_owned()));
    }
    if let Some(url) = &url
        && !(url.is_empty() || url.starts_with("https://") || url.starts_with("http://"))
    {
        problems.push((
            "author_url".to_owned(),
            "author_url starts with https:// or http://.".to_owned(),
        ));
    }
    if !problems.is_empty() {
        return Err(ApiError::invalid_params(problems));
    }
    let approvals = crate::kernel::comment_mail::approvals(&state, &site);
    let correction =
        (name.is_some() || url.is_some() || text.is_some()).then(|| moderation::Correction {
            author_name: name.unwrap_or_else(|| comment.author_name.clone()),
            author_url: url.unwrap_or_else(|| comment.author_url.clone()),
            text: text.unwrap_or_else(|| comment.body.clone()),
        });
    let id = comment.id;
    moderation::change(state.store(), approvals, id, correction, target).await?;
    answer_edited(&state, &asked, &site, id).await
}

/// `DELETE /wp/v2/comments/{id}`: to the trash, or with `force=true` deleted for good (its
/// replies move up a level), as WordPress does.
pub(crate) async fn delete_comment(
    State(state): State<AppState>,
    Snapshot(site): Snapshot,
    Path(id): Path<String>,
    asked: Asked,
) -> Result<Response, ApiError> {
    let comment = find(&state, &id).await?;
    moderator(&state, &asked, &comment).await?;
    let origin = asked.origin(&state).await;
    let id = comment.id;
    if matches!(asked.params.get("force"), Some("true" | "1")) {
        let article = state.store().article(comment.article).await?;
        let previous = super::values::previous(comment_json(
            &site,
            &origin,
            &comment,
            article.as_ref(),
            true,
        ));
        moderation::delete(state.store(), id).await?;
        return Ok(Json(json!({ "deleted": true, "previous": previous })).into_response());
    }
    let approvals = crate::kernel::comment_mail::approvals(&state, &site);
    moderation::change(
        state.store(),
        approvals,
        id,
        None,
        Some(CommentStatus::Trash),
    )
    .await?;
    answer_edited(&state, &asked, &site, id).await
}

/// The comment after a change, in the `edit` context.
async fn answer_edited(
    state: &AppState,
    asked: &Asked,
    site: &Site,
    id: CommentId,
) -> Result<Response, ApiError> {
    let comment = find(state, &id.0.to_string()).await?;
    let article = state.store().article(comment.article).await?;
    let origin = asked.origin(state).await;
    Ok(Json(comment_json(
        site,
        &origin,
        &comment,
        article.as_ref(),
        true,
    ))
    .into_response())
}
