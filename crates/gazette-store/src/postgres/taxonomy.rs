//! PostgreSQL queries for sections and tags.

use sqlx::Row as _;
use sqlx::postgres::PgRow;

use super::{Conn, map_error};
use crate::StoreError;
use crate::taxonomy::{NewSection, NewTag};

pub(crate) async fn insert_section(conn: &mut Conn, new: &NewSection) -> Result<i64, StoreError> {
    let row = sqlx::query("insert into sections (slug, name, description, parent_id) values ($1, $2, $3, $4) returning id")
        .bind(new.slug.as_str())
        .bind(&new.name)
        .bind(&new.description)
        .bind(new.parent.map(|p| p.0))
        .fetch_one(conn)
        .await
        .map_err(map_error)?;
    row.try_get("id").map_err(map_error)
}

pub(crate) async fn insert_tag(conn: &mut Conn, new: &NewTag) -> Result<i64, StoreError> {
    let row =
        sqlx::query("insert into tags (slug, name, description) values ($1, $2, $3) returning id")
            .bind(new.slug.as_str())
            .bind(&new.name)
            .bind(&new.description)
            .fetch_one(conn)
            .await
            .map_err(map_error)?;
    row.try_get("id").map_err(map_error)
}

pub(crate) async fn all_sections(conn: &mut Conn) -> Result<Vec<PgRow>, StoreError> {
    sqlx::query("select id, slug, name, description, parent_id from sections order by name, id")
        .fetch_all(conn)
        .await
        .map_err(map_error)
}

pub(crate) async fn all_tags(conn: &mut Conn) -> Result<Vec<PgRow>, StoreError> {
    sqlx::query("select id, slug, name, description from tags order by name, id")
        .fetch_all(conn)
        .await
        .map_err(map_error)
}
