//! The back office at `/admin/`: signing in and out, and the newsroom's desk.
//!
//! Every page here is personal (`Cache-Control: private, no-store`), every state-changing
//! request carries a CSRF token, and every action is checked against the signed-in person's
//! role on the server, whatever the page showed.

mod accounts;
mod app_passwords;
mod calendar;
mod comment_settings;
pub(crate) mod comments;
mod curation;
mod dashboard;
mod desk;
mod editor;
mod known_device;
pub(crate) mod media;
mod newsletter_issues;
mod newsletters;
mod notice;
pub(crate) mod pages;
mod passwords;
mod preview;
mod profile;
mod redirects;
mod revisions;
mod settings;
mod sign_in;
mod sign_in_link;
mod subscribers;
pub(crate) mod taxonomy;
mod times;

use axum::Router;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine as _;
use minijinja::Value;

use crate::{AppError, AppState};

use crate::kernel::cookies::SESSION_COOKIE;
pub(crate) use crate::kernel::forms::{CsrfForm, FormFields, GuestForm};
pub(crate) use crate::kernel::staff::{Staff, server_secret};

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/", get(dashboard::dashboard))
        .route("/admin/articles", get(desk::articles))
        .route("/admin/calendar", get(calendar::calendar))
        .route("/admin/calendar/reschedule", post(calendar::reschedule))
        .route(
            "/admin",
            get(|| async {
                crate::kernel::redirect::to_site(
                    axum::http::StatusCode::PERMANENT_REDIRECT,
                    "/admin/",
                )
            }),
        )
        .route("/admin/sign-in", get(sign_in::form).post(sign_in::submit))
        .route(
            "/admin/sign-in/link",
            get(sign_in_link::ask_form).post(sign_in_link::ask),
        )
        .route(
            "/admin/sign-in/link/{token}",
            get(sign_in_link::confirm_form).post(sign_in_link::confirm),
        )
        .route(
            "/admin/articles/new",
            get(editor::new_form).post(editor::create),
        )
        .route(
            "/admin/articles/{id}",
            get(editor::edit_form).post(editor::save),
        )
        .route(
            "/admin/articles/{id}/markdown",
            get(editor::conversion).post(editor::convert_to_markdown),
        )
        .route("/admin/markdown", post(editor::markdown_from_html))
        .route("/admin/embed", get(editor::embed_preview))
        .route("/admin/articles/{id}/notes", post(editor::add_note))
        .route("/admin/articles/{id}/plan", post(editor::plan))
        .route("/admin/articles/{id}/presence", post(editor::heartbeat))
        .route(
            "/admin/articles/{id}/presence/take-over",
            post(editor::take_over),
        )
        .route("/admin/articles/{id}/presence/leave", post(editor::leave))
        .route("/admin/articles/{id}/revisions", get(revisions::list))
        .route(
            "/admin/articles/{id}/revisions/{revision}",
            get(revisions::compare),
        )
        .route(
            "/admin/articles/{id}/revisions/{revision}/restore",
            post(revisions::restore),
        )
        .route("/admin/bulk", post(desk::bulk))
        .route(
            "/admin/media/",
            get(media::library)
                .post(media::upload)
                .layer(axum::extract::DefaultBodyLimit::max(
                    crate::kernel::UPLOAD_BODY_LIMIT,
                )),
        )
        .route(
            "/admin/media",
            get(|| async {
                crate::kernel::redirect::to_site(
                    axum::http::StatusCode::PERMANENT_REDIRECT,
                    "/admin/media/",
                )
            }),
        )
        .route("/admin/media/{id}", get(media::item).post(media::describe))
        .route("/admin/media/{id}/delete", post(media::delete))
        .route(
            "/admin/redirects/",
            get(redirects::list).post(redirects::add),
        )
        .route(
            "/admin/redirects",
            get(|| async {
                crate::kernel::redirect::to_site(
                    axum::http::StatusCode::PERMANENT_REDIRECT,
                    "/admin/redirects/",
                )
            }),
        )
        .route(
            "/admin/redirects/import",
            post(redirects::import).layer(axum::extract::DefaultBodyLimit::max(
                redirects::IMPORT_BODY_LIMIT,
            )),
        )
        .route("/admin/redirects/export.csv", get(redirects::export))
        .route(
            "/admin/redirects/{id}",
            get(redirects::edit_form).post(redirects::edit),
        )
        .route("/admin/redirects/{id}/delete", post(redirects::delete))
        .route("/admin/subscribers/", get(subscribers::list))
        .route(
            "/admin/subscribers/import",
            post(subscribers::import).layer(axum::extract::DefaultBodyLimit::max(
                subscribers::IMPORT_BODY_LIMIT,
            )),
        )
        .route("/admin/subscribers/export.csv", get(subscribers::export))
        .route(
            "/admin/newsletters/",
            get(newsletters::list).post(newsletters::add),
        )
        .route(
            "/admin/newsletters/{id}",
            get(newsletters::edit_form).post(newsletters::edit),
        )
        .route(
            "/admin/newsletters/{id}/send",
            post(newsletter_issues::send),
        )
        .route(
            "/admin/newsletters/{id}/preview",
            post(newsletter_issues::preview),
        )
        .route(
            "/admin/newsletters/{id}/test",
            post(newsletter_issues::test),
        )
        .route(
            "/admin/newsletters/{id}/issues/{issue}",
            get(newsletter_issues::progress).post(newsletter_issues::control),
        )
        .route(
            "/admin/comments/",
            get(comments::inbox).post(comments::moderate),
        )
        .route(
            "/admin/comments",
            get(|| async {
                crate::kernel::redirect::to_site(
                    axum::http::StatusCode::PERMANENT_REDIRECT,
                    "/admin/comments/",
                )
            }),
        )
        .route("/admin/comments/export", get(comments::export))
        .route("/admin/comments/erase", post(comments::erase))
        .route(
            "/admin/comments/{id}/edit",
            get(comments::edit_form).post(comments::edit),
        )
        .route("/admin/comments/{id}/reply", post(comments::reply))
        .route("/admin/settings", get(settings::form).post(settings::save))
        .route(
            "/admin/menus",
            get(curation::menus).post(curation::save_menu),
        )
        .route("/admin/home", get(curation::home).post(curation::save_home))
        .route("/admin/profile", get(profile::form).post(profile::save))
        .route(
            "/admin/people/{id}/profile",
            get(profile::form).post(profile::save),
        )
        .route("/admin/pages", get(pages::list))
        .route("/admin/pages/new", get(pages::new_form).post(pages::create))
        .route(
            "/admin/pages/{id}/edit",
            get(pages::edit_form).post(pages::update),
        )
        .route("/admin/pages/{id}/delete", post(pages::delete))
        // Sections and tags share their pages; other `/admin/…` routes are static and win.
        .route("/admin/{kind}", get(taxonomy::list).post(taxonomy::add))
        .route(
            "/admin/{kind}/{id}",
            get(taxonomy::edit_form).post(taxonomy::save),
        )
        .route("/admin/{kind}/{id}/merge", post(taxonomy::merge))
        .route("/admin/{kind}/{id}/delete", post(taxonomy::delete))
        .route(
            "/admin/settings/comments",
            get(comment_settings::form).post(comment_settings::save),
        )
        .route(
            "/admin/forgot",
            get(accounts::forgot_form).post(accounts::forgot),
        )
        .route(
            "/admin/password/{token}",
            get(accounts::password_form).post(accounts::set_password),
        )
        .route("/admin/people", get(accounts::people))
        .route("/admin/account", get(passwords::account))
        .route("/admin/account/password", post(passwords::change_password))
        .route(
            "/admin/account/app-passwords",
            get(app_passwords::list).post(app_passwords::create),
        )
        .route(
            "/admin/account/app-passwords/{id}/revoke",
            post(app_passwords::revoke),
        )
        .route("/admin/people/invite", post(accounts::invite))
        .route(
            "/admin/people/{id}/password",
            get(passwords::person_password_form).post(passwords::set_person_password),
        )
        .route("/admin/render", post(editor::render_preview))
        .route(
            "/admin/articles/{id}/share",
            get(preview::links).post(preview::share),
        )
        .route(
            "/admin/articles/{id}/share/{link}/revoke",
            post(preview::revoke),
        )
        .route("/admin/sign-out", post(sign_in::sign_out))
        .route(
            "/admin/sign-out-everywhere",
            post(sign_in::sign_out_everywhere),
        )
}

