//! Pictures in the Markdown editor: one dropped into the text and one pasted are uploaded to
//! the library with their progress, described in the dialog that asks for the text
//! alternative, and written in as Markdown where they were dropped.

use std::time::Duration;

use gazette_testkit::Backend;
use gazette_testkit::browser::Browser;
use serde_json::json;

use super::writing::{EDITOR, body_field};
use super::{as_administrator, eventually};

in_chromium_on_both_backends! {
    drop_and_paste_pictures => drop_and_paste_pictures_on_sqlite, drop_and_paste_pictures_on_postgres;
}

/// Sends a red 400×300 PNG called `name` into the editor, by a drop at the end of the text's
/// first line or by a paste at the cursor (`how`).
async fn send_picture(browser: &Browser, name: &str, how: &str) {
    let script = "
        const [name, how, done] = arguments;
        const canvas = document.createElement('canvas');
        canvas.width = 400; canvas.height = 300;
        const paint = canvas.getContext('2d');
        paint.fillStyle = '#c00';
        paint.fillRect(0, 0, 400, 300);
        canvas.toBlob((blob) => {
            const data = new DataTransfer();
            data.items.add(new File([blob], name, { type: 'image/png' }));
            const content = document.querySelector('.markdown-editor .cm-content');
            if (how === 'drop') {
                const line = content.querySelector('.cm-line').getBoundingClientRect();
                const at = { clientX: line.right - 2, clientY: line.top + line.height / 2 };
                content.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true, ...at }));
            } else {
                content.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
            }
            done();
        }, 'image/png');";
    browser
        .execute_async(script, &[json!(name), json!(how)])
        .await;
}

/// Describes the picture in the open dialog once it is uploaded, and inserts it.
async fn describe_and_insert(browser: &Browser, alt: &str) {
    eventually("the uploaded picture", Duration::from_secs(10), || async {
        let state = browser
            .execute(
                "const dialog = document.querySelector('dialog.image-upload[open]');
                 return dialog && [dialog.querySelector('progress').value, dialog.querySelector('button[value=insert]').disabled];",
                &[],
            )
            .await;
        state == json!([100, false])
    })
    .await;
    browser.send_keys("#image-upload-alt", alt).await;
    browser
        .click("dialog.image-upload button[value=insert]")
        .await;
    eventually("the dialog closed", Duration::from_secs(10), || async {
        browser
            .execute("return !document.querySelector('dialog.image-upload')", &[])
            .await
            == true
    })
    .await;
}

async fn drop_and_paste_pictures(backend: Backend) {
    let Some((_serial, browser, app)) = as_administrator(backend).await else {
        return;
    };
    browser.goto(&app.url("/admin/articles/new")).await;
    browser.click(EDITOR).await;
    browser.send_keys(EDITOR, "The harbour at dawn.").await;

    send_picture(&browser, "harbour.png", "drop").await;
    assert_eq!(
        browser.axe_violations().await,
        Vec::<String>::new(),
        "the dialog"
    );
    describe_and_insert(&browser, "Boats leaving the harbour").await;
    let library = app
        .store
        .media_library(&Default::default(), 0, 5)
        .await
        .unwrap();
    assert_eq!(library.total, 1);
    let harbour = &library.items[0];
    assert_eq!(
        harbour.alt, "Boats leaving the harbour",
        "described in the library too"
    );
    assert_eq!(
        body_field(&browser).await,
        format!(
            "The harbour at dawn.\n\n![Boats leaving the harbour]({})",
            harbour.url()
        ),
        "its own paragraph where it was dropped"
    );

    send_picture(&browser, "", "paste").await;
    describe_and_insert(&browser, "A [red] square").await;
    let library = app
        .store
        .media_library(&Default::default(), 0, 5)
        .await
        .unwrap();
    assert_eq!(library.total, 2);
    let pasted = &library.items[0];
    assert_eq!(pasted.original_name, "pasted-image.png");
    assert!(
        body_field(&browser)
            .await
            .ends_with(&format!("\n\n![A red square]({})", pasted.url())),
        "at the cursor, brackets left out: {}",
        body_field(&browser).await
    );
}
