//! The editorial calendar at `/admin/calendar`: a week or a month of published and scheduled
//! articles, and of drafts planned for a day, day by day in the publication's time zone. A
//! scheduled article moves to another time through the same save as the editor's (the same
//! role rules and version check), and a planned draft to another day through the editor's
//! plan form: dragged with JavaScript (`calendar.js`), or from the lists under the calendar
//! without it.

use std::collections::HashMap;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use gazette_core::desk::{may_list_others_private, may_set_status};
use gazette_core::{Article, ArticleId, Person, Status};
use gazette_newsroom::articles::{self};
use gazette_store::{ArticleFilter, DeskFilter};
use jiff::civil::{Date, Weekday};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan as _};
use serde::Serialize;

use super::{CsrfForm, Staff, notice, staff_page, times};
use crate::kernel::pages::load_site;
use crate::kernel::query::Query;
use crate::{AppError, AppState};

/// The most days a calendar shows: six weeks cover any month.
const MAX_DAYS: usize = 42;

/// Articles read for one period: a month of a daily at forty a day, with room.
const PERIOD_READ: u64 = 2_000;

/// What the calendar's address may carry: the view and its first day, and after a move the
/// key of its notice (`?done=rescheduled`).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub(crate) struct CalendarQuery {
    view: Option<String>,
    from: Option<String>,
    done: Option<String>,
}

/// A week or a month, from its first day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Period {
    Week(Date),
    Month(Date),
}

impl Period {
    /// The period `query` asks for (`view=week|month`, `from=YYYY-MM-DD`), around `today`
    /// when it names no day.
    fn asked(query: &CalendarQuery, today: Date) -> Result<Self, AppError> {
        let from = match query.from.as_deref() {
            None | Some("") => today,
            Some(text) => text.parse::<Date>().map_err(|_| {
                AppError::BadRequest(format!("“{text}” is not a day: use YYYY-MM-DD."))
            })?,
        };
        // Whole weeks around any month of these years stay inside the times jiff can hold.
        if !(1..=9998).contains(&from.year()) {
            return Err(AppError::BadRequest(
                "The calendar shows the years 1 to 9998.".to_owned(),
            ));
        }
        match query.view.as_deref() {
            None | Some("" | "month") => Ok(Self::Month(from.first_of_month())),
            Some("week") => Ok(Self::Week(monday_of(from))),
            Some(other) => Err(AppError::BadRequest(format!(
                "“{other}” is not a calendar view: use week or month."
            ))),
        }
    }

    /// The days shown: whole weeks, Monday to Sunday, covering the period.
    fn days(self) -> Vec<Date> {
        let (first, last) = match self {
            Self::Week(monday) => (monday, monday.saturating_add(6.days())),
            Self::Month(first) => (monday_of(first), first.last_of_month()),
        };
        // At most six weeks; counted, not looped on dates, which stop moving at the end of time.
        let mut days = Vec::new();
        let mut day = first;
        for _ in 0..MAX_DAYS {
            if day > last && day.weekday() == Weekday::Monday {
                break;
            }
            days.push(day);
            match day.tomorrow() {
                Ok(next) => day = next,
                Err(_) => break,
            }
        }
        days
    }

    fn view(self) -> &'static str {
        match self {
            Self::Week(_) => "week",
            Self::Month(_) => "month",
        }
    }

    fn first(self) -> Date {
        match self {
            Self::Week(day) | Self::Month(day) => day,
        }
    }

    fn title(self) -> String {
        match self {
            Self::Week(monday) => monday.strftime("Week of %-d %B %Y").to_string(),
            Self::Month(first) => first.strftime("%B %Y").to_string(),
        }
    }

    /// The periods before and after, as `from` values.
    fn neighbours(self) -> (Date, Date) {
        match self {
            Self::Week(monday) => (
                monday.saturating_sub(7.days()),
                monday.saturating_add(7.days()),
            ),
            Self::Month(first) => (
                first.saturating_sub(1.month()),
                first.saturating_add(1.month()),
            ),
        }
    }
}

fn monday_of(day: Date) -> Date {
    let back = i64::from(day.weekday().to_monday_zero_offset());
    day.saturating_sub(back.days())
}

