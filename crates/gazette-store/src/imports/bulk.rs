//! Many rows to a statement: an import's inserts, in as few statements as the backend's limit
//! on parameters allows.

use crate::query::Param;
use crate::store::{TxConn, on_tx};
use crate::{StoreError, WriteTx};

/// Most parameters one statement binds. PostgreSQL allows 65,535. SQLite allows 32,766, but
/// binding looks each parameter's name up in a list, so a statement's cost grows with the
/// square of its parameters: at 30,000 the 100,000-post benchmark spent two thirds of its
/// time there, at 1,000 a sixth. A few hundred keeps it small and the statements few.
const MAX_PARAMS_POSTGRES: usize = 30_000;
const MAX_PARAMS_SQLITE: usize = 250;

impl WriteTx {
    /// `insert into table (columns) values (…), (…), …`, as few statements as the parameter
    /// limit allows.
    pub(super) async fn insert_rows(
        &mut self,
        table: &str,
        columns: &[&str],
        rows: Vec<Vec<Param>>,
    ) -> Result<(), StoreError> {
        self.insert_rows_then(table, columns, rows, "").await
    }

    /// [`Self::insert_rows`] with a clause after the values (`on conflict …`).
    pub(super) async fn insert_rows_then(
        &mut self,
        table: &str,
        columns: &[&str],
        rows: Vec<Vec<Param>>,
        clause: &str,
    ) -> Result<(), StoreError> {
        let max_params = match self.conn {
            TxConn::Postgres(_) => MAX_PARAMS_POSTGRES,
            TxConn::Sqlite(_) => MAX_PARAMS_SQLITE,
        };
        let per_statement = (max_params / columns.len().max(1)).max(1);
        let mut rows = rows.into_iter().peekable();
        while rows.peek().is_some() {
            let chunk: Vec<Vec<Param>> = rows.by_ref().take(per_statement).collect();
            let mut sql = multi_row_insert(table, columns, chunk.len());
            sql.push_str(clause);
            let params: Vec<Param> = chunk.into_iter().flatten().collect();
            on_tx!(self, conn => backend::query::execute(conn, &sql, &params).await)?;
        }
        Ok(())
    }
}

/// The SQL inserting `count` rows of `columns`, numbered `$1…` in row order.
fn multi_row_insert(table: &str, columns: &[&str], count: usize) -> String {
    let width = columns.len();
    let mut sql = format!("insert into {table} ({}) values ", columns.join(", "));
    for row in 0..count {
        if row > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        sql.push_str(&crate::query::placeholders(row * width + 1, width));
        sql.push(')');
    }
    sql
}

#[cfg(test)]
mod tests {
    #[test]
    fn multi_row_inserts_number_parameters_row_by_row() {
        assert_eq!(
            super::multi_row_insert("t", &["a", "b"], 2),
            "insert into t (a, b) values ($1, $2), ($3, $4)"
        );
    }
}
