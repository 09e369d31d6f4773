//! Connecting a store: the `postgresql://` scheme is accepted, unknown schemes are refused
//! with the fix.

use std::sync::Arc;

use gazette_core::ManualClock;
use gazette_store::Store;
use gazette_store::testing::TestDatabase;

use super::start_time;

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

/// Nodes starting together bootstrap one at a time: the first-run claim is a leased row, so a
/// second node waits until the first gives it up, and a claim whose holder died (its lease
/// ran out) is taken over at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(gazette_test_database_url),
    ignore = "needs GAZETTE_TEST_DATABASE_URL (see README)"
)]
async fn the_first_run_claim_is_held_by_one_node_at_a_time() {
    use std::time::Duration;

    let Some(db) = TestDatabase::postgres().await else {
        return;
    };
    let node = |_: u8| db.store(Arc::new(ManualClock::new(start_time())));
    let (a, b) = (node(1).await, node(2).await);
    let held = a.bootstrap_lock().await.unwrap();
    let waiting = tokio::spawn(async move { b.bootstrap_lock().await.map(|claim| (claim, b)) });
    // Four of the waiting node's tries (one each 200 ms). Not synchronisation: nothing marks a
    // try, and a wait that ends early fails here whichever try it ends at.
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert!(!waiting.is_finished(), "the second node waits");
    drop(held);
    let (claim, b) = tokio::time::timeout(Duration::from_secs(5), waiting)
        .await
        .expect("taken once given up")
        .unwrap()
        .unwrap();
    drop(claim);

    // A holder that died: its row stays, with a lease that has run out.
    let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(db.url())
        .await
        .unwrap();
    // The second node gives its claim up in the background: wait until its row is gone.
    for _ in 0..250 {
        let rows: i64 = sqlx::query_scalar("select count(*) from gazette_claims")
            .fetch_one(&mut conn)
            .await
            .unwrap();
        if rows == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    sqlx::raw_sql(
        "insert into gazette_claims (name, holder, until) \
         values ('first_run', 'a dead node', now() - interval '1 second') \
         on conflict (name) do update set holder = excluded.holder, until = excluded.until",
    )
    .execute(&mut conn)
    .await
    .unwrap();
    let taken = tokio::time::timeout(Duration::from_secs(2), b.bootstrap_lock()).await;
    assert!(taken.is_ok(), "an expired claim is taken over at once");
    a.close().await;
    b.close().await;
}
