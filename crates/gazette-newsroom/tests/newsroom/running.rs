//! What editors arrange and what keeps the journal's addresses sound: the home layout, redirect
//! rules and page deletion, each checked inside the unit of work that writes.

use gazette_core::curation::HomeLayout;
use gazette_core::redirect::RedirectRule;
use gazette_core::{BodyFormat, SafeHtml, Slug, Status};
use gazette_newsroom::curation::{self, NotPublished};
use gazette_newsroom::pages::{self, PageDeletion, PageDraft};
use gazette_newsroom::redirects::{self, RuleRefusal};
use gazette_store::testing::TestDatabase;
use gazette_store::{NewArticle, Store};

use super::open;

on_both_backends!(
    the_home_page_names_only_published_articles,
    a_rule_that_would_close_a_loop_is_refused,
    an_import_with_a_loop_writes_nothing,
    a_page_with_sub_pages_stays,
);

async fn article(store: &Store, headline: &str, status: Status) -> gazette_core::ArticleId {
    let mut new = NewArticle::draft(headline, "Body.", SafeHtml::from_text("Body."), 1);
    new.status = status;
    new.published_at = (status == Status::Published).then(|| store.clock().now());
    store
        .write(|tx| Box::pin(async move { tx.insert_article(new).await }))
        .await
        .unwrap()
        .id
}

async fn the_home_page_names_only_published_articles(database: TestDatabase) {
    let store = open(&database).await;
    let lead = article(&store, "Lead story", Status::Published).await;
    let draft = article(&store, "Not yet", Status::Draft).await;
    let refused = HomeLayout::new(Some(lead), [Some(draft)]);
    assert_eq!(
        curation::save_home_layout(&store, refused).await.unwrap(),
        Err(NotPublished(draft))
    );
    assert_eq!(store.home_layout().await.unwrap(), HomeLayout::default());
    let layout = HomeLayout::new(Some(lead), []);
    curation::save_home_layout(&store, layout.clone())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(store.home_layout().await.unwrap(), layout);
}

fn rule(source: &str, target: &str) -> RedirectRule {
    RedirectRule::parse(source, target, "301").unwrap()
}

async fn a_rule_that_would_close_a_loop_is_refused(database: TestDatabase) {
    let store = open(&database).await;
    redirects::save(&store, None, rule("/old/", "/new/"))
        .await
        .unwrap();
    match redirects::save(&store, None, rule("/new/", "/old/")).await {
        Err(RuleRefusal::Rule(message)) => assert!(message.contains("loop"), "{message}"),
        other => panic!("a loop must be refused, got {other:?}"),
    }
    assert_eq!(store.redirects().await.unwrap().len(), 1);
    // The same source twice is refused with what to do instead.
    match redirects::save(&store, None, rule("/OLD", "/elsewhere/")).await {
        Err(RuleRefusal::Rule(message)) => {
            assert!(message.contains("change that one"), "{message}")
        }
        other => panic!("a second rule for a source must be refused, got {other:?}"),
    }
}

async fn an_import_with_a_loop_writes_nothing(database: TestDatabase) {
    let store = open(&database).await;
    redirects::save(&store, None, rule("/a/", "/b/"))
        .await
        .unwrap();
    let rules = vec![rule("/c/", "/d/"), rule("/b/", "/a/")];
    let problems = redirects::import(&store, rules).await.unwrap().unwrap_err();
    assert_eq!(problems.len(), 1);
    assert_eq!(
        problems[0].line, 2,
        "numbered by the rule's place in the file"
    );
    assert_eq!(store.redirects().await.unwrap().len(), 1, "all or nothing");
}

fn page(title: &str, parent: Option<gazette_core::PageId>) -> PageDraft {
    PageDraft {
        parent,
        slug: Slug::from_headline(title),
        title: title.to_owned(),
        body_format: BodyFormat::Markdown,
        body_source: String::new(),
        body_html: SafeHtml::from_text(""),
        status: Status::Published,
    }
}

async fn a_page_with_sub_pages_stays(database: TestDatabase) {
    let store = open(&database).await;
    let about = pages::save(&store, None, page("About", None))
        .await
        .unwrap();
    let team = pages::save(&store, None, page("Team", Some(about)))
        .await
        .unwrap();
    assert_eq!(
        pages::delete(&store, about).await.unwrap(),
        PageDeletion::HasSubPages
    );
    assert_eq!(
        pages::delete(&store, team).await.unwrap(),
        PageDeletion::Deleted
    );
    assert_eq!(
        pages::delete(&store, team).await.unwrap(),
        PageDeletion::NotFound
    );
    assert_eq!(
        pages::delete(&store, about).await.unwrap(),
        PageDeletion::Deleted
    );
    assert!(store.pages().await.unwrap().is_empty());
}
