//! The dashboard at `/admin/`: the newsroom's day at a glance. Today's and tomorrow's
//! schedule in the publication's time zone, the review queue, the person's own drafts,
//! comments waiting for moderation, what was published last, and a box to start a draft.
//!
//! The article list it replaced lives at `/admin/articles`; old desk addresses with a filter
//! (`/admin/?status=draft`) are sent there.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use gazette_core::desk::may_list_others_private;
use gazette_core::{Article, Capability, CommentStatus, Person, Status};
use gazette_store::{ArticleFilter, DeskFilter};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan as _};
use serde::Serialize;

use super::desk::DeskQuery;
use super::{Staff, staff_page, times};
use crate::kernel::query::Query;
use crate::{AppError, AppState};

/// How many articles each of the dashboard's lists shows.
const SHORT_LIST: u64 = 8;

#[derive(Debug, Serialize)]
struct Item {
    url: String,
    headline: String,
    /// When, in the publication's zone: the time of day in the schedule, else date and time.
    when: String,
    status: &'static str,
}

/// `GET /admin/`.
pub(crate) async fn dashboard(
    State(state): State<AppState>,
    staff: Staff,
    Query(query): Query<DeskQuery>,
) -> Result<Response, AppError> {
    if query.carries_list_parameters() {
        return Ok(crate::kernel::redirect::see_other(&query.list_address()));
    }
    let zone = times::newsroom_zone(&state).await?;
    let now = state.store().clock().now();
    let person = &staff.person;
    let schedule = schedule(&state, person, &zone, now).await?;
    let review = if person.role.can(Capability::PublishOthersArticles) {
        Some(desk_items(&state, &zone, desk(person, Status::PendingReview, false)).await?)
    } else {
        None
    };
    let drafts = desk_items(&state, &zone, desk(person, Status::Draft, true)).await?;
    let recent = state
        .store()
        .newest_published(&ArticleFilter::All, 0, SHORT_LIST)
        .await?;
    let recent: Vec<Item> = recent.iter().map(|a| item(a, &zone, false)).collect();
    let comments_waiting = comments_waiting(&state, person).await?;
    let notes = notes_for(&state, person, &zone, now).await?;
    Ok(staff_page(
        &state,
        &staff,
        StatusCode::OK,
        "admin/dashboard.html",
        minijinja::context! {
            today => now.to_zoned(zone.clone()).strftime("%A %-d %B").to_string(),
            time_zone => zone.iana_name().unwrap_or("UTC"),
            schedule,
            review,
            drafts,
            recent,
            comments_waiting,
            notes,
        },
    ))
}

/// A note that mentions the person, as the dashboard lists it.
#[derive(Debug, Serialize)]
struct NoteItem {
    url: String,
    headline: String,
    author: String,
    when: String,
    body: String,
}

/// The notes of the last fortnight that mention `person`, newest first.
async fn notes_for(
    state: &AppState,
    person: &Person,
    zone: &TimeZone,
    now: Timestamp,
) -> Result<Vec<NoteItem>, AppError> {
    let since = now - jiff::SignedDuration::from_hours(14 * 24);
    let mentions = state
        .store()
        .notes_mentioning(person.id, since, SHORT_LIST as i64)
        .await?;
    if mentions.is_empty() {
        return Ok(Vec::new());
    }
    let people = state.store().people().await?;
    Ok(mentions
        .into_iter()
        .map(|mention| NoteItem {
            url: format!("/admin/articles/{}#notes", mention.note.article.0),
            headline: mention.headline,
            author: super::staff_name(&people, mention.note.author),
            when: times::to_minute(zone, mention.note.created_at),
            body: mention.note.body,
        })
        .collect())
}

/// What is published today and due today or tomorrow, in the publication's zone, in order.
async fn schedule(
    state: &AppState,
    person: &Person,
    zone: &TimeZone,
    now: Timestamp,
) -> Result<Vec<Item>, AppError> {
    // Only at the ends of time can a day not start or end.
    let out_of_range = |e: jiff::Error| AppError::Internal(Box::new(e));
    let today = now
        .to_zoned(zone.clone())
        .start_of_day()
        .map_err(out_of_range)?;
    let window_end = today
        .checked_add(2.days())
        .map_err(out_of_range)?
        .timestamp();
    // Published ones carry a time up to now; scheduled ones up to the end of tomorrow.
    let due =
        super::calendar::articles_between(state, person, today.timestamp(), window_end).await?;
    Ok(due.iter().map(|a| item(a, zone, true)).collect())
}

/// The desk's filter for one status, of the person's own articles or everyone's.
fn desk(person: &Person, status: Status, own: bool) -> DeskFilter {
    DeskFilter {
        status: Some(status),
        author: own.then_some(person.id),
        private_only_of: (!may_list_others_private(person)).then_some(person.id),
        ..DeskFilter::default()
    }
}

async fn desk_items(
    state: &AppState,
    zone: &TimeZone,
    filter: DeskFilter,
) -> Result<Vec<Item>, AppError> {
    let articles = state.store().desk_articles(&filter, SHORT_LIST).await?;
    Ok(articles.iter().map(|a| item(a, zone, false)).collect())
}

/// An article as a dashboard line: published and scheduled ones by their publication time,
/// others by their last save.
fn item(article: &Article, zone: &TimeZone, time_of_day: bool) -> Item {
    let at = match article.status {
        Status::Published | Status::Scheduled => article.published_at.unwrap_or(article.updated_at),
        _ => article.updated_at,
    };
    let when = if time_of_day {
        at.to_zoned(zone.clone())
            .strftime("%a %H:%M %Z")
            .to_string()
    } else {
        times::to_minute(zone, at)
    };
    Item {
        url: format!("/admin/articles/{}", article.id),
        headline: article.headline.clone(),
        when,
        status: super::desk::label(article.status),
    }
}

/// Comments waiting for the person's decision: everyone's for moderators, on their own
/// articles for authors, none for contributors (who do not moderate).
async fn comments_waiting(state: &AppState, person: &Person) -> Result<Option<u64>, AppError> {
    let by = if person.role.can(Capability::ModerateComments) {
        None
    } else if person.role.can(Capability::PublishOwnArticles) {
        Some(person.id)
    } else {
        return Ok(None);
    };
    let counts = state.store().comment_status_counts(by).await?;
    Ok(Some(
        counts.get(&CommentStatus::Pending).copied().unwrap_or(0),
    ))
}
