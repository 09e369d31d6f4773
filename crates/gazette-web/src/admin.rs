//! The back office at `/admin/`: signing in and out, and the newsroom's desk.
//!
//! Every page here is personal (`Cache-Control: private, no-store`), every state-changing
//! request carries a CSRF token, and every action is checked against the signed-in person's
//! role on the server, whatever the page showed.

mod accounts;
mod app_passwords;
mod comment_settings;
pub(crate) mod comments;
mod curation;
mod desk;
mod editor;
mod known_device;
pub(crate) mod media;
mod notice;
pub(crate) mod pages;
mod preview;
mod profile;
mod redirects;
mod revisions;
mod settings;
mod sign_in;
mod sign_in_link;
pub(crate) mod taxonomy;
pub(crate) mod throttle;

use axum::Router;
use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use gazette_core::session::SessionToken;
use gazette_core::{Capability, Person};
use hmac::{Hmac, Mac as _};
use minijinja::Value;
use sha2::Sha256;

use crate::{AppError, AppState};

/// The cookie holding a staff session's token (its hash is what the store keeps). Path `/`:
/// public pages see it too, and skip the page cache for signed-in staff.
pub(crate) use crate::kernel::cookies::SESSION_COOKIE;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/", get(desk::articles))
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
                    media::UPLOAD_BODY_LIMIT,
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
        .route("/admin/account", get(accounts::account))
        .route("/admin/account/password", post(accounts::change_password))
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
            get(accounts::person_password_form).post(accounts::set_person_password),
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
        .route("/preview/{id}", get(preview::show))
        .route("/admin/sign-out", post(sign_in::sign_out))
        .route(
            "/admin/sign-out-everywhere",
            post(sign_in::sign_out_everywhere),
        )
}

/// The signed-in member of staff making a request, with their session's CSRF token.
#[derive(Debug, Clone)]
pub(crate) struct Staff {
    pub person: Person,
    pub token: SessionToken,
    /// Must come back with every form this person submits.
    pub csrf: String,
}

impl Staff {
    /// Refuses (403, saying `refusal`) what this person's role may not do.
    pub fn require(&self, capability: Capability, refusal: &str) -> Result<(), AppError> {
        if self.person.role.can(capability) {
            Ok(())
        } else {
            Err(AppError::Forbidden(refusal.to_owned()))
        }
    }

    /// Refuses a form whose CSRF token is not this session's.
    pub fn check_csrf(&self, submitted: &str) -> Result<(), AppError> {
        if crate::kernel::cookies::same_secret(submitted, &self.csrf) {
            Ok(())
        } else {
            Err(AppError::Forbidden(
                "This form has expired or did not come from this site. Go back, reload the \
                 page and try again."
                    .to_owned(),
            ))
        }
    }
}

/// What happens to a request that needs a signed-in person and has none: the sign-in page,
/// which brings them back afterwards.
#[derive(Debug)]
pub(crate) enum NotSignedIn {
    Redirect(String),
    Failed(AppError),
}

impl IntoResponse for NotSignedIn {
    fn into_response(self) -> Response {
        match self {
            Self::Redirect(next) => {
                let to = format!("/admin/sign-in?next={}", url_encode(&next));
                crate::kernel::redirect::see_other(&to).into_response()
            }
            Self::Failed(error) => error.into_response(),
        }
    }
}

impl FromRequestParts<AppState> for Staff {
    type Rejection = NotSignedIn;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match <Staff as OptionalFromRequestParts<AppState>>::from_request_parts(parts, state).await
        {
            Ok(Some(staff)) => Ok(staff),
            // A form sent after the session ended must not be answered with a redirect that
            // drops what was typed; the page stays, with a clear message.
            Ok(None) if parts.method != axum::http::Method::GET => {
                Err(NotSignedIn::Failed(AppError::Forbidden(
                    "You are signed out (the session ended). Sign in again in another tab, \
                     then send this form again: nothing was saved."
                        .to_owned(),
                )))
            }
            Ok(None) => Err(NotSignedIn::Redirect(
                parts
                    .uri
                    .path_and_query()
                    .map_or("/admin/", |p| p.as_str())
                    .to_owned(),
            )),
            Err(error) => Err(NotSignedIn::Failed(error)),
        }
    }
}

