//! The published listings part of the store contract: filtered and paged.

use gazette_core::Status;
use gazette_store::ArticleFilter;
use jiff::SignedDuration;

use super::{Harness, add_article, add_person, add_section, add_tag, article, harness, start_time};

store_contract!(
    published_listings_filter_and_page,
    tag_and_author_archives_follow_every_write,
    statistics_are_refreshed_after_a_bulk_write,
);

/// After an import, the store refreshes the planner's statistics (PostgreSQL: `VACUUM
/// (ANALYZE)`, which refuses to run inside a transaction block).
async fn statistics_are_refreshed_after_a_bulk_write(h: Harness) {
    let mut new = article("Imported");
    new.status = Status::Published;
    new.published_at = Some(start_time());
    add_article(&h.store, new).await.unwrap();
    h.store.analyze_after_bulk_write().await.unwrap();
    let listed = h
        .store
        .published_articles(&ArticleFilter::All, 0, 10)
        .await
        .unwrap();
    assert_eq!(listed.total, 1);
}

async fn published_listings_filter_and_page(h: Harness) {
    let ann = add_person(&h.store, "Ann Lee", "ann@example.org")
        .await
        .unwrap();
    let world = add_section(&h.store, "world", None).await.unwrap();
    let europe = add_section(&h.store, "europe", Some(world.id))
        .await
        .unwrap();
    let tag = add_tag(&h.store, "budget").await;
    for n in 0..5_i64 {
        let mut new = article(&format!("Story {n}"));
        new.status = Status::Published;
        new.published_at = Some(start_time() + SignedDuration::from_hours(n));
        new.authors = vec![ann.id];
        new.primary_section = Some(if n % 2 == 0 { world.id } else { europe.id });
        new.tags = if n < 2 { vec![tag.id] } else { vec![] };
        add_article(&h.store, new).await.unwrap();
    }
    let mut draft = article("Not yet");
    draft.primary_section = Some(world.id);
    add_article(&h.store, draft).await.unwrap();

    let first = h
        .store
        .published_articles(&ArticleFilter::All, 0, 2)
        .await
        .unwrap();
    assert_eq!(first.total, 5, "drafts are not counted");
    let headlines: Vec<_> = first.articles.iter().map(|a| a.headline.as_str()).collect();
    assert_eq!(headlines, ["Story 4", "Story 3"], "newest first");
    assert_eq!(
        first.articles[0].authors,
        vec![ann.id],
        "links load with the page"
    );
    let last = h
        .store
        .published_articles(&ArticleFilter::All, 4, 2)
        .await
        .unwrap();
    assert_eq!(last.articles.len(), 1);
    let in_europe = ArticleFilter::InSections(vec![europe.id]);
    assert_eq!(
        h.store
            .published_articles(&in_europe, 0, 10)
            .await
            .unwrap()
            .total,
        2
    );
    let both = ArticleFilter::InSections(vec![world.id, europe.id]);
    assert_eq!(
        h.store
            .published_articles(&both, 0, 10)
            .await
            .unwrap()
            .total,
        5
    );
    let tagged = ArticleFilter::Tagged(tag.id);
    assert_eq!(
        h.store
            .published_articles(&tagged, 0, 10)
            .await
            .unwrap()
            .total,
        2
    );
    let by_ann = ArticleFilter::ByAuthor(ann.id);
    assert_eq!(
        h.store
            .published_articles(&by_ann, 0, 10)
            .await
            .unwrap()
            .total,
        5
    );
    let hours = ArticleFilter::PublishedBetween {
        from: start_time() + SignedDuration::from_hours(1),
        until: start_time() + SignedDuration::from_hours(3),
    };
    assert_eq!(
        h.store
            .published_articles(&hours, 0, 10)
            .await
            .unwrap()
            .total,
        2,
        "[from, until)"
    );
}

/// A tag's and an author's archive read the listing time their links carry (migration 24):
/// it must follow every write that publishes, withdraws, re-dates or re-links an article.
async fn tag_and_author_archives_follow_every_write(h: Harness) {
    let store = &h.store;
    let ann = add_person(store, "Ann Lee", "ann@example.org")
        .await
        .unwrap();
    let budget = add_tag(store, "budget").await;
    let taxes = add_tag(store, "taxes").await;
    let listed = |filter: ArticleFilter| async move {
        let page = store.published_articles(&filter, 0, 10).await.unwrap();
        let newest = store.newest_published(&filter, 0, 10).await.unwrap();
        assert_eq!(page.articles, newest, "both listings agree");
        assert_eq!(store.published_total(&filter).await.unwrap(), page.total);
        let headlines: Vec<String> = page.articles.into_iter().map(|a| a.headline).collect();
        assert_eq!(page.total, headlines.len() as u64);
        headlines
    };
    let tagged = ArticleFilter::Tagged(budget.id);
    let by_ann = ArticleFilter::ByAuthor(ann.id);

    let mut first = article("First");
    first.status = Status::Published;
    first.published_at = Some(start_time());
    first.tags = vec![budget.id];
    first.authors = vec![ann.id];
    let first = add_article(store, first).await.unwrap();
    let mut second = article("Second");
    second.tags = vec![budget.id];
    second.authors = vec![ann.id];
    let second = add_article(store, second).await.unwrap();
    assert_eq!(
        listed(tagged.clone()).await,
        ["First"],
        "a draft is not listed"
    );

    let mut publish = second.clone();
    publish.status = Status::Published;
    publish.published_at = Some(start_time() + SignedDuration::from_hours(1));
    let second = save(store, publish).await;
    assert_eq!(listed(tagged.clone()).await, ["Second", "First"]);
    assert_eq!(listed(by_ann.clone()).await, ["Second", "First"]);

    let mut redated = first.clone();
    redated.published_at = Some(start_time() + SignedDuration::from_hours(2));
    let first = save(store, redated).await;
    assert_eq!(
        listed(tagged.clone()).await,
        ["First", "Second"],
        "a new date"
    );

    let mut withdrawn = second.clone();
    withdrawn.status = Status::Draft;
    let second = save(store, withdrawn).await;
    assert_eq!(listed(by_ann.clone()).await, ["First"], "withdrawn");

    let mut relinked = first.clone();
    relinked.tags = vec![taxes.id];
    relinked.authors = vec![];
    save(store, relinked).await;
    assert!(listed(tagged.clone()).await.is_empty(), "tags replaced");
    assert!(listed(by_ann.clone()).await.is_empty(), "bylines replaced");
    assert_eq!(listed(ArticleFilter::Tagged(taxes.id)).await, ["First"]);

    // Merging a tag moves its links: they keep their article's listing time.
    let mut again = second.clone();
    again.status = Status::Published;
    save(store, again).await;
    store
        .write(|tx| Box::pin(async move { tx.merge_tag(taxes.id, budget.id).await }))
        .await
        .unwrap();
    assert_eq!(listed(tagged.clone()).await, ["First", "Second"], "merged");
}

async fn save(
    store: &gazette_store::Store,
    article: gazette_core::Article,
) -> gazette_core::Article {
    store
        .write(|tx| Box::pin(async move { tx.update_article(&article).await }))
        .await
        .unwrap()
}
