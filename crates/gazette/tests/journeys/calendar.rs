//! The editorial calendar in Chromium: a scheduled article dragged to another day moves there
//! at the same time, and the month and week views pass axe.

use gazette_core::Clock as _;
use gazette_testkit::browser::{self, Browser};
use gazette_testkit::{ADMIN_EMAIL, ADMIN_PASSWORD, Backend, TestApp};

use super::{location, sign_in};

in_chromium_on_both_backends! {
    drag_to_reschedule => drag_to_reschedule_on_sqlite, drag_to_reschedule_on_postgres;
}

async fn drag_to_reschedule(backend: Backend) {
    let _serial = browser::exclusive().await;
    let Some(browser) = Browser::start().await else {
        return;
    };
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let http = app.admin_client().await;
    let zone = app
        .store
        .publication()
        .await
        .unwrap()
        .unwrap()
        .time_zone
        .zone();
    let today = app.clock.now().to_zoned(zone.clone()).date();
    let (tomorrow, later) = (
        today.tomorrow().unwrap(),
        today.tomorrow().unwrap().tomorrow().unwrap(),
    );
    let at = format!("{tomorrow}T07:30");
    let fields = [
        ("headline", "Morning briefing"),
        ("body", "Soon."),
        ("publish_at", at.as_str()),
        ("action", "schedule"),
    ];
    let id = app.write_article(&http, &fields).await;
    app.clock
        .set(app.clock.now() + jiff::SignedDuration::from_secs(60));

    sign_in(&browser, &app, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    browser
        .goto(&app.url(&format!("/admin/calendar?view=week&from={today}")))
        .await;
    assert_eq!(browser.axe_violations().await, Vec::<String>::new(), "week");
    // HTML drag and drop, as Chromium runs it for a pointer: dragstart, dragover, drop.
    let script = "
        const [id, day] = arguments;
        const item = document.querySelector(`li[data-id='${id}']`);
        const cell = document.querySelector(`td[data-date='${day}']`);
        const data = new DataTransfer();
        window.gazetteOldPage = true;
        item.dispatchEvent(new DragEvent('dragstart', { dataTransfer: data, bubbles: true }));
        cell.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
        cell.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));";
    browser
        .leave_page_by(
            script,
            &[
                serde_json::json!(id.0),
                serde_json::json!(later.to_string()),
            ],
        )
        .await;
    assert!(location(&browser).await.contains("done=rescheduled"));
    let article = app.store.article(id).await.unwrap().unwrap();
    let expected = later.at(7, 30, 0, 0).to_zoned(zone).unwrap().timestamp();
    assert_eq!(
        article.published_at,
        Some(expected),
        "the same time, the day it was dropped on"
    );
    assert_eq!(
        browser.axe_violations().await,
        Vec::<String>::new(),
        "month"
    );
}
