//! Anonymous reads of the REST API through the page cache: `GET` of posts, pages, categories,
//! tags, users and comments (collections and items, with `_embed` and `_fields`) are rendered
//! once per change of what they show, like pages, and answered with their compressed copies.
//!
//! The key is the origin (collection `Link` headers are absolute), the path and the request's
//! parameters as the handlers read them, sorted. A parameter the cache does not know (a
//! post's `password`, `context=edit`, anything new) sends the request past the cache, and so
//! does anything personal: an `Authorization` header or a session cookie.

use axum::body::to_bytes;
use axum::extract::{Request, State};
use axum::http::{HeaderName, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::collection::Params;
use crate::AppState;
use crate::cache::{RenderedPage, Shows};
use crate::kernel::cookies::is_personal;
use crate::kernel::origin::Origin;
use crate::metrics::RouteLabel;

/// The API's content type.
const JSON: &str = "application/json; charset=UTF-8";
/// Bigger answers (a hundred posts with everything embedded) are served but not kept.
const MAX_CACHED_BYTES: usize = 4 * 1024 * 1024;
/// The collections and items whose anonymous reads are cached.
const CACHED: &[&str] = &["posts", "pages", "categories", "tags", "users", "comments"];
/// The parameters their handlers read; `context` only as `view` or `embed`.
const KNOWN_PARAMETERS: &[&str] = &[
    "_embed",
    "_fields",
    "after",
    "author",
    "author_exclude",
    "before",
    "categories",
    "categories_exclude",
    "context",
    "exclude",
    "hide_empty",
    "include",
    "modified_after",
    "modified_before",
    "offset",
    "order",
    "orderby",
    "page",
    "parent",
    "parent_exclude",
    "per_page",
    "post",
    "search",
    "slug",
    "status",
    "sticky",
    "tags",
    "tags_exclude",
    "type",
];
/// The handlers' headers a cached answer keeps: the collection's counts and pages.
const KEPT_HEADERS: [HeaderName; 3] = [
    HeaderName::from_static("x-wp-total"),
    HeaderName::from_static("x-wp-totalpages"),
    header::LINK,
];

/// The middleware: answers a cacheable read from the cache, rendering it through the
/// handler on a miss; passes everything else through.
pub(crate) async fn cached_reads(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let Some((canonical, shows)) = cacheable(&state, &request) else {
        return next.run(request).await;
    };
    let https = crate::kernel::client::Client::of(&request).https;
    let origin = Origin::of(&state, request.headers(), https).await;
    // Answers carry absolute links: never kept for a host the node does not know.
    let Some(address) = origin.cache_key(request.uri().path(), true) else {
        return next.run(request).await;
    };
    let key = format!("api {address}?{canonical}");
    let headers = request.headers().clone();
    let now = state.store().clock().now();
    let rendered = state
        .page_cache()
        .get_or_render(&key, now, || render(request, next, shows))
        .await;
    let mut response = match rendered {
        Ok(Some(entry)) => entry.respond(&headers),
        Ok(None) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        Err(uncacheable) => uncacheable,
    };
    response.extensions_mut().insert(RouteLabel("api"));
    response
}

/// The handler's answer as a cache entry, or the answer itself when it must not be kept
/// (an error, an unexpected type, a body too big).
async fn render(
    request: Request,
    next: Next,
    shows: Vec<Shows>,
) -> Result<Option<RenderedPage>, Response> {
    let response = next.run(request).await;
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|t| t.as_bytes().starts_with(b"application/json"));
    if response.status() != StatusCode::OK || !is_json {
        return Err(response);
    }
    let (parts, body) = response.into_parts();
    // The handler built the whole answer in memory already; reading it cannot fail but for a
    // broken body, which is the handler's error to report.
    let Ok(bytes) = to_bytes(body, usize::MAX).await else {
        return Err(StatusCode::INTERNAL_SERVER_ERROR.into_response());
    };
    if bytes.len() > MAX_CACHED_BYTES {
        return Err(Response::from_parts(parts, bytes.into()));
    }
    let json = match String::from_utf8(Vec::from(bytes)) {
        Ok(json) => json,
        Err(error) => return Err(Response::from_parts(parts, error.into_bytes().into())),
    };
    let mut page = RenderedPage::html(json, None).showing(shows);
    page.content_type = JSON;
    page.label = "api";
    page.headers = KEPT_HEADERS
        .iter()
        .filter_map(|name| Some((name.clone(), parts.headers.get(name)?.clone())))
        .collect();
    Ok(Some(page))
}

