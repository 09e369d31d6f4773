//! The newsroom's main journeys, end to end in headless Chromium through chromedriver, on both
//! backends: sign in; write and publish an article and see it on the home page; a contributor
//! submits and an editor publishes; schedule an article and see it appear on time; restore a
//! revision; change a slug and follow the old URL. Upload an image and feature it, embed a
//! chart, add a redirect, build a menu, pick a lead story, change the permalink pattern. A reader comments, is remembered, and a
//! moderator approves the comment from the keyboard. And readers' hostile comments (the Big List
//! of Naughty Strings and XSS polyglots) shown in the browser without a script running.

use std::time::Duration;

use gazette_core::{Clock as _, Role, Status};
use gazette_testkit::browser::{self, Browser};
use gazette_testkit::{ADMIN_EMAIL, ADMIN_PASSWORD, Backend, TestApp};
use jiff::SignedDuration;
use serde_json::json;

const PASSWORD: &str = "a long enough staff password";

/// Fills fields by id and presses the button `button` (a CSS selector), then waits for the
/// next page.
async fn fill_and_press(browser: &Browser, fields: &[(&str, &str)], button: &str) {
    let before = location(browser).await;
    let found = browser
        .execute(
            "return !!document.querySelector(arguments[0])",
            &[json!(button)],
        )
        .await;
    assert_eq!(
        found,
        true,
        "no {button} on {before}: {}",
        text_of(browser).await
    );
    // A marker on the old document: its absence means the next page has loaded (which may
    // have the same address, after a save).
    let script = "const [fields, button] = arguments;
        window.gazetteOldPage = true;
        for (const [id, value] of fields) {
            const el = document.getElementById(id);
            if (el.type === 'checkbox') { el.checked = value === 'on'; } else { el.value = value; }
        }
        document.querySelector(button).click();";
    browser
        .execute(script, &[json!(fields), json!(button)])
        .await;
    for _ in 0..100 {
        tokio::time::sleep(Duration::from_millis(30)).await;
        let state = browser
            .execute(
                "return window.gazetteOldPage ? 'old' : document.readyState",
                &[],
            )
            .await;
        if state == "complete" {
            return;
        }
    }
    panic!("pressing {button} on {before} led nowhere");
}

async fn location(browser: &Browser) -> String {
    let value = browser
        .execute("return location.pathname + location.search", &[])
        .await;
    value.as_str().unwrap_or_default().to_owned()
}

async fn text_of(browser: &Browser) -> String {
    let value = browser.execute("return document.body.innerText", &[]).await;
    value.as_str().unwrap_or_default().to_owned()
}

async fn sign_in(browser: &Browser, app: &TestApp, email: &str, password: &str) {
    browser.goto(&app.url("/admin/")).await;
    assert!(
        location(browser).await.starts_with("/admin/sign-in"),
        "the desk asks who you are"
    );
    fill_and_press(
        browser,
        &[("email", email), ("password", password)],
        ".sign-in button",
    )
    .await;
    assert_eq!(location(browser).await, "/admin/");
}

async fn sign_out(browser: &Browser, app: &TestApp) {
    browser.goto(&app.url("/admin/")).await;
    fill_and_press(browser, &[], "form[action='/admin/sign-out'] button").await;
}

