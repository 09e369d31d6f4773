//! The WordPress REST API at `/wp-json/`, so that the apps, scripts and services a journal's
//! WordPress site had keep working: the index (discovery), posts, pages, media, categories,
//! tags, users, comments, search, types, statuses, taxonomies, settings and revisions in
//! WordPress's shapes, with its collection parameters, `X-WP-Total`/`X-WP-TotalPages` and
//! `Link` headers, and its error bodies (`{code, message, data: {status}}`). Reading is what
//! anyone may see on the public site; writes and the `edit` context need an application
//! password (`write::person`) and go through the back office's own saves and role checks.
//! `docs/rest-api.md` lists the routes and how they differ from WordPress's.

mod collection;
mod comment_json;
mod comment_list;
mod comments;
mod discovery;
mod embed;
mod error;
mod media;
mod page_writes;
mod pages;
mod post_search;
mod post_writes;
mod posts;
mod read_cache;
mod revisions;
mod site_info;
mod term_writes;
mod terms;
mod values;
mod write;

use axum::Router;
use axum::extract::Request;
use axum::routing::get;
use serde_json::Value;

use crate::AppState;
use crate::kernel::origin::Origin;
use discovery::{index, openapi};
pub(crate) use error::ApiError;
pub(crate) use read_cache::cached_reads;

/// The namespace this API serves.
const NAMESPACE: &str = "wp/v2";

/// The routes under `/wp-json/`; anything else there is WordPress's `rest_no_route`.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/wp-json", get(index))
        .route("/wp-json/", get(index))
        .route("/wp-json/wp/v2", get(index))
        .route("/wp-json/wp/v2/", get(index))
        .route(
            "/wp-json/wp/v2/posts",
            get(posts::list_posts).post(post_writes::create_post),
        )
        .route(
            "/wp-json/wp/v2/posts/{id}",
            get(posts::one_post)
                .post(post_writes::update_post)
                .put(post_writes::update_post)
                .patch(post_writes::update_post)
                .delete(post_writes::delete_post),
        )
        .route(
            "/wp-json/wp/v2/pages",
            get(pages::list_pages).post(page_writes::create_page),
        )
        .route(
            "/wp-json/wp/v2/pages/{id}",
            get(pages::one_page)
                .post(page_writes::update_page)
                .put(page_writes::update_page)
                .patch(page_writes::update_page)
                .delete(page_writes::delete_page),
        )
        .route(
            "/wp-json/wp/v2/categories",
            get(terms::list_categories).post(term_writes::create_category),
        )
        .route(
            "/wp-json/wp/v2/categories/{id}",
            get(terms::one_category)
                .post(term_writes::update_category)
                .put(term_writes::update_category)
                .patch(term_writes::update_category)
                .delete(term_writes::delete_category),
        )
        .route(
            "/wp-json/wp/v2/tags",
            get(terms::list_tags).post(term_writes::create_tag),
        )
        .route(
            "/wp-json/wp/v2/tags/{id}",
            get(terms::one_tag)
                .post(term_writes::update_tag)
                .put(term_writes::update_tag)
                .patch(term_writes::update_tag)
                .delete(term_writes::delete_tag),
        )
        .route("/wp-json/wp/v2/users", get(terms::list_users))
        .route("/wp-json/wp/v2/users/me", get(terms::me))
        .route("/wp-json/wp/v2/users/{id}", get(terms::one_user))
        .route(
            "/wp-json/wp/v2/comments",
            get(comment_list::list_comments).post(comments::create_comment),
        )
        .route(
            "/wp-json/wp/v2/comments/{id}",
            get(comments::one_comment)
                .post(comments::update_comment)
                .put(comments::update_comment)
                .patch(comments::update_comment)
                .delete(comments::delete_comment),
        )
        .route(
            "/wp-json/wp/v2/media",
            get(media::list_media).post(media::upload_media).layer(
                axum::extract::DefaultBodyLimit::max(crate::kernel::UPLOAD_BODY_LIMIT),
            ),
        )
        .route("/wp-json/wp/v2/media/{id}", get(media::one_media))
        .route(
            "/wp-json/wp/v2/posts/{id}/revisions",
            get(revisions::list_revisions),
        )
        .route(
            "/wp-json/wp/v2/posts/{id}/revisions/{revision}",
            get(revisions::one_revision),
        )
        .route("/wp-json/wp/v2/types", get(site_info::list_types))
        .route("/wp-json/wp/v2/types/{slug}", get(site_info::one_type))
        .route("/wp-json/wp/v2/statuses", get(site_info::list_statuses))
        .route("/wp-json/wp/v2/statuses/{slug}", get(site_info::one_status))
        .route("/wp-json/wp/v2/taxonomies", get(site_info::list_taxonomies))
        .route(
            "/wp-json/wp/v2/taxonomies/{slug}",
            get(site_info::one_taxonomy),
        )
        .route(
            "/wp-json/wp/v2/settings",
            get(site_info::settings)
                .post(site_info::update_settings)
                .put(site_info::update_settings)
                .patch(site_info::update_settings),
        )
        .route("/wp-json/wp/v2/search", get(site_info::search))
        .route("/wp-json/openapi.json", get(openapi))
        .route("/wp-json/{*rest}", axum::routing::any(no_route))
        .layer(axum::middleware::from_fn(context_and_fields))
}

