//! `/newsletters/{newsletter}/{issue}/`: an issue as a web page, for readers who were not sent
//! it and for those who prefer the browser. Issues an editor marked subscribers-only, and
//! cancelled ones, have none.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use gazette_store::{Issue, IssueStatus};
use minijinja::context;

use crate::kernel::pages::{Snapshot, page_html, uncached_html};
use crate::kernel::views;
use crate::{AppError, AppState};

/// Whether an issue has a web version.
pub(super) fn is_public(issue: &Issue) -> bool {
    !issue.subscribers_only && issue.status != IssueStatus::Cancelled
}

/// `GET /newsletters/{newsletter}/{issue}/`.
pub(crate) async fn show(
    State(state): State<AppState>,
    Snapshot(site): Snapshot,
    Path((newsletter, issue)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let newsletter = site
        .newsletters
        .iter()
        .find(|n| n.slug.as_str() == newsletter)
        .cloned()
        .ok_or(AppError::NotFound)?;
    let issue = state
        .store()
        .issues_of(newsletter.id)
        .await?
        .into_iter()
        .find(|i| i.slug == issue && is_public(i))
        .ok_or(AppError::NotFound)?;
    let article = match issue.article {
        Some(id) => state
            .store()
            .article(id)
            .await?
            .filter(|a| a.status == gazette_core::Status::Published),
        None => None,
    };
    let sent_on = site
        .catalogue
        .long_date(views::local(&site, issue.created_at).date());
    let meta = views::Meta {
        title: views::title(&site, &[&issue.subject, &newsletter.name]),
        ..views::Meta::default()
    };
    let extra = context! {
        issue => context! {
            subject => issue.subject,
            newsletter => newsletter.name,
            sent_on,
            standfirst => article.as_ref().map(|a| a.standfirst.clone()),
            body => article.as_ref().map(|a| minijinja::Value::from_safe_string(a.body_html.as_str().to_owned())),
            url => article.as_ref().map(|a| views::article_url(&site, a)),
        },
    };
    let now = state.store().clock().now();
    let html = page_html(&state, &site, "newsletter_web.html", &meta, now, extra)?;
    Ok(uncached_html(StatusCode::OK, html, false))
}
