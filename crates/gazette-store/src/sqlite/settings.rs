//! SQLite queries for settings.

use jiff::Timestamp;
use sqlx::Row as _;

use super::{Conn, db_time, map_error};
use crate::StoreError;

pub(crate) async fn get(conn: &mut Conn, key: &str) -> Result<Option<String>, StoreError> {
    let row = sqlx::query("select value from settings where key = $1")
        .bind(key)
        .fetch_optional(conn)
        .await
        .map_err(map_error)?;
    row.map(|row| row.try_get("value").map_err(map_error))
        .transpose()
}

pub(crate) async fn put(
    conn: &mut Conn,
    key: &str,
    value: &str,
    now: Timestamp,
) -> Result<(), StoreError> {
    sqlx::query(
        r"insert into settings (key, value, updated_at) values ($1, $2, $3)
          on conflict (key) do update set value = excluded.value, updated_at = excluded.updated_at",
    )
    .bind(key)
    .bind(value)
    .bind(db_time(now))
    .execute(conn)
    .await
    .map_err(map_error)?;
    Ok(())
}

pub(crate) async fn insert_if_absent(
    conn: &mut Conn,
    key: &str,
    value: &str,
    now: Timestamp,
) -> Result<(), StoreError> {
    sqlx::query("insert into settings (key, value, updated_at) values ($1, $2, $3) on conflict (key) do nothing")
        .bind(key)
        .bind(value)
        .bind(db_time(now))
        .execute(conn)
        .await
        .map_err(map_error)?;
    Ok(())
}
