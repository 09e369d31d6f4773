//! The store contract: every store method behaves the same on SQLite and PostgreSQL.
//!
//! Each `async fn` below takes a fresh, migrated store and a manual clock; the
//! `store_contract!` macro runs it once per backend. PostgreSQL runs need
//! `GAZETTE_TEST_DATABASE_URL`: without it they are ignored (`cfg(gazette_test_database_url)`,
//! set by `build.rs`), and under `CI` they fail instead.

#![expect(
    clippy::unwrap_used,
    reason = "a failed unwrap is a failed test, with its message"
)]

use std::collections::BTreeSet;
use std::sync::Arc;

use gazette_core::password::PasswordHash;
use gazette_core::session::SessionToken;
use gazette_core::{
    ArticleId, BodyFormat, Email, FeaturedImage, Genre, Issn, ManualClock, PageId, PersonId,
    Publication, Role, SafeHtml, SectionId, Slug, Status, TagId,
};
use gazette_store::testing::TestDatabase;
use gazette_store::{
    ArticleFilter, ChangeId, ChangeKind, Constraint, NewArticle, NewJob, NewPage, NewPerson,
    NewSection, NewTag, PUBLISH_SCHEDULED, Store, StoreError,
};
use jiff::{SignedDuration, Timestamp};

struct Harness {
    store: Store,
    clock: Arc<ManualClock>,
    _db: TestDatabase,
}

fn start_time() -> Timestamp {
    "2026-05-04T08:00:00Z".parse().unwrap()
}

async fn harness(db: TestDatabase) -> Harness {
    let clock = Arc::new(ManualClock::new(start_time()));
    let store = db.store(clock.clone()).await;
    Harness {
        store,
        clock,
        _db: db,
    }
}

macro_rules! store_contract {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name(super::harness(gazette_store::testing::TestDatabase::sqlite()).await).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                #[cfg_attr(
                    not(gazette_test_database_url),
                    ignore = "needs GAZETTE_TEST_DATABASE_URL (see README)"
                )]
                async fn $name() {
                    let Some(db) = gazette_store::testing::TestDatabase::postgres().await else { return };
                    super::$name(super::harness(db).await).await;
                }
            )*
        }
    };
}

#[path = "contract/comments.rs"]
mod comments;
#[path = "contract/listings.rs"]
mod listings;
#[path = "contract/media.rs"]
mod media;
#[path = "contract/public_comments.rs"]
mod public_comments;
#[path = "contract/redirects.rs"]
mod redirects;
#[path = "contract/schema.rs"]
mod schema;

store_contract!(
    migrating_twice_changes_nothing,
    publication_settings_round_trip,
    server_secret_is_set_once,
    people_are_found_by_id_email_and_slug,
    duplicate_people_are_conflicts,
    sessions_expire_and_end,
    sections_and_tags_round_trip,
    section_with_unknown_parent_is_an_invalid_reference,
    articles_round_trip_with_their_links,
    article_updates_replace_links_and_stamp_time,
    duplicate_article_slug_is_a_conflict,
    failed_unit_of_work_leaves_nothing,
    imported_ids_are_kept_and_new_ids_go_above,
    pages_are_unique_per_parent,
    every_write_records_its_changes,
    change_log_pages_and_prunes,
    jobs_wait_for_their_due_time,
    failed_jobs_back_off_then_give_up,
    dedupe_key_moves_a_job_instead_of_adding_one,
    expired_lease_lets_another_node_take_over,
    racing_claimers_get_each_job_once,
    concurrent_writers_are_seen_in_order_exactly_once,
    published_listings_filter_and_page,
    scheduling_an_article_keeps_one_job_in_step,
    sign_in_failures_count_within_a_window,
    retired_paths_point_at_their_article,
);

// ---------------------------------------------------------------------------------------------
// Helpers

