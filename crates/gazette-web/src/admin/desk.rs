//! The desk: the list of articles the newsroom works from.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use gazette_core::desk::may_list_others_private;
use gazette_core::{ArticleId, Person, PersonId, SectionId, Status};
use gazette_newsroom::articles;
use gazette_store::DeskFilter;
use serde::Serialize;

use super::{CsrfForm, Staff, notice, staff_page};
use crate::kernel::query::Query;
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

/// What the article list's address may carry: its filters, and after a bulk action the
/// counts of its notice (`?done=bulk&changed=3&refused=1`).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub(crate) struct DeskQuery {
    status: Option<String>,
    section: Option<String>,
    author: Option<String>,
    q: Option<String>,
    done: Option<String>,
    changed: Option<String>,
    refused: Option<String>,
}

impl DeskQuery {
    /// Whether the address names a filter or a notice of the list: the old desk address
    /// (`/admin/?status=draft`) is sent on to the list when it does.
    pub(super) fn carries_list_parameters(&self) -> bool {
        [
            &self.status,
            &self.section,
            &self.author,
            &self.q,
            &self.done,
        ]
        .iter()
        .any(|value| value.is_some())
    }

    /// The article list's address with the same parameters, by name.
    pub(super) fn list_address(&self) -> String {
        let named = [
            ("author", &self.author),
            ("changed", &self.changed),
            ("done", &self.done),
            ("q", &self.q),
            ("refused", &self.refused),
            ("section", &self.section),
            ("status", &self.status),
        ];
        let query = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(
                named
                    .iter()
                    .filter_map(|(name, value)| Some((name, (*value).as_ref()?))),
            )
            .finish();
        format!("/admin/articles?{query}")
    }
}

/// `GET /admin/articles[?status=…&section=…&author=…&q=…]`.
pub(crate) async fn articles(
    State(state): State<AppState>,
    staff: Staff,
    Query(query): Query<DeskQuery>,
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

fn filter_from(query: &DeskQuery, person: &Person) -> Result<DeskFilter, AppError> {
    let number = |name: &str, value: &Option<String>| -> Result<Option<i64>, AppError> {
        match value.as_deref() {
            None | Some("") => Ok(None),
            Some(text) => text
                .parse()
                .map(Some)
                .map_err(|_| AppError::BadRequest(format!("“{text}” is not a {name} number."))),
        }
    };
    let status = match query.status.as_deref() {
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
        section: number("section", &query.section)?.map(SectionId),
        author: number("author", &query.author)?.map(PersonId),
        headline_contains: query.q.clone().unwrap_or_default(),
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
fn bulk_notice(query: &DeskQuery) -> Option<String> {
    if query.done.as_deref() != Some("bulk") {
        return None;
    }
    let changed = notice::count(query.changed.as_deref())?;
    let refused = notice::count(query.refused.as_deref())?;
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
