//! The public journal over HTTP on both backends: every page kind of the URL contract, the
//! page cache's headers and invalidation, scheduled publishing, bad input, and the metrics
//! endpoint. Validity and accessibility are checked in `quality.rs`.

use std::time::Duration;

use gazette_core::{Article, Clock as _, LanguageTag, Publication, Status, TimeZoneName};
use gazette_store::{ArticleFilter, NewArticle, Store};
use gazette_testkit::jobs::JobBarrier;
use gazette_testkit::{Backend, TestApp, TestOptions};
use jiff::{SignedDuration, Timestamp};

gazette_testkit::on_both_backends!(
    the_home_page_is_a_front_page,
    article_pages_carry_the_whole_story,
    archives_list_and_paginate,
    static_pages_answer_at_their_paths,
    unpublished_articles_are_invisible_and_trashed_ones_gone,
    password_protected_articles_need_their_password,
    bad_input_gets_clear_client_errors,
    cached_pages_revalidate_per_encoding,
    edits_reach_cached_pages,
    scheduled_articles_appear_at_their_time,
    scheduled_publishing_catches_up_after_downtime,
    french_publications_speak_french,
    metrics_are_served_on_their_own_address,
);

fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

async fn newest(store: &Store, filter: ArticleFilter) -> Article {
    let listing = store.published_articles(&filter, 0, 1).await.unwrap();
    listing
        .articles
        .into_iter()
        .next()
        .expect("a published article")
}

/// Saves an article the way the newsroom will, with a rendered body.
async fn insert(app: &TestApp, headline: &str, status: Status, at: Timestamp) -> Article {
    let body = "A first paragraph.\n\n> “A quote worth reading,” she said.\n\nA last paragraph.";
    let mut new = NewArticle::draft(
        headline,
        body,
        gazette_render::render_body(gazette_core::BodyFormat::Markdown, body),
        gazette_render::RENDER_VERSION,
    );
    new.status = status;
    new.published_at = Some(at);
    new.standfirst = format!("The standfirst of {headline}.");
    app.store
        .write(|tx| Box::pin(async move { tx.insert_article(new).await }))
        .await
        .unwrap()
}

async fn save(app: &TestApp, article: Article) -> Article {
    app.store
        .write(|tx| Box::pin(async move { tx.update_article(&article).await }))
        .await
        .unwrap()
}

async fn eventually<F, Fut>(what: &str, within: Duration, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let deadline = tokio::time::Instant::now() + within;
    while tokio::time::Instant::now() < deadline {
        if check().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("{what}: not within {within:?}");
}

async fn the_home_page_is_a_front_page(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let response = app.get("/").await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "text/html; charset=utf-8"
    );
    assert!(response.headers().contains_key("content-security-policy"));
    let html = response.text().await.unwrap();
    let publication = app.store.publication().await.unwrap().unwrap();
    assert!(html.contains("<html lang=\"en\">"));
    assert_eq!(count(&html, "<h1"), 1, "one h1: the masthead");
    assert!(html.contains(&publication.name));
    assert!(
        html.contains("ISSN 2434-561X"),
        "the masthead carries the ISSN"
    );
    assert!(html.contains("class=\"skip-link\" href=\"#main\""));
    assert!(html.contains("<main id=\"main\""));
    assert!(html.contains("card card-lead"), "a lead story");
    let lead = newest(&app.store, ArticleFilter::All).await;
    let sticky = app
        .store
        .published_articles(&ArticleFilter::All, 0, 50)
        .await
        .unwrap()
        .articles
        .into_iter()
        .find(|a| a.sticky)
        .unwrap_or(lead);
    let lead_html = &html[html.find("card-lead").unwrap()..];
    assert!(
        lead_html[..2000.min(lead_html.len())].contains(&sticky.headline),
        "the sticky article leads"
    );
    for section in app
        .store
        .sections()
        .await
        .unwrap()
        .iter()
        .filter(|s| s.parent.is_none())
    {
        assert!(
            html.contains(&format!("href=\"/category/{}/\"", section.slug)),
            "nav has {}",
            section.name
        );
    }
    assert!(
        html.contains("href=\"/about/\""),
        "the footer links the About page"
    );
    assert!(html.contains("<time datetime=\""));
    // The demo's illustrations are served from the media directory, inert.
    let image = sticky
        .featured_image
        .as_ref()
        .expect("the demo lead has an image");
    let response = app.get(&image.src).await;
    assert_eq!(response.status(), 200, "{}", image.src);
    assert_eq!(response.headers()["content-type"], "image/svg+xml");
    assert!(
        response.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("sandbox")
    );
    assert!(response.text().await.unwrap().starts_with("<svg"));
    assert!(
        html.contains("rel=\"next\" href=\"/page/2/\""),
        "the demo has a second page"
    );
    assert_eq!(app.get("/page/2/").await.status(), 200);
    assert_eq!(app.get("/page/9/").await.status(), 404);
}

