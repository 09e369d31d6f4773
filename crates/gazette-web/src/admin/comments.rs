//! The moderation inbox: held comments first with the reasons they were held, one-click and
//! bulk moderation, and a commenter's history by email (the only place emails are shown).
//!
//! Editors and administrators moderate every comment; authors moderate the comments on their
//! own articles; contributors moderate none, as in WordPress.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use gazette_core::{Comment, CommentId, CommentStatus, Email, Role};
use gazette_newsroom::comments::moderation;
use gazette_store::CommentFilter;
use serde::Serialize;

use super::{CsrfForm, Staff, notice, staff_page, url_encode};
use crate::kernel::pages::Snapshot;
use crate::kernel::query::Query;
use crate::{AppError, AppState};

/// Comments per inbox page.
const PER_PAGE: u64 = 50;

#[derive(Debug, Serialize)]
struct Row {
    id: i64,
    status: &'static str,
    name: String,
    email: String,
    url: String,
    address: String,
    article: String,
    article_url: String,
    history_url: String,
    date: String,
    body: minijinja::Value,
    reasons: Vec<String>,
    score: i64,
}

#[derive(Debug, Serialize)]
struct Tab {
    label: String,
    url: String,
    current: bool,
}

/// What the inbox's address may carry: the tab, a commenter's history and the page, and after
/// an action the key and counts its notice is made from (see [`done_notice`]).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub(crate) struct InboxQuery {
    status: Option<String>,
    email: Option<String>,
    page: Option<String>,
    done: Option<String>,
    to: Option<String>,
    changed: Option<String>,
    refused: Option<String>,
    comments: Option<String>,
    comment: Option<String>,
}

/// The commenter whose data is asked for: `?email=…`.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub(crate) struct Commenter {
    email: Option<String>,
}

/// `GET /admin/comments/[?status=…&email=…&page=…]`.
pub(crate) async fn inbox(
    State(state): State<AppState>,
    staff: Staff,
    Query(query): Query<InboxQuery>,
) -> Result<Response, AppError> {
    let on_articles_by = moderation::scope(&staff.person)?;
    let status = match query.status.as_deref() {
        None | Some("") => Some(CommentStatus::Pending),
        Some("all") => None,
        Some(name) => Some(CommentStatus::parse(name).ok_or_else(|| {
            AppError::BadRequest(format!(
                "“{name}” is not a comment status: use pending, approved, spam, trash or all."
            ))
        })?),
    };
    let email = query
        .email
        .as_deref()
        .map(|e| e.trim().to_lowercase())
        .filter(|e| !e.is_empty());
    let page: u64 = match query.page.as_deref() {
        None => 1,
        Some(text) => text
            .parse()
            .ok()
            .filter(|p| *p >= 1)
            .ok_or_else(|| AppError::BadRequest(format!("“{text}” is not a page number.")))?,
    };
    // A commenter's history shows every status at once.
    let filter = CommentFilter {
        status: if email.is_some() { None } else { status },
        email: email.clone(),
        on_articles_by,
        article: None,
    };
    let listing = state
        .store()
        .moderation_comments(&filter, (page - 1) * PER_PAGE, PER_PAGE)
        .await?;
    let rows = rows(&state, &listing.comments).await?;
    let counts = state.store().comment_status_counts(on_articles_by).await?;
    let current = if email.is_some() {
        ""
    } else {
        status.map_or("all", CommentStatus::as_str)
    };
    let tabs: Vec<Tab> = ["pending", "approved", "spam", "trash", "all"]
        .into_iter()
        .map(|name| {
            let count = CommentStatus::parse(name)
                .map(|s| counts.get(&s).copied().unwrap_or(0))
                .unwrap_or_else(|| counts.values().sum());
            Tab {
                label: format!("{} ({count})", tab_label(name)),
                url: format!("/admin/comments/?status={name}"),
                current: current == name,
            }
        })
        .collect();
    let pages = listing.total.div_ceil(PER_PAGE).max(1);
    let back = match &email {
        Some(email) => format!("/admin/comments/?email={}", url_encode(email)),
        None => format!("/admin/comments/?status={current}"),
    };
    let link = |p: u64| format!("{back}&page={p}");
    Ok(staff_page(
        &state,
        &staff,
        StatusCode::OK,
        "admin/comments.html",
        minijinja::context! {
            tabs,
            rows,
            total => listing.total,
            status => current,
            email,
            export_url => email.as_ref().map(|e| format!("/admin/comments/export?email={}", url_encode(e))),
            may_erase => staff.person.role == Role::Administrator,
            back,
            newer => (page > 1).then(|| link(page - 1)),
            older => (page < pages).then(|| link(page + 1)),
            notice => done_notice(&query),
            comments_script => state.theme().asset_url("moderation.js"),
        },
    ))
}

