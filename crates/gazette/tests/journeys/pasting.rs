//! Formatted text pasted into the Markdown editor comes in as clean Markdown, replacing the
//! selection it was pasted over; a provider's link alone on its line shows the frame readers
//! will see, and other links show nothing.

use std::time::Duration;

use gazette_testkit::Backend;
use serde_json::json;

use super::writing::{EDITOR, body_field};
use super::{as_administrator, eventually};

/// WebDriver's codes for keys that are not characters.
const SHIFT: &str = "\u{E008}";
const LEFT: &str = "\u{E012}";
const RELEASE: &str = "\u{E000}";

in_chromium_on_both_backends! {
    paste_formatted_text => paste_formatted_text_on_sqlite, paste_formatted_text_on_postgres;
    preview_embeds => preview_embeds_on_sqlite, preview_embeds_on_postgres;
}

async fn preview_embeds(backend: Backend) {
    let Some((_serial, browser, app)) = as_administrator(backend).await else {
        return;
    };
    browser.goto(&app.url("/admin/articles/new")).await;
    browser.click(EDITOR).await;
    let typed = "Watch:\n\nhttps://youtu.be/dQw4w9WgXcQ\n\nhttps://example.com/page\n\nThe end.";
    browser.send_keys(EDITOR, typed).await;
    let frames = || async {
        browser
            .execute(
                "return [...document.querySelectorAll('.embed-preview iframe')].map((f) => f.getAttribute('src'))",
                &[],
            )
            .await
    };
    eventually(
        "the player under its link",
        Duration::from_secs(10),
        || async {
            frames().await == json!(["https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"])
        },
    )
    .await;
    // The other link was asked about too, and stays a link; the text is untouched.
    eventually(
        "both links asked about",
        Duration::from_secs(10),
        || async {
            browser
            .execute(
                "return document.querySelector('.markdown-editor .cm-editor').dataset.linksChecked",
                &[],
            )
            .await
            == json!("2")
        },
    )
    .await;
    assert_eq!(
        frames().await,
        json!(["https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"])
    );
    assert_eq!(body_field(&browser).await, typed);
    assert_eq!(browser.axe_violations().await, Vec::<String>::new());
}

async fn paste_formatted_text(backend: Backend) {
    let Some((_serial, browser, app)) = as_administrator(backend).await else {
        return;
    };
    browser.goto(&app.url("/admin/articles/new")).await;
    browser.click(EDITOR).await;
    browser.send_keys(EDITOR, "Before. PLACEHOLDER").await;
    // Select the placeholder with the keyboard, then paste what a word processor puts on the
    // clipboard.
    let select = format!("{SHIFT}{}{RELEASE}", LEFT.repeat("PLACEHOLDER".len()));
    browser.send_keys(EDITOR, &select).await;
    let script = "
        const [html] = arguments;
        const content = document.querySelector('.markdown-editor .cm-content');
        const data = new DataTransfer();
        data.setData('text/html', html);
        data.setData('text/plain', 'Lead with Points');
        content.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));";
    let clipboard = "<meta charset='utf-8'><p class=MsoNormal style='margin:0'><span style='font-family:Calibri;font-weight:bold'>Lead</span> <span style='color:#333'>with</span></p><ul><li><span style='font-style:italic'>Points</span></li></ul>";
    browser.execute(script, &[json!(clipboard)]).await;
    eventually("the pasted Markdown", Duration::from_secs(10), || async {
        body_field(&browser).await == "Before. **Lead** with\n\n- *Points*"
    })
    .await;
}