async fn article_pages_carry_the_whole_story(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let article = newest(&app.store, ArticleFilter::All).await;
    let path = app.article_path(&article).await;
    let (status, html) = app.get_text(&path).await;
    assert_eq!(status, 200, "{path}");
    assert_eq!(count(&html, "<h1"), 1);
    assert!(html.contains(&format!(
        "<title>{}",
        article.headline.replace('&', "&amp;")
    )));
    // Without a base_url, the address the node listens on is one it knows.
    let canonical = app.url(&path);
    assert!(html.contains(&format!("<link rel=\"canonical\" href=\"{canonical}\">")));
    assert!(html.contains("<meta name=\"description\""));
    let lead_author = app.store.person(article.authors[0]).await.unwrap().unwrap();
    assert!(html.contains(&format!(
        "href=\"/author/{}/\" rel=\"author\"",
        lead_author.slug
    )));
    assert!(html.contains("<figure class=\"story-image\">") && html.contains("<figcaption>"));
    assert!(html.contains("class=\"story-body\""));
    assert!(html.contains("rel=\"tag\""), "tags are listed");
    // The dateline is in the publication's time zone (UTC for the sample) with a time.
    let local = article
        .published_at
        .unwrap()
        .to_zoned(jiff::tz::TimeZone::UTC);
    assert!(
        html.contains(&local.strftime(" at %H:%M").to_string()),
        "dateline with a time"
    );

    // The demo has a corrected and a significantly updated article.
    let all = app
        .store
        .published_articles(&ArticleFilter::All, 0, 100)
        .await
        .unwrap()
        .articles;
    let corrected = all.iter().find(|a| !a.corrections.is_empty()).unwrap();
    let (_, html) = app.get_text(&app.article_path(corrected).await).await;
    assert!(html.contains("class=\"corrections\""));
    let updated = all
        .iter()
        .find(|a| a.significantly_updated_at.is_some())
        .unwrap();
    let (_, html) = app.get_text(&app.article_path(updated).await).await;
    assert!(html.contains("class=\"updated\">Updated "));
    let co_written = all.iter().find(|a| a.authors.len() >= 2).unwrap();
    let (_, html) = app.get_text(&app.article_path(co_written).await).await;
    assert!(html.contains("</a> and <a"), "a co-byline joins names");

    // A path the article had before (the newsroom retires it on a slug change) redirects.
    let id = article.id;
    app.store
        .write(|tx| {
            Box::pin(async move { tx.retire_article_path("/2020/01/01/old-slug/", id).await })
        })
        .await
        .unwrap();
    let response = app.get("/2020/01/01/old-slug/").await;
    assert_eq!(response.status(), 301);
    assert_eq!(response.headers()["location"], path.as_str());

    // Links of an older permalink pattern, and WordPress's plain links, find the article too.
    let response = app.get(&format!("/{}/", article.slug)).await;
    assert_eq!(response.status(), 301, "guessed by slug");
    assert_eq!(response.headers()["location"], path.as_str());
    let response = app.get(&format!("/archives/{}/", article.id)).await;
    assert_eq!(response.status(), 301, "an old %post_id% pattern");
    assert_eq!(response.headers()["location"], path.as_str());
    let response = app.get(&format!("/?p={}", article.id)).await;
    assert_eq!(response.status(), 301, "/?p=ID");
    assert_eq!(response.headers()["location"], path.as_str());
    assert_eq!(app.get("/?p=999999").await.status(), 404);
    assert_eq!(app.get("/?p=abc").await.status(), 404);

    // A permalink with the wrong date redirects to the right one.
    let wrong = path.replacen(&path[1..5], "1999", 1);
    let response = app.get(&wrong).await;
    assert_eq!(response.status(), 301, "{wrong}");
    assert_eq!(response.headers()["location"], path.as_str());
}

