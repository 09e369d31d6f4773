//! SQLite's migrations, applied in one `BEGIN IMMEDIATE` transaction.

use jiff::Timestamp;
use sqlx::Row as _;

use super::{SqliteDb, db_time};
use crate::StoreError;
use crate::migrate::{Migration, MigrationReport, pending};

pub(crate) const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "initial",
        sql: include_str!("../../migrations/sqlite/0001_initial.sql"),
    },
    Migration {
        version: 2,
        name: "newsroom",
        sql: include_str!("../../migrations/sqlite/0002_newsroom.sql"),
    },
    Migration {
        version: 3,
        name: "revisions",
        sql: include_str!("../../migrations/sqlite/0003_revisions.sql"),
    },
    Migration {
        version: 4,
        name: "one_time_tokens",
        sql: include_str!("../../migrations/sqlite/0004_one_time_tokens.sql"),
    },
    Migration {
        version: 5,
        name: "seo",
        sql: include_str!("../../migrations/sqlite/0005_seo.sql"),
    },
    Migration {
        version: 6,
        name: "comments",
        sql: include_str!("../../migrations/sqlite/0006_comments.sql"),
    },
    Migration {
        version: 7,
        name: "reply_notifications",
        sql: include_str!("../../migrations/sqlite/0007_reply_notifications.sql"),
    },
    Migration {
        version: 8,
        name: "media",
        sql: include_str!("../../migrations/sqlite/0008_media.sql"),
    },
    Migration {
        version: 9,
        name: "redirects",
        sql: include_str!("../../migrations/sqlite/0009_redirects.sql"),
    },
    Migration {
        version: 10,
        name: "unfiltered_html",
        sql: include_str!("../../migrations/sqlite/0010_unfiltered_html.sql"),
    },
    Migration {
        version: 11,
        name: "author_profiles",
        sql: include_str!("../../migrations/sqlite/0011_author_profiles.sql"),
    },
    Migration {
        version: 12,
        name: "listing_index",
        sql: include_str!("../../migrations/sqlite/0012_listing_index.sql"),
    },
    Migration {
        version: 13,
        name: "dated_index",
        sql: include_str!("../../migrations/sqlite/0013_dated_index.sql"),
    },
    Migration {
        version: 14,
        name: "wordpress_ids",
        sql: include_str!("../../migrations/sqlite/0014_wordpress_ids.sql"),
    },
    Migration {
        version: 15,
        name: "page_comments",
        sql: include_str!("../../migrations/sqlite/0015_page_comments.sql"),
    },
    Migration {
        version: 16,
        name: "canonical_noindex",
        sql: include_str!("../../migrations/sqlite/0016_canonical_noindex.sql"),
    },
    Migration {
        version: 17,
        name: "app_passwords",
        sql: include_str!("../../migrations/sqlite/0017_app_passwords.sql"),
    },
    Migration {
        version: 18,
        name: "revision_trust",
        sql: include_str!("../../migrations/sqlite/0018_revision_trust.sql"),
    },
    Migration {
        version: 19,
        name: "sign_in_links",
        sql: include_str!("../../migrations/sqlite/0019_sign_in_links.sql"),
    },
    Migration {
        version: 20,
        name: "commenter_keys",
        sql: include_str!("../../migrations/sqlite/0020_commenter_keys.sql"),
    },
    Migration {
        version: 21,
        name: "share_links",
        sql: include_str!("../../migrations/sqlite/0021_share_links.sql"),
    },
];

pub(crate) async fn apply(db: &SqliteDb, now: Timestamp) -> Result<MigrationReport, StoreError> {
    let mut tx = db.begin_write().await?;
    sqlx::raw_sql(
        "create table if not exists schema_migrations (
            version integer primary key, name text not null, applied_at integer not null)",
    )
    .execute(&mut *tx)
    .await
    .map_err(super::map_error)?;
    let current: i64 = sqlx::query("select coalesce(max(version), 0) as v from schema_migrations")
        .fetch_one(&mut *tx)
        .await
        .map_err(super::map_error)?
        .try_get("v")
        .map_err(super::map_error)?;
    let mut applied = Vec::new();
    for migration in pending(MIGRATIONS, current)? {
        sqlx::raw_sql(migration.sql)
            .execute(&mut *tx)
            .await
            .map_err(|cause| StoreError::Migration {
                version: migration.version,
                name: migration.name,
                cause,
            })?;
        sqlx::query(
            "insert into schema_migrations (version, name, applied_at) values ($1, $2, $3)",
        )
        .bind(migration.version)
        .bind(migration.name)
        .bind(db_time(now))
        .execute(&mut *tx)
        .await
        .map_err(super::map_error)?;
        applied.push(migration.version);
    }
    tx.commit().await.map_err(super::map_error)?;
    Ok(MigrationReport {
        previous_version: current,
        applied,
    })
}

/// The latest migration applied; 0 when there is no `schema_migrations` table. Reads only.
pub(crate) async fn current_version(db: &SqliteDb) -> Result<i64, StoreError> {
    let conn = &mut *db.reader().await?;
    let tables: i64 = sqlx::query(
        "select count(*) as n from sqlite_master where type = 'table' and name = 'schema_migrations'",
    )
    .fetch_one(&mut *conn)
    .await
    .map_err(super::map_error)?
    .try_get("n")
    .map_err(super::map_error)?;
    if tables == 0 {
        return Ok(0);
    }
    sqlx::query("select coalesce(max(version), 0) as v from schema_migrations")
        .fetch_one(&mut *conn)
        .await
        .map_err(super::map_error)?
        .try_get("v")
        .map_err(super::map_error)
}
