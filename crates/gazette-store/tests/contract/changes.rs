//! The change log part of the store contract: every write recorded, paged and pruned, and
//! concurrent writers seen in order exactly once.

use std::collections::BTreeSet;

use gazette_core::session::SessionToken;
use gazette_core::{Publication, Slug, TagId};
use gazette_store::{ChangeId, ChangeKind, NewTag, StoreError};
use jiff::SignedDuration;

use super::{
    Harness, add_article, add_person, add_section, add_tag, all_changes, article, harness,
    start_time,
};

store_contract!(
    every_write_records_its_changes,
    change_log_pages_and_prunes,
    concurrent_writers_are_seen_in_order_exactly_once,
);

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

/// With notifications off (for engines without LISTEN/NOTIFY), a commit sends no NOTIFY and
/// subscribing opens no LISTEN session; with them on, both happen. Watched from a listener of
/// the test's own.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(gazette_test_database_url),
    ignore = "needs GAZETTE_TEST_DATABASE_URL (see README)"
)]
async fn notifications_can_be_turned_off_for_engines_without_them() {
    use std::sync::Arc;
    use std::time::Duration;

    use gazette_core::ManualClock;
    use gazette_store::{Store, StoreOptions};

    let Some(db) = gazette_store::testing::TestDatabase::postgres().await else {
        return;
    };
    db.store(Arc::new(ManualClock::new(start_time())))
        .await
        .close()
        .await;
    let mut heard = sqlx::postgres::PgListener::connect(db.url()).await.unwrap();
    heard.listen("gazette_changes").await.unwrap();
    for notifications in [false, true] {
        let options = StoreOptions {
            notifications,
            ..StoreOptions::new(Arc::new(ManualClock::new(start_time())))
        };
        let store = Store::connect(db.url(), options).await.unwrap();
        let _subscription = store.subscribe_changes();
        let name = format!("Heard {notifications}");
        let tag = NewTag {
            slug: Slug::from_headline(&name),
            name,
            description: String::new(),
        };
        store
            .write(|tx| Box::pin(async move { tx.insert_tag(&tag).await }))
            .await
            .unwrap();
        let note = tokio::time::timeout(Duration::from_secs(2), heard.recv()).await;
        assert_eq!(note.is_ok(), notifications, "NOTIFY sent: {notifications}");
        // The test's own listener, and the store's when it has notifications (it connects
        // in the background, so it is given a few seconds).
        let expected = 1 + i64::from(notifications);
        let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(db.url())
            .await
            .unwrap();
        let mut listening = 0;
        for _ in 0..50 {
            listening = sqlx::query_scalar(
                "select count(*) from pg_stat_activity \
                 where datname = current_database() and query ilike 'listen%'",
            )
            .fetch_one(&mut conn)
            .await
            .unwrap();
            if listening == expected {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert_eq!(listening, expected, "LISTEN sessions");
        store.close().await;
    }
}
