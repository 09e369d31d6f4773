//! PostgreSQL's change log. Ids come from `change_counter`, updated inside the writing
//! transaction: the row lock makes concurrent writers take ids in commit order, so a follower
//! reading `id > last` can never skip a change that commits late. The lock is taken at the very
//! end of a unit of work (commit time), so writers queue only briefly.

use jiff::Timestamp;
use sqlx::Row as _;

use super::{CHANGES_CHANNEL, Conn, db_time, map_error};
use crate::StoreError;
use crate::changes::{ChangeId, PendingChange};

pub(crate) async fn append(
    conn: &mut Conn,
    changes: &[PendingChange],
    at: Timestamp,
    notify: bool,
) -> Result<(), StoreError> {
    let count = i64::try_from(changes.len()).unwrap_or(i64::MAX);
    let last: i64 =
        sqlx::query("update change_counter set last_id = last_id + $1 returning last_id")
            .bind(count)
            .fetch_one(&mut *conn)
            .await
            .map_err(map_error)?
            .try_get("last_id")
            .map_err(map_error)?;
    let first = last - count + 1;
    let ids: Vec<i64> = (first..=last).collect();
    let kinds: Vec<&str> = changes.iter().map(|c| c.kind.as_str()).collect();
    let entities: Vec<Option<i64>> = changes.iter().map(|c| c.entity_id).collect();
    sqlx::query(
        r"insert into changes (id, kind, entity_id, at)
          select id, kind, entity_id, $4 from unnest($1::int8[], $2::text[], $3::int8[]) as t(id, kind, entity_id)",
    )
    .bind(&ids)
    .bind(&kinds)
    .bind(&entities)
    .bind(db_time(at))
    .execute(&mut *conn)
    .await
    .map_err(map_error)?;
    // Delivered to listeners on every node when (and only if) the transaction commits.
    if notify {
        sqlx::query("select pg_notify($1, $2)")
            .bind(CHANGES_CHANNEL)
            .bind(last.to_string())
            .execute(conn)
            .await
            .map_err(map_error)?;
    }
    Ok(())
}

pub(crate) async fn latest(conn: &mut Conn) -> Result<ChangeId, StoreError> {
    let row = sqlx::query("select last_id from change_counter")
        .fetch_one(conn)
        .await
        .map_err(map_error)?;
    Ok(ChangeId(row.try_get("last_id").map_err(map_error)?))
}
