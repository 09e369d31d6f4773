//! Finding what a public address names, for every surface that answers public addresses (the
//! pages, and the feeds of an article's comments).

use gazette_core::{Article, ArticleId, Slug};
use gazette_store::StoreError;

use crate::AppState;
use crate::kernel::site::Site;

/// The article `raw_path` names under the publication's permalink pattern, published or not.
pub(crate) async fn find_article(
    state: &AppState,
    site: &Site,
    raw_path: &str,
) -> Result<Option<Article>, StoreError> {
    let Some(found) = site.publication.permalink.matches(raw_path) else {
        return Ok(None);
    };
    if let Some(id) = found.post_id {
        return state.store().article(ArticleId(id)).await;
    }
    let Some(slug) = found.postname.and_then(|s| Slug::parse(s.as_str()).ok()) else {
        return Ok(None);
    };
    state.store().article_by_slug(&slug).await
}
