//! The WordPress REST API at `/wp-json/`, so that the apps, scripts and services a journal's
//! WordPress site had keep working: the index (discovery), posts, pages, media, categories,
//! tags, users, comments, search, types, statuses, taxonomies, settings and revisions in
//! WordPress's shapes, with its collection parameters, `X-WP-Total`/`X-WP-TotalPages` and
//! `Link` headers, and its error bodies (`{code, message, data: {status}}`). Reading is what
//! anyone may see on the public site; writes and the `edit` context need an application
//! password (`write::person`) and go through the back office's own saves and role checks.
//! `docs/rest-api.md` lists the routes and how they differ from WordPress's.

mod collection;
mod comment_list;
mod comments;
mod embed;
mod error;
mod media;
mod page_writes;
mod post_search;
mod post_writes;
mod posts;
mod revisions;
mod site_info;
mod term_writes;
mod terms;
mod write;

use axum::Json;
use axum::Router;
use axum::extract::{Request, State};
use axum::routing::get;
use serde_json::{Value, json};

use crate::AppState;
use crate::kernel::origin::Origin;
pub(crate) use error::ApiError;

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
            get(posts::list_pages).post(page_writes::create_page),
        )
        .route(
            "/wp-json/wp/v2/pages/{id}",
            get(posts::one_page)
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

/// Reading only.
const READ: &[&str] = &["GET"];
/// A collection one may add to.
const LIST_AND_CREATE: &[&str] = &["GET", "POST"];
/// An item one may change and delete.
const ITEM: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE"];

/// The routes the index lists (in WordPress's pattern syntax), with the methods each answers.
const ROUTES: &[(&str, &[&str])] = &[
    ("/wp/v2/posts", LIST_AND_CREATE),
    ("/wp/v2/posts/(?P<id>[\\d]+)", ITEM),
    ("/wp/v2/posts/(?P<parent>[\\d]+)/revisions", READ),
    (
        "/wp/v2/posts/(?P<parent>[\\d]+)/revisions/(?P<id>[\\d]+)",
        READ,
    ),
    ("/wp/v2/pages", LIST_AND_CREATE),
    ("/wp/v2/pages/(?P<id>[\\d]+)", ITEM),
    ("/wp/v2/media", LIST_AND_CREATE),
    ("/wp/v2/media/(?P<id>[\\d]+)", READ),
    ("/wp/v2/categories", LIST_AND_CREATE),
    ("/wp/v2/categories/(?P<id>[\\d]+)", ITEM),
    ("/wp/v2/tags", LIST_AND_CREATE),
    ("/wp/v2/tags/(?P<id>[\\d]+)", ITEM),
    ("/wp/v2/users", READ),
    ("/wp/v2/users/me", READ),
    ("/wp/v2/users/(?P<id>[\\d]+)", READ),
    ("/wp/v2/comments", LIST_AND_CREATE),
    ("/wp/v2/comments/(?P<id>[\\d]+)", ITEM),
    ("/wp/v2/search", READ),
    ("/wp/v2/types", READ),
    ("/wp/v2/types/(?P<type>[\\w-]+)", READ),
    ("/wp/v2/statuses", READ),
    ("/wp/v2/statuses/(?P<status>[\\w-]+)", READ),
    ("/wp/v2/taxonomies", READ),
    ("/wp/v2/taxonomies/(?P<taxonomy>[\\w-]+)", READ),
    ("/wp/v2/settings", &["GET", "POST", "PUT", "PATCH"]),
];

/// A route's path parameters, in order: `(?P<parent>…)/revisions/(?P<id>…)` has
/// `parent` and `id`.
fn path_parameters(route: &str) -> Vec<&str> {
    route
        .split("(?P<")
        .skip(1)
        .filter_map(|rest| rest.split_once('>').map(|(name, _)| name))
        .collect()
}

/// A route in OpenAPI's path syntax: `/wp/v2/posts/{id}`.
fn openapi_path(route: &str) -> String {
    let mut path = String::new();
    let mut rest = route;
    while let Some(start) = rest.find("(?P<") {
        path.push_str(&rest[..start]);
        let after = &rest[start + 4..];
        let Some((name, tail)) = after.split_once('>') else {
            break;
        };
        path.push('{');
        path.push_str(name);
        path.push('}');
        // Skip the pattern up to its closing parenthesis.
        rest = tail.split_once(')').map_or("", |(_, t)| t);
    }
    path.push_str(rest);
    path
}

/// `GET /wp-json/`: what the site is and which routes it answers.
async fn index(State(state): State<AppState>, request: Request) -> Result<Json<Value>, ApiError> {
    let asked = Asked::of(&state, &request);
    drop(request);
    let origin = asked.origin(&state).await;
    let site = crate::kernel::pages::load_site(&state).await?;
    let publication = &site.publication;
    // Hours from UTC now, as WordPress gives it (5.5 for India).
    let seconds = state
        .store()
        .clock()
        .now()
        .to_zoned(publication.time_zone.zone())
        .offset()
        .seconds();
    let gmt_offset = f64::from(seconds) / 3600.0;
    let mut routes = serde_json::Map::new();
    for (route, methods) in std::iter::once(("/", READ)).chain(ROUTES.iter().copied()) {
        routes.insert(
            route.to_owned(),
            json!({
                "namespace": if route == "/" { "" } else { NAMESPACE },
                "methods": methods,
                "endpoints": [{ "methods": methods, "args": arguments(route) }],
                "_links": { "self": [{ "href": format!("{origin}/wp-json{route}") }] },
            }),
        );
    }
    Ok(Json(json!({
        "name": publication.name,
        "description": publication.tagline,
        "url": origin,
        "home": origin,
        "gmt_offset": gmt_offset,
        "timezone_string": publication.time_zone.as_str(),
        "namespaces": [NAMESPACE],
        "site_logo": 0,
        "site_icon": 0,
        "site_icon_url": "",
        "authentication": {},
        "routes": routes,
        "_links": { "help": [{ "href": "https://developer.wordpress.org/rest-api/" }] },
    })))
}

/// The routes that page through their items.
const COLLECTIONS: &[&str] = &[
    "/wp/v2/posts",
    "/wp/v2/pages",
    "/wp/v2/media",
    "/wp/v2/categories",
    "/wp/v2/tags",
    "/wp/v2/users",
    "/wp/v2/comments",
    "/wp/v2/search",
];

/// The parameters a route takes, as WordPress describes them (clients such as wpapi make
/// their methods from these).
fn arguments(route: &str) -> Value {
    let parameter = |kind: &str| json!({ "required": false, "type": kind });
    let mut args = serde_json::Map::new();
    for name in path_parameters(route) {
        let kind = if matches!(name, "id" | "parent") {
            "integer"
        } else {
            "string"
        };
        args.insert(name.into(), json!({ "required": true, "type": kind }));
    }
    if COLLECTIONS.contains(&route) {
        for name in ["page", "per_page", "offset"] {
            args.insert(name.into(), parameter("integer"));
        }
        for name in ["search", "slug"] {
            args.insert(name.into(), parameter("string"));
        }
    }
    match route {
        "/wp/v2/posts" => {
            for name in ["author", "categories", "tags", "status"] {
                args.insert(name.into(), parameter("array"));
            }
            for name in ["before", "after", "orderby", "order"] {
                args.insert(name.into(), parameter("string"));
            }
            args.insert("sticky".into(), parameter("boolean"));
        }
        "/wp/v2/comments" => {
            for name in ["post", "parent", "include", "exclude"] {
                args.insert(name.into(), parameter("array"));
            }
            for name in ["before", "after", "orderby", "order"] {
                args.insert(name.into(), parameter("string"));
            }
        }
        "/wp/v2/categories" | "/wp/v2/tags" => {
            args.insert("post".into(), parameter("integer"));
        }
        _ => {}
    }
    let context = if route == "/" {
        json!({ "required": false, "default": "view" })
    } else {
        json!({ "required": false, "default": "view", "type": "string" })
    };
    args.insert("context".into(), context);
    Value::Object(args)
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

/// `GET /wp-json/openapi.json`: the supported subset as an OpenAPI 3.1 document, made from
/// the same route list as the index, so the two cannot disagree.
async fn openapi(State(state): State<AppState>, request: Request) -> Result<Json<Value>, ApiError> {
    let asked = Asked::of(&state, &request);
    drop(request);
    let origin = asked.origin(&state).await;
    let mut paths = serde_json::Map::new();
    for (route, methods) in ROUTES {
        let operations: serde_json::Map<String, Value> = methods
            .iter()
            .map(|method| (method.to_lowercase(), operation(route, method)))
            .collect();
        paths.insert(
            format!("/wp-json{}", openapi_path(route)),
            Value::Object(operations),
        );
    }
    Ok(Json(json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Gazette's WordPress REST API (wp/v2 subset)",
            "version": env!("CARGO_PKG_VERSION"),
        },
        "servers": [{ "url": origin }],
        "paths": paths,
        "components": {
            "securitySchemes": { "applicationPassword": {
                "type": "http",
                "scheme": "basic",
                "description": "A user's email or slug and one of their application passwords; over HTTPS or from loopback only.",
            } },
            "schemas": { "Error": {
            "type": "object",
            "required": ["code", "message", "data"],
            "properties": {
                "code": { "type": "string" },
                "message": { "type": "string" },
                "data": { "type": "object", "properties": { "status": { "type": "integer" } } },
            },
        } } },
    })))
}

