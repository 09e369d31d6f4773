//! The media library part of the store contract.

use gazette_core::{FeaturedImage, ImageFormat, Media, MediaId};
use gazette_store::{ChangeKind, Constraint, MediaText, NewMedia, StoreError};

use super::{Harness, add_article, all_changes, article, harness};

store_contract!(
    media_round_trip_and_search,
    a_taken_path_is_a_conflict,
    usage_finds_featured_and_inline_images,
    deleting_unlinks_featured_images,
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

    let everything = h.store.media_library("", 0, 10).await.unwrap();
    assert_eq!(everything.total, 2);
    let found = h.store.media_library("DAWN", 0, 10).await.unwrap();
    assert_eq!((found.total, found.items[0].id), (1, id));
    // `%` is a character to look for, not a wildcard.
    let percent = h.store.media_library("100%", 0, 10).await.unwrap();
    assert_eq!((percent.total, percent.items[0].id), (1, council.id));
    assert_eq!(h.store.media_library("1%0", 0, 10).await.unwrap().total, 0);
    let both = h
        .store
        .media_by_ids(&[council.id, id, MediaId(999)])
        .await
        .unwrap();
    assert_eq!(both.len(), 2);
    let kinds: Vec<_> = all_changes(&h.store).await.iter().map(|c| c.kind).collect();
    assert_eq!(kinds, [ChangeKind::Media; 4]);
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

async fn usage_finds_featured_and_inline_images(h: Harness) {
    let harbour = add(&h, photo("2026/11/harbour.jpg", "a.jpg"))
        .await
        .unwrap();
    let unused = add(&h, photo("2026/11/unused.jpg", "b.jpg")).await.unwrap();
    let mut featured = article("Featured");
    featured.featured_image = Some(FeaturedImage {
        src: harbour.url(),
        alt: String::new(),
        caption: String::new(),
        credit: String::new(),
        media: Some(harbour.id),
    });
    let featured = add_article(&h.store, featured).await.unwrap();
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

async fn deleting_unlinks_featured_images(h: Harness) {
    let harbour = add(&h, photo("2026/11/harbour.jpg", "a.jpg"))
        .await
        .unwrap();
    let mut featured = article("Featured");
    featured.featured_image = Some(FeaturedImage {
        src: harbour.url(),
        media: Some(harbour.id),
        ..FeaturedImage::default()
    });
    let featured = add_article(&h.store, featured).await.unwrap();
    let id = harbour.id;
    let deleted = h
        .store
        .write(|tx| Box::pin(async move { tx.delete_media(id).await }))
        .await
        .unwrap();
    assert_eq!(
        deleted.map(|m| m.path),
        Some("2026/11/harbour.jpg".to_owned())
    );
    assert_eq!(h.store.media(id).await.unwrap(), None);
    let image = h
        .store
        .article(featured.id)
        .await
        .unwrap()
        .unwrap()
        .featured_image
        .unwrap();
    assert_eq!(
        (image.src.as_str(), image.media),
        ("/media/2026/11/harbour.jpg", None)
    );
}