async fn add_person(
    store: &Store,
    name: &str,
    email: &str,
) -> Result<gazette_core::Person, StoreError> {
    let new = NewPerson {
        display_name: name.to_owned(),
        slug: Slug::from_headline(name),
        email: Email::parse(email).unwrap(),
        role: Role::Author,
        password_hash: Some(PasswordHash::from_stored("$argon2id$fake".to_owned())),
        bio: format!("{name} writes about things."),
        active: true,
    };
    store
        .write(|tx| Box::pin(async move { tx.insert_person(&new).await }))
        .await
}

async fn add_section(
    store: &Store,
    slug: &str,
    parent: Option<SectionId>,
) -> Result<gazette_core::Section, StoreError> {
    let new = NewSection {
        slug: Slug::parse(slug).unwrap(),
        name: slug.to_uppercase(),
        description: String::new(),
        parent,
    };
    store
        .write(|tx| Box::pin(async move { tx.insert_section(&new).await }))
        .await
}

async fn add_tag(store: &Store, slug: &str) -> gazette_core::Tag {
    let new = NewTag {
        slug: Slug::parse(slug).unwrap(),
        name: slug.to_owned(),
        description: "d".to_owned(),
    };
    store
        .write(|tx| Box::pin(async move { tx.insert_tag(&new).await }))
        .await
        .unwrap()
}

fn article(headline: &str) -> NewArticle {
    NewArticle::draft(
        headline,
        "Body *text*.",
        SafeHtml::assume_sanitized("<p>Body <em>text</em>.</p>".into()),
        1,
    )
}

async fn add_article(store: &Store, new: NewArticle) -> Result<gazette_core::Article, StoreError> {
    store
        .write(|tx| Box::pin(async move { tx.insert_article(new).await }))
        .await
}

async fn all_changes(store: &Store) -> Vec<gazette_store::Change> {
    store.changes_after(ChangeId(0), 10_000).await.unwrap()
}

// ---------------------------------------------------------------------------------------------
// Schema and settings

async fn migrating_twice_changes_nothing(h: Harness) {
    let again = h.store.migrate().await.unwrap();
    assert_eq!(again.previous_version, gazette_store::LATEST_SCHEMA_VERSION);
    assert!(again.applied.is_empty());
    assert!(!again.was_empty());
}

async fn publication_settings_round_trip(h: Harness) {
    assert_eq!(h.store.publication().await.unwrap(), None);
    let mut publication = Publication::sample();
    publication.issn = Some(Issn::parse("2330-717X").unwrap());
    publication.name = "Le Journal d'Été".to_owned();
    let saved = publication.clone();
    h.store
        .write(|tx| Box::pin(async move { tx.put_publication(&saved).await }))
        .await
        .unwrap();
    assert_eq!(
        h.store.publication().await.unwrap(),
        Some(publication.clone())
    );
    publication.tagline = "changed".to_owned();
    let saved = publication.clone();
    h.store
        .write(|tx| Box::pin(async move { tx.put_publication(&saved).await }))
        .await
        .unwrap();
    assert_eq!(
        h.store.publication().await.unwrap().unwrap().tagline,
        "changed"
    );
}

async fn server_secret_is_set_once(h: Harness) {
    assert_eq!(h.store.server_secret().await.unwrap(), None);
    let first = h
        .store
        .write(|tx| Box::pin(async move { tx.ensure_server_secret("first").await }))
        .await
        .unwrap();
    let second = h
        .store
        .write(|tx| Box::pin(async move { tx.ensure_server_secret("second").await }))
        .await
        .unwrap();
    assert_eq!((first.as_str(), second.as_str()), ("first", "first"));
    assert_eq!(
        h.store.server_secret().await.unwrap().as_deref(),
        Some("first")
    );
}

// ---------------------------------------------------------------------------------------------
// People and sessions

