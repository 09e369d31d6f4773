//! HTML bodies converted to Markdown: the conversion page shows the Markdown and what readers
//! would see change, and saves only the version it showed; pasted HTML comes back as
//! Markdown; and every post of WordPress's theme test data keeps its text when converted.

use std::sync::Arc;

use gazette_core::{BodyFormat, Role, SafeHtml};
use gazette_testkit::{Backend, TestApp, csrf_of};

use super::browser;

gazette_testkit::on_both_backends!(
    an_html_body_is_converted_after_showing_the_difference,
    pasted_html_comes_back_as_markdown,
);

const HTML_BODY: &str = "<p class=\"intro\" style=\"color:red\">The <b>council</b> met.</p>\n\
    <p><span style=\"font-weight:700\">Decisions</span>:</p>\n<ul><li>Roads</li><li>Parks</li></ul>";

async fn an_html_body_is_converted_after_showing_the_difference(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let http = app.admin_client().await;
    let id = app
        .write_article(
            &http,
            &[
                ("headline", "Council notes"),
                ("body_format", "html"),
                ("body", HTML_BODY),
                ("action", "save"),
            ],
        )
        .await;
    let editor = app
        .page_text(&http, &format!("/admin/articles/{}", id.0))
        .await;
    assert!(
        editor.contains("Convert to Markdown…"),
        "offered for an HTML body"
    );

    let path = format!("/admin/articles/{}/markdown", id.0);
    let page = app.page_text(&http, &path).await;
    let markdown = "The **council** met.\n\n**Decisions**:\n\n- Roads\n- Parks\n";
    assert!(
        page.contains(&format!("readonly>\n{markdown}</textarea>")),
        "{page}"
    );
    assert!(
        page.contains("srcdoc=\"&lt;!DOCTYPE html&gt;"),
        "both versions shown as pages"
    );
    assert!(
        page.contains("<li class=\"diff-removed\">") && page.contains("class=&quot;intro&quot;"),
        "the lost class is a difference: {page}"
    );

    // A form from before a later save converts nothing.
    let version = page
        .split("name=\"version\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    let stale = http
        .post(app.url(&path))
        .form(&[("csrf", csrf_of(&page).as_str()), ("version", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), 409);
    assert_eq!(
        app.store.article(id).await.unwrap().unwrap().body_format,
        BodyFormat::Html
    );

    let converted = http
        .post(app.url(&path))
        .form(&[("csrf", csrf_of(&page).as_str()), ("version", &version)])
        .send()
        .await
        .unwrap();
    assert_eq!(converted.status(), 303);
    let article = app.store.article(id).await.unwrap().unwrap();
    assert_eq!(article.body_format, BodyFormat::Markdown);
    assert_eq!(article.body_source, markdown);
    assert!(
        article
            .body_html
            .as_str()
            .contains("<strong>council</strong>")
    );
    let revisions = app.store.revisions(id).await.unwrap();
    assert!(
        revisions.iter().any(|r| r.body_source == HTML_BODY),
        "the HTML stays in the revisions"
    );

    let again = http.get(app.url(&path)).send().await.unwrap();
    assert_eq!(
        again.status(),
        400,
        "a Markdown body has nothing to convert"
    );

    // Someone who may not edit the article may not convert it.
    let contributor = app
        .add_staff("Cal", Role::Contributor, "a long password")
        .await;
    let cal = browser();
    app.sign_in(&cal, contributor.email.as_str(), "a long password")
        .await;
    let refused = cal.get(app.url(&path)).send().await.unwrap();
    assert_eq!(refused.status(), 403);
}

async fn pasted_html_comes_back_as_markdown(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let http = app.admin_client().await;
    let csrf = csrf_of(&app.page_text(&http, "/admin/articles/new").await);
    let pasted = "<h2 style=\"font-family:Calibri\">Vote</h2><p><i>Tonight</i> at <font color=red>8</font>.</p>";
    let answer = http
        .post(app.url("/admin/markdown"))
        .form(&[("csrf", csrf.as_str()), ("html", pasted)])
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    let json: serde_json::Value = answer.json().await.unwrap();
    assert_eq!(json["markdown"], "## Vote\n\n*Tonight* at 8.");
    let forged = http
        .post(app.url("/admin/markdown"))
        .form(&[("html", pasted)])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
}

/// Each post of WordPress's theme test data, converted to Markdown, reads the same: the same
/// words in the same order (formatting Markdown cannot express may go, text may not).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(gazette_test_wxr_fixtures),
    ignore = "needs GAZETTE_TEST_WXR_FIXTURES (see README)"
)]
async fn every_theme_test_post_keeps_its_text_when_converted() {
    let Some(root) = gazette_testkit::wxr_fixtures() else {
        return;
    };
    let Some(app) = TestApp::spawn(Backend::Sqlite).await else {
        return;
    };
    gazette_wordpress::import::import_wxr(
        &app.store,
        &root.join("theme-test-data/themeunittestdata.wordpress.xml"),
        &Default::default(),
        Arc::new(|_, _| {}),
    )
    .await
    .unwrap();
    let words = |html: &SafeHtml| {
        gazette_render::plain_text(html)
            .split_whitespace()
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    let articles = app
        .store
        .published_articles(&gazette_store::ArticleFilter::All, 0, 500)
        .await
        .unwrap()
        .articles;
    let html: Vec<_> = articles
        .iter()
        .filter(|a| a.body_format == BodyFormat::Html)
        .collect();
    assert!(
        html.len() > 20,
        "the import has HTML bodies: {}",
        html.len()
    );
    for article in html {
        let markdown = gazette_render::html_to_markdown(&article.body_source);
        let after = gazette_render::render_body(BodyFormat::Markdown, &markdown);
        let before = gazette_render::render_body(BodyFormat::Html, &article.body_source);
        assert_eq!(
            words(&after),
            words(&before),
            "“{}” changed its text; Markdown:\n{markdown}",
            article.headline
        );
    }
}
