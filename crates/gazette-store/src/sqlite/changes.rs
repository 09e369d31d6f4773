//! SQLite's change log. Writes are serial, so autoincrement ids are already in commit order.

use jiff::Timestamp;
use sqlx::Row as _;

use super::{Conn, db_time, map_error};
use crate::StoreError;
use crate::changes::{ChangeId, PendingChange};

pub(crate) async fn append(
    conn: &mut Conn,
    changes: &[PendingChange],
    at: Timestamp,
    // SQLite has one process: its followers are woken in it, never by the database.
    _notify: bool,
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
