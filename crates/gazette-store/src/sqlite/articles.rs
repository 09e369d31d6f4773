//! What SQLite does its own way for articles.

use super::Conn;
use crate::StoreError;

/// An insert's id: the one given (an import keeps WordPress's), or SQLite's next rowid when
/// it is null.
pub(crate) const NEW_ID: &str = "$1";

/// SQLite's single writer already serialises units of work: locking an article only checks
/// that it exists.
pub(crate) const LOCK: &str = "select id from articles where id = $1";

/// Nothing to do after an explicit id: SQLite picks the next rowid from the table itself.
pub(crate) async fn after_explicit_id(_conn: &mut Conn) -> Result<(), StoreError> {
    Ok(())
}
