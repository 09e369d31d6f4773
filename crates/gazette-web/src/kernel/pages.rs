//! Pages every surface answers with: the site snapshot a request reads, a template rendered
//! with the shared site context, uncached responses, the themed error page, and what a public
//! request becomes when it is not a page.

use std::sync::Arc;

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use minijinja::Value;

use crate::cache::PUBLIC_CACHE_CONTROL;
use crate::kernel::site::Site;
use crate::kernel::views::{self, Meta};
use gazette_store::StoreError;

use crate::{AppError, AppState};

/// Articles per listing page.
pub const PER_PAGE: u64 = 12;

/// The site snapshot (settings, sections, menus, people) for this request.
pub(crate) async fn load_site(state: &AppState) -> Result<Arc<Site>, AppError> {
    state.site().await.map_err(AppError::from)
}

/// The site snapshot as an extractor, loaded once for the request: `Snapshot(site): Snapshot`
/// in a handler's parameters instead of a `load_site` call in its body.
#[derive(Debug)]
pub(crate) struct Snapshot(pub Arc<Site>);

impl axum::extract::FromRequestParts<AppState> for Snapshot {
    type Rejection = AppError;

    async fn from_request_parts(
        _parts: &mut axum::http::request::Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        load_site(state).await.map(Self)
    }
}

/// Renders a template with the shared site context.
pub(crate) fn page_html(
    state: &AppState,
    site: &Site,
    template: &str,
    meta: &Meta,
    now: Timestamp,
    extra: Value,
) -> Result<String, AppError> {
    let catalogue = site.catalogue.clone();
    let t = Value::from_function(move |key: &str| catalogue.text(key, &[]));
    let context = minijinja::context! {
        site => views::site_context(site, state.theme(), meta, now),
        meta => Value::from_serialize(meta),
        t,
        ..extra
    };
    state
        .theme()
        .render(template, context)
        .map_err(|e| AppError::Internal(Box::new(e)))
}

/// An HTML response the page cache does not keep.
pub(crate) fn uncached_html(status: StatusCode, html: String, personal: bool) -> Response {
    uncached(status, "text/html; charset=utf-8", html, personal)
}

/// A response the page cache does not keep; `personal` ones no shared cache may keep either.
pub(crate) fn uncached(
    status: StatusCode,
    content_type: &'static str,
    body: String,
    personal: bool,
) -> Response {
    let cache_control = if personal {
        "private, no-store"
    } else {
        PUBLIC_CACHE_CONTROL
    };
    (
        status,
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, cache_control),
        ],
        body,
    )
        .into_response()
}

/// The themed page for an error; plain text if even the theme cannot be rendered.
pub(crate) async fn error_page(state: &AppState, error: AppError) -> Response {
    let status = error.status();
    // The page is themed with the last snapshot when no current one can be loaded (the
    // database is down): an old menu beats a plain-text answer.
    let site = match state.site().await.ok().or_else(|| state.last_site()) {
        Some(site) => site,
        None => return error.into_response(),
    };
    if let AppError::Internal(source) = &error {
        tracing::error!(error = %source, "request failed");
    }
    let catalogue = &site.catalogue;
    let (title_key, text) = match &error {
        AppError::NotFound => (
            "error.not_found_title",
            catalogue.text("error.not_found_text", &[]),
        ),
        AppError::Gone => ("error.gone_title", catalogue.text("error.gone_text", &[])),
        AppError::BadRequest(message) => ("error.bad_request_title", message.clone()),
        AppError::TooLarge(message) => ("error.too_large_title", message.clone()),
        AppError::Forbidden(message) => ("error.forbidden_title", message.clone()),
        AppError::Unauthenticated(message) => ("error.unauthenticated_title", message.clone()),
        AppError::RateLimited { message, .. } => ("error.rate_limited_title", message.clone()),
        AppError::UriTooLong => (
            "error.too_long_title",
            catalogue.text("error.too_long_text", &[]),
        ),
        AppError::MethodNotAllowed => (
            "error.method_title",
            catalogue.text("error.method_text", &[]),
        ),
        AppError::Unavailable => (
            "error.unavailable_title",
            catalogue.text("error.unavailable_text", &[]),
        ),
        AppError::OutcomeUnknown => ("error.unavailable_title", error.to_string()),
        AppError::KeyReused => ("error.bad_request_title", error.to_string()),
        AppError::Conflict { message, .. } => ("error.bad_request_title", message.clone()),
        AppError::Internal(_) => (
            "error.internal_title",
            catalogue.text("error.internal_text", &[]),
        ),
    };
    let error_title = catalogue.text(title_key, &[]);
    let meta = Meta {
        title: crate::kernel::views::title(&site, &[&error_title]),
        noindex: true,
        ..Meta::default()
    };
    let extra = minijinja::context! {
        error => minijinja::context! { title => error_title, text => text },
    };
    let now = state.store().clock().now();
    match page_html(state, &site, "error.html", &meta, now, extra) {
        Ok(html) => crate::kernel::error::with_retry_after(
            error.answer(),
            uncached_html(status, html, true),
        ),
        Err(_) => error.into_response(),
    }
}

/// What a public request turned into when it is not a page: a redirect or an error.
pub(crate) enum Detour {
    Redirect(String),
    Error(AppError),
}

impl From<AppError> for Detour {
    fn from(error: AppError) -> Self {
        Self::Error(error)
    }
}

impl From<StoreError> for Detour {
    fn from(error: StoreError) -> Self {
        Self::Error(error.into())
    }
}

/// The answer to a detour: a permanent redirect, or the themed error page.
pub(crate) async fn detour_response(state: &AppState, detour: Detour) -> Response {
    match detour {
        Detour::Redirect(to) => crate::kernel::redirect::permanent(&to),
        Detour::Error(error) => error_page(state, error).await,
    }
}
