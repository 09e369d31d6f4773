//! The sign-up form under an article, in headless Chromium: its script fetches a form token
//! when the reader starts on the form, so the request goes in one press.

use std::time::Duration;

use gazette_core::Cadence;
use gazette_testkit::browser::{self, Browser};
use gazette_testkit::smtp::SmtpSink;
use jiff::SignedDuration;
use serde_json::json;

use super::{add_newsletter, journal};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(all(gazette_test_chromedriver, gazette_test_axe)),
    ignore = "needs GAZETTE_TEST_CHROMEDRIVER and GAZETTE_TEST_AXE (see README)"
)]
async fn a_reader_subscribes_from_under_an_article() {
    let _serial = browser::exclusive().await;
    let Some(browser) = Browser::start().await else {
        return;
    };
    let sink = SmtpSink::start().await;
    let app = journal(gazette_testkit::Backend::Sqlite, &sink)
        .await
        .unwrap();
    add_newsletter(&app, "letters", Cadence::ByHand).await;
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

    browser.goto(&app.url(&path)).await;
    browser
        .send_keys("#signup-email", "reader@example.org")
        .await;
    let token =
        "return document.querySelector('.newsletter-signup [name=form_token]').value !== ''";
    let mut filled = false;
    for _ in 0..100 {
        if browser.execute(token, &[]).await == json!(true) {
            filled = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
    assert!(filled, "the script fetched a form token");
    // The reader takes a while to press the button (the server's clock).
    app.clock.advance(SignedDuration::from_secs(15));
    browser
        .leave_page_by(
            "document.querySelector('.newsletter-signup button').click()",
            &[],
        )
        .await;
    let answer = browser.find_text("main").await;
    assert!(
        answer.contains("a confirmation email is on its way"),
        "one press was enough: {answer}"
    );
    let confirmation = sink.wait_for(1).await.text();
    assert!(confirmation.contains("Confirm your subscription"));
    assert!(
        browser.axe_violations().await.is_empty(),
        "the answer passes axe"
    );
}