async fn archives_list_and_paginate(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let sections = app.store.sections().await.unwrap();
    let child = sections
        .iter()
        .find(|s| s.parent.is_some())
        .expect("a nested section");
    let parent = sections
        .iter()
        .find(|s| Some(s.id) == child.parent)
        .unwrap();
    let in_child = newest(&app.store, ArticleFilter::InSections(vec![child.id])).await;

    let (status, html) = app
        .get_text(&format!("/category/{}/{}/", parent.slug, child.slug))
        .await;
    assert_eq!(status, 200);
    assert!(html.contains(&format!("<h1>{}</h1>", child.name)));
    assert!(html.contains(&in_child.headline));
    let (status, html) = app.get_text(&format!("/category/{}/", parent.slug)).await;
    assert_eq!(status, 200);
    assert!(
        html.contains(&in_child.headline),
        "a section lists its sub-sections' articles"
    );
    assert!(
        html.contains("aria-current=\"page\""),
        "the section is marked in the nav"
    );
    assert_eq!(
        app.get(&format!("/category/{}/", child.slug))
            .await
            .status(),
        404,
        "nested sections live under their parent"
    );
    assert_eq!(app.get("/category/no-such-section/").await.status(), 404);

    let tag = app.store.tags().await.unwrap().into_iter().next().unwrap();
    let (status, html) = app.get_text(&format!("/tag/{}/", tag.slug)).await;
    assert_eq!(status, 200);
    assert!(html.contains(&tag.name));

    let author = app
        .store
        .person(in_child.authors[0])
        .await
        .unwrap()
        .unwrap();
    let (status, html) = app.get_text(&format!("/author/{}/", author.slug)).await;
    assert_eq!(status, 200);
    assert!(html.contains(&author.display_name) && html.contains(&in_child.headline));

    let day = in_child
        .published_at
        .unwrap()
        .to_zoned(jiff::tz::TimeZone::UTC);
    for path in [
        day.strftime("/%Y/").to_string(),
        day.strftime("/%Y/%m/").to_string(),
        day.strftime("/%Y/%m/%d/").to_string(),
    ] {
        let (status, html) = app.get_text(&path).await;
        assert_eq!(status, 200, "{path}");
        assert!(
            html.contains(&in_child.headline),
            "{path} lists the article"
        );
    }
    let (status, _) = app.get_text("/1999/01/").await;
    assert_eq!(
        status, 404,
        "an empty month has no archive, as in WordPress"
    );
    let response = app.get(&day.strftime("/%Y/%m").to_string()).await;
    assert_eq!(response.status(), 301, "one spelling per archive");

    // Pagination: enough articles in one tag for two pages.
    let at = app.clock.now() - SignedDuration::from_hours(1);
    let mut ids = Vec::new();
    for n in 0..(gazette_web::PER_PAGE + 1) {
        let article = insert(&app, &format!("Paginated story {n}"), Status::Published, at).await;
        ids.push(article);
    }
    let tag_id = tag.id;
    for mut article in ids {
        article.tags = vec![tag_id];
        save(&app, article).await;
    }
    app.caught_up().await;
    let (status, html) = app.get_text(&format!("/tag/{}/page/2/", tag.slug)).await;
    assert_eq!(status, 200);
    assert!(html.contains(&format!("rel=\"prev\" href=\"/tag/{}/\"", tag.slug)));
    assert_eq!(
        app.get(&format!("/tag/{}/page/99/", tag.slug))
            .await
            .status(),
        404
    );
}

