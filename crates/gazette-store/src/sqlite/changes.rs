//! SQLite's change log. Writes are serial, so autoincrement ids are already in commit order.

use jiff::Timestamp;
use sqlx::Row as _;
use sqlx::sqlite::SqliteRow;

use super::{Conn, db_time, map_error};
use crate::StoreError;
use crate::changes::{ChangeId, PendingChange};

pub(crate) async fn append(
    conn: &mut Conn,
    changes: &[PendingChange],
    at: Timestamp,
) -> Result<(), StoreError> {
    for change in changes {
        sqlx::query("insert into changes (kind, entity_id, at) values ($1, $2, $3)")
            .bind(change.kind.as_str())
            .bind(change.entity_id)
            .bind(db_time(at))
            .execute(&mut *conn)
            .await
            .map_err(map_error)?;
    }
    Ok(())
}

pub(crate) async fn after(
    conn: &mut Conn,
    after: ChangeId,
    limit: i64,
) -> Result<Vec<SqliteRow>, StoreError> {
    sqlx::query("select id, kind, entity_id, at from changes where id > $1 order by id limit $2")
        .bind(after.0)
        .bind(limit)
        .fetch_all(conn)
        .await
        .map_err(map_error)
}

pub(crate) async fn latest(conn: &mut Conn) -> Result<ChangeId, StoreError> {
    // sqlite_sequence remembers the last id even when the log has been pruned empty.
    let row = sqlx::query(
        "select coalesce((select seq from sqlite_sequence where name = 'changes'), 0) as id",
    )
    .fetch_one(conn)
    .await
    .map_err(map_error)?;
    Ok(ChangeId(row.try_get("id").map_err(map_error)?))
}

pub(crate) async fn oldest(conn: &mut Conn) -> Result<Option<ChangeId>, StoreError> {
    let row = sqlx::query("select min(id) as id from changes")
        .fetch_one(conn)
        .await
        .map_err(map_error)?;
    Ok(row
        .try_get::<Option<i64>, _>("id")
        .map_err(map_error)?
        .map(ChangeId))
}

pub(crate) async fn prune(conn: &mut Conn, before: Timestamp) -> Result<u64, StoreError> {
    let result =
        sqlx::query("delete from changes where at < $1 and id < (select max(id) from changes)")
            .bind(db_time(before))
            .execute(conn)
            .await
            .map_err(map_error)?;
    Ok(result.rows_affected())
}
