//! Sitemaps over HTTP on both backends: every public address listed once with its `lastmod` and
//! nothing private, the news sitemap's two-day window honoured by the page cache, and
//! `robots.txt` pointing at both. Where xmllint is configured the index and every child sitemap
//! are validated too (the sitemaps.org `sitemap.xsd` for urlsets, our own XSDs for the index and
//! the Google News elements); without it the rest is still checked.

use std::collections::BTreeSet;
use std::path::PathBuf;

use gazette_core::{Clock as _, Publication, Slug};
use gazette_store::ArticleFilter;
use gazette_testkit::feed_validators::{sitemap_xsd, xsd_errors};
use gazette_testkit::{Backend, TestApp, TestOptions};

gazette_testkit::on_both_backends!(
    the_index_lists_every_public_address_once,
    the_news_sitemap_keeps_to_the_last_two_days,
    a_monthly_sitemap_follows_writes_this_node_never_heard_of,
);

const BASE: &str = "https://journal.example";

fn schema(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("tests/schemas/{name}"))
}

async fn app(backend: Backend) -> Option<TestApp> {
    app_with(backend, TestOptions::default()).await
}

async fn app_with(backend: Backend, options: TestOptions) -> Option<TestApp> {
    let publication = Publication {
        base_url: Some(BASE.parse().unwrap()),
        ..Publication::sample()
    };
    TestApp::spawn_with(
        backend,
        TestOptions {
            demo: true,
            publication: Some(publication),
            ..options
        },
    )
    .await
}

/// The text of every `<tag>` element.
fn all(xml: &str, tag: &str) -> Vec<String> {
    let open = format!("<{tag}>");
    let close = format!("</{tag}>");
    xml.match_indices(&open)
        .map(|(at, _)| {
            let start = at + open.len();
            let end = xml[start..].find(&close).unwrap() + start;
            xml[start..end].replace("&amp;", "&")
        })
        .collect()
}

fn path_of(url: &str) -> &str {
    url.strip_prefix(BASE)
        .unwrap_or_else(|| panic!("{url} is under {BASE}"))
}

/// Validates a urlset against the sitemaps.org schema where xmllint and the schema are
/// configured.
fn validate_urlset(name: &str, xml: &str, with_news: bool) {
    let Some(sitemap) = sitemap_xsd() else {
        return;
    };
    // xmllint takes one schema: a small one that imports the official urlset schema and, for
    // the news sitemap, our schema of Google's news elements.
    let dir = tempfile::tempdir().unwrap();
    let news = if with_news {
        format!(
            r#"<xsd:import namespace="http://www.google.com/schemas/sitemap-news/0.9" schemaLocation="{}"/>"#,
            schema("news.xsd").display()
        )
    } else {
        String::new()
    };
    let wrapper = dir.path().join("all.xsd");
    std::fs::write(
        &wrapper,
        format!(
            r#"<?xml version="1.0"?><xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema"><xsd:import namespace="http://www.sitemaps.org/schemas/sitemap/0.9" schemaLocation="{}"/>{news}</xsd:schema>"#,
            sitemap.display()
        ),
    )
    .unwrap();
    if let Some(errors) = xsd_errors(xml, &wrapper) {
        assert!(errors.is_empty(), "{name}: {errors:#?}\n{xml}");
    }
}

