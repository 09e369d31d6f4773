//! PostgreSQL queries for people.

use gazette_core::PersonId;
use gazette_core::password::PasswordHash;
use jiff::Timestamp;
use sqlx::Row as _;
use sqlx::postgres::PgRow;

use super::{Conn, db_time, map_error};
use crate::StoreError;
use crate::people::{NewPerson, PERSON_COLUMNS, PersonKey};

pub(crate) async fn insert(
    conn: &mut Conn,
    new: &NewPerson,
    now: Timestamp,
) -> Result<i64, StoreError> {
    let row = sqlx::query(
        r"insert into people (email, email_normalized, display_name, slug, bio, role, password_hash, active, created_at)
          values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning id",
    )
    .bind(new.email.as_str())
    .bind(new.email.normalized())
    .bind(&new.display_name)
    .bind(new.slug.as_str())
    .bind(&new.bio)
    .bind(new.role.as_str())
    .bind(new.password_hash.as_ref().map(PasswordHash::as_str))
    .bind(new.active)
    .bind(db_time(now))
    .fetch_one(conn)
    .await
    .map_err(map_error)?;
    row.try_get("id").map_err(map_error)
}

pub(crate) async fn set_password(
    conn: &mut Conn,
    id: PersonId,
    hash: &PasswordHash,
) -> Result<bool, StoreError> {
    let result = sqlx::query("update people set password_hash = $1 where id = $2")
        .bind(hash.as_str())
        .bind(id.0)
        .execute(conn)
        .await
        .map_err(map_error)?;
    Ok(result.rows_affected() == 1)
}

pub(crate) async fn find(conn: &mut Conn, key: PersonKey<'_>) -> Result<Option<PgRow>, StoreError> {
    let (column, query) = match key {
        PersonKey::Id(_) => (
            "id",
            format!("select {PERSON_COLUMNS} from people where id = $1"),
        ),
        PersonKey::Email(_) => (
            "email",
            format!("select {PERSON_COLUMNS} from people where email_normalized = $1"),
        ),
        PersonKey::Slug(_) => (
            "slug",
            format!("select {PERSON_COLUMNS} from people where slug = $1"),
        ),
    };
    let query = sqlx::query(&query);
    let query = match key {
        PersonKey::Id(id) => query.bind(id.0),
        PersonKey::Email(value) | PersonKey::Slug(value) => query.bind(value),
    };
    tracing::trace!(column, "finding a person");
    query.fetch_optional(conn).await.map_err(map_error)
}

pub(crate) async fn all(conn: &mut Conn) -> Result<Vec<PgRow>, StoreError> {
    sqlx::query(&format!(
        "select {PERSON_COLUMNS} from people order by display_name, id"
    ))
    .fetch_all(conn)
    .await
    .map_err(map_error)
}
