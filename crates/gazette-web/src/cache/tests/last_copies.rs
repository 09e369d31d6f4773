//! Last copies: what changes removed, kept within their budget for when a page cannot be
//! rendered again, and forgotten once a fresh copy exists.

use super::*;

async fn render(cache: &PageCache, key: &str, body: &str) -> Arc<Entry> {
    let body = body.to_owned();
    cache
        .get_or_render(key, Timestamp::UNIX_EPOCH, || async move {
            Ok::<_, ()>(Some(
                RenderedPage::html(body, None).showing(vec![Shows::Article(1)]),
            ))
        })
        .await
        .unwrap()
        .unwrap()
}

#[tokio::test]
async fn a_change_keeps_the_removed_page_as_its_last_copy() {
    let cache = PageCache::new(CacheOptions::default());
    assert!(cache.last_copy("/a/").is_none(), "nothing rendered yet");
    render(&cache, "/a/", "before").await;

    cache.invalidate(Change::Article(1));
    assert!(
        cache.lookup("/a/", Timestamp::UNIX_EPOCH).is_none(),
        "a change removes the page from the fresh copies"
    );
    let last = cache.last_copy("/a/").expect("its last copy is kept");
    assert_eq!(last.identity(), "before");
    assert_eq!(cache.stats().last_copies_served, 1);

    render(&cache, "/a/", "after").await;
    assert_eq!(cache.stats().last_copy_bytes, 0, "a fresh copy replaces it");
    assert_eq!(cache.last_copy("/a/").unwrap().identity(), "after");
}

#[tokio::test]
async fn emptying_the_cache_keeps_the_most_read_pages_within_a_quarter_of_the_budget() {
    let cache = PageCache::new(CacheOptions {
        enabled: true,
        max_bytes: 40_000,
    });
    let body = "x".repeat(2_000);
    for i in 0..8 {
        render(&cache, &format!("/{i}/"), &body).await;
    }
    // Read the last page most recently.
    let _ = cache.lookup("/0/", Timestamp::UNIX_EPOCH);
    cache.invalidate(Change::Everything);
    assert_eq!(cache.stats().entries, 0);
    let stats = cache.stats();
    assert!(
        stats.last_copy_bytes > 0 && stats.last_copy_bytes <= 10_000,
        "{stats:?}"
    );
    assert!(
        cache.last_copy("/7/").is_some(),
        "the newest render is kept"
    );
    assert!(
        cache.last_copy("/1/").is_none(),
        "older ones past the budget are not"
    );
}