async fn the_index_lists_every_public_address_once(backend: Backend) {
    let Some(app) = app(backend).await else {
        return;
    };
    let index = app.get("/sitemap.xml").await;
    assert_eq!(index.status(), 200);
    assert_eq!(
        index.headers()["content-type"],
        "application/xml; charset=utf-8"
    );
    let index = index.text().await.unwrap();
    if let Some(errors) = xsd_errors(&index, &schema("sitemapindex.xsd")) {
        assert!(errors.is_empty(), "{errors:#?}\n{index}");
    }
    assert_eq!(
        all(&index, "lastmod").len(),
        all(&index, "loc").len(),
        "every child has a lastmod"
    );

    let mut listed = Vec::new();
    for child in all(&index, "loc") {
        let (status, xml) = app.get_text(path_of(&child)).await;
        assert_eq!(status, 200, "{child}");
        validate_urlset(&child, &xml, false);
        let locs = all(&xml, "loc");
        assert_eq!(all(&xml, "lastmod").len(), locs.len(), "{child}: lastmods");
        assert!(
            !locs.is_empty(),
            "{child} is listed only when it has addresses"
        );
        listed.extend(locs);
    }
    let unique: BTreeSet<&String> = listed.iter().collect();
    assert_eq!(unique.len(), listed.len(), "each address once");

    let articles = app
        .store
        .published_articles(&ArticleFilter::All, 0, 1000)
        .await
        .unwrap()
        .articles;
    for article in &articles {
        let url = format!("{BASE}{}", app.published_path(article.id).await);
        assert!(unique.contains(&url), "{url} is listed");
    }
    for expected in [
        format!("{BASE}/"),
        format!("{BASE}/about/"),
        format!("{BASE}/category/world/"),
        format!("{BASE}/category/world/europe/"),
        format!("{BASE}/tag/climate/"),
        format!("{BASE}/author/amara-okafor/"),
    ] {
        assert!(unique.contains(&expected), "{expected} in {unique:#?}");
    }
    // Every listed address is a page that answers, not a redirect.
    for url in &unique {
        assert_eq!(app.get(path_of(url)).await.status(), 200, "{url}");
    }

    // A draft is not listed; its month sitemap does not exist while empty.
    let http = app.admin_client().await;
    app.write_article(
        &http,
        &[
            ("headline", "Not yet"),
            ("body", "Draft."),
            ("action", "save"),
        ],
    )
    .await;
    app.caught_up().await;
    let (_, again) = app.get_text("/sitemap.xml").await;
    assert_eq!(again, index, "a draft changes nothing");
    assert_eq!(app.get("/sitemap-articles-1999-01.xml").await.status(), 404);
    assert_eq!(app.get("/sitemap-tags-2.xml").await.status(), 404);

    let (_, robots) = app.get_text("/robots.txt").await;
    assert!(
        robots.ends_with(&format!(
            "\nSitemap: {BASE}/sitemap.xml\nSitemap: {BASE}/news-sitemap.xml\n"
        )),
        "{robots}"
    );
}

async fn the_news_sitemap_keeps_to_the_last_two_days(backend: Backend) {
    let Some(app) = app(backend).await else {
        return;
    };
    let articles = app
        .store
        .published_articles(&ArticleFilter::All, 0, 1000)
        .await
        .unwrap()
        .articles;
    let now = app.clock.now();
    let two_days = jiff::SignedDuration::from_hours(48);
    let recent: Vec<_> = articles
        .iter()
        .filter(|a| a.published_at.unwrap() > now - two_days)
        .collect();
    assert!(
        recent.len() >= 2 && recent.len() < articles.len(),
        "the demo has articles on both sides of the window"
    );

    let (status, news) = app.get_text("/news-sitemap.xml").await;
    assert_eq!(status, 200);
    validate_urlset("news", &news, true);
    assert_eq!(all(&news, "news:title").len(), recent.len(), "{news}");
    assert!(news.contains("<news:name>The Gazette Chronicle</news:name>"));
    assert!(news.contains("<news:language>en</news:language>"));

    // No write happens, yet once the oldest listed article is two days old it leaves: the
    // cached copy expires at that moment.
    let oldest = recent.iter().filter_map(|a| a.published_at).min().unwrap();
    app.clock
        .set(oldest + two_days + jiff::SignedDuration::from_secs(1));
    let (_, later) = app.get_text("/news-sitemap.xml").await;
    assert_eq!(all(&later, "news:title").len(), recent.len() - 1, "{later}");
}

/// A node keeps each month's addresses between renders (even with page caching off) until the
/// store says the month changed: a write this node is never told about (another node's, the
/// command line's) still shows on its next render.
async fn a_monthly_sitemap_follows_writes_this_node_never_heard_of(backend: Backend) {
    let options = TestOptions {
        no_page_cache: true,
        ..TestOptions::default()
    };
    let Some(app) = app_with(backend, options).await else {
        return;
    };
    let article = app
        .store
        .published_articles(&ArticleFilter::All, 0, 1)
        .await
        .unwrap()
        .articles
        .remove(0);
    let published = article
        .published_at
        .unwrap()
        .to_zoned(jiff::tz::TimeZone::UTC);
    let month = format!(
        "/sitemap-articles-{}-{:02}.xml",
        published.year(),
        published.month()
    );
    let old_url = format!("{BASE}{}", app.published_path(article.id).await);
    let (status, before) = app.get_text(&month).await;
    assert_eq!(status, 200);
    assert!(all(&before, "loc").contains(&old_url), "{before}");
    let (_, again) = app.get_text(&month).await;
    assert_eq!(again, before, "nothing changed");

    let mut renamed = article.clone();
    renamed.slug = Slug::parse("renamed-elsewhere").unwrap();
    app.store
        .write(|tx| Box::pin(async move { tx.update_article(&renamed).await }))
        .await
        .unwrap();
    let (_, after) = app.get_text(&month).await;
    let locs = all(&after, "loc");
    assert!(!locs.contains(&old_url), "{after}");
    assert!(
        locs.iter().any(|url| url.ends_with("/renamed-elsewhere/")),
        "{after}"
    );
    assert_eq!(locs.len(), all(&before, "loc").len());
}
