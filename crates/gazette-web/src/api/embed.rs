//! `_embed`: a post with what its `_links` mark embeddable (its author, its categories and
//! tags, its featured image and its comments) inside `_embedded`, saving a client the
//! requests. `_embed=author,wp:term` embeds only those. Embedded items have the same shape
//! as when read on their own.

use std::collections::HashMap;

use gazette_core::{Article, ArticleId, Comment, MediaId};
use serde_json::{Value, json};

use super::ApiError;
use super::collection::Params;
use super::comment_json::comment_json;
use super::media::media_json;
use super::terms::{category_json, tag_json, user_json};
use crate::AppState;
use crate::kernel::site::Site;

/// The most comments embedded under one post.
const MOST_REPLIES: u64 = 100;

/// The newest comments under each of `articles` that readers may see (none under a
/// protected post), for the whole page in one store query rather than one per post.
async fn replies_of(
    state: &AppState,
    articles: &[Article],
) -> Result<HashMap<ArticleId, Vec<Comment>>, ApiError> {
    let open: Vec<ArticleId> = articles
        .iter()
        .filter(|a| a.password.is_none())
        .map(|a| a.id)
        .collect();
    Ok(state
        .store()
        .recent_public_comments_of(&open, MOST_REPLIES)
        .await?)
}

/// Which relations `_embed` asks for; None when it is absent.
fn wanted(params: &Params) -> Option<Vec<String>> {
    let value = params.get("_embed")?;
    Some(
        value
            .split(',')
            .map(str::trim)
            .filter(|rel| !rel.is_empty() && !matches!(*rel, "1" | "true"))
            .map(str::to_owned)
            .collect(),
    )
}

/// Adds `_embedded` to each post's JSON (`items`, in the order of `articles`) when the
/// request asks for it.
pub(super) async fn embed_posts(
    state: &AppState,
    site: &Site,
    origin: &str,
    params: &Params,
    articles: &[Article],
    items: &mut [Value],
) -> Result<(), ApiError> {
    let Some(rels) = wanted(params) else {
        return Ok(());
    };
    let wants = |rel: &str| rels.is_empty() || rels.iter().any(|r| r == rel);
    let (tag_counts, section_counts) = site.published_counts(state.store()).await?;
    let media_ids: Vec<MediaId> = articles
        .iter()
        .filter_map(|a| a.featured_image.as_ref().and_then(|i| i.media))
        .collect();
    let media = if wants("wp:featuredmedia") && !media_ids.is_empty() {
        state.store().media_by_ids(&media_ids).await?
    } else {
        Vec::new()
    };
    let replies = if wants("replies") {
        replies_of(state, articles).await?
    } else {
        HashMap::new()
    };
    for (article, item) in articles.iter().zip(items.iter_mut()) {
        let mut embedded = serde_json::Map::new();
        if wants("author") {
            let authors: Vec<Value> = article
                .authors
                .first()
                .and_then(|id| {
                    site.public_author(*id)
                        .map(|a| user_json(site, origin, *id, a))
                })
                .into_iter()
                .collect();
            embedded.insert("author".into(), Value::Array(authors));
        }
        if wants("wp:term") {
            let categories: Vec<Value> = article
                .sections()
                .filter_map(|id| site.section(id))
                .map(|s| category_json(site, origin, s, section_counts.get(&s.id).copied()))
                .collect();
            let article_tags: Vec<Value> = article
                .tags
                .iter()
                .filter_map(|id| site.tag(*id))
                .map(|t| tag_json(origin, t, tag_counts.get(&t.id).copied()))
                .collect();
            embedded.insert("wp:term".into(), json!([categories, article_tags]));
        }
        let featured = article.featured_image.as_ref().and_then(|i| i.media);
        if let Some(found) = featured.and_then(|id| media.iter().find(|m| m.id == id)) {
            embedded.insert(
                "wp:featuredmedia".into(),
                json!([media_json(site, origin, found, false)]),
            );
        }
        if let Some(comments) = replies.get(&article.id) {
            let replies: Vec<Value> = comments
                .iter()
                .map(|c| comment_json(site, origin, c, Some(article), false))
                .collect();
            embedded.insert("replies".into(), json!([replies]));
        }
        if let Value::Object(fields) = item {
            fields.insert("_embedded".into(), Value::Object(embedded));
        }
    }
    Ok(())
}