/// One method of one route as an OpenAPI operation.
fn operation(route: &str, method: &str) -> Value {
    let error = json!({
        "description": "WordPress's error body.",
        "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } }
    });
    let item = json!({ "type": "object" });
    let in_path = path_parameters(route);
    let path_parameters: Vec<Value> = in_path
        .iter()
        .map(|name| {
            let kind = if matches!(*name, "id" | "parent") {
                "integer"
            } else {
                "string"
            };
            json!({ "name": name, "in": "path", "required": true, "schema": { "type": kind } })
        })
        .collect();
    match method {
        "GET" => {
            let mut parameters = path_parameters;
            if let Value::Object(args) = arguments(route) {
                for (name, arg) in args.iter().filter(|(n, _)| !in_path.contains(&n.as_str())) {
                    let kind = arg["type"].as_str().unwrap_or("string");
                    let schema = if kind == "array" {
                        json!({ "type": "array", "items": { "type": "integer" } })
                    } else {
                        json!({ "type": kind })
                    };
                    parameters.push(
                        json!({ "name": name, "in": "query", "required": false, "schema": schema }),
                    );
                }
            }
            let many = COLLECTIONS.contains(&route);
            let (description, schema) = if many {
                (
                    "A page of items; X-WP-Total and X-WP-TotalPages count them all.",
                    json!({ "type": "array", "items": item }),
                )
            } else {
                ("The item.", item)
            };
            json!({
                "parameters": parameters,
                "responses": {
                    "200": { "description": description, "content": { "application/json": { "schema": schema } } },
                    "default": error,
                },
            })
        }
        "DELETE" => {
            let mut parameters = path_parameters;
            parameters.push(json!({ "name": "force", "in": "query", "required": false, "schema": { "type": "boolean" } }));
            json!({
                "security": [{ "applicationPassword": [] }],
                "parameters": parameters,
                "responses": {
                    "200": { "description": "The trashed item, or with force=true {deleted, previous}.", "content": { "application/json": { "schema": item } } },
                    "default": error,
                },
            })
        }
        _ => {
            let created = method == "POST" && in_path.is_empty() && route != "/wp/v2/settings";
            let (status, description) = if created {
                ("201", "The item created; Location names it.")
            } else {
                ("200", "The item as saved.")
            };
            json!({
                "security": [{ "applicationPassword": [] }],
                "parameters": path_parameters,
                "requestBody": { "content": {
                    "application/json": { "schema": item },
                    "application/x-www-form-urlencoded": { "schema": item },
                } },
                "responses": {
                    status: { "description": description, "content": { "application/json": { "schema": item } } },
                    "default": error,
                },
            })
        }
    }
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

/// What a request asks, taken from it before anything is awaited (its body is not `Sync`).
pub(crate) struct Asked {
    pub params: collection::Params,
    headers: axum::http::HeaderMap,
    /// Who sent it, through trusted proxies.
    client: crate::kernel::client::Client,
    https: bool,
    /// The request came from this machine.
    loopback: bool,
}

impl Asked {
    fn of(state: &AppState, request: &Request) -> Self {
        let client = crate::kernel::client::Client::of(request, state.trusted_proxies());
        Self {
            params: collection::Params::of(request.uri().query()),
            headers: request.headers().clone(),
            client,
            https: client.https,
            // A proxy on this machine forwards requests from anywhere: those are not local.
            loopback: client.address.is_loopback()
                && !request.headers().contains_key("forwarded")
                && !request.headers().contains_key("x-forwarded-for"),
        }
    }

    /// The site's address for absolute links, as the public pages compute it.
    async fn origin(&self, state: &AppState) -> String {
        Origin::of(state, &self.headers, self.https).await.url
    }
}
