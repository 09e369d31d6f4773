//! Rows that cross from SQLite's thread in one piece.
//!
//! sqlx runs each SQLite connection on a thread of its own and hands every row of a result to
//! the async side through a channel: each row wakes the waiting task, a thread switch of a
//! few microseconds. A sitemap of 1,200 articles or an article with 200 comments spent more
//! time in those hand-overs than in SQLite. `fetch_packed` asks SQLite to aggregate the rows
//! into one JSON array (`json_group_array`), which crosses once; [`PackedRow`] reads it with
//! the same [`RowExt`] calls. PostgreSQL rows arrive over a socket in batches already, so its
//! `fetch_packed` is its plain `fetch_all`.
//!
//! An aggregate's rows are in no defined order, and asking SQLite for one (`order by` inside
//! the aggregate) sorts them again in a temporary b-tree, a tenth of a monthly sitemap. So
//! packed rows come in any order and callers sort what they decoded; the query's own
//! `order by` still chooses which rows a `limit` keeps.

use std::sync::Arc;

use jiff::Timestamp;
use serde_json::Value;

use super::RowExt;
use crate::StoreError;

/// One row of a packed result: its values in the order of the shared column names.
#[derive(Debug)]
pub(crate) struct PackedRow {
    columns: Arc<[String]>,
    values: Vec<Value>,
}

/// The SQL that packs the rows of `sql`, which selects `columns` (plain names separated by
/// commas), into one JSON array in a column named `packed`.
pub(crate) fn packing_sql(sql: &str, columns: &str) -> String {
    format!("select json_group_array(json_array({columns})) as packed from ({sql})")
}

/// The rows in `packed` (an array of arrays, as `packing_sql` makes it).
pub(crate) fn unpack(columns: &str, packed: &str) -> Result<Vec<PackedRow>, StoreError> {
    let columns: Arc<[String]> = columns
        .split(',')
        .map(|name| name.trim().to_owned())
        .collect();
    let rows: Vec<Vec<Value>> =
        serde_json::from_str(packed).map_err(|e| StoreError::corrupt("packed rows", e))?;
    rows.into_iter()
        .map(|values| {
            if values.len() != columns.len() {
                return Err(StoreError::corrupt(
                    "packed rows",
                    format!("{} values for {} columns", values.len(), columns.len()),
                ));
            }
            Ok(PackedRow {
                columns: Arc::clone(&columns),
                values,
            })
        })
        .collect()
}

/// A row type with a decoder of its own for packed results: its values, in the order of the
/// columns packed, deserialize straight into [`Packed::Values`] (a tuple), with no
/// [`PackedRow`] between and no lookup by name. For the longest results (a monthly sitemap),
/// where decoding rows cost as much as the query. On PostgreSQL, rows are read by name
/// ([`Packed::from_row`]); the store contract runs both.
pub(crate) trait Packed: Sized {
    type Values: serde::de::DeserializeOwned;
    fn from_values(values: Self::Values) -> Result<Self, StoreError>;
    fn from_row(row: &impl RowExt) -> Result<Self, StoreError>;
}

/// The rows in `packed`, decoded by `T`.
pub(crate) fn unpack_as<T: Packed>(packed: &str) -> Result<Vec<T>, StoreError> {
    let rows: Vec<T::Values> =
        serde_json::from_str(packed).map_err(|e| StoreError::corrupt("packed rows", e))?;
    rows.into_iter().map(T::from_values).collect()
}

impl PackedRow {
    fn value(&self, column: &str) -> Result<&Value, StoreError> {
        self.columns
            .iter()
            .position(|name| name == column)
            .and_then(|at| self.values.get(at))
            .ok_or_else(|| StoreError::corrupt("column", format!("no column {column}")))
    }
}

fn wrong_type(column: &str, wanted: &str, found: &Value) -> StoreError {
    StoreError::corrupt(
        "column",
        format!("{column}: {wanted} expected, found {found}"),
    )
}

impl RowExt for PackedRow {
    fn int(&self, column: &str) -> Result<i64, StoreError> {
        self.opt_int(column)?
            .ok_or_else(|| StoreError::corrupt("column", format!("{column} is null")))
    }
    fn opt_int(&self, column: &str) -> Result<Option<i64>, StoreError> {
        match self.value(column)? {
            Value::Null => Ok(None),
            value => value
                .as_i64()
                .map(Some)
                .ok_or_else(|| wrong_type(column, "an integer", value)),
        }
    }
    fn text(&self, column: &str) -> Result<String, StoreError> {
        self.opt_text(column)?
            .ok_or_else(|| StoreError::corrupt("column", format!("{column} is null")))
    }
    fn opt_text(&self, column: &str) -> Result<Option<String>, StoreError> {
        match self.value(column)? {
            Value::Null => Ok(None),
            Value::String(text) => Ok(Some(text.clone())),
            value => Err(wrong_type(column, "text", value)),
        }
    }
    fn flag(&self, column: &str) -> Result<bool, StoreError> {
        Ok(self.int(column)? != 0)
    }
    fn opt_time(&self, column: &str) -> Result<Option<Timestamp>, StoreError> {
        self.opt_int(column)?
            .map(crate::sqlite::from_micros)
            .transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_rows_read_like_rows() {
        let rows = unpack(
            "id, name, note, done, at",
            r#"[[1, "Ann \"A\" Lee", null, 1, 1700000000000000], [2, "Bo", "x", 0, null]]"#,
        )
        .unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].int("id").unwrap(), 1);
        assert_eq!(rows[0].text("name").unwrap(), "Ann \"A\" Lee");
        assert_eq!(rows[0].opt_text("note").unwrap(), None);
        assert!(rows[0].flag("done").unwrap());
        assert_eq!(
            rows[0].time("at").unwrap().as_microsecond(),
            1_700_000_000_000_000
        );
        assert!(!rows[1].flag("done").unwrap());
        assert_eq!(rows[1].opt_time("at").unwrap(), None);
        assert!(rows[1].int("missing").is_err());
        assert!(rows[1].int("name").is_err(), "text is not an integer");
        assert!(unpack("id, name", "[[1]]").is_err(), "a short row");
    }

    #[test]
    fn packing_wraps_the_query() {
        assert_eq!(
            packing_sql("select id from t order by id desc limit 3", "id"),
            "select json_group_array(json_array(id)) as packed \
             from (select id from t order by id desc limit 3)"
        );
    }
}
