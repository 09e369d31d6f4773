//! Runs queries built at run time (see `crate::query`) on this backend.

use sqlx::postgres::PgRow;

use super::{Conn, db_time, map_error};
use crate::StoreError;
use crate::query::Param;

pub(crate) async fn fetch_all(
    conn: &mut Conn,
    sql: &str,
    params: &[Param],
) -> Result<Vec<PgRow>, StoreError> {
    let mut query = sqlx::query(sql);
    for param in params {
        query = match param {
            Param::Int(value) => query.bind(*value),
            Param::Text(value) => query.bind(value.as_str()),
            Param::Time(value) => query.bind(db_time(*value)),
        };
    }
    query.fetch_all(conn).await.map_err(map_error)
}
