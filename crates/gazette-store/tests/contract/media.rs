//! The media library part of the store contract.

use gazette_core::profile::AuthorProfile;
use gazette_core::{FeaturedImage, ImageFormat, Media, MediaId, Publication};
use gazette_store::{
    BackendKind, ChangeId, ChangeKind, Constraint, MediaDeletion, MediaFilter, MediaText,
    MediaUsage, NewMedia, ReferenceOwner, StoreError,
};

use super::{Harness, add_article, add_person, all_changes, article, harness};

store_contract!(
    media_round_trip_and_search,
    the_library_is_narrowed_by_type_and_month,
    references_name_the_files_texts_show,
    a_taken_path_is_a_conflict,
    usage_finds_featured_and_inline_images,
    deleting_refuses_an_image_used_anywhere,
    a_deletion_waits_for_a_save_that_starts_using_the_image,
);

fn photo(path: &str, name: &str) -> NewMedia {
    NewMedia {
        path: path.to_owned(),
        original_name: name.to_owned(),
        format: ImageFormat::Jpeg,
        width: 2000,
        height: 1333,
        byte_size: 123_456,
        animated: false,
        alt: String::new(),
        caption: String::new(),
        credit: String::new(),
        uploaded_by: None,
    }
}

/// A draft headlined `headline` featuring the library item `media`.
fn featuring(headline: &str, media: &Media) -> gazette_store::NewArticle {
    let mut new = article(headline);
    new.featured_image = Some(FeaturedImage {
        src: media.url(),
        alt: String::new(),
        caption: String::new(),
        credit: String::new(),
        media: Some(media.id),
    });
    new
}

async fn add(h: &Harness, new: NewMedia) -> Result<Media, StoreError> {
    h.store
        .write(|tx| Box::pin(async move { tx.insert_media(&new).await }))
        .await
}

async fn media_round_trip_and_search(h: Harness) {
    let harbour = add(&h, photo("2026/11/harbour.jpg", "Harbour.JPG"))
        .await
        .unwrap();
    let council = add(&h, photo("2026/11/council.jpg", "council 100%.jpg"))
        .await
        .unwrap();
    assert_eq!(harbour.variant_widths, Vec::<u32>::new());
    assert_eq!(harbour.created_at, super::start_time());

    let id = harbour.id;
    h.store
        .write(|tx| {
            Box::pin(async move {
                tx.set_media_variants(id, &[320, 640, 1024, 1600]).await?;
                let text = MediaText {
                    alt: "Boats at dawn".into(),
                    caption: "The harbour".into(),
                    credit: "Ann Lee".into(),
                };
                tx.describe_media(id, &text).await
            })
        })
        .await
        .unwrap();
    let stored = h.store.media(id).await.unwrap().unwrap();
    assert_eq!(stored.variant_widths, [320, 640, 1024, 1600]);
    assert_eq!(stored.alt, "Boats at dawn");
    assert_eq!(
        h.store.media_by_path("2026/11/harbour.jpg").await.unwrap(),
        Some(stored.clone())
    );

    let everything = h
        .store
        .media_library(&MediaFilter::default(), 0, 10)
        .await
        .unwrap();
    assert_eq!(everything.total, 2);
    let found = h
        .store
        .media_library(&MediaFilter::searching("DAWN"), 0, 10)
        .await
        .unwrap();
    assert_eq!((found.total, found.items[0].id), (1, id));
    // `%` is a character to look for, not a wildcard.
    let percent = h
        .store
        .media_library(&MediaFilter::searching("100%"), 0, 10)
        .await
        .unwrap();
    assert_eq!((percent.total, percent.items[0].id), (1, council.id));
    assert_eq!(
        h.store
            .media_library(&MediaFilter::searching("1%0"), 0, 10)
            .await
            .unwrap()
            .total,
        0
    );
    let both = h
        .store
        .media_by_ids(&[council.id, id, MediaId(999)])
        .await
        .unwrap();
    assert_eq!(both.len(), 2);
    let kinds: Vec<_> = all_changes(&h.store).await.iter().map(|c| c.kind).collect();
    assert_eq!(kinds, [ChangeKind::Media; 4]);
}

