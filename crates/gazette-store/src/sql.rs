//! Running SQL that both backends share: one query path, bound through each backend's
//! `query` module, rows decoded through [`RowExt`]. Resource modules write their SQL once and
//! call these; `sqlite/` and `postgres/` keep only what truly differs between the databases.

use crate::query::Param;
use crate::rows::RowExt;
use crate::store::{on_backend, on_tx};
use crate::{Store, StoreError, WriteTx};

/// A value decoded from one row of either backend.
pub(crate) trait FromRow: Sized {
    fn from_row(row: &impl RowExt) -> Result<Self, StoreError>;
}

/// The `id` column, as `insert … returning id` gives it.
pub(crate) struct Id(pub(crate) i64);

impl FromRow for Id {
    fn from_row(row: &impl RowExt) -> Result<Self, StoreError> {
        row.int("id").map(Self)
    }
}

/// The `value` column, as a text.
pub(crate) struct Value(pub(crate) String);

impl FromRow for Value {
    fn from_row(row: &impl RowExt) -> Result<Self, StoreError> {
        row.text("value").map(Self)
    }
}

impl WriteTx {
    /// Runs a statement in this unit of work; how many rows it touched.
    pub(crate) async fn execute(&mut self, sql: &str, params: &[Param]) -> Result<u64, StoreError> {
        on_tx!(self, conn => backend::query::execute(conn, sql, params).await)
    }

    /// Every row a query returns in this unit of work, decoded.
    pub(crate) async fn fetch_all<T: FromRow>(
        &mut self,
        sql: &str,
        params: &[Param],
    ) -> Result<Vec<T>, StoreError> {
        on_tx!(self, conn => {
            let rows = backend::query::fetch_all(conn, sql, params).await?;
            rows.iter().map(T::from_row).collect()
        })
    }

    /// The first row a query returns in this unit of work, if any.
    pub(crate) async fn fetch_optional<T: FromRow>(
        &mut self,
        sql: &str,
        params: &[Param],
    ) -> Result<Option<T>, StoreError> {
        Ok(self.fetch_all(sql, params).await?.into_iter().next())
    }

    /// The row a statement must return (`insert … returning`).
    pub(crate) async fn fetch_one<T: FromRow>(
        &mut self,
        sql: &str,
        params: &[Param],
    ) -> Result<T, StoreError> {
        self.fetch_optional(sql, params)
            .await?
            .ok_or_else(|| StoreError::corrupt("statement", "returned no row"))
    }
}

impl Store {
    /// Every row a read returns, decoded.
    pub(crate) async fn fetch_all<T: FromRow>(
        &self,
        sql: &str,
        params: &[Param],
    ) -> Result<Vec<T>, StoreError> {
        on_backend!(self.backend(), db => {
            let rows = backend::query::fetch_all(&mut *db.reader().await?, sql, params).await?;
            rows.iter().map(T::from_row).collect()
        })
    }

    /// The first row a read returns, if any.
    pub(crate) async fn fetch_optional<T: FromRow>(
        &self,
        sql: &str,
        params: &[Param],
    ) -> Result<Option<T>, StoreError> {
        Ok(self.fetch_all(sql, params).await?.into_iter().next())
    }

    /// One statement that writes, outside any unit of work (it is atomic on its own), on the
    /// writing connection; the first row it returns, if any.
    pub(crate) async fn write_now<T: FromRow>(
        &self,
        sql: &str,
        params: &[Param],
    ) -> Result<Option<T>, StoreError> {
        on_backend!(self.backend(), db => {
            let rows = backend::query::fetch_all(&mut *db.writer().await?, sql, params).await?;
            rows.first().map(T::from_row).transpose()
        })
    }

    /// The same for a statement that returns nothing; how many rows it touched.
    pub(crate) async fn execute_now(&self, sql: &str, params: &[Param]) -> Result<u64, StoreError> {
        on_backend!(self.backend(), db => {
            backend::query::execute(&mut *db.writer().await?, sql, params).await
        })
    }
}