#[derive(Debug, Serialize)]
struct Item {
    id: i64,
    url: String,
    headline: String,
    time: String,
    status: &'static str,
    /// Whether this person may move it: scheduled, and theirs to schedule.
    movable: bool,
    version: String,
    /// Its time as the form's `datetime-local` value.
    local: String,
    /// A draft planned for the day, with no time yet.
    planned: bool,
}

#[derive(Debug, Serialize)]
struct Day {
    date: String,
    number: i8,
    label: String,
    in_period: bool,
    today: bool,
    items: Vec<Item>,
}

/// `GET /admin/calendar[?view=week|month&from=YYYY-MM-DD]`.
pub(crate) async fn calendar(
    State(state): State<AppState>,
    staff: Staff,
    Query(query): Query<CalendarQuery>,
) -> Result<Response, AppError> {
    let zone = times::newsroom_zone(&state).await?;
    let now = state.store().clock().now();
    let today = now.to_zoned(zone.clone()).date();
    let period = Period::asked(&query, today)?;
    let days = period.days();
    let (Some(first), Some(last)) = (days.first().copied(), days.last().copied()) else {
        return Err(AppError::BadRequest("That period has no days.".to_owned()));
    };
    let articles = articles_on_days(&state, &staff.person, &zone, first, last).await?;
    let mut by_day: HashMap<Date, Vec<Item>> = HashMap::new();
    for article in &articles {
        let Some(at) = article.published_at else {
            continue;
        };
        let day = at.to_zoned(zone.clone()).date();
        by_day
            .entry(day)
            .or_default()
            .push(item(article, &staff.person, &zone, at));
    }
    for (day, item) in planned_on_days(&state, &staff.person, first, last).await? {
        by_day.entry(day).or_default().push(item);
    }
    let month = period.first().month();
    let days: Vec<Day> = days
        .into_iter()
        .map(|day| Day {
            date: day.to_string(),
            number: day.day(),
            label: day.strftime("%A %-d %B").to_string(),
            in_period: matches!(period, Period::Week(_)) || day.month() == month,
            today: day == today,
            items: by_day.remove(&day).unwrap_or_default(),
        })
        .collect();
    let (before, after) = period.neighbours();
    Ok(staff_page(
        &state,
        &staff,
        StatusCode::OK,
        "admin/calendar.html",
        minijinja::context! {
            title => period.title(),
            view => period.view(),
            from => period.first().to_string(),
            before => before.to_string(),
            after => after.to_string(),
            time_zone => zone.iana_name().unwrap_or("UTC"),
            weeks => days.chunks(7).collect::<Vec<&[Day]>>(),
            notice => notice::fixed(query.done.as_deref(), &[
                ("rescheduled", "The article was rescheduled."),
                ("planned", "The draft's plan was moved."),
            ]),
        },
    ))
}

/// Drafts and articles waiting for review planned for the days `first` to `last` that
/// `person` may list, by day.
async fn planned_on_days(
    state: &AppState,
    person: &Person,
    first: Date,
    last: Date,
) -> Result<Vec<(Date, Item)>, AppError> {
    let plans = state
        .store()
        .plans_between(&first.to_string(), &last.to_string())
        .await?;
    let ids: Vec<ArticleId> = plans.iter().map(|(id, _)| *id).collect();
    let articles = state.store().articles_by_ids(&ids).await?;
    Ok(plans
        .into_iter()
        .filter_map(|(id, day)| {
            let article = articles.iter().find(|a| a.id == id)?;
            let listed = matches!(article.status, Status::Draft | Status::PendingReview)
                && gazette_core::desk::may_list(person, article);
            let day: Date = day.parse().ok()?;
            listed.then(|| {
                let item = Item {
                    id: article.id.0,
                    url: format!("/admin/articles/{}", article.id),
                    headline: article.headline.clone(),
                    time: String::new(),
                    status: "Planned",
                    movable: gazette_core::desk::may_edit(person, article),
                    version: String::new(),
                    local: day.to_string(),
                    planned: true,
                };
                (day, item)
            })
        })
        .collect())
}