impl OptionalFromRequestParts<AppState> for Staff {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Option<Self>, Self::Rejection> {
        let Some(token) = crate::kernel::cookies::cookie(&parts.headers, SESSION_COOKIE)
            .and_then(|value| SessionToken::from_cookie(&value))
        else {
            return Ok(None);
        };
        let Some(person) = state.store().person_for_session(&token.hash()).await? else {
            return Ok(None);
        };
        let secret = server_secret(state).await?;
        let csrf = keyed_hash(&secret, &format!("csrf:{}", token.hash().0));
        Ok(Some(Self {
            person,
            token,
            csrf,
        }))
    }
}

/// The server secret; its absence is an error, never an empty key anyone could sign with.
pub(crate) async fn server_secret(state: &AppState) -> Result<String, AppError> {
    match state.store().server_secret().await? {
        Some(secret) if !secret.is_empty() => Ok(secret),
        _ => Err(AppError::Internal("the server secret is missing".into())),
    }
}

impl Staff {
    /// The fields of a form this person submitted, once its CSRF token checks out.
    pub(crate) fn checked_form(&self, body: &[u8]) -> Result<FormFields, AppError> {
        let fields = FormFields::parse(body);
        self.check_csrf(fields.get("csrf"))?;
        Ok(fields)
    }
}

/// The fields of a submitted back-office form, in order (checkbox lists repeat a name).
pub(crate) struct FormFields(Vec<(String, String)>);

impl FormFields {
    pub(crate) fn parse(body: &[u8]) -> Self {
        Self(url::form_urlencoded::parse(body).into_owned().collect())
    }

    /// The first value of `name`, or "".
    pub(crate) fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// Every value of `name`.
    pub(crate) fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> {
        self.0
            .iter()
            .filter(move |(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The first `hex_digits` of [`keyed_hash`] of `message` under `context`: a tag short enough for
/// a cookie, a link or a file name. The context keeps tags made for one purpose from being
/// valid for another.
pub(crate) fn keyed_tag(secret: &str, context: &str, message: &str, hex_digits: usize) -> String {
    let mut tag = keyed_hash(secret, &format!("{context}\u{0}{message}"));
    tag.truncate(hex_digits);
    tag
}

/// HMAC-SHA256 of `message` under the server secret, hex-encoded.
pub(crate) fn keyed_hash(secret: &str, message: &str) -> String {
    match Hmac::<Sha256>::new_from_slice(secret.as_bytes()) {
        Ok(mut mac) => {
            mac.update(message.as_bytes());
            hex::encode(mac.finalize().into_bytes())
        }
        Err(_) => String::new(),
    }
}

/// A refusal's message as a sentence: the first letter in capitals.
pub(crate) fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().collect::<String>() + chars.as_str())
        .unwrap_or_default()
}

pub(crate) fn url_encode(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// How a body this person saves is rendered: editors and administrators keep their raw HTML
/// (WordPress's `unfiltered_html`); authors and contributors are sanitised.
pub(crate) fn html_policy(person: &Person) -> gazette_render::HtmlPolicy {
    if person.role.can(gazette_core::Capability::UnfilteredHtml) {
        gazette_render::HtmlPolicy::Unfiltered
    } else {
        gazette_render::HtmlPolicy::Sanitised
    }
}

/// The refusal when the role rules (`gazette_core::desk`) say no.
pub(crate) fn forbidden() -> AppError {
    AppError::Forbidden("Your role does not allow that on this article.".to_owned())
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

/// Renders a back-office template: personal, never cached.
pub(crate) fn page(
    state: &AppState,
    status: StatusCode,
    template: &str,
    context: Value,
) -> Response {
    let context = minijinja::context! {
        stylesheet => state.theme().asset_url("admin.css"),
        editor_script => state.theme().asset_url("editor.js"),
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
            ],
            html,
        )
            .into_response(),
        Err(error) => AppError::Internal(Box::new(error)).into_response(),
    }
}