/// The canonical parameters and what the answer shows, when the request is an anonymous read
/// the cache may answer.
fn cacheable(state: &AppState, request: &Request) -> Option<(String, Vec<Shows>)> {
    let resource = request.uri().path().strip_prefix("/wp-json/wp/v2/")?;
    if request.method() != Method::GET
        || !state.page_cache().enabled()
        || request.headers().contains_key(header::AUTHORIZATION)
        || is_personal(request.headers())
    {
        return None;
    }
    let segments: Vec<String> = resource
        .trim_end_matches('/')
        .split('/')
        .map(str::to_owned)
        .collect();
    let known_resource = match segments.as_slice() {
        [kind] => CACHED.contains(&kind.as_str()),
        [kind, id] => CACHED.contains(&kind.as_str()) && id.bytes().all(|b| b.is_ascii_digit()),
        _ => false,
    };
    if !known_resource {
        return None;
    }
    let params = Params::of(request.uri().query());
    let canonical = canonical_parameters(&params)?;
    Some((canonical, shows(&segments, &params)))
}

/// The parameters as the handlers read them (`Params`), sorted by name and encoded again;
/// None when one is not for the cache.
fn canonical_parameters(params: &Params) -> Option<String> {
    let mut pairs: Vec<(&str, &str)> = params.iter().collect();
    let all_known = pairs.iter().all(|(name, value)| {
        KNOWN_PARAMETERS.contains(name)
            && (*name != "context" || *value == "view" || *value == "embed")
    });
    if !all_known {
        return None;
    }
    pairs.sort();
    Some(
        url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish(),
    )
}

/// What an answer shows, so that only the changes to it remove it. Embedded replies are
/// comments; anything else embedded (authors, terms, media) changes only with a change that
/// empties the whole cache.
fn shows(resource: &[String], params: &Params) -> Vec<Shows> {
    let embeds = params.get("_embed").is_some();
    let one = |id: &str| id.parse::<i64>().ok();
    let mut shows = match resource {
        [kind, id] if kind == "posts" => match one(id) {
            Some(id) => vec![Shows::Article(id), Shows::Discussion(id)],
            None => vec![Shows::Anything],
        },
        // Pages show no article; their authors and parents change only with everything.
        [kind, ..] if kind == "pages" => Vec::new(),
        // Comments name their article (its link) and its discussion.
        [kind] if kind == "comments" => match params.get("post").and_then(one) {
            Some(post) => vec![Shows::Discussion(post), Shows::Article(post)],
            None => vec![Shows::Comments, Shows::Listings],
        },
        [kind, _] if kind == "comments" => vec![Shows::Comments, Shows::Listings],
        // Posts lists, and the counts of categories, tags and users' published work.
        _ => vec![Shows::Listings],
    };
    if embeds {
        shows.push(Shows::Comments);
    }
    shows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equivalent_queries_share_a_key_and_unknown_ones_have_none() {
        let key = |q: &str| canonical_parameters(&Params::of(Some(q)));
        assert_eq!(key("per_page=5&page=2"), key("page=2&per_page=5"));
        assert_eq!(key("tags[]=1&tags[]=2"), key("tags=1,2"));
        assert_eq!(key("search=a%20b"), key("search=a+b"));
        assert_eq!(key("page=1&page=2"), key("page=2"), "the last value wins");
        assert_ne!(key("page=1"), key("page=2"));
        assert!(key("context=view").is_some());
        assert_eq!(key("context=edit"), None);
        assert_eq!(key("password=secret"), None);
        assert_eq!(key("utm_source=mail"), None);
        assert_eq!(canonical_parameters(&Params::of(None)).as_deref(), Some(""));
    }

    #[test]
    fn answers_show_what_they_hold() {
        let resource = |path: &str| -> Vec<String> { path.split('/').map(str::to_owned).collect() };
        assert_eq!(
            shows(&resource("posts/7"), &Params::of(None)),
            [Shows::Article(7), Shows::Discussion(7)]
        );
        assert_eq!(
            shows(&resource("posts"), &Params::of(None)),
            [Shows::Listings]
        );
        assert_eq!(
            shows(&resource("posts"), &Params::of(Some("_embed=1"))),
            [Shows::Listings, Shows::Comments]
        );
        assert_eq!(
            shows(&resource("comments"), &Params::of(Some("post=7"))),
            [Shows::Discussion(7), Shows::Article(7)]
        );
        assert!(shows(&resource("pages/3"), &Params::of(None)).is_empty());
        assert_eq!(
            shows(&resource("tags"), &Params::of(None)),
            [Shows::Listings]
        );
    }
}
