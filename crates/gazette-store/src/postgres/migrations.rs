//! PostgreSQL's migrations, applied in one transaction under an advisory lock.

use jiff::Timestamp;
use sqlx::Row as _;

use super::{PgDb, map_error};
use crate::StoreError;
use crate::migrate::{Migration, MigrationReport};

pub(crate) const MIGRATIONS: &[Migration] = crate::migrate::migrations_of!("postgres");

/// Serialises concurrent migrators ("migrate" in ASCII).
const MIGRATION_LOCK_KEY: i64 = 0x006d_6967_7261_7465;

pub(crate) async fn apply(db: &PgDb, now: Timestamp) -> Result<MigrationReport, StoreError> {
    let mut tx = db.begin_write().await?;
    sqlx::query("select pg_advisory_xact_lock($1)")
        .bind(MIGRATION_LOCK_KEY)
        .execute(&mut *tx)
        .await
        .map_err(map_error)?;
    sqlx::raw_sql(
        "create table if not exists schema_migrations (
            version bigint primary key, name text not null, applied_at timestamptz not null)",
    )
    .execute(&mut *tx)
    .await
    .map_err(map_error)?;
    let current: i64 =
        sqlx::query("select coalesce(max(version), 0)::int8 as v from schema_migrations")
            .fetch_one(&mut *tx)
            .await
            .map_err(map_error)?
            .try_get("v")
            .map_err(map_error)?;
    crate::migrate::apply_pending!(tx, MIGRATIONS, current, now)
}

/// The latest migration applied; 0 when there is no `schema_migrations` table (in the schema
/// the connection uses). Reads only.
pub(crate) async fn current_version(db: &PgDb) -> Result<i64, StoreError> {
    let conn = &mut *db.reader().await?;
    let tables: i64 = sqlx::query(
        "select count(*)::int8 as n from information_schema.tables
         where table_schema = current_schema() and table_name = 'schema_migrations'",
    )
    .fetch_one(&mut *conn)
    .await
    .map_err(map_error)?
    .try_get("n")
    .map_err(map_error)?;
    if tables == 0 {
        return Ok(0);
    }
    sqlx::query("select coalesce(max(version), 0)::int8 as v from schema_migrations")
        .fetch_one(&mut *conn)
        .await
        .map_err(map_error)?
        .try_get("v")
        .map_err(map_error)
}
