//! Formatted text pasted into the Markdown editor comes in as clean Markdown, replacing the
//! selection it was pasted over.

use std::time::Duration;

use gazette_testkit::browser::{self, Browser};
use gazette_testkit::{ADMIN_EMAIL, ADMIN_PASSWORD, Backend, TestApp};
use serde_json::json;

use super::writing::{EDITOR, body_field};
use super::{eventually, sign_in};

/// WebDriver's codes for keys that are not characters.
const SHIFT: &str = "\u{E008}";
const LEFT: &str = "\u{E012}";
const RELEASE: &str = "\u{E000}";

in_chromium_on_both_backends! {
    paste_formatted_text => paste_formatted_text_on_sqlite, paste_formatted_text_on_postgres;
}

async fn paste_formatted_text(backend: Backend) {
    let _serial = browser::exclusive().await;
    let Some(browser) = Browser::start().await else {
        return;
    };
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    sign_in(&browser, &app, ADMIN_EMAIL, ADMIN_PASSWORD).await;
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
