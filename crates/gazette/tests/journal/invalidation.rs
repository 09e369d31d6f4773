//! Precise invalidation: each kind of change re-renders every cached page that shows what it
//! changed, and no other. A page re-rendered is one whose request missed the cache.

use gazette_core::{ArticleId, CommentKind, CommentStatus, SafeHtml};
use gazette_store::{ArticleFilter, NewComment};
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

    // A comment approved on the article: its page and the comments feed, nothing else.
    approved_comment(&app, article.id, "A comment that changes only its article").await;
    for path in &all {
        let shows_it = *path == pages.article || *path == COMMENTS_FEED;
        let (fresh, body) = fetch(&app, path).await;
        assert_eq!(fresh, shows_it, "{path} after a comment");
        if shows_it {
            assert!(
                body.contains("A comment that changes only its article"),
                "{path}"
            );
        }
    }

    // The article's headline edited: its page, the page listing it as related, every listing
    // (the comments feed names articles too), not the unrelated article nor the static page.
    article.headline = "A headline corrected for the cache".to_owned();
    save(&app, article).await;
    app.caught_up().await;
    for path in &all {
        let shows_it = *path != pages.unrelated && *path != pages.page;
        let (fresh, body) = fetch(&app, path).await;
        assert_eq!(fresh, shows_it, "{path} after an edit");
        let lists_headlines = *path != COMMENTS_FEED && !path.starts_with("/sitemap");
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

async fn approved_comment(app: &TestApp, article: ArticleId, text: &str) {
    let comment = NewComment {
        article,
        parent: None,
        answered: None,
        depth: 0,
        status: CommentStatus::Approved,
        kind: CommentKind::Comment,
        author_name: "A reader".to_owned(),
        author_email: "reader@example.net".to_owned(),
        author_url: String::new(),
        author_ip: Some("192.0.2.7".to_owned()),
        user_agent: "test".to_owned(),
        person: None,
        body: text.to_owned(),
        body_html: SafeHtml::from_text(text),
        score: 0,
        reasons: Vec::new(),
        submission_key: None,
        wants_replies: false,
        commenter_key: None,
    };
    app.store
        .write(|tx| Box::pin(async move { tx.insert_comment(&comment).await }))
        .await
        .unwrap();
    app.caught_up().await;
}