/// Published and scheduled articles whose time falls on the days `first` to `last`.
async fn articles_on_days(
    state: &AppState,
    person: &Person,
    zone: &TimeZone,
    first: Date,
    last: Date,
) -> Result<Vec<Article>, AppError> {
    let start = |day: Date| {
        day.to_zoned(zone.clone())
            .map(|zoned| zoned.timestamp())
            .map_err(|e| AppError::Internal(Box::new(e)))
    };
    let (from, until) = (start(first)?, start(last.saturating_add(1.days()))?);
    articles_between(state, person, from, until).await
}

/// Published and scheduled articles (those `person` may list) whose time is from `from` until
/// `until`, in time order: the calendar's days and the dashboard's schedule.
pub(super) async fn articles_between(
    state: &AppState,
    person: &Person,
    from: Timestamp,
    until: Timestamp,
) -> Result<Vec<Article>, AppError> {
    let published = ArticleFilter::PublishedBetween { from, until };
    let mut articles = state
        .store()
        .newest_published(&published, 0, PERIOD_READ)
        .await?;
    let scheduled = DeskFilter {
        status: Some(Status::Scheduled),
        private_only_of: (!may_list_others_private(person)).then_some(person.id),
        ..DeskFilter::default()
    };
    articles.extend(
        state
            .store()
            .desk_articles(&scheduled, PERIOD_READ)
            .await?
            .into_iter()
            .filter(|a| a.published_at.is_some_and(|at| at >= from && at < until)),
    );
    articles.sort_by_key(|a| a.published_at);
    Ok(articles)
}

fn item(article: &Article, person: &Person, zone: &TimeZone, at: Timestamp) -> Item {
    Item {
        id: article.id.0,
        url: format!("/admin/articles/{}", article.id),
        headline: article.headline.clone(),
        time: at.to_zoned(zone.clone()).strftime("%H:%M").to_string(),
        status: super::desk::label(article.status),
        movable: article.status == Status::Scheduled
            && may_set_status(person, article, Status::Scheduled),
        version: article.updated_at.as_microsecond().to_string(),
        local: times::local_value(zone, at),
        planned: false,
    }
}

/// `POST /admin/calendar/reschedule`: a scheduled article's new time (`publish_at`, in the
/// publication's zone), saved against the version the calendar showed.
pub(crate) async fn reschedule(
    State(state): State<AppState>,
    staff: Staff,
    CsrfForm(fields): CsrfForm,
) -> Result<Response, AppError> {
    let id: i64 = fields
        .get("id")
        .parse()
        .map_err(|_| AppError::BadRequest("Which article? The form names none.".to_owned()))?;
    let site = load_site(&state).await?;
    let zone = site.publication.time_zone.zone();
    let now = state.store().clock().now();
    let at = times::read_local(&zone, fields.get("publish_at")).ok_or_else(|| {
        AppError::BadRequest(
            "Give the new time as a date and time, e.g. 2026-11-30T08:00.".to_owned(),
        )
    })?;
    if at <= now {
        return Err(AppError::BadRequest(
            "A scheduled time must be in the future; to publish now, open the article and press \
             Publish."
                .to_owned(),
        ));
    }
    let address = |article: &Article| crate::kernel::views::article_url(&site, article);
    let save = articles::Save {
        id: ArticleId(id),
        by: &staff.person,
        // A form without a version started from none that exists: refused as outdated.
        started_from: Some(super::editor::version(fields.get("version"))),
        tag_names: None,
        edit: |current: &Article| {
            if current.status != Status::Scheduled {
                return Err(
                    "Only scheduled articles move on the calendar; open the article to \
                            publish or schedule it."
                        .to_owned(),
                );
            }
            let mut moved = current.clone();
            moved.published_at = Some(at);
            Ok(moved)
        },
    };
    match articles::save(state.store(), &address, save).await {
        Ok(_) => {
            let day = at.to_zoned(zone).date();
            let view = if fields.get("view") == "week" {
                "week"
            } else {
                "month"
            };
            Ok(crate::kernel::redirect::see_other(&format!(
                "/admin/calendar?view={view}&from={day}&done=rescheduled"
            )))
        }
        Err(error) => Err(super::save_refused(
            error,
            "Someone saved this article after the calendar was loaded; load the calendar again \
             and move it from there.",
        )),
    }
    .map(IntoResponse::into_response)
}
