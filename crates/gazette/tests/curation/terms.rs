//! Sections and tags renamed and merged, their archive addresses kept.

use gazette_testkit::{Backend, TestApp};

gazette_testkit::on_both_backends!(sections_and_tags_are_renamed_and_merged_keeping_archive_urls);

async fn sections_and_tags_are_renamed_and_merged_keeping_archive_urls(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let http = app.admin_client().await;
    // A new top-level section, then a child in it.
    let added = app
        .submit_form(
            &http,
            "/admin/sections",
            "/admin/sections",
            &[("name", "Harbour News"), ("slug", ""), ("parent", "0")],
        )
        .await;
    assert_eq!(added.status(), 303);
    let sections = app.store.sections().await.unwrap();
    let harbour = sections
        .iter()
        .find(|s| s.slug.as_str() == "harbour-news")
        .unwrap()
        .id;
    let added = app
        .submit_form(
            &http,
            "/admin/sections",
            "/admin/sections",
            &[("name", "Ferries"), ("parent", &harbour.0.to_string())],
        )
        .await;
    assert_eq!(added.status(), 303);
    let taken = app
        .submit_form(
            &http,
            "/admin/sections",
            "/admin/sections",
            &[("name", "Harbour news")],
        )
        .await;
    assert_eq!(taken.status(), 422);
    assert!(taken.text().await.unwrap().contains("That slug is taken"));
    app.caught_up().await;
    assert_eq!(
        app.status_and_location("/category/harbour-news/ferries/")
            .await
            .0,
        200
    );

    // Renaming the parent's slug moves the child's archive too: both old paths redirect.
    let edit = format!("/admin/sections/{}", harbour.0);
    let renamed = app
        .submit_form(
            &http,
            &edit,
            &edit,
            &[("name", "Port"), ("slug", "port"), ("parent", "0")],
        )
        .await;
    assert_eq!(renamed.status(), 303);
    app.caught_up().await;
    assert_eq!(
        app.status_and_location("/category/harbour-news/").await,
        (301, "/category/port/".to_owned())
    );
    assert_eq!(
        app.status_and_location("/category/harbour-news/ferries/")
            .await,
        (301, "/category/port/ferries/".to_owned())
    );
    assert_eq!(
        app.status_and_location("/category/port/ferries/").await.0,
        200
    );

    // A section cannot go under its own child.
    let ferries = app
        .store
        .sections()
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.slug.as_str() == "ferries")
        .unwrap();
    let looped = app
        .submit_form(
            &http,
            &edit,
            &edit,
            &[
                ("name", "Port"),
                ("slug", "port"),
                ("parent", &ferries.id.0.to_string()),
            ],
        )
        .await;
    assert_eq!(looped.status(), 422);

    // Merging a section with articles into another moves them and redirects its archive.
    // The section with the most articles (the demo files articles in child sections).
    let all_sections = app.store.sections().await.unwrap();
    let (_, counts) = app.store.taxonomy_counts().await.unwrap();
    let (world, world_articles) = all_sections
        .iter()
        .map(|s| (s, counts.get(&s.id).copied().unwrap_or(0)))
        .max_by_key(|(_, n)| *n)
        .unwrap();
    assert!(world_articles > 0, "{counts:?}");
    let world_path = match world.parent {
        Some(parent) => {
            let parent = all_sections.iter().find(|s| s.id == parent).unwrap();
            format!("/category/{}/{}/", parent.slug, world.slug)
        }
        None => format!("/category/{}/", world.slug),
    };
    let refused = app
        .submit_form(
            &http,
            &format!("/admin/sections/{}", world.id.0),
            &format!("/admin/sections/{}/delete", world.id.0),
            &[],
        )
        .await;
    assert_eq!(
        refused.status(),
        409,
        "a section with articles is merged, not deleted"
    );
    let world_edit = format!("/admin/sections/{}", world.id.0);
    let merged = app
        .submit_form(
            &http,
            &world_edit,
            &format!("{world_edit}/merge"),
            &[("into", &harbour.0.to_string())],
        )
        .await;
    assert_eq!(merged.status(), 303);
    app.caught_up().await;
    assert_eq!(
        app.status_and_location(&world_path).await,
        (301, "/category/port/".to_owned())
    );
    let (_, counts) = app.store.taxonomy_counts().await.unwrap();
    assert!(
        counts.get(&harbour).copied().unwrap_or(0) >= world_articles,
        "the articles moved"
    );

    // Tags: rename, then merge.
    let tags = app.store.tags().await.unwrap();
    let (first, second) = (&tags[0], &tags[1]);
    let old_path = format!("/tag/{}/", first.slug);
    let tag_edit = format!("/admin/tags/{}", first.id.0);
    let renamed = app
        .submit_form(
            &http,
            &tag_edit,
            &tag_edit,
            &[("name", "Renamed tag"), ("slug", "renamed-tag")],
        )
        .await;
    assert_eq!(renamed.status(), 303);
    app.caught_up().await;
    assert_eq!(
        app.status_and_location(&old_path).await,
        (301, "/tag/renamed-tag/".to_owned())
    );
    let merged = app
        .submit_form(
            &http,
            &tag_edit,
            &format!("{tag_edit}/merge"),
            &[("into", &second.id.0.to_string())],
        )
        .await;
    assert_eq!(merged.status(), 303);
    app.caught_up().await;
    let into = format!("/tag/{}/", second.slug);
    assert_eq!(
        app.status_and_location("/tag/renamed-tag/").await,
        (301, into.clone())
    );
    assert_eq!(app.status_and_location(&into).await.0, 200);
    assert!(
        app.store
            .tags()
            .await
            .unwrap()
            .iter()
            .all(|t| t.id != first.id)
    );

    // A new tag taking an old path is not shadowed by its redirect.
    let added = app
        .submit_form(
            &http,
            "/admin/tags",
            "/admin/tags",
            &[("name", "Renamed tag")],
        )
        .await;
    assert_eq!(added.status(), 303);
    app.caught_up().await;
    assert_eq!(app.status_and_location("/tag/renamed-tag/").await.0, 200);
}
