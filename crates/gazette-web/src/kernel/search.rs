//! What readers may find by searching, and how an article looks to the search index: the rules
//! the search page, the API's search, related articles and the node's indexer all follow.

use gazette_core::{Article, Status};

/// What a search article looks like to the index, from the store's article and the names the
/// search should also match (authors, sections, tags).
pub fn indexed_article(article: &Article, names: Vec<String>) -> gazette_search::IndexedArticle {
    gazette_search::IndexedArticle {
        id: article.id.0,
        headline: article.headline.clone(),
        standfirst: article.standfirst.clone(),
        body: gazette_render::plain_text(&article.body_html),
        names,
        sections: article.sections().map(|id| id.0).collect(),
        tags: article.tags.iter().map(|id| id.0).collect(),
        authors: article.authors.iter().map(|id| id.0).collect(),
        published: article.published_at.unwrap_or(article.created_at),
    }
}

/// Whether readers may find `article` by searching.
pub fn is_searchable(article: &Article) -> bool {
    article.status == Status::Published && article.password.is_none()
}
