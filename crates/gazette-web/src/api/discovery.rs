//! What the API says about itself: the index at `/wp-json/` (WordPress's discovery document,
//! with every route, its methods and arguments) and an OpenAPI description of the same routes.

use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};

use super::{ApiError, Asked, NAMESPACE};
use crate::AppState;
use crate::kernel::pages::Snapshot;

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
pub(super) async fn index(
    State(state): State<AppState>,
    Snapshot(site): Snapshot,
    asked: Asked,
) -> Result<Json<Value>, ApiError> {
    let origin = asked.origin(&state).await;
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

/// `GET /wp-json/openapi.json`: the supported subset as an OpenAPI 3.1 document, made from
/// the same route list as the index, so the two cannot disagree.
pub(super) async fn openapi(
    State(state): State<AppState>,
    asked: Asked,
) -> Result<Json<Value>, ApiError> {
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