/// The notice for the action the inbox's address names (see [`notice`]).
fn done_notice(query: &InboxQuery) -> Option<String> {
    let count = |value: &Option<String>| notice::count(value.as_deref());
    match query.done.as_deref()? {
        "moved" => {
            let to = CommentStatus::parse(query.to.as_deref()?)?;
            let (changed, refused) = (count(&query.changed)?, count(&query.refused)?);
            Some(format!(
                "{changed} moved to {}, {refused} not yours to moderate",
                to.as_str()
            ))
        }
        "erased" => Some(format!(
            "Erased the commenter's data from {} comment(s).",
            count(&query.comments)?
        )),
        "saved" => Some("Saved the comment.".to_owned()),
        "replied" => Some(format!("Replied (comment {}).", count(&query.comment)?)),
        _ => None,
    }
}

fn tab_label(status: &str) -> &'static str {
    match status {
        "pending" => "Pending",
        "approved" => "Approved",
        "spam" => "Spam",
        "trash" => "Trash",
        _ => "All",
    }
}

async fn rows(state: &AppState, comments: &[Comment]) -> Result<Vec<Row>, AppError> {
    let site = crate::kernel::pages::load_site(state).await?;
    let zone = site.publication.time_zone.zone();
    let mut rows = Vec::with_capacity(comments.len());
    let mut articles = HashMap::new();
    for comment in comments {
        if let std::collections::hash_map::Entry::Vacant(slot) = articles.entry(comment.article) {
            slot.insert(state.store().article(comment.article).await?);
        }
        let article = articles.get(&comment.article).and_then(Option::as_ref);
        let email = comment.author_email.to_lowercase();
        rows.push(Row {
            id: comment.id.0,
            status: comment.status.as_str(),
            name: comment.author_name.clone(),
            history_url: format!("/admin/comments/?email={}", url_encode(&email)),
            email: comment.author_email.clone(),
            url: comment.author_url.clone(),
            address: comment.author_ip.clone().unwrap_or_default(),
            article: article.map_or_else(String::new, |a| a.headline.clone()),
            article_url: article
                .map(|a| {
                    let path = crate::kernel::views::article_url(&site, a);
                    format!("{path}#comment-{}", comment.id.0)
                })
                .unwrap_or_default(),
            date: super::times::to_minute(&zone, comment.created_at),
            body: minijinja::Value::from_safe_string(comment.body_html.as_str().to_owned()),
            reasons: comment.reasons.clone(),
            score: comment.score,
        });
    }
    Ok(rows)
}

