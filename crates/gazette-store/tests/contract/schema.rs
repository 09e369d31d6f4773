//! Checking a database for a journal without changing it, as commands that need a journal
//! do: a database that does not exist, one never migrated, one migrated by an older or a newer
//! Gazette, and a file that is no database are each their own error, on both backends.

use std::sync::Arc;

use gazette_core::ManualClock;
use gazette_store::testing::TestDatabase;
use gazette_store::{BackendKind, LATEST_SCHEMA_VERSION, Store, StoreError, StoreOptions};
use sqlx::Connection as _;

fn options() -> StoreOptions {
    StoreOptions::new(Arc::new(ManualClock::new(super::start_time())))
}

/// Runs one statement on the database behind `url`, beside the store.
async fn execute(url: &str, sql: &str) {
    if url.starts_with("sqlite:") {
        let mut conn = sqlx::SqliteConnection::connect(url).await.unwrap();
        sqlx::raw_sql(sql).execute(&mut conn).await.unwrap();
        conn.close().await.unwrap();
    } else {
        let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
        sqlx::raw_sql(sql).execute(&mut conn).await.unwrap();
        conn.close().await.unwrap();
    }
}

/// From an empty database (which exists) to one this binary must refuse both ways, and a newer
/// one whose rolling-upgrade rule still lets it run.
async fn the_schema_is_checked_without_changing_it(url: &str) {
    let store = Store::connect(url, options().existing_only())
        .await
        .unwrap();
    assert!(matches!(
        store.check_schema().await,
        Err(StoreError::NoSchema)
    ));
    // Checking created nothing: the schema is still missing.
    assert!(matches!(
        store.check_schema().await,
        Err(StoreError::NoSchema)
    ));
    store.migrate().await.unwrap();
    assert_eq!(store.check_schema().await.unwrap(), LATEST_SCHEMA_VERSION);
    store.close().await;

    let latest = LATEST_SCHEMA_VERSION;
    execute(
        url,
        &format!("delete from schema_migrations where version = {latest}"),
    )
    .await;
    let store = Store::connect(url, options().existing_only())
        .await
        .unwrap();
    match store.check_schema().await {
        Err(StoreError::SchemaTooOld { found, known }) => {
            assert_eq!((found, known), (latest - 1, latest));
        }
        other => panic!("expected SchemaTooOld, got {other:?}"),
    }
    store.close().await;
    execute(
        url,
        &format!(
            "insert into schema_migrations (version, name, applied_at) values ({}, 'future', {})",
            latest + 1,
            if url.starts_with("sqlite:") {
                "0"
            } else {
                "now()"
            }
        ),
    )
    .await;
    // A newer schema whose rolling-upgrade rule still includes this binary (the next release
    // added a table, say): this binary runs against it as it is, and migrates nothing.
    let store = Store::connect(url, options().existing_only())
        .await
        .unwrap();
    assert_eq!(store.check_schema().await.unwrap(), latest + 1);
    assert!(store.migrate().await.unwrap().applied.is_empty());
    store.close().await;
    // One whose rule no longer does: refused, saying which binary it needs.
    execute(
        url,
        &format!(
            "update schema_compatibility set oldest_binary = {}",
            latest + 1
        ),
    )
    .await;
    let store = Store::connect(url, options().existing_only())
        .await
        .unwrap();
    for refused in [
        store.check_schema().await.map(drop),
        store.migrate().await.map(drop),
    ] {
        match refused {
            Err(StoreError::SchemaTooNew {
                found,
                known,
                needs,
            }) => assert_eq!((found, known, needs), (latest + 1, latest, latest + 1)),
            other => panic!("expected SchemaTooNew, got {other:?}"),
        }
    }
    store.close().await;
}

#[tokio::test]
async fn a_missing_sqlite_file_is_not_created_when_only_an_existing_one_will_do() {
    let db = TestDatabase::sqlite();
    let path = db.url().trim_start_matches("sqlite:").to_owned();
    match Store::connect(db.url(), options().existing_only()).await {
        Err(StoreError::NoDatabase { backend, name }) => {
            assert_eq!(
                (backend, name.as_str()),
                (BackendKind::Sqlite, path.as_str())
            );
        }
        other => panic!("expected NoDatabase, got {other:?}"),
    }
    assert!(!std::path::Path::new(&path).exists());
    // Opened the usual way, it is created, empty.
    Store::connect(db.url(), options())
        .await
        .unwrap()
        .close()
        .await;
    the_schema_is_checked_without_changing_it(db.url()).await;
}

#[tokio::test]
async fn a_sqlite_file_that_is_no_database_is_named() {
    let db = TestDatabase::sqlite();
    let path = db.url().trim_start_matches("sqlite:").to_owned();
    std::fs::write(&path, b"plain text, not a database ".repeat(200)).unwrap();
    match Store::connect(db.url(), options()).await {
        Err(StoreError::NotADatabase { name }) => assert_eq!(name, path),
        other => panic!("expected NotADatabase, got {other:?}"),
    }
}

#[tokio::test]
#[cfg_attr(
    not(gazette_test_database_url),
    ignore = "needs GAZETTE_TEST_DATABASE_URL (see README)"
)]
async fn an_empty_postgres_database_has_no_schema_until_migrated() {
    let Some(db) = TestDatabase::postgres_empty().await else {
        return;
    };
    the_schema_is_checked_without_changing_it(db.url()).await;
}

#[tokio::test]
#[cfg_attr(
    not(gazette_test_database_url),
    ignore = "needs GAZETTE_TEST_DATABASE_URL (see README)"
)]
async fn a_postgres_database_never_created_is_named() {
    let Some(server) = gazette_store::testing::postgres_url() else {
        return;
    };
    let mut url = url::Url::parse(&server).unwrap();
    url.set_path("/gazette_contract_never_created");
    match Store::connect(url.as_str(), options()).await {
        Err(StoreError::NoDatabase { backend, name }) => {
            assert_eq!(backend, BackendKind::Postgres);
            assert_eq!(name, "gazette_contract_never_created");
        }
        other => panic!("expected NoDatabase, got {other:?}"),
    }
}
