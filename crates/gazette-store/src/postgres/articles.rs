//! What PostgreSQL does its own way for articles.

use super::{Conn, map_error};
use crate::StoreError;

/// An insert's id: the one given (an import keeps WordPress's), else the identity sequence's
/// next value (a null id is not replaced by the default in PostgreSQL).
pub(crate) const NEW_ID: &str = "coalesce($1, nextval(pg_get_serial_sequence('articles', 'id')))";

/// Locks the article's row until the unit of work ends (see `WriteTx::lock_article`).
pub(crate) const LOCK: &str = "select id from articles where id = $1 for update";

/// After an explicit id, moves the identity sequence past it, so new articles never collide.
pub(crate) async fn after_explicit_id(conn: &mut Conn) -> Result<(), StoreError> {
    sqlx::query(
        "select setval(pg_get_serial_sequence('articles', 'id'), (select max(id) from articles))",
    )
    .execute(conn)
    .await
    .map_err(map_error)?;
    Ok(())
}
