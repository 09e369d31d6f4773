//! The links in reply-notification emails: confirming a subscription (the second half of the
//! double opt-in) and stopping them all. Each link shows a page with a button, so that mail
//! scanners that open links change nothing; only the button's POST acts.

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use gazette_core::Comment;

use crate::kernel::site::Site;
use crate::kernel::views;
use crate::{AppError, AppState};
use gazette_newsroom::comments::mail::{LinkPurpose, follow_link, link_holds, parse_link_token};

/// `GET /comments/replies/{token}`: what the link will do, and the button to do it.
pub(crate) async fn show(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    respond(&state, &token, false).await
}

/// `POST /comments/replies/{token}`: do it.
pub(crate) async fn apply(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    respond(&state, &token, true).await
}

async fn respond(state: &AppState, token: &str, act: bool) -> Response {
    let site = match crate::kernel::pages::load_site(state).await {
        Ok(site) => site,
        Err(error) => return crate::kernel::pages::error_page(state, error).await,
    };
    let (purpose, comment) = match checked(state, &site, token).await {
        Ok(found) => found,
        Err(error) => return crate::kernel::pages::error_page(state, error).await,
    };
    let done = if act {
        let result = follow_link(state.store(), purpose, &comment).await;
        if let Err(error) = result {
            return crate::kernel::pages::error_page(state, error.into()).await;
        }
        true
    } else {
        false
    };
    let catalogue = &site.catalogue;
    let (title, text, button, finished) = match purpose {
        LinkPurpose::Confirm => (
            "comments.sub_confirm_title",
            "comments.sub_confirm_text",
            "comments.sub_confirm_button",
            "comments.sub_confirmed",
        ),
        LinkPurpose::Stop => (
            "comments.sub_stop_title",
            "comments.sub_stop_text",
            "comments.sub_stop_button",
            "comments.sub_stopped",
        ),
    };
    let title = catalogue.text(title, &[]);
    let meta = views::Meta {
        title: crate::kernel::views::title(&site, &[&title]),
        noindex: true,
        ..views::Meta::default()
    };
    let extra = minijinja::context! {
        title,
        text => catalogue.text(text, &[]),
        button => catalogue.text(button, &[]),
        done => done.then(|| catalogue.text(finished, &[])),
        action => format!("/comments/replies/{token}"),
    };
    let now = state.store().clock().now();
    match crate::kernel::pages::page_html(
        state,
        &site,
        "comment_subscription.html",
        &meta,
        now,
        extra,
    ) {
        Ok(html) => (
            StatusCode::OK,
            [
                (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                (header::CACHE_CONTROL, "private, no-store"),
            ],
            html,
        )
            .into_response(),
        Err(error) => crate::kernel::pages::error_page(state, error).await,
    }
}

/// The comment a token names, if the token is genuine for it as it is now.
async fn checked(
    state: &AppState,
    site: &Site,
    token: &str,
) -> Result<(LinkPurpose, Comment), AppError> {
    let (purpose, id, mac) = parse_link_token(token).ok_or(AppError::NotFound)?;
    let comment = state.store().comment(id).await?.ok_or(AppError::NotFound)?;
    if link_holds(&site.server_secret, purpose, &comment, mac) {
        Ok((purpose, comment))
    } else {
        Err(AppError::NotFound)
    }
}
