//! What the site is made of, as WordPress describes it: post types, statuses and
//! taxonomies (the ones Gazette has), the site's settings for administrators, and
//! `/wp/v2/search` across published posts.

use axum::Json;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use gazette_core::{Article, Capability, Person};
use gazette_store::{ArticleFilter, ArticleQuery};
use serde_json::{Value, json};

use super::collection::Paging;
use super::write::{body_of, fresh_site, person_who_can, text_field};
use super::{ApiError, Asked};
use crate::AppState;
use crate::kernel::pages::Snapshot;
use crate::kernel::site::Site;
use crate::kernel::views;

/// Gazette's post types: slug, name, REST base, taxonomies, hierarchical, WordPress's icon.
type PostType = (
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
    bool,
    &'static str,
);
const TYPES: [PostType; 3] = [
    (
        "post",
        "Posts",
        "posts",
        &["category", "post_tag"],
        false,
        "dashicons-admin-post",
    ),
    ("page", "Pages", "pages", &[], true, "dashicons-admin-page"),
    (
        "attachment",
        "Media",
        "media",
        &[],
        false,
        "dashicons-admin-media",
    ),
];

/// Gazette's taxonomies: (slug, name, REST base, hierarchical).
const TAXONOMIES: [(&str, &str, &str, bool); 2] = [
    ("category", "Categories", "categories", true),
    ("post_tag", "Tags", "tags", false),
];

fn curies() -> Value {
    json!([{ "name": "wp", "href": "https://api.w.org/{rel}", "templated": true }])
}

fn type_json(origin: &str, (slug, name, base, taxonomies, hierarchical, icon): PostType) -> Value {
    json!({
        "description": "",
        "hierarchical": hierarchical,
        "has_archive": slug == "post",
        "name": name,
        "slug": slug,
        "icon": icon,
        "taxonomies": taxonomies,
        "rest_base": base,
        "rest_namespace": "wp/v2",
        "_links": {
            "collection": [{ "href": format!("{origin}/wp-json/wp/v2/types") }],
            "wp:items": [{ "href": format!("{origin}/wp-json/wp/v2/{base}") }],
            "curies": curies(),
        },
    })
}

/// `GET /wp/v2/types`.
pub(crate) async fn list_types(
    State(state): State<AppState>,
    asked: Asked,
) -> Result<Json<Value>, ApiError> {
    let origin = asked.origin(&state).await;
    let types: serde_json::Map<String, Value> = TYPES
        .into_iter()
        .map(|t| (t.0.to_owned(), type_json(&origin, t)))
        .collect();
    Ok(Json(Value::Object(types)))
}

/// `GET /wp/v2/types/{type}`.
pub(crate) async fn one_type(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    asked: Asked,
) -> Result<Json<Value>, ApiError> {
    let origin = asked.origin(&state).await;
    let found = TYPES.into_iter().find(|t| t.0 == slug).ok_or_else(|| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "rest_type_invalid",
            "Invalid post type.",
        )
    })?;
    Ok(Json(type_json(&origin, found)))
}

fn taxonomy_json(
    origin: &str,
    (slug, name, base, hierarchical): (&str, &str, &str, bool),
) -> Value {
    json!({
        "name": name,
        "slug": slug,
        "description": "",
        "types": ["post"],
        "hierarchical": hierarchical,
        "rest_base": base,
        "rest_namespace": "wp/v2",
        "_links": {
            "collection": [{ "href": format!("{origin}/wp-json/wp/v2/taxonomies") }],
            "wp:items": [{ "href": format!("{origin}/wp-json/wp/v2/{base}") }],
            "curies": curies(),
        },
    })
}

/// `GET /wp/v2/taxonomies`.
pub(crate) async fn list_taxonomies(
    State(state): State<AppState>,
    asked: Asked,
) -> Result<Json<Value>, ApiError> {
    let origin = asked.origin(&state).await;
    let taxonomies: serde_json::Map<String, Value> = TAXONOMIES
        .into_iter()
        .map(|t| (t.0.to_owned(), taxonomy_json(&origin, t)))
        .collect();
    Ok(Json(Value::Object(taxonomies)))
}

/// `GET /wp/v2/taxonomies/{taxonomy}`.
pub(crate) async fn one_taxonomy(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    asked: Asked,
) -> Result<Json<Value>, ApiError> {
    let origin = asked.origin(&state).await;
    let found = TAXONOMIES
        .into_iter()
        .find(|t| t.0 == slug)
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::NOT_FOUND,
                "rest_taxonomy_invalid",
                "Invalid taxonomy.",
            )
        })?;
    Ok(Json(taxonomy_json(&origin, found)))
}

/// Post statuses anyone may see: only `publish`, as WordPress shows an anonymous client.
const STATUSES: [(&str, &str); 1] = [("publish", "Published")];

fn status_json(origin: &str, (slug, name): (&str, &str)) -> Value {
    json!({
        "name": name,
        "public": true,
        "queryable": true,
        "slug": slug,
        "date_floating": false,
        "_links": { "archives": [{ "href": format!("{origin}/wp-json/wp/v2/posts") }] },
    })
}

/// `GET /wp/v2/statuses`.
pub(crate) async fn list_statuses(
    State(state): State<AppState>,
    asked: Asked,
) -> Result<Json<Value>, ApiError> {
    let origin = asked.origin(&state).await;
    let statuses: serde_json::Map<String, Value> = STATUSES
        .into_iter()
        .map(|s| (s.0.to_owned(), status_json(&origin, s)))
        .collect();
    Ok(Json(Value::Object(statuses)))
}

