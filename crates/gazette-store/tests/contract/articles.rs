//! The sections, tags, articles and pages part of the store contract, with units of work,
//! imported ids and retired paths.

use gazette_core::{
    ArticleId, BodyFormat, FeaturedImage, Genre, PageId, PersonId, SafeHtml, SectionId, Slug,
    Status,
};
use gazette_store::{Constraint, NewPage, NewTag, StoreError};
use jiff::SignedDuration;

use super::{
    Harness, add_article, add_person, add_section, add_tag, all_changes, article, harness,
    start_time,
};

store_contract!(
    sections_and_tags_round_trip,
    section_with_unknown_parent_is_an_invalid_reference,
    articles_round_trip_with_their_links,
    article_updates_replace_links_and_stamp_time,
    duplicate_article_slug_is_a_conflict,
    failed_unit_of_work_leaves_nothing,
    imported_ids_are_kept_and_new_ids_go_above,
    pages_are_unique_per_parent,
    retired_paths_point_at_their_article,
);

async fn sections_and_tags_round_trip(h: Harness) {
    let world = add_section(&h.store, "world", None).await.unwrap();
    let europe = add_section(&h.store, "europe", Some(world.id))
        .await
        .unwrap();
    assert_eq!(
        h.store.sections().await.unwrap(),
        vec![europe.clone(), world.clone()]
    );
    assert_eq!(europe.parent, Some(world.id));
    let again = add_section(&h.store, "world", None).await.unwrap_err();
    assert!(again.is_conflict(&Constraint::SectionSlug), "{again:?}");
    let tag = add_tag(&h.store, "climate").await;
    assert_eq!(h.store.tags().await.unwrap(), vec![tag]);
    let new = NewTag {
        slug: Slug::parse("climate").unwrap(),
        name: "x".into(),
        description: String::new(),
    };
    let dup = h
        .store
        .write(|tx| Box::pin(async move { tx.insert_tag(&new).await }))
        .await
        .unwrap_err();
    assert!(dup.is_conflict(&Constraint::TagSlug), "{dup:?}");
}

async fn section_with_unknown_parent_is_an_invalid_reference(h: Harness) {
    let error = add_section(&h.store, "orphan", Some(SectionId(4242)))
        .await
        .unwrap_err();
    assert!(matches!(error, StoreError::InvalidReference), "{error:?}");
    assert!(h.store.sections().await.unwrap().is_empty());
}

async fn articles_round_trip_with_their_links(h: Harness) {
    let ann = add_person(&h.store, "Ann Lee", "ann@example.org")
        .await
        .unwrap();
    let bob = add_person(&h.store, "Bob Ray", "bob@example.org")
        .await
        .unwrap();
    let world = add_section(&h.store, "world", None).await.unwrap();
    let europe = add_section(&h.store, "europe", Some(world.id))
        .await
        .unwrap();
    let opinion = add_section(&h.store, "opinion", None).await.unwrap();
    let (t1, t2) = (
        add_tag(&h.store, "elections").await,
        add_tag(&h.store, "budget").await,
    );
    let mut new = article("Élection à Zürich");
    new.standfirst = "What happened, and why".into();
    new.authors = vec![bob.id, ann.id];
    new.primary_section = Some(europe.id);
    new.further_sections = vec![opinion.id, world.id];
    new.tags = vec![t2.id, t1.id];
    new.featured_image = Some(FeaturedImage {
        src: "/media/2026/05/x.jpg".into(),
        alt: "A ballot box".into(),
        caption: "Voting".into(),
        credit: "Ann Lee".into(),
        media: None,
    });
    new.genre = Genre::Analysis;
    new.status = Status::Published;
    new.password = Some("secret".into());
    new.sticky = true;
    new.comments_open = false;
    new.published_at = Some(start_time());
    new.corrections = "An earlier version misspelt Zürich.".into();
    new.legacy_guid = Some("http://old.example/?p=1".into());
    let created = add_article(&h.store, new).await.unwrap();
    assert_eq!(created.slug.as_str(), "election-a-zurich");
    let loaded = h.store.article(created.id).await.unwrap().unwrap();
    assert_eq!(loaded, created);
    assert_eq!(loaded.authors, vec![bob.id, ann.id], "byline order is kept");
    assert_eq!(loaded.tags, vec![t2.id, t1.id]);
    assert_eq!(
        h.store.article_by_slug(&created.slug).await.unwrap(),
        Some(created.clone())
    );
    assert_eq!(h.store.article(ArticleId(99_999)).await.unwrap(), None);
    let published = h
        .store
        .articles_with_status(Status::Published, 10)
        .await
        .unwrap();
    assert_eq!(published, vec![created]);
    assert!(
        h.store
            .articles_with_status(Status::Draft, 10)
            .await
            .unwrap()
            .is_empty()
    );
}

