//! Editing together over HTTP: the second person to open an article is told who has it and
//! since when, waits read-only, and may take it over; the first learns it on their next
//! heartbeat; a page closed or silent for 30 s is nobody's to wait for.

use gazette_core::{ArticleId, Clock as _, Role};
use gazette_testkit::{Backend, TestApp, csrf_of};
use serde_json::Value;

use super::desk::staff;

gazette_testkit::on_both_backends!(the_second_editor_waits_and_may_take_over);

/// The editor page of `article` for `client`, with its tab.
async fn open(app: &TestApp, client: &reqwest::Client, article: ArticleId) -> (String, String) {
    let page = app
        .page_text(client, &format!("/admin/articles/{}", article.0))
        .await;
    let tab = page
        .split("data-tab=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the page's tab")
        .to_owned();
    (page, tab)
}

async fn beat(
    app: &TestApp,
    client: &reqwest::Client,
    article: ArticleId,
    page: &str,
    tab: &str,
) -> Value {
    let response = client
        .post(app.url(&format!("/admin/articles/{}/presence", article.0)))
        .form(&[("csrf", csrf_of(page).as_str()), ("tab", tab)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

async fn the_second_editor_waits_and_may_take_over(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let (_, ann) = staff(&app, "Ann", Role::Editor).await;
    let (_, bob) = staff(&app, "Bob", Role::Editor).await;
    let article = app
        .write_article(
            &ann,
            &[
                ("headline", "Budget vote"),
                ("body", "Draft."),
                ("action", "save"),
            ],
        )
        .await;

    let (ann_page, ann_tab) = open(&app, &ann, article).await;
    assert!(!ann_page.contains(" inert"), "the first to open edits");
    let a_second_later = || {
        app.clock
            .set(app.clock.now() + jiff::SignedDuration::from_secs(1))
    };
    a_second_later();
    let (bob_page, bob_tab) = open(&app, &bob, article).await;
    assert!(
        bob_page
            .contains("<strong class=\"holder-name\">Ann</strong> has had this article open since"),
        "{bob_page}"
    );
    assert!(
        bob_page.contains(" inert data-no-autosave>"),
        "read-only while waiting"
    );

    let ann_sees = beat(&app, &ann, article, &ann_page, &ann_tab).await;
    assert_eq!(ann_sees["others"][0]["name"], "Bob");
    assert_eq!(ann_sees["waiting_for"], Value::Null);
    let bob_sees = beat(&app, &bob, article, &bob_page, &bob_tab).await;
    assert_eq!(bob_sees["waiting_for"]["name"], "Ann");

    // Bob takes over with the plain form.
    let took = bob
        .post(app.url(&format!("/admin/articles/{}/presence/take-over", article.0)))
        .form(&[
            ("csrf", csrf_of(&bob_page).as_str()),
            ("tab", bob_tab.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(took.status(), 303);
    let (bob_page, bob_tab) = open(&app, &bob, article).await;
    assert!(!bob_page.contains(" inert"), "Bob edits now");
    let ann_sees = beat(&app, &ann, article, &ann_page, &ann_tab).await;
    assert_eq!(
        ann_sees["taken_over_by"], "Bob",
        "Ann is told on her next beat"
    );

    // Ann reopens it: now she waits for Bob; when Bob's page closes, nobody waits.
    a_second_later();
    let (ann_page, ann_tab) = open(&app, &ann, article).await;
    assert!(ann_page.contains("<strong class=\"holder-name\">Bob</strong>"));
    let left = bob
        .post(app.url(&format!("/admin/articles/{}/presence/leave", article.0)))
        .form(&[
            ("csrf", csrf_of(&bob_page).as_str()),
            ("tab", bob_tab.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(left.status(), 204);
    let ann_sees = beat(&app, &ann, article, &ann_page, &ann_tab).await;
    assert_eq!(ann_sees["waiting_for"], Value::Null);

    // A page silent for more than 30 s has gone too.
    a_second_later();
    let (bob_page, _) = open(&app, &bob, article).await;
    assert!(bob_page.contains("<strong class=\"holder-name\">Ann</strong>"));
    app.clock
        .set(app.clock.now() + jiff::SignedDuration::from_secs(31));
    let (bob_page, _) = open(&app, &bob, article).await;
    assert!(!bob_page.contains(" inert"), "Ann's page went silent");

    let forged = bob
        .post(app.url(&format!("/admin/articles/{}/presence", article.0)))
        .form(&[("csrf", csrf_of(&bob_page).as_str()), ("tab", "../etc")])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 400);
    let (_, cal) = staff(&app, "Cal", Role::Contributor).await;
    let refused = cal
        .post(app.url(&format!("/admin/articles/{}/presence", article.0)))
        .form(&[("csrf", "x"), ("tab", bob_tab.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
}
