//! Every redirect Gazette answers with is made here, so that none can send a browser to
//! another site unless an administrator typed that site's address into a redirect rule.
//!
//! A target is checked as a browser would read it (`gazette_core::address::site_location`):
//! `//host`, `/\host`, tabs and newlines, dot segments and encoded slashes at the start are
//! refused. A refused target is a bug or an attack, never a reader's mistake, so it is logged
//! and answered with a plain 400 rather than followed.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use gazette_core::address::{site_location, web_location};

use crate::AppError;

/// `303 See Other` to a path on this site: after a form, to the page that shows its result.
pub(crate) fn see_other(path: &str) -> Response {
    to_site(StatusCode::SEE_OTHER, path)
}

/// `301 Moved Permanently` to a path on this site.
pub(crate) fn permanent(path: &str) -> Response {
    to_site(StatusCode::MOVED_PERMANENTLY, path)
}

/// A redirect with `status` to a path on this site.
pub(crate) fn to_site(status: StatusCode, path: &str) -> Response {
    respond(status, site_location(path), path)
}

/// A redirect with `status` to an administrator's target: a path on this site or, since they
/// typed it, an absolute `http(s)` address elsewhere.
pub(crate) fn to_chosen(status: StatusCode, target: &str) -> Response {
    let location = site_location(target).or_else(|| {
        let absolute = target.starts_with("http://") || target.starts_with("https://");
        absolute.then(|| web_location(target)).flatten()
    });
    respond(status, location, target)
}

fn respond(status: StatusCode, location: Option<String>, asked: &str) -> Response {
    let header = location.and_then(|l| HeaderValue::from_str(&l).ok());
    match header {
        Some(value) => (status, [(header::LOCATION, value)]).into_response(),
        None => {
            tracing::warn!(target = %asked.escape_debug(), "refused to redirect off this site");
            AppError::BadRequest("That address cannot be redirected.".to_owned()).into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn location(response: &Response) -> Option<&str> {
        response
            .headers()
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
    }

    #[test]
    fn only_paths_on_this_site_are_followed() {
        let ok = see_other("/admin/articles/4?saved=1");
        assert_eq!(ok.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&ok), Some("/admin/articles/4?saved=1"));
        for bad in [
            "//evil.example/",
            "/\\evil.example",
            "https://evil.example/",
        ] {
            let refused = permanent(bad);
            assert_eq!(refused.status(), StatusCode::BAD_REQUEST, "{bad}");
            assert_eq!(location(&refused), None, "{bad}");
        }
    }

    #[test]
    fn administrators_may_send_readers_elsewhere() {
        let away = to_chosen(StatusCode::FOUND, "https://elsewhere.example/x?y=1");
        assert_eq!(location(&away), Some("https://elsewhere.example/x?y=1"));
        let home = to_chosen(StatusCode::FOUND, "/new/");
        assert_eq!(location(&home), Some("/new/"));
        for bad in ["//evil.example/", "javascript:alert(1)", "/\\evil.example"] {
            assert_eq!(
                to_chosen(StatusCode::FOUND, bad).status(),
                StatusCode::BAD_REQUEST,
                "{bad}"
            );
        }
    }
}
