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
