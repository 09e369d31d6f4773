//! Publishing from the desk: an article written and published, a contributor's submission
//! published by an editor, roles checked on the server, scheduling, and the desk's filters,
//! search and bulk actions.

use gazette_core::{Clock as _, Role, Status};
use gazette_testkit::{Backend, TestApp};
use jiff::SignedDuration;
use std::time::Duration;

use super::{admin, csrf_of, saved_id, staff, submit, submit_from};

gazette_testkit::on_both_backends!(
    an_article_written_and_published_appears_on_the_home_page,
    a_contributor_submits_and_an_editor_publishes,
    roles_are_checked_on_the_server,
    an_article_scheduled_in_the_editor_appears_on_time,
    the_desk_filters_searches_and_acts_in_bulk,
);

async fn an_article_written_and_published_appears_on_the_home_page(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let client = admin(&app).await;
    let response = submit(
        &app,
        &client,
        "/admin/articles/new",
        &[
            ("headline", "Harbour bridge reopens after repairs"),
            ("standfirst", "Traffic flows again."),
            (
                "body",
                "The bridge reopened at dawn.\n\n> “Finally,” said a cyclist.",
            ),
            ("tags", "Transport, Harbour news"),
            ("action", "publish"),
        ],
    )
    .await;
    let id = saved_id(&response);
    let article = app.store.article(id).await.unwrap().unwrap();
    assert_eq!(article.status, Status::Published);
    assert_eq!(
        article.slug.as_str(),
        "harbour-bridge-reopens-after-repairs"
    );
    assert!(
        article.body_html.as_str().contains("<blockquote>"),
        "rendered by the site's renderer"
    );
    assert_eq!(article.tags.len(), 2, "an existing tag and a new one");
    app.caught_up().await;
    let (_, home) = app.get_text("/").await;
    assert!(home.contains("Harbour bridge reopens after repairs"));
    let (status, page) = app.get_text(&app.published_path(id).await).await;
    assert_eq!(status, 200);
    assert!(page.contains("Finally"));
    let editor = client
        .get(app.url(&format!("/admin/articles/{}?saved=1", id)))
        .send()
        .await
        .unwrap();
    assert_eq!(editor.status(), 200);
}

