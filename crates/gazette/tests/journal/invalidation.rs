//! Precise invalidation: each kind of change re-renders every cached page that shows what it
//! changed, and no other. A page re-rendered is one whose request missed the cache.

use gazette_store::ArticleFilter;
use gazette_testkit::{Backend, TestApp};

use super::{newest, save};

gazette_testkit::on_both_backends!(each_change_re_renders_the_pages_showing_it_and_no_other);

/// The pages watched, by role.
struct Pages {
    /// The newest article's page: what the changes below touch.
    article: String,
    /// An article page that lists the newest article among its related ones.
    related: String,
    /// An article page that does not show the newest article.
    unrelated: String,
    /// A static page: it shows no article.
    page: String,
}

const LISTINGS: [&str; 3] = ["/", "/feed/", "/sitemap.xml"];
const COMMENTS_FEED: &str = "/comments/feed/";

async fn each_change_re_renders_the_pages_showing_it_and_no_other(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let mut article = newest(&app.store, ArticleFilter::All).await;
    let pages = pages(&app, &app.article_path(&article).await).await;
    let all: Vec<&str> = [
        pages.article.as_str(),
        &pages.related,
        &pages.unrelated,
        &pages.page,
        COMMENTS_FEED,
    ]
    .into_iter()
    .chain(LISTINGS)
    .collect();
    for path in &all {
        app.get_text(path).await;
    }

    // A comment approved on the article: its page, the comments feed, and the pages showing its
    // card (cards count comments): the home page and the page listing it as related. Not the
    // article feed, the sitemaps, the unrelated article or the static page.
    app.approved_comment(article.id, "A comment that changes only its article")
        .await;
    for path in &all {
        let shows_it = [pages.article.as_str(), &pages.related, COMMENTS_FEED, "/"].contains(path);
        let (fresh, body) = fetch(&app, path).await;
        assert_eq!(fresh, shows_it, "{path} after a comment");
        let shows_the_text = *path == pages.article || *path == COMMENTS_FEED;
        if shows_the_text {
            assert!(
                body.contains("A comment that changes only its article"),
                "{path}"
            );
        }
    }

    // The article's headline edited: its page, the page listing it as related, every listing
    // (the comments feed names articles too, and a static page goes with the listings: an
    // article could take its address), not the unrelated article.
    article.headline = "A headline corrected for the cache".to_owned();
    save(&app, article).await;
    app.caught_up().await;
    for path in &all {
        let shows_it = *path != pages.unrelated;
        let (fresh, body) = fetch(&app, path).await;
        assert_eq!(fresh, shows_it, "{path} after an edit");
        let lists_headlines =
            ![COMMENTS_FEED, pages.page.as_str()].contains(path) && !path.starts_with("/sitemap");
        if shows_it && lists_headlines {
            assert!(
                body.contains("A headline corrected for the cache"),
                "{path}"
            );
        }
    }

    // The publication renamed: every page shows the name.
    let mut publication = app.store.publication().await.unwrap().unwrap();
    publication.name = "The Renamed Courier".to_owned();
    app.store
        .write(|tx| Box::pin(async move { tx.put_publication(&publication).await }))
        .await
        .unwrap();
    app.caught_up().await;
    for path in &all {
        let (fresh, body) = fetch(&app, path).await;
        assert!(fresh, "{path} after the publication was renamed");
        let names_it = !path.starts_with("/sitemap");
        assert!(!names_it || body.contains("The Renamed Courier"), "{path}");
    }
}

/// The watched pages of the demo journal around the article at `article`.
async fn pages(app: &TestApp, article: &str) -> Pages {
    let listing = app
        .store
        .published_articles(&ArticleFilter::All, 0, 100)
        .await
        .unwrap();
    let (mut related, mut unrelated) = (None, None);
    for other in &listing.articles {
        let path = app.article_path(other).await;
        if path == article || other.password.is_some() {
            continue;
        }
        let (_, html) = app.get_text(&path).await;
        // Related cards link it by path or by absolute address.
        let slot = if html.contains(&format!("{article}\"")) {
            &mut related
        } else {
            &mut unrelated
        };
        slot.get_or_insert(path);
    }
    let (_, home) = app.get_text("/").await;
    let page = home
        .split("class=\"footer-pages\"")
        .nth(1)
        .and_then(|footer| footer.split("href=\"").nth(1))
        .and_then(|link| link.split('"').next())
        .expect("the demo journal's footer links a static page")
        .to_owned();
    Pages {
        article: article.to_owned(),
        related: related.expect("a demo article lists the newest as related"),
        unrelated: unrelated.expect("a demo article does not show the newest"),
        page,
    }
}

/// The page at `path`, and whether it was rendered for this request (a cache miss).
async fn fetch(app: &TestApp, path: &str) -> (bool, String) {
    let misses = || app.node().state.page_cache().stats().misses;
    let before = misses();
    let (status, body) = app.get_text(path).await;
    assert_eq!(status, 200, "{path}");
    (misses() > before, body)
}
