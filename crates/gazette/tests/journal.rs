//! The public journal over HTTP on both backends: every page kind of the URL contract, the
//! page cache's headers and invalidation, scheduled publishing, bad input, and the metrics
//! endpoint. Validity and accessibility are checked in `quality.rs`.
//!
//! The tests are in one module per topic; the helpers they share are here.

use gazette_core::{Article, Status};
use gazette_store::{ArticleFilter, NewArticle, Store};
use gazette_testkit::TestApp;

use crate::eventually;
use jiff::Timestamp;

#[path = "journal/cache.rs"]
mod cache;
#[path = "journal/invalidation.rs"]
mod invalidation;
#[path = "journal/pages.rs"]
mod pages;
#[path = "journal/scheduling.rs"]
mod scheduling;
#[path = "journal/site.rs"]
mod site;
#[path = "journal/visibility.rs"]
mod visibility;

fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

async fn newest(store: &Store, filter: ArticleFilter) -> Article {
    let listing = store.published_articles(&filter, 0, 1).await.unwrap();
    listing
        .articles
        .into_iter()
        .next()
        .expect("a published article")
}

/// Saves an article the way the newsroom will, with a rendered body.
async fn insert(app: &TestApp, headline: &str, status: Status, at: Timestamp) -> Article {
    let body = "A first paragraph.\n\n> “A quote worth reading,” she said.\n\nA last paragraph.";
    let mut new = NewArticle::draft(
        headline,
        body,
        gazette_render::render_body(gazette_core::BodyFormat::Markdown, body),
        gazette_render::RENDER_VERSION,
    );
    new.status = status;
    new.published_at = Some(at);
    new.standfirst = format!("The standfirst of {headline}.");
    app.store
        .write(|tx| Box::pin(async move { tx.insert_article(new).await }))
        .await
        .unwrap()
}

async fn save(app: &TestApp, article: Article) -> Article {
    app.store
        .write(|tx| Box::pin(async move { tx.update_article(&article).await }))
        .await
        .unwrap()
}
