//! The media library in Chromium: files dropped on the library upload one by one with their
//! progress (a refused one says why and keeps the page), the grid's pictures are described in
//! place, and a focal point is set by clicking the picture.

use std::time::Duration;

use gazette_testkit::Backend;
use gazette_testkit::browser::Browser;
use serde_json::json;

use super::{as_administrator, fill_and_press, location};

in_chromium_on_both_backends! {
    drop_and_describe => drop_and_describe_on_sqlite, drop_and_describe_on_postgres;
    set_a_focal_point => set_a_focal_point_on_sqlite, set_a_focal_point_on_postgres;
}

/// Drops files named `names` on the library's upload form: a red picture for each `.png`, a
/// line of text for anything else. Returns how many progress bars appeared.
async fn drop_files(browser: &Browser, names: &[&str]) -> serde_json::Value {
    let script = "
        const [names, done] = arguments;
        const canvas = document.createElement('canvas');
        canvas.width = 400; canvas.height = 300;
        const paint = canvas.getContext('2d');
        paint.fillStyle = '#c00';
        paint.fillRect(0, 0, 400, 300);
        canvas.toBlob((picture) => {
            const data = new DataTransfer();
            for (const name of names) {
                const content = name.endsWith('.png') ? [picture] : ['minutes of the meeting'];
                data.items.add(new File(content, name, { type: name.endsWith('.png') ? 'image/png' : 'text/plain' }));
            }
            const zone = document.querySelector('.drop-zone');
            zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
            zone.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
            done(document.querySelectorAll('.upload-progress progress').length);
        }, 'image/png');";
    browser.execute_async(script, &[json!(names)]).await
}

async fn drop_and_describe(backend: Backend) {
    let Some((_serial, browser, app)) = as_administrator(backend).await else {
        return;
    };
    browser.goto(&app.url("/admin/media/")).await;

    // A refused file says why, beside the one that was kept, and the page stays.
    assert_eq!(
        drop_files(&browser, &["minutes.txt", "first.png"]).await,
        json!(2)
    );
    crate::eventually("both answers", Duration::from_secs(10), || async {
        let answers = browser
            .execute(
                "return [...document.querySelectorAll('.upload-state')].map((s) => s.textContent)",
                &[],
            )
            .await;
        answers[0]
            .as_str()
            .is_some_and(|a| a.contains("is not a JPEG"))
            && answers[1] == "Uploaded: describe it"
    })
    .await;
    assert_eq!(location(&browser).await, "/admin/media/");

    // When every file is kept, the library shows them.
    assert_eq!(
        drop_files(&browser, &["second.png", "third.png"]).await,
        json!(2)
    );
    crate::eventually(
        "the library after the uploads",
        Duration::from_secs(10),
        || async { location(&browser).await == "/admin/media/?uploaded=2" },
    )
    .await;
    let library = app
        .store
        .media_library(&Default::default(), 0, 10)
        .await
        .unwrap();
    assert_eq!(library.total, 3);
    assert_eq!(
        browser.axe_violations().await,
        Vec::<String>::new(),
        "the grid"
    );

    // Described in place: the grid stays, the warning goes.
    let newest = &library.items[0];
    let script = "
        const item = document.getElementById(`media-${arguments[0]}`);
        item.querySelector('details').open = true;
        item.querySelector('input[name=alt]').value = 'A red square';
        item.querySelector('form').requestSubmit();";
    browser.execute(script, &[json!(newest.id.0)]).await;
    crate::eventually("saved in place", Duration::from_secs(10), || async {
        let state = browser
            .execute(
                "const item = document.getElementById(`media-${arguments[0]}`);
                 return [item.querySelector('.save-state').textContent, item.querySelector('.warning').hidden];",
                &[json!(newest.id.0)],
            )
            .await;
        state == json!(["Saved.", true])
    })
    .await;
    assert_eq!(location(&browser).await, "/admin/media/?uploaded=2");
    let described = app.store.media(newest.id).await.unwrap().unwrap();
    assert_eq!(described.alt, "A red square");
}

async fn set_a_focal_point(backend: Backend) {
    let Some((_serial, browser, app)) = as_administrator(backend).await else {
        return;
    };
    let http = app.admin_client().await;
    let picture = gazette_media::fixtures::halves_jpeg(1800, 600);
    let id = crate::media::uploaded_id(
        &crate::media::upload(&app, &http, "market.jpg", picture, "Market stalls").await,
    );
    let path = format!("/admin/media/{}", id.0);
    browser.goto(&app.url(&path)).await;
    assert_eq!(browser.axe_violations().await, Vec::<String>::new());
    // A click a fifth of the way across and three quarters down the picture.
    let script = "
        const frame = document.querySelector('.focal-frame');
        const box = frame.querySelector('img').getBoundingClientRect();
        frame.dispatchEvent(new MouseEvent('click', {
            bubbles: true,
            clientX: box.left + box.width * 0.2,
            clientY: box.top + box.height * 0.75,
        }));
        const marker = frame.querySelector('.focal-marker');
        return [document.getElementById('focus_x').value, document.getElementById('focus_y').value,
                marker.hidden, marker.style.left];";
    let picked = browser.execute(script, &[]).await;
    assert_eq!(
        picked,
        json!(["20", "75", false, "20%"]),
        "the numbers and the marker follow"
    );
    fill_and_press(&browser, &[], "form.settings button[type=submit]").await;
    assert!(location(&browser).await.ends_with("?saved"));
    let media = app.store.media(id).await.unwrap().unwrap();
    assert_eq!((media.focus.x, media.focus.y), (20, 75));
}
