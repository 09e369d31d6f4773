//! The media library in Chromium: a focal point set by clicking the picture.

use gazette_testkit::browser::{self, Browser};
use gazette_testkit::{ADMIN_EMAIL, ADMIN_PASSWORD, Backend, TestApp};
use serde_json::json;

use super::{fill_and_press, location, sign_in};

in_chromium_on_both_backends! {
    set_a_focal_point => set_a_focal_point_on_sqlite, set_a_focal_point_on_postgres;
}

async fn set_a_focal_point(backend: Backend) {
    let _serial = browser::exclusive().await;
    let Some(browser) = Browser::start().await else {
        return;
    };
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let http = app.admin_client().await;
    let picture = gazette_media::fixtures::halves_jpeg(1800, 600);
    let id = crate::media::uploaded_id(
        &crate::media::upload(&app, &http, "market.jpg", picture, "Market stalls").await,
    );
    sign_in(&browser, &app, ADMIN_EMAIL, ADMIN_PASSWORD).await;
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
