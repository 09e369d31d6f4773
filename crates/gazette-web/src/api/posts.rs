//! `/wp/v2/posts` and `/wp/v2/pages`: published articles and pages in WordPress's shape.
//! A password-protected post shows `protected: true` and no content or excerpt, as WordPress
//! shows it to someone who has not given the password.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use gazette_core::{Article, ArticleId, Status};
use gazette_core::{PersonId, SectionId, TagId};
use gazette_store::{ArticleOrder, ArticleQuery};
use serde_json::{Value, json};

use super::collection::{Paging, Params, ascending, ids};
use super::post_search::narrow;
use super::values::{
    date_bounds, gmt, invalid_post_id, local, paragraph, parse_status, status_name,
};
use super::{ApiError, Asked};
use crate::AppState;
use crate::kernel::pages::Snapshot;
use crate::kernel::site::Site;
use crate::kernel::views;

/// `GET /wp/v2/posts`: published articles, newest first, narrowed by any of `categories`,
/// `tags`, `author`, `include`, `before`, `after`, `sticky`, `slug` and `search` together,
/// in the order of `orderby` and `order`. Other statuses (`status=draft,pending`) are for
/// those signed in who may edit: editors see everyone's, others their own.
pub(crate) async fn list_posts(
    State(state): State<AppState>,
    Snapshot(site): Snapshot,
    asked: Asked,
) -> Result<Response, ApiError> {
    let params = &asked.params;
    let mut problems = Vec::new();
    let paging = Paging::of(params, &mut problems);
    let mut query = ArticleQuery {
        sections: ids(params, "categories", &mut problems)
            .into_iter()
            .map(SectionId)
            .collect(),
        tags: ids(params, "tags", &mut problems)
            .into_iter()
            .map(TagId)
            .collect(),
        authors: ids(params, "author", &mut problems)
            .into_iter()
            .map(PersonId)
            .collect(),
        ids: ids(params, "include", &mut problems)
            .into_iter()
            .map(ArticleId)
            .collect(),
        ..ArticleQuery::default()
    };
    (query.after, query.before) = date_bounds(&site, params, &mut problems);
    match params.get("sticky") {
        None => {}
        Some("true" | "1") => query.sticky = Some(true),
        Some("false" | "0") => query.sticky = Some(false),
        Some(_) => problems.push((
            "sticky".to_owned(),
            "sticky is not of type boolean.".to_owned(),
        )),
    }
    let relevance = order(params, &mut query, &mut problems);
    query.statuses = statuses(params, &mut problems);
    if !problems.is_empty() {
        return Err(ApiError::invalid_params(problems));
    }
    let edit = params.get("context") == Some("edit");
    if edit || query.statuses.iter().any(|s| *s != Status::Published) {
        let person = super::write::person(&state, &asked).await?.ok_or_else(|| {
            if edit {
                ApiError::forbidden_context(false)
            } else {
                ApiError::invalid_params(vec![(
                    "status".to_owned(),
                    "Status is forbidden.".to_owned(),
                )])
            }
        })?;
        // Only what the person may edit is listed: for all but editors, their own work.
        if !person
            .role
            .can(gazette_core::Capability::EditOthersArticles)
        {
            query.authors = vec![person.id];
        }
    }
    let origin = asked.origin(&state).await;
    let (articles, total) = select(&state, params, query, relevance, paging).await?;
    let url = format!("{origin}/wp-json/wp/v2/posts");
    let headers = paging.headers(total, &url, params)?;
    let mut body: Vec<Value> = articles
        .iter()
        .map(|a| post_json(&site, &origin, a, edit))
        .collect();
    super::embed::embed_posts(&state, &site, &origin, params, &articles, &mut body).await?;
    Ok((headers, Json(Value::Array(body))).into_response())
}

