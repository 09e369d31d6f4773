//! The page cache's own rules: variants, validators, eviction and single flights.

use super::*;
use std::sync::atomic::AtomicUsize;

fn page(html: &str) -> Option<RenderedPage> {
    Some(RenderedPage::html(html.to_owned(), None))
}

fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in pairs {
        map.insert(*name, HeaderValue::from_str(value).unwrap());
    }
    map
}

#[tokio::test]
async fn a_burst_of_misses_renders_once() {
    let cache = Arc::new(PageCache::new(CacheOptions::default()));
    let renders = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for _ in 0..20 {
        let (cache, renders) = (cache.clone(), renders.clone());
        tasks.push(tokio::spawn(async move {
            cache
                .get_or_render("/", Timestamp::UNIX_EPOCH, |_| async move {
                    renders.fetch_add(1, Ordering::SeqCst);
                    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                    Ok::<_, ()>(page("<p>hello</p>"))
                })
                .await
        }));
    }
    for task in tasks {
        assert!(task.await.unwrap().unwrap().is_some());
    }
    assert_eq!(renders.load(Ordering::SeqCst), 1);
    assert_eq!(cache.stats().misses, 1);
    assert_eq!(cache.stats().hits, 19);
}

#[tokio::test]
async fn invalidation_and_time_boundaries_make_entries_stale() {
    let cache = PageCache::new(CacheOptions::default());
    let t0 = Timestamp::from_second(1000).unwrap();
    let boundary = Timestamp::from_second(2000).unwrap();
    let render = |html: &'static str| {
        move |_| async move { Ok::<_, ()>(Some(RenderedPage::html(html.to_owned(), Some(boundary)))) }
    };
    let first = cache
        .get_or_render("/", t0, render("one"))
        .await
        .unwrap()
        .unwrap();
    let again = cache
        .get_or_render("/", t0, render("two"))
        .await
        .unwrap()
        .unwrap();
    assert!(Arc::ptr_eq(&first, &again), "a fresh entry is served again");
    cache.invalidate();
    let after_change = cache
        .get_or_render("/", t0, render("three"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(after_change.identity.body, "three");
    let after_boundary = cache
        .get_or_render("/", boundary, render("four"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(after_boundary.identity.body, "four");
}

#[tokio::test]
async fn pages_that_must_not_be_cached_are_not() {
    let cache = PageCache::new(CacheOptions::default());
    let none = cache
        .get_or_render("/x/", Timestamp::UNIX_EPOCH, |_| async {
            Ok::<_, ()>(None)
        })
        .await
        .unwrap();
    assert!(none.is_none());
    assert_eq!(cache.stats().entries, 0);
}

#[tokio::test]
async fn memory_stays_within_the_bound() {
    let cache = PageCache::new(CacheOptions {
        enabled: true,
        max_bytes: 20_000,
    });
    let body = "x".repeat(4_000);
    for i in 0..20 {
        let body = body.clone();
        cache
            .get_or_render(&format!("/{i}/"), Timestamp::UNIX_EPOCH, |_| async move {
                Ok::<_, ()>(page(&body))
            })
            .await
            .unwrap();
    }
    let stats = cache.stats();
    assert!(stats.bytes <= 20_000, "{stats:?}");
    assert!(stats.entries >= 2, "{stats:?}");
    assert!(
        lock(&cache.entries).contains_key("/19/"),
        "the newest entry stays"
    );
}

#[tokio::test]
async fn each_encoding_has_its_own_etag_and_304() {
    let cache = PageCache::new(CacheOptions::default());
    let html = "<p>hello hello hello hello</p>".repeat(50);
    let entry = cache
        .get_or_render("/", Timestamp::UNIX_EPOCH, |_| async move {
            Ok::<_, ()>(page(&html))
        })
        .await
        .unwrap()
        .unwrap();
    let br = entry.respond(&headers(&[("accept-encoding", "gzip, deflate, br")]));
    let gz = entry.respond(&headers(&[("accept-encoding", "gzip, br;q=0")]));
    let starred = entry.respond(&headers(&[("accept-encoding", "br;q=0, *")]));
    assert_eq!(
        starred.headers()["content-encoding"],
        "gzip",
        "explicit refusal wins"
    );
    let plain = entry.respond(&HeaderMap::new());
    assert_eq!(br.headers()["content-encoding"], "br");
    assert_eq!(gz.headers()["content-encoding"], "gzip");
    assert!(plain.headers().get("content-encoding").is_none());
    let etags: Vec<_> = [&br, &gz, &plain]
        .iter()
        .map(|r| r.headers()["etag"].clone())
        .collect();
    assert!(etags[0] != etags[1] && etags[1] != etags[2] && etags[0] != etags[2]);
    assert_eq!(br.headers()["vary"], "Accept-Encoding");
    let etag = etags[0].to_str().unwrap();
    let revalidated = entry.respond(&headers(&[
        ("accept-encoding", "br"),
        ("if-none-match", etag),
    ]));
    assert_eq!(revalidated.status(), StatusCode::NOT_MODIFIED);
    let other_encoding = entry.respond(&headers(&[("if-none-match", etag)]));
    assert_eq!(other_encoding.status(), StatusCode::OK);
}
