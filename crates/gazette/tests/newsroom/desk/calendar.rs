//! The editorial calendar: a month or a week of published and scheduled articles by day in
//! the publication's zone, and scheduled ones moved with the editor's rules; drafts planned
//! for a day, planned from the editor and moved on the calendar.

use gazette_core::{Clock as _, Role};
use gazette_testkit::{Backend, csrf_of};

use super::{admin, demo_in_zone, saved_id, staff, submit};

gazette_testkit::on_both_backends!(
    the_calendar_shows_the_schedule_and_moves_it,
    drafts_are_planned_for_a_day,
);

async fn drafts_are_planned_for_a_day(backend: Backend) {
    let Some((app, new_york)) = demo_in_zone(backend, "America/New_York").await else {
        return;
    };
    let today = app.clock.now().to_zoned(new_york.clone()).date();
    let later = today.tomorrow().unwrap().tomorrow().unwrap();
    let client = admin(&app).await;
    let fields = [
        ("headline", "Election explainer"),
        ("body", "Soon."),
        ("action", "save"),
    ];
    let id = saved_id(&submit(&app, &client, "/admin/articles/new", &fields).await);
    let editor_path = format!("/admin/articles/{id}");
    let editor = app.page_text(&client, &editor_path).await;
    assert!(editor.contains("<label for=\"planned_on\">Planned for</label>"));
    let plan = |day: String, view: &'static str| {
        let request = client.post(app.url(&format!("{editor_path}/plan"))).form(&[
            ("csrf", csrf_of(&editor)),
            ("planned_on", day),
            ("view", view.to_owned()),
        ]);
        async move { request.send().await.unwrap() }
    };
    let planned = plan(today.to_string(), "").await;
    assert_eq!(planned.status(), 303);
    assert_eq!(
        planned.headers()["location"],
        format!("{editor_path}?planned=1#plan").as_str()
    );
    assert!(
        app.page_text(&client, &editor_path)
            .await
            .contains(&format!("value=\"{today}\""))
    );
    let calendar = app
        .page_text(&client, &format!("/admin/calendar?view=week&from={today}"))
        .await;
    let cell = calendar
        .split(&format!("data-date=\"{today}\""))
        .nth(1)
        .and_then(|rest| rest.split("</td>").next())
        .unwrap();
    assert!(
        cell.contains("status-planned") && cell.contains("Election explainer"),
        "on its day: {cell}"
    );
    assert!(calendar.contains("<h2 id=\"planned-heading\">Planned drafts</h2>"));

    // Moved from the calendar, it comes back to the calendar at the new day.
    let moved = plan(later.to_string(), "week").await;
    assert_eq!(
        moved.headers()["location"],
        format!("/admin/calendar?view=week&from={later}&done=planned").as_str()
    );
    assert_eq!(
        app.store.article_plan(id).await.unwrap(),
        Some(later.to_string())
    );
    for (day, status) in [("soon", 400), ("2026-02-30", 400)] {
        assert_eq!(plan(day.to_owned(), "").await.status(), status, "{day}");
    }
    let cleared = plan(String::new(), "").await;
    assert_eq!(cleared.status(), 303);
    assert_eq!(app.store.article_plan(id).await.unwrap(), None);

    // Published articles have their own time; others' drafts are not a contributor's to plan.
    let published = app
        .write_article(
            &client,
            &[("headline", "Out"), ("body", "Now."), ("action", "publish")],
        )
        .await;
    let page = app
        .page_text(&client, &format!("/admin/articles/{}", published.0))
        .await;
    assert!(!page.contains("planned_on"));
    let refused = client
        .post(app.url(&format!("/admin/articles/{}/plan", published.0)))
        .form(&[
            ("csrf", csrf_of(&page).as_str()),
            ("planned_on", "2030-01-01"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 400);
    let (_, cal) = staff(&app, "Cal", Role::Contributor).await;
    let cal_page = app.page_text(&cal, "/admin/articles/new").await;
    let refused = cal
        .post(app.url(&format!("{editor_path}/plan")))
        .form(&[
            ("csrf", csrf_of(&cal_page).as_str()),
            ("planned_on", "2030-01-01"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
}

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
