//! Reading columns the same way from SQLite and PostgreSQL rows, so each resource decodes its
//! rows into domain types once. Only times differ: epoch microseconds versus `timestamptz`.

use jiff::Timestamp;
use sqlx::Row as _;
use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;

use crate::StoreError;

mod packed;

pub(crate) use packed::{Packed, PackedRow, packing_sql, unpack, unpack_as};

/// Typed column access on a row of either backend.
pub(crate) trait RowExt {
    fn int(&self, column: &str) -> Result<i64, StoreError>;
    fn opt_int(&self, column: &str) -> Result<Option<i64>, StoreError>;
    fn text(&self, column: &str) -> Result<String, StoreError>;
    fn opt_text(&self, column: &str) -> Result<Option<String>, StoreError>;
    fn flag(&self, column: &str) -> Result<bool, StoreError>;
    fn opt_time(&self, column: &str) -> Result<Option<Timestamp>, StoreError>;

    fn time(&self, column: &str) -> Result<Timestamp, StoreError> {
        self.opt_time(column)?
            .ok_or_else(|| StoreError::corrupt("timestamp", format!("{column} is null")))
    }
}

fn column_error(column: &str, error: sqlx::Error) -> StoreError {
    StoreError::corrupt("column", format!("{column}: {error}"))
}

impl RowExt for SqliteRow {
    fn int(&self, column: &str) -> Result<i64, StoreError> {
        self.try_get(column).map_err(|e| column_error(column, e))
    }
    fn opt_int(&self, column: &str) -> Result<Option<i64>, StoreError> {
        self.try_get(column).map_err(|e| column_error(column, e))
    }
    fn text(&self, column: &str) -> Result<String, StoreError> {
        self.try_get(column).map_err(|e| column_error(column, e))
    }
    fn opt_text(&self, column: &str) -> Result<Option<String>, StoreError> {
        self.try_get(column).map_err(|e| column_error(column, e))
    }
    fn flag(&self, column: &str) -> Result<bool, StoreError> {
        self.try_get(column).map_err(|e| column_error(column, e))
    }
    fn opt_time(&self, column: &str) -> Result<Option<Timestamp>, StoreError> {
        let micros: Option<i64> = self.try_get(column).map_err(|e| column_error(column, e))?;
        micros.map(crate::sqlite::from_micros).transpose()
    }
}

impl RowExt for PgRow {
    fn int(&self, column: &str) -> Result<i64, StoreError> {
        self.try_get(column).map_err(|e| column_error(column, e))
    }
    fn opt_int(&self, column: &str) -> Result<Option<i64>, StoreError> {
        self.try_get(column).map_err(|e| column_error(column, e))
    }
    fn text(&self, column: &str) -> Result<String, StoreError> {
        self.try_get(column).map_err(|e| column_error(column, e))
    }
    fn opt_text(&self, column: &str) -> Result<Option<String>, StoreError> {
        self.try_get(column).map_err(|e| column_error(column, e))
    }
    fn flag(&self, column: &str) -> Result<bool, StoreError> {
        self.try_get(column).map_err(|e| column_error(column, e))
    }
    fn opt_time(&self, column: &str) -> Result<Option<Timestamp>, StoreError> {
        let time: Option<time::OffsetDateTime> =
            self.try_get(column).map_err(|e| column_error(column, e))?;
        time.map(crate::postgres::from_offset).transpose()
    }
}
