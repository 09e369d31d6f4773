//! Values as WordPress writes and reads them: dates in the site's time and in GMT, statuses by
//! their WordPress names, a text as a rendered paragraph, the answer for a post that is not
//! there, and the `previous` of a deletion. Every kind of item the API answers with uses them.

use axum::http::StatusCode;
use gazette_core::Status;
use jiff::Timestamp;
use jiff::tz::TimeZone;
use serde_json::Value;

use super::ApiError;
use super::collection::Params;
use crate::kernel::site::Site;

/// `after` and `before`, in the journal's zone unless they carry an offset.
pub(super) fn date_bounds(
    site: &Site,
    params: &Params,
    problems: &mut Vec<(String, String)>,
) -> (Option<Timestamp>, Option<Timestamp>) {
    let mut bound = |name: &str| {
        let text = params.get(name)?;
        let at = wordpress_time(site, text, false);
        if at.is_none() {
            problems.push((name.to_owned(), format!("Invalid date: {text}.")));
        }
        at
    };
    (bound("after"), bound("before"))
}

/// WordPress's dates: `2026-11-29T09:30:00` in the journal's zone (or UTC when `gmt`); an
/// offset, when given, wins.
pub(super) fn wordpress_time(site: &Site, text: &str, gmt: bool) -> Option<Timestamp> {
    if let Ok(at) = text.parse::<Timestamp>() {
        return Some(at);
    }
    let civil: jiff::civil::DateTime = text.parse().ok()?;
    let zone = if gmt {
        TimeZone::UTC
    } else {
        site.publication.time_zone.zone()
    };
    civil.to_zoned(zone).ok().map(|z| z.timestamp())
}

/// An item as a delete answers it under `previous`: without its links, as WordPress gives it.
pub(super) fn previous(mut item: Value) -> Value {
    if let Value::Object(fields) = &mut item {
        fields.remove("_links");
    }
    item
}

/// WordPress's name for an article's status.
pub(super) fn status_name(status: Status) -> &'static str {
    match status {
        Status::Draft => "draft",
        Status::PendingReview => "pending",
        Status::Scheduled => "future",
        Status::Published => "publish",
        Status::Private => "private",
        Status::Trashed => "trash",
    }
}

/// The status WordPress names so.
pub(super) fn parse_status(name: &str) -> Option<Status> {
    Status::ALL.into_iter().find(|s| status_name(*s) == name)
}

/// WordPress's answer for a post id that names nothing.
pub(super) fn invalid_post_id() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "rest_post_invalid_id",
        "Invalid post ID.",
    )
}

/// A summary, caption or description as WordPress renders one: a paragraph, or nothing.
pub(super) fn paragraph(text: &str) -> String {
    if text.trim().is_empty() {
        String::new()
    } else {
        format!("<p>{}</p>\n", gazette_render::escape_html(text.trim()))
    }
}

/// WordPress's `date`: local time in the journal's zone, without an offset.
pub(super) fn local(site: &Site, at: Timestamp) -> String {
    at.to_zoned(site.publication.time_zone.zone())
        .strftime("%Y-%m-%dT%H:%M:%S")
        .to_string()
}

/// WordPress's `date_gmt`: UTC, without an offset.
pub(super) fn gmt(at: Timestamp) -> String {
    at.to_zoned(TimeZone::UTC)
        .strftime("%Y-%m-%dT%H:%M:%S")
        .to_string()
}
