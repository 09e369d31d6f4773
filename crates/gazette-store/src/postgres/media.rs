//! PostgreSQL's locks for deleting an image.

use super::{Conn, map_error};
use crate::StoreError;

/// Keeps writers out of every table that can name an image until this unit commits, and
/// waits for those under way: `share` mode lets readers (and other deletions) through but
/// not an insert or update, so the usage check that follows sees every committed use and no
/// new one can appear before the delete commits. The tables are locked before the image's
/// row, in the order an article save writes them (article, then revision), so that a save
/// never waits for a lock this unit holds while holding one this unit waits for.
pub(crate) async fn lock_image_users(conn: &mut Conn, media: i64) -> Result<(), StoreError> {
    sqlx::query(
        "lock table articles, article_revisions, pages, author_profiles, settings in share mode",
    )
    .execute(&mut *conn)
    .await
    .map_err(map_error)?;
    sqlx::query("select id from media where id = $1 for update")
        .bind(media)
        .execute(&mut *conn)
        .await
        .map_err(map_error)?;
    Ok(())
}
