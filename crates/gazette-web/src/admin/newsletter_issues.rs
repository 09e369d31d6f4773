//! Sending a newsletter's issues from the back office: an article sent to a newsletter's
//! confirmed subscribers, and the sending page, which shows each issue's progress (queued,
//! sent, deferred, failed, bounced, unknown) and pauses, resumes or cancels what has not gone.
//!
//! The issue's HTML part comes from the theme's `newsletter_issue.html` (overridable like every
//! template: tables and inline styles, which mail clients render), the plain-text part from the
//! article's text; both carry the marks where each reader's own links go.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use gazette_core::{Article, ArticleId, Capability, Newsletter, NewsletterId, Status};
use gazette_newsroom::newsletters::issues::{self, Control, PREFERENCES_MARK, UNSUBSCRIBE_MARK};
use gazette_store::{IssueId, NewIssue};
use minijinja::context;

use super::{CsrfForm, Staff, staff_page};
use crate::kernel::site::Site;
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
    if !state.mail_enabled() {
        return Err(AppError::BadRequest(
            "Mail is not set up: configure an SMTP server ([smtp] in gazette.toml) to send \
             newsletters."
                .to_owned(),
        ));
    }
    let newsletter = newsletter(&state, id).await?;
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
    let site = crate::kernel::pages::load_site(&state).await?;
    let base = site.publication.base_url.as_ref().ok_or_else(|| {
        AppError::BadRequest(
            "Set the journal's address (Settings) first: every email links to it.".to_owned(),
        )
    })?;
    let url = format!(
        "{}{}",
        base.as_str().trim_end_matches('/'),
        crate::kernel::views::article_url(&site, &article)
    );
    let issue = NewIssue {
        newsletter: newsletter.id,
        slug: issues::next_slug(state.store(), newsletter.id, article.slug.as_str()).await?,
        subject: article.headline.clone(),
        article: Some(article.id),
        html: html_part(&state, &site, &newsletter, &article, &url)?,
        text: text_part(&newsletter, &article, &url),
        subscribers_only: fields.checked("subscribers_only"),
    };
    let queued = issues::send(state.store(), issue).await?;
    let to = format!("/admin/newsletters/{id}/issues/{}", queued.issue.0);
    Ok(crate::kernel::redirect::see_other(&to).into_response())
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

/// `POST /admin/newsletters/{id}/issues/{issue}`: pause, resume or cancel (`do`).
pub(crate) async fn control(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, issue)): Path<(i64, i64)>,
    CsrfForm(fields): CsrfForm,
) -> Result<Response, AppError> {
    may_send(&staff)?;
    let control = match fields.get("do") {
        "pause" => Control::Pause,
        "resume" => Control::Resume,
        "cancel" => Control::Cancel,
        _ => return Err(AppError::BadRequest("Pause, resume or cancel.".to_owned())),
    };
    let newsletter = newsletter(&state, id).await?;
    let found = state.store().issue(IssueId(issue)).await?;
    if found.is_none_or(|i| i.newsletter != newsletter.id) {
        return Err(AppError::NotFound);
    }
    if !issues::control(state.store(), IssueId(issue), control).await? {
        return Err(AppError::Conflict {
            code: "issue_state",
            message: "The issue is not in a state that allows this (it may have finished)."
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

/// The HTML part, from the theme.
fn html_part(
    state: &AppState,
    site: &Site,
    newsletter: &Newsletter,
    article: &Article,
    url: &str,
) -> Result<String, AppError> {
    let context = context! {
        journal => site.publication.name,
        language => site.publication.language.as_str(),
        newsletter => newsletter.name,
        headline => article.headline,
        standfirst => article.standfirst,
        url,
        body => minijinja::Value::from_safe_string(article.body_html.as_str().to_owned()),
        footer => newsletter.footer,
        preferences_url => PREFERENCES_MARK,
        unsubscribe_url => UNSUBSCRIBE_MARK,
    };
    state
        .theme()
        .render("newsletter_issue.html", context)
        .map_err(|e| AppError::Internal(Box::new(e)))
}

/// The plain-text part.
fn text_part(newsletter: &Newsletter, article: &Article, url: &str) -> String {
    let body = gazette_render::plain_text(&article.body_html);
    let standfirst = if article.standfirst.is_empty() {
        String::new()
    } else {
        format!("{}\n\n", article.standfirst)
    };
    format!(
        "{}\n\n{standfirst}{body}\n\nOn the web: {url}\n\n-- \n{}\n{}\n\nChoose your newsletters: \
         {PREFERENCES_MARK}\nLeave them all: {UNSUBSCRIBE_MARK}\n",
        article.headline, newsletter.name, newsletter.footer
    )
}