/// `POST /admin/comments/`: one action on the checked comments (or the one whose button was
/// pressed). Comments outside the person's scope are left as they are and counted.
pub(crate) async fn moderate(
    State(state): State<AppState>,
    Snapshot(site): Snapshot,
    staff: Staff,
    CsrfForm(fields): CsrfForm,
) -> Result<Response, AppError> {
    let get = |name: &str| fields.get(name);
    let scope = moderation::scope(&staff.person)?;
    // A row's own button names its comment as `action:id`; the bulk form uses checkboxes.
    let (action, single) = match get("do").split_once(':') {
        Some((action, id)) => (action.to_owned(), id.parse().ok().map(CommentId)),
        None => (get("bulk_action").to_owned(), None),
    };
    let target = match action.as_str() {
        "approve" => CommentStatus::Approved,
        "unapprove" => CommentStatus::Pending,
        "spam" => CommentStatus::Spam,
        "trash" => CommentStatus::Trash,
        other => {
            return Err(AppError::BadRequest(format!(
                "“{other}” is not a moderation action: use approve, unapprove, spam or trash."
            )));
        }
    };
    let mut ids: Vec<CommentId> = match single {
        Some(id) => vec![id],
        None => fields
            .all("comment")
            .filter_map(|v| v.parse().ok().map(CommentId))
            .collect(),
    };
    ids.sort();
    ids.dedup();
    let mut allowed = Vec::new();
    let mut refused = 0;
    for id in ids {
        let Some(comment) = state.store().comment(id).await? else {
            continue;
        };
        if moderation::in_scope(state.store(), scope, &comment).await? {
            allowed.push(id);
        } else {
            refused += 1;
        }
    }
    let approvals = crate::kernel::comment_mail::approvals(&state, &site);
    let changed = moderation::move_each(state.store(), approvals, allowed, target)
        .await?
        .len();
    let done = format!(
        "done=moved&to={}&changed={changed}&refused={refused}",
        target.as_str()
    );
    let back = match get("back") {
        back if back.starts_with("/admin/comments/") => back.to_owned(),
        _ => "/admin/comments/".to_owned(),
    };
    let separator = if back.contains('?') { '&' } else { '?' };
    let to = format!("{back}{separator}{done}");
    Ok(crate::kernel::redirect::see_other(&to).into_response())
}

/// Only administrators handle a commenter's data requests, as in WordPress.
fn privacy_officer(staff: &Staff) -> Result<(), AppError> {
    if staff.person.role == Role::Administrator {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "Only administrators export or erase a commenter's data.".to_owned(),
        ))
    }
}

fn commenter(email: &str) -> Result<Email, AppError> {
    Email::parse(email)
        .map_err(|_| AppError::BadRequest(format!("“{email}” is not an email address.")))
}

/// `GET /admin/comments/export?email=…`: everything stored about a commenter, as a JSON file.
pub(crate) async fn export(
    State(state): State<AppState>,
    staff: Staff,
    Query(query): Query<Commenter>,
) -> Result<Response, AppError> {
    privacy_officer(&staff)?;
    let email = commenter(query.email.as_deref().unwrap_or(""))?;
    let json = gazette_newsroom::privacy::export(state.store(), &email).await?;
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "application/json".to_owned(),
            ),
            (
                axum::http::header::CACHE_CONTROL,
                "private, no-store".to_owned(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                "attachment; filename=\"commenter-data.json\"".to_owned(),
            ),
        ],
        json,
    )
        .into_response())
}

/// `POST /admin/comments/erase`: anonymises every comment written with an email.
pub(crate) async fn erase(
    State(state): State<AppState>,
    staff: Staff,
    CsrfForm(fields): CsrfForm,
) -> Result<Response, AppError> {
    privacy_officer(&staff)?;
    let email = commenter(fields.get("email"))?;
    let erased = gazette_newsroom::privacy::erase(state.store(), &email).await?;
    Ok(crate::kernel::redirect::see_other(&format!(
        "/admin/comments/?status=all&done=erased&comments={}",
        erased.comments
    ))
    .into_response())
}

