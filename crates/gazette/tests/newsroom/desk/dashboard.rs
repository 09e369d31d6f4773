//! The dashboard at `/admin/`: the day's schedule in the publication's zone, the review
//! queue for those who publish, one's own drafts, comments waiting, what was published last,
//! and a quick draft; old desk addresses lead to the article list.

use gazette_core::{Clock as _, Role};
use gazette_testkit::Backend;

use super::{admin, demo_in_zone, saved_id, staff, submit};

gazette_testkit::on_both_backends!(the_dashboard_shows_the_newsroom_its_day);

async fn the_dashboard_shows_the_newsroom_its_day(backend: Backend) {
    let Some((app, new_york)) = demo_in_zone(backend, "America/New_York").await else {
        return;
    };
    let now = app.clock.now().to_zoned(new_york.clone());
    let client = admin(&app).await;
    let (_, contributor) = staff(&app, "Carla", Role::Contributor).await;

    // Scheduled for tomorrow at 07:30 New York time, and for next week (not shown).
    let tomorrow = now.date().tomorrow().unwrap();
    for (headline, day) in [
        ("Morning briefing", tomorrow),
        (
            "Next week's feature",
            tomorrow.checked_add(jiff::Span::new().days(6)).unwrap(),
        ),
    ] {
        let at = format!("{day}T07:30");
        let scheduled = submit(
            &app,
            &client,
            "/admin/articles/new",
            &[
                ("headline", headline),
                ("body", "Soon."),
                ("publish_at", &at),
                ("action", "schedule"),
            ],
        )
        .await;
        saved_id(&scheduled);
    }
    // A contributor's submission waits for review; their draft is theirs alone.
    for (headline, action) in [("Council minutes", "submit"), ("Carla's notes", "save")] {
        let sent = submit(
            &app,
            &contributor,
            "/admin/articles/new",
            &[
                ("headline", headline),
                ("body", "Text."),
                ("action", action),
            ],
        )
        .await;
        assert_eq!(sent.status(), 303, "{headline}");
    }

    let page = |client: &reqwest::Client| {
        let request = client.get(app.url("/admin/"));
        async move {
            let response = request.send().await.unwrap();
            assert_eq!(response.status(), 200);
            response.text().await.unwrap()
        }
    };
    let dashboard = page(&client).await;
    let today = now.strftime("Today, %A %-d %B").to_string();
    assert!(dashboard.contains(&today), "{today}");
    let weekday = tomorrow.strftime("%a").to_string();
    let briefing = format!("<span class=\"when\">{weekday} 07:30 E");
    assert!(dashboard.contains(&briefing), "{briefing} in {dashboard}");
    assert!(dashboard.contains("Morning briefing"));
    assert!(
        !dashboard.contains("Next week&#39;s feature"),
        "not today or tomorrow"
    );
    assert!(dashboard.contains("Waiting for review") && dashboard.contains("Council minutes"));
    assert!(
        !dashboard.contains("Carla&#39;s notes"),
        "someone else's draft"
    );
    assert!(
        dashboard.contains("Published last")
            && dashboard.contains("Prime minister calls snap election")
    );
    assert!(
        dashboard.contains("waiting for moderation"),
        "the demo's held comment"
    );

    // The contributor: their draft, no review queue, no moderation.
    let theirs = page(&contributor).await;
    assert!(theirs.contains("My drafts") && theirs.contains("Carla&#39;s notes"));
    assert!(!theirs.contains("Waiting for review") && !theirs.contains("moderation"));

    // A quick draft opens in the editor.
    let csrf = gazette_testkit::csrf_of(&dashboard);
    let quick = client
        .post(app.url("/admin/articles/new"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("body_format", "markdown"),
            ("headline", "Idea: ferry timetables"),
            ("body", "Ask the port."),
            ("action", "save"),
        ])
        .send()
        .await
        .unwrap();
    let id = saved_id(&quick);
    let draft = app.store.article(id).await.unwrap().unwrap();
    assert_eq!(
        (draft.headline.as_str(), draft.body_source.as_str()),
        ("Idea: ferry timetables", "Ask the port.")
    );
    assert!(
        page(&client).await.contains("Idea: ferry timetables"),
        "among my drafts"
    );

    // An old desk address with a filter leads to the article list.
    let old = client
        .get(app.url("/admin/?status=draft&q=idea"))
        .send()
        .await
        .unwrap();
    assert_eq!(old.status(), 303);
    assert_eq!(
        old.headers()["location"],
        "/admin/articles?q=idea&status=draft"
    );
}

/// Each back-office page reads its query into the struct that names its parameters: a query
/// the struct cannot hold is refused with the fix, a parameter no page
/// names is ignored, and a notice's count never shows what the link wrote instead.
#[tokio::test]
async fn a_query_the_page_cannot_read_is_refused_with_the_fix() {
    let Some((app, _)) = demo_in_zone(Backend::Sqlite, "UTC").await else {
        return;
    };
    let client = admin(&app).await;
    for path in [
        "/admin/calendar?view=week&view=month",
        "/admin/articles?status=draft&status=trashed",
        "/admin/comments/?page=1&page=2",
        "/admin/media/?type=png&type=gif",
    ] {
        let refused = client.get(app.url(path)).send().await.unwrap();
        assert_eq!(refused.status(), 400, "{path}");
        let page = refused.text().await.unwrap();
        assert!(page.contains("remove the part after"), "{path}: {page}");
    }
    let tracked = app
        .page_text(
            &client,
            "/admin/articles?status=draft&utm_source=newsletter",
        )
        .await;
    assert!(tracked.contains("<h1"), "an unnamed parameter is ignored");
    let library = app
        .page_text(&client, "/admin/media/?uploaded=sign+in+at+evil.example")
        .await;
    assert!(
        !library.contains("evil.example"),
        "the count is shown only when it is a number"
    );
    let counted = app.page_text(&client, "/admin/media/?uploaded=2").await;
    assert!(counted.contains("Uploaded 2 images"));
}
