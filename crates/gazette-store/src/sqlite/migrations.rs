//! SQLite's migrations, applied in one `BEGIN IMMEDIATE` transaction.

use jiff::Timestamp;
use sqlx::Row as _;

use super::SqliteDb;
use crate::StoreError;
use crate::migrate::{Migration, MigrationReport};

pub(crate) const MIGRATIONS: &[Migration] = crate::migrate::migrations_of!("sqlite");

pub(crate) async fn apply(db: &SqliteDb, now: Timestamp) -> Result<MigrationReport, StoreError> {
    let mut tx = db.begin_write().await?;
    sqlx::raw_sql(
        "create table if not exists schema_migrations (
            version integer primary key, name text not null, applied_at integer not null)",
    )
    .execute(&mut *tx)
    .await
    .map_err(super::map_error)?;
    let current: i64 = sqlx::query("select coalesce(max(version), 0) as v from schema_migrations")
        .fetch_one(&mut *tx)
        .await
        .map_err(super::map_error)?
        .try_get("v")
        .map_err(super::map_error)?;
    let oldest = if current > crate::LATEST_SCHEMA_VERSION {
        read_oldest_binary(&mut tx).await?
    } else {
        None
    };
    crate::migrate::apply_pending!(tx, MIGRATIONS, current, oldest, now)
}

/// The schema's rolling-upgrade rule (`schema_compatibility`), for a schema newer than this
/// binary.
pub(crate) async fn oldest_binary(db: &SqliteDb) -> Result<Option<i64>, StoreError> {
    let conn = &mut *db.reader().await?;
    read_oldest_binary(conn).await
}

async fn read_oldest_binary(conn: &mut sqlx::SqliteConnection) -> Result<Option<i64>, StoreError> {
    // Read only when the schema is newer than this binary, so at 35 or later: the table
    // (migration 34) is there.
    let row = sqlx::query("select oldest_binary as v from schema_compatibility")
        .fetch_optional(&mut *conn)
        .await
        .map_err(super::map_error)?;
    row.map(|row| row.try_get("v").map_err(super::map_error))
        .transpose()
}

/// The latest migration applied; 0 when there is no `schema_migrations` table. Reads only.
pub(crate) async fn current_version(db: &SqliteDb) -> Result<i64, StoreError> {
    let conn = &mut *db.reader().await?;
    let tables: i64 = sqlx::query(
        "select count(*) as n from sqlite_master where type = 'table' and name = 'schema_migrations'",
    )
    .fetch_one(&mut *conn)
    .await
    .map_err(super::map_error)?
    .try_get("n")
    .map_err(super::map_error)?;
    if tables == 0 {
        return Ok(0);
    }
    sqlx::query("select coalesce(max(version), 0) as v from schema_migrations")
        .fetch_one(&mut *conn)
        .await
        .map_err(super::map_error)?
        .try_get("v")
        .map_err(super::map_error)
}
