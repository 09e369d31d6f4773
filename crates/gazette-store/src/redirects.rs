//! Redirect rules. The web layer reads them all into its site snapshot; the back office adds,
//! changes, removes and imports them here.

use gazette_core::{Redirect, RedirectId, RedirectRule, RedirectStatus};

use crate::changes::ChangeKind;
use crate::query::Param;
use crate::rows::RowExt;
use crate::store::{on_backend, on_tx};
use crate::{Store, StoreError, WriteTx};

const COLUMNS: &str = "id, source, target, status";

fn redirect_from_row(row: &impl RowExt) -> Result<Redirect, StoreError> {
    let code = row.int("status")?;
    let status = u16::try_from(code)
        .ok()
        .and_then(RedirectStatus::from_code)
        .ok_or_else(|| StoreError::corrupt("redirect status", code))?;
    Ok(Redirect {
        id: RedirectId(row.int("id")?),
        rule: RedirectRule {
            source: row.text("source")?,
            target: row.text("target")?,
            status,
        },
    })
}

fn rule_params(rule: &RedirectRule) -> [Param; 4] {
    [
        Param::Text(rule.source.clone()),
        Param::Text(rule.key()),
        Param::Text(rule.target.clone()),
        Param::Int(i64::from(rule.status.code())),
    ]
}

impl WriteTx {
    /// Adds a rule; a rule for the same source is a `Conflict`.
    pub async fn insert_redirect(&mut self, rule: &RedirectRule) -> Result<RedirectId, StoreError> {
        let sql = "insert into redirects (source, source_key, target, status, created_at, updated_at) \
             values ($1, $2, $3, $4, $5, $5) returning id";
        let mut params = rule_params(rule).to_vec();
        params.push(Param::Time(self.now));
        let id = on_tx!(self, conn => {
            let rows = backend::query::fetch_all(conn, sql, &params).await?;
            rows.first().map(|row| row.int("id")).transpose()
        })?
        .ok_or_else(|| StoreError::corrupt("redirects", "insert returned no id"))?;
        self.record_change(ChangeKind::Redirect, Some(id));
        Ok(RedirectId(id))
    }

    /// Adds rules, replacing those with the same sources: an import, recorded as one change.
    pub async fn upsert_redirects(&mut self, rules: &[RedirectRule]) -> Result<(), StoreError> {
        for rule in rules {
            self.write_redirect(rule).await?;
        }
        if !rules.is_empty() {
            self.record_change(ChangeKind::Redirect, None);
        }
        Ok(())
    }

    /// Adds a rule, or replaces the one with the same source.
    pub async fn upsert_redirect(&mut self, rule: &RedirectRule) -> Result<(), StoreError> {
        self.upsert_redirects(std::slice::from_ref(rule)).await
    }

    async fn write_redirect(&mut self, rule: &RedirectRule) -> Result<(), StoreError> {
        let sql = "insert into redirects (source, source_key, target, status, created_at, updated_at) \
             values ($1, $2, $3, $4, $5, $5) \
             on conflict (source_key) do update set source = excluded.source, \
                 target = excluded.target, status = excluded.status, updated_at = excluded.updated_at";
        let mut params = rule_params(rule).to_vec();
        params.push(Param::Time(self.now));
        on_tx!(self, conn => backend::query::execute(conn, sql, &params).await)?;
        Ok(())
    }

    /// Changes a rule; false if it does not exist. Taking another rule's source is a `Conflict`.
    pub async fn update_redirect(
        &mut self,
        id: RedirectId,
        rule: &RedirectRule,
    ) -> Result<bool, StoreError> {
        let sql = "update redirects set source = $1, source_key = $2, target = $3, status = $4, \
             updated_at = $5 where id = $6";
        let mut params = rule_params(rule).to_vec();
        params.extend([Param::Time(self.now), Param::Int(id.0)]);
        let touched = on_tx!(self, conn => backend::query::execute(conn, sql, &params).await)?;
        if touched > 0 {
            self.record_change(ChangeKind::Redirect, Some(id.0));
        }
        Ok(touched > 0)
    }

    /// Removes a rule; false if it did not exist.
    pub async fn delete_redirect(&mut self, id: RedirectId) -> Result<bool, StoreError> {
        let params = [Param::Int(id.0)];
        let touched = on_tx!(self, conn => backend::query::execute(conn, "delete from redirects where id = $1", &params).await)?;
        if touched > 0 {
            self.record_change(ChangeKind::Redirect, Some(id.0));
        }
        Ok(touched > 0)
    }

    /// Every rule, seeing this unit's own writes (for loop checks that must not race).
    pub async fn redirects(&mut self) -> Result<Vec<Redirect>, StoreError> {
        let sql = format!("select {COLUMNS} from redirects order by source_key");
        on_tx!(self, conn => {
            let rows = backend::query::fetch_all(conn, &sql, &[]).await?;
            rows.iter().map(redirect_from_row).collect()
        })
    }
}

impl Store {
    /// Every rule, by source.
    pub async fn redirects(&self) -> Result<Vec<Redirect>, StoreError> {
        let sql = format!("select {COLUMNS} from redirects order by source_key");
        on_backend!(self.backend(), db => {
            let rows = backend::query::fetch_all(&mut *db.reader().await?, &sql, &[]).await?;
            rows.iter().map(redirect_from_row).collect()
        })
    }

    /// One rule.
    pub async fn redirect(&self, id: RedirectId) -> Result<Option<Redirect>, StoreError> {
        let sql = format!("select {COLUMNS} from redirects where id = $1");
        let params = [Param::Int(id.0)];
        on_backend!(self.backend(), db => {
            let rows = backend::query::fetch_all(&mut *db.reader().await?, &sql, &params).await?;
            rows.first().map(redirect_from_row).transpose()
        })
    }
}

impl WriteTx {
    /// Removes the rule for a source, if there is one: when a section or tag takes a path
    /// again, an old rule must not send its readers away.
    pub async fn delete_redirect_from(&mut self, source: &str) -> Result<bool, StoreError> {
        let params = [Param::Text(gazette_core::redirect::match_key(source))];
        let touched = on_tx!(self, conn => backend::query::execute(conn, "delete from redirects where source_key = $1", &params).await)?;
        if touched > 0 {
            self.record_change(ChangeKind::Redirect, None);
        }
        Ok(touched > 0)
    }
}
