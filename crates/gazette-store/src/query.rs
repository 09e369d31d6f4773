//! Parameters for queries whose SQL is the same on both backends and is built at run time
//! (listings with optional filters, `in (…)` lists). Each backend binds them its own way;
//! only times differ (epoch microseconds versus `timestamptz`).

use jiff::Timestamp;

/// One bound value of a dynamically built query.
#[derive(Debug, Clone)]
pub(crate) enum Param {
    Int(i64),
    Text(String),
    Time(Timestamp),
    /// SQL null for an absent time.
    NullTime,
    Bool(bool),
    /// SQL null, for an absent integer (bound as a null `bigint`).
    Null,
    /// SQL null for an absent text.
    NullText,
}

impl Param {
    /// Text, or a text null.
    pub(crate) fn opt_text(value: Option<&str>) -> Self {
        value.map_or(Self::NullText, |v| Self::Text(v.to_owned()))
    }

    /// A time, or a time null.
    pub(crate) fn opt_time(value: Option<Timestamp>) -> Self {
        value.map_or(Self::NullTime, Self::Time)
    }

    /// An id, or an integer null.
    pub(crate) fn opt_int(value: Option<i64>) -> Self {
        value.map_or(Self::Null, Self::Int)
    }
}

/// Each backend's `query` module: binding [`Param`]s and running SQL with them, defined once
/// here since only the database's types differ (and how a null time is bound).
macro_rules! backend_queries {
    ($database:ty, $arguments:ty, $row:ty, $null_time:ty) => {
        fn bind<'q>(
            sql: &'q str,
            params: &'q [crate::query::Param],
        ) -> sqlx::query::Query<'q, $database, $arguments> {
            use crate::query::Param;
            let mut query = sqlx::query(sql);
            for param in params {
                query = match param {
                    Param::Int(value) => query.bind(*value),
                    Param::Text(value) => query.bind(value.as_str()),
                    Param::Time(value) => query.bind(super::db_time(*value)),
                    Param::Null => query.bind(None::<i64>),
                    Param::NullText => query.bind(None::<String>),
                    Param::Bool(value) => query.bind(*value),
                    Param::NullTime => query.bind(None::<$null_time>),
                };
            }
            query
        }

        /// Runs a statement and returns how many rows it touched.
        pub(crate) async fn execute(
            conn: &mut super::Conn,
            sql: &str,
            params: &[crate::query::Param],
        ) -> Result<u64, crate::StoreError> {
            let result = bind(sql, params)
                .execute(conn)
                .await
                .map_err(super::map_error)?;
            Ok(result.rows_affected())
        }

        /// Runs a query and returns its rows.
        pub(crate) async fn fetch_all(
            conn: &mut super::Conn,
            sql: &str,
            params: &[crate::query::Param],
        ) -> Result<Vec<$row>, crate::StoreError> {
            bind(sql, params)
                .fetch_all(conn)
                .await
                .map_err(super::map_error)
        }
    };
}
pub(crate) use backend_queries;

/// `$first, $first+1, …` for `count` values: the inside of an `in (…)` list.
pub(crate) fn placeholders(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    #[test]
    fn placeholders_number_from_the_first() {
        assert_eq!(super::placeholders(3, 3), "$3, $4, $5");
        assert_eq!(super::placeholders(1, 0), "");
    }
}