async fn people_are_found_by_id_email_and_slug(h: Harness) {
    let zoe = add_person(&h.store, "Zoé Martin", "Zoe.Martin@Example.org")
        .await
        .unwrap();
    let abe = add_person(&h.store, "Abe Lincoln", "abe@example.org")
        .await
        .unwrap();
    assert_eq!(zoe.created_at, start_time());
    assert_eq!(h.store.person(zoe.id).await.unwrap(), Some(zoe.clone()));
    let by_email = h
        .store
        .person_by_email(&Email::parse("zoe.martin@EXAMPLE.org").unwrap())
        .await
        .unwrap();
    assert_eq!(by_email, Some(zoe.clone()));
    assert_eq!(by_email.unwrap().email.as_str(), "Zoe.Martin@Example.org");
    assert_eq!(
        h.store
            .person_by_slug(&Slug::parse("zoe-martin").unwrap())
            .await
            .unwrap(),
        Some(zoe.clone())
    );
    assert_eq!(h.store.person(PersonId(9999)).await.unwrap(), None);
    let names: Vec<_> = h
        .store
        .people()
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.display_name)
        .collect();
    assert_eq!(names, ["Abe Lincoln", "Zoé Martin"]);
    let hash = PasswordHash::from_stored("$argon2id$other".to_owned());
    let id = abe.id;
    let stored = hash.clone();
    h.store
        .write(|tx| Box::pin(async move { tx.set_password(id, &stored).await }))
        .await
        .unwrap();
    assert_eq!(
        h.store.person(abe.id).await.unwrap().unwrap().password_hash,
        Some(hash.clone())
    );
    let missing = h
        .store
        .write(|tx| Box::pin(async move { tx.set_password(PersonId(9999), &hash).await }))
        .await;
    assert!(
        matches!(missing, Err(StoreError::NotFound { what: "person" })),
        "{missing:?}"
    );
}

async fn duplicate_people_are_conflicts(h: Harness) {
    add_person(&h.store, "Ann Lee", "ann@example.org")
        .await
        .unwrap();
    let same_email = add_person(&h.store, "Ann Other", "ANN@example.org")
        .await
        .unwrap_err();
    assert!(
        same_email.is_conflict(&Constraint::PersonEmail),
        "{same_email:?}"
    );
    let same_slug = add_person(&h.store, "Ann Lee", "ann2@example.org")
        .await
        .unwrap_err();
    assert!(
        same_slug.is_conflict(&Constraint::PersonSlug),
        "{same_slug:?}"
    );
    assert_eq!(h.store.people().await.unwrap().len(), 1);
}

async fn sessions_expire_and_end(h: Harness) {
    let ann = add_person(&h.store, "Ann Lee", "ann@example.org")
        .await
        .unwrap();
    let (one, two) = (SessionToken::generate(), SessionToken::generate());
    let expires = start_time() + SignedDuration::from_hours(1);
    let (h1, h2) = (one.hash(), two.hash());
    h.store
        .write(|tx| {
            Box::pin(async move {
                tx.insert_session(&h1, ann.id, expires).await?;
                tx.insert_session(&h2, ann.id, expires + SignedDuration::from_hours(1))
                    .await
            })
        })
        .await
        .unwrap();
    assert_eq!(
        h.store
            .person_for_session(&one.hash())
            .await
            .unwrap()
            .map(|p| p.id),
        Some(ann.id)
    );
    assert_eq!(
        h.store
            .person_for_session(&SessionToken::generate().hash())
            .await
            .unwrap(),
        None
    );
    h.clock.advance(SignedDuration::from_mins(61));
    assert_eq!(
        h.store.person_for_session(&one.hash()).await.unwrap(),
        None,
        "expired"
    );
    assert!(
        h.store
            .person_for_session(&two.hash())
            .await
            .unwrap()
            .is_some()
    );
    let ended = h
        .store
        .write(|tx| Box::pin(async move { tx.delete_sessions_of(ann.id).await }))
        .await
        .unwrap();
    assert_eq!(ended, 2);
    assert_eq!(h.store.person_for_session(&two.hash()).await.unwrap(), None);
}