/// The id in `/admin/articles/{id}?saved=1`.
async fn editing_id(browser: &Browser) -> i64 {
    let at = location(browser).await;
    at.trim_start_matches("/admin/articles/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

async fn journeys(backend: Backend) {
    let _serial = browser::exclusive().await;
    let Some(browser) = Browser::start().await else {
        return;
    };
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let contributor = app.add_staff("Carla", Role::Contributor, PASSWORD).await;
    let editor = app.add_staff("Eddie", Role::Editor, PASSWORD).await;

    // Sign in; write and publish an article; see it on the home page.
    sign_in(&browser, &app, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    browser.goto(&app.url("/admin/articles/new")).await;
    // The live preview shows the body as the site will render it.
    browser
        .execute(
            "const body = document.getElementById('body'); body.value = '> Boats *sail*';
             body.dispatchEvent(new Event('input', { bubbles: true }));",
            &[],
        )
        .await;
    let mut preview = serde_json::Value::Null;
    for _ in 0..100 {
        tokio::time::sleep(Duration::from_millis(30)).await;
        preview = browser
            .execute(
                "return document.getElementById('live-preview').getAttribute('srcdoc')",
                &[],
            )
            .await;
        if preview
            .as_str()
            .is_some_and(|html| html.contains("<em>sail</em>"))
        {
            break;
        }
    }
    assert!(
        preview.as_str().unwrap_or("").contains("<blockquote>"),
        "live preview: {preview}"
    );
    fill_and_press(
        &browser,
        &[
            ("headline", "Ferry strike ends"),
            ("body", "Boats sail again from Monday."),
            ("tags", "Transport"),
        ],
        "button[value=publish]",
    )
    .await;
    let ferry = editing_id(&browser).await;
    app.caught_up().await;
    browser.goto(&app.url("/")).await;
    assert!(
        text_of(&browser).await.contains("Ferry strike ends"),
        "on the home page"
    );

    // Change its slug and follow the old URL.
    let old = app.published_path(gazette_core::ArticleId(ferry)).await;
    browser
        .goto(&app.url(&format!("/admin/articles/{ferry}")))
        .await;
    fill_and_press(
        &browser,
        &[("slug", "ferry-strike-over")],
        "button[value=save]",
    )
    .await;
    app.caught_up().await;
    browser.goto(&app.url(&old)).await;
    assert!(
        location(&browser).await.ends_with("/ferry-strike-over/"),
        "the old URL leads to the new one"
    );
    assert!(text_of(&browser).await.contains("Boats sail again"));

    // Restore a revision.
    browser
        .goto(&app.url(&format!("/admin/articles/{ferry}")))
        .await;
    fill_and_press(
        &browser,
        &[("body", "A mistaken rewrite.")],
        "button[value=save]",
    )
    .await;
    browser
        .goto(&app.url(&format!("/admin/articles/{ferry}/revisions")))
        .await;
    let rows = browser
        .execute(
            "return document.querySelectorAll('.article-list tbody tr').length",
            &[],
        )
        .await;
    assert_eq!(rows, 3, "publish, slug change, rewrite");
    // The oldest revision is the last row.
    fill_and_press(&browser, &[], ".article-list tbody tr:last-child button").await;
    let article = app
        .store
        .article(gazette_core::ArticleId(ferry))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(article.body_source, "Boats sail again from Monday.");

    // Schedule an article and see it appear on time.
    let at = (app.clock.now() + SignedDuration::from_hours(3)).to_zoned(jiff::tz::TimeZone::UTC);
    browser.goto(&app.url("/admin/articles/new")).await;
    fill_and_press(
        &browser,
        &[
            ("headline", "Budget day live"),
            ("publish_at", &at.strftime("%Y-%m-%dT%H:%M").to_string()),
        ],
        "button[value=schedule]",
    )
    .await;
    let budget = editing_id(&browser).await;
    app.caught_up().await;
    browser.goto(&app.url("/")).await;
    assert!(
        !text_of(&browser).await.contains("Budget day live"),
        "not before its time"
    );
    app.clock.advance(SignedDuration::from_hours(3));
    app.node().jobs.wake();
    for _ in 0..200 {
        let status = app
            .store
            .article(gazette_core::ArticleId(budget))
            .await
            .unwrap()
            .unwrap()
            .status;
        if status == Status::Published {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    app.caught_up().await;
    browser.goto(&app.url("/")).await;
    assert!(
        text_of(&browser).await.contains("Budget day live"),
        "appears on time"
    );
    sign_out(&browser, &app).await;

    // A contributor submits; an editor publishes.
    sign_in(&browser, &app, contributor.email.as_str(), PASSWORD).await;
    browser.goto(&app.url("/admin/articles/new")).await;
    let offered = browser
        .execute(
            "return !!document.querySelector('button[value=publish]')",
            &[],
        )
        .await;
    assert_eq!(offered, false, "contributors are not offered Publish");
    fill_and_press(
        &browser,
        &[("headline", "Library hours extended")],
        "button[value=save]",
    )
    .await;
    fill_and_press(&browser, &[], "button[value=submit]").await;
    let library = editing_id(&browser).await;
    sign_out(&browser, &app).await;
    sign_in(&browser, &app, editor.email.as_str(), PASSWORD).await;
    browser
        .goto(&app.url("/admin/?status=pending_review"))
        .await;
    assert!(text_of(&browser).await.contains("Library hours extended"));
    browser
        .goto(&app.url(&format!("/admin/articles/{library}")))
        .await;
    fill_and_press(&browser, &[], "button[value=publish]").await;
    app.caught_up().await;
    browser
        .goto(&app.url(&app.published_path(gazette_core::ArticleId(library)).await))
        .await;
    assert!(
        text_of(&browser).await.contains("Library hours extended"),
        "published by the editor"
    );
    assert!(
        text_of(&browser).await.contains("By Carla"),
        "under the contributor's byline"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(all(gazette_test_chromedriver, gazette_test_axe)),
    ignore = "needs GAZETTE_TEST_CHROMEDRIVER and GAZETTE_TEST_AXE (see README)"
)]
async fn newsroom_journeys_on_sqlite() {
    journeys(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(all(gazette_test_database_url, gazette_test_chromedriver, gazette_test_axe)),
    ignore = "needs GAZETTE_TEST_DATABASE_URL, GAZETTE_TEST_CHROMEDRIVER and GAZETTE_TEST_AXE (see README)"
)]
async fn newsroom_journeys_on_postgres() {
    journeys(Backend::Postgres).await;
}

/// Waits for the variants job to have recorded an image's sizes.
async fn variants_made(app: &TestApp, id: i64) {
    for _ in 0..200 {
        let media = app
            .store
            .media(gazette_core::MediaId(id))
            .await
            .unwrap()
            .unwrap();
        if !media.variant_widths.is_empty() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no variants for media {id}");
}

/// [5/8]'s journeys: upload an image and feature it (its sizes reach `srcset`); embed a chart;
/// add a redirect; build a menu; pick a lead story; change the permalink pattern and follow an
/// old URL.
async fn curation_journeys(backend: Backend) {
    let _serial = browser::exclusive().await;
    let Some(browser) = Browser::start().await else {
        return;
    };
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    sign_in(&browser, &app, ADMIN_EMAIL, ADMIN_PASSWORD).await;

    // Upload an image through the library's form.
    let photo = app.data_dir().join("harbour-at-dawn.jpg");
    std::fs::write(&photo, gazette_media::fixtures::halves_jpeg(2000, 1000)).unwrap();
    browser.goto(&app.url("/admin/media/")).await;
    browser.send_keys("#file", photo.to_str().unwrap()).await;
    fill_and_press(&browser, &[("alt", "Boats at dawn")], "form.upload button").await;
    let at = location(&browser).await;
    assert!(at.ends_with("?uploaded"), "the new image's page: {at}");
    let media: i64 = at
        .trim_start_matches("/admin/media/")
        .trim_end_matches("?uploaded")
        .parse()
        .unwrap();
    variants_made(&app, media).await;

    // Feature it on an article whose body embeds a chart.
    browser.goto(&app.url("/admin/articles/new")).await;
    fill_and_press(
        &browser,
        &[
            ("headline", "Harbour traffic doubles"),
            (
                "body",
                "Ships are back.\n\nhttps://datawrapper.dwcdn.net/Ab12C/3/\n\nMore to come.",
            ),
            ("image_media", &media.to_string()),
        ],
        "button[value=publish]",
    )
    .await;
    let harbour = gazette_core::ArticleId(editing_id(&browser).await);
    app.caught_up().await;
    let article_path = app.published_path(harbour).await;
    browser.goto(&app.url(&article_path)).await;
    let srcset = browser
        .execute(
            "return document.querySelector('.story-image img').srcset",
            &[],
        )
        .await;
    assert!(
        srcset
            .as_str()
            .unwrap_or_default()
            .contains("harbour-at-dawn-640x320.jpg 640w"),
        "the variants are in srcset: {srcset}"
    );
    let loaded = browser
        .execute(
            "const img = document.querySelector('.story-image img'); return img.complete && img.naturalWidth > 0",
            &[],
        )
        .await;
    assert_eq!(loaded, true, "the browser loaded one of the sizes");
    let frame = browser
        .execute("return document.querySelector('.embed iframe').src", &[])
        .await;
    assert_eq!(
        frame, "https://datawrapper.dwcdn.net/Ab12C/3/",
        "the chart is embedded"
    );

    // Add a redirect, and follow it.
    browser.goto(&app.url("/admin/redirects/")).await;
    fill_and_press(
        &browser,
        &[("source", "/harbour-figures/"), ("target", &article_path)],
        "form[action='/admin/redirects/'] button",
    )
    .await;
    app.caught_up().await;
    browser.goto(&app.url("/harbour-figures/")).await;
    assert_eq!(
        location(&browser).await,
        article_path,
        "the redirect leads to the article"
    );

    // Build a menu: the About page, labelled by the editor, first in the header.
    let about = app
        .store
        .pages()
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.slug.as_str() == "about")
        .unwrap();
    browser.goto(&app.url("/admin/menus")).await;
    fill_and_press(
        &browser,
        &[
            ("header-0-position", "10"),
            ("header-0-target", &format!("page:{}", about.id.0)),
            ("header-0-label", "Who we are"),
        ],
        "form.menu-form button",
    )
    .await;
    app.caught_up().await;
    browser.goto(&app.url("/")).await;
    let nav = browser.find_text(".sections-nav").await;
    assert!(nav.contains("Who we are"), "the menu: {nav}");
    browser
        .leave_page_by("[...document.querySelectorAll('.sections-nav a')].find(a => a.textContent === 'Who we are').click()", &[])
        .await;
    assert_eq!(location(&browser).await, "/about/");

    // Pick an older article as the lead story.
    let older = app
        .store
        .published_articles(&gazette_store::ArticleFilter::All, 5, 1)
        .await
        .unwrap()
        .articles
        .remove(0);
    browser.goto(&app.url("/admin/home")).await;
    fill_and_press(
        &browser,
        &[("lead", &older.id.0.to_string())],
        "form.settings button",
    )
    .await;
    app.caught_up().await;
    browser.goto(&app.url("/")).await;
    assert_eq!(
        browser.find_text(".lead h3").await,
        older.headline,
        "the chosen lead"
    );

    // Change the permalink pattern (previewing it first) and follow an old URL.
    browser.goto(&app.url("/admin/settings")).await;
    fill_and_press(
        &browser,
        &[("permalink", "/%post_id%/%postname%/")],
        "button[value=preview]",
    )
    .await;
    let preview = text_of(&browser).await;
    assert!(preview.contains("would move to"), "the preview: {preview}");
    fill_and_press(&browser, &[], "button[value=save]").await;
    app.caught_up().await;
    browser.goto(&app.url(&article_path)).await;
    let new_path = format!("/{}/harbour-traffic-doubles/", harbour.0);
    assert_eq!(
        location(&browser).await,
        new_path,
        "the old URL leads to the new one"
    );
    assert!(text_of(&browser).await.contains("Ships are back."));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(all(gazette_test_chromedriver, gazette_test_axe)),
    ignore = "needs GAZETTE_TEST_CHROMEDRIVER and GAZETTE_TEST_AXE (see README)"
)]
async fn curation_journeys_on_sqlite() {
    curation_journeys(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(all(gazette_test_database_url, gazette_test_chromedriver, gazette_test_axe)),
    ignore = "needs GAZETTE_TEST_DATABASE_URL, GAZETTE_TEST_CHROMEDRIVER and GAZETTE_TEST_AXE (see README)"
)]
async fn curation_journeys_on_postgres() {
    curation_journeys(Backend::Postgres).await;
}

/// Finds what a hostile comment could have smuggled into the page under `root`: event-handler
/// attributes, `javascript:` URLs, and active elements inside comment text or names.
const SMUGGLED: &str = "const bad = [];
    for (const el of document.querySelectorAll(arguments[0] + ' *')) {
        for (const a of el.attributes) {
            if (a.name.startsWith('on')) { bad.push(el.tagName + '[' + a.name + ']'); }
            if (/^[\\s\\u0000-\\u001f]*(javascript|vbscript|data):/i.test(a.value)) {
                bad.push(el.tagName + '[' + a.name + '=' + a.value.slice(0, 40) + ']');
            }
        }
        const inside = el.closest('.comment-text, .comment-author, .moderation-text');
        const active = ['SCRIPT', 'IFRAME', 'OBJECT', 'EMBED', 'STYLE', 'IMG', 'SVG', 'FORM',
            'INPUT', 'BUTTON', 'LINK', 'META', 'BASE', 'TEXTAREA', 'SELECT', 'VIDEO', 'AUDIO'];
        if (inside && active.includes(el.tagName.toUpperCase())) { bad.push(el.tagName); }
    }
    return bad;";

async fn hostile_comments(backend: Backend) {
    let (Some(naughty), Some(polyglots)) = (
        gazette_testkit::corpora::naughty_strings(),
        gazette_testkit::corpora::xss_polyglots("alert"),
    ) else {
        return;
    };
    let _serial = browser::exclusive().await;
    let Some(browser) = Browser::start().await else {
        return;
    };
    let publication = gazette_core::Publication {
        comments: gazette_core::CommentPolicy {
            moderation: gazette_core::ModerationMode::ApproveClean,
            per_page: 5000,
            ..gazette_core::CommentPolicy::default()
        },
        ..gazette_core::Publication::sample()
    };
    let options = gazette_testkit::TestOptions {
        demo: true,
        publication: Some(publication),
        trusted_proxies: vec!["127.0.0.1/32".to_owned()],
        ..gazette_testkit::TestOptions::default()
    };
    let Some(app) = TestApp::spawn_with(backend, options).await else {
        return;
    };
    let article = app
        .store
        .published_articles(&gazette_store::ArticleFilter::All, 0, 5)
        .await
        .unwrap()
        .articles
        .into_iter()
        .find(|a| a.password.is_none())
        .unwrap();
    let path = app.published_path(article.id).await;
    let corpus: Vec<String> = naughty.into_iter().chain(polyglots).collect();
    let http = gazette_testkit::client();
    let mut accepted = 0;
    for (n, text) in corpus.iter().enumerate() {
        let name: String = text.chars().take(100).collect();
        let fields = [
            ("comment_post_ID", article.id.0.to_string()),
            ("comment", format!("{n}: {text}")),
            ("author", format!("{n} {name}")),
            ("email", format!("reader{n}@xss.example")),
        ];
        let response = http
            .post(app.url("/comments/"))
            .header(
                "x-forwarded-for",
                format!("10.9.{}.{}", n / 250, n % 250 + 1),
            )
            .form(&fields)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        assert!(
            status == 303 || status == 400,
            "string {n} {text:?}: {status}"
        );
        accepted += usize::from(status == 303);
    }
    assert!(
        accepted > corpus.len() * 9 / 10,
        "{accepted} of {}",
        corpus.len()
    );
    let held = gazette_store::CommentFilter {
        article: Some(article.id),
        ..gazette_store::CommentFilter::default()
    };
    let all = app
        .store
        .moderation_comments(&held, 0, 10_000)
        .await
        .unwrap();
    let ids: Vec<_> = all.comments.iter().map(|c| c.id).collect();
    app.store
        .write(|tx| {
            Box::pin(async move {
                for id in ids {
                    tx.set_comment_status(id, gazette_core::CommentStatus::Approved)
                        .await?;
                }
                Ok::<_, gazette_store::StoreError>(())
            })
        })
        .await
        .unwrap();
    app.caught_up().await;

    // If any alert() ran, the browser now has a dialog open and the next command fails.
    browser.goto(&app.url(&path)).await;
    let shown = browser
        .execute("return document.querySelectorAll('.comment').length", &[])
        .await;
    assert_eq!(
        shown.as_u64(),
        Some(all.total),
        "every comment is on the page"
    );
    let smuggled = browser.execute(SMUGGLED, &[json!("#comments")]).await;
    assert_eq!(smuggled, json!([]), "on the article page");
    // The inline reply copies a hostile name into the form's heading, as text.
    let heading = browser
        .execute(
            "const links = document.querySelectorAll('.comment-reply-link');
             const link = links[links.length - 1];
             link.click();
             return [document.getElementById('reply-title').textContent, link.dataset.name];",
            &[],
        )
        .await;
    assert_eq!(
        heading[0].as_str().unwrap(),
        format!("Reply to {}", heading[1].as_str().unwrap())
    );

    sign_in(&browser, &app, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    browser.goto(&app.url("/admin/comments/?status=all")).await;
    let smuggled = browser
        .execute(SMUGGLED, &[json!(".moderation-list")])
        .await;
    assert_eq!(smuggled, json!([]), "in the moderation inbox");
    let listed = browser
        .execute(
            "return document.querySelectorAll('.moderation-item').length",
            &[],
        )
        .await;
    assert!(listed.as_u64().unwrap() >= 50, "the inbox lists them");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(all(
        gazette_test_blns,
        gazette_test_xss_polyglots,
        gazette_test_chromedriver,
        gazette_test_axe
    )),
    ignore = "needs GAZETTE_TEST_BLNS, GAZETTE_TEST_XSS_POLYGLOTS, GAZETTE_TEST_CHROMEDRIVER and GAZETTE_TEST_AXE (see README)"
)]
async fn hostile_comments_run_no_script_on_sqlite() {
    hostile_comments(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(all(
        gazette_test_database_url,
        gazette_test_blns,
        gazette_test_xss_polyglots,
        gazette_test_chromedriver,
        gazette_test_axe
    )),
    ignore = "needs GAZETTE_TEST_DATABASE_URL, GAZETTE_TEST_BLNS, GAZETTE_TEST_XSS_POLYGLOTS, GAZETTE_TEST_CHROMEDRIVER and GAZETTE_TEST_AXE (see README)"
)]
async fn hostile_comments_run_no_script_on_postgres() {
    hostile_comments(Backend::Postgres).await;
}

/// Polls `script` until it returns true (3 s at most).
async fn until(browser: &Browser, script: &str) {
    for _ in 0..100 {
        if browser.execute(script, &[]).await == json!(true) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
    panic!("never true: {script}");
}

async fn comment_journey(backend: Backend) {
    let _serial = browser::exclusive().await;
    let Some(browser) = Browser::start().await else {
        return;
    };
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let listing = app
        .store
        .published_articles(&gazette_store::ArticleFilter::All, 0, 5)
        .await
        .unwrap();
    let article = listing
        .articles
        .iter()
        .find(|a| a.password.is_none())
        .unwrap();
    let path = app.published_path(article.id).await;

    // The page's script fetches a per-view token once the reader is in the form.
    browser.goto(&app.url(&path)).await;
    browser
        .execute("document.getElementById('comment').focus()", &[])
        .await;
    until(
        &browser,
        "return document.getElementById('form_token').value !== ''",
    )
    .await;
    fill_and_press(
        &browser,
        &[
            ("comment", "Sent from a real browser."),
            ("author", "Rita Reader"),
            ("email", "rita@reader.example"),
            ("wp-comment-cookies-consent", "on"),
        ],
        "#submit",
    )
    .await;
    assert_eq!(location(&browser).await, path);
    let page = text_of(&browser).await;
    assert!(
        page.contains("Your comment is awaiting moderation."),
        "{page}"
    );
    assert!(page.contains("Sent from a real browser."));
    let stored = app
        .store
        .moderation_comments(&gazette_store::CommentFilter::default(), 0, 1)
        .await
        .unwrap()
        .comments
        .remove(0);
    assert!(
        stored
            .reasons
            .iter()
            .any(|r| r.contains("after the form was shown")),
        "the token came with the form: {:?}",
        stored.reasons
    );

    // Next time, the form knows her.
    browser.goto(&app.url(&path)).await;
    until(
        &browser,
        "return document.getElementById('author').value === 'Rita Reader'",
    )
    .await;

    // A moderator approves it with two keys: j to reach it, a to approve.
    sign_in(&browser, &app, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    browser.goto(&app.url("/admin/comments/")).await;
    browser
        .execute(
            "window.gazetteOldPage = true;
             for (const key of ['j', 'a']) {
                 document.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
             }",
            &[],
        )
        .await;
    until(
        &browser,
        "return !window.gazetteOldPage && document.readyState === 'complete'",
    )
    .await;
    let approved = app.store.comment(stored.id).await.unwrap().unwrap();
    assert_eq!(approved.status, gazette_core::CommentStatus::Approved);
    sign_out(&browser, &app).await;
    app.caught_up().await;
    browser.goto(&app.url(&path)).await;
    let page = text_of(&browser).await;
    assert!(page.contains("Sent from a real browser.") && !page.contains("awaiting moderation"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(all(gazette_test_chromedriver, gazette_test_axe)),
    ignore = "needs GAZETTE_TEST_CHROMEDRIVER and GAZETTE_TEST_AXE (see README)"
)]
async fn comment_journey_on_sqlite() {
    comment_journey(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(all(gazette_test_database_url, gazette_test_chromedriver, gazette_test_axe)),
    ignore = "needs GAZETTE_TEST_DATABASE_URL, GAZETTE_TEST_CHROMEDRIVER and GAZETTE_TEST_AXE (see README)"
)]
async fn comment_journey_on_postgres() {
    comment_journey(Backend::Postgres).await;
}
