//! The editorial calendar in Chromium: a scheduled article dragged to another day moves there
//! at the same time, a planned draft dragged to another day is planned for it, and the month
//! and week views pass axe.

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
    let draft_fields = [
        ("headline", "Election explainer"),
        ("body", "Later."),
        ("action", "save"),
    ];
    let draft = app.write_article(&http, &draft_fields).await;
    let editor = app
        .page_text(&http, &format!("/admin/articles/{}", draft.0))
        .await;
    let planned = http
        .post(app.url(&format!("/admin/articles/{}/plan", draft.0)))
        .form(&[
            ("csrf", gazette_testkit::csrf_of(&editor)),
            ("planned_on", tomorrow.to_string()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(planned.status(), 303);
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

    // The planned draft, dragged to the day after, is planned for it.
    browser
        .goto(&app.url(&format!("/admin/calendar?view=week&from={today}")))
        .await;
    browser
        .leave_page_by(
            script,
            &[
                serde_json::json!(draft.0),
                serde_json::json!(later.to_string()),
            ],
        )
        .await;
    assert!(location(&browser).await.contains("done=planned"));
    assert_eq!(
        app.store.article_plan(draft).await.unwrap(),
        Some(later.to_string())
    );
}
