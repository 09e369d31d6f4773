//! PostgreSQL's migrations, applied in one transaction under an advisory lock.

use jiff::Timestamp;
use sqlx::Row as _;

use super::{PgDb, map_error};
use crate::StoreError;
use crate::migrate::{Migration, MigrationReport};

pub(crate) const MIGRATIONS: &[Migration] = crate::migrate::migrations_of!("postgres");

pub(crate) async fn apply(db: &PgDb, now: Timestamp) -> Result<MigrationReport, StoreError> {
    // Concurrent migrators queue on one row's lock, held until the migrations commit: a row
    // lock, unlike an advisory lock, every PostgreSQL-compatible engine has.
    super::first_run_claim::make_table(db.pool()).await?;
    let mut tx = db.begin_write().await?;
    sqlx::raw_sql(
        "insert into gazette_claims (name, holder, until) values ('migrations', '', now()) \
         on conflict (name) do nothing; \
         select 1 from gazette_claims where name = 'migrations' for update",
    )
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
    let oldest = if current > crate::LATEST_SCHEMA_VERSION {
        read_oldest_binary(&mut tx).await?
    } else {
        None
    };
    crate::migrate::apply_pending!(tx, MIGRATIONS, current, oldest, now)
}

/// The schema's rolling-upgrade rule (`schema_compatibility`), for a schema newer than this
/// binary.
pub(crate) async fn oldest_binary(db: &PgDb) -> Result<Option<i64>, StoreError> {
    let conn = &mut *db.reader().await?;
    read_oldest_binary(conn).await
}

async fn read_oldest_binary(conn: &mut sqlx::PgConnection) -> Result<Option<i64>, StoreError> {
    // Read only when the schema is newer than this binary, so at 35 or later: the table
    // (migration 34) is there.
    let row = sqlx::query("select oldest_binary::int8 as v from schema_compatibility")
        .fetch_optional(&mut *conn)
        .await
        .map_err(map_error)?;
    row.map(|row| row.try_get("v").map_err(map_error))
        .transpose()
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
