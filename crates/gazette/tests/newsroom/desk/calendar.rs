//! The editorial calendar: a month or a week of published and scheduled articles by day in
//! the publication's zone, and scheduled ones moved with the editor's rules.

use gazette_core::{Clock as _, Role};
use gazette_testkit::{Backend, csrf_of};

use super::{admin, demo_in_zone, saved_id, staff, submit};

gazette_testkit::on_both_backends!(the_calendar_shows_the_schedule_and_moves_it);

async fn the_calendar_shows_the_schedule_and_moves_it(backend: Backend) {
    let Some((app, new_york)) = demo_in_zone(backend, "America/New_York").await else {
        return;
    };
    let today = app.clock.now().to_zoned(new_york.clone()).date();
    let tomorrow = today.tomorrow().unwrap();
    let client = admin(&app).await;
    let at = format!("{tomorrow}T07:30");
    let id = saved_id(
        &submit(
            &app,
            &client,
            "/admin/articles/new",
            &[
                ("headline", "Morning briefing"),
                ("body", "Soon."),
                ("publish_at", &at),
                ("action", "schedule"),
            ],
        )
        .await,
    );
    let get = |path: String| {
        let request = client.get(app.url(&path));
        async move {
            let response = request.send().await.unwrap();
            (response.status(), response.text().await.unwrap())
        }
    };
    for view in ["month", "week"] {
        let (status, page) = get(format!("/admin/calendar?view={view}&from={today}")).await;
        assert_eq!(status, 200, "{view}");
        let cell = &page[page.find(&format!("data-date=\"{tomorrow}\"")).unwrap()..];
        let cell = &cell[..cell.find("</td>").unwrap()];
        assert!(
            cell.contains("<span class=\"time\">07:30</span> <a href=\"/admin/articles/")
                && cell.contains("Morning briefing")
                && cell.contains("draggable=\"true\""),
            "{view}: {cell}"
        );
        assert!(
            page.contains("Prime minister calls snap election"),
            "{view}: published ones too"
        );
        assert!(
            page.contains(&format!("value=\"{at}\"")),
            "{view}: the form without JavaScript"
        );
    }
    for bad in ["/admin/calendar?view=year", "/admin/calendar?from=tomorrow"] {
        assert_eq!(get(bad.to_owned()).await.0, 400, "{bad}");
    }
    // Days at the ends of time are refused with a reason, never an error of ours.
    for edge in [
        "/admin/calendar?from=9999-12-31",
        "/admin/calendar?view=week&from=9999-12-31",
        "/admin/calendar?from=-009999-01-01",
    ] {
        let (status, page) = get(edge.to_owned()).await;
        assert_eq!(status, 400, "{edge}");
        assert!(page.contains("years 1 to 9998"), "{edge}");
    }
    for edge in [
        "/admin/calendar?from=9998-12-31",
        "/admin/calendar?view=week&from=0001-01-01",
    ] {
        assert_eq!(get(edge.to_owned()).await.0, 200, "{edge}");
    }

    // Moved to the day after, at 18:00 New York time, through the list's form.
    let (_, page) = get("/admin/calendar".to_owned()).await;
    let csrf = csrf_of(&page);
    let version = {
        let marker = "name=\"version\" value=\"";
        let start = page.find(marker).unwrap() + marker.len();
        page[start..start + page[start..].find('"').unwrap()].to_owned()
    };
    let later = tomorrow.tomorrow().unwrap();
    let reschedule = |fields: Vec<(&'static str, String)>| {
        let request = client
            .post(app.url("/admin/calendar/reschedule"))
            .form(&fields);
        async move { request.send().await.unwrap() }
    };
    let form = |version: &str, when: String| {
        vec![
            ("csrf", csrf.clone()),
            ("id", id.0.to_string()),
            ("version", version.to_owned()),
            ("view", "month".to_owned()),
            ("publish_at", when),
        ]
    };
    // A minute on (a version is the time of its save).
    app.clock
        .set(app.clock.now() + jiff::SignedDuration::from_secs(60));
    let moved = reschedule(form(&version, format!("{later}T18:00"))).await;
    assert_eq!(moved.status(), 303);
    assert_eq!(
        moved.headers()["location"],
        format!("/admin/calendar?view=month&from={later}&done=rescheduled").as_str()
    );
    let article = app.store.article(id).await.unwrap().unwrap();
    let expected = later
        .at(18, 0, 0, 0)
        .to_zoned(new_york)
        .unwrap()
        .timestamp();
    assert_eq!(article.published_at, Some(expected));

    // The same form again is outdated; a past time and a published article are refused.
    assert_eq!(
        reschedule(form(&version, format!("{later}T19:00")))
            .await
            .status(),
        409
    );
    let version = article.updated_at.as_microsecond().to_string();
    let past = reschedule(form(&version, format!("{today}T00:00"))).await;
    assert_eq!(past.status(), 400);
    assert!(past.text().await.unwrap().contains("must be in the future"));
    let published = app
        .store
        .published_articles(&gazette_store::ArticleFilter::All, 0, 1)
        .await
        .unwrap()
        .articles
        .remove(0);
    let fields = vec![
        ("csrf", csrf.clone()),
        ("id", published.id.0.to_string()),
        ("version", published.updated_at.as_microsecond().to_string()),
        ("publish_at", format!("{later}T09:00")),
    ];
    let refused = reschedule(fields).await;
    assert_eq!(refused.status(), 400);
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("Only scheduled articles move")
    );

    // A contributor may not move an editor's article.
    let (_, contributor) = staff(&app, "Carla", Role::Contributor).await;
    let page = contributor
        .get(app.url("/admin/calendar"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        !page.contains("draggable=\"true\""),
        "nothing movable for a contributor"
    );
    let fields = vec![
        ("csrf", csrf_of(&page)),
        ("id", id.0.to_string()),
        ("version", version.clone()),
        ("publish_at", format!("{later}T09:00")),
    ];
    let request = contributor
        .post(app.url("/admin/calendar/reschedule"))
        .form(&fields);
    assert_eq!(request.send().await.unwrap().status(), 403);
}