/// One page of the articles `query`, `slug` and `search` select, and how many they select.
async fn select(
    state: &AppState,
    params: &Params,
    mut query: ArticleQuery,
    relevance: bool,
    paging: Paging,
) -> Result<(Vec<Article>, u64), ApiError> {
    if let Some(slug) = params.get("slug") {
        let found = match gazette_core::Slug::parse(slug) {
            Ok(slug) => state.store().article_by_slug(&slug).await?,
            Err(_) => None,
        };
        narrow(&mut query, found.map(|a| a.id).into_iter().collect());
    }
    if let Some(text) = params.get("search").filter(|s| !s.trim().is_empty()) {
        let found =
            super::post_search::search_posts(state, text, &query, relevance, paging).await?;
        return Ok((found.articles, found.total));
    }
    let listing = state
        .store()
        .query_articles(&query, paging.skip(), paging.per_page)
        .await?;
    Ok((listing.articles, listing.total))
}

/// Reads `orderby` and `order` into the query; whether a search is to be sorted by
/// relevance. As in WordPress, that is only when `orderby=relevance` says so: a search is
/// sorted by date by default, and `order` does not turn relevance around.
fn order(params: &Params, query: &mut ArticleQuery, problems: &mut Vec<(String, String)>) -> bool {
    query.order_by = match params.get("orderby") {
        None | Some("date") => ArticleOrder::Published,
        Some("modified") => ArticleOrder::Modified,
        Some("id") => ArticleOrder::Id,
        Some("title") => ArticleOrder::Headline,
        Some("slug") => ArticleOrder::Slug,
        Some("relevance") if params.get("search").is_some() => ArticleOrder::Published,
        Some(_) => {
            problems.push((
                "orderby".to_owned(),
                "orderby is not one of date, modified, id, title, slug and relevance (with search)."
                    .to_owned(),
            ));
            ArticleOrder::Published
        }
    };
    query.ascending = ascending(params, problems);
    params.get("orderby") == Some("relevance")
}

/// `status=publish,draft`: the statuses asked for (published when none).
fn statuses(params: &Params, problems: &mut Vec<(String, String)>) -> Vec<Status> {
    let Some(list) = params.get("status") else {
        return vec![Status::Published];
    };
    let mut statuses = Vec::new();
    for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        if name == "any" {
            statuses.extend(Status::ALL.into_iter().filter(|s| *s != Status::Trashed));
        } else if let Some(status) = parse_status(name) {
            statuses.push(status);
        } else {
            problems.push((
                "status".to_owned(),
                format!("status[0] is not one of publish, future, draft, pending, private, trash and any ({name})."),
            ));
        }
    }
    statuses.sort_by_key(|s| s.as_str());
    statuses.dedup();
    if statuses.is_empty() {
        statuses.push(Status::Published);
    }
    statuses
}

/// `GET /wp/v2/posts/{id}`: a published post for anyone; any post, and `context=edit`, for
/// those who may edit it.
pub(crate) async fn one_post(
    State(state): State<AppState>,
    Snapshot(site): Snapshot,
    Path(id): Path<String>,
    asked: Asked,
) -> Result<Json<Value>, ApiError> {
    let id: i64 = super::path_id(&id)?;
    let article = state
        .store()
        .article(ArticleId(id))
        .await?
        .ok_or_else(invalid_post_id)?;
    let person = super::write::person(&state, &asked).await?;
    let signed_in = person.is_some();
    let editor = person.filter(|p| gazette_core::desk::may_edit(p, &article));
    let edit = asked.params.get("context") == Some("edit");
    if edit && editor.is_none() {
        return Err(ApiError::forbidden_context(signed_in));
    }
    if !is_public(&article) && editor.is_none() {
        return Err(ApiError::forbidden(signed_in));
    }
    let origin = asked.origin(&state).await;
    let mut body = [post_json(&site, &origin, &article, edit)];
    // `password=…` opens a protected post, as the form on its page does.
    if let (Some(given), Some(password)) = (asked.params.get("password"), &article.password) {
        if given != password {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "rest_post_incorrect_password",
                "Incorrect post password.",
            ));
        }
        body[0]["content"]["rendered"] = json!(article.body_html.as_str());
        body[0]["excerpt"]["rendered"] = json!(paragraph(summary(&article)));
    }
    let articles = std::slice::from_ref(&article);
    super::embed::embed_posts(&state, &site, &origin, &asked.params, articles, &mut body).await?;
    let [body] = body;
    Ok(Json(body))
}