// ---------------------------------------------------------------------------------------------
// Sections, tags, articles, pages

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

// ---------------------------------------------------------------------------------------------
// The change log

async fn every_write_records_its_changes(h: Harness) {
    assert_eq!(h.store.latest_change_id().await.unwrap(), ChangeId(0));
    let ann = add_person(&h.store, "Ann Lee", "ann@example.org")
        .await
        .unwrap();
    let world = add_section(&h.store, "world", None).await.unwrap();
    let tag = add_tag(&h.store, "rain").await;
    let created = add_article(&h.store, article("Rain")).await.unwrap();
    h.store
        .write(|tx| Box::pin(async move { tx.put_publication(&Publication::sample()).await }))
        .await
        .unwrap();
    h.store
        .write(|tx| {
            Box::pin(async move {
                tx.record_bulk_change();
                Ok::<_, StoreError>(())
            })
        })
        .await
        .unwrap();
    // Sessions are not content: they record no change.
    let token = SessionToken::generate().hash();
    h.store
        .write(|tx| Box::pin(async move { tx.insert_session(&token, ann.id, start_time()).await }))
        .await
        .unwrap();
    let seen: Vec<_> = all_changes(&h.store)
        .await
        .into_iter()
        .map(|c| (c.id.0, c.kind, c.entity_id, c.at))
        .collect();
    let t = start_time();
    assert_eq!(
        seen,
        vec![
            (1, ChangeKind::Person, Some(ann.id.0), t),
            (2, ChangeKind::Section, Some(world.id.0), t),
            (3, ChangeKind::Tag, Some(tag.id.0), t),
            (4, ChangeKind::Article, Some(created.id.0), t),
            (5, ChangeKind::Settings, None, t),
            (6, ChangeKind::Bulk, None, t),
        ]
    );
    assert_eq!(h.store.latest_change_id().await.unwrap(), ChangeId(6));
    assert_eq!(h.store.oldest_change_id().await.unwrap(), Some(ChangeId(1)));
}

async fn change_log_pages_and_prunes(h: Harness) {
    for n in 0..5 {
        add_tag(&h.store, &format!("tag-{n}")).await;
        h.clock.advance(SignedDuration::from_hours(24));
    }
    let page: Vec<_> = h
        .store
        .changes_after(ChangeId(2), 2)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.id.0)
        .collect();
    assert_eq!(page, [3, 4]);
    // Keep the last two days: changes 1–3 (days 0–2) go.
    let pruned = h
        .store
        .prune_changes(start_time() + SignedDuration::from_hours(72))
        .await
        .unwrap();
    assert_eq!(pruned, 3);
    assert_eq!(h.store.oldest_change_id().await.unwrap(), Some(ChangeId(4)));
    // Pruning everything still keeps the newest change, so the head stays known.
    h.store
        .prune_changes(start_time() + SignedDuration::from_hours(24 * 30))
        .await
        .unwrap();
    assert_eq!(h.store.oldest_change_id().await.unwrap(), Some(ChangeId(5)));
    assert_eq!(h.store.latest_change_id().await.unwrap(), ChangeId(5));
    add_tag(&h.store, "after-prune").await;
    assert_eq!(
        h.store.latest_change_id().await.unwrap(),
        ChangeId(6),
        "ids are never reused"
    );
}

// ---------------------------------------------------------------------------------------------
// Jobs

fn job(kind: &str, due_in: SignedDuration) -> NewJob {
    NewJob::new(
        kind,
        serde_json::json!({ "article": 7 }),
        start_time() + due_in,
    )
}

async fn enqueue(store: &Store, job: NewJob) -> gazette_store::JobId {
    store
        .write(|tx| Box::pin(async move { tx.enqueue_job(&job).await }))
        .await
        .unwrap()
}