async fn a_contributor_submits_and_an_editor_publishes(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let (_, contributor) = staff(&app, "Carla", Role::Contributor).await;
    let (_, editor) = staff(&app, "Eddie", Role::Editor).await;
    let refused = submit(
        &app,
        &contributor,
        "/admin/articles/new",
        &[("headline", "Council minutes"), ("action", "publish")],
    )
    .await;
    assert_eq!(refused.status(), 403, "contributors cannot publish");
    let page = contributor
        .get(app.url("/admin/articles/new"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        !page.contains("value=\"publish\""),
        "and are not offered the button"
    );
    let id = saved_id(
        &submit(
            &app,
            &contributor,
            "/admin/articles/new",
            &[("headline", "Council minutes"), ("action", "submit")],
        )
        .await,
    );
    assert_eq!(
        app.store.article(id).await.unwrap().unwrap().status,
        Status::PendingReview
    );
    let pending = editor
        .get(app.url("/admin/articles?status=pending_review"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        pending.contains("Council minutes"),
        "the editor sees it waiting"
    );
    let path = format!("/admin/articles/{id}");
    saved_id(&submit(&app, &editor, &path, &[("action", "publish")]).await);
    assert_eq!(
        app.store.article(id).await.unwrap().unwrap().status,
        Status::Published
    );
    // Published, it is no longer the contributor's to edit.
    assert_eq!(
        contributor
            .get(app.url(&path))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
}

async fn roles_are_checked_on_the_server(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let (_, author) = staff(&app, "Ada", Role::Author).await;
    let (_, other) = staff(&app, "Otto", Role::Author).await;
    let id = saved_id(
        &submit(
            &app,
            &author,
            "/admin/articles/new",
            &[("headline", "Ada's draft")],
        )
        .await,
    );
    let path = format!("/admin/articles/{id}");
    assert_eq!(
        other.get(app.url(&path)).send().await.unwrap().status(),
        403,
        "not another author's"
    );
    // Even a hand-made form with a valid token of its own session is refused.
    let mine = other
        .get(app.url("/admin/articles/new"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let forged = submit_from(
        &app,
        &other,
        &path,
        &mine,
        &[("headline", "Hijacked"), ("action", "publish")],
    )
    .await;
    assert_eq!(forged.status(), 403);
    assert_eq!(
        app.store.article(id).await.unwrap().unwrap().headline,
        "Ada's draft"
    );
    // The author may publish their own.
    saved_id(&submit(&app, &author, &path, &[("action", "publish")]).await);
    assert_eq!(
        app.store.article(id).await.unwrap().unwrap().status,
        Status::Published
    );
    // Without the form's token nothing is saved.
    let no_token = author
        .post(app.url(&path))
        .form(&[("headline", "x"), ("action", "trash")])
        .send()
        .await
        .unwrap();
    assert_eq!(no_token.status(), 403);
}

async fn an_article_scheduled_in_the_editor_appears_on_time(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let client = admin(&app).await;
    let past = submit(
        &app,
        &client,
        "/admin/articles/new",
        &[
            ("headline", "Too late"),
            ("action", "schedule"),
            ("publish_at", "2020-01-01T08:00"),
        ],
    )
    .await;
    assert_eq!(past.status(), 422, "a time in the past is refused");
    let at = (app.clock.now() + SignedDuration::from_hours(2)).to_zoned(jiff::tz::TimeZone::UTC);
    let when = at.strftime("%Y-%m-%dT%H:%M").to_string();
    let id = saved_id(
        &submit(
            &app,
            &client,
            "/admin/articles/new",
            &[
                ("headline", "Morning briefing"),
                ("action", "schedule"),
                ("publish_at", &when),
            ],
        )
        .await,
    );
    assert_eq!(
        app.store.article(id).await.unwrap().unwrap().status,
        Status::Scheduled
    );
    app.clock.advance(SignedDuration::from_hours(2));
    app.node().jobs.wake();
    for _ in 0..200 {
        if app.store.article(id).await.unwrap().unwrap().status == Status::Published {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    app.caught_up().await;
    assert!(app.get_text("/").await.1.contains("Morning briefing"));
}

async fn the_desk_filters_searches_and_acts_in_bulk(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let (author_id, author) = staff(&app, "Ada", Role::Author).await;
    let mine = saved_id(
        &submit(
            &app,
            &author,
            "/admin/articles/new",
            &[("headline", "Ada's 50% story")],
        )
        .await,
    );
    let client = admin(&app).await;
    let theirs = saved_id(
        &submit(
            &app,
            &client,
            "/admin/articles/new",
            &[("headline", "Admin's draft")],
        )
        .await,
    );

    let get = |path: &str| {
        let request = client.get(app.url(path));
        async move { request.send().await.unwrap().text().await.unwrap() }
    };
    let by_ada = get(&format!("/admin/articles?author={}", author_id.0)).await;
    assert!(
        by_ada.contains("Ada&#39;s 50% story") && !by_ada.contains("Admin&#39;s draft"),
        "{by_ada}"
    );
    let search = get("/admin/articles?q=50%25").await;
    assert!(
        search.contains("Ada&#39;s 50% story") && !search.contains("Prime minister"),
        "% is literal"
    );
    let politics = app
        .store
        .sections()
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.slug.as_str() == "politics")
        .unwrap();
    let in_politics = get(&format!("/admin/articles?section={}", politics.id.0)).await;
    assert!(in_politics.contains("budget fight") && !in_politics.contains("Offshore wind"));
    assert_eq!(
        client
            .get(app.url("/admin/articles?section=abc"))
            .send()
            .await
            .unwrap()
            .status(),
        400
    );

    // Bulk: the author may trash their own article but not the admin's.
    let desk = author
        .get(app.url("/admin/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let response = author
        .post(app.url("/admin/bulk"))
        .form(&[
            ("csrf", csrf_of(&desk)),
            ("bulk_action", "trash".into()),
            ("article", mine.0.to_string()),
            ("article", theirs.0.to_string()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    assert!(
        response.headers()["location"]
            .to_str()
            .unwrap()
            .ends_with("?done=bulk&changed=1&refused=1")
    );
    assert_eq!(
        app.store.article(mine).await.unwrap().unwrap().status,
        Status::Trashed
    );
    assert_eq!(
        app.store.article(theirs).await.unwrap().unwrap().status,
        Status::Draft
    );
    let trash = get("/admin/articles?status=trashed").await;
    assert!(trash.contains("Ada&#39;s 50% story"));
    let desk = get("/admin/").await;
    client
        .post(app.url("/admin/bulk"))
        .form(&[
            ("csrf", csrf_of(&desk)),
            ("bulk_action", "restore".into()),
            ("article", mine.0.to_string()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        app.store.article(mine).await.unwrap().unwrap().status,
        Status::Draft
    );
}