async fn static_pages_answer_at_their_paths(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    for page in app.store.pages().await.unwrap() {
        let (status, html) = app.get_text(&format!("/{}/", page.slug)).await;
        assert_eq!(status, 200, "{}", page.slug);
        assert!(html.contains(&format!("<h1>{}</h1>", page.title)));
    }
    let response = app.get("/about").await;
    assert_eq!(response.status(), 301);
    assert_eq!(response.headers()["location"], "/about/");
}

async fn unpublished_articles_are_invisible_and_trashed_ones_gone(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    // Dated in the future: a scheduled article whose time has passed would be published.
    let at = app.clock.now() + SignedDuration::from_hours(2);
    for status in [
        Status::Draft,
        Status::PendingReview,
        Status::Private,
        Status::Scheduled,
    ] {
        let article = insert(&app, &format!("Secret {}", status.as_str()), status, at).await;
        let path = app.article_path(&article).await;
        let (code, html) = app.get_text(&path).await;
        assert_eq!(code, 404, "{status:?} at {path}");
        assert!(html.contains("Page not found"), "a themed 404");
        assert!(html.contains("noindex"));
        let (_, home) = app.get_text("/").await;
        assert!(
            !home.contains(&article.headline),
            "{status:?} is not listed"
        );
    }
    let trashed = insert(&app, "Withdrawn story", Status::Trashed, at).await;
    let (code, html) = app.get_text(&app.article_path(&trashed).await).await;
    assert_eq!(code, 410);
    assert!(html.contains("This page has been removed"));
}

async fn password_protected_articles_need_their_password(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let at = app.clock.now() - SignedDuration::from_hours(1);
    let mut article = insert(&app, "Members briefing", Status::Published, at).await;
    article.password = Some("open sesame".to_owned());
    let article = save(&app, article).await;
    app.caught_up().await;
    let path = app.article_path(&article).await;

    let (status, html) = app.get_text(&path).await;
    assert_eq!(status, 200);
    assert!(html.contains("type=\"password\"") && !html.contains("A quote worth reading"));

    let wrong = app
        .client
        .post(app.url(&path))
        .form(&[("password", "guess")])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 403);
    let html = wrong.text().await.unwrap();
    assert!(html.contains("That password is not right") && !html.contains("A quote worth reading"));

    let right = app
        .client
        .post(app.url(&path))
        .form(&[("password", "open sesame")])
        .send()
        .await
        .unwrap();
    assert_eq!(right.status(), 303);
    assert_eq!(right.headers()["location"], path.as_str());
    let unlocked = app.get(&path).await;
    assert_eq!(unlocked.headers()["cache-control"], "private, no-store");
    assert!(
        unlocked
            .text()
            .await
            .unwrap()
            .contains("A quote worth reading"),
        "the cookie unlocks"
    );

    // Another reader, without the cookie, still gets the form from the cache.
    let stranger = reqwest::get(app.url(&path))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!stranger.contains("A quote worth reading"));
}

