//! The page cache's own rules: variants, validators, eviction, single flights and which
//! changes remove which entries.

use super::*;
use axum::http::{HeaderMap, StatusCode};
use gazette_core::Comment;
use gazette_store::{MonthAddresses, StoreError};
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
                .get_or_render("/", Timestamp::UNIX_EPOCH, || async move {
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
        move || async move { Ok::<_, ()>(Some(RenderedPage::html(html.to_owned(), Some(boundary)))) }
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
    cache.invalidate(Change::Everything);
    let after_change = cache
        .get_or_render("/", t0, render("three"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(after_change.identity(), "three");
    let after_boundary = cache
        .get_or_render("/", boundary, render("four"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(after_boundary.identity(), "four");
}

#[tokio::test]
async fn pages_that_must_not_be_cached_are_not() {
    let cache = PageCache::new(CacheOptions::default());
    let none = cache
        .get_or_render("/x/", Timestamp::UNIX_EPOCH, || async { Ok::<_, ()>(None) })
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
            .get_or_render(&format!("/{i}/"), Timestamp::UNIX_EPOCH, || async move {
                Ok::<_, ()>(page(&body))
            })
            .await
            .unwrap();
    }
    let stats = cache.stats();
    assert!(stats.bytes <= 20_000, "{stats:?}");
    assert!(stats.entries >= 2, "{stats:?}");
    assert!(
        read(&cache.index).entries.contains_key("/19/"),
        "the newest entry stays"
    );
}

#[tokio::test]
async fn each_encoding_has_its_own_etag_and_304() {
    let cache = PageCache::new(CacheOptions::default());
    let html = "<p>hello hello hello hello</p>".repeat(50);
    let entry = cache
        .get_or_render("/", Timestamp::UNIX_EPOCH, || async move {
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

/// Renders `html` showing `shows` under `key`, through the cache; returns what it served.
async fn serve(cache: &PageCache, key: &str, html: &str, shows: &[Shows]) -> String {
    let page = RenderedPage::html(html.to_owned(), None).showing(shows.to_vec());
    let entry = cache
        .get_or_render(key, Timestamp::UNIX_EPOCH, || async move {
            Ok::<_, ()>(Some(page))
        })
        .await
        .unwrap()
        .unwrap();
    String::from_utf8(entry.identity().to_vec()).unwrap()
}

#[tokio::test]
async fn a_change_removes_exactly_the_pages_showing_what_it_changed() {
    let cache = PageCache::new(CacheOptions::default());
    let article_7 = [Shows::Article(7), Shows::Discussion(7), Shows::Article(8)];
    let article_9 = [Shows::Article(9), Shows::Discussion(9)];
    let pages: [(&str, &[Shows]); 6] = [
        ("/7/", &article_7),
        ("/9/", &article_9),
        ("/", &[Shows::Listings]),
        ("/comments/feed/", &[Shows::Listings, Shows::Comments]),
        ("/about/", &[]),
        ("/unsaid/", &[Shows::Anything]),
    ];
    let fill = async |version: &str| {
        let mut served = Vec::new();
        for (key, shows) in pages {
            served.push(serve(&cache, key, version, shows).await);
        }
        served
    };
    // Which pages a fill with a new version re-rendered.
    let rendered = |served: Vec<String>, version: &str| -> Vec<bool> {
        served.iter().map(|v| v == version).collect()
    };
    fill("v1").await;

    // A comment on article 9: its page, the comments feed and the page that said nothing.
    cache.invalidate(Change::Discussion(9));
    let comment = [false, true, false, true, false, true];
    assert_eq!(rendered(fill("v2").await, "v2"), comment);

    // An edit of article 8, shown only among article 7's related articles: that page and
    // every listing.
    let before = cache.site_generation();
    cache.invalidate(Change::Article(8));
    let edit = [true, false, true, true, false, true];
    assert_eq!(rendered(fill("v3").await, "v3"), edit);
    assert!(
        cache.site_generation() > before,
        "the site snapshot follows articles"
    );
    assert_eq!(
        rendered(fill("v4").await, "v4"),
        [false; 6],
        "all cached again"
    );

    // A comment does not reload the site snapshot; settings empty everything.
    let before = cache.site_generation();
    cache.invalidate(Change::Discussion(7));
    assert_eq!(cache.site_generation(), before);
    cache.invalidate(Change::Everything);
    assert_eq!(cache.stats().entries, 0);
    assert!(cache.site_generation() > before);
}

#[tokio::test]
async fn a_render_overtaken_by_a_change_it_shows_is_served_but_not_kept() {
    let cache = PageCache::new(CacheOptions::default());
    let render = |cache: &PageCache, change: Option<Change>, shows: Vec<Shows>| {
        let page = RenderedPage::html("old".to_owned(), None).showing(shows);
        if let Some(change) = change {
            // The change lands while the page is being rendered.
            cache.invalidate(change);
        }
        async move { Ok::<_, ()>(Some(page)) }
    };
    for (change, shows, kept) in [
        (Change::Article(1), vec![Shows::Article(1)], false),
        (Change::Article(2), vec![Shows::Article(1)], true),
        (Change::Discussion(1), vec![Shows::Listings], true),
        (Change::Article(2), vec![Shows::Listings], false),
        (Change::Everything, vec![], false),
    ] {
        let key = format!("/{change:?}/{shows:?}/");
        let served = cache
            .get_or_render(&key, Timestamp::UNIX_EPOCH, || {
                render(&cache, Some(change), shows.clone())
            })
            .await
            .unwrap();
        assert!(served.is_some(), "the render is still served");
        assert_eq!(
            cache.lookup(&key, Timestamp::UNIX_EPOCH).is_some(),
            kept,
            "{change:?} during a render of a page showing {shows:?}"
        );
    }
}

#[tokio::test]
async fn forgetting_old_marks_refuses_the_renders_in_flight() {
    let cache = PageCache::new(CacheOptions::default());
    let served = cache
        .get_or_render("/a/", Timestamp::UNIX_EPOCH, || {
            // More distinct articles change than the cache remembers, none of them shown.
            for id in 0..=i64::try_from(MAX_MARKS).unwrap() {
                cache.invalidate(Change::Article(1_000_000 + id));
            }
            let page = RenderedPage::html("a".to_owned(), None).showing(vec![Shows::Article(1)]);
            async move { Ok::<_, ()>(Some(page)) }
        })
        .await
        .unwrap();
    assert!(served.is_some());
    assert!(read(&cache.index).changed.len() <= MAX_MARKS);
    assert!(
        cache.lookup("/a/", Timestamp::UNIX_EPOCH).is_none(),
        "whether its article changed is forgotten, so it is not kept"
    );
    serve(&cache, "/a/", "a", &[Shows::Article(1)]).await;
    assert!(cache.lookup("/a/", Timestamp::UNIX_EPOCH).is_some());
}

/// A cache of 30,000 bytes, for pages of about 4,000 (`serve_pages`).
fn small_cache() -> PageCache {
    PageCache::new(CacheOptions {
        enabled: true,
        max_bytes: 30_000,
    })
}

/// Pages `/{i}/` of 4,000 bytes, each showing article `i`.
async fn serve_pages(cache: &PageCache, ids: std::ops::Range<i64>) {
    let body = "y".repeat(4_000);
    for i in ids {
        serve(cache, &format!("/{i}/"), &body, &[Shows::Article(i)]).await;
    }
}

#[tokio::test]
async fn eviction_keeps_the_index_in_step() {
    let cache = small_cache();
    serve_pages(&cache, 0..40).await;
    let index = read(&cache.index);
    let indexed: usize = index.showing.values().map(HashSet::len).sum();
    assert_eq!(
        indexed,
        index.entries.len(),
        "every indexed key is an entry"
    );
    assert!(index.bytes <= 30_000);
    let total: usize = index.entries.values().map(|e| e.size).sum();
    assert_eq!(total, index.bytes);
}

#[tokio::test]
async fn eviction_takes_the_pages_least_recently_read() {
    let cache = small_cache();
    serve_pages(&cache, 0..6).await;
    assert!(cache.lookup("/0/", Timestamp::UNIX_EPOCH).is_some());
    // Past 30,000 bytes at the eighth page: the oldest go until seven eighths are left.
    serve_pages(&cache, 6..8).await;
    let kept = |key: &str| read(&cache.index).entries.contains_key(key);
    assert!(kept("/0/"), "read after the others were written");
    assert!(!kept("/1/"), "the oldest page nobody read since");
    assert!(kept("/7/"));
}

/// How many times the comments of `article` were read from the "store" by this call (0 or 1).
async fn comment_reads(cache: &PageCache, article: i64) -> usize {
    let reads = AtomicUsize::new(0);
    cache
        .published_comments(article, || async {
            reads.fetch_add(1, Ordering::SeqCst);
            Ok::<_, ()>(Vec::new())
        })
        .await
        .unwrap();
    reads.load(Ordering::SeqCst)
}

#[tokio::test]
async fn kept_comments_go_with_their_discussion_and_only_with_it() {
    // Kept with page caching off too: the comments are data.
    let cache = PageCache::new(CacheOptions {
        enabled: false,
        ..CacheOptions::default()
    });
    assert_eq!(comment_reads(&cache, 7).await, 1, "first read");
    assert_eq!(comment_reads(&cache, 7).await, 0, "kept");

    cache.invalidate(Change::Discussion(8));
    cache.invalidate(Change::Article(7));
    assert_eq!(
        comment_reads(&cache, 7).await,
        0,
        "another discussion, or the article itself, leaves them"
    );

    cache.invalidate(Change::Discussion(7));
    assert_eq!(comment_reads(&cache, 7).await, 1, "its discussion changed");
    assert_eq!(comment_reads(&cache, 7).await, 0);

    cache.invalidate(Change::Everything);
    assert_eq!(comment_reads(&cache, 7).await, 1, "everything changed");
}

#[tokio::test]
async fn comments_read_across_a_change_are_read_again() {
    let cache = PageCache::new(CacheOptions::default());
    cache
        .published_comments(7, || async {
            // The discussion changes while its comments are being read.
            cache.invalidate(Change::Discussion(7));
            Ok::<_, ()>(Vec::new())
        })
        .await
        .unwrap();
    assert_eq!(comment_reads(&cache, 7).await, 1);
}

#[tokio::test]
async fn thread_views_go_with_their_list_and_the_way_it_is_shown() {
    let cache = PageCache::new(CacheOptions::default());
    let builds = AtomicUsize::new(0);
    let views = |comments: &Arc<[Comment]>, key: &str| {
        cache.thread_views(7, comments, key, || {
            builds.fetch_add(1, Ordering::SeqCst);
            minijinja::Value::from(key)
        })
    };
    let list = kept_list(&cache).await;
    assert_eq!(views(&list, "page 1").as_str(), Some("page 1"));
    assert_eq!(views(&list, "page 1").as_str(), Some("page 1"));
    assert_eq!(
        builds.load(Ordering::SeqCst),
        1,
        "the same list shown the same way"
    );

    assert_eq!(views(&list, "page 2").as_str(), Some("page 2"));
    assert_eq!(builds.load(Ordering::SeqCst), 2, "shown another way");

    cache.invalidate(Change::Discussion(7));
    let fresh = kept_list(&cache).await;
    assert!(!Arc::ptr_eq(&list, &fresh), "the discussion was read again");
    views(&fresh, "page 2");
    assert_eq!(builds.load(Ordering::SeqCst), 3, "a list read again");
}

async fn kept_list(cache: &PageCache) -> Arc<[Comment]> {
    cache
        .published_comments(7, || async { Ok::<_, ()>(Vec::new()) })
        .await
        .unwrap()
}

#[tokio::test]
async fn a_months_addresses_are_asked_with_the_revision_they_were_read_at() {
    let cache = PageCache::new(CacheOptions::default());
    let april = MonthPart {
        year: 2026,
        month: 4,
        part: 1,
    };
    let asked = std::sync::Mutex::new(Vec::new());
    let read = |revision: u64, answer: Option<MonthAddresses>| {
        let asked = &asked;
        move |kept: Option<u64>| {
            asked.lock().unwrap().push(kept);
            let answer = answer.unwrap_or(MonthAddresses::Read {
                revision,
                addresses: Vec::new(),
            });
            async move { Ok::<_, StoreError>(answer) }
        }
    };
    let first = cache.month_addresses(april, read(7, None)).await.unwrap();
    let again = cache
        .month_addresses(april, read(7, Some(MonthAddresses::Unchanged)))
        .await
        .unwrap();
    assert!(Arc::ptr_eq(&first, &again), "the kept list, unchanged");
    let newer = cache.month_addresses(april, read(8, None)).await.unwrap();
    assert!(
        !Arc::ptr_eq(&first, &newer),
        "a list read again replaces it"
    );
    cache
        .month_addresses(april, read(8, Some(MonthAddresses::Unchanged)))
        .await
        .unwrap();
    let may = MonthPart { month: 5, ..april };
    cache.month_addresses(may, read(1, None)).await.unwrap();
    assert_eq!(
        *asked.lock().unwrap(),
        [None, Some(7), Some(7), Some(8), None],
        "each month asks with its own kept revision"
    );
}

mod last_copies;