/// What every route shares: `context=edit` needs credentials, and a route that shows it (the
/// handler then checks the person may edit the item); `_fields=id,title.rendered` trims each
/// item to those fields.
async fn context_and_fields(
    request: Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse as _;
    let params = collection::Params::of(request.uri().query());
    match params.get("context") {
        None | Some("view" | "embed") => {}
        Some("edit") => {
            let credentials = request
                .headers()
                .contains_key(axum::http::header::AUTHORIZATION);
            if !credentials {
                return ApiError::forbidden_context(false).into_response();
            }
            if !serves_edit_context(request.uri().path()) {
                return ApiError::invalid_params(vec![(
                    "context".to_owned(),
                    "Gazette shows the edit context for posts, comments, categories, tags, single pages and media, and users/me only."
                        .to_owned(),
                )])
                .into_response();
            }
        }
        Some(_) => {
            return ApiError::invalid_params(vec![(
                "context".to_owned(),
                "context is not one of view, embed, and edit.".to_owned(),
            )])
            .into_response();
        }
    }
    let fields: Option<Vec<String>> = params.get("_fields").map(|list| {
        list.split(',')
            .map(|f| f.trim().to_owned())
            .filter(|f| !f.is_empty())
            .collect()
    });
    let response = next.run(request).await;
    let Some(fields) = fields.filter(|f| !f.is_empty()) else {
        return response;
    };
    if !response.status().is_success() {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 << 20).await else {
        return ApiError::from(crate::AppError::Unavailable).into_response();
    };
    let Ok(value) = serde_json::from_slice::<Value>(&bytes) else {
        return axum::response::Response::from_parts(parts, axum::body::Body::from(bytes));
    };
    let trimmed = match value {
        Value::Array(items) => Value::Array(items.into_iter().map(|i| only(i, &fields)).collect()),
        item => only(item, &fields),
    };
    parts.headers.remove(axum::http::header::CONTENT_LENGTH);
    axum::response::Response::from_parts(parts, axum::body::Body::from(trimmed.to_string()))
}

/// Whether a route's handler shows the `edit` context (and checks who may see it).
fn serves_edit_context(path: &str) -> bool {
    let Some(rest) = path.strip_prefix("/wp-json/wp/v2/") else {
        return false;
    };
    match rest.split_once('/') {
        Some(("comments" | "posts" | "pages" | "media" | "categories" | "tags", id)) => {
            id.bytes().all(|b| b.is_ascii_digit())
        }
        None => matches!(rest, "posts" | "comments" | "categories" | "tags"),
        Some(("users", "me")) => true,
        _ => false,
    }
}

