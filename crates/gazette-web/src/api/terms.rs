//! `/wp/v2/categories`, `/wp/v2/tags` and `/wp/v2/users`: sections, tags and the people with
//! bylines, in WordPress's shapes. Users are the journal's authors as readers see them: no
//! email, no role.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use gazette_core::{PersonId, SectionId, TagId};
use serde_json::{Value, json};

use super::collection::{Paging, Params};
use super::{ApiError, Asked};
use crate::AppState;
use crate::kernel::pages::Snapshot;
use crate::kernel::site::Site;

/// `GET /wp/v2/categories`.
pub(crate) async fn list_categories(
    State(state): State<AppState>,
    Snapshot(site): Snapshot,
    asked: Asked,
) -> Result<Response, ApiError> {
    may_see_context(&state, &asked).await?;
    let (_, counts) = site.published_counts(state.store()).await?;
    let origin = asked.origin(&state).await;
    let post = post_terms(&state, &asked).await?;
    let sections: Vec<&gazette_core::Section> = site
        .sections_by_name()
        .into_iter()
        .filter(|s| {
            post.as_ref().is_none_or(|a| {
                a.primary_section == Some(s.id) || a.further_sections.contains(&s.id)
            })
        })
        .collect();
    collection(
        sections,
        |s| (&s.name, s.slug.as_str()),
        |s| category_json(&site, &origin, s, counts.get(&s.id).copied()),
        &Listed {
            route: "categories",
            origin: &origin,
            params: &asked.params,
        },
    )
}

/// `context=edit` on categories and tags is for those who manage them (a term has nothing
/// raw to show, so the shape is the same).
async fn may_see_context(state: &AppState, asked: &Asked) -> Result<(), ApiError> {
    if asked.params.get("context") != Some("edit") {
        return Ok(());
    }
    let person = super::write::person(state, asked).await?;
    let manages = person
        .as_ref()
        .is_some_and(|p| p.role.can(gazette_core::Capability::ManageSectionsAndTags));
    if manages {
        Ok(())
    } else {
        Err(ApiError::forbidden_context(person.is_some()))
    }
}

/// `post=ID`: the published post whose terms alone are listed (the `wp:term` links of a
/// post); None without the parameter.
async fn post_terms(
    state: &AppState,
    asked: &Asked,
) -> Result<Option<gazette_core::Article>, ApiError> {
    let Some(id) = asked.params.get("post") else {
        return Ok(None);
    };
    let id = id.trim().parse::<i64>().map_err(|_| {
        ApiError::invalid_params(vec![(
            "post".to_owned(),
            "post is not of type integer.".to_owned(),
        )])
    })?;
    let article = state
        .store()
        .article(gazette_core::ArticleId(id))
        .await?
        .filter(|a| a.status.is_public())
        .ok_or_else(super::values::invalid_post_id)?;
    Ok(Some(article))
}

/// `GET /wp/v2/categories/{id}`.
pub(crate) async fn one_category(
    State(state): State<AppState>,
    Snapshot(site): Snapshot,
    Path(id): Path<String>,
    asked: Asked,
) -> Result<Json<Value>, ApiError> {
    may_see_context(&state, &asked).await?;
    let id = SectionId(super::path_id(&id)?);
    let section = site.section(id).ok_or_else(invalid_term)?;
    let (_, counts) = site.published_counts(state.store()).await?;
    let origin = asked.origin(&state).await;
    Ok(Json(category_json(
        &site,
        &origin,
        section,
        counts.get(&id).copied(),
    )))
}

/// `GET /wp/v2/tags`.
pub(crate) async fn list_tags(
    State(state): State<AppState>,
    Snapshot(site): Snapshot,
    asked: Asked,
) -> Result<Response, ApiError> {
    may_see_context(&state, &asked).await?;
    let (counts, _) = site.published_counts(state.store()).await?;
    let origin = asked.origin(&state).await;
    let post = post_terms(&state, &asked).await?;
    let tags: Vec<&gazette_core::Tag> = site
        .tags_by_name()
        .into_iter()
        .filter(|t| post.as_ref().is_none_or(|a| a.tags.contains(&t.id)))
        .collect();
    collection(
        tags,
        |t| (&t.name, t.slug.as_str()),
        |t| tag_json(&origin, t, counts.get(&t.id).copied()),
        &Listed {
            route: "tags",
            origin: &origin,
            params: &asked.params,
        },
    )
}

