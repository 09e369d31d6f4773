//! Open editor pages: a heartbeat keeps a page's first opening and moves its last sighting;
//! pages silent since a moment are forgotten by the daily prune, the others kept.

use gazette_core::Clock as _;
use jiff::SignedDuration;

use super::{Harness, add_article, add_person, article, harness};

store_contract!(silent_pages_are_pruned_and_live_ones_kept);

async fn silent_pages_are_pruned_and_live_ones_kept(h: Harness) {
    let ann = add_person(&h.store, "Ann", "ann@example.org")
        .await
        .unwrap();
    let story = add_article(&h.store, article("Budget")).await.unwrap();
    let touch = |tab: &'static str| {
        let store = h.store.clone();
        async move {
            store
                .write(|tx| Box::pin(async move { tx.touch_presence(story.id, tab, ann.id).await }))
                .await
                .unwrap()
        }
    };
    let opened = touch("old").await;
    h.clock.advance(SignedDuration::from_hours(25));
    let again = touch("new").await;
    let beat = touch("new").await;
    assert_eq!(
        beat.opened_at, again.opened_at,
        "a heartbeat keeps the opening"
    );
    let before = h.clock.now() - SignedDuration::from_hours(24);
    let pruned = h
        .store
        .write(|tx| Box::pin(async move { tx.prune_presence(before).await }))
        .await
        .unwrap();
    assert_eq!(pruned, 1);
    let live = h
        .store
        .article_presence(story.id, opened.seen_at)
        .await
        .unwrap();
    let tabs: Vec<&str> = live.iter().map(|p| p.tab.as_str()).collect();
    assert_eq!(tabs, ["new"]);
}
