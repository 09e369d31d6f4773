//! Pages written nested and moved, their addresses kept.

use gazette_testkit::{Backend, TestApp};

gazette_testkit::on_both_backends!(pages_are_written_nested_and_moved_keeping_their_addresses);

async fn pages_are_written_nested_and_moved_keeping_their_addresses(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let http = app.admin_client().await;
    let about = app
        .store
        .pages()
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.slug.as_str() == "about")
        .unwrap();
    let parent = about.id.0.to_string();
    let new = "/admin/pages/new";
    let created = app
        .submit_form(
            &http,
            new,
            new,
            &[
                ("title", "Our team"),
                ("slug", "team"),
                ("parent", &parent),
                ("body", "Who makes the paper."),
                ("action", "publish"),
            ],
        )
        .await;
    assert_eq!(created.status(), 303);
    let draft = app
        .submit_form(
            &http,
            new,
            new,
            &[("title", "Jobs"), ("body", "Soon."), ("action", "draft")],
        )
        .await;
    assert_eq!(draft.status(), 303);
    let reserved = app
        .submit_form(
            &http,
            new,
            new,
            &[("title", "Admin"), ("slug", "admin"), ("action", "publish")],
        )
        .await;
    assert_eq!(reserved.status(), 422);
    assert!(reserved.text().await.unwrap().contains("reserved"));
    app.caught_up().await;
    assert_eq!(app.status_and_location("/about/team/").await.0, 200);
    assert_eq!(
        app.status_and_location("/jobs/").await.0,
        404,
        "drafts are not public"
    );

    // Moving the parent keeps both addresses.
    let edit = format!("/admin/pages/{}/edit", about.id.0);
    let moved = app
        .submit_form(
            &http,
            &edit,
            &edit,
            &[
                ("title", &about.title),
                ("slug", "who-we-are"),
                ("parent", "0"),
                ("body", &about.body_source),
                ("action", "publish"),
            ],
        )
        .await;
    assert_eq!(moved.status(), 303);
    app.caught_up().await;
    assert_eq!(
        app.status_and_location("/about/").await,
        (301, "/who-we-are/".to_owned())
    );
    assert_eq!(
        app.status_and_location("/about/team/").await,
        (301, "/who-we-are/team/".to_owned())
    );
    assert_eq!(app.status_and_location("/who-we-are/team/").await.0, 200);

    // A page with sub-pages is not deleted.
    let refused = app
        .submit_form(
            &http,
            &edit,
            &format!("/admin/pages/{}/delete", about.id.0),
            &[],
        )
        .await;
    assert_eq!(refused.status(), 409);
    assert!(
        app.store
            .pages()
            .await
            .unwrap()
            .iter()
            .any(|p| p.id == about.id)
    );
}
