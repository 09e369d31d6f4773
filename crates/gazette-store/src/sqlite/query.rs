//! Runs queries built at run time (see `crate::query`) on SQLite, where times are epoch
//! microseconds.

crate::query::backend_queries!(
    sqlx::Sqlite,
    sqlx::sqlite::SqliteArguments<'q>,
    sqlx::sqlite::SqliteRow,
    i64
);