async fn jobs_wait_for_their_due_time(h: Harness) {
    let lease = SignedDuration::from_mins(5);
    let id = enqueue(&h.store, job("publish", SignedDuration::from_mins(10))).await;
    assert_eq!(
        h.store.next_job_due().await.unwrap(),
        Some(start_time() + SignedDuration::from_mins(10))
    );
    assert_eq!(
        h.store.claim_due_job("node-a", lease).await.unwrap(),
        None,
        "not due yet"
    );
    h.clock.advance(SignedDuration::from_mins(10));
    let claimed = h
        .store
        .claim_due_job("node-a", lease)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (claimed.id, claimed.kind.as_str(), claimed.attempt),
        (id, "publish", 1)
    );
    assert_eq!(claimed.payload, serde_json::json!({ "article": 7 }));
    assert_eq!(
        h.store.claim_due_job("node-b", lease).await.unwrap(),
        None,
        "held by node-a"
    );
    let stats = h.store.job_stats().await.unwrap();
    assert_eq!((stats.pending, stats.due, stats.failed), (1, 1, 0));
    // The job's effect and its completion commit together.
    let done = claimed.clone();
    h.store
        .write(|tx| {
            Box::pin(async move {
                tx.insert_tag(&NewTag {
                    slug: Slug::parse("effect").unwrap(),
                    name: "e".into(),
                    description: String::new(),
                })
                .await?;
                tx.complete_job(&done).await
            })
        })
        .await
        .unwrap();
    assert_eq!(h.store.job_stats().await.unwrap().pending, 0);
    assert_eq!(h.store.next_job_due().await.unwrap(), None);
    assert_eq!(h.store.tags().await.unwrap().len(), 1);
}

async fn failed_jobs_back_off_then_give_up(h: Harness) {
    let lease = SignedDuration::from_mins(5);
    let mut new = job("notify", SignedDuration::ZERO);
    new.max_attempts = 2;
    enqueue(&h.store, new).await;
    let first = h.store.claim_due_job("n", lease).await.unwrap().unwrap();
    let retry = h.store.fail_job(&first, "smtp down").await.unwrap();
    assert_eq!(
        retry,
        gazette_store::JobRetry::At(start_time() + SignedDuration::from_secs(5))
    );
    assert_eq!(
        h.store.claim_due_job("n", lease).await.unwrap(),
        None,
        "backing off"
    );
    h.clock.advance(SignedDuration::from_secs(5));
    let second = h.store.claim_due_job("n", lease).await.unwrap().unwrap();
    assert_eq!(second.attempt, 2);
    assert_eq!(
        h.store.fail_job(&second, "smtp still down").await.unwrap(),
        gazette_store::JobRetry::GaveUp
    );
    h.clock.advance(SignedDuration::from_hours(2));
    assert_eq!(
        h.store.claim_due_job("n", lease).await.unwrap(),
        None,
        "failed jobs are not retried"
    );
    let stats = h.store.job_stats().await.unwrap();
    assert_eq!((stats.pending, stats.failed), (0, 1));
    assert!(matches!(
        h.store.fail_job(&second, "again").await,
        Err(StoreError::LostClaim)
    ));
}

async fn dedupe_key_moves_a_job_instead_of_adding_one(h: Harness) {
    let a = enqueue(
        &h.store,
        job("publish", SignedDuration::from_hours(1)).dedupe_key("publish:7"),
    )
    .await;
    let b = enqueue(
        &h.store,
        job("publish", SignedDuration::from_hours(3)).dedupe_key("publish:7"),
    )
    .await;
    assert_eq!(a, b);
    assert_eq!(h.store.job_stats().await.unwrap().pending, 1);
    assert_eq!(
        h.store.next_job_due().await.unwrap(),
        Some(start_time() + SignedDuration::from_hours(3))
    );
    let cancelled = h
        .store
        .write(|tx| Box::pin(async move { tx.cancel_job("publish:7").await }))
        .await
        .unwrap();
    assert!(cancelled);
    assert_eq!(h.store.job_stats().await.unwrap().pending, 0);
}