/// `item` with only `fields`, each a name or a dotted path (`title.rendered`).
fn only(item: Value, fields: &[String]) -> Value {
    let Value::Object(object) = item else {
        return item;
    };
    let mut kept = serde_json::Map::new();
    for field in fields {
        let mut path = field.split('.');
        let Some(top) = path.next() else { continue };
        let Some(value) = object.get(top) else {
            continue;
        };
        let rest: Vec<String> = path.map(str::to_owned).collect();
        let chosen = if rest.is_empty() {
            value.clone()
        } else {
            let inner = only(value.clone(), &[rest.join(".")]);
            match (kept.remove(top), inner) {
                (Some(Value::Object(mut earlier)), Value::Object(more)) => {
                    earlier.extend(more);
                    Value::Object(earlier)
                }
                (_, inner) => inner,
            }
        };
        kept.insert(top.to_owned(), chosen);
    }
    Value::Object(kept)
}

/// The `Link` header every public page carries, so clients find the API: absolute, as
/// WordPress's is, since clients (wpapi among them) take it as the API's address.
pub(crate) fn discovery_link(origin: &str) -> Option<axum::http::HeaderValue> {
    axum::http::HeaderValue::from_str(&format!("<{origin}/wp-json/>; rel=\"https://api.w.org/\""))
        .ok()
}

/// `/?rest_route=/wp/v2/posts&…`, WordPress's address for the API on sites without pretty
/// links: the same request at `/wp-json/…`, by a redirect that keeps the method.
pub(crate) fn rest_route_redirect(query: &str) -> Option<String> {
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let route = pairs.iter().find(|(k, _)| k == "rest_route")?.1.clone();
    if !route.starts_with('/') || route.contains("//") || route.contains('\\') {
        return None;
    }
    let rest: Vec<&(String, String)> = pairs.iter().filter(|(k, _)| k != "rest_route").collect();
    let path: String = url::form_urlencoded::byte_serialize(route.as_bytes())
        .collect::<String>()
        .replace("%2F", "/");
    let mut target = format!("/wp-json{path}");
    if !rest.is_empty() {
        let query = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(rest)
            .finish();
        target.push('?');
        target.push_str(&query);
    }
    Some(target)
}

/// An id in a route's path (`/posts/12`): WordPress's routes match digits only, so anything
/// else is no route at all.
fn path_id(text: &str) -> Result<i64, ApiError> {
    text.parse().map_err(|_| ApiError::no_route())
}

/// Any other path under `/wp-json/`.
async fn no_route() -> ApiError {
    ApiError::no_route()
}

/// What a request asks: its query, headers and client. An extractor, so a handler never holds
/// the request (whose body is not `Sync`) across an await.
pub(crate) struct Asked {
    pub params: collection::Params,
    headers: axum::http::HeaderMap,
    /// Who sent it, through trusted proxies.
    client: crate::kernel::client::Client,
    https: bool,
    /// The request came from this machine.
    loopback: bool,
}

impl axum::extract::FromRequestParts<AppState> for Asked {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let client = crate::kernel::client::Client::of_parts(parts);
        Ok(Self::of(parts.uri.query(), &parts.headers, client))
    }
}

impl Asked {
    fn of(
        query: Option<&str>,
        headers: &axum::http::HeaderMap,
        client: crate::kernel::client::Client,
    ) -> Self {
        Self {
            params: collection::Params::of(query),
            headers: headers.clone(),
            client,
            https: client.https,
            // A proxy on this machine forwards requests from anywhere: those are not local.
            loopback: client.address.is_loopback()
                && !headers.contains_key("forwarded")
                && !headers.contains_key("x-forwarded-for"),
        }
    }

    /// What `request` asks (for handlers that also read its body).
    fn of_request(request: &Request) -> Self {
        let client = crate::kernel::client::Client::of(request);
        Self::of(request.uri().query(), request.headers(), client)
    }

    /// The site's address for absolute links, as the public pages compute it.
    async fn origin(&self, state: &AppState) -> String {
        Origin::of(state, &self.headers, self.https).await.url
    }
}