fn is_public(article: &Article) -> bool {
    article.status.is_public()
}

/// An article as WordPress's post, in the `view` context.
pub(super) fn post_json(site: &Site, origin: &str, article: &Article, edit: bool) -> Value {
    let id = article.id.0;
    let link = format!("{origin}{}", views::article_url(site, article));
    let published = article.published_at.unwrap_or(article.created_at);
    let protected = article.password.is_some();
    let (content, excerpt) = if protected && !edit {
        (String::new(), String::new())
    } else {
        (
            article.body_html.as_str().to_owned(),
            paragraph(summary(article)),
        )
    };
    let categories: Vec<i64> = article.sections().map(|s| s.0).collect();
    let tags: Vec<i64> = article.tags.iter().map(|t| t.0).collect();
    let author = article.authors.first().map_or(0, |a| a.0);
    let mut json = json!({
        "id": id,
        "date": local(site, published),
        "date_gmt": gmt(published),
        "guid": { "rendered": article.legacy_guid.clone().unwrap_or_else(|| format!("{origin}/?p={id}")) },
        "modified": local(site, article.updated_at),
        "modified_gmt": gmt(article.updated_at),
        "slug": article.slug.as_str(),
        "status": status_name(article.status),
        "type": "post",
        "link": link,
        "title": { "rendered": gazette_render::escape_html(&article.headline) },
        "content": { "rendered": content, "protected": protected },
        "excerpt": { "rendered": excerpt, "protected": protected },
        "author": author,
        "featured_media": article.featured_image.as_ref().and_then(|i| i.media).map_or(0, |m| m.0),
        "comment_status": if article.comments_open { "open" } else { "closed" },
        "ping_status": "closed",
        "sticky": article.sticky,
        "template": "",
        "format": "standard",
        "meta": [],
        "categories": categories,
        "tags": tags,
        "_links": {
            "self": [{ "href": format!("{origin}/wp-json/wp/v2/posts/{id}") }],
            "collection": [{ "href": format!("{origin}/wp-json/wp/v2/posts") }],
            "about": [{ "href": format!("{origin}/wp-json/wp/v2/types/post") }],
            "author": [{ "embeddable": true, "href": format!("{origin}/wp-json/wp/v2/users/{author}") }],
            "replies": [{ "embeddable": true, "href": format!("{origin}/wp-json/wp/v2/comments?post={id}") }],
            "version-history": [{ "href": format!("{origin}/wp-json/wp/v2/posts/{id}/revisions") }],
            "wp:term": [
                { "taxonomy": "category", "embeddable": true, "href": format!("{origin}/wp-json/wp/v2/categories?post={id}") },
                { "taxonomy": "post_tag", "embeddable": true, "href": format!("{origin}/wp-json/wp/v2/tags?post={id}") },
            ],
            "curies": [{ "name": "wp", "href": "https://api.w.org/{rel}", "templated": true }],
        },
    });
    if let Some(media) = article.featured_image.as_ref().and_then(|i| i.media) {
        json["_links"]["wp:featuredmedia"] = json!([{
            "embeddable": true,
            "href": format!("{origin}/wp-json/wp/v2/media/{}", media.0),
        }]);
    }
    if edit {
        json["guid"]["raw"] = json["guid"]["rendered"].clone();
        json["title"]["raw"] = json!(article.headline);
        json["content"]["raw"] = json!(article.body_source);
        // Gazette's articles are not made of blocks.
        json["content"]["block_version"] = json!(0);
        json["excerpt"]["raw"] = json!(article.excerpt);
        json["password"] = json!(article.password.clone().unwrap_or_default());
        json["generated_slug"] =
            json!(gazette_core::Slug::from_headline(&article.headline).as_str());
        json["permalink_template"] = json!(link);
    }
    json
}

/// What stands for the article in lists: its excerpt, or else its standfirst.
fn summary(article: &Article) -> &str {
    if article.excerpt.is_empty() {
        &article.standfirst
    } else {
        &article.excerpt
    }
}
