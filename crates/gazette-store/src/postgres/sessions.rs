//! PostgreSQL queries for sessions.

use gazette_core::PersonId;
use gazette_core::session::TokenHash;
use jiff::Timestamp;
use sqlx::postgres::PgRow;

use super::{Conn, db_time, map_error};
use crate::StoreError;

pub(crate) async fn insert(
    conn: &mut Conn,
    token: &TokenHash,
    person: PersonId,
    now: Timestamp,
    expires_at: Timestamp,
) -> Result<(), StoreError> {
    sqlx::query("insert into sessions (token_hash, person_id, created_at, expires_at) values ($1, $2, $3, $4)")
        .bind(&token.0)
        .bind(person.0)
        .bind(db_time(now))
        .bind(db_time(expires_at))
        .execute(conn)
        .await
        .map_err(map_error)?;
    Ok(())
}

pub(crate) async fn delete(conn: &mut Conn, token: &TokenHash) -> Result<(), StoreError> {
    sqlx::query("delete from sessions where token_hash = $1")
        .bind(&token.0)
        .execute(conn)
        .await
        .map_err(map_error)?;
    Ok(())
}

pub(crate) async fn delete_all_of(conn: &mut Conn, person: PersonId) -> Result<u64, StoreError> {
    let result = sqlx::query("delete from sessions where person_id = $1")
        .bind(person.0)
        .execute(conn)
        .await
        .map_err(map_error)?;
    Ok(result.rows_affected())
}

pub(crate) async fn person_for(
    conn: &mut Conn,
    token: &TokenHash,
    now: Timestamp,
) -> Result<Option<PgRow>, StoreError> {
    sqlx::query(
        r"select p.id, p.email, p.display_name, p.slug, p.bio, p.role, p.password_hash, p.active, p.created_at
          from sessions s join people p on p.id = s.person_id
          where s.token_hash = $1 and s.expires_at > $2 and p.active",
    )
    .bind(&token.0)
    .bind(db_time(now))
    .fetch_optional(conn)
    .await
    .map_err(map_error)
}
