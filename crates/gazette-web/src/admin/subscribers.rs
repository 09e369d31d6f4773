//! The subscribers of the journal's newsletters: a list to search by address and status, an
//! import of the readers gathered on another service (with the editor's word that they
//! consented), and an export.

use axum::extract::{Multipart, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use gazette_core::{Capability, NewsletterId, SubscriberStatus};
use gazette_newsroom::newsletters::roster;
use gazette_store::{NewConsent, SubscriberQuery};
use minijinja::context;

use super::{Staff, staff_page};
use crate::kernel::forms::csrf_multipart;
use crate::kernel::query::Query;
use crate::{AppError, AppState};

/// The largest import: 100,000 readers at about 200 bytes a row.
pub(crate) const IMPORT_BODY_LIMIT: usize = 24 * 1024 * 1024;
const PER_PAGE: u64 = 50;

fn may_manage(staff: &Staff) -> Result<(), AppError> {
    staff.require(
        Capability::ManageNewsletters,
        "Only editors and administrators see newsletter subscribers.",
    )
}

/// What the list's address may carry: its search, status and page, and after an import
/// (`?done=imported`) what became of the rows.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub(crate) struct ListQuery {
    q: Option<String>,
    status: Option<String>,
    page: Option<String>,
    done: Option<String>,
    added: Option<String>,
    known: Option<String>,
    withheld: Option<String>,
    suppressed: Option<String>,
}

/// `GET /admin/subscribers/?q=…&status=…&page=…`.
pub(crate) async fn list(
    State(state): State<AppState>,
    staff: Staff,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    may_manage(&staff)?;
    let notice = imported_notice(&query);
    page(&state, &staff, &query, StatusCode::OK, notice, Vec::new()).await
}

fn imported_notice(query: &ListQuery) -> Option<String> {
    if query.done.as_deref() != Some("imported") {
        return None;
    }
    let count = |value: &Option<String>| super::notice::count(value.as_deref()).unwrap_or(0);
    Some(format!(
        "Imported: {} added, {} already subscribed, {} left or bounced on the other service \
         (now never mailed), {} on the suppression list (left alone).",
        count(&query.added),
        count(&query.known),
        count(&query.withheld),
        count(&query.suppressed),
    ))
}

async fn page(
    state: &AppState,
    staff: &Staff,
    query: &ListQuery,
    status: StatusCode,
    notice: Option<String>,
    problems: Vec<String>,
) -> Result<Response, AppError> {
    let search = query.q.clone().unwrap_or_default();
    let wanted = query.status.as_deref().and_then(SubscriberStatus::parse);
    let number: u64 = query
        .page
        .as_deref()
        .and_then(|p| p.parse().ok())
        .filter(|p| *p >= 1)
        .unwrap_or(1);
    let filter = SubscriberQuery {
        search: search.clone(),
        status: wanted,
    };
    let store = state.store();
    let (subscribers, total) = store
        .subscriber_list(&filter, (number - 1) * PER_PAGE, PER_PAGE)
        .await?;
    let newsletters = store.newsletters().await?;
    let name_of = |id: NewsletterId| {
        newsletters
            .iter()
            .find(|n| n.id == id)
            .map_or_else(String::new, |n| n.name.clone())
    };
    let rows: Vec<_> = subscribers
        .iter()
        .map(|s| {
            let names: Vec<String> = s
                .subscriptions
                .iter()
                .map(|u| name_of(u.newsletter))
                .collect();
            context! {
                email => s.email,
                status => s.status.as_str(),
                newsletters => names.join(", "),
                since => s.created_at.strftime("%Y-%m-%d").to_string(),
            }
        })
        .collect();
    let pages = total.div_ceil(PER_PAGE).max(1);
    let context = context! {
        notice,
        problems,
        search,
        status => wanted.map(SubscriberStatus::as_str),
        rows,
        total,
        page => number,
        pages,
        newsletters => newsletters.iter().map(|n| context! { id => n.id.0, name => n.name }).collect::<Vec<_>>(),
    };
    Ok(staff_page(
        state,
        staff,
        status,
        "admin/subscribers.html",
        context,
    ))
}

/// `POST /admin/subscribers/import`: a CSV file, the newsletters its readers join, where they
/// came from, and the editor's word that they consented.
pub(crate) async fn import(
    State(state): State<AppState>,
    staff: Staff,
    form: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, AppError> {
    may_manage(&staff)?;
    let (fields, text) = csrf_multipart(&staff, form, &["file"]).await?;
    let no_query = ListQuery::default();
    let refuse = |problems: Vec<String>| {
        page(
            &state,
            &staff,
            &no_query,
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            problems,
        )
    };
    let newsletters: Vec<NewsletterId> = fields
        .all("newsletter")
        .filter_map(|id| id.parse().ok().map(NewsletterId))
        .collect();
    let known = state.store().newsletters().await?;
    let source = fields.get("source").trim().to_owned();
    let mut problems = Vec::new();
    if newsletters.is_empty()
        || !newsletters
            .iter()
            .all(|id| known.iter().any(|n| n.id == *id))
    {
        problems.push("Choose the newsletters these readers join.".to_owned());
    }
    if source.is_empty() {
        problems
            .push("Say where the list comes from (such as “Mailchimp, March 2026”).".to_owned());
    }
    if !fields.checked("consented") {
        problems.push(
            "Tick the box to confirm that these readers consented to receive the newsletters: \
             Gazette mails no one who did not."
                .to_owned(),
        );
    }
    if text.trim().is_empty() {
        problems.push("Choose the CSV file to import.".to_owned());
    }
    if !problems.is_empty() {
        return refuse(problems).await;
    }
    let rows = match roster::read_import(&text) {
        Ok(rows) => rows,
        Err(found) => {
            let problems = found
                .iter()
                .take(20)
                .map(|p| format!("Line {}: {}.", p.line, p.message))
                .collect();
            return refuse(problems).await;
        }
    };
    let consent = NewConsent {
        form: format!("import: {source}"),
        wording: fields.get("consent_wording").trim().to_owned(),
    };
    let report = roster::import(state.store(), rows, newsletters, consent).await?;
    let to = format!(
        "/admin/subscribers/?done=imported&added={}&known={}&withheld={}&suppressed={}",
        report.added, report.known, report.withheld, report.suppressed
    );
    Ok(crate::kernel::redirect::see_other(&to).into_response())
}

/// `GET /admin/subscribers/export.csv`: every subscriber, a line per subscription.
pub(crate) async fn export(
    State(state): State<AppState>,
    staff: Staff,
) -> Result<Response, AppError> {
    may_manage(&staff)?;
    let csv = roster::export(state.store()).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"subscribers.csv\"",
            ),
            (header::CACHE_CONTROL, "private, no-store"),
        ],
        csv,
    )
        .into_response())
}
