//! The comment policy screen (`/admin/settings/comments`), for administrators: who is held,
//! how threads nest and page, when comments close, what the spam lists hold, and how long IP
//! addresses are kept. Each field is checked on its own and a refused form says which.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use gazette_core::{Capability, CommentPolicy, ModerationMode};

use super::{CsrfForm, FormFields, Staff, staff_page};
use crate::kernel::query::{Query, Saved};
use crate::{AppError, AppState};

fn administrator(staff: &Staff) -> Result<(), AppError> {
    staff.require(
        Capability::ManageSettings,
        "Only administrators change the comment settings.",
    )
}

/// `GET /admin/settings/comments`.
pub(crate) async fn form(
    State(state): State<AppState>,
    staff: Staff,
    Query(query): Query<Saved>,
) -> Result<Response, AppError> {
    administrator(&staff)?;
    let publication = state
        .store()
        .publication()
        .await?
        .ok_or(AppError::NotFound)?;
    let saved = query.saved.is_some();
    Ok(page(
        &state,
        &staff,
        StatusCode::OK,
        &Values::of(&publication.comments),
        &[],
        saved,
    ))
}

/// What the form shows: the policy as text, or as it was typed.
#[derive(Debug, serde::Serialize)]
struct Values {
    moderation: String,
    max_links: String,
    thread_depth: String,
    per_page: String,
    close_after_days: String,
    anonymise_ip_after_days: String,
    min_seconds: String,
    moderation_list: String,
    block_list: String,
    notify_moderators: bool,
    privacy_page: String,
    enabled: bool,
    api_comments: bool,
}

impl Values {
    fn of(policy: &CommentPolicy) -> Self {
        Self {
            moderation: mode_name(policy.moderation).to_owned(),
            max_links: policy.max_links.to_string(),
            thread_depth: policy.thread_depth.to_string(),
            per_page: policy.per_page.to_string(),
            close_after_days: policy
                .close_after_days
                .map(|d| d.to_string())
                .unwrap_or_default(),
            anonymise_ip_after_days: policy.anonymise_ip_after_days.to_string(),
            min_seconds: policy.min_seconds.to_string(),
            moderation_list: policy.moderation_list.join("\n"),
            block_list: policy.block_list.join("\n"),
            notify_moderators: policy.notify_moderators,
            privacy_page: policy.privacy_page.clone().unwrap_or_default(),
            enabled: policy.enabled,
            api_comments: policy.api_comments,
        }
    }

    fn from_form(fields: &FormFields) -> Self {
        let text = |name: &str| fields.get(name).trim().to_owned();
        Self {
            moderation: text("moderation"),
            max_links: text("max_links"),
            thread_depth: text("thread_depth"),
            per_page: text("per_page"),
            close_after_days: text("close_after_days"),
            anonymise_ip_after_days: text("anonymise_ip_after_days"),
            min_seconds: text("min_seconds"),
            moderation_list: fields.get("moderation_list").to_owned(),
            block_list: fields.get("block_list").to_owned(),
            notify_moderators: !fields.get("notify_moderators").is_empty(),
            privacy_page: text("privacy_page"),
            enabled: !fields.get("enabled").is_empty(),
            api_comments: !fields.get("api_comments").is_empty(),
        }
    }