async fn the_library_is_narrowed_by_type_and_month(h: Harness) {
    let mut png = photo("2026/10/chart.png", "chart.png");
    png.format = ImageFormat::Png;
    for new in [
        photo("2026/11/harbour.jpg", "harbour.jpg"),
        png,
        photo("2013/03/boat.jpg", "boat.jpg"),
        photo("demo/pier.jpg", "pier.jpg"),
    ] {
        add(&h, new).await.unwrap();
    }
    let paths = |filter: MediaFilter| {
        let store = h.store.clone();
        async move {
            let page = store.media_library(&filter, 0, 10).await.unwrap();
            let mut paths: Vec<String> = page.items.into_iter().map(|m| m.path).collect();
            paths.sort();
            assert_eq!(page.total as usize, paths.len());
            paths
        }
    };
    let pngs = MediaFilter {
        format: Some(ImageFormat::Png),
        ..MediaFilter::default()
    };
    assert_eq!(paths(pngs).await, ["2026/10/chart.png"]);
    let march_2013 = MediaFilter {
        month: Some((2013, 3)),
        ..MediaFilter::default()
    };
    assert_eq!(paths(march_2013).await, ["2013/03/boat.jpg"]);
    let november_jpegs = MediaFilter {
        search: "HARB".to_owned(),
        format: Some(ImageFormat::Jpeg),
        month: Some((2026, 11)),
        unused: false,
    };
    assert_eq!(paths(november_jpegs).await, ["2026/11/harbour.jpg"]);
    let none = MediaFilter {
        format: Some(ImageFormat::Png),
        month: Some((2026, 11)),
        ..MediaFilter::default()
    };
    assert!(paths(none).await.is_empty());
    assert_eq!(
        h.store.media_months().await.unwrap(),
        [(2026, 11), (2026, 10), (2013, 3)],
        "newest first, folders of another shape left out"
    );
}