async fn article_updates_replace_links_and_stamp_time(h: Harness) {
    let ann = add_person(&h.store, "Ann Lee", "ann@example.org")
        .await
        .unwrap();
    let tag = add_tag(&h.store, "climate").await;
    let mut new = article("Rain");
    new.authors = vec![ann.id];
    let created = add_article(&h.store, new).await.unwrap();
    h.clock.advance(SignedDuration::from_mins(5));
    let mut edited = created.clone();
    edited.headline = "Rain, again".into();
    edited.body_format = BodyFormat::Html;
    edited.tags = vec![tag.id];
    edited.authors = vec![];
    let saved = h
        .store
        .write(|tx| Box::pin(async move { tx.update_article(&edited).await }))
        .await
        .unwrap();
    assert_eq!(
        saved.updated_at,
        start_time() + SignedDuration::from_mins(5)
    );
    let loaded = h.store.article(created.id).await.unwrap().unwrap();
    assert_eq!(loaded, saved);
    assert_eq!((loaded.tags, loaded.authors), (vec![tag.id], vec![]));
    assert_eq!(loaded.created_at, start_time());
    let mut ghost = saved.clone();
    ghost.id = ArticleId(12345);
    let missing = h
        .store
        .write(|tx| Box::pin(async move { tx.update_article(&ghost).await }))
        .await;
    assert!(
        matches!(missing, Err(StoreError::NotFound { .. })),
        "{missing:?}"
    );
}

async fn duplicate_article_slug_is_a_conflict(h: Harness) {
    add_article(&h.store, article("Same headline"))
        .await
        .unwrap();
    let error = add_article(&h.store, article("Same headline"))
        .await
        .unwrap_err();
    assert!(error.is_conflict(&Constraint::ArticleSlug), "{error:?}");
    let ann = add_person(&h.store, "Ann Lee", "ann@example.org")
        .await
        .unwrap();
    let mut twice = article("Twice");
    twice.authors = vec![ann.id, ann.id];
    let error = add_article(&h.store, twice).await.unwrap_err();
    assert!(
        error.is_conflict(&Constraint::ArticleAuthorOnce),
        "{error:?}"
    );
}

async fn failed_unit_of_work_leaves_nothing(h: Harness) {
    let before = all_changes(&h.store).await.len();
    let mut bad = article("Ghost writer");
    bad.authors = vec![PersonId(777)];
    let error = add_article(&h.store, bad).await.unwrap_err();
    assert!(matches!(error, StoreError::InvalidReference), "{error:?}");
    // An error returned by the closure after successful writes rolls them back too.
    let result: Result<(), StoreError> = h
        .store
        .write(|tx| {
            Box::pin(async move {
                tx.insert_article(article("Half written")).await?;
                Err(StoreError::NotFound {
                    what: "something the closure needed",
                })
            })
        })
        .await;
    assert!(result.is_err());
    assert!(
        h.store
            .article_by_slug(&Slug::parse("ghost-writer").unwrap())
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        h.store
            .article_by_slug(&Slug::parse("half-written").unwrap())
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        all_changes(&h.store).await.len(),
        before,
        "no change rows either"
    );
}

async fn imported_ids_are_kept_and_new_ids_go_above(h: Harness) {
    let mut imported = article("Imported");
    imported.id = Some(ArticleId(500));
    imported.legacy_wp_id = Some(500);
    assert_eq!(
        add_article(&h.store, imported).await.unwrap().id,
        ArticleId(500)
    );
    let fresh = add_article(&h.store, article("Fresh")).await.unwrap();
    assert!(fresh.id > ArticleId(500), "{:?}", fresh.id);
    let mut clash = article("Clash");
    clash.legacy_wp_id = Some(500);
    let error = add_article(&h.store, clash).await.unwrap_err();
    assert!(error.is_conflict(&Constraint::ArticleLegacyId), "{error:?}");
}

async fn pages_are_unique_per_parent(h: Harness) {
    let page = |parent: Option<PageId>, slug: &str| NewPage {
        parent,
        slug: Slug::parse(slug).unwrap(),
        title: slug.to_uppercase(),
        body_format: BodyFormat::Markdown,
        body_source: "Hi".into(),
        body_html: SafeHtml::assume_sanitized("<p>Hi</p>".into()),
        render_version: 1,
        status: Status::Published,
        published_at: Some(start_time()),
    };
    let insert = |new: NewPage| {
        h.store
            .write(move |tx| Box::pin(async move { tx.insert_page(&new).await }))
    };
    let about = insert(page(None, "about")).await.unwrap();
    let team = insert(page(Some(about.id), "team")).await.unwrap();
    insert(page(None, "team")).await.unwrap();
    let dup_root = insert(page(None, "about")).await.unwrap_err();
    assert!(dup_root.is_conflict(&Constraint::PagePath), "{dup_root:?}");
    let dup_child = insert(page(Some(about.id), "team")).await.unwrap_err();
    assert!(
        dup_child.is_conflict(&Constraint::PagePath),
        "{dup_child:?}"
    );
    let pages = h.store.pages().await.unwrap();
    assert_eq!(pages.len(), 3);
    assert!(pages.contains(&team));
}

async fn retired_paths_point_at_their_article(h: Harness) {
    let a = add_article(&h.store, article("First")).await.unwrap();
    let b = add_article(&h.store, article("Second")).await.unwrap();
    let (a_id, b_id) = (a.id, b.id);
    h.store
        .write(|tx| Box::pin(async move { tx.retire_article_path("/2026/05/04/old/", a_id).await }))
        .await
        .unwrap();
    assert_eq!(
        h.store
            .article_for_retired_path("/2026/05/04/old/")
            .await
            .unwrap(),
        Some(a_id)
    );
    assert_eq!(
        h.store
            .article_for_retired_path("/elsewhere/")
            .await
            .unwrap(),
        None
    );
    h.store
        .write(|tx| Box::pin(async move { tx.retire_article_path("/2026/05/04/old/", b_id).await }))
        .await
        .unwrap();
    assert_eq!(
        h.store
            .article_for_retired_path("/2026/05/04/old/")
            .await
            .unwrap(),
        Some(b_id),
        "the latest owner wins"
    );
}