    /// The policy these values describe, or what is wrong with each field that is not right.
    fn policy(&self) -> Result<CommentPolicy, Vec<(&'static str, String)>> {
        let mut problems = Vec::new();
        let mut number =
            |field: &'static str, value: &str, range: std::ops::RangeInclusive<i64>| match value
                .parse::<i64>()
            {
                Ok(n) if range.contains(&n) => n,
                _ => {
                    problems.push((
                        field,
                        format!(
                            "Give a whole number from {} to {}.",
                            range.start(),
                            range.end()
                        ),
                    ));
                    *range.start()
                }
            };
        let max_links = number("max_links", &self.max_links, 0..=100);
        let thread_depth = number("thread_depth", &self.thread_depth, 1..=10);
        let per_page = number("per_page", &self.per_page, 0..=1000);
        let anonymise = number(
            "anonymise_ip_after_days",
            &self.anonymise_ip_after_days,
            1..=3650,
        );
        let min_seconds = number("min_seconds", &self.min_seconds, 0..=600);
        let close_after_days = if self.close_after_days.is_empty() {
            None
        } else {
            Some(number(
                "close_after_days",
                &self.close_after_days,
                1..=36500,
            ))
        };
        let moderation = match self.moderation.as_str() {
            "hold_all" => ModerationMode::HoldAll,
            "trust_approved" => ModerationMode::TrustApproved,
            "approve_clean" => ModerationMode::ApproveClean,
            _ => {
                problems.push(("moderation", "Choose one of the three policies.".to_owned()));
                ModerationMode::TrustApproved
            }
        };
        let privacy_page = match self.privacy_page.as_str() {
            "" => None,
            path if gazette_core::address::is_site_path(path)
                && !path.contains(['"', '<', '>']) =>
            {
                Some(path.to_owned())
            }
            _ => {
                problems.push((
                    "privacy_page",
                    "Give a path on this site, such as /privacy-policy/, or leave it empty."
                        .to_owned(),
                ));
                None
            }
        };
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(CommentPolicy {
            enabled: self.enabled,
            moderation,
            max_links: usize::try_from(max_links).unwrap_or(2),
            thread_depth,
            per_page: usize::try_from(per_page).unwrap_or(0),
            close_after_days,
            anonymise_ip_after_days: anonymise,
            min_seconds,
            moderation_list: list(&self.moderation_list),
            block_list: list(&self.block_list),
            notify_moderators: self.notify_moderators,
            privacy_page,
            api_comments: self.api_comments,
        })
    }
}

/// One entry per line, trimmed, without blanks or repeats.
fn list(text: &str) -> Vec<String> {
    let mut entries: Vec<String> = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if !entries.iter().any(|e| e.eq_ignore_ascii_case(line)) {
            entries.push(line.to_owned());
        }
    }
    entries
}

fn mode_name(mode: ModerationMode) -> &'static str {
    match mode {
        ModerationMode::HoldAll => "hold_all",
        ModerationMode::TrustApproved => "trust_approved",
        ModerationMode::ApproveClean => "approve_clean",
    }
}

fn page(
    state: &AppState,
    staff: &Staff,
    status: StatusCode,
    values: &Values,
    problems: &[(&'static str, String)],
    saved: bool,
) -> Response {
    let problems: std::collections::HashMap<&str, &str> =
        problems.iter().map(|(f, m)| (*f, m.as_str())).collect();
    staff_page(
        state,
        staff,
        status,
        "admin/comment_settings.html",
        minijinja::context! {
            values => minijinja::Value::from_serialize(values),
            problems => minijinja::Value::from_serialize(&problems),
            saved,
        },
    )
}

/// `POST /admin/settings/comments`.
pub(crate) async fn save(
    State(state): State<AppState>,
    staff: Staff,
    CsrfForm(fields): CsrfForm,
) -> Result<Response, AppError> {
    administrator(&staff)?;
    let values = Values::from_form(&fields);
    let policy = match values.policy() {
        Ok(policy) => policy,
        Err(problems) => {
            return Ok(page(
                &state,
                &staff,
                StatusCode::BAD_REQUEST,
                &values,
                &problems,
                false,
            ));
        }
    };
    gazette_newsroom::settings::save_comment_policy(state.store(), policy).await?;
    Ok(crate::kernel::redirect::see_other("/admin/settings/comments?saved=1").into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_survive_a_round_trip_through_the_form() {
        let policy = CommentPolicy {
            moderation_list: vec!["casino".to_owned(), "203.0.113.0/24".to_owned()],
            close_after_days: Some(30),
            ..CommentPolicy::default()
        };
        assert_eq!(Values::of(&policy).policy(), Ok(policy));
    }

    #[test]
    fn each_bad_field_is_named() {
        let mut values = Values::of(&CommentPolicy::default());
        values.thread_depth = "0".to_owned();
        values.max_links = "many".to_owned();
        values.privacy_page = "//evil.example/".to_owned();
        let problems = values.policy().err().unwrap_or_default();
        let fields: Vec<&str> = problems.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, ["max_links", "thread_depth", "privacy_page"]);
    }

    #[test]
    fn lists_drop_blanks_and_repeats() {
        assert_eq!(list(" a \n\nA\nb\r\n"), ["a", "b"]);
    }
}