async fn bad_input_gets_clear_client_errors(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    for (path, status, says) in [
        ("/page/0/", 400, "not a page number"),
        ("/page/abc/", 400, "not a page number"),
        ("/category/world/page/-1/", 400, "not a page number"),
        ("/no-such-thing/", 404, "Page not found"),
        ("/2026/11/28/no-such-story/", 404, "Page not found"),
        ("/tag/a/b/c/", 404, "Page not found"),
        ("/%FF%FE/", 400, "not valid UTF-8"),
    ] {
        let (code, html) = app.get_text(path).await;
        assert_eq!(code, status, "{path}");
        assert!(html.contains(says), "{path}: {html}");
        assert!(html.contains("<html lang="), "{path} is a themed page");
    }
    let long = format!("/{}/", "a".repeat(gazette_web::MAX_PATH_BYTES));
    assert_eq!(app.get(&long).await.status(), 414);
    let deleted = app.client.delete(app.url("/")).send().await.unwrap();
    assert_eq!(deleted.status(), 405);
    assert_eq!(deleted.headers()["allow"], "GET, HEAD");
    let posted = app.client.post(app.url("/tag/x/")).send().await.unwrap();
    assert_eq!(posted.status(), 405);
    // Other spellings of an archive redirect to the one the cache keeps; never off-site.
    for (path, to) in [
        ("//tag//climate/", "/tag/climate/"),
        ("/page/1/", "/"),
        ("/page/02/", "/page/2/"),
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 301, "{path}");
        assert_eq!(response.headers()["location"], to, "{path}");
    }
    assert_eq!(app.get("//evil.example").await.status(), 404);
    assert_eq!(app.get("/favicon.ico").await.status(), 404);
    let huge = app
        .client
        .post(app.url("/some-page/"))
        .body("x".repeat(100_000))
        .send()
        .await
        .unwrap();
    assert!(huge.status().is_client_error(), "{}", huge.status());
    assert_eq!(
        app.get("/media/demo%2F..%2F..%2Fgazette.db").await.status(),
        404
    );
    assert_eq!(app.get("/media/demo/no-such-image.svg").await.status(), 404);
    assert_eq!(app.get("/assets/0000/style.css").await.status(), 404);
}

async fn cached_pages_revalidate_per_encoding(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let client = reqwest::Client::new(); // no automatic decompression: we see the bytes
    let get = |encoding: &'static str, etag: Option<String>| {
        let mut request = client.get(app.url("/")).header("accept-encoding", encoding);
        if let Some(etag) = etag {
            request = request.header("if-none-match", etag);
        }
        request.send()
    };
    let br = get("gzip, br", None).await.unwrap();
    assert_eq!(br.headers()["content-encoding"], "br");
    assert_eq!(br.headers()["vary"], "Accept-Encoding");
    assert_eq!(
        br.headers()["cache-control"],
        "public, max-age=0, must-revalidate"
    );
    let br_etag = br.headers()["etag"].to_str().unwrap().to_owned();
    let gz = get("gzip", None).await.unwrap();
    assert_eq!(gz.headers()["content-encoding"], "gzip");
    let gz_etag = gz.headers()["etag"].to_str().unwrap().to_owned();
    assert_ne!(br_etag, gz_etag, "each encoding has its own ETag");
    assert_eq!(
        get("gzip, br", Some(br_etag.clone()))
            .await
            .unwrap()
            .status(),
        304
    );
    assert_eq!(get("gzip", Some(br_etag)).await.unwrap().status(), 200);
    let plain = get("identity", None).await.unwrap();
    assert!(plain.headers().get("content-encoding").is_none());

    // Unknown query strings are served but never cached; personal requests bypass the cache.
    let stats = || app.node().state.page_cache().stats();
    let before = stats();
    app.get("/?utm_source=newsletter").await;
    let with_session = client
        .get(app.url("/"))
        .header("cookie", "gazette_session=abc")
        .send()
        .await
        .unwrap();
    assert_eq!(with_session.headers()["cache-control"], "private, no-store");
    assert_eq!(stats().entries, before.entries);
    assert_eq!(stats().hits + stats().misses, before.hits + before.misses);
}

async fn edits_reach_cached_pages(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let mut article = newest(&app.store, ArticleFilter::All).await;
    let path = app.article_path(&article).await;
    let (_, before) = app.get_text(&path).await;
    assert!(before.contains(&article.headline.replace('&', "&amp;")));
    let hits = app.node().state.page_cache().stats().hits;
    app.get_text(&path).await;
    assert_eq!(
        app.node().state.page_cache().stats().hits,
        hits + 1,
        "served from the cache"
    );
    article.headline = "A corrected headline".to_owned();
    save(&app, article).await;
    app.caught_up().await;
    let (_, after) = app.get_text(&path).await;
    assert!(after.contains("A corrected headline"));
    let (_, home) = app.get_text("/").await;
    assert!(home.contains("A corrected headline"), "listings follow too");

    // A second node on the same database sees the edit within a second (PostgreSQL only:
    // two nodes share a SQLite file only on one machine, which the tests above cover).
    if backend == Backend::Postgres {
        let b = app.spawn_beside(TestOptions::default()).await;
        let (_, cached) = b.get_text(&path).await;
        assert!(cached.contains("A corrected headline"));
        let mut article = newest(&app.store, ArticleFilter::All).await;
        article.headline = "Edited on node A".to_owned();
        save(&app, article).await;
        eventually(
            "node B shows node A's edit",
            Duration::from_secs(1),
            || async { b.get_text(&path).await.1.contains("Edited on node A") },
        )
        .await;
        b.shutdown().await;
    }
}

