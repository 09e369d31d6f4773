//! The published listings part of the store contract: filtered and paged.

use gazette_core::Status;
use gazette_store::ArticleFilter;
use jiff::SignedDuration;

use super::{Harness, add_article, add_person, add_section, add_tag, article, harness, start_time};

store_contract!(published_listings_filter_and_page);

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
