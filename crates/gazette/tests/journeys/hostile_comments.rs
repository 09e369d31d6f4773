//! Readers' hostile comments (the Big List of Naughty Strings and XSS polyglots) shown in the
//! browser without a script running.

use gazette_testkit::browser::{self, Browser};
use gazette_testkit::{ADMIN_EMAIL, ADMIN_PASSWORD, Backend, TestApp};
use serde_json::json;

use super::sign_in;

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
