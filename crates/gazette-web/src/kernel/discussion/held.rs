//! The cookie that lets a commenter see their own comments awaiting moderation.
//!
//! It is scoped to the article's path, so it reaches only that article's pages, and those
//! requests bypass the page cache; everyone else keeps getting the cached page, which never
//! shows a held comment. Its value lists the comment ids with a MAC under the server secret,
//! so nobody can list other people's held comments.

use axum::http::HeaderMap;
use gazette_core::{ArticleId, CommentId};

use crate::kernel::cookies::cookie;
use gazette_core::signing::keyed_tag;
use gazette_core::signing::same_secret;

use crate::kernel::cookies::HELD_COOKIE;
/// At most this many held comments are remembered per article.
const MAX_REMEMBERED: usize = 20;
const LIFETIME_SECONDS: i64 = 7 * 24 * 3600;

fn mac(secret: &str, ids: &str) -> String {
    keyed_tag(secret, "held-comments", ids, 32)
}

/// The held comments the request's cookie vouches for (on the article's pages).
pub(crate) fn held_ids(headers: &HeaderMap, secret: &str) -> Vec<CommentId> {
    ids_in(headers, secret, HELD_COOKIE)
}

/// The held comments on `article` that the copy sent to `/comments/` vouches for, so that a
/// second held comment adds to the first instead of replacing it.
pub(crate) fn carried_ids(headers: &HeaderMap, secret: &str, article: ArticleId) -> Vec<CommentId> {
    ids_in(headers, secret, &carried_name(article))
}

fn carried_name(article: ArticleId) -> String {
    format!("gazette_held_{}", article.0)
}

fn ids_in(headers: &HeaderMap, secret: &str, name: &str) -> Vec<CommentId> {
    let Some(value) = cookie(headers, name) else {
        return Vec::new();
    };
    let Some((ids, signature)) = value.rsplit_once('.') else {
        return Vec::new();
    };
    if !same_secret(signature, &mac(secret, ids)) {
        return Vec::new();
    }
    ids.split('-')
        .filter_map(|id| id.parse().ok().map(CommentId))
        .collect()
}

/// The `Set-Cookie` values remembering `ids`: one for the pages of the article at `path`, and
/// its copy for the comment form's endpoint.
pub(crate) fn cookies_for(
    secret: &str,
    ids: &[CommentId],
    path: &str,
    article: ArticleId,
    secure: &str,
) -> [String; 2] {
    let start = ids.len().saturating_sub(MAX_REMEMBERED);
    let list: Vec<String> = ids[start..].iter().map(|id| id.0.to_string()).collect();
    let list = list.join("-");
    let value = format!("{list}.{}", mac(secret, &list));
    let attributes = format!("Max-Age={LIFETIME_SECONDS}; HttpOnly; SameSite=Lax{secure}");
    [
        format!("{HELD_COOKIE}={value}; Path={path}; {attributes}"),
        format!(
            "{}={value}; Path=/comments/; {attributes}",
            carried_name(article)
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn the_cookie_round_trips_and_refuses_forgeries() {
        let [set, carried] = cookies_for(
            "s",
            &[CommentId(4), CommentId(9)],
            "/2026/a/",
            ArticleId(7),
            "",
        );
        assert!(carried.starts_with("gazette_held_7=4-9.") && carried.contains("Path=/comments/;"));
        let value = set.split(';').next().unwrap_or_default().to_owned();
        let mut headers = HeaderMap::new();
        headers.insert(
            "cookie",
            HeaderValue::from_str(&value).unwrap_or(HeaderValue::from_static("")),
        );
        assert_eq!(held_ids(&headers, "s"), [CommentId(4), CommentId(9)]);
        assert!(held_ids(&headers, "other secret").is_empty());
        let forged = value.replace("4-9", "4-10");
        headers.insert(
            "cookie",
            HeaderValue::from_str(&forged).unwrap_or(HeaderValue::from_static("")),
        );
        assert!(held_ids(&headers, "s").is_empty());
        assert!(set.contains("Path=/2026/a/") && set.contains("HttpOnly"));
    }
}
