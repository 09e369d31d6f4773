//! Runs queries built at run time (see `crate::query`) on PostgreSQL, where times are
//! `timestamptz`.

crate::query::backend_queries!(
    sqlx::Postgres,
    sqlx::postgres::PgArguments,
    sqlx::postgres::PgRow,
    time::OffsetDateTime
);
