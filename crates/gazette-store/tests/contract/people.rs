//! The people part of the store contract: people found by id, email and slug, sessions, and
//! sign-in failures counted within a window.

use gazette_core::password::PasswordHash;
use gazette_core::session::SessionToken;
use gazette_core::{Email, PersonId, Slug};
use gazette_store::{Constraint, StoreError};
use jiff::SignedDuration;

use super::{Harness, add_person, harness, start_time};

store_contract!(
    people_are_found_by_id_email_and_slug,
    duplicate_people_are_conflicts,
    sessions_expire_and_end,
    sign_in_failures_count_within_a_window,
);

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