async fn a_taken_path_is_a_conflict(h: Harness) {
    add(&h, photo("2026/11/harbour.jpg", "a.jpg"))
        .await
        .unwrap();
    let error = add(&h, photo("2026/11/harbour.jpg", "b.jpg"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            StoreError::Conflict {
                constraint: Constraint::MediaPath,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(
        h.store
            .media_path_taken("2026/11/harbour.jpg")
            .await
            .unwrap()
    );
    assert!(!h.store.media_path_taken("2026/11/other.jpg").await.unwrap());
}

async fn references_name_the_files_texts_show(h: Harness) {
    let harbour = add(&h, photo("2026/11/harbour.jpg", "a.jpg"))
        .await
        .unwrap();
    let pier = add(&h, photo("2026/11/pier.jpg", "b.jpg")).await.unwrap();
    let unused = add(&h, photo("2026/11/unused.jpg", "c.jpg")).await.unwrap();
    let featured = add_article(&h.store, featuring("Featured", &harbour))
        .await
        .unwrap();
    let mut inline = article("Inline");
    inline.body_source = "Look: ![boats](/media/2026/11/pier-640x360-f50-50.jpg)".into();
    let inline = add_article(&h.store, inline).await.unwrap();

    let owner = ReferenceOwner::Article(featured.id.0);
    assert_eq!(
        h.store.referenced_by(owner).await.unwrap(),
        ["2026/11/harbour.jpg"]
    );
    let all = h.store.all_references().await.unwrap();
    assert_eq!(all.len(), 2, "{all:?}");
    assert_eq!(
        all[&ReferenceOwner::Article(inline.id.0)],
        ["2026/11/pier.jpg"]
    );

    assert_eq!(h.store.media_references_position().await.unwrap(), None);
    h.store
        .write(|tx| {
            let all = all.clone();
            Box::pin(async move {
                for (owner, paths) in &all {
                    tx.replace_references(*owner, paths).await?;
                }
                tx.set_references_position(ChangeId(7)).await?;
                tx.set_references_position(ChangeId(5)).await
            })
        })
        .await
        .unwrap();
    assert_eq!(
        h.store.media_references_position().await.unwrap(),
        Some(ChangeId(7)),
        "never moves back"
    );
    let unused_only = MediaFilter {
        unused: true,
        ..MediaFilter::default()
    };
    let page = h.store.media_library(&unused_only, 0, 10).await.unwrap();
    let ids: Vec<MediaId> = page.items.iter().map(|m| m.id).collect();
    assert_eq!((ids, page.total), (vec![unused.id], 1));
    assert!(pier.id != unused.id);
}

async fn usage_finds_featured_and_inline_images(h: Harness) {
    let harbour = add(&h, photo("2026/11/harbour.jpg", "a.jpg"))
        .await
        .unwrap();
    let unused = add(&h, photo("2026/11/unused.jpg", "b.jpg")).await.unwrap();
    let featured = add_article(&h.store, featuring("Featured", &harbour))
        .await
        .unwrap();
    let mut inline = article("Inline");
    inline.body_source = "Look: ![boats](/media/2026/11/harbour-640x427.jpg)".into();
    let inline = add_article(&h.store, inline).await.unwrap();
    add_article(&h.store, article("Unrelated")).await.unwrap();

    let usage = h.store.media_usage(&harbour).await.unwrap();
    assert_eq!(
        usage.articles,
        [
            (featured.id, "Featured".to_owned()),
            (inline.id, "Inline".to_owned())
        ]
    );
    assert!(h.store.media_usage(&unused).await.unwrap().is_empty());
    let again = h.store.article(featured.id).await.unwrap().unwrap();
    assert_eq!(again.featured_image.unwrap().media, Some(harbour.id));
}

/// Adds an image and returns it with its address.
async fn image(h: &Harness, name: &str) -> (Media, String) {
    let media = add(h, photo(&format!("2026/11/{name}.jpg"), "a.jpg"))
        .await
        .unwrap();
    let url = media.url();
    (media, url)
}

async fn delete(h: &Harness, id: MediaId) -> MediaDeletion {
    h.store
        .write(|tx| Box::pin(async move { tx.delete_unused_media(id).await }))
        .await
        .unwrap()
}

fn in_use(deletion: MediaDeletion) -> MediaUsage {
    match deletion {
        MediaDeletion::InUse(usage) => usage,
        other => panic!("deleted although in use: {other:?}"),
    }
}

async fn deleting_refuses_an_image_used_anywhere(h: Harness) {
    let (logo, logo_url) = image(&h, "logo").await;
    let (favicon, _) = image(&h, "favicon").await;
    let (portrait, portrait_url) = image(&h, "portrait").await;
    let (revised, revised_url) = image(&h, "revised").await;
    let (unused, _) = image(&h, "unused").await;
    let ann = add_person(&h.store, "Ann Lee", "ann@example.org")
        .await
        .unwrap();
    let mut published = article("Harbour");
    published.body_source = format!("![Before]({revised_url})");
    let published = add_article(&h.store, published).await.unwrap();
    let (article_id, saved) = (published.id, published.clone());
    h.store
        .write(|tx| {
            Box::pin(async move {
                let mut publication = Publication::sample();
                publication.logo = Some(logo_url);
                // A variant's address names the image too.
                publication.favicon = Some("/media/2026/11/favicon-640x427.jpg".to_owned());
                tx.put_publication(&publication).await?;
                let profile = AuthorProfile {
                    photo: Some(portrait_url),
                    links: Vec::new(),
                };
                tx.update_profile(ann.id, "Ann Lee", "", &profile).await?;
                tx.insert_revision(&saved, None).await?;
                let mut now = saved.clone();
                now.body_source = "No picture now.".to_owned();
                tx.update_article(&now).await
            })
        })
        .await
        .unwrap();

    assert!(in_use(delete(&h, logo.id).await).logo);
    assert!(in_use(delete(&h, favicon.id).await).favicon);
    assert_eq!(
        in_use(delete(&h, portrait.id).await).author_photos,
        [(ann.id, "Ann Lee".to_owned())]
    );
    let usage = in_use(delete(&h, revised.id).await);
    assert_eq!(usage.revisions, [(article_id, "Harbour".to_owned())]);
    assert!(
        usage.articles.is_empty(),
        "only an earlier revision shows it"
    );
    assert_eq!(usage, h.store.media_usage(&revised).await.unwrap());
    for kept in [logo.id, favicon.id, portrait.id, revised.id] {
        assert!(h.store.media(kept).await.unwrap().is_some());
    }

    let deleted = delete(&h, unused.id).await;
    assert_eq!(deleted, MediaDeletion::Deleted(unused.clone()));
    assert_eq!(h.store.media(unused.id).await.unwrap(), None);
    assert_eq!(delete(&h, unused.id).await, MediaDeletion::Missing);
}

/// A save that starts using an image while a deletion runs is never lost under it: the save
/// holds its unit open, the deletion starts and (on PostgreSQL) is seen waiting for a lock,
/// then the save commits, and the deletion must find the image in use. Without the lock the
/// deletion would finish first, unaware of the uncommitted save.
async fn a_deletion_waits_for_a_save_that_starts_using_the_image(h: Harness) {
    let (harbour, url) = image(&h, "harbour").await;
    let draft = add_article(&h.store, article("Harbour")).await.unwrap();
    let draft_id = draft.id;
    let (written_tx, written) = tokio::sync::oneshot::channel();
    let (commit, commit_rx) = tokio::sync::oneshot::channel::<()>();
    let save = {
        let store = h.store.clone();
        tokio::spawn(async move {
            // It holds the channels that pace it, so it runs once.
            store
                .write_unrepeatable(|tx| {
                    Box::pin(async move {
                        let mut edited = draft;
                        edited.body_source = format!("![Harbour]({url})");
                        tx.update_article(&edited).await?;
                        let _ = written_tx.send(());
                        let _ = commit_rx.await;
                        Ok::<_, StoreError>(())
                    })
                })
                .await
                .unwrap();
        })
    };
    written.await.unwrap();
    let deletion = {
        let store = h.store.clone();
        let id = harbour.id;
        tokio::spawn(async move {
            store
                .write(|tx| Box::pin(async move { tx.delete_unused_media(id).await }))
                .await
                .unwrap()
        })
    };
    if h.store.kind() == BackendKind::Postgres {
        // SQLite's deletion cannot even begin while the save holds the one writer.
        wait_for_lock_or_end(h._db.url(), &deletion).await;
    }
    commit.send(()).unwrap();
    save.await.unwrap();
    let outcome = deletion.await.unwrap();
    assert_eq!(in_use(outcome).articles, [(draft_id, "Harbour".to_owned())]);
}

/// Returns once a session of the test database waits for a lock, or `task` has ended.
async fn wait_for_lock_or_end<T>(url: &str, task: &tokio::task::JoinHandle<T>) {
    use sqlx::Connection as _;
    let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
    let waiting = "select count(*) from pg_stat_activity \
         where datname = current_database() and wait_event_type = 'Lock'";
    let watch = async {
        while !task.is_finished() {
            let count: i64 = sqlx::query_scalar(waiting)
                .fetch_one(&mut conn)
                .await
                .unwrap();
            if count > 0 {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
    };
    tokio::time::timeout(std::time::Duration::from_secs(30), watch)
        .await
        .unwrap_or_else(|_| panic!("the deletion neither waited nor ended"));
}
