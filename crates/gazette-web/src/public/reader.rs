//! The reader's own request: what makes their page personal (articles they unlocked, their
//! held comments, the comment they are answering), and unlocking a password-protected article.

use super::article::{Extra, Showing, article_html};
use super::{decode, method_not_allowed};
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use gazette_core::Status;

use crate::kernel::cookies::cookie;
use crate::kernel::lookup::find_article;
use crate::kernel::origin::Origin;
use crate::kernel::pages::{error_page, load_site, uncached_html};
use crate::kernel::route::PublicRoute;
use crate::kernel::unlocks::{Unlocks, unlock_cookie};
use crate::kernel::views::{self, Access};
use crate::{AppError, AppState};
use gazette_core::signing::same_secret;

/// A password form is small; anything bigger is refused before it is read.
pub(super) const MAX_FORM_BYTES: usize = 4096;

/// What makes a request's page personal: unlocked articles, the reader's own held comments,
/// and the comment they are answering without the page's script (`?replytocom=`).
pub(crate) struct Reader {
    /// Where absolute links point.
    pub(crate) origin: Origin,
    pub(super) unlocks: Unlocks,
    pub(super) held: Vec<gazette_core::CommentId>,
    pub(super) reply_to: Option<gazette_core::CommentId>,
}

/// WordPress's reply link without JavaScript: `?replytocom=ID`.
pub(super) fn reply_to(query: &str) -> Option<gazette_core::CommentId> {
    url::form_urlencoded::parse(query.as_bytes())
        .find(|(key, _)| key == "replytocom")
        .and_then(|(_, value)| value.parse().ok())
        .map(gazette_core::CommentId)
}

impl Reader {
    /// What this request carries that makes its page personal, with its links' origin.
    pub(crate) async fn of(
        state: &AppState,
        headers: &HeaderMap,
        origin: Origin,
        query: Option<&str>,
    ) -> Self {
        Self {
            origin,
            unlocks: Unlocks::from_headers(headers),
            held: match cookie(headers, crate::kernel::cookies::HELD_COOKIE) {
                Some(_) => crate::kernel::discussion::held_ids(headers, &state_secret(state).await),
                None => Vec::new(),
            },
            reply_to: query.and_then(reply_to),
        }
    }
}

/// The server secret from the site snapshot, or nothing before the first run.
pub(super) async fn state_secret(state: &AppState) -> String {
    state
        .site()
        .await
        .map(|site| site.server_secret.clone())
        .unwrap_or_default()
}

/// `POST` to an article's URL with its password: sets the unlock cookie and goes back to
/// the article, or shows the form again with an error.
pub(crate) async fn unlock(state: &AppState, request: Request) -> Response {
    let https = crate::kernel::client::Client::of(&request).https;
    let links = Origin::of(state, request.headers(), https).await.links();
    let path = request.uri().path().to_owned();
    let Ok(PublicRoute::Content { path: decoded, .. }) = PublicRoute::parse(&path) else {
        return method_not_allowed(state, &path).await;
    };
    let body = match axum::body::to_bytes(request.into_body(), MAX_FORM_BYTES).await {
        Ok(body) => body,
        Err(_) => {
            let message = "The form was too large.".to_owned();
            let mut response = error_page(state, AppError::BadRequest(message)).await;
            // The rest of the body was never read, so this connection cannot carry another
            // request: tell the client instead of letting it find out.
            response
                .headers_mut()
                .insert(header::CONNECTION, HeaderValue::from_static("close"));
            return response;
        }
    };
    let password = form_field(&body, "password").unwrap_or_default();
    let site = match load_site(state).await {
        Ok(site) => site,
        Err(error) => return error_page(state, error).await,
    };
    let article = match find_article(state, &site, &path).await {
        Ok(Some(article)) if article.status == Status::Published => article,
        Ok(_) => return error_page(state, AppError::MethodNotAllowed).await,
        Err(error) => return error_page(state, error.into()).await,
    };
    let url = views::article_url(&site, &article);
    if decode(&url) != decoded {
        return error_page(state, AppError::NotFound).await;
    }
    match &article.password {
        Some(expected) if same_secret(expected, &password) => {
            let cookie = unlock_cookie(&site, article.id, expected, https);
            let mut response = crate::kernel::redirect::see_other(&url);
            if let Ok(value) = HeaderValue::from_str(&cookie) {
                response.headers_mut().insert(header::SET_COOKIE, value);
            }
            response
        }
        Some(_) => {
            let now = state.store().clock().now();
            let access = Access::Locked {
                wrong_password: true,
            };
            let showing = Showing {
                access,
                preview: false,
                links,
            };
            match article_html(state, &site, &article, showing, now, Extra::NONE).await {
                Ok(html) => uncached_html(StatusCode::FORBIDDEN, html, true),
                Err(error) => error_page(state, error).await,
            }
        }
        None => crate::kernel::redirect::see_other(&url),
    }
}

/// One field of an `application/x-www-form-urlencoded` body.
pub(super) fn form_field(body: &[u8], name: &str) -> Option<String> {
    url::form_urlencoded::parse(body)
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
}
