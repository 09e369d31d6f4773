//! Runs queries built at run time (see `crate::query`) on this backend.

use sqlx::postgres::PgRow;
use sqlx::query::Query;

use super::{Conn, db_time, map_error};
use crate::StoreError;
use crate::query::Param;

fn bind<'q>(
    sql: &'q str,
    params: &'q [Param],
) -> Query<'q, sqlx::Postgres, sqlx::postgres::PgArguments> {
    let mut query = sqlx::query(sql);
    for param in params {
        query = match param {
            Param::Int(value) => query.bind(*value),
            Param::Text(value) => query.bind(value.as_str()),
            Param::Time(value) => query.bind(db_time(*value)),
            Param::Null => query.bind(None::<i64>),
            Param::NullText => query.bind(None::<String>),
            Param::Bool(value) => query.bind(*value),
            Param::NullTime => query.bind(None::<time::OffsetDateTime>),
        };
    }
    query
}

/// Runs a statement and returns how many rows it touched.
pub(crate) async fn execute(
    conn: &mut Conn,
    sql: &str,
    params: &[Param],
) -> Result<u64, StoreError> {
    let result = bind(sql, params).execute(conn).await.map_err(map_error)?;
    Ok(result.rows_affected())
}

pub(crate) async fn fetch_all(
    conn: &mut Conn,
    sql: &str,
    params: &[Param],
) -> Result<Vec<PgRow>, StoreError> {
    bind(sql, params).fetch_all(conn).await.map_err(map_error)
}