async fn expired_lease_lets_another_node_take_over(h: Harness) {
    let lease = SignedDuration::from_mins(5);
    enqueue(&h.store, job("publish", SignedDuration::ZERO)).await;
    let stale = h
        .store
        .claim_due_job("node-a", lease)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        h.store.next_job_due().await.unwrap(),
        Some(start_time() + lease),
        "wake when the lease ends"
    );
    h.clock.advance(lease);
    let fresh = h
        .store
        .claim_due_job("node-b", lease)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((fresh.id, fresh.attempt), (stale.id, 2));
    // node-a finishing late must not complete node-b's claim, and its effect is rolled back.
    let late = stale.clone();
    let outcome = h
        .store
        .write(|tx| {
            Box::pin(async move {
                tx.insert_tag(&NewTag {
                    slug: Slug::parse("late").unwrap(),
                    name: "l".into(),
                    description: String::new(),
                })
                .await?;
                tx.complete_job(&late).await
            })
        })
        .await;
    assert!(matches!(outcome, Err(StoreError::LostClaim)), "{outcome:?}");
    assert!(h.store.tags().await.unwrap().is_empty());
    h.store.complete_job(&fresh).await.unwrap();
}

async fn racing_claimers_get_each_job_once(h: Harness) {
    for n in 0..6 {
        enqueue(&h.store, job(&format!("job-{n}"), SignedDuration::ZERO)).await;
    }
    let mut claimers = Vec::new();
    for node in 0..4 {
        let store = h.store.clone();
        claimers.push(tokio::spawn(async move {
            let mut won = Vec::new();
            while let Some(job) = store
                .claim_due_job(&format!("node-{node}"), SignedDuration::from_mins(5))
                .await
                .unwrap()
            {
                won.push(job.kind.clone());
                store.complete_job(&job).await.unwrap();
            }
            won
        }));
    }
    let mut all = Vec::new();
    for claimer in claimers {
        all.extend(claimer.await.unwrap());
    }
    all.sort();
    assert_eq!(
        all,
        (0..6).map(|n| format!("job-{n}")).collect::<Vec<_>>(),
        "each job ran exactly once"
    );
}

async fn concurrent_writers_are_seen_in_order_exactly_once(h: Harness) {
    const WRITERS: usize = 24;
    let follower = {
        let store = h.store.clone();
        tokio::spawn(async move {
            let mut seen = Vec::new();
            let mut position = ChangeId(0);
            while seen.len() < WRITERS {
                for change in store.changes_after(position, 100).await.unwrap() {
                    position = change.id;
                    seen.push((change.id.0, change.entity_id));
                }
                tokio::time::sleep(std::time::Duration::from_millis(2)).await;
            }
            seen
        })
    };
    let mut writers = Vec::new();
    for n in 0..WRITERS {
        let store = h.store.clone();
        writers.push(tokio::spawn(async move {
            // Writers that start first sleep longest inside their unit of work, so on PostgreSQL
            // transactions commit in a different order than they began.
            let pause = std::time::Duration::from_millis(((WRITERS - n) * 3) as u64);
            let new = NewTag {
                slug: Slug::parse(&format!("t-{n}")).unwrap(),
                name: n.to_string(),
                description: String::new(),
            };
            store
                .write(|tx| {
                    Box::pin(async move {
                        let tag = tx.insert_tag(&new).await?;
                        tokio::time::sleep(pause).await;
                        Ok::<TagId, StoreError>(tag.id)
                    })
                })
                .await
                .unwrap()
        }));
    }
    let mut written = BTreeSet::new();
    for writer in writers {
        written.insert(writer.await.unwrap().0);
    }
    let seen = tokio::time::timeout(std::time::Duration::from_secs(30), follower)
        .await
        .unwrap()
        .unwrap();
    let ids: Vec<i64> = seen.iter().map(|(id, _)| *id).collect();
    assert_eq!(
        ids,
        (1..=WRITERS as i64).collect::<Vec<_>>(),
        "gapless, in order, once each"
    );
    let entities: BTreeSet<i64> = seen.iter().filter_map(|(_, entity)| *entity).collect();
    assert_eq!(entities, written);
}

