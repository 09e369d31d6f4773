//! `GET /wp/v2/pages` and `GET /wp/v2/pages/{id}`: the journal's static pages in WordPress's
//! shape.

use axum::Json;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use gazette_core::{Page, PageId};
use serde_json::{Value, json};

use super::collection::Paging;
use super::values::{gmt, invalid_post_id, local, status_name};
use super::{ApiError, Asked};
use crate::AppState;
use crate::kernel::pages::Snapshot;
use crate::kernel::site::Site;

/// `GET /wp/v2/pages`: published pages, newest first.
pub(crate) async fn list_pages(
    State(state): State<AppState>,
    Snapshot(site): Snapshot,
    asked: Asked,
) -> Result<Response, ApiError> {
    let params = &asked.params;
    let mut problems = Vec::new();
    let paging = Paging::of(params, &mut problems);
    if !problems.is_empty() {
        return Err(ApiError::invalid_params(problems));
    }
    let origin = asked.origin(&state).await;
    let mut pages: Vec<&Page> = site
        .published_pages()
        .filter(|p| {
            params
                .get("slug")
                .is_none_or(|slug| p.slug.as_str() == slug)
        })
        .collect();
    pages.sort_by_key(|p| std::cmp::Reverse((p.published_at, p.id.0)));
    let total = pages.len() as u64;
    let url = format!("{origin}/wp-json/wp/v2/pages");
    let headers = paging.headers(total, &url, params)?;
    let body: Vec<Value> = paging
        .page(pages)
        .map(|p| page_json(&site, &origin, p, false))
        .collect();
    Ok((headers, Json(Value::Array(body))).into_response())
}

/// `GET /wp/v2/pages/{id}`.
pub(crate) async fn one_page(
    State(state): State<AppState>,
    Snapshot(site): Snapshot,
    Path(id): Path<String>,
    asked: Asked,
) -> Result<Json<Value>, ApiError> {
    let id = PageId(super::path_id(&id)?);
    let person = super::write::person(&state, &asked).await?;
    let signed_in = person.is_some();
    let manager = person.filter(|p| p.role.can(gazette_core::Capability::ManageSectionsAndTags));
    let edit = asked.params.get("context") == Some("edit");
    if edit && manager.is_none() {
        return Err(ApiError::forbidden_context(signed_in));
    }
    let page = if manager.is_some() {
        // Those who manage pages see drafts too, as they are now.
        state
            .store()
            .pages()
            .await?
            .into_iter()
            .find(|p| p.id == id)
    } else {
        site.published_pages().find(|p| p.id == id).cloned()
    };
    let page = page.ok_or_else(invalid_post_id)?;
    let origin = asked.origin(&state).await;
    Ok(Json(page_json(&site, &origin, &page, edit)))
}

/// A page as WordPress's page; with `edit`, also its raw title and content.
pub(super) fn page_json(site: &Site, origin: &str, page: &Page, edit: bool) -> Value {
    let id = page.id.0;
    let published = page.published_at.unwrap_or(page.updated_at);
    let link = site.page_url(page.id).map_or_else(
        || format!("{origin}/?page_id={id}"),
        |path| format!("{origin}{path}"),
    );
    let mut json = json!({
        "id": id,
        "date": local(site, published),
        "date_gmt": gmt(published),
        "guid": { "rendered": format!("{origin}/?page_id={id}") },
        "modified": local(site, page.updated_at),
        "modified_gmt": gmt(page.updated_at),
        "slug": page.slug.as_str(),
        "status": status_name(page.status),
        "type": "page",
        "link": link,
        "title": { "rendered": gazette_render::escape_html(&page.title) },
        "content": { "rendered": page.body_html.as_str(), "protected": false },
        "excerpt": { "rendered": "", "protected": false },
        "author": 0,
        "featured_media": 0,
        "parent": page.parent.map_or(0, |p| p.0),
        "menu_order": 0,
        "comment_status": "closed",
        "ping_status": "closed",
        "template": "",
        "meta": [],
        "_links": {
            "self": [{ "href": format!("{origin}/wp-json/wp/v2/pages/{id}") }],
            "collection": [{ "href": format!("{origin}/wp-json/wp/v2/pages") }],
            "about": [{ "href": format!("{origin}/wp-json/wp/v2/types/page") }],
            "curies": [{ "name": "wp", "href": "https://api.w.org/{rel}", "templated": true }],
        },
    });
    if edit {
        json["guid"]["raw"] = json["guid"]["rendered"].clone();
        json["title"]["raw"] = json!(page.title);
        json["content"]["raw"] = json!(page.body_source);
        json["content"]["block_version"] = json!(0);
        json["generated_slug"] = json!(gazette_core::Slug::from_headline(&page.title).as_str());
        json["permalink_template"] = json["link"].clone();
        json["excerpt"]["raw"] = json!("");
        json["password"] = json!("");
    }
    json
}
