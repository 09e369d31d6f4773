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
            // Statements whose text varies with a list's length must not be kept in the
            // connection's statement cache: see `placeholders`.
            let mut query = sqlx::query(sql).persistent(crate::query::is_fixed(sql));
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

/// `$first, $first+1, …` for `count` values: the inside of an `in (…)` list. A long list is
/// marked so that its statement is not kept in the connection's statement cache.
///
/// Every connection keeps its last 100 distinct statements prepared. A list of ids makes a new
/// statement text for every length, and a statement's compiled program grows with its list:
/// sitemaps listing every article of a month, re-rendered after each publish, filled the
/// readers' caches with ever larger programs (hundreds of MiB within minutes). A statement
/// with a long list is prepared for its one use and dropped; short lists (an article, a page
/// of a listing) come in a few lengths and stay prepared.
pub(crate) fn placeholders(first: usize, count: usize) -> String {
    let list = kept_placeholders(first, count);
    if count > KEPT_LIST_LENGTH {
        format!("{list}{ONE_USE}")
    } else {
        list
    }
}

/// `$first, …` for `count` values, kept prepared whatever its length: for lists that always
/// have the same length (a full batch of `LOAD_CHUNK` ids), so that one statement serves them
/// all.
pub(crate) fn kept_placeholders(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The longest list whose statement stays prepared: a page of a listing is 12 articles.
const KEPT_LIST_LENGTH: usize = 16;

/// What `placeholders` leaves in a statement: an empty SQL comment both databases ignore.
const ONE_USE: &str = "/*once*/";

/// Whether a statement's text is one of a fixed few, worth keeping prepared.
pub(crate) fn is_fixed(sql: &str) -> bool {
    !sql.contains(ONE_USE)
}

#[cfg(test)]
mod tests {
    #[test]
    fn placeholders_number_from_the_first() {
        assert_eq!(super::placeholders(3, 3), "$3, $4, $5");
        assert_eq!(super::placeholders(1, 0), "");
        assert!(super::is_fixed(&format!(
            "in ({})",
            super::placeholders(1, 16)
        )));
        assert!(!super::is_fixed(&format!(
            "in ({})",
            super::placeholders(1, 17)
        )));
    }
}
