//! The desk: the list of articles the newsroom works from.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use gazette_core::{Capability, Status};
use serde::Serialize;

use super::{Staff, page};
use crate::{AppError, AppState};

/// How many articles the list shows.
const LIST_LIMIT: u64 = 100;

#[derive(Debug, Serialize)]
struct Row {
    url: String,
    headline: String,
    status: &'static str,
    authors: String,
    updated: String,
}

#[derive(Debug, Serialize)]
struct Tab {
    label: &'static str,
    url: &'static str,
    current: bool,
}

const TABS: &[(&str, &str, Option<Status>)] = &[
    ("All", "/admin/", None),
    ("Drafts", "/admin/?status=draft", Some(Status::Draft)),
    (
        "Pending review",
        "/admin/?status=pending_review",
        Some(Status::PendingReview),
    ),
    (
        "Scheduled",
        "/admin/?status=scheduled",
        Some(Status::Scheduled),
    ),
    (
        "Published",
        "/admin/?status=published",
        Some(Status::Published),
    ),
    ("Private", "/admin/?status=private", Some(Status::Private)),
    ("Trash", "/admin/?status=trashed", Some(Status::Trashed)),
];

/// `GET /admin/[?status=…]`.
pub(crate) async fn articles(
    State(state): State<AppState>,
    staff: Staff,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let status = match query.get("status").map(String::as_str) {
        None | Some("") => None,
        Some(name) => Some(Status::parse(name).ok_or_else(|| {
            AppError::BadRequest(format!(
                "“{name}” is not a status: use draft, pending_review, scheduled, published, \
                 private or trashed."
            ))
        })?),
    };
    let articles = state.store().desk_articles(status, LIST_LIMIT).await?;
    let people = state.store().people().await?;
    let name_of = |id| {
        people
            .iter()
            .find(|p| p.id == id)
            .map_or_else(String::new, |p| p.display_name.clone())
    };
    let rows: Vec<Row> = articles
        .iter()
        .map(|a| Row {
            url: format!("/admin/articles/{}", a.id),
            headline: a.headline.clone(),
            status: label(a.status),
            authors: a
                .authors
                .iter()
                .map(|id| name_of(*id))
                .collect::<Vec<_>>()
                .join(", "),
            updated: a.updated_at.strftime("%Y-%m-%d %H:%M UTC").to_string(),
        })
        .collect();
    let tabs: Vec<Tab> = TABS
        .iter()
        .map(|(label, url, tab_status)| Tab {
            label,
            url,
            current: *tab_status == status,
        })
        .collect();
    let person = &staff.person;
    Ok(page(
        &state,
        StatusCode::OK,
        "admin/desk.html",
        minijinja::context! {
            person => minijinja::context! {
                name => person.display_name,
                role => person.role.as_str(),
                can_publish => person.role.can(Capability::PublishOwnArticles),
            },
            csrf => staff.csrf,
            tabs,
            rows,
        },
    ))
}

fn label(status: Status) -> &'static str {
    match status {
        Status::Draft => "Draft",
        Status::PendingReview => "Pending review",
        Status::Scheduled => "Scheduled",
        Status::Published => "Published",
        Status::Private => "Private",
        Status::Trashed => "Trash",
    }
}
