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
    crate::migrate::apply_pending!(tx, MIGRATIONS, current, now)
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