/// `GET /wp/v2/tags/{id}`.
pub(crate) async fn one_tag(
    State(state): State<AppState>,
    Snapshot(site): Snapshot,
    Path(id): Path<String>,
    asked: Asked,
) -> Result<Json<Value>, ApiError> {
    may_see_context(&state, &asked).await?;
    let id = TagId(super::path_id(&id)?);
    let tag = site.tag(id).ok_or_else(invalid_term)?;
    let (counts, _) = site.published_counts(state.store()).await?;
    let origin = asked.origin(&state).await;
    Ok(Json(tag_json(&origin, tag, counts.get(&id).copied())))
}

/// `GET /wp/v2/users`: the journal's authors.
pub(crate) async fn list_users(
    State(state): State<AppState>,
    Snapshot(site): Snapshot,
    asked: Asked,
) -> Result<Response, ApiError> {
    let origin = asked.origin(&state).await;
    collection(
        site.authors_by_name(),
        |(_, author)| (&author.name, author.slug.as_str()),
        |(id, author)| user_json(&site, &origin, id, author),
        &Listed {
            route: "users",
            origin: &origin,
            params: &asked.params,
        },
    )
}

/// `GET /wp/v2/users/{id}`.
pub(crate) async fn one_user(
    State(state): State<AppState>,
    Snapshot(site): Snapshot,
    Path(id): Path<String>,
    asked: Asked,
) -> Result<Json<Value>, ApiError> {
    let id = PersonId(super::path_id(&id)?);
    let author = site.public_author(id).ok_or_else(|| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "rest_user_invalid_id",
            "Invalid user ID.",
        )
    })?;
    let origin = asked.origin(&state).await;
    Ok(Json(user_json(&site, &origin, id, author)))
}

/// `GET /wp/v2/users/me`: the person the application password belongs to.
pub(crate) async fn me(
    State(state): State<AppState>,
    Snapshot(site): Snapshot,
    asked: Asked,
) -> Result<Json<Value>, ApiError> {
    let person = super::write::person(&state, &asked).await?.ok_or_else(|| {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "rest_not_logged_in",
            "You are not currently logged in.",
        )
    })?;
    let origin = asked.origin(&state).await;
    let author = crate::kernel::site::Author {
        name: person.display_name.clone(),
        slug: person.slug.clone(),
        bio: person.bio.clone(),
        profile: Default::default(),
        public: site.public_author(person.id).is_some(),
    };
    let mut json = user_json(&site, &origin, person.id, &author);
    // What the person may see of their own account, as WordPress shows it to a client
    // deciding what to offer them.
    if asked.params.get("context") == Some("edit") {
        json["username"] = json!(person.slug.as_str());
        json["email"] = json!(person.email.as_str());
        json["roles"] = json!([person.role.as_str()]);
        json["registered_date"] = json!(
            person
                .created_at
                .strftime("%Y-%m-%dT%H:%M:%S+00:00")
                .to_string()
        );
        json["locale"] = json!(site.publication.language.as_str().replace('-', "_"));
        json["capabilities"] = wordpress_capabilities(person.role);
        json["extra_capabilities"] = json!({ person.role.as_str(): true });
    }
    Ok(Json(json))
}

/// A role's rights under WordPress's names for them, which clients check before offering an
/// action (`publish_posts`, `upload_files`…).
fn wordpress_capabilities(role: gazette_core::Role) -> Value {
    use gazette_core::Capability::*;
    let names: &[(gazette_core::Capability, &[&str])] = &[
        (WriteOwnDrafts, &["read", "edit_posts", "delete_posts"]),
        (
            PublishOwnArticles,
            &[
                "publish_posts",
                "edit_published_posts",
                "delete_published_posts",
            ],
        ),
        (UploadMedia, &["upload_files"]),
        (
            EditOthersArticles,
            &[
                "edit_others_posts",
                "delete_others_posts",
                "read_private_posts",
            ],
        ),
        (PublishOthersArticles, &["edit_private_posts"]),
        (
            ManageSectionsAndTags,
            &[
                "manage_categories",
                "edit_pages",
                "publish_pages",
                "delete_pages",
            ],
        ),
        (ModerateComments, &["moderate_comments"]),
        (UnfilteredHtml, &["unfiltered_html"]),
        (ManagePeople, &["list_users", "create_users", "edit_users"]),
        (ManageSettings, &["manage_options"]),
    ];
    let mut capabilities = serde_json::Map::new();
    for (capability, wordpress) in names {
        if role.can(*capability) {
            for name in *wordpress {
                capabilities.insert((*name).to_owned(), Value::Bool(true));
            }
        }
    }
    capabilities.insert(role.as_str().to_owned(), Value::Bool(true));
    Value::Object(capabilities)
}

