//! The schema and settings part of the store contract: migrating twice, the publication's
//! settings and the server secret.

use gazette_core::{Issn, Publication};

use super::{Harness, harness};

store_contract!(
    migrating_twice_changes_nothing,
    publication_settings_round_trip,
    server_secret_is_set_once,
);

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
