//! Every page kind of the URL contract: the home page, article pages, archives and their
//! pagination, and static pages.

use gazette_core::{Clock as _, Status};
use gazette_store::ArticleFilter;
use gazette_testkit::{Backend, TestApp};
use jiff::SignedDuration;

use super::{count, insert, newest, save};

gazette_testkit::on_both_backends!(
    the_home_page_is_a_front_page,
    article_pages_carry_the_whole_story,
    archives_list_and_paginate,
    static_pages_answer_at_their_paths,
);

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
