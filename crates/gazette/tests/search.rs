//! Full-text search over HTTP on both backends: what readers find (stemmed words, phrases,
//! exclusions, names, accents), how results are ranked, filtered, paged and highlighted, that
//! odd queries get a friendly page, that nothing unpublished is ever found, and that the
//! node's index follows every change, survives restarts and corruption, can be rebuilt while
//! the server runs, and supplies each article's related articles.
//!
//! The tests are in one module per topic; the helpers they share are here.

use gazette_core::ArticleId;
use gazette_testkit::TestApp;

#[path = "search/index.rs"]
mod index;
#[path = "search/queries.rs"]
mod queries;
#[path = "search/related.rs"]
mod related;
#[path = "search/visibility.rs"]
mod visibility;

/// The search page for `query`, which must answer 200.
async fn search(app: &TestApp, query: &str) -> String {
    let encoded: String = url::form_urlencoded::byte_serialize(query.as_bytes()).collect();
    search_path(app, &format!("/search/?q={encoded}")).await
}

async fn search_path(app: &TestApp, path: &str) -> String {
    let (status, html) = app.get_text(path).await;
    assert_eq!(status, 200, "GET {path}");
    html
}

/// The headlines of the result cards, in order.
fn headlines(html: &str) -> Vec<String> {
    html.split(r#"<h2 class="card-headline"><a href=""#)
        .skip(1)
        .map(|rest| {
            let start = rest.find('>').unwrap() + 1;
            let end = rest.find("</a>").unwrap();
            rest[start..end]
                .replace("<mark>", "")
                .replace("</mark>", "")
                .replace("&#x27;", "'")
                .replace("’", "'")
        })
        .collect()
}

async fn publish(app: &TestApp, http: &reqwest::Client, fields: &[(&str, &str)]) -> ArticleId {
    let mut all = fields.to_vec();
    all.push(("action", "publish"));
    app.write_article(http, &all).await
}

/// The id of the section with this slug.
async fn section_id(app: &TestApp, slug: &str) -> String {
    let sections = app.store.sections().await.unwrap();
    let section = sections.iter().find(|s| s.slug.as_str() == slug).unwrap();
    section.id.0.to_string()
}
