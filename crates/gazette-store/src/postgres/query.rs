//! Runs queries built at run time (see `crate::query`) on PostgreSQL, where times are
//! `timestamptz`.

crate::query::backend_queries!(
    sqlx::Postgres,
    sqlx::postgres::PgArguments,
    sqlx::postgres::PgRow,
    time::OffsetDateTime
);

/// PostgreSQL's aggregate joining texts with a separator (`string_agg(text, ',')`): how an
/// article's links come with its row (`listings::loading`).
pub(crate) const LIST_AGGREGATE: &str = "string_agg";

/// SQLite's `fetch_packed` for the same queries: PostgreSQL's rows arrive in batches over
/// its socket, so they are fetched as they are (callers sort them all the same).
pub(crate) async fn fetch_packed(
    conn: &mut super::Conn,
    sql: &str,
    params: &[crate::query::Param],
    _columns: &str,
) -> Result<Vec<sqlx::postgres::PgRow>, crate::StoreError> {
    fetch_all(conn, sql, params).await
}

/// SQLite's `fetch_packed_as`: the rows as they are, each read by name.
pub(crate) async fn fetch_packed_as<T: crate::rows::Packed>(
    conn: &mut super::Conn,
    sql: &str,
    params: &[crate::query::Param],
    _columns: &str,
) -> Result<Vec<T>, crate::StoreError> {
    let rows = fetch_all(conn, sql, params).await?;
    rows.iter().map(T::from_row).collect()
}