/// A refusal's message as a sentence: the first letter in capitals.
pub(crate) fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().collect::<String>() + chars.as_str())
        .unwrap_or_default()
}

/// Whether a script asked for JSON rather than a page (`Accept: application/json`): the
/// back office's forms answer both.
pub(crate) fn wants_json(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get(axum::http::header::ACCEPT)
        .and_then(|accept| accept.to_str().ok())
        .is_some_and(|accept| accept.contains("application/json"))
}

/// The name a member of staff goes by, among `people`; an account deleted since (a note's
/// author) is "A former colleague".
pub(crate) fn staff_name(
    people: &[gazette_core::Person],
    id: Option<gazette_core::PersonId>,
) -> String {
    id.and_then(|id| people.iter().find(|p| p.id == id))
        .map_or_else(
            || "A former colleague".to_owned(),
            |p| p.display_name.clone(),
        )
}

pub(crate) fn url_encode(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// The refusal when the role rules (`gazette_core::desk`) say no.
pub(crate) fn forbidden() -> AppError {
    AppError::Forbidden("Your role does not allow that on this article.".to_owned())
}

/// A refused save of one of the back office's own forms (not the editor's, which shows the
/// form again), as the error page to show; `outdated` says what to do when someone saved the
/// article after the form was loaded.
pub(crate) fn save_refused(
    error: gazette_newsroom::articles::SaveError<String>,
    outdated: &str,
) -> AppError {
    use gazette_newsroom::articles::SaveError;
    match error {
        SaveError::NotFound => AppError::NotFound,
        SaveError::Forbidden | SaveError::StatusNotAllowed => forbidden(),
        SaveError::Stale(_) => AppError::Conflict {
            code: "outdated",
            message: outdated.to_owned(),
        },
        SaveError::Refused(message) => AppError::BadRequest(message),
        SaveError::Store(error) => error.into(),
    }
}

/// The article with this id, if this person may edit it.
pub(crate) async fn editable(
    state: &AppState,
    staff: &Staff,
    id: i64,
) -> Result<gazette_core::Article, AppError> {
    let article = state
        .store()
        .article(gazette_core::ArticleId(id))
        .await?
        .ok_or(AppError::NotFound)?;
    if gazette_core::desk::may_edit(&staff.person, &article) {
        Ok(article)
    } else {
        Err(forbidden())
    }
}

/// Renders a back-office page for a signed-in person: the header's name, role and sign-out
/// forms (with this session's CSRF token) come with it.
pub(crate) fn staff_page(
    state: &AppState,
    staff: &Staff,
    status: StatusCode,
    template: &str,
    context: Value,
) -> Response {
    let person = &staff.person;
    let context = minijinja::context! {
        person => minijinja::context! {
            name => person.display_name,
            role => person.role.as_str(),
            email => person.email.as_str(),
        },
        csrf => staff.csrf,
        ..context
    };
    page(state, status, template, context)
}

/// A fresh value for the back office's style nonce: the Markdown editor's library writes its
/// own stylesheet into the page, which the policy allows only with this response's nonce.
fn style_nonce() -> String {
    use rand::RngCore as _;
    let mut bytes = [0_u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// The site's policy without the public head snippet's scripts (the back office never has
/// them), and styles from our own files or with `nonce`.
fn back_office_policy(nonce: &str) -> HeaderValue {
    let policy = format!(
        "{}; style-src 'self' 'nonce-{nonce}'",
        crate::csp::policy("")
    );
    // Base64 and the fixed policy are visible ASCII.
    HeaderValue::from_str(&policy).unwrap_or(HeaderValue::from_static("default-src 'self'"))
}

/// Renders a back-office template: personal, never cached.
pub(crate) fn page(
    state: &AppState,
    status: StatusCode,
    template: &str,
    context: Value,
) -> Response {
    let nonce = style_nonce();
    let context = minijinja::context! {
        stylesheet => state.theme().asset_url("admin.css"),
        editor_script => state.theme().asset_url("editor.js"),
        markdown_editor_script => state.theme().asset_url("markdown-editor.js"),
        drafts_script => state.theme().asset_url("drafts.js"),
        calendar_script => state.theme().asset_url("calendar.js"),
        media_script => state.theme().asset_url("media.js"),
        presence_script => state.theme().asset_url("presence.js"),
        style_nonce => nonce,
        ..context
    };
    match state.theme().render(template, context) {
        Ok(html) => (
            status,
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/html; charset=utf-8"),
                ),
                (
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("private, no-store"),
                ),
                (header::CONTENT_SECURITY_POLICY, back_office_policy(&nonce)),
            ],
            html,
        )
            .into_response(),
        Err(error) => AppError::Internal(Box::new(error)).into_response(),
    }
}
