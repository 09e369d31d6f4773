//! Never losing a word: drafts save themselves while their writer types and when the page is
//! left, and text the server never got is kept in the browser and offered back.

use gazette_core::Clock as _;
use std::time::Duration;

use gazette_testkit::Backend;

use super::writing::{EDITOR, END, body_field, stored_body};
use super::{as_administrator, eventually, fill_and_press, sign_out, text_of};

in_chromium_on_both_backends! {
    never_lose_a_word => never_lose_a_word_on_sqlite, never_lose_a_word_on_postgres;
}

/// A draft is saved in the background while its writer types and when the page is left; text
/// the server never got (a published article's edits, a lost connection) stays in the browser
/// and is offered back, with the choice of the saved text instead.
async fn never_lose_a_word(backend: Backend) {
    let Some((_serial, browser, app)) = as_administrator(backend).await else {
        return;
    };
    let http = app.admin_client().await;
    let draft = app
        .write_article(
            &http,
            &[
                ("headline", "Budget"),
                ("body", "First words."),
                ("action", "save"),
            ],
        )
        .await
        .0;
    let editor_of = |id: i64| app.url(&format!("/admin/articles/{id}"));

    browser.goto(&editor_of(draft)).await;
    browser.click(EDITOR).await;
    browser
        .send_keys(EDITOR, &format!("{END} More words."))
        .await;
    eventually("a background save", Duration::from_secs(10), || async {
        browser
            .find_text("#autosave-status")
            .await
            .starts_with("Draft saved")
    })
    .await;
    assert_eq!(stored_body(&app, draft).await, "First words. More words.");

    // Leaving straight after typing: the last words are saved on the way out.
    browser.send_keys(EDITOR, " Last words.").await;
    browser.goto(&app.url("/admin/")).await;
    eventually("the save on leaving", Duration::from_secs(5), || async {
        stored_body(&app, draft).await == "First words. More words. Last words."
    })
    .await;

    // A published article is not saved in the background: its edits stay in the browser when
    // the tab goes, and come back on request.
    let published = app
        .write_article(
            &http,
            &[
                ("headline", "Port"),
                ("body", "Saved text."),
                ("action", "publish"),
            ],
        )
        .await
        .0;
    browser.goto(&editor_of(published)).await;
    assert_eq!(
        browser
            .execute("return document.getElementById('recovery').hidden", &[])
            .await,
        true
    );
    browser.click(EDITOR).await;
    browser
        .send_keys(EDITOR, &format!("{END} Unsaved edit."))
        .await;
    browser.goto(&app.url("/admin/")).await;
    assert_eq!(stored_body(&app, published).await, "Saved text.");
    browser.goto(&editor_of(published)).await;
    assert_eq!(
        browser
            .execute("return document.getElementById('recovery').hidden", &[])
            .await,
        false
    );
    assert_eq!(browser.axe_violations().await, Vec::<String>::new());
    let kept = browser
        .execute(
            "return document.getElementById('recovered-body').value",
            &[],
        )
        .await;
    assert_eq!(kept, "Saved text. Unsaved edit.");
    assert_eq!(
        body_field(&browser).await,
        "Saved text.",
        "the saved text until asked"
    );
    browser.click("#recovery button[value=restore]").await;
    assert_eq!(body_field(&browser).await, "Saved text. Unsaved edit.");
    fill_and_press(&browser, &[], "button[value=publish]").await;
    assert_eq!(
        stored_body(&app, published).await,
        "Saved text. Unsaved edit."
    );
    browser.goto(&editor_of(published)).await;
    assert_eq!(
        browser
            .execute("return document.getElementById('recovery').hidden", &[])
            .await,
        true,
        "nothing left to offer once saved"
    );

    // Or the saved text is kept and the browser's copy discarded for good.
    browser.click(EDITOR).await;
    browser.send_keys(EDITOR, " Second thoughts.").await;
    browser.goto(&app.url("/admin/")).await;
    browser.goto(&editor_of(published)).await;
    browser.click("#recovery button[value=discard]").await;
    browser.goto(&editor_of(published)).await;
    assert_eq!(
        browser
            .execute("return document.getElementById('recovery').hidden", &[])
            .await,
        true
    );
    assert_eq!(body_field(&browser).await, "Saved text. Unsaved edit.");

    // Kept changes typed over a version someone has since replaced: restored, they are
    // refused as outdated and shown beside the newer text, never written over it.
    browser.click(EDITOR).await;
    browser.send_keys(EDITOR, " Mine.").await;
    browser.goto(&app.url("/admin/")).await;
    // A minute later (a version is the time of its save).
    app.clock
        .set(app.clock.now() + jiff::SignedDuration::from_secs(60));
    let path = format!("/admin/articles/{published}");
    let page = app.page_text(&http, &path).await;
    let marker = "name=\"version\" value=\"";
    let start = page.find(marker).unwrap() + marker.len();
    let version = &page[start..start + page[start..].find('"').unwrap()];
    let theirs = [
        ("version", version),
        ("headline", "Port"),
        ("body", "Their rewrite."),
        ("action", "publish"),
    ];
    let response = app.submit_form(&http, &path, &path, &theirs).await;
    assert_eq!(response.status(), 303);
    browser.goto(&editor_of(published)).await;
    browser.click("#recovery button[value=restore]").await;
    fill_and_press(&browser, &[], "button[value=publish]").await;
    let text = text_of(&browser).await;
    assert!(
        text.contains("The version saved meanwhile"),
        "both texts shown: {text}"
    );
    assert_eq!(stored_body(&app, published).await, "Their rewrite.");

    // Signing out leaves nothing of anyone's text in this browser.
    browser
        .execute(
            "localStorage.setItem('gazette.unsaved:/admin/articles/999', '{}')",
            &[],
        )
        .await;
    sign_out(&browser, &app).await;
    assert_eq!(
        browser.execute("return localStorage.length", &[]).await,
        serde_json::json!(0)
    );
}
