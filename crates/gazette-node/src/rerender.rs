//! `gazette render rebuild`: renders stored bodies again from their sources after the
//! renderer improved (a new `gazette_render::RENDER_VERSION`), as every page would show them
//! if they were saved today. Only the rendered HTML changes: sources, `updated_at` and
//! revisions stay as they are.
//!
//! Each body keeps its trust: an article is rendered raw or sanitised as its own flag says
//! (`Article::unfiltered_html`). Pages carry no flag because only editors and administrators
//! write them, whose HTML is theirs, and imports, which are sanitised; so a page the import
//! recorded is sanitised and any other is rendered as written, as its last save rendered it.

use std::collections::HashMap;

use gazette_core::{ArticleId, PageId};
/// The renderer version a rebuild brings bodies up to.
pub use gazette_render::RENDER_VERSION;
use gazette_render::{HtmlPolicy, render_body_as};
use gazette_store::{Store, StoreError, WordPressKind};

/// How many bodies one unit of work rewrites: a long rebuild never holds SQLite's writer for
/// long, and an interrupted one keeps what it finished.
const BATCH: usize = 200;

/// What a rebuild did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Rebuilt {
    pub articles: usize,
    pub pages: usize,
}

/// Renders again every article and page rendered by an older renderer (every one with
/// `all`).
pub async fn rebuild(store: &Store, all: bool) -> Result<Rebuilt, StoreError> {
    let below = (!all).then_some(RENDER_VERSION);
    let articles = rebuild_articles(store, below).await?;
    let pages = rebuild_pages(store, below).await?;
    Ok(Rebuilt { articles, pages })
}

async fn rebuild_articles(store: &Store, below: Option<i32>) -> Result<usize, StoreError> {
    let ids = store.article_ids_to_render(below).await?;
    for chunk in ids.chunks(BATCH) {
        let mut rendered = Vec::with_capacity(chunk.len());
        for article in store.articles_by_ids(chunk).await? {
            let policy = HtmlPolicy::for_trust(article.unfiltered_html);
            let html = render_body_as(article.body_format, &article.body_source, policy);
            rendered.push((article.id, html));
        }
        store
            .write(|tx| {
                Box::pin(async move {
                    for (id, html) in &rendered {
                        tx.set_article_rendering(ArticleId(id.0), html, RENDER_VERSION)
                            .await?;
                    }
                    Ok::<_, StoreError>(())
                })
            })
            .await?;
    }
    Ok(ids.len())
}

async fn rebuild_pages(store: &Store, below: Option<i32>) -> Result<usize, StoreError> {
    let imported: HashMap<i64, i64> = store
        .wordpress_ids_by_gazette_id(WordPressKind::Page)
        .await?;
    let pages: Vec<_> = store
        .pages()
        .await?
        .into_iter()
        .filter(|p| below.is_none_or(|v| p.render_version < v))
        .collect();
    for chunk in pages.chunks(BATCH) {
        let rendered: Vec<(PageId, gazette_core::SafeHtml)> = chunk
            .iter()
            .map(|page| {
                let trusted = !imported.contains_key(&page.id.0);
                let policy = HtmlPolicy::for_trust(trusted);
                (
                    page.id,
                    render_body_as(page.body_format, &page.body_source, policy),
                )
            })
            .collect();
        store
            .write(|tx| {
                Box::pin(async move {
                    for (id, html) in &rendered {
                        tx.set_page_rendering(*id, html, RENDER_VERSION).await?;
                    }
                    Ok::<_, StoreError>(())
                })
            })
            .await?;
    }
    Ok(pages.len())
}
