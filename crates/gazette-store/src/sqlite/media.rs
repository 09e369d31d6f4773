//! SQLite's part in deleting an image: nothing to lock.

use super::Conn;
use crate::StoreError;

/// A unit of work holds SQLite's only write lock from its start (`BEGIN IMMEDIATE`), so no
/// other unit can start using the image between the check and the delete.
pub(crate) async fn lock_image_users(_conn: &mut Conn, _media: i64) -> Result<(), StoreError> {
    Ok(())
}