#[tokio::test]
#[cfg_attr(
    not(gazette_test_database_url),
    ignore = "needs GAZETTE_TEST_DATABASE_URL (see README)"
)]
async fn postgresql_scheme_is_accepted_too() {
    let Some(database) = TestDatabase::postgres().await else {
        return;
    };
    let url = database.url().replacen("postgres://", "postgresql://", 1);
    assert!(url.starts_with("postgresql://"));
    let clock = Arc::new(ManualClock::new(start_time()));
    let store = Store::connect(&url, gazette_store::StoreOptions::new(clock))
        .await
        .unwrap();
    assert_eq!(store.kind(), gazette_store::BackendKind::Postgres);
    assert_eq!(
        store.migrate().await.unwrap().previous_version,
        gazette_store::LATEST_SCHEMA_VERSION
    );
    store.close().await;
}

#[tokio::test]
async fn unknown_schemes_are_refused_with_the_fix() {
    let clock = Arc::new(ManualClock::new(start_time()));
    let error = Store::connect(
        "mysql://root:pw@db/gazette",
        gazette_store::StoreOptions::new(clock),
    )
    .await
    .unwrap_err();
    let message = error.to_string();
    assert!(
        message.contains("postgres://") && message.contains("sqlite:"),
        "{message}"
    );
    assert!(!message.contains(":pw@"), "{message}");
}

// ---------------------------------------------------------------------------------------------
// Reading the journal, scheduling, the newsroom's bookkeeping

async fn published_listings_filter_and_page(h: Harness) {
    let ann = add_person(&h.store, "Ann Lee", "ann@example.org")
        .await
        .unwrap();
    let world = add_section(&h.store, "world", None).await.unwrap();
    let europe = add_section(&h.store, "europe", Some(world.id))
        .await
        .unwrap();
    let tag = add_tag(&h.store, "budget").await;
    for n in 0..5_i64 {
        let mut new = article(&format!("Story {n}"));
        new.status = Status::Published;
        new.published_at = Some(start_time() + SignedDuration::from_hours(n));
        new.authors = vec![ann.id];
        new.primary_section = Some(if n % 2 == 0 { world.id } else { europe.id });
        new.tags = if n < 2 { vec![tag.id] } else { vec![] };
        add_article(&h.store, new).await.unwrap();
    }
    let mut draft = article("Not yet");
    draft.primary_section = Some(world.id);
    add_article(&h.store, draft).await.unwrap();

    let first = h
        .store
        .published_articles(&ArticleFilter::All, 0, 2)
        .await
        .unwrap();
    assert_eq!(first.total, 5, "drafts are not counted");
    let headlines: Vec<_> = first.articles.iter().map(|a| a.headline.as_str()).collect();
    assert_eq!(headlines, ["Story 4", "Story 3"], "newest first");
    assert_eq!(
        first.articles[0].authors,
        vec![ann.id],
        "links load with the page"
    );
    let last = h
        .store
        .published_articles(&ArticleFilter::All, 4, 2)
        .await
        .unwrap();
    assert_eq!(last.articles.len(), 1);
    let in_europe = ArticleFilter::InSections(vec![europe.id]);
    assert_eq!(
        h.store
            .published_articles(&in_europe, 0, 10)
            .await
            .unwrap()
            .total,
        2
    );
    let both = ArticleFilter::InSections(vec![world.id, europe.id]);
    assert_eq!(
        h.store
            .published_articles(&both, 0, 10)
            .await
            .unwrap()
            .total,
        5
    );
    let tagged = ArticleFilter::Tagged(tag.id);
    assert_eq!(
        h.store
            .published_articles(&tagged, 0, 10)
            .await
            .unwrap()
            .total,
        2
    );
    let by_ann = ArticleFilter::ByAuthor(ann.id);
    assert_eq!(
        h.store
            .published_articles(&by_ann, 0, 10)
            .await
            .unwrap()
            .total,
        5
    );
    let hours = ArticleFilter::PublishedBetween {
        from: start_time() + SignedDuration::from_hours(1),
        until: start_time() + SignedDuration::from_hours(3),
    };
    assert_eq!(
        h.store
            .published_articles(&hours, 0, 10)
            .await
            .unwrap()
            .total,
        2,
        "[from, until)"
    );
}

