//! Schema migrations: each backend has its own numbered SQL files under `migrations/`, applied
//! in order inside one transaction and recorded in `schema_migrations`.

use crate::store::on_backend;
use crate::{Store, StoreError};

/// The schema version this build migrates to: the last migration of each backend (a test
/// checks that both backends agree).
pub const LATEST_SCHEMA_VERSION: i64 = 21;

/// One migration file.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sql: &'static str,
}

/// What `migrate` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationReport {
    /// The version before migrating; 0 for an empty database (a first run).
    pub previous_version: i64,
    /// Versions applied now, in order.
    pub applied: Vec<i64>,
}

impl MigrationReport {
    /// Whether the database had no schema at all before.
    pub fn was_empty(&self) -> bool {
        self.previous_version == 0
    }
}

/// Refuses to run against a schema from a newer Gazette, which this binary would misread.
pub(crate) fn pending(
    migrations: &'static [Migration],
    current: i64,
) -> Result<Vec<Migration>, StoreError> {
    let known = migrations.last().map_or(0, |m| m.version);
    if current > known {
        return Err(StoreError::SchemaTooNew {
            found: current,
            known,
        });
    }
    Ok(migrations
        .iter()
        .filter(|m| m.version > current)
        .copied()
        .collect())
}

impl Store {
    /// Brings the schema up to date.
    #[tracing::instrument(skip(self))]
    pub async fn migrate(&self) -> Result<MigrationReport, StoreError> {
        let now = self.now();
        let report = on_backend!(self.backend(), db => backend::migrations::apply(db, now).await)?;
        if !report.applied.is_empty() {
            tracing::info!(from = report.previous_version, applied = ?report.applied, "migrated the database schema");
        }
        Ok(report)
    }

    /// The schema's version, for commands that need a journal but must not create or migrate
    /// one: [`StoreError::NoSchema`] when nothing was ever migrated, `SchemaTooOld` or
    /// `SchemaTooNew` when it differs from this binary's. Changes nothing.
    #[tracing::instrument(skip(self))]
    pub async fn check_schema(&self) -> Result<i64, StoreError> {
        let found =
            on_backend!(self.backend(), db => backend::migrations::current_version(db).await)?;
        let known = LATEST_SCHEMA_VERSION;
        match found {
            0 => Err(StoreError::NoSchema),
            found if found < known => Err(StoreError::SchemaTooOld { found, known }),
            found if found > known => Err(StoreError::SchemaTooNew { found, known }),
            found => Ok(found),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn both_backends_end_at_the_latest_version() {
        for migrations in [
            crate::sqlite::migrations::MIGRATIONS,
            crate::postgres::migrations::MIGRATIONS,
        ] {
            let versions: Vec<i64> = migrations.iter().map(|m| m.version).collect();
            let expected: Vec<i64> = (1..=super::LATEST_SCHEMA_VERSION).collect();
            assert_eq!(versions, expected);
        }
    }
}
