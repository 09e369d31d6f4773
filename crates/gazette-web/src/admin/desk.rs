//! The desk: the list of articles the newsroom works from.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use gazette_core::desk::may_list_others_private;
use gazette_core::{ArticleId, Person, PersonId, SectionId, Status};
use gazette_newsroom::articles;
use gazette_store::DeskFilter;
use serde::Serialize;

use super::{CsrfForm, Staff, notice, staff_page};
use crate::{AppError, AppState};

/// How many articles the list shows.
const LIST_LIMIT: u64 = 100;

#[derive(Debug, Serialize)]
struct Row {
    id: i64,
    url: String,
    headline: String,
    status: &'static str,
    authors: String,
    updated: String,
}

#[derive(Debug, Serialize)]
struct Choice {
    value: String,
    label: String,
    selected: bool,
}

#[derive(Debug, Serialize)]
struct Tab {
    label: &'static str,
    url: &'static str,
    current: bool,
}

const TABS: &[(&str, &str, Option<Status>)] = &[
    ("All", "/admin/articles", None),
    (
        "Drafts",
        "/admin/articles?status=draft",
        Some(Status::Draft),
    ),
    (
        "Pending review",
        "/admin/articles?status=pending_review",
        Some(Status::PendingReview),
    ),
    (
        "Scheduled",
        "/admin/articles?status=scheduled",
        Some(Status::Scheduled),
    ),
    (
        "Published",
        "/admin/articles?status=published",
        Some(Status::Published),
    ),
    (
        "Private",
        "/admin/articles?status=private",
        Some(Status::Private),
    ),
    (
        "Trash",
        "/admin/articles?status=trashed",
        Some(Status::Trashed),
    ),
];

/// `GET /admin/[?status=…&section=…&author=…&q=…]`.
pub(crate) async fn articles(
    State(state): State<AppState>,
    staff: Staff,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let filter = filter_from(&query, &staff.person)?;
    let articles = state.store().desk_articles(&filter, LIST_LIMIT).await?;
    let people = state.store().people().await?;
    let sections = state.store().sections().await?;
    let zone = super::times::newsroom_zone(&state).await?;
    let name_of = |id| {
        people
            .iter()
            .find(|p| p.id == id)
            .map_or_else(String::new, |p| p.display_name.clone())
    };
    let rows: Vec<Row> = articles
        .iter()
        .map(|a| Row {
            id: a.id.0,
            url: format!("/admin/articles/{}", a.id),
            headline: a.headline.clone(),
            status: label(a.status),
            authors: a
                .authors
                .iter()
                .map(|id| name_of(*id))
                .collect::<Vec<_>>()
                .join(", "),
            updated: super::times::to_minute(&zone, a.updated_at),
        })
        .collect();
    let tabs: Vec<Tab> = TABS
        .iter()
        .map(|(label, url, tab_status)| Tab {
            label,
            url,
            current: *tab_status == filter.status,
        })
        .collect();
    let options = |items: Vec<(i64, String)>, selected: Option<i64>| -> Vec<Choice> {
        items
            .into_iter()
            .map(|(id, label)| Choice {
                value: id.to_string(),
                selected: Some(id) == selected,
                label,
            })
            .collect()
    };
    Ok(staff_page(
        &state,
        &staff,
        StatusCode::OK,
        "admin/desk.html",
        minijinja::context! {
            tabs,
            rows,
            status => filter.status.map_or("", Status::as_str),
            q => filter.headline_contains,
            sections => options(sections.iter().map(|s| (s.id.0, s.name.clone())).collect(), filter.section.map(|s| s.0)),
            authors => options(people.iter().map(|p| (p.id.0, p.display_name.clone())).collect(), filter.author.map(|p| p.0)),
            notice => bulk_notice(&query),
        },
    ))
}

fn filter_from(query: &HashMap<String, String>, person: &Person) -> Result<DeskFilter, AppError> {
    let number = |name: &str| -> Result<Option<i64>, AppError> {
        match query.get(name).map(String::as_str) {
            None | Some("") => Ok(None),
            Some(text) => text
                .parse()
                .map(Some)
                .map_err(|_| AppError::BadRequest(format!("“{text}” is not a {name} number."))),
        }
    };
    let status = match query.get("status").map(String::as_str) {
        None | Some("") => None,
        Some(name) => Some(Status::parse(name).ok_or_else(|| {
            AppError::BadRequest(format!(
                "“{name}” is not a status: use draft, pending_review, scheduled, published, \
                 private or trashed."
            ))
        })?),
    };
    Ok(DeskFilter {
        status,
        section: number("section")?.map(SectionId),
        author: number("author")?.map(PersonId),
        headline_contains: query.get("q").cloned().unwrap_or_default(),
        private_only_of: (!may_list_others_private(person)).then_some(person.id),
    })
}

/// `POST /admin/bulk`: one action on the checked articles. Each article is checked against
/// the role rules on its own; those the person may not change are left as they are and
/// counted.
pub(crate) async fn bulk(
    State(state): State<AppState>,
    staff: Staff,
    CsrfForm(fields): CsrfForm,
) -> Result<Response, AppError> {
    let get = |name: &str| fields.get(name);
    let target = match get("bulk_action") {
        "trash" => Status::Trashed,
        "restore" => Status::Draft,
        "publish" => Status::Published,
        other => {
            return Err(AppError::BadRequest(format!(
                "“{other}” is not a bulk action: use trash, restore or publish."
            )));
        }
    };
    let ids: Vec<ArticleId> = fields
        .all("article")
        .filter_map(|v| v.parse().ok().map(ArticleId))
        .collect();
    let outcome = articles::move_each(state.store(), &staff.person, &ids, target).await?;
    let to = format!(
        "/admin/articles?done=bulk&changed={}&refused={}",
        outcome.changed, outcome.refused
    );
    Ok(crate::kernel::redirect::see_other(&to).into_response())
}

/// The outcome of a bulk action, from the counts its redirect carries.
fn bulk_notice(query: &HashMap<String, String>) -> Option<String> {
    if !notice::is(query, "bulk") {
        return None;
    }
    let changed = notice::count(query, "changed")?;
    let refused = notice::count(query, "refused")?;
    Some(format!("{changed} changed, {refused} not allowed"))
}

pub(super) fn label(status: Status) -> &'static str {
    match status {
        Status::Draft => "Draft",
        Status::PendingReview => "Pending review",
        Status::Scheduled => "Scheduled",
        Status::Published => "Published",
        Status::Private => "Private",
        Status::Trashed => "Trash",
    }
}