async fn scheduling_an_article_keeps_one_job_in_step(h: Harness) {
    let due = start_time() + SignedDuration::from_hours(2);
    let mut new = article("Embargoed");
    new.status = Status::Scheduled;
    new.published_at = Some(due);
    let mut saved = add_article(&h.store, new).await.unwrap();
    assert_eq!(
        h.store.next_scheduled_publication().await.unwrap(),
        Some(due)
    );
    assert_eq!(h.store.job_stats().await.unwrap().pending, 1);
    // Moving the time moves the one job.
    saved.published_at = Some(due + SignedDuration::from_hours(1));
    let saved2 = saved.clone();
    let mut saved = h
        .store
        .write(|tx| Box::pin(async move { tx.update_article(&saved2).await }))
        .await
        .unwrap();
    assert_eq!(h.store.job_stats().await.unwrap().pending, 1);
    h.clock.advance(SignedDuration::from_hours(3));
    let job = h
        .store
        .claim_due_job("node", SignedDuration::from_mins(5))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(job.kind, PUBLISH_SCHEDULED);
    assert_eq!(job.payload["article_id"], saved.id.0);
    assert_eq!(job.due_at, due + SignedDuration::from_hours(1));
    h.store.fail_job(&job, "try again").await.unwrap();
    // Unscheduling cancels it.
    saved.status = Status::Draft;
    h.store
        .write(|tx| Box::pin(async move { tx.update_article(&saved).await }))
        .await
        .unwrap();
    assert_eq!(h.store.job_stats().await.unwrap().pending, 0);
    assert_eq!(h.store.next_scheduled_publication().await.unwrap(), None);
}

async fn sign_in_failures_count_within_a_window(h: Harness) {
    let window = SignedDuration::from_mins(15);
    let count = |key: &'static str| {
        h.store
            .write(move |tx| Box::pin(async move { tx.count_sign_in_failure(key, window).await }))
    };
    assert_eq!(count("account:ann").await.unwrap().failures, 1);
    assert_eq!(count("account:ann").await.unwrap().failures, 2);
    assert_eq!(
        count("address:10.0.0.1").await.unwrap().failures,
        1,
        "keys are separate"
    );
    let until = start_time() + SignedDuration::from_mins(30);
    h.store
        .write(|tx| Box::pin(async move { tx.lock_sign_in("account:ann", until).await }))
        .await
        .unwrap();
    let state = h
        .store
        .sign_in_throttle("account:ann")
        .await
        .unwrap()
        .unwrap();
    assert_eq!((state.failures, state.locked_until), (2, Some(until)));
    h.clock.advance(SignedDuration::from_mins(16));
    let fresh = count("account:ann").await.unwrap();
    assert_eq!(fresh.failures, 1, "an old window is forgotten");
    assert_eq!(
        fresh.window_started_at,
        start_time() + SignedDuration::from_mins(16)
    );
    h.store
        .write(|tx| Box::pin(async move { tx.clear_sign_in_failures("account:ann").await }))
        .await
        .unwrap();
    assert_eq!(h.store.sign_in_throttle("account:ann").await.unwrap(), None);
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
