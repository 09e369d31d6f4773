//! What SQLite's job queue does its own way. The single writer makes every claim atomic.

use super::Conn;
use crate::StoreError;

/// Nothing to add to a claim's subquery: the single writer serialises claims.
pub(crate) const SKIP_LOCKED: &str = "";

/// SQLite's two-argument `max` is the larger of two values.
pub(crate) const GREATEST: &str = "max";

/// Runners in this process are woken directly; other processes on one SQLite file poll.
pub(crate) async fn notify_enqueued(_conn: &mut Conn) -> Result<(), StoreError> {
    Ok(())
}