/// The comment `id` if the person may moderate it.
async fn moderated_comment(state: &AppState, staff: &Staff, id: i64) -> Result<Comment, AppError> {
    let scope = moderation::scope(&staff.person)?;
    let comment = state
        .store()
        .comment(CommentId(id))
        .await?
        .ok_or(AppError::NotFound)?;
    if !moderation::in_scope(state.store(), scope, &comment).await? {
        return Err(AppError::Forbidden(
            "You moderate comments on your own articles only.".to_owned(),
        ));
    }
    Ok(comment)
}

/// `GET /admin/comments/{id}/edit`.
pub(crate) async fn edit_form(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let comment = moderated_comment(&state, &staff, id).await?;
    Ok(edit_page(&state, &staff, StatusCode::OK, &comment, None))
}

fn edit_page(
    state: &AppState,
    staff: &Staff,
    status: StatusCode,
    comment: &Comment,
    problem: Option<&str>,
) -> Response {
    staff_page(
        state,
        staff,
        status,
        "admin/comment_edit.html",
        minijinja::context! {
            id => comment.id.0,
            name => comment.author_name,
            email => comment.author_email,
            url => comment.author_url,
            body => comment.body,
            problem,
        },
    )
}

/// `POST /admin/comments/{id}/edit`: a moderator corrects a comment's name, website or text.
pub(crate) async fn edit(
    State(state): State<AppState>,
    Snapshot(site): Snapshot,
    staff: Staff,
    Path(id): Path<i64>,
    CsrfForm(fields): CsrfForm,
) -> Result<Response, AppError> {
    let mut comment = moderated_comment(&state, &staff, id).await?;
    let name = fields.get("name").trim().to_owned();
    let url = fields.get("url").trim().to_owned();
    let text = fields.get("body").trim().to_owned();
    let refused = if name.is_empty() || text.is_empty() {
        Some("A comment needs a name and a text.")
    } else if !(url.is_empty() || url.starts_with("https://") || url.starts_with("http://")) {
        Some("A website starts with https:// or http://.")
    } else {
        None
    };
    if let Some(problem) = refused {
        comment.author_name = name;
        comment.author_url = url;
        comment.body = text;
        return Ok(edit_page(
            &state,
            &staff,
            StatusCode::BAD_REQUEST,
            &comment,
            Some(problem),
        ));
    }
    let approvals = crate::kernel::comment_mail::approvals(&state, &site);
    let correction = moderation::Correction {
        author_name: name,
        author_url: url,
        text,
    };
    moderation::change(state.store(), approvals, comment.id, Some(correction), None).await?;
    Ok(
        crate::kernel::redirect::see_other("/admin/comments/?status=all&done=saved")
            .into_response(),
    )
}

/// `POST /admin/comments/{id}/reply`: a published reply from the staff member, which also
/// approves the comment it answers (a moderator does not answer what they would not publish).
pub(crate) async fn reply(
    State(state): State<AppState>,
    Snapshot(site): Snapshot,
    staff: Staff,
    Path(id): Path<i64>,
    CsrfForm(fields): CsrfForm,
) -> Result<Response, AppError> {
    let parent = moderated_comment(&state, &staff, id).await?;
    let text = fields.get("body").trim().to_owned();
    if text.is_empty() {
        return Err(AppError::BadRequest(
            "The reply is empty: type a reply, then send it.".to_owned(),
        ));
    }
    let (attach_to, depth) = gazette_newsroom::comments::attach_reply(
        state.store(),
        &site.publication.comments,
        &parent,
    )
    .await?;
    let answered = Some(parent.id).filter(|id| attach_to != Some(*id));
    let new = moderation::staff_comment(
        &staff.person,
        parent.article,
        (attach_to, depth, answered),
        CommentStatus::Approved,
        text,
    );
    let approvals = crate::kernel::comment_mail::approvals(&state, &site);
    let reply = moderation::post(state.store(), approvals, new, Some(&parent), None).await?;
    Ok(crate::kernel::redirect::see_other(&format!(
        "/admin/comments/?status=all&done=replied&comment={}",
        reply.0
    ))
    .into_response())
}
