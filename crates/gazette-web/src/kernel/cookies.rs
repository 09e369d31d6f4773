//! Cookies: reading them from a request, the names of Gazette's own, and which of them make a
//! request personal (it must neither be served from nor fill the page cache).

use axum::http::{HeaderMap, header};

/// The signed-in staff member's session.
pub(crate) const SESSION_COOKIE: &str = "gazette_session";
/// The token of a form sent before signing in (no session exists yet): double-submit.
pub(crate) const FORM_COOKIE: &str = "gazette_sign_in";
/// The comments a reader sent that await moderation, so they see their own.
pub(crate) const HELD_COOKIE: &str = "gazette_commenter";
/// `gazette_unlock_{article id}` holds proof that the reader gave the article's password.
pub(crate) const UNLOCK_COOKIE: &str = "gazette_unlock_";

/// Cookies that make a request personal: it must neither be served from nor fill the cache.
const PERSONAL_COOKIES: &[&str] = &[SESSION_COOKIE, HELD_COOKIE, UNLOCK_COOKIE];

/// Whether the request carries one of the cookies that make a page personal.
pub(crate) fn is_personal(headers: &HeaderMap) -> bool {
    cookies(headers).any(|(name, _)| {
        PERSONAL_COOKIES.iter().any(|personal| {
            name == *personal || (personal.ends_with('_') && name.starts_with(personal))
        })
    })
}

/// The value of the cookie `name`, if the request carries it.
pub(crate) fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    cookies(headers)
        .find(|(n, _)| *n == name)
        .map(|(_, value)| value.to_owned())
}

/// Every cookie the request carries, as name and value.
pub(crate) fn cookies(headers: &HeaderMap) -> impl Iterator<Item = (&str, &str)> {
    headers
        .get_all(header::COOKIE)
        .iter()
        // One cookie with non-ASCII bytes must not hide the others.
        .flat_map(|v| v.as_bytes().split(|b| *b == b';'))
        .filter_map(|pair| {
            let pair = std::str::from_utf8(pair).ok()?;
            let (name, value) = pair.split_once('=')?;
            Some((name.trim(), value.trim()))
        })
}