/// `GET /wp/v2/statuses/{status}`.
pub(crate) async fn one_status(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    asked: Asked,
) -> Result<Json<Value>, ApiError> {
    let origin = asked.origin(&state).await;
    let found = STATUSES.into_iter().find(|s| s.0 == slug).ok_or_else(|| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "rest_status_invalid",
            "Invalid status.",
        )
    })?;
    Ok(Json(status_json(&origin, found)))
}

/// The authenticated administrator, or WordPress's refusal.
async fn administrator(state: &AppState, asked: &Asked) -> Result<Person, ApiError> {
    let message = "Sorry, you are not allowed to do that.";
    person_who_can(
        state,
        asked,
        Capability::ManageSettings,
        "rest_forbidden",
        message,
    )
    .await
}

async fn settings_json(state: &AppState, asked: &Asked) -> Result<Value, ApiError> {
    let site = fresh_site(state).await?;
    let publication = &site.publication;
    let origin = asked.origin(state).await;
    let administrator = state
        .store()
        .people()
        .await?
        .into_iter()
        .find(|p| p.role == gazette_core::Role::Administrator)
        .map(|p| p.email.as_str().to_owned())
        .unwrap_or_default();
    Ok(json!({
        "title": publication.name,
        "description": publication.tagline,
        "url": origin,
        "email": administrator,
        "timezone": publication.time_zone.as_str(),
        "date_format": "F j, Y",
        "time_format": "g:i a",
        "start_of_week": 1,
        "language": publication.language.as_str().replace('-', "_"),
        "use_smilies": false,
        "default_category": site.sections().next().map_or(0, |s| s.id.0),
        "default_post_format": "0",
        "posts_per_page": crate::kernel::pages::PER_PAGE,
        "show_on_front": "posts",
        "page_on_front": 0,
        "page_for_posts": 0,
        "default_ping_status": "closed",
        "default_comment_status": if publication.comments.enabled { "open" } else { "closed" },
        "site_logo": null,
        "site_icon": 0,
    }))
}

/// `GET /wp/v2/settings`, for administrators.
pub(crate) async fn settings(
    State(state): State<AppState>,
    asked: Asked,
) -> Result<Json<Value>, ApiError> {
    administrator(&state, &asked).await?;
    Ok(Json(settings_json(&state, &asked).await?))
}

/// `POST|PUT|PATCH /wp/v2/settings`: the journal's `title` and `description` (its
/// tagline); the other settings are the back office's.
pub(crate) async fn update_settings(
    State(state): State<AppState>,
    request: Request,
) -> Result<Json<Value>, ApiError> {
    let (asked, fields) = body_of(request).await?;
    administrator(&state, &asked).await?;
    let unknown: Vec<(String, String)> = fields
        .keys()
        .filter(|k| !matches!(k.as_str(), "title" | "description"))
        .map(|k| {
            (
                k.clone(),
                format!("Gazette changes {k} in the back office, not here."),
            )
        })
        .collect();
    if !unknown.is_empty() {
        return Err(ApiError::invalid_params(unknown));
    }
    let title = fields
        .contains_key("title")
        .then(|| text_field(&fields, "title").trim().to_owned());
    // The back office's rule for the name.
    if title
        .as_ref()
        .is_some_and(|t| t.is_empty() || t.chars().count() > 200)
    {
        return Err(ApiError::invalid_params(vec![(
            "title".to_owned(),
            "The journal's name is 1 to 200 characters.".to_owned(),
        )]));
    }
    let description = fields
        .contains_key("description")
        .then(|| text_field(&fields, "description").trim().to_owned());
    gazette_newsroom::settings::rename(state.store(), title, description).await?;
    Ok(Json(settings_json(&state, &asked).await?))
}

/// `GET /wp/v2/search?search=…`: published posts matching every word, best first (through
/// the search index, as `/wp/v2/posts?search=` does), or every published post, newest first,
/// without words; as WordPress's search results (`id`, `title`, `url`, `type`, `subtype`).
pub(crate) async fn search(
    State(state): State<AppState>,
    Snapshot(site): Snapshot,
    asked: Asked,
) -> Result<Response, ApiError> {
    let params = &asked.params;
    let mut problems = Vec::new();
    let paging = Paging::of(params, &mut problems);
    if params.get("type").is_some_and(|t| t != "post") {
        problems.push((
            "type".to_owned(),
            "Gazette searches posts (type=post).".to_owned(),
        ));
    }
    if !problems.is_empty() {
        return Err(ApiError::invalid_params(problems));
    }
    let (articles, total) = match params.get("search").filter(|s| !s.trim().is_empty()) {
        Some(text) => {
            let query = ArticleQuery::default();
            let found =
                super::post_search::search_posts(&state, text, &query, true, paging).await?;
            (found.articles, found.total)
        }
        None => {
            let listing = state
                .store()
                .published_articles(&ArticleFilter::All, paging.skip(), paging.per_page)
                .await?;
            (listing.articles, listing.total)
        }
    };
    let origin = asked.origin(&state).await;
    let headers = paging.headers(total, &format!("{origin}/wp-json/wp/v2/search"), params)?;
    let body: Vec<Value> = articles
        .iter()
        .map(|a| search_result(&site, &origin, a))
        .collect();
    Ok((headers, Json(Value::Array(body))).into_response())
}

/// One of WordPress's search results.
fn search_result(site: &Site, origin: &str, article: &Article) -> Value {
    let id = article.id.0;
    json!({
        "id": id,
        "title": article.headline,
        "url": format!("{origin}{}", views::article_url(site, article)),
        "type": "post",
        "subtype": "post",
        "_links": {
            "self": [{ "embeddable": true, "href": format!("{origin}/wp-json/wp/v2/posts/{id}") }],
            "about": [{ "href": format!("{origin}/wp-json/wp/v2/types/post") }],
            "collection": [{ "href": format!("{origin}/wp-json/wp/v2/search") }],
        },
    })
}
