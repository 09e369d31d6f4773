//! Counters in fixed windows, shared by every node, that the comment form is rate-limited
//! with.

use jiff::{SignedDuration, Timestamp};

use crate::query::Param;
use crate::rows::RowExt;
use crate::store::on_tx;
use crate::{StoreError, WriteTx};

impl WriteTx {
    /// Counts one event for `key` in a fixed window of `window` and returns the count so far,
    /// this one included. Atomic, so every node's events count.
    pub async fn count_event(
        &mut self,
        key: &str,
        window: SignedDuration,
    ) -> Result<i64, StoreError> {
        let sql = "insert into rate_counters (key, count, window_started_at) values ($1, 1, $2)
            on conflict (key) do update set
                count = case when rate_counters.window_started_at < $3 then 1
                             else rate_counters.count + 1 end,
                window_started_at = case when rate_counters.window_started_at < $3 then $2
                                         else rate_counters.window_started_at end
            returning count";
        let params = [
            Param::Text(key.to_owned()),
            Param::Time(self.now),
            Param::Time(self.now - window),
        ];
        on_tx!(self, conn => {
            let rows = backend::query::fetch_all(conn, sql, &params).await?;
            rows.first()
                .map(|row| row.int("count"))
                .ok_or_else(|| StoreError::corrupt("rate_counters", "upsert returned no row"))?
        })
    }

    /// Forgets one counter (a commenter's data is erased).
    pub async fn forget_rate_counter(&mut self, key: &str) -> Result<(), StoreError> {
        let sql = "delete from rate_counters where key = $1";
        let params = [Param::Text(key.to_owned())];
        on_tx!(self, conn => backend::query::execute(conn, sql, &params).await)?;
        Ok(())
    }

    /// Forgets counters whose window ended before `before`.
    pub async fn prune_rate_counters(&mut self, before: Timestamp) -> Result<u64, StoreError> {
        let sql = "delete from rate_counters where window_started_at < $1";
        let params = [Param::Time(before)];
        on_tx!(self, conn => backend::query::execute(conn, sql, &params).await)
    }
}
