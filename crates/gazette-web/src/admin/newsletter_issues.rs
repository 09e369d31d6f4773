//! Sending a newsletter's issues from the back office: an article sent to a newsletter's
//! confirmed subscribers, and the sending page, which shows each issue's progress (queued,
//! sent, deferred, failed, bounced, unknown) and pauses, resumes or cancels what has not gone.
//! Before sending, an editor can preview the issue and send it to their own address; its
//! parts are made by `kernel::newsletter_parts`.

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use gazette_core::{Article, ArticleId, Capability, Newsletter, NewsletterId, Status};
use gazette_newsroom::newsletters::issues::{self, Control};
use gazette_store::IssueId;
use minijinja::context;

use super::{CsrfForm, Staff, staff_page};
use crate::kernel::forms::FormFields;
use crate::kernel::newsletter_parts::{compose_article_issue, compose_article_parts};
use crate::{AppError, AppState};

fn may_send(staff: &Staff) -> Result<(), AppError> {
    staff.require(
        Capability::ManageNewsletters,
        "Only editors and administrators send newsletters.",
    )
}

/// `POST /admin/newsletters/{id}/send`: sends a published article to the newsletter's
/// confirmed subscribers.
pub(crate) async fn send(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    CsrfForm(fields): CsrfForm,
) -> Result<Response, AppError> {
    may_send(&staff)?;
    mail_set_up(&state)?;
    let (newsletter, article) = chosen(&state, id, &fields).await?;
    let subscribers_only = fields.checked("subscribers_only");
    let issue = compose_article_issue(&state, &newsletter, &article, subscribers_only).await?;
    let queued = issues::send(state.store(), issue).await?;
    let to = format!("/admin/newsletters/{id}/issues/{}", queued.issue.0);
    Ok(crate::kernel::redirect::see_other(&to).into_response())
}

/// `POST /admin/newsletters/{id}/preview`: the issue's HTML part as readers' mail clients
/// would get it, before anything is sent.
pub(crate) async fn preview(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    CsrfForm(fields): CsrfForm,
) -> Result<Response, AppError> {
    may_send(&staff)?;
    let (newsletter, article) = chosen(&state, id, &fields).await?;
    let parts = compose_article_parts(&state, &newsletter, &article).await?;
    let html = issues::without_reader_links(&parts.html, "#");
    Ok((
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "private, no-store"),
            // Mail HTML styles itself inline; nothing in it may run.
            (
                header::CONTENT_SECURITY_POLICY,
                "sandbox; default-src 'none'; img-src https: http: data:; style-src 'unsafe-inline'",
            ),
        ],
        html,
    )
        .into_response())
}

/// `POST /admin/newsletters/{id}/test`: the issue, to the editor's own address only.
pub(crate) async fn test(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    CsrfForm(fields): CsrfForm,
) -> Result<Response, AppError> {
    may_send(&staff)?;
    mail_set_up(&state)?;
    let (newsletter, article) = chosen(&state, id, &fields).await?;
    let parts = compose_article_parts(&state, &newsletter, &article).await?;
    issues::send_test(
        state.store(),
        staff.person.email.as_str(),
        &parts.subject,
        &parts.html,
        &parts.text,
    )
    .await?;
    let to = format!("/admin/newsletters/{id}?done=tested");
    Ok(crate::kernel::redirect::see_other(&to).into_response())
}

fn mail_set_up(state: &AppState) -> Result<(), AppError> {
    if state.mail_enabled() {
        return Ok(());
    }
    Err(AppError::BadRequest(
        "Mail is not set up: configure an SMTP server ([smtp] in gazette.toml) to send \
         newsletters."
            .to_owned(),
    ))
}

/// The newsletter and the published article the form chose.
async fn chosen(
    state: &AppState,
    id: i64,
    fields: &FormFields,
) -> Result<(Newsletter, Article), AppError> {
    let newsletter = newsletter(state, id).await?;
    let article_id = fields
        .get("article")
        .parse()
        .map(ArticleId)
        .map_err(|_| AppError::BadRequest("Choose the article to send.".to_owned()))?;
    let article = state
        .store()
        .article(article_id)
        .await?
        .filter(|a| a.status == Status::Published)
        .ok_or_else(|| AppError::BadRequest("Only a published article can be sent.".to_owned()))?;
    Ok((newsletter, article))
}

/// `GET /admin/newsletters/{id}/issues/{issue}`: how the issue's sending goes.
pub(crate) async fn progress(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, issue)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    may_send(&staff)?;
    let newsletter = newsletter(&state, id).await?;
    let issue = state
        .store()
        .issue(IssueId(issue))
        .await?
        .filter(|i| i.newsletter == newsletter.id)
        .ok_or(AppError::NotFound)?;
    let progress = state.store().issue_progress(issue.id).await?;
    let context = context! {
        newsletter => context! { id, name => newsletter.name },
        issue => context! {
            id => issue.id.0,
            subject => issue.subject,
            status => issue.status.as_str(),
        },
        progress => context! {
            queued => progress.queued,
            sending => progress.sending,
            sent => progress.sent,
            deferred => progress.deferred,
            failed => progress.failed,
            bounced => progress.bounced,
            unknown => progress.unknown,
            cancelled => progress.cancelled,
        },
    };
    Ok(staff_page(
        &state,
        &staff,
        StatusCode::OK,
        "admin/newsletter_issue.html",
        context,
    ))
}

/// `POST /admin/newsletters/{id}/issues/{issue}`: pause, resume, cancel, or send the
/// unknown deliveries again (`do`).
pub(crate) async fn control(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, issue)): Path<(i64, i64)>,
    CsrfForm(fields): CsrfForm,
) -> Result<Response, AppError> {
    may_send(&staff)?;
    let newsletter = newsletter(&state, id).await?;
    let found = state.store().issue(IssueId(issue)).await?;
    if found.is_none_or(|i| i.newsletter != newsletter.id) {
        return Err(AppError::NotFound);
    }
    let done = match fields.get("do") {
        "pause" => issues::control(state.store(), IssueId(issue), Control::Pause).await?,
        "resume" => issues::control(state.store(), IssueId(issue), Control::Resume).await?,
        "cancel" => issues::control(state.store(), IssueId(issue), Control::Cancel).await?,
        "resend" => issues::resend_unknown(state.store(), IssueId(issue)).await? > 0,
        _ => {
            return Err(AppError::BadRequest(
                "Pause, resume, cancel or send the unknown ones again.".to_owned(),
            ));
        }
    };
    if !done {
        return Err(AppError::Conflict {
            code: "issue_state",
            message: "The issue is not in a state that allows this (it may have finished, or \
                      have no unknown deliveries)."
                .to_owned(),
        });
    }
    let to = format!("/admin/newsletters/{id}/issues/{issue}");
    Ok(crate::kernel::redirect::see_other(&to).into_response())
}

async fn newsletter(state: &AppState, id: i64) -> Result<Newsletter, AppError> {
    state
        .store()
        .newsletter(NewsletterId(id))
        .await?
        .ok_or(AppError::NotFound)
}