async fn scheduled_articles_appear_at_their_time(backend: Backend) {
    let barrier = JobBarrier::default();
    let options = TestOptions {
        demo: true,
        job_handlers: vec![barrier.handler("a")],
        ..TestOptions::default()
    };
    let Some(app) = TestApp::spawn_with(backend, options).await else {
        return;
    };
    let b = match backend {
        Backend::Postgres => Some(
            app.spawn_beside(TestOptions {
                job_handlers: vec![barrier.handler("b")],
                ..TestOptions::default()
            })
            .await,
        ),
        Backend::Sqlite => None,
    };
    let due = app.clock.now() + SignedDuration::from_hours(1);
    let article = insert(&app, "Embargoed budget figures", Status::Scheduled, due).await;
    let path = app.article_path(&article).await;
    let first_change = app.store.latest_change_id().await.unwrap();
    assert_eq!(
        app.get(&path).await.status(),
        404,
        "invisible before its time"
    );
    assert!(
        !app.get_text("/")
            .await
            .1
            .contains("Embargoed budget figures")
    );

    app.clock.advance(SignedDuration::from_hours(1));
    app.node().jobs.wake();
    if let Some(b) = &b {
        b.node().jobs.wake();
    }
    eventually(
        "the scheduled article is published",
        Duration::from_secs(5),
        || async { app.get(&path).await.status() == 200 },
    )
    .await;
    assert!(
        app.get_text("/")
            .await
            .1
            .contains("Embargoed budget figures")
    );
    let stored = app.store.article(article.id).await.unwrap().unwrap();
    assert_eq!(stored.status, Status::Published);
    assert_eq!(
        stored.published_at,
        Some(due),
        "published at its planned time"
    );
    // Exactly once: one change for the article since scheduling, and no job left, once every
    // node's runner has finished what it took (a second run would be done by then).
    let nodes: Vec<&TestApp> = std::iter::once(&app).chain(b.as_ref()).collect();
    barrier.pass(&nodes).await;
    let changes = app.store.changes_after(first_change, 100).await.unwrap();
    let publications = changes
        .iter()
        .filter(|c| c.entity_id == Some(article.id.0))
        .count();
    assert_eq!(publications, 1, "{changes:?}");
    assert_eq!(app.store.job_stats().await.unwrap().due, 0);
    if let Some(b) = b {
        assert_eq!(b.get(&path).await.status(), 200);
        b.shutdown().await;
    }
}

async fn scheduled_publishing_catches_up_after_downtime(backend: Backend) {
    let Some(mut app) = TestApp::spawn(backend).await else {
        return;
    };
    let due = app.clock.now() + SignedDuration::from_mins(30);
    let article = insert(&app, "Results due overnight", Status::Scheduled, due).await;
    let path = app.article_path(&article).await;
    app.stop().await;
    app.clock.advance(SignedDuration::from_hours(8)); // the machine was down all night
    let restarted = app.spawn_beside(TestOptions::default()).await;
    // No wake-up call: the runner looks for overdue work as it starts.
    eventually(
        "the overdue article is published on start",
        Duration::from_secs(5),
        || async { restarted.get(&path).await.status() == 200 },
    )
    .await;
    let stored = restarted.store.article(article.id).await.unwrap().unwrap();
    assert_eq!(stored.published_at, Some(due), "keeps its planned time");
    restarted.shutdown().await;
}

