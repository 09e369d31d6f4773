//! Runs queries built at run time (see `crate::query`) on SQLite, where times are epoch
//! microseconds.

crate::query::backend_queries!(
    sqlx::Sqlite,
    sqlx::sqlite::SqliteArguments<'q>,
    sqlx::sqlite::SqliteRow,
    i64
);

/// SQLite's aggregate joining texts with a separator (`group_concat(text, ',')`): how an
/// article's links come with its row (`listings::loading`).
pub(crate) const LIST_AGGREGATE: &str = "group_concat";

/// Runs a query selecting `columns` (plain names) and returns its rows in any order, packed
/// by SQLite into one value so that they cross from its thread at once (see `rows::packed`).
pub(crate) async fn fetch_packed(
    conn: &mut super::Conn,
    sql: &str,
    params: &[crate::query::Param],
    columns: &str,
) -> Result<Vec<crate::rows::PackedRow>, crate::StoreError> {
    match packed(conn, sql, params, columns).await? {
        Some(packed) => crate::rows::unpack(columns, &packed),
        None => Ok(Vec::new()),
    }
}

/// [`fetch_packed`], decoded by the row type itself (see `rows::packed::Packed`).
pub(crate) async fn fetch_packed_as<T: crate::rows::Packed>(
    conn: &mut super::Conn,
    sql: &str,
    params: &[crate::query::Param],
    columns: &str,
) -> Result<Vec<T>, crate::StoreError> {
    match packed(conn, sql, params, columns).await? {
        Some(packed) => crate::rows::unpack_as(&packed),
        None => Ok(Vec::new()),
    }
}

/// The JSON array of the rows of `sql` (None: no row came back).
async fn packed(
    conn: &mut super::Conn,
    sql: &str,
    params: &[crate::query::Param],
    columns: &str,
) -> Result<Option<String>, crate::StoreError> {
    use crate::rows::RowExt as _;
    let rows = fetch_all(conn, &crate::rows::packing_sql(sql, columns), params).await?;
    rows.first().map(|row| row.text("packed")).transpose()
}
