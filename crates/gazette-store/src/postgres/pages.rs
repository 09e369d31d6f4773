//! PostgreSQL queries for pages.

use jiff::Timestamp;
use sqlx::Row as _;
use sqlx::postgres::PgRow;

use super::{Conn, db_time, map_error};
use crate::StoreError;
use crate::pages::{NewPage, PAGE_COLUMNS};

pub(crate) async fn insert(
    conn: &mut Conn,
    new: &NewPage,
    now: Timestamp,
) -> Result<i64, StoreError> {
    let row = sqlx::query(
        r"insert into pages (parent_id, slug, title, body_format, body_source, body_html,
              render_version, status, published_at, updated_at, created_at)
          values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) returning id",
    )
    .bind(new.parent.map(|p| p.0))
    .bind(new.slug.as_str())
    .bind(&new.title)
    .bind(new.body_format.as_str())
    .bind(&new.body_source)
    .bind(new.body_html.as_str())
    .bind(new.render_version)
    .bind(new.status.as_str())
    .bind(new.published_at.map(db_time))
    .bind(db_time(now))
    .fetch_one(conn)
    .await
    .map_err(map_error)?;
    row.try_get("id").map_err(map_error)
}

pub(crate) async fn all(conn: &mut Conn) -> Result<Vec<PgRow>, StoreError> {
    sqlx::query(&format!(
        "select {PAGE_COLUMNS} from pages order by title, id"
    ))
    .fetch_all(conn)
    .await
    .map_err(map_error)
}