/// `--theme DIR` replaces single files; the stylesheet moves to its new content hash and is
/// served immutable.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_theme_directory_overrides_single_files() {
    let theme = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(theme.path().join("assets")).unwrap();
    std::fs::create_dir_all(theme.path().join("messages")).unwrap();
    std::fs::write(
        theme.path().join("assets/style.css"),
        "body { color: #222 }",
    )
    .unwrap();
    std::fs::write(
        theme.path().join("messages/en.toml"),
        "[home]\nlatest = \"Fresh off the press\"\n",
    )
    .unwrap();
    let options = TestOptions {
        demo: true,
        theme_dir: Some(theme.path().to_owned()),
        ..TestOptions::default()
    };
    let app = TestApp::spawn_with(Backend::Sqlite, options).await.unwrap();
    let (_, html) = app.get_text("/").await;
    assert!(
        html.contains("Fresh off the press"),
        "the overriding message is used"
    );
    assert!(
        html.contains("Skip to content"),
        "messages it does not override fall back"
    );
    let start = html.find("href=\"/assets/").unwrap() + 6;
    let css_url = &html[start..start + html[start..].find('"').unwrap()];
    let css = app.get(css_url).await;
    assert_eq!(
        css.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(css.headers()["content-type"], "text/css; charset=utf-8");
    assert_eq!(css.text().await.unwrap(), "body { color: #222 }");
    let head = app.client.head(app.url("/")).send().await.unwrap();
    assert_eq!(head.status(), 200);
    assert!(head.text().await.unwrap().is_empty(), "HEAD has no body");
}

async fn french_publications_speak_french(backend: Backend) {
    let mut publication = Publication::sample();
    publication.name = "Le Courrier du Soir".to_owned();
    publication.language = LanguageTag::parse("fr-FR").unwrap();
    publication.time_zone = TimeZoneName::parse("Europe/Paris").unwrap();
    let options = TestOptions {
        demo: true,
        publication: Some(publication),
        ..TestOptions::default()
    };
    let Some(app) = TestApp::spawn_with(backend, options).await else {
        return;
    };
    let (_, html) = app.get_text("/").await;
    assert!(html.contains("<html lang=\"fr-FR\">"));
    assert!(html.contains("Dernières nouvelles") && html.contains("Aller au contenu"));
    let months = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ];
    assert!(months.iter().any(|m| html.contains(m)), "dates in French");
    let tag = app.store.tags().await.unwrap().into_iter().next().unwrap();
    let (_, html) = app.get_text(&format!("/tag/{}/", tag.slug)).await;
    assert!(html.contains("Sujet : "));
    let count = &html[html.find("archive-count\">").unwrap()..];
    assert!(
        count.get(..40).unwrap_or(count).contains(" article"),
        "{count}"
    );
    let (code, html) = app.get_text("/nulle-part/").await;
    assert_eq!(code, 404);
    assert!(html.contains("Page introuvable"));
}

async fn metrics_are_served_on_their_own_address(backend: Backend) {
    let options = TestOptions {
        demo: true,
        metrics: true,
        ..TestOptions::default()
    };
    let Some(app) = TestApp::spawn_with(backend, options).await else {
        return;
    };
    app.get("/").await;
    app.get("/").await;
    app.get("/no-such-page/").await;
    let metrics_address = app.node().metrics_address.unwrap();
    let text = reqwest::get(format!("http://{metrics_address}/metrics"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        text.contains("gazette_http_requests_total{route=\"home\",status=\"200\"} 2"),
        "{text}"
    );
    assert!(
        text.contains("gazette_http_requests_total{route=\"content\",status=\"404\"} 1"),
        "{text}"
    );
    assert!(text.contains("gazette_page_cache_hits_total 1"), "{text}");
    assert!(
        text.contains("gazette_http_request_duration_seconds_bucket{route=\"home\",le=\"+Inf\"} 2")
    );
    assert!(text.contains("gazette_store_connections "));
    assert!(text.contains("gazette_jobs_pending "));
    assert_eq!(
        app.get("/metrics/").await.status(),
        404,
        "not on the public address"
    );
}
