//! Schema migrations: each backend has its own numbered SQL files under `migrations/`, applied
//! in order inside one transaction and recorded in `schema_migrations`.

use crate::store::on_backend;
use crate::{Store, StoreError};

/// The schema version this build migrates to: the last migration of each backend (a test
/// checks that both backends agree).
pub const LATEST_SCHEMA_VERSION: i64 = 37;

/// One migration file.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sql: &'static str,
    /// The oldest schema version a binary may know and still run against this one.
    pub oldest_binary: i64,
}

/// The first migration that records the rolling-upgrade rule (`schema_compatibility`).
pub(crate) const COMPATIBILITY_FROM: i64 = 34;

/// Every migration of one backend (`"sqlite"` or `"postgres"`), from the one list both share:
/// `(version, name, file, oldest_binary)`, the file under `migrations/{backend}/`. One list
/// means the two backends cannot drift apart in versions or names.
///
/// `oldest_binary` is the rolling-upgrade rule: the oldest schema version a binary may know and
/// still run against the schema once this migration is applied. A migration that only adds
/// (a table, a nullable column, an index) keeps the figure of the one before it, so the
/// previous release keeps running while nodes are replaced; one that renames, drops or changes
/// the meaning of what the previous release reads sets its own version. The rule was recorded
/// from migration 34 on; earlier ones name themselves.
macro_rules! migrations_of {
    ($backend:literal) => {
        crate::migrate::migrations_of!(@list $backend,
            (1, "initial", "0001_initial.sql", 1),
            (2, "newsroom", "0002_newsroom.sql", 2),
            (3, "revisions", "0003_revisions.sql", 3),
            (4, "one_time_tokens", "0004_one_time_tokens.sql", 4),
            (5, "seo", "0005_seo.sql", 5),
            (6, "comments", "0006_comments.sql", 6),
            (7, "reply_notifications", "0007_reply_notifications.sql", 7),
            (8, "media", "0008_media.sql", 8),
            (9, "redirects", "0009_redirects.sql", 9),
            (10, "unfiltered_html", "0010_unfiltered_html.sql", 10),
            (11, "author_profiles", "0011_author_profiles.sql", 11),
            (12, "listing_index", "0012_listing_index.sql", 12),
            (13, "dated_index", "0013_dated_index.sql", 13),
            (14, "wordpress_ids", "0014_wordpress_ids.sql", 14),
            (15, "page_comments", "0015_page_comments.sql", 15),
            (16, "canonical_noindex", "0016_canonical_noindex.sql", 16),
            (17, "app_passwords", "0017_app_passwords.sql", 17),
            (18, "revision_trust", "0018_revision_trust.sql", 18),
            (19, "sign_in_links", "0019_sign_in_links.sql", 19),
            (20, "commenter_keys", "0020_commenter_keys.sql", 20),
            (21, "share_links", "0021_share_links.sql", 21),
            (22, "link_indexes", "0022_link_indexes.sql", 22),
            (23, "published_months", "0023_published_months.sql", 23),
            (24, "link_listing_times", "0024_link_listing_times.sql", 24),
            (25, "listing_order", "0025_listing_order.sql", 25),
            (26, "sitemap_addresses", "0026_sitemap_addresses.sql", 26),
            (27, "address_months", "0027_address_months.sql", 27),
            (28, "focal_points", "0028_focal_points.sql", 28),
            (29, "article_presence", "0029_article_presence.sql", 29),
            (30, "article_notes", "0030_article_notes.sql", 30),
            (31, "article_plans", "0031_article_plans.sql", 31),
            (32, "media_references", "0032_media_references.sql", 32),
            (33, "idempotency_keys", "0033_idempotency_keys.sql", 33),
            (34, "schema_compatibility", "0034_schema_compatibility.sql", 34),
            // New tables only: a binary that knows schema 34 runs beside it, unaware of them.
            (35, "newsletters", "0035_newsletters.sql", 34),
            // A new table and a column old binaries never name: schema 35 runs beside it.
            (36, "newsletter_sends", "0036_newsletter_sends.sql", 35),
            // An index only: schema 35 still runs beside it.
            (37, "delivery_claims", "0037_delivery_claims.sql", 35),
        )
    };
    (@list $backend:literal, $(($version:literal, $name:literal, $file:literal, $oldest:literal),)*) => {
        &[$(crate::migrate::Migration {
            version: $version,
            name: $name,
            sql: include_str!(concat!("../../migrations/", $backend, "/", $file)),
            oldest_binary: $oldest,
        }),*]
    };
}
pub(crate) use migrations_of;