/// Where a list of terms or people is answered.
struct Listed<'a> {
    /// Under `/wp-json/wp/v2/`.
    route: &'a str,
    origin: &'a str,
    params: &'a Params,
}

/// One page of `items` (in the order given) that `slug` and `search` keep, with the
/// collection headers. `names` gives an item's name and slug; only the page is made JSON.
fn collection<T>(
    items: Vec<T>,
    names: impl Fn(&T) -> (&str, &str),
    to_json: impl Fn(T) -> Value,
    listed: &Listed<'_>,
) -> Result<Response, ApiError> {
    let params = listed.params;
    let mut problems = Vec::new();
    let paging = Paging::of(params, &mut problems);
    if !problems.is_empty() {
        return Err(ApiError::invalid_params(problems));
    }
    let search = params.get("search").map(|s| s.trim().to_lowercase());
    let kept: Vec<T> = items
        .into_iter()
        .filter(|item| {
            let (name, slug) = names(item);
            params.get("slug").is_none_or(|wanted| slug == wanted)
                && search
                    .as_ref()
                    .is_none_or(|text| name.to_lowercase().contains(text))
        })
        .collect();
    let url = format!("{}/wp-json/wp/v2/{}", listed.origin, listed.route);
    let headers = paging.headers(kept.len() as u64, &url, params)?;
    let page: Vec<Value> = paging.page(kept).map(to_json).collect();
    Ok((headers, Json(Value::Array(page))).into_response())
}

pub(super) fn invalid_term() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "rest_term_invalid",
        "Term does not exist.",
    )
}

pub(super) fn category_json(
    site: &Site,
    origin: &str,
    section: &gazette_core::Section,
    count: Option<u64>,
) -> Value {
    let id = section.id.0;
    json!({
        "id": id,
        "count": count.unwrap_or(0),
        "description": section.description,
        "link": format!("{origin}{}", site.section_url(section.id)),
        "name": section.name,
        "slug": section.slug.as_str(),
        "taxonomy": "category",
        "parent": section.parent.map_or(0, |p| p.0),
        "meta": [],
        "_links": {
            "self": [{ "href": format!("{origin}/wp-json/wp/v2/categories/{id}") }],
            "collection": [{ "href": format!("{origin}/wp-json/wp/v2/categories") }],
            "about": [{ "href": format!("{origin}/wp-json/wp/v2/taxonomies/category") }],
            "wp:post_type": [{ "href": format!("{origin}/wp-json/wp/v2/posts?categories={id}") }],
            "curies": [{ "name": "wp", "href": "https://api.w.org/{rel}", "templated": true }],
        },
    })
}

pub(super) fn tag_json(origin: &str, tag: &gazette_core::Tag, count: Option<u64>) -> Value {
    let id = tag.id.0;
    json!({
        "id": id,
        "count": count.unwrap_or(0),
        "description": tag.description,
        "link": format!("{origin}/tag/{}/", tag.slug),
        "name": tag.name,
        "slug": tag.slug.as_str(),
        "taxonomy": "post_tag",
        "meta": [],
        "_links": {
            "self": [{ "href": format!("{origin}/wp-json/wp/v2/tags/{id}") }],
            "collection": [{ "href": format!("{origin}/wp-json/wp/v2/tags") }],
            "about": [{ "href": format!("{origin}/wp-json/wp/v2/taxonomies/post_tag") }],
            "wp:post_type": [{ "href": format!("{origin}/wp-json/wp/v2/posts?tags={id}") }],
            "curies": [{ "name": "wp", "href": "https://api.w.org/{rel}", "templated": true }],
        },
    })
}

pub(super) fn user_json(
    site: &Site,
    origin: &str,
    id: PersonId,
    author: &crate::kernel::site::Author,
) -> Value {
    json!({
        "id": id.0,
        "name": author.name,
        "url": "",
        "description": author.bio,
        // WordPress links every user to their archive; one readers cannot look up links home.
        "link": format!("{origin}{}", author.archive_path().unwrap_or_else(|| "/".to_owned())),
        "slug": author.slug.as_str(),
        "avatar_urls": super::comment_json::avatar_urls(site, origin, &format!("person:{}", author.slug)),
        "meta": [],
        "_links": {
            "self": [{ "href": format!("{origin}/wp-json/wp/v2/users/{}", id.0) }],
            "collection": [{ "href": format!("{origin}/wp-json/wp/v2/users") }],
        },
    })
}