/// Applies the migrations after `$current` inside the open transaction `$tx` (of either
/// backend), each recorded in `schema_migrations` and in `schema_compatibility`, commits, and
/// evaluates to the report. `$oldest` is the schema's rolling-upgrade rule when it is newer
/// than this binary ([`pending`]).
macro_rules! apply_pending {
    ($tx:ident, $migrations:expr, $current:expr, $oldest:expr, $now:expr) => {{
        let mut applied = Vec::new();
        for migration in crate::migrate::pending($migrations, $current, $oldest)? {
            sqlx::raw_sql(migration.sql)
                .execute(&mut *$tx)
                .await
                .map_err(|cause| StoreError::Migration {
                    version: migration.version,
                    name: migration.name,
                    cause,
                })?;
            let record = "insert into schema_migrations (version, name, applied_at) \
                          values ($1, $2, $3)";
            let params = [
                crate::query::Param::Int(migration.version),
                crate::query::Param::Text(migration.name.to_owned()),
                crate::query::Param::Time($now),
            ];
            super::query::execute(&mut *$tx, record, &params).await?;
            if migration.version >= crate::migrate::COMPATIBILITY_FROM {
                let raise = "update schema_compatibility set oldest_binary = $1 \
                             where oldest_binary < $1";
                let params = [crate::query::Param::Int(migration.oldest_binary)];
                super::query::execute(&mut *$tx, raise, &params).await?;
            }
            applied.push(migration.version);
        }
        $tx.commit().await.map_err(super::map_error)?;
        Ok(crate::migrate::MigrationReport {
            previous_version: $current,
            applied,
        })
    }};
}
pub(crate) use apply_pending;

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

/// The migrations to apply after `current`. A schema from a newer Gazette is run against as
/// it is when its rule (`oldest_binary`, read only then) still includes this binary, as during
/// a rolling upgrade; otherwise this binary would misread it and refuses to start.
pub(crate) fn pending(
    migrations: &'static [Migration],
    current: i64,
    oldest_binary: Option<i64>,
) -> Result<Vec<Migration>, StoreError> {
    let known = migrations.last().map_or(0, |m| m.version);
    if current > known {
        newer_schema_supported(current, known, oldest_binary)?;
        tracing::warn!(
            schema = current,
            binary = known,
            "the schema is newer than this binary, which it still supports: upgrade this node \
             when the rolling upgrade reaches it"
        );
        return Ok(Vec::new());
    }
    Ok(migrations
        .iter()
        .filter(|m| m.version > current)
        .copied()
        .collect())
}

/// Whether a binary that knows schema version `known` may run against the newer schema
/// `found`, whose rolling-upgrade rule is `oldest_binary` (none recorded: it may not).
fn newer_schema_supported(
    found: i64,
    known: i64,
    oldest_binary: Option<i64>,
) -> Result<(), StoreError> {
    match oldest_binary {
        Some(oldest) if oldest <= known => Ok(()),
        _ => Err(StoreError::SchemaTooNew {
            found,
            known,
            needs: oldest_binary.unwrap_or(found),
        }),
    }
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
            found if found > known => {
                let oldest = on_backend!(self.backend(), db => backend::migrations::oldest_binary(db).await)?;
                newer_schema_supported(found, known, oldest).map(|()| found)
            }
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
